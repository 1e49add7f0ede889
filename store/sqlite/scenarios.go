package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"grantplan/store"
	"grantplan/store/internal/sqlstore"
)

// readOnly begins a transaction without the write lock: in WAL mode it reads
// a consistent snapshot while a writer commits.
var readOnly = &sql.TxOptions{ReadOnly: true}

// List returns a page of the scenarios that are not deleted and match
// opts.Query, ordered by id, and how many match (store.Scenarios.List).
func (s *Store) List(ctx context.Context, opts store.ListOptions) ([]store.Scenario, int, error) {
	if err := store.CheckList(opts); err != nil {
		return nil, 0, err
	}
	var page []store.Scenario
	var total int
	err := s.read(ctx, "list scenarios", "", func(tx *sql.Tx) error {
		var err error
		page, total, err = listScenarios(ctx, tx, opts, false)
		return err
	})
	return page, total, err
}

// Get returns the current revision of the scenario id.
func (s *Store) Get(ctx context.Context, id string) (store.Scenario, error) {
	var sc store.Scenario
	err := s.read(ctx, "get scenario", id, func(tx *sql.Tx) error {
		var err error
		sc, err = currentScenario(ctx, tx, id)
		return err
	})
	return sc, err
}

// Create stores body as revision 1 of a new scenario id. It fails with a
// conflict if id is taken, also by a deleted scenario.
func (s *Store) Create(ctx context.Context, id, name string, body json.RawMessage) (store.Scenario, error) {
	if err := store.CheckScenario(id, body); err != nil {
		return store.Scenario{}, err
	}
	var sc store.Scenario
	err := s.write(ctx, "create scenario", id, func(tx *sql.Tx) error {
		taken, err := idTaken(ctx, tx, id)
		if err != nil {
			return err
		}
		if taken {
			return store.Taken(id)
		}
		sc, err = createScenario(ctx, tx, id, name, body, s.now())
		return err
	})
	return sc, err
}

// CreateUnique stores body as revision 1 of a new scenario whose id is
// UniqueID(base), chosen and taken in one write transaction, so that two
// requests creating scenarios of the same name both succeed.
func (s *Store) CreateUnique(ctx context.Context, base, name string, body json.RawMessage) (store.Scenario, error) {
	if err := store.CheckScenario(base, body); err != nil {
		return store.Scenario{}, err
	}
	var sc store.Scenario
	err := s.write(ctx, "create scenario", base, func(tx *sql.Tx) error {
		id, err := uniqueID(ctx, tx, base)
		if err != nil {
			return err
		}
		sc, err = createScenario(ctx, tx, id, name, body, s.now())
		return err
	})
	return sc, err
}

// Update stores body as revision ifMatch+1 of the scenario id if ifMatch is
// its current revision, and fails with a precondition error otherwise.
// The earlier revisions stay as they are.
func (s *Store) Update(ctx context.Context, id string, ifMatch int, name string, body json.RawMessage) (store.Scenario, error) {
	if err := store.CheckScenario(id, body); err != nil {
		return store.Scenario{}, err
	}
	var sc store.Scenario
	err := s.write(ctx, "update scenario", id, func(tx *sql.Tx) error {
		head, err := liveHead(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := head.match(ifMatch); err != nil {
			return err
		}
		now := s.now()
		next := head.revision + 1
		if err := insertRevision(ctx, tx, id, next, name, body, now); err != nil {
			return err
		}
		// The revision condition is redundant under the write lock; it keeps a
		// lost update impossible should the locking ever change.
		if err := execOne(ctx, tx, "UPDATE scenarios SET revision = ? WHERE id = ? AND revision = ?",
			next, id, head.revision); err != nil {
			return err
		}
		sc = store.Scenario{
			ID:       id,
			Name:     name,
			Revision: next,
			Created:  head.created,
			Updated:  now.UTC(),
			Author:   store.AuthorOf(ctx),
			Body:     bytes.Clone(body),
		}
		return nil
	})
	return sc, err
}

// Delete hides the scenario id if ifMatch is its current revision, and
// fails with a precondition error otherwise. Its revisions stay in the file
// and its id stays taken.
func (s *Store) Delete(ctx context.Context, id string, ifMatch int) error {
	return s.write(ctx, "delete scenario", id, func(tx *sql.Tx) error {
		head, err := liveHead(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := head.match(ifMatch); err != nil {
			return err
		}
		return execOne(ctx, tx, "UPDATE scenarios SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
			formatTime(s.now()), id)
	})
}

// Revisions lists the revisions of the scenario id, oldest first.
func (s *Store) Revisions(ctx context.Context, id string) ([]store.RevisionInfo, error) {
	var list []store.RevisionInfo
	err := s.read(ctx, "list revisions of", id, func(tx *sql.Tx) error {
		if _, err := liveHead(ctx, tx, id); err != nil {
			return err
		}
		var err error
		list, err = listRevisions(ctx, tx, id)
		return err
	})
	return list, err
}

// Revision returns the given revision of the scenario id: its name and body,
// Revision set to that number, Created when revision 1 was stored and
// Updated when this revision was.
func (s *Store) Revision(ctx context.Context, id string, revision int) (store.Scenario, error) {
	var sc store.Scenario
	err := s.read(ctx, "get revision of", id, func(tx *sql.Tx) error {
		head, err := liveHead(ctx, tx, id)
		if err != nil {
			return err
		}
		if sc, err = readRevision(ctx, tx, id, revision); err != nil {
			return err
		}
		sc.Created = head.created
		return nil
	})
	return sc, err
}

// UniqueID returns base if no scenario, live or deleted, has that id, and
// otherwise the first of base-2, base-3, … that none has. Another request
// may take the id before the caller creates it, in which case Create fails
// with a conflict; CreateUnique does not have that gap.
func (s *Store) UniqueID(ctx context.Context, base string) (string, error) {
	if err := store.CheckID(base); err != nil {
		return "", err
	}
	var id string
	err := s.read(ctx, "find an id like", base, func(tx *sql.Tx) error {
		var err error
		id, err = uniqueID(ctx, tx, base)
		return err
	})
	return id, err
}

// head is what Update and Delete need to know about a live scenario.
type head struct {
	id       string
	revision int
	created  time.Time
	deleted  time.Time // for a deleted scenario
}

// match returns a precondition error unless ifMatch is the current revision.
func (h head) match(ifMatch int) error {
	if ifMatch != h.revision {
		return store.Stale(h.id, h.revision, ifMatch)
	}
	return nil
}

// liveHead reads the current revision of id; a missing or deleted scenario
// is not found.
func liveHead(ctx context.Context, tx *sql.Tx, id string) (head, error) {
	h := head{id: id}
	var created string
	err := tx.QueryRowContext(ctx,
		"SELECT revision, created FROM scenarios WHERE id = ? AND deleted_at IS NULL", id,
	).Scan(&h.revision, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return head{}, store.NotFound(id)
	}
	if err != nil {
		return head{}, err
	}
	if h.created, err = parseTime(created); err != nil {
		return head{}, err
	}
	return h, nil
}

// idTaken reports whether a scenario, live or deleted, has the id.
func idTaken(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
	var taken bool
	err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM scenarios WHERE id = ?)", id).Scan(&taken)
	return taken, err
}

// createScenario inserts the scenario id and its revision 1. The caller has
// checked that id is free.
func createScenario(ctx context.Context, tx *sql.Tx, id, name string, body json.RawMessage, now time.Time) (store.Scenario, error) {
	// The scenario row goes first: the revision's foreign key needs it, and
	// the scenario's own key to its current revision is checked at commit.
	if _, err := tx.ExecContext(ctx, "INSERT INTO scenarios (id, revision, created) VALUES (?, 1, ?)",
		id, formatTime(now)); err != nil {
		return store.Scenario{}, err
	}
	if err := insertRevision(ctx, tx, id, 1, name, body, now); err != nil {
		return store.Scenario{}, err
	}
	return store.Scenario{
		ID:       id,
		Name:     name,
		Revision: 1,
		Created:  now.UTC(),
		Updated:  now.UTC(),
		Author:   store.AuthorOf(ctx),
		Body:     bytes.Clone(body),
	}, nil
}

// insertRevision stores a revision with its checksum, its body compressed
// if that makes it smaller, and its author the one in ctx
// (store.WithAuthor).
func insertRevision(ctx context.Context, tx *sql.Tx, id string, revision int, name string, body json.RawMessage, now time.Time) error {
	stored, encoding := encodeBody(body)
	// Bound as []byte, the body is stored as a BLOB: byte for byte, with no
	// text encoding applied.
	_, err := tx.ExecContext(ctx,
		"INSERT INTO revisions (scenario_id, revision, name, body, encoding, checksum, created, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		id, revision, name, stored, encoding, store.Checksum(id, revision, name, store.AuthorOf(ctx), body), formatTime(now), nullString(store.AuthorOf(ctx)))
	return err
}

// nullString stores "" as NULL: an author that is not known.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// execOne runs a statement that must change exactly one row.
func execOne(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("%d rows changed, want 1", n)
	}
	return nil
}

// listScenarios reads the page and the total of List, or of ListDeleted.
// Without a query the page walks the primary key in id order and stops at
// the limit; a query is matched on every live scenario, which a full list
// would read anyway.
func listScenarios(ctx context.Context, tx *sql.Tx, opts store.ListOptions, deleted bool) ([]store.Scenario, int, error) {
	where := "s.deleted_at IS NULL"
	if deleted {
		where = "s.deleted_at IS NOT NULL"
		opts.FiguresVersion = 0
	}
	var args []any
	if opts.Query != "" {
		// instr, not LIKE: the query is plain text, and '%' or '_' in it
		// are characters to find, not wildcards.
		where += " AND (instr(" + foldFunction + "(s.id), ?) > 0 OR instr(" + foldFunction + "(r.name), ?) > 0)"
		folded := store.Fold(opts.Query)
		args = append(args, folded, folded)
	}
	const current = `
		FROM scenarios AS s
		JOIN revisions AS r INDEXED BY revisions_listed ON r.scenario_id = s.id AND r.revision = s.revision`
	limit := opts.Limit
	if limit == 0 {
		limit = -1 // SQLite's "no limit"
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT s.id, s.revision, s.created, r.name, r.created, s.deleted_at, f.body`+current+`
		LEFT JOIN figures AS f ON f.scenario_id = s.id AND f.revision = s.revision AND f.version = ?
		WHERE `+where+` ORDER BY s.id LIMIT ? OFFSET ?`,
		append(append([]any{opts.FiguresVersion}, args...), limit, opts.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()

	page := []store.Scenario{}
	for rows.Next() {
		var sc store.Scenario
		var created, updated string
		var deletedAt sql.NullString
		var figures []byte
		if err := rows.Scan(&sc.ID, &sc.Revision, &created, &sc.Name, &updated, &deletedAt, &figures); err != nil {
			return nil, 0, err
		}
		if deletedAt.Valid {
			if sc.Deleted, err = parseTime(deletedAt.String); err != nil {
				return nil, 0, err
			}
		}
		if sc.Created, err = parseTime(created); err != nil {
			return nil, 0, err
		}
		if sc.Updated, err = parseTime(updated); err != nil {
			return nil, 0, err
		}
		// A stored body is never empty (CheckFigures), so nil is "none".
		if figures != nil {
			sc.Figures = &store.Figures{Version: opts.FiguresVersion, Body: figures}
		}
		page = append(page, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}

	if opts.Offset == 0 && opts.Limit == 0 {
		return page, len(page), nil
	}
	var total int
	if err := tx.QueryRowContext(ctx, "SELECT count(*)"+current+" WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	return page, total, nil
}

// currentScenario reads the current revision of a live scenario.
func currentScenario(ctx context.Context, tx *sql.Tx, id string) (store.Scenario, error) {
	sc := store.Scenario{ID: id}
	var created, updated string
	var body storedBody
	var author sql.NullString
	err := tx.QueryRowContext(ctx, `
		SELECT s.revision, s.created, r.name, r.body, r.encoding, r.checksum, r.created, r.author
		FROM scenarios AS s
		JOIN revisions AS r ON r.scenario_id = s.id AND r.revision = s.revision
		WHERE s.id = ? AND s.deleted_at IS NULL`, id,
	).Scan(&sc.Revision, &created, &sc.Name, &body.data, &body.encoding, &body.checksum, &updated, &author)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Scenario{}, store.NotFound(id)
	}
	if err != nil {
		return store.Scenario{}, err
	}
	sc.Author = author.String
	if sc.Body, err = body.open(id, sc.Revision, sc.Name, sc.Author); err != nil {
		return store.Scenario{}, err
	}
	if sc.Created, err = parseTime(created); err != nil {
		return store.Scenario{}, err
	}
	if sc.Updated, err = parseTime(updated); err != nil {
		return store.Scenario{}, err
	}
	return sc, nil
}

func listRevisions(ctx context.Context, tx *sql.Tx, id string) ([]store.RevisionInfo, error) {
	rows, err := tx.QueryContext(ctx,
		"SELECT revision, name, created, author FROM revisions WHERE scenario_id = ? ORDER BY revision", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var list []store.RevisionInfo
	for rows.Next() {
		var info store.RevisionInfo
		var created string
		var author sql.NullString
		if err := rows.Scan(&info.Revision, &info.Name, &created, &author); err != nil {
			return nil, err
		}
		info.Author = author.String
		if info.Created, err = parseTime(created); err != nil {
			return nil, err
		}
		list = append(list, info)
	}
	return list, rows.Err()
}

// readRevision reads one revision; Created is left for the caller.
func readRevision(ctx context.Context, tx *sql.Tx, id string, revision int) (store.Scenario, error) {
	sc := store.Scenario{ID: id, Revision: revision}
	var updated string
	var body storedBody
	var author sql.NullString
	err := tx.QueryRowContext(ctx,
		"SELECT name, body, encoding, checksum, created, author FROM revisions WHERE scenario_id = ? AND revision = ?", id, revision,
	).Scan(&sc.Name, &body.data, &body.encoding, &body.checksum, &updated, &author)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Scenario{}, store.RevisionNotFound(id, revision)
	}
	if err != nil {
		return store.Scenario{}, err
	}
	sc.Author = author.String
	if sc.Body, err = body.open(id, revision, sc.Name, sc.Author); err != nil {
		return store.Scenario{}, err
	}
	if sc.Updated, err = parseTime(updated); err != nil {
		return store.Scenario{}, err
	}
	return sc, nil
}

// uniqueID finds the first free id among base, base-2, base-3, … with one
// query: every candidate other than base starts with base+"-", and those ids
// sort between base+"-" and base+"." ('.' follows '-' in byte order, which
// is SQLite's default collation).
func uniqueID(ctx context.Context, tx *sql.Tx, base string) (string, error) {
	rows, err := tx.QueryContext(ctx,
		"SELECT id FROM scenarios WHERE id = ? OR (id >= ? AND id < ?)", base, base+"-", base+".")
	if err != nil {
		return "", err
	}
	return sqlstore.FreeID(rows, base)
}

// ListDeleted returns a page of the deleted scenarios that match
// opts.Query, ordered by id, with the time of their deletion, and how many
// match (store.Scenarios.ListDeleted).
func (s *Store) ListDeleted(ctx context.Context, opts store.ListOptions) ([]store.Scenario, int, error) {
	if err := store.CheckList(opts); err != nil {
		return nil, 0, err
	}
	var page []store.Scenario
	var total int
	err := s.read(ctx, "list deleted scenarios", "", func(tx *sql.Tx) error {
		var err error
		page, total, err = listScenarios(ctx, tx, opts, true)
		return err
	})
	return page, total, err
}

// DeletedRevisions lists the revisions of the deleted scenario id, oldest
// first.
func (s *Store) DeletedRevisions(ctx context.Context, id string) ([]store.RevisionInfo, error) {
	var list []store.RevisionInfo
	err := s.read(ctx, "list revisions of deleted", id, func(tx *sql.Tx) error {
		if _, err := deletedHead(ctx, tx, id); err != nil {
			return err
		}
		var err error
		list, err = listRevisions(ctx, tx, id)
		return err
	})
	return list, err
}

// DeletedRevision returns the given revision of the deleted scenario id.
func (s *Store) DeletedRevision(ctx context.Context, id string, revision int) (store.Scenario, error) {
	var sc store.Scenario
	err := s.read(ctx, "get revision of deleted", id, func(tx *sql.Tx) error {
		head, err := deletedHead(ctx, tx, id)
		if err != nil {
			return err
		}
		if sc, err = readRevision(ctx, tx, id, revision); err != nil {
			return err
		}
		sc.Created, sc.Deleted = head.created, head.deleted
		return nil
	})
	return sc, err
}

// Undelete makes the deleted scenario id live again, at the revision it
// had.
func (s *Store) Undelete(ctx context.Context, id string) (store.Scenario, error) {
	var sc store.Scenario
	err := s.write(ctx, "undelete scenario", id, func(tx *sql.Tx) error {
		if _, err := deletedHead(ctx, tx, id); err != nil {
			return err
		}
		if err := execOne(ctx, tx, "UPDATE scenarios SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL", id); err != nil {
			return err
		}
		var err error
		sc, err = currentScenario(ctx, tx, id)
		return err
	})
	return sc, err
}

// deletedHead reads the current revision of a deleted scenario and when
// it was deleted; a live or unknown scenario is not found.
func deletedHead(ctx context.Context, tx *sql.Tx, id string) (head, error) {
	h := head{id: id}
	var created, deleted string
	err := tx.QueryRowContext(ctx,
		"SELECT revision, created, deleted_at FROM scenarios WHERE id = ? AND deleted_at IS NOT NULL", id,
	).Scan(&h.revision, &created, &deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return head{}, store.NotDeleted(id)
	}
	if err != nil {
		return head{}, err
	}
	if h.created, err = parseTime(created); err != nil {
		return head{}, err
	}
	if h.deleted, err = parseTime(deleted); err != nil {
		return head{}, err
	}
	return h, nil
}
