// Package sqlite is the embedded storage backend: scenarios, every
// revision of them and their key figures in one SQLite file
// (modernc.org/sqlite, no cgo). It implements store.Store; the package
// store states what each method promises, and store/storetest checks it.
//
// The schema holds the contract's promises itself, against a bug here and
// against anyone editing the file with the sqlite3 shell: triggers refuse
// to change or remove a revision, to remove a scenario row (a delete sets
// deleted_at) and to move a scenario's current revision other than one
// step forward. The schema comes from the numbered migrations in
// migrations/, which Open runs.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	sqlitedriver "modernc.org/sqlite" // registers the "sqlite" driver

	"grantplan/store"
)

// Store keeps scenarios, every revision of them and their key figures in
// one SQLite file. It is safe for concurrent use, also by several
// processes opening the same file.
type Store struct {
	db *sql.DB
	// now is the clock that stamps revisions; tests may replace it.
	now func() time.Time
}

var _ store.Store = (*Store)(nil)

// foldFunction is store.Fold as an SQL function, for List's query: SQLite's
// own lower() and LIKE fold ASCII letters only, and a county's names are
// full of umlauts. The driver gives every connection it opens the
// functions registered on it.
const foldFunction = "grantplan_fold"

func init() {
	sqlitedriver.MustRegisterDeterministicScalarFunction(foldFunction, 1,
		func(_ *sqlitedriver.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return store.Fold(v), nil
			case []byte:
				return store.Fold(string(v)), nil
			default:
				return v, nil
			}
		})
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
	if err := createOwnerOnly(path); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
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

// createOwnerOnly creates the database file at path, empty, readable and
// writable by its owner only, unless it exists: it holds the password
// hashes and the server's secret. SQLite would create it with 0644 less
// the umask, readable by every user of the machine, and it gives the
// write-ahead log and its index the database file's mode.
func createOwnerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
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
