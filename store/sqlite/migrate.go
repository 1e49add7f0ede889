package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// migrationFiles holds the schema changes, one numbered file each
// (0001_init.sql, 0002_….sql). A file, once released, is never edited: a
// database that has run it will not run it again. Changes go in a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// A migration is one numbered schema change.
type migration struct {
	version int // the number in the file name; user_version once it has run
	name    string
	sql     string
}

// loadMigrations returns the embedded migrations in order and checks that
// they are numbered 1, 2, 3, … without gaps or repeats.
func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("store: list migrations: %w", err)
	}
	// fs.Glob returns names in lexical order, which the zero-padded numbers
	// make numeric order.
	migrations := make([]migration, 0, len(names))
	for i, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		number, _, _ := strings.Cut(base, "_")
		version, err := strconv.Atoi(number)
		if err != nil || version != i+1 {
			return nil, fmt.Errorf("store: migration %s: want number %04d", base, i+1)
		}
		text, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", base, err)
		}
		migrations = append(migrations, migration{version: version, name: base, sql: string(text)})
	}
	return migrations, nil
}

// migrate runs the migrations that the database has not run yet. The
// database records the last one it ran in PRAGMA user_version.
func migrate(ctx context.Context, db *sql.DB, migrations []migration) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this program's %d", version, len(migrations))
	}
	for _, m := range migrations[version:] {
		if err := runMigration(ctx, db, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// runMigration runs m and sets user_version to its number in one
// transaction, so a failed migration leaves neither a half-changed schema
// nor a version that claims it ran.
func runMigration(ctx context.Context, db *sql.DB, m migration) error {
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
	if version >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	// PRAGMA takes no bound parameters; m.version is an int.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return err
	}
	return tx.Commit()
}
