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
//
// # Faults
//
// Every write goes through one connection, one at a time, so that writers
// of this process queue here instead of racing for SQLite's lock; a write
// that cannot get its turn within Options.WriteWait (the file locked by
// another process, or a queue of writers) fails as busy. SQLite's own
// failures become the contract's errors: a busy or locked file is
// store.Busy, a read-only file store.ReadOnly (reads go on), a full disk
// or the size limit store.Full, a damaged file store.Damaged.
//
// Open checks the file with PRAGMA quick_check and refuses a damaged one,
// saying how to restore a backup. Each revision is stored with a SHA-256
// checksum of its id, number, name and body, verified on every read, so
// that damage inside a body is reported as damage and not served or
// blamed on the user. Bodies of 512 bytes or more are stored compressed
// (deflate); revisions stored before that are read as they are.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	sqlitedriver "modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"grantplan/planner"
	"grantplan/store"
	"grantplan/store/internal/sqlstore"
)

// Options configure a Store; the zero value is a store without a size
// limit.
type Options struct {
	// MaxSize bounds the database file, in bytes: a write that would grow
	// it past that fails with store.Full. 0 means no bound but the disk.
	MaxSize int64
	// WriteWait bounds how long a write waits for the other writes of this
	// process, and again for a lock another process holds, before it fails
	// with store.Busy: 0 means DefaultWriteWait.
	WriteWait time.Duration
}

// DefaultWriteWait is how long a write waits for the writers before it,
// unless Options say otherwise. A write takes milliseconds, so this is a
// queue of hundreds, or a lock held by another process.
const DefaultWriteWait = 5 * time.Second

// Store keeps scenarios, every revision of them and their key figures in
// one SQLite file. It is safe for concurrent use, also by several
// processes opening the same file.
type Store struct {
	path string
	// db reads: a pool of connections, each in a read-only transaction
	// on a snapshot of the file (WAL), none waiting for a writer.
	db *sql.DB
	// writer is the one connection every write goes through; writeTurn
	// hands it to one write at a time, and writeWait bounds the wait.
	writer    *sql.DB
	writeTurn chan struct{}
	writeWait time.Duration
	maxPages  int64 // the size limit in pages; 0 for none
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
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with options. It refuses a file that fails SQLite's
// quick check, and a directory it cannot write (SQLite keeps its
// write-ahead log beside the file and cannot read the file without it),
// saying why and what to do.
func OpenWith(ctx context.Context, path string, opts Options) (*Store, error) {
	migrations, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	return open(ctx, path, migrations, opts)
}

// open is OpenWith with the migrations given, so tests can add their own.
func open(ctx context.Context, path string, migrations []sqlstore.Migration, opts Options) (*Store, error) {
	s, err := connect(ctx, path, opts)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := s.prepare(ctx, migrations); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// connect opens the readers' pool and the writer's connection.
func connect(ctx context.Context, path string, opts Options) (*Store, error) {
	s := &Store{path: path, writeTurn: make(chan struct{}, 1), writeWait: opts.WriteWait, now: time.Now}
	if s.writeWait <= 0 {
		s.writeWait = DefaultWriteWait
	}
	dsn, err := dataSourceName(path, s.writeWait)
	if err != nil {
		return nil, err
	}
	createOwnerOnly(path)
	if s.db, err = sql.Open("sqlite", dsn); err != nil {
		return nil, err
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.Close()
		return nil, explainOpen(path, err)
	}
	writerDSN := dsn
	if opts.MaxSize > 0 {
		// SQLite refuses, with SQLITE_FULL, to grow the file past
		// max_page_count pages. It does not set the limit below the file's
		// size: such a file takes no more growth, which the answer to the
		// first write says.
		var pageSize int64
		if err := s.db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
			s.Close()
			return nil, explainOpen(path, err)
		}
		s.maxPages = max(1, opts.MaxSize/pageSize)
		writerDSN += fmt.Sprintf("&_pragma=max_page_count(%d)", s.maxPages)
	}
	if s.writer, err = sql.Open("sqlite", writerDSN); err != nil {
		s.Close()
		return nil, err
	}
	s.writer.SetMaxOpenConns(1)
	// The one connection stays open, so that a write does not pay for
	// opening a new one.
	s.writer.SetMaxIdleConns(1)
	return s, nil
}

// prepare checks the file and brings its schema up to date.
func (s *Store) prepare(ctx context.Context, migrations []sqlstore.Migration) error {
	if err := quickCheck(ctx, s.db); err != nil {
		return explainOpen(s.path, err)
	}
	if err := migrate(ctx, s.writer, migrations); err != nil {
		return explainOpen(s.path, err)
	}
	if len(migrations) < checksumsVersion {
		return nil // a test's older schema
	}
	if err := s.addChecksums(ctx); err != nil {
		return explainOpen(s.path, err)
	}
	return nil
}

// errDamagedFile is what Open says of a file that fails the quick check.
var errDamagedFile = errors.New("the database file is damaged")

// quickCheck runs PRAGMA quick_check, which reads every page of the file
// and checks its structure (not the indexes against the tables, which
// integrity_check does at many times the cost).
func quickCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check(20)")
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, strings.ReplaceAll(line, "\n", " "))
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: quick_check: %s", errDamagedFile, strings.Join(problems, "; "))
	}
	return nil
}

// explainOpen says why a file cannot be opened, and what to do, for the
// failures an administrator can fix.
func explainOpen(path string, err error) error {
	dir := filepath.Dir(path)
	switch {
	case sqliteCode(err) == sqlite3.SQLITE_CORRUPT, sqliteCode(err) == sqlite3.SQLITE_NOTADB:
		err = fmt.Errorf("%w: %w", errDamagedFile, err)
		fallthrough
	case errors.Is(err, errDamagedFile):
		return fmt.Errorf("%w; restore it from a backup: stop every grantplan using it, copy the backup over %s, "+
			"remove %s-wal and %s-shm if they exist, and start again (docs/deployment.md, Backups)", err, path, path, path)
	case sqliteExtendedCode(err) == sqlite3.SQLITE_READONLY_DIRECTORY, sqliteCode(err) == sqlite3.SQLITE_CANTOPEN && !writable(dir):
		return fmt.Errorf("%w: the directory %s cannot be written, and SQLite keeps its write-ahead log (%s-wal, %s-shm) "+
			"beside the database and cannot even read it without them; make the directory writable for the user running grantplan, "+
			"or copy the database to one that is", err, dir, filepath.Base(path), filepath.Base(path))
	case sqliteCode(err) == sqlite3.SQLITE_READONLY:
		return fmt.Errorf("%w: the database file is read-only and its schema must be brought up to date before it can be served; "+
			"make %s writable for the user running grantplan once", err, path)
	}
	return err
}

// writable reports whether the directory dir can be written by this
// process, by creating and removing a file there.
func writable(dir string) bool {
	f, err := os.CreateTemp(dir, ".grantplan-probe-*")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

// createOwnerOnly creates the database file at path, empty, readable and
// writable by its owner only, unless it exists (or cannot be made, which
// SQLite then explains): it holds the password hashes and the server's
// secret. SQLite would create it with 0644 less the umask, readable by
// every user of the machine, and it gives the write-ahead log and its
// index the database file's mode.
func createOwnerOnly(path string) {
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	}
}

// dataSourceName returns the DSN for the file at path. The settings are in
// the DSN, not run once after opening, because database/sql opens
// connections as it needs them and each one must have them:
//
//   - foreign_keys(1): SQLite does not enforce foreign keys unless asked to,
//     per connection.
//   - busy_timeout: a connection that finds the database locked (by
//     another process: this one has one writer) waits up to the write wait
//     (five seconds by default) instead of failing with SQLITE_BUSY at once.
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
func dataSourceName(path string, busyTimeout time.Duration) (string, error) {
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
		fmt.Sprintf("&_pragma=busy_timeout(%d)", busyTimeout.Milliseconds()) +
		"&_pragma=journal_mode(WAL)" +
		"&_txlock=immediate", nil
}

// Close closes the database file.
func (s *Store) Close() error {
	var errs []error
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	if s.writer != nil {
		errs = append(errs, s.writer.Close())
	}
	if err := errors.Join(errs...); err != nil {
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
		return s.failure("ping", "", err)
	}
	return nil
}

// minFree is the room a store needs to be called writable: a few
// revisions of the usual size, compressed.
const minFree = 256 << 10

// probeWait is how long PingWrite waits for another process's lock.
const probeWait = 200 * time.Millisecond

// PingWrite reports whether the database file can be written now: it
// takes the writer's turn, begins a write and rolls it back, and checks
// that the size limit and the disk leave room. A store whose writers are
// all busy is writable; one that is read-only or full is not.
func (s *Store) PingWrite(ctx context.Context) error {
	if free, ok := diskFree(filepath.Dir(s.path)); ok && free < minFree {
		return store.Full(fmt.Sprintf("the disk holding %s has %d bytes free", s.path, free))
	}
	select {
	case s.writeTurn <- struct{}{}:
	default:
		return nil // a write is under way
	}
	defer func() { <-s.writeTurn }()
	conn, err := s.writer.Conn(ctx)
	if err != nil {
		return s.failure("check writes", "", err)
	}
	defer conn.Close()
	if s.maxPages > 0 {
		var pages, freePages, pageSize int64
		if err := conn.QueryRowContext(ctx, "SELECT page_count, freelist_count, page_size FROM pragma_page_count, pragma_freelist_count, pragma_page_size").
			Scan(&pages, &freePages, &pageSize); err != nil {
			return s.failure("check writes", "", err)
		}
		if (s.maxPages-pages+freePages)*pageSize < minFree {
			return store.Full(s.limitReached())
		}
	}
	// A write that is rolled back reaches no disk, but SQLite checks
	// that the file may be written when it begins one. It waits briefly
	// for another process's lock, so that a health check does not hang.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", probeWait.Milliseconds())); err != nil {
		return s.failure("check writes", "", err)
	}
	defer conn.ExecContext(context.Background(), fmt.Sprintf("PRAGMA busy_timeout = %d", s.writeWait.Milliseconds()))
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.failure("check writes", "", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE scenarios SET revision = revision WHERE 0"); err != nil {
		return s.failure("check writes", "", err)
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = user_version"); err != nil {
		return s.failure("check writes", "", err)
	}
	return nil
}

// limitReached says that the size limit is reached.
func (s *Store) limitReached() string {
	return fmt.Sprintf("the database %s has reached its size limit (serve --max-db-size)", s.path)
}

// write runs f in a write transaction on the writer's connection, once it
// has its turn, and commits.
func (s *Store) write(ctx context.Context, op, id string, f func(tx *sql.Tx) error) error {
	timer := time.NewTimer(s.writeWait)
	defer timer.Stop()
	select {
	case s.writeTurn <- struct{}{}:
	case <-timer.C:
		return store.Busy(op)
	case <-ctx.Done():
		return fmt.Errorf("store: %s %s: %w", op, id, ctx.Err())
	}
	defer func() { <-s.writeTurn }()
	return s.transact(ctx, s.writer, nil, op, id, f)
}

// read runs f in a read-only transaction on a snapshot of the file.
func (s *Store) read(ctx context.Context, op, id string, f func(tx *sql.Tx) error) error {
	return s.transact(ctx, s.db, readOnly, op, id, f)
}

// transact runs f in a transaction of db begun with opts and commits it;
// each error is the operation's failure.
func (s *Store) transact(ctx context.Context, db *sql.DB, opts *sql.TxOptions, op, id string, f func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return s.failure(op, id, err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return s.failure(op, id, err)
	}
	if err := tx.Commit(); err != nil {
		return s.failure(op, id, err)
	}
	return nil
}

// failure turns an error of an operation into the contract's: a
// *planner.Error goes back as it is (its message is written for the user
// and its kind picks the status); SQLite's busy, read-only, full and
// damaged results become store.Busy, store.ReadOnly, store.Full and a
// damaged store; anything else is unexpected and gets the operation's
// context.
func (s *Store) failure(op, id string, err error) error {
	var domainErr *planner.Error
	if errors.As(err, &domainErr) {
		return err
	}
	switch sqliteCode(err) {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return store.Busy(op)
	case sqlite3.SQLITE_READONLY:
		return store.ReadOnly(s.path + " cannot be written")
	case sqlite3.SQLITE_FULL:
		// The limit, unless the disk is nearly full too.
		if free, ok := diskFree(filepath.Dir(s.path)); s.maxPages > 0 && (!ok || free >= minFree) {
			return store.Full(s.limitReached())
		}
		return store.Full(fmt.Sprintf("the disk holding %s is full", s.path))
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return planner.Errorf(planner.KindDamaged,
			"the database file %s is damaged (%v): restore it from a backup", s.path, err)
	}
	if id == "" {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	return fmt.Errorf("store: %s %s: %w", op, id, err)
}

// sqliteCode is the primary result code of a SQLite error, 0 for another.
func sqliteCode(err error) int { return sqliteExtendedCode(err) & 0xff }

// sqliteExtendedCode is the extended result code of a SQLite error.
func sqliteExtendedCode(err error) int {
	var e *sqlitedriver.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
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
