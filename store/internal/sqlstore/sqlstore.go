// Package sqlstore holds what the SQL backends of package store do alike
// with database/sql: loading their numbered migrations, finding a free id
// among the taken ones a query found, reading the rows of a table for a
// copy, and collecting the rows of a query. The queries themselves, in
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

// ScanRows reads the rows of table that rows holds, the table's columns
// in order followed by one value for each of extra (a backend's own
// columns, scanned into extra), closes rows, and calls each with every
// row: convert makes a column's value as the driver read it into the
// value of the column's Go type, or refuses it.
func ScanRows(rows *sql.Rows, table store.Table, extra []any,
	convert func(store.Column, any) (any, error), each func(store.Row) error) error {
	defer rows.Close()
	values := make([]any, len(table.Columns))
	dest := make([]any, len(values), len(values)+len(extra))
	for i := range values {
		dest[i] = &values[i]
	}
	dest = append(dest, extra...)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		row := make(store.Row, len(values))
		for i, c := range table.Columns {
			v, err := convert(c, values[i])
			if err != nil {
				return err
			}
			row[i] = v
		}
		if err := each(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// RevisionOf returns what a row of the table revisions holds of its
// checksum's parts (store.Checksum); a NULL author is "".
func RevisionOf(table store.Table, row store.Row) (id string, revision int, name, author string, body []byte) {
	id, _ = row[table.Column("scenario_id")].(string)
	number, _ := row[table.Column("revision")].(int64)
	name, _ = row[table.Column("name")].(string)
	author, _ = row[table.Column("author")].(string)
	body, _ = row[table.Column("body")].([]byte)
	return id, int(number), name, author, body
}

// A Scanner is a row to read: a *sql.Row or the current row of *sql.Rows.
type Scanner = interface{ Scan(dest ...any) error }

// Collect reads every row of rows with scan, in order, and closes them.
// It returns an empty list, not nil, for no rows.
func Collect[T any](rows *sql.Rows, scan func(row Scanner, extra ...any) (T, error)) ([]T, error) {
	defer rows.Close()
	list := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, rows.Err()
}
