package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/store/sqlite"
	"grantplan/store/storeopen"
)

// TestBackupWhileServing backs up the file of a running server while
// clients save revisions: each backup opens as a whole store, with the
// demo and every revision up to some moment.
func TestBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "grantplan.db")
	s := startServer(t, db)
	scenario := bytes.Replace(data.Demo, []byte(`"name": "KIM Kreis Siegen-Wittgenstein"`), []byte(`"name": "Backup"`), 1)
	if status, body := s.do(t, http.MethodPost, "/api/v1/scenarios", "", scenario); status != http.StatusCreated {
		t.Fatalf("create: got %d %s", status, body)
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var saved atomic.Int64 // the revision last saved
	saved.Store(1)
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			current := saved.Load()
			// Each revision a body other than the one before: a PUT of the
			// current body saves nothing. Revision n has HR capacity
			// (n+1) mod 2, revision 1 the demo's 0.
			next := bytes.Replace(scenario, []byte(`"hr_capacity": 0`), []byte(fmt.Sprintf(`"hr_capacity": %d`, (current+2)%2)), 1)
			status, body := s.do(t, http.MethodPut, "/api/v1/scenarios/backup", fmt.Sprintf(`"%d"`, current), next)
			if status != http.StatusOK {
				t.Errorf("save revision %d: got %d %s", current+1, status, body)
				return
			}
			saved.Add(1)
		}
	})
	// waitSaved waits until the clients have saved revision n.
	waitSaved := func(n int64) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); saved.Load() < n; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("revision %d not saved within 10 s", n)
			}
		}
	}

	report := regexp.MustCompile(`^backed up .*grantplan\.db to .*backup-\d\.db: 2 scenarios \(0 deleted\), (\d+) revisions, \d+ bytes\n$`)
	var backups []string
	for i := range 3 {
		waitSaved(int64(5 + 10*i))
		out := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		args := []string{"backup", "-o", out}
		if i == 0 {
			args = append(args, "--db", db)
		} else {
			t.Setenv(storeopen.Env, db) // the same setting, from the environment
		}
		code, stdout, errOut := runCLI(t, "", args...)
		if code != 0 || !report.MatchString(stdout) {
			t.Fatalf("backup: got exit %d, %q, %q", code, stdout, errOut)
		}
		backups = append(backups, out)
	}
	close(stop)
	wg.Wait()

	ctx := context.Background()
	for _, path := range backups {
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatalf("open the backup %s: %v", path, err)
		}
		sc, err := st.Get(ctx, "backup")
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		infos, err := st.Revisions(ctx, "backup")
		last := int(saved.Load()) + 1 // a save may have been under way
		want := bytes.Replace(scenario, []byte(`"hr_capacity": 0`), []byte(fmt.Sprintf(`"hr_capacity": %d`, (sc.Revision+1)%2)), 1)
		if err != nil || len(infos) != sc.Revision || sc.Revision > last || !bytes.Equal(sc.Body, want) {
			t.Errorf("%s: revision %d, %d revisions (%v); want 1..current, at most %d", path, sc.Revision, len(infos), err, last)
		}
		t.Logf("%s: revision %d; the clients saved %d", filepath.Base(path), sc.Revision, saved.Load())
		if _, err := st.Get(ctx, data.DemoID); err != nil {
			t.Errorf("%s: the demo: %v", path, err)
		}
		st.Close()
	}
}

func TestBackupUsage(t *testing.T) {
	t.Setenv(storeopen.Env, "")
	dir := t.TempDir()
	db := filepath.Join(dir, "grantplan.db")
	openSQLite(t, db)
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("an earlier backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		env       string
		args      []string
		wantCode  int
		wantError string
	}{
		{"no output", "", []string{"backup", "--db", db}, 2, "backup needs -o FILE"},
		{"argument", "", []string{"backup", "--db", db, "-o", filepath.Join(dir, "b.db"), "extra"}, 2, "no arguments"},
		{"existing output", "", []string{"backup", "--db", db, "-o", existing}, 1, "exists; a backup goes to a new file"},
		{"missing database", "", []string{"backup", "--db", filepath.Join(dir, "missing.db"), "-o", filepath.Join(dir, "b.db")}, 1, "no such file"},
		{"PostgreSQL", "", []string{"backup", "--db", "postgres://grantplan:secret@db.example/grantplan", "-o", filepath.Join(dir, "b.db")}, 2,
			"postgres://grantplan:xxxxx@db.example/grantplan is a PostgreSQL database: back it up with pg_dump"},
		{"PostgreSQL from the environment", "postgresql://grantplan:secret@db.example/grantplan", []string{"backup", "-o", filepath.Join(dir, "b.db")}, 2,
			"back it up with pg_dump"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(storeopen.Env, tt.env)
			code, _, errOut := runCLI(t, "", tt.args...)
			if code != tt.wantCode || !strings.Contains(errOut, tt.wantError) || strings.Contains(errOut, "secret") {
				t.Errorf("got exit %d and %q, want %d and %q without the password", code, errOut, tt.wantCode, tt.wantError)
			}
		})
	}
	if got, _ := os.ReadFile(existing); string(got) != "an earlier backup" {
		t.Errorf("the existing file changed: %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.db")); err == nil {
		t.Error("a refused backup wrote a file")
	}
}
