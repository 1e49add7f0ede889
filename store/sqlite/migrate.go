package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"grantplan/store/internal/sqlstore"
)

// migrationFiles holds the schema changes, one numbered file each
// (0001_init.sql, 0002_….sql). A file, once released, is never edited: a
// database that has run it will not run it again. Changes go in a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// loadMigrations returns the embedded migrations in order and checks that
// they are numbered 1, 2, 3, … without gaps or repeats.
func loadMigrations() ([]sqlstore.Migration, error) {
	return sqlstore.LoadMigrations(migrationFiles)
}

// migrate runs the migrations that the database has not run yet. The
// database records the last one it ran in PRAGMA user_version.
func migrate(ctx context.Context, db *sql.DB, migrations []sqlstore.Migration) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this program's %d", version, len(migrations))
	}
	for _, m := range migrations[version:] {
		if err := runMigration(ctx, db, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// runMigration runs m and sets user_version to its number in one
// transaction, so a failed migration leaves neither a half-changed schema
// nor a version that claims it ran.
func runMigration(ctx context.Context, db *sql.DB, m sqlstore.Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	// Read the version again under the write lock (BEGIN IMMEDIATE, see
	// dataSourceName): another process opening the same file at the same
	// time may have run m already.
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version >= m.Version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	// PRAGMA takes no bound parameters; m.Version is an int.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.Version)); err != nil {
		return err
	}
	return tx.Commit()
}
