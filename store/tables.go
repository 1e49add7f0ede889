package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"grantplan/planner"
)

// Type is the kind of value a column holds, as Copy moves it.
type Type int

const (
	Text    Type = iota // string, valid UTF-8 without NUL bytes
	Integer             // int64
	Bytes               // []byte, kept byte for byte
	Time                // time.Time in UTC; PostgreSQL keeps microseconds
)

// Column is one column of a table.
type Column struct {
	Name string
	Type Type
	Null bool // may be NULL, moved as nil
}

// Table is one table that Copy moves.
type Table struct {
	Name    string
	Columns []Column
	// Key names the columns of the primary key, in which order the rows
	// are read, so that two stores with the same content read the same.
	Key []string
}

// Tables lists every table of a store, in an order in which a row refers
// only to rows of the tables before it (and to rows of its own table
// through keys checked at the commit), so that Copy can insert them in
// this order. Every backend has each of them, under the same name, with
// the same columns, and each backend's tests check that its schema has
// exactly these tables and columns. A new table is a migration in each
// backend and an entry here, and Copy moves it. A table whose rows
// backends number (users, tokens, …) has its numbers copied as they are;
// the target then numbers new rows after them.
var Tables = []Table{
	{
		Name: "scenarios",
		Columns: []Column{
			{Name: "id", Type: Text},
			{Name: "revision", Type: Integer},
			{Name: "created", Type: Time},
			{Name: "deleted_at", Type: Time, Null: true},
		},
		Key: []string{"id"},
	},
	{
		Name: "revisions",
		Columns: []Column{
			{Name: "scenario_id", Type: Text},
			{Name: "revision", Type: Integer},
			{Name: "name", Type: Text},
			{Name: "body", Type: Bytes},
			{Name: "created", Type: Time},
			{Name: "author", Type: Text, Null: true},
		},
		Key: []string{"scenario_id", "revision"},
	},
	{
		Name: "figures",
		Columns: []Column{
			{Name: "scenario_id", Type: Text},
			{Name: "revision", Type: Integer},
			{Name: "version", Type: Integer},
			{Name: "body", Type: Bytes},
			{Name: "created", Type: Time},
		},
		Key: []string{"scenario_id", "revision", "version"},
	},
	{
		Name: "users",
		Columns: []Column{
			{Name: "id", Type: Integer},
			{Name: "name", Type: Text},
			{Name: "role", Type: Text},
			{Name: "password_hash", Type: Text},
			{Name: "issuer", Type: Text, Null: true},
			{Name: "subject", Type: Text, Null: true},
			{Name: "created", Type: Time},
		},
		Key: []string{"id"},
	},
	{
		Name: "sessions",
		Columns: []Column{
			{Name: "hash", Type: Bytes},
			{Name: "user_id", Type: Integer},
			{Name: "created", Type: Time},
			{Name: "idle_expires", Type: Time},
			{Name: "expires", Type: Time},
		},
		Key: []string{"hash"},
	},
	{
		Name: "tokens",
		Columns: []Column{
			{Name: "id", Type: Integer},
			{Name: "user_id", Type: Integer},
			{Name: "label", Type: Text},
			{Name: "hash", Type: Bytes},
			{Name: "created", Type: Time},
			{Name: "expires", Type: Time},
			{Name: "last_used", Type: Time, Null: true},
		},
		Key: []string{"id"},
	},
	{
		Name: "shares",
		Columns: []Column{
			{Name: "id", Type: Integer},
			{Name: "scenario_id", Type: Text},
			{Name: "revision", Type: Integer},
			{Name: "hash", Type: Bytes},
			{Name: "created_by", Type: Text},
			{Name: "created", Type: Time},
			{Name: "expires", Type: Time},
		},
		Key: []string{"id"},
	},
	{
		Name: "audit",
		Columns: []Column{
			{Name: "id", Type: Integer},
			{Name: "at", Type: Time},
			{Name: "actor", Type: Text},
			{Name: "action", Type: Text},
			{Name: "target", Type: Text},
			{Name: "detail", Type: Text},
			{Name: "address", Type: Text},
		},
		Key: []string{"id"},
	},
	{
		Name: "login_failures",
		Columns: []Column{
			{Name: "id", Type: Integer},
			{Name: "key", Type: Text},
			{Name: "at", Type: Time},
		},
		Key: []string{"id"},
	},
	{
		Name: "secrets",
		Columns: []Column{
			{Name: "name", Type: Text},
			{Name: "value", Type: Bytes},
		},
		Key: []string{"name"},
	},
}

// ColumnNames returns the table's column names joined by ", ", for a
// SELECT or an INSERT.
func (t Table) ColumnNames() string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// Column returns the index of the column name, or -1 if the table has
// no such column.
func (t Table) Column(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Row is one row of a table: a value per column, in the table's order,
// of the Go type its Type names, or nil for NULL.
type Row []any

// Transferer is a backend whose whole content Copy can read and write,
// table by table and row by row, also from one backend to another.
type Transferer interface {
	// ReadTables calls read with a reader of one consistent state of the
	// store, which writers running meanwhile do not change.
	ReadTables(ctx context.Context, read func(TableReader) error) error
	// WriteTables calls write with a writer in one transaction, which is
	// committed if write returns nil and rolled back otherwise. The
	// store's own rules (keys, triggers) hold for what is written.
	WriteTables(ctx context.Context, write func(TableWriter) error) error
}

// TableReader reads the rows of a store's tables.
type TableReader interface {
	// Count returns the number of rows in the table.
	Count(ctx context.Context, t Table) (int, error)
	// Rows calls each with every row of the table, in the order of its
	// key, and stops at the first error each returns.
	Rows(ctx context.Context, t Table, each func(Row) error) error
}

// TableWriter writes rows into a store's tables; it also reads, within
// the same transaction.
type TableWriter interface {
	TableReader
	// Insert adds the row to the table.
	Insert(ctx context.Context, t Table, row Row) error
}

// Count is how many rows of a table Copy moved.
type Count struct {
	Table string
	Rows  int
}

// Copy copies every row of every table from one store into another, in
// one transaction of the target and from one consistent state of the
// source, and returns how many rows of each table it copied. The target
// must be empty: if any of its tables has a row, Copy fails with a
// conflict and writes nothing. A failed copy leaves the target as it was.
func Copy(ctx context.Context, from, to Transferer) ([]Count, error) {
	var counts []Count
	err := to.WriteTables(ctx, func(w TableWriter) error {
		for _, t := range Tables {
			n, err := w.Count(ctx, t)
			if err != nil {
				return fmt.Errorf("count the target's %s: %w", t.Name, err)
			}
			if n > 0 {
				return planner.Errorf(planner.KindConflict,
					"the target is not empty: its table %s has %d rows; copy only into a new, empty store", t.Name, n)
			}
		}
		return from.ReadTables(ctx, func(r TableReader) error {
			for _, t := range Tables {
				n := 0
				err := r.Rows(ctx, t, func(row Row) error {
					if len(row) != len(t.Columns) {
						return fmt.Errorf("a row of %d values, want %d", len(row), len(t.Columns))
					}
					n++
					return w.Insert(ctx, t, row)
				})
				if err != nil {
					return fmt.Errorf("copy %s, row %d: %w", t.Name, n, err)
				}
				counts = append(counts, Count{Table: t.Name, Rows: n})
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// Check returns an error unless v is a value of the column: of the Go
// type its Type names, or nil where it may be NULL. Writers check each
// value before they store it.
func (c Column) Check(v any) error {
	if v == nil {
		if c.Null {
			return nil
		}
		return fmt.Errorf("column %s: NULL, in a column that must have a value", c.Name)
	}
	var ok bool
	switch c.Type {
	case Text:
		_, ok = v.(string)
	case Integer:
		_, ok = v.(int64)
	case Bytes:
		_, ok = v.([]byte)
	case Time:
		_, ok = v.(time.Time)
	}
	if !ok {
		return fmt.Errorf("column %s: a value of Go type %T, which is not what the column holds", c.Name, v)
	}
	return nil
}
