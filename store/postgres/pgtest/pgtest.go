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
	"net/url"
	"os"
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
