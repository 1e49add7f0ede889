package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"grantplan/store"
	"grantplan/store/internal/sqlstore"
)

// ReadTables calls read with a reader of one snapshot of the database: a
// read-only REPEATABLE READ transaction, which writers running meanwhile
// do not change (store.Transferer). A copy of a large store takes longer
// than the statement timeout allows one statement, so the transaction
// turns it off, for itself only.
func (s *Store) ReadTables(ctx context.Context, read func(store.TableReader) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return wrap(ctx, "read tables", "", err)
	}
	defer tx.Rollback()
	if err := untimed(ctx, tx); err != nil {
		return wrap(ctx, "read tables", "", err)
	}
	if err := read(tables{tx}); err != nil {
		return withContext(ctx, err)
	}
	if err := tx.Commit(); err != nil {
		return wrap(ctx, "read tables", "", err)
	}
	return nil
}

// WriteTables calls write with a writer in one transaction, which is
// committed if write returns nil (store.Transferer). Like ReadTables, it
// has no statement timeout.
func (s *Store) WriteTables(ctx context.Context, write func(store.TableWriter) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap(ctx, "write tables", "", err)
	}
	defer tx.Rollback()
	if err := untimed(ctx, tx); err != nil {
		return wrap(ctx, "write tables", "", err)
	}
	if err := write(tables{tx}); err != nil {
		return withContext(ctx, err)
	}
	if err := numberOn(ctx, tx); err != nil {
		return wrap(ctx, "write tables", "", err)
	}
	if err := tx.Commit(); err != nil {
		return wrap(ctx, "write tables", "", err)
	}
	return nil
}

// numberOn moves the identity sequence of every table numbered by an id
// (users, tokens, …) past the largest id written, so that the rows made
// after a copy, which wrote the source's numbers as they were, get new
// ones.
func numberOn(ctx context.Context, tx *sql.Tx) error {
	for _, t := range store.Tables {
		if t.Columns[0].Name != "id" || t.Columns[0].Type != store.Integer {
			continue
		}
		_, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), max(id)) FROM `+t.Name+` HAVING max(id) IS NOT NULL`, t.Name)
		if err != nil {
			return fmt.Errorf("number %s on: %w", t.Name, err)
		}
	}
	return nil
}

// untimed turns the statement and idle timeouts off for the rest of the
// transaction: a copy streams one table while it writes into another
// store, for as long as that takes.
func untimed(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "SET LOCAL statement_timeout = 0; SET LOCAL idle_in_transaction_session_timeout = 0")
	return err
}

// tables reads and writes the tables within one transaction.
//
// A revision's checksum is this backend's own column, not in
// store.Tables: Rows checks each revision against it (a damaged one stops
// the copy), and Insert stores a revision with its checksum, as Create
// does, so that a copy's revisions are checked in the target as they were
// in the source.
type tables struct{ tx *sql.Tx }

// revisionsTable is the name of the table whose rows have checksums.
const revisionsTable = "revisions"

func (t tables) Count(ctx context.Context, table store.Table) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, "SELECT count(*) FROM "+table.Name).Scan(&n)
	return n, err
}

func (t tables) Rows(ctx context.Context, table store.Table, each func(store.Row) error) error {
	columns := table.ColumnNames()
	revisions := table.Name == revisionsTable
	if revisions {
		columns += ", checksum"
	}
	rows, err := t.tx.QueryContext(ctx, "SELECT "+columns+" FROM "+table.Name+
		" ORDER BY "+strings.Join(table.Key, ", "))
	if err != nil {
		return err
	}
	var sum []byte
	var extra []any
	if revisions {
		extra = append(extra, &sum)
	}
	return sqlstore.ScanRows(rows, table, extra, fromPostgres, func(row store.Row) error {
		if revisions {
			id, revision, name, author, body := sqlstore.RevisionOf(table, row)
			if err := check(id, revision, name, author, body, sum); err != nil {
				return err
			}
		}
		return each(row)
	})
}

// fromPostgres converts a value as the driver read it into the column's
// Go type: a time in UTC, the others as they are.
func fromPostgres(c store.Column, v any) (any, error) {
	if t, ok := v.(time.Time); ok {
		v = t.UTC()
	}
	return v, c.Check(v)
}

// Insert adds the row. Text that PostgreSQL cannot hold (a NUL byte,
// invalid UTF-8, which SQLite keeps) is refused with the value named, and
// times are cut to the microsecond, as PostgreSQL keeps them.
func (t tables) Insert(ctx context.Context, table store.Table, row store.Row) error {
	args := make([]any, len(row))
	placeholders := make([]string, len(row))
	for i, c := range table.Columns {
		v := row[i]
		if err := c.Check(v); err != nil {
			return err
		}
		switch v := v.(type) {
		case string:
			if !storable(v) {
				return fmt.Errorf("column %s: %q: PostgreSQL's text takes no NUL byte or invalid UTF-8", c.Name, v)
			}
		case time.Time:
			args[i] = timeOf(v)
		}
		if args[i] == nil {
			args[i] = v
		}
		placeholders[i] = fmt.Sprintf("$%d", i+1)
	}
	columns := table.ColumnNames()
	if table.Name == revisionsTable {
		id, revision, name, author, body := sqlstore.RevisionOf(table, row)
		args = append(args, store.Checksum(id, revision, name, author, body))
		placeholders = append(placeholders, fmt.Sprintf("$%d", len(args)))
		columns += ", checksum"
	}
	_, err := t.tx.ExecContext(ctx, "INSERT INTO "+table.Name+" ("+columns+") VALUES ("+
		strings.Join(placeholders, ", ")+")", args...)
	return err
}
