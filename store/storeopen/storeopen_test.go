package storeopen

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"grantplan/store/postgres"
	"grantplan/store/postgres/pgtest"
	"grantplan/store/sqlite"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		dsn  string
		want Kind
	}{
		{"./grantplan.db", SQLite},
		{"/var/lib/grantplan/grantplan.db", SQLite},
		{"grantplan.db", SQLite},
		{"postgres://grantplan@db/grantplan", PostgreSQL},
		{"postgresql://grantplan:pw@db:5432/grantplan?sslmode=require", PostgreSQL},
		{"POSTGRES://db/grantplan", PostgreSQL},
		{"postgres.db", SQLite},
	}
	for _, tt := range tests {
		if got := KindOf(tt.dsn); got != tt.want {
			t.Errorf("KindOf(%q): got %d, want %d", tt.dsn, got, tt.want)
		}
	}
}

func TestDSN(t *testing.T) {
	tests := []struct {
		flag, env, want string
	}{
		{"", "", DefaultPath},
		{"", "postgres://db/grantplan", "postgres://db/grantplan"},
		{"other.db", "postgres://db/grantplan", "other.db"},
		{"other.db", "", "other.db"},
	}
	for _, tt := range tests {
		t.Setenv(Env, tt.env)
		if got := DSN(tt.flag); got != tt.want {
			t.Errorf("DSN(%q) with %s=%q: got %q, want %q", tt.flag, Env, tt.env, got, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"./grantplan.db", "./grantplan.db"},
		{"/data/pass:word@x.db", "/data/pass:word@x.db"},
		{"postgres://grantplan:s3cret@db/grantplan", "postgres://grantplan:xxxxx@db/grantplan"},
		{"mysql://u:s3cret@h/db", "mysql://u:xxxxx@h/db"},
	}
	for _, tt := range tests {
		if got := Redact(tt.dsn); got != tt.want {
			t.Errorf("Redact(%q): got %q, want %q", tt.dsn, got, tt.want)
		}
	}
}

func TestOpenSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "grantplan.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok := st.(*sqlite.Store); !ok {
		t.Errorf("Open(%q): got %T, want a SQLite store", path, st)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the file was not made: %v", err)
	}
}

func TestOpenPostgreSQL(t *testing.T) {
	url := pgtest.URL(t)
	st, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok := st.(*postgres.Store); !ok {
		t.Errorf("Open: got %T, want a PostgreSQL store", st)
	}
}

func TestOpenUnknownScheme(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	st, err := Open(context.Background(), "mysql://grantplan:s3cret@db/grantplan")
	if err == nil {
		st.Close()
		t.Fatal("Open of a MySQL URL: got no error")
	}
	if !strings.Contains(err.Error(), "not a database grantplan knows") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("got %q, want it to refuse the URL without showing the password", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("Open made %v", entries)
	}
}
