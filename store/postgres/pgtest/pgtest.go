// Package pgtest gives each test a PostgreSQL schema of its own, in the
// database that GRANTPLAN_TEST_POSTGRES names, so that tests of the
// PostgreSQL store are independent and may run in parallel.
//
// Without GRANTPLAN_TEST_POSTGRES the tests skip, saying how to run them
// (scripts/pg-test-cluster.sh makes a throw-away cluster; make test-pg
// runs the tests with one), except in CI (CI=true), where they fail: CI
// starts a cluster and must not pass without having run them.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Env names the environment variable that holds the URL of the test
// database (postgres://user:password@host:port/database).
const Env = "GRANTPLAN_TEST_POSTGRES"

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// BaseURL returns the URL in GRANTPLAN_TEST_POSTGRES. It skips the test
// when that is not set, or fails it in CI.
func BaseURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(Env)
	if base != "" {
		return base
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s is not set: CI must run the PostgreSQL tests (.ci/run starts a cluster with scripts/pg-test-cluster.sh)", Env)
	}
	tb.Skipf("PostgreSQL tests skipped: set %s=postgres://user:password@host:port/database "+
		"(scripts/pg-test-cluster.sh start makes a throw-away cluster and prints its URL), or run make test-pg", Env)
	return ""
}

// URL returns the URL of the test database with search_path set to a new,
// empty schema, which is dropped with everything in it when the test ends.
func URL(tb testing.TB) string {
	tb.Helper()
	schema := NewSchema(tb)
	return WithSchema(tb, BaseURL(tb), schema)
}

// NewSchema creates a new, empty schema in the test database, dropped
// with everything in it when the test ends, and returns its name.
func NewSchema(tb testing.TB) string {
	tb.Helper()
	db := adminDB(tb)
	schema := "grantplan_test_" + randomHex(8)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema %s: %v", schema, err)
	}
	tb.Cleanup(func() {
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// WithSchema returns rawURL with search_path set to schema.
func WithSchema(tb testing.TB, rawURL, schema string) string {
	tb.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		tb.Fatalf("%s: not a URL", Env)
	}
	query := u.Query()
	query.Set("search_path", schema)
	u.RawQuery = query.Encode()
	return u.String()
}

// adminDB is the connection pool the helpers create and drop schemas with.
func adminDB(tb testing.TB) *sql.DB {
	tb.Helper()
	base := BaseURL(tb)
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", base)
		if adminErr == nil {
			admin.SetMaxOpenConns(2)
			adminErr = admin.Ping()
		}
	})
	if adminErr != nil {
		tb.Fatalf("connect to %s: %v", Env, adminErr)
	}
	return admin
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// A Cluster is a PostgreSQL cluster of one test's own, made by
// scripts/pg-test-cluster.sh, which the test may stop and start again:
// a database that goes away while it is used.
type Cluster struct {
	// URL names the cluster's database.
	URL    string
	dir    string
	script string
}

// NewCluster makes and starts a cluster of the test's own, removed when
// the test ends. It takes a few seconds. Like BaseURL it skips the test
// without GRANTPLAN_TEST_POSTGRES (or fails it in CI): where that is set,
// PostgreSQL's programs are installed.
func NewCluster(tb testing.TB) *Cluster {
	tb.Helper()
	BaseURL(tb)
	script, err := clusterScript()
	if err != nil {
		tb.Fatal(err)
	}
	// Directly in the temporary directory, not in the test's: run as
	// root, the script runs PostgreSQL as another user, who must reach it.
	dir, err := os.MkdirTemp("", "grantplan-pg.")
	if err != nil {
		tb.Fatal(err)
	}
	c := &Cluster{dir: dir, script: script}
	out, err := exec.Command(script, "start", dir).Output()
	if err != nil {
		os.RemoveAll(dir)
		tb.Fatalf("%s start: %v: %s", script, err, stderrOf(err))
	}
	tb.Cleanup(func() {
		if out, err := exec.Command(script, "stop", dir).CombinedOutput(); err != nil {
			tb.Errorf("%s stop: %v: %s", script, err, out)
		}
	})
	c.URL = strings.TrimSpace(string(out))
	return c
}

// Down stops the cluster at once, cutting every connection, as a crash
// or a lost server would.
func (c *Cluster) Down(tb testing.TB) {
	tb.Helper()
	if out, err := exec.Command(c.script, "down", c.dir).CombinedOutput(); err != nil {
		tb.Fatalf("%s down: %v: %s", c.script, err, out)
	}
}

// Up starts the cluster again after Down, on the same port.
func (c *Cluster) Up(tb testing.TB) {
	tb.Helper()
	if out, err := exec.Command(c.script, "up", c.dir).CombinedOutput(); err != nil {
		tb.Fatalf("%s up: %v: %s", c.script, err, out)
	}
}

// clusterScript finds scripts/pg-test-cluster.sh in the module the test
// runs in, from the package's directory up.
func clusterScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "scripts", "pg-test-cluster.sh"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("pgtest: no go.mod above the test's directory, so no scripts/pg-test-cluster.sh")
		}
		dir = parent
	}
}

// stderrOf is what a failed command wrote on its standard error.
func stderrOf(err error) string {
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return string(exitErr.Stderr)
	}
	return ""
}
