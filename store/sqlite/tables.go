package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"grantplan/store"
	"grantplan/store/internal/sqlstore"
)

// ReadTables calls read with a reader of one snapshot of the file: a read
// transaction, which in WAL mode writers do not change (store.Transferer).
func (s *Store) ReadTables(ctx context.Context, read func(store.TableReader) error) error {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return fmt.Errorf("store: read tables: %w", err)
	}
	defer tx.Rollback()
	if err := read(tables{tx}); err != nil {
		return err
	}
	return tx.Commit()
}

// WriteTables calls write with a writer in one write transaction, which
// is committed if write returns nil (store.Transferer).
func (s *Store) WriteTables(ctx context.Context, write func(store.TableWriter) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: write tables: %w", err)
	}
	defer tx.Rollback()
	if err := write(tables{tx}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: write tables: %w", err)
	}
	return nil
}

// tables reads and writes the tables within one transaction. Times are
// stored as text (formatTime); the other types as SQLite has them.
//
// A revision's body moves as it was given, whatever this file keeps: Rows
// decodes a compressed body and checks it against its checksum (a damaged
// one stops the copy), and Insert stores a body as Create does, with its
// checksum, compressed if that makes it smaller. Those two columns are this
// backend's own and not in store.Tables.
type tables struct{ tx *sql.Tx }

// revisionsTable is the name of the table whose bodies are encoded.
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
		columns += ", encoding, checksum"
	}
	rows, err := t.tx.QueryContext(ctx, "SELECT "+columns+" FROM "+table.Name+
		" ORDER BY "+strings.Join(table.Key, ", "))
	if err != nil {
		return err
	}
	var body storedBody
	var extra []any
	if revisions {
		extra = append(extra, &body.encoding, &body.checksum)
	}
	return sqlstore.ScanRows(rows, table, extra, fromSQLite, func(row store.Row) error {
		if revisions {
			if err := openRevisionRow(table, row, body); err != nil {
				return err
			}
		}
		return each(row)
	})
}

// openRevisionRow puts the body of a row of revisions, stored with
// encoding and checksum as given, into the row as it was given.
func openRevisionRow(table store.Table, row store.Row, stored storedBody) error {
	id, revision, name, author, data := sqlstore.RevisionOf(table, row)
	stored.data = data
	body, err := stored.open(id, revision, name, author)
	if err != nil {
		return err
	}
	row[table.Column("body")] = body
	return nil
}

func (t tables) Insert(ctx context.Context, table store.Table, row store.Row) error {
	args := make([]any, len(row))
	for i, c := range table.Columns {
		if err := c.Check(row[i]); err != nil {
			return err
		}
		args[i] = row[i]
		if tm, ok := row[i].(time.Time); ok {
			args[i] = formatTime(tm)
		}
	}
	columns := table.ColumnNames()
	if table.Name == revisionsTable {
		id, revision, name, author, body := sqlstore.RevisionOf(table, row)
		stored, encoding := encodeBody(body)
		args[table.Column("body")] = stored
		args = append(args, encoding, store.Checksum(id, revision, name, author, body))
		columns += ", encoding, checksum"
	}
	placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")
	_, err := t.tx.ExecContext(ctx, "INSERT INTO "+table.Name+" ("+columns+") VALUES ("+placeholders+")", args...)
	return err
}

// fromSQLite converts a value as the driver read it into the column's Go
// type.
func fromSQLite(c store.Column, v any) (any, error) {
	if v == nil {
		return nil, c.Check(nil)
	}
	switch c.Type {
	case store.Text:
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
	case store.Bytes:
		if s, ok := v.(string); ok {
			v = []byte(s)
		}
	case store.Time:
		text, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("column %s: a time stored as %T", c.Name, v)
		}
		return parseTime(text)
	}
	return v, c.Check(v)
}
