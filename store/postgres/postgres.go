// Package postgres is the storage backend for shared deployments: several
// grantplan instances on one PostgreSQL database (github.com/jackc/pgx/v5
// through its database/sql adapter). It implements store.Store; the
// package store states what each method promises, and store/storetest
// checks it.
//
// The schema holds the contract's promises itself, as the SQLite
// backend's does: triggers refuse to change or remove a revision, to
// remove a scenario row (a delete sets deleted_at) and to move a
// scenario's current revision other than one step forward. The schema
// comes from the numbered migrations in migrations/, which Open runs
// under an advisory lock, so that instances starting at once do not race.
//
// # Concurrency
//
// Transactions run at PostgreSQL's default isolation, READ COMMITTED, and
// each write is one statement. Update and Delete change the scenario's
// row only WHERE its revision is the If-Match, which locks the row: of
// several writers with one If-Match, the first to lock it wins; the
// others wait for its commit, find the row at the new revision, no longer
// matching, and change nothing, so they fail with a precondition error,
// as the contract wants, and nothing needs retrying. SERIALIZABLE would
// give the same outcome by aborting the losers with serialization
// failures, which every write would then have to retry and map, and which
// it may also raise for writers of different scenarios. Create inserts
// with ON CONFLICT DO NOTHING: a second writer of one id waits for the
// first's commit and then inserts nothing. Reads are single statements,
// each of which sees one state of the database.
//
// Times come from the database's clock (clock_timestamp()), so that the
// revisions written by several instances are ordered by one clock, and
// are kept to the microsecond, as PostgreSQL keeps them.
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"

	"grantplan/store"
	"grantplan/store/internal/sqlstore"
)

// Store keeps scenarios, every revision of them and their key figures in
// a PostgreSQL database. It is safe for concurrent use, also by several
// processes sharing the database.
type Store struct {
	db *sql.DB
	// where names the database without its password, for messages.
	where string
}

var _ store.Store = (*Store)(nil)

// Connection pool defaults, each overridden by the URL parameter named
// beside it. Ten connections per instance leave room for several
// instances within PostgreSQL's default max_connections (100); idle ones
// are closed after five minutes, and every one after half an hour, so
// that a failover or a connection pooler's rebalancing reaches all of
// them.
const (
	defaultMaxConns        = 10               // pool_max_conns
	defaultMaxIdleConns    = 10               // pool_max_idle_conns
	defaultMaxConnLifetime = 30 * time.Minute // pool_max_conn_lifetime
	defaultMaxConnIdleTime = 5 * time.Minute  // pool_max_conn_idle_time
)

// Session defaults, set on every connection unless the URL sets them
// (any PostgreSQL setting can be given as a URL parameter, e.g.
// ?statement_timeout=30s).
//
//   - statement_timeout: no statement of the store takes more than a few
//     milliseconds; one that runs for 10 s is stuck behind a lock or on a
//     sick server, and is cancelled rather than holding a connection.
//   - lock_timeout: a write waits at most 5 s for another writer's row
//     lock, which is held for the few milliseconds of one write.
//   - idle_in_transaction_session_timeout: a transaction left open for a
//     minute (a bug, or a client that went away) is ended, releasing its
//     locks.
//   - application_name: shows grantplan in pg_stat_activity.
var sessionDefaults = map[string]string{
	"statement_timeout":                   "10s",
	"lock_timeout":                        "5s",
	"idle_in_transaction_session_timeout": "60s",
	"application_name":                    "grantplan",
}

// defaultConnectTimeout bounds connecting, unless the URL's
// connect_timeout says otherwise.
const defaultConnectTimeout = 10 * time.Second

// Open connects to the PostgreSQL database at the URL
// (postgres://user:password@host:port/database?param=value…) and brings
// its schema up to date. Besides pgx's parameters (sslmode, search_path,
// connect_timeout, any PostgreSQL setting) the URL may set the pool's
// pool_max_conns, pool_max_idle_conns, pool_max_conn_lifetime and
// pool_max_conn_idle_time (durations as "30m"). pgx also reads the
// libpq environment (PGPASSWORD, PGHOST, …) and ~/.pgpass. The database
// must be in UTF-8, and the schema the tables go in (the first of
// search_path) must exist.
//
// Messages name the database by its URL without the password.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	migrations, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	return open(ctx, rawURL, migrations)
}

// open is Open with the migrations given, so tests can add their own.
func open(ctx context.Context, rawURL string, migrations []sqlstore.Migration) (*Store, error) {
	where := Redact(rawURL)
	db, err := openDB(rawURL)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", where, err)
	}
	s := &Store{db: db, where: where}
	if err := s.check(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", where, withContext(ctx, err))
	}
	if err := migrate(ctx, db, migrations); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", where, withContext(ctx, err))
	}
	return s, nil
}

// openDB makes the connection pool for the URL; it does not connect.
func openDB(rawURL string) (*sql.DB, error) {
	connString, pool, err := poolSettings(rawURL)
	if err != nil {
		return nil, err
	}
	config, err := pgx.ParseConfig(connString)
	if err != nil {
		// pgx's message names the URL without its password.
		return nil, err
	}
	for name, value := range sessionDefaults {
		if _, ok := config.RuntimeParams[name]; !ok {
			config.RuntimeParams[name] = value
		}
	}
	if config.ConnectTimeout == 0 {
		config.ConnectTimeout = defaultConnectTimeout
	}
	// A canceled context sends PostgreSQL a cancel request, which stops
	// the statement (and releases its locks) at once; pgx's default would
	// close the connection and leave the server to notice later. If the
	// server does not answer within a second, the connection is closed.
	config.BuildContextWatcherHandler = func(conn *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: conn, DeadlineDelay: time.Second}
	}
	db := stdlib.OpenDB(*config)
	db.SetMaxOpenConns(pool.maxConns)
	db.SetMaxIdleConns(pool.maxIdleConns)
	db.SetConnMaxLifetime(pool.maxConnLifetime)
	db.SetConnMaxIdleTime(pool.maxConnIdleTime)
	return db, nil
}

// pool holds the connection pool's settings.
type pool struct {
	maxConns, maxIdleConns           int
	maxConnLifetime, maxConnIdleTime time.Duration
}

// poolSettings takes the pool_* parameters out of the URL, which pgx
// would otherwise send to PostgreSQL as settings, and returns the rest of
// the URL and the pool's settings. It works on the query string alone, so
// that URLs naming several hosts (host1,host2), which net/url does not
// read, pass through.
func poolSettings(rawURL string) (string, pool, error) {
	p := pool{
		maxConns:        defaultMaxConns,
		maxIdleConns:    defaultMaxIdleConns,
		maxConnLifetime: defaultMaxConnLifetime,
		maxConnIdleTime: defaultMaxConnIdleTime,
	}
	base, rawQuery, found := strings.Cut(rawURL, "?")
	if !found {
		return rawURL, p, nil
	}
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", pool{}, fmt.Errorf("URL parameters: %w", err)
	}
	counts := []struct {
		name string
		to   *int
	}{{"pool_max_conns", &p.maxConns}, {"pool_max_idle_conns", &p.maxIdleConns}}
	for _, c := range counts {
		if !query.Has(c.name) {
			continue
		}
		n, err := strconv.Atoi(query.Get(c.name))
		if err != nil || n < 1 {
			return "", pool{}, fmt.Errorf("URL parameter %s=%q: want a whole number of 1 or more", c.name, query.Get(c.name))
		}
		*c.to = n
		query.Del(c.name)
	}
	durations := []struct {
		name string
		to   *time.Duration
	}{{"pool_max_conn_lifetime", &p.maxConnLifetime}, {"pool_max_conn_idle_time", &p.maxConnIdleTime}}
	for _, d := range durations {
		if !query.Has(d.name) {
			continue
		}
		v, err := time.ParseDuration(query.Get(d.name))
		if err != nil || v <= 0 {
			return "", pool{}, fmt.Errorf("URL parameter %s=%q: want a duration such as 30m", d.name, query.Get(d.name))
		}
		*d.to = v
		query.Del(d.name)
	}
	if len(query) == 0 {
		return base, p, nil
	}
	return base + "?" + query.Encode(), p, nil
}

// check connects and refuses a database the store cannot work in.
func (s *Store) check(ctx context.Context) error {
	var encoding string
	if err := s.db.QueryRowContext(ctx, "SHOW server_encoding").Scan(&encoding); err != nil {
		return err
	}
	if encoding != "UTF8" {
		return fmt.Errorf("the database's encoding is %s, and grantplan needs UTF8 "+
			"(CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0)", encoding)
	}
	return nil
}

// Redact returns the URL with its password, whether in the user
// information or a password parameter, replaced by "xxxxx", for messages
// and logs. A string that net/url cannot read is not shown at all.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Opaque != "" {
		// err would quote the URL.
		return "(a database URL that cannot be read)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	if u.RawQuery != "" {
		query, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			u.RawQuery = "(parameters that cannot be read)"
		} else {
			for _, name := range []string{"password", "sslpassword"} {
				if query.Has(name) {
					query.Set(name, "xxxxx")
				}
			}
			u.RawQuery = query.Encode()
		}
	}
	return u.String()
}

// Close closes the connections.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close %s: %w", s.where, err)
	}
	return nil
}

// Ping reports whether the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return wrap(ctx, "ping "+s.where, "", err)
	}
	return nil
}

// PingWrite reports whether the database takes writes: not a standby nor
// a database or session set to read only. (A full disk shows only when a
// write fails; it is store.Full then.)
func (s *Store) PingWrite(ctx context.Context) error {
	var readOnly string
	if err := s.db.QueryRowContext(ctx, "SHOW transaction_read_only").Scan(&readOnly); err != nil {
		return wrap(ctx, "check writes to "+s.where, "", err)
	}
	if readOnly == "on" {
		return store.ReadOnly(s.where + " takes no writes (a standby, or default_transaction_read_only)")
	}
	return nil
}
