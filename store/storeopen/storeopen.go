// Package storeopen opens the store that a --db setting names: a SQLite
// file by its path, or a PostgreSQL database by its URL. Every command
// that opens the store goes through it, so that all of them take the same
// settings.
package storeopen

import (
	"context"
	"fmt"
	"os"
	"strings"

	"grantplan/store"
	"grantplan/store/postgres"
	"grantplan/store/sqlite"
)

// Env names the environment variable that gives the database when --db
// is not given, so that a PostgreSQL password need not be on a command
// line (where other users of the machine can read it).
const Env = "GRANTPLAN_DB"

// DefaultPath is the SQLite file used when neither --db nor GRANTPLAN_DB
// is given.
const DefaultPath = "./grantplan.db"

// Kind is the backend a database setting names.
type Kind int

const (
	SQLite Kind = iota
	PostgreSQL
)

// KindOf returns the backend dsn names: PostgreSQL for a URL starting
// postgres:// or postgresql://, SQLite for anything else, a file path.
func KindOf(dsn string) Kind {
	lower := strings.ToLower(dsn)
	if strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://") {
		return PostgreSQL
	}
	return SQLite
}

// DSN returns the database to use: flag if given, else the environment's
// GRANTPLAN_DB, else DefaultPath.
func DSN(flag string) string {
	if flag != "" {
		return flag
	}
	if env := os.Getenv(Env); env != "" {
		return env
	}
	return DefaultPath
}

// Open opens the store dsn names, creating a SQLite file that does not
// exist, and brings its schema up to date. Another URL scheme
// (mysql://…) is refused rather than taken for a file name.
func Open(ctx context.Context, dsn string) (Store, error) {
	return OpenWith(ctx, dsn, Options{})
}

// Options configure the store Open opens.
type Options struct {
	// MaxSize bounds a SQLite file, in bytes (sqlite.Options.MaxSize); 0
	// means no bound. A PostgreSQL database is bounded by its server.
	MaxSize int64
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, opts Options) (Store, error) {
	switch KindOf(dsn) {
	case PostgreSQL:
		return postgres.Open(ctx, dsn)
	default:
		if scheme, _, ok := strings.Cut(dsn, "://"); ok && !strings.ContainsAny(scheme, `/\.`) {
			return nil, fmt.Errorf("store: open %s: not a database grantplan knows: "+
				"give a SQLite file's path or a postgres:// URL", Redact(dsn))
		}
		return sqlite.OpenWith(ctx, dsn, sqlite.Options{MaxSize: opts.MaxSize})
	}
}

// Store is what both backends are: a store.Store that store.Copy can
// read and write.
type Store interface {
	store.Store
	store.Transferer
}

// Redact returns dsn as messages and logs may show it: a path as it is,
// a URL without its password.
func Redact(dsn string) string {
	if _, _, ok := strings.Cut(dsn, "://"); ok {
		return postgres.Redact(dsn)
	}
	return dsn
}
