package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"grantplan/store/postgres/pgtest"
	"grantplan/store/storeopen"
)

// TestDatabaseSetting: every command that opens the store takes its
// database from --db or, without it, from GRANTPLAN_DB, alike; --db wins
// over the environment; and each says so in its help. Two databases
// each hold a user named after where the command was told of it.
func TestDatabaseSetting(t *testing.T) {
	dir := t.TempDir()
	flagDB, envDB := filepath.Join(dir, "flag.db"), filepath.Join(dir, "env.db")
	t.Setenv(storeopen.Env, "")
	for name, db := range map[string]string{"viaflag": flagDB, "viaenv": envDB} {
		if code, _, errOut := runCLI(t, "a password for tests", "user", "add", name, "--role", "viewer", "--password-stdin", "--db", db); code != 0 {
			t.Fatalf("user add %s: exit %d: %s", name, code, errOut)
		}
		if code, _, errOut := runCLI(t, "", "token", "add", name, "--label", "label of "+name, "--db", db); code != 0 {
			t.Fatalf("token add %s: exit %d: %s", name, code, errOut)
		}
	}
	// A file a run writes, new each time.
	n := 0
	newFile := func() string {
		n++
		return filepath.Join(dir, fmt.Sprintf("out-%d.db", n))
	}
	commands := []struct {
		name string
		args func() []string
		flag string // the flag that names the database
		want func(db, user string) string
	}{
		{"user list", func() []string { return []string{"user", "list"} }, "--db", func(_, user string) string { return user }},
		{"token list", func() []string { return []string{"token", "list"} }, "--db", func(_, user string) string { return "label of " + user }},
		{"backup", func() []string { return []string{"backup", "-o", newFile()} }, "--db", func(db, _ string) string { return "backed up " + db }},
		{"copy", func() []string { return []string{"copy", "--to", newFile()} }, "--from", func(db, _ string) string { return "copied " + db }},
	}
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(storeopen.Env, envDB)
			for _, run := range []struct {
				how      string
				args     []string
				db, user string
			}{
				{"from the environment", c.args(), envDB, "viaenv"},
				{c.flag + " over the environment", append(c.args(), c.flag, flagDB), flagDB, "viaflag"},
			} {
				code, out, errOut := runCLI(t, "", run.args...)
				if want := c.want(run.db, run.user); code != 0 || !strings.Contains(out, want) {
					t.Errorf("%s %s: got exit %d, %q %q, want %q", c.name, run.how, code, out, errOut, want)
				}
			}
		})
	}
	// Each command that opens the store names its flag and the
	// environment in its help.
	for _, help := range []struct{ command, flag string }{
		{"serve", "-db"}, {"user", "-db"}, {"token", "-db"}, {"backup", "-db"}, {"copy", "-from"},
	} {
		_, _, text := runCLI(t, "", help.command, "--help")
		if !strings.Contains(text, help.flag) || !strings.Contains(text, storeopen.Env) {
			t.Errorf("%s --help does not name %s and %s:\n%s", help.command, help.flag, storeopen.Env, text)
		}
	}

	// A PostgreSQL URL from the environment, where its password belongs.
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.URL(t)
		t.Setenv(storeopen.Env, url)
		if code, _, errOut := runCLI(t, "a password for tests", "user", "add", "anna", "--role", "planner", "--password-stdin"); code != 0 {
			t.Fatalf("user add: exit %d: %s", code, errOut)
		}
		if code, _, errOut := runCLI(t, "", "token", "add", "anna", "--label", "nightly"); code != 0 {
			t.Fatalf("token add: exit %d: %s", code, errOut)
		}
		t.Setenv(storeopen.Env, flagDB) // --db wins
		for _, args := range [][]string{{"user", "list"}, {"token", "list"}} {
			code, out, errOut := runCLI(t, "", append(args, "--db", url)...)
			if code != 0 || !strings.Contains(out, "anna") || strings.Contains(out, "viaflag") {
				t.Errorf("%s --db URL: got exit %d, %q %q", strings.Join(args, " "), code, out, errOut)
			}
		}
	})
}
