package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"

	"grantplan/store/internal/sqlstore"
)

// migrationFiles holds the schema changes, one numbered file each
// (0001_init.sql, 0002_….sql). A file, once released, is never edited: a
// database that has run it will not run it again. Changes go in a new file.
// The numbers are PostgreSQL's own; they need not match SQLite's.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// loadMigrations returns the embedded migrations in order and checks that
// they are numbered 1, 2, 3, … without gaps or repeats.
func loadMigrations() ([]sqlstore.Migration, error) {
	return sqlstore.LoadMigrations(migrationFiles)
}

// versionTable records the migrations a schema has run, one row each,
// with when it ran.
const versionTable = "grantplan_migrations"

// ErrSchemaTooNew is returned by Open for a database whose schema a newer
// grantplan has migrated past what this one knows.
var ErrSchemaTooNew = errors.New("schema too new")

// migrate runs the migrations that the schema has not run yet.
//
// It holds a session-level advisory lock for the whole run, on one
// connection, so that of several instances starting at once one migrates
// and the others wait and then find nothing left to do. The lock's key is
// made from the schema's name, so that stores in different schemas of
// one database do not wait for each other. Each migration runs in its own
// transaction together with the row that records it, so a failed
// migration leaves neither a half-changed schema nor a record claiming it
// ran. Waiting for the lock and migrating are bounded by ctx, not by the
// statement timeout, since another instance's migration may take longer.
func migrate(ctx context.Context, db *sql.DB, migrations []sqlstore.Migration) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	// The connection is closed afterwards, not put back in the pool:
	// ending the session releases the lock and drops the setting below,
	// also when a canceled context left it unclear whether the lock was
	// taken.
	defer conn.Raw(func(any) error { return driver.ErrBadConn })

	var schema sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return fmt.Errorf("read the schema: %w", err)
	}
	if !schema.Valid {
		return errors.New("no schema of the search_path exists: create it (CREATE SCHEMA …) or name one that does")
	}
	if _, err := conn.ExecContext(ctx, "SET statement_timeout = 0"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey(schema.String)); err != nil {
		return fmt.Errorf("wait for the migration lock: %w", err)
	}

	// Made only when missing, so that a schema already up to date is
	// opened without a write, also on a database that takes none (a
	// standby), whose reads are then served.
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT to_regclass($1) IS NOT NULL", versionTable).Scan(&exists); err != nil {
		return fmt.Errorf("look for the migrations table: %w", err)
	}
	if !exists {
		if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+versionTable+` (
			version integer     NOT NULL PRIMARY KEY,
			name    text        NOT NULL,
			applied timestamptz NOT NULL DEFAULT clock_timestamp()
		)`); err != nil {
			return fmt.Errorf("make the migrations table: %w", err)
		}
	}
	var version int
	if err := conn.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM "+versionTable).Scan(&version); err != nil {
		return fmt.Errorf("read the schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("%w: schema %q is at version %d, and this grantplan knows versions up to %d: "+
			"run the grantplan that migrated it, or a newer one", ErrSchemaTooNew, schema.String, version, len(migrations))
	}
	for _, m := range migrations[version:] {
		if err := runMigration(ctx, conn, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// runMigration runs m and records it in one transaction.
func runMigration(ctx context.Context, conn *sql.Conn, m sqlstore.Migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+versionTable+" (version, name) VALUES ($1, $2)", m.Version, m.Name); err != nil {
		return err
	}
	return tx.Commit()
}

// lockKey is the advisory lock of the migrations of one schema.
func lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("grantplan migrations\x00" + schema))
	return int64(h.Sum64())
}
