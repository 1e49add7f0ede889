// Package store keeps scenarios and every revision of them in one SQLite
// file.
//
// Revisions are only ever appended. Create stores revision 1 of a scenario,
// and every Update stores the next revision beside the earlier ones; nothing
// rewrites or removes a stored revision, and triggers in the schema refuse
// it even to a bug. A scenario's current revision number is its ETag: Update
// and Delete take the revision the caller last saw and fail with
// planner.KindPrecondition if it is no longer current. Restoring an old
// revision is an Update with that revision's body, which again appends.
//
// Delete is a soft delete. It marks the scenario as deleted; from then on
// List leaves it out, and Get, Update, Delete, Revisions and Revision report
// it as not found. Its revisions stay in the file, because decisions about
// public money need an audit trail, and its id stays taken: Create refuses
// it and UniqueID skips it, so an id that appears in minutes or a saved
// link never comes to mean a different scenario.
//
// The store does not validate scenario JSON; callers decode it with
// planner.Decode first. It stores the bytes exactly as given.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store keeps scenarios and every revision of them in one SQLite file. It is
// safe for concurrent use.
type Store struct {
	db *sql.DB
	// now is the clock that stamps revisions; tests may replace it.
	now func() time.Time
}

// Open opens the store in the SQLite file at path, creating the file if it
// does not exist, and brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	migrations, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	return open(ctx, path, migrations)
}

// open is Open with the migrations given, so tests can add their own.
func open(ctx context.Context, path string, migrations []migration) (*Store, error) {
	dsn, err := dataSourceName(path)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := migrate(ctx, db, migrations); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return &Store{db: db, now: time.Now}, nil
}

// dataSourceName returns the DSN for the file at path. The settings are in
// the DSN, not run once after opening, because database/sql opens
// connections as it needs them and each one must have them:
//
//   - foreign_keys(1): SQLite does not enforce foreign keys unless asked to,
//     per connection.
//   - busy_timeout(5000): a connection that finds the database locked waits
//     up to five seconds instead of failing with SQLITE_BUSY at once.
//   - journal_mode(WAL): readers do not block the writer nor it them.
//   - _txlock=immediate: modernc.org/sqlite then begins write transactions
//     with BEGIN IMMEDIATE, which takes the write lock at the start, where
//     the busy timeout applies. A deferred BEGIN would take it only at the
//     first write, after reading; in WAL mode a transaction whose snapshot
//     is stale by then fails with SQLITE_BUSY at once, whatever the timeout,
//     so concurrent Updates would fail instead of queueing. Read-only
//     transactions (sql.TxOptions.ReadOnly) still begin deferred, so reads
//     never wait for the write lock.
//
// synchronous stays at SQLite's default, FULL: with WAL, NORMAL could lose
// the last committed revisions on a power cut, and a stored revision must
// not be lost.
func dataSourceName(path string) (string, error) {
	// An absolute path keeps the DSN from being read as a URI authority
	// ("file://...") and makes error messages say which file was meant.
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("store: open %s: %w", path, err)
	}
	// SQLite reads "file:" names as URIs: '?' and '#' would end the path and
	// '%' starts an escape.
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(abs))
	return "file:" + escaped +
		"?_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(5000)" +
		"&_pragma=journal_mode(WAL)" +
		"&_txlock=immediate", nil
}

// Close closes the database file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping reports whether the database file can be read.
func (s *Store) Ping(ctx context.Context) error {
	// A query, not db.PingContext, so that a file that has become
	// unreadable is noticed and not just a pooled connection that is open.
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// timeLayout is RFC 3339 with a fixed nine-digit fraction, so that stored
// times sort as text in time order and read back to the nanosecond.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}
