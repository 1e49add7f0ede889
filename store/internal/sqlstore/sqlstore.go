// Package sqlstore holds what the SQL backends of package store do alike
// with database/sql: loading their numbered migrations and finding a
// free id among the taken ones a query found. The queries themselves, in
// each backend's dialect, stay in the backends.
package sqlstore

import (
	"database/sql"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"grantplan/store"
)

// A Migration is one numbered schema change.
type Migration struct {
	Version int // the number in the file name
	Name    string
	SQL     string
}

// LoadMigrations returns the migrations in files, migrations/0001_….sql,
// migrations/0002_….sql and so on, in order, and checks that they are
// numbered 1, 2, 3, … without gaps or repeats.
func LoadMigrations(files fs.FS) ([]Migration, error) {
	names, err := fs.Glob(files, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("store: list migrations: %w", err)
	}
	// fs.Glob returns names in lexical order, which the zero-padded numbers
	// make numeric order.
	migrations := make([]Migration, 0, len(names))
	for i, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		number, _, _ := strings.Cut(base, "_")
		version, err := strconv.Atoi(number)
		if err != nil || version != i+1 {
			return nil, fmt.Errorf("store: migration %s: want number %04d", base, i+1)
		}
		text, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", base, err)
		}
		migrations = append(migrations, Migration{Version: version, Name: base, SQL: string(text)})
	}
	return migrations, nil
}

// FreeID reads the ids rows holds, those of base and its numbered
// variants that are taken, closes rows and returns the first of them
// that is free (store.FreeID).
func FreeID(rows *sql.Rows, base string) (string, error) {
	defer rows.Close()
	taken := make(map[string]bool)
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
		taken[id] = true
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return store.FreeID(base, func(id string) bool { return taken[id] }), nil
}
