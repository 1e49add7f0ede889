package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"grantplan/store"
	"grantplan/store/postgres/pgtest"
	"grantplan/store/sqlite"
	"grantplan/store/storeopen"
	"grantplan/store/storetest"
)

// openSQLite opens the SQLite store at path and closes it when the test
// ends.
func openSQLite(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// filledSQLite returns the path of a SQLite file holding what
// storetest.Fill stores.
func filledSQLite(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "source.db")
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Fill(t, st)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// wantCounts checks copy's report of the rows it copied of each table.
func wantCounts(t *testing.T, out string, want map[string][]store.Row) {
	t.Helper()
	for _, table := range store.Tables {
		line := regexp.MustCompile(`(?m)^  ` + table.Name + ` +(\d+) rows$`).FindStringSubmatch(out)
		if line == nil || line[1] != fmt.Sprint(len(want[table.Name])) {
			t.Errorf("copy's report lacks %d %s:\n%s", len(want[table.Name]), table.Name, out)
		}
	}
}

// TestCopyRoundTrip copies a SQLite store to PostgreSQL and back into a
// new SQLite file: every table and every scenario, revision, deletion
// and figure arrives (times to the microsecond, which PostgreSQL keeps).
// The way back takes PostgreSQL's URL from GRANTPLAN_DB, as a password
// should.
func TestCopyRoundTrip(t *testing.T) {
	url := pgtest.URL(t)
	source := filledSQLite(t)
	back := filepath.Join(t.TempDir(), "back.db")

	code, out, errOut := runCLI(t, "", "copy", "--from", source, "--to", url)
	if code != 0 {
		t.Fatalf("copy to PostgreSQL: exit %d: %s", code, errOut)
	}
	original := openSQLite(t, source)
	wantCounts(t, out, storetest.Tables(t, original))
	if strings.Contains(out, passwordOf(t, url)) {
		t.Errorf("copy's report shows the password:\n%s", out)
	}

	t.Setenv(storeopen.Env, url)
	code, out, errOut = runCLI(t, "", "copy", "--to", back)
	if code != 0 {
		t.Fatalf("copy back from PostgreSQL: exit %d: %s", code, errOut)
	}
	wantCounts(t, out, storetest.Tables(t, original))

	pg, err := storeopen.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	storetest.SameContent(t, pg, original)
	storetest.SameContent(t, openSQLite(t, back), original)
}

// passwordOf returns the password in a URL, or a string no output holds.
func passwordOf(t *testing.T, rawURL string) string {
	t.Helper()
	_, rest, _ := strings.Cut(rawURL, "://")
	userinfo, _, found := strings.Cut(rest, "@")
	if _, password, ok := strings.Cut(userinfo, ":"); found && ok && password != "" {
		return password
	}
	return "\x00no password\x00"
}

// TestCopyBetweenFiles copies one SQLite file into a new one.
func TestCopyBetweenFiles(t *testing.T) {
	source := filledSQLite(t)
	target := filepath.Join(t.TempDir(), "target.db")
	code, out, errOut := runCLI(t, "", "copy", "--from", source, "--to", target)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	original := openSQLite(t, source)
	if !strings.HasPrefix(out, "copied "+source+" to "+target+":\n") {
		t.Errorf("copy's report: got %q", out)
	}
	wantCounts(t, out, storetest.Tables(t, original))
	storetest.SameContent(t, openSQLite(t, target), original)
}

func TestCopyRefuses(t *testing.T) {
	t.Setenv(storeopen.Env, "")
	source := filledSQLite(t)
	dir := t.TempDir()
	full := filepath.Join(dir, "full.db")
	fullStore := openSQLite(t, full)
	storetest.Fill(t, fullStore)
	fullBefore := storetest.Tables(t, fullStore)

	tests := []struct {
		name      string
		args      []string
		wantCode  int
		wantError string
		absent    string // a file that must not be made
	}{
		{"no flags", []string{"copy"}, 2, "copy needs --from and --to", ""},
		{"one flag and no environment", []string{"copy", "--from", source}, 2, "GRANTPLAN_DB is not set", ""},
		{"same database", []string{"copy", "--from", source, "--to", source}, 2, "both " + source, ""},
		{"argument", []string{"copy", "--from", source, "--to", filepath.Join(dir, "x.db"), "extra"}, 2, "no arguments", filepath.Join(dir, "x.db")},
		{"missing source", []string{"copy", "--from", filepath.Join(dir, "missing.db"), "--to", filepath.Join(dir, "y.db")}, 1, "no such file", filepath.Join(dir, "missing.db")},
		{"target not empty", []string{"copy", "--from", source, "--to", full}, 1, "the target is not empty: its table scenarios has", ""},
		{"unknown scheme", []string{"copy", "--from", source, "--to", "mysql://u:secret@h/db"}, 1, "not a database grantplan knows", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", tt.args...)
			if code != tt.wantCode || !strings.Contains(errOut, tt.wantError) {
				t.Errorf("got exit %d and %q, want %d and %q", code, errOut, tt.wantCode, tt.wantError)
			}
			if strings.Contains(errOut, "secret") {
				t.Errorf("the message shows a password: %q", errOut)
			}
			if tt.absent != "" {
				if _, err := os.Stat(tt.absent); err == nil {
					t.Errorf("%s was made", tt.absent)
				}
			}
		})
	}
	if got := storetest.Tables(t, fullStore); fmt.Sprint(got) != fmt.Sprint(fullBefore) {
		t.Error("the refused target changed")
	}
}

// TestCopyRefusedByPostgres copies a SQLite file with an id PostgreSQL
// cannot hold: the copy fails naming it and writes nothing. A copy back
// into that file, which is not empty, is refused and leaves it.
func TestCopyRefusedByPostgres(t *testing.T) {
	url := pgtest.URL(t)
	source := filepath.Join(t.TempDir(), "odd.db")
	st := openSQLite(t, source)
	if _, err := st.Create(context.Background(), "a\x00b", "NUL", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "", "copy", "--from", source, "--to", url)
	if code != 1 || !strings.Contains(errOut, `"a\x00b": PostgreSQL's text takes no NUL byte`) {
		t.Errorf("got exit %d and %q, want 1 and a message naming the id", code, errOut)
	}
	pg, err := storeopen.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for table, rows := range storetest.Tables(t, pg) {
		if len(rows) != 0 {
			t.Errorf("PostgreSQL's %s has %d rows after a failed copy", table, len(rows))
		}
	}

	if _, err := pg.Create(context.Background(), "kim", "KIM", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "", "copy", "--from", url, "--to", source)
	if code != 1 || !strings.Contains(errOut, "the target is not empty") {
		t.Errorf("copy into a file that is not empty: got exit %d and %q", code, errOut)
	}
	if _, err := os.Stat(source); err != nil {
		t.Errorf("the target file that was there before is gone: %v", err)
	}
}
