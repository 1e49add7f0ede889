package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"grantplan/planner"
	"grantplan/store"
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
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list scenarios: %w", err)
	}
	defer tx.Rollback()

	page, total, err := listScenarios(ctx, tx, opts)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list scenarios: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, fmt.Errorf("store: list scenarios: %w", err)
	}
	return page, total, nil
}

// Get returns the current revision of the scenario id.
func (s *Store) Get(ctx context.Context, id string) (store.Scenario, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return store.Scenario{}, wrap("get scenario", id, err)
	}
	defer tx.Rollback()

	sc, err := currentScenario(ctx, tx, id)
	if err != nil {
		return store.Scenario{}, wrap("get scenario", id, err)
	}
	if err := tx.Commit(); err != nil {
		return store.Scenario{}, wrap("get scenario", id, err)
	}
	return sc, nil
}

// Create stores body as revision 1 of a new scenario id. It fails with a
// conflict if id is taken, also by a deleted scenario.
func (s *Store) Create(ctx context.Context, id, name string, body json.RawMessage) (store.Scenario, error) {
	if err := store.CheckScenario(id, body); err != nil {
		return store.Scenario{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return store.Scenario{}, wrap("create scenario", id, err)
	}
	defer tx.Rollback()

	taken, err := idTaken(ctx, tx, id)
	if err != nil {
		return store.Scenario{}, wrap("create scenario", id, err)
	}
	if taken {
		return store.Scenario{}, store.Taken(id)
	}
	sc, err := createScenario(ctx, tx, id, name, body, s.now())
	if err != nil {
		return store.Scenario{}, wrap("create scenario", id, err)
	}
	if err := tx.Commit(); err != nil {
		return store.Scenario{}, wrap("create scenario", id, err)
	}
	return sc, nil
}

// CreateUnique stores body as revision 1 of a new scenario whose id is
// UniqueID(base), chosen and taken in one write transaction, so that two
// requests creating scenarios of the same name both succeed.
func (s *Store) CreateUnique(ctx context.Context, base, name string, body json.RawMessage) (store.Scenario, error) {
	if err := store.CheckScenario(base, body); err != nil {
		return store.Scenario{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return store.Scenario{}, wrap("create scenario", base, err)
	}
	defer tx.Rollback()

	id, err := uniqueID(ctx, tx, base)
	if err != nil {
		return store.Scenario{}, wrap("create scenario", base, err)
	}
	sc, err := createScenario(ctx, tx, id, name, body, s.now())
	if err != nil {
		return store.Scenario{}, wrap("create scenario", id, err)
	}
	if err := tx.Commit(); err != nil {
		return store.Scenario{}, wrap("create scenario", id, err)
	}
	return sc, nil
}

// Update stores body as revision ifMatch+1 of the scenario id if ifMatch is
// its current revision, and fails with a precondition error otherwise.
// The earlier revisions stay as they are.
func (s *Store) Update(ctx context.Context, id string, ifMatch int, name string, body json.RawMessage) (store.Scenario, error) {
	if err := store.CheckScenario(id, body); err != nil {
		return store.Scenario{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return store.Scenario{}, wrap("update scenario", id, err)
	}
	defer tx.Rollback()

	head, err := liveHead(ctx, tx, id)
	if err != nil {
		return store.Scenario{}, wrap("update scenario", id, err)
	}
	if err := head.match(ifMatch); err != nil {
		return store.Scenario{}, err
	}
	now := s.now()
	next := head.revision + 1
	if err := insertRevision(ctx, tx, id, next, name, body, now); err != nil {
		return store.Scenario{}, wrap("update scenario", id, err)
	}
	// The revision condition is redundant under the write lock; it keeps a
	// lost update impossible should the locking ever change.
	if err := execOne(ctx, tx, "UPDATE scenarios SET revision = ? WHERE id = ? AND revision = ?",
		next, id, head.revision); err != nil {
		return store.Scenario{}, wrap("update scenario", id, err)
	}
	if err := tx.Commit(); err != nil {
		return store.Scenario{}, wrap("update scenario", id, err)
	}
	return store.Scenario{
		ID:       id,
		Name:     name,
		Revision: next,
		Created:  head.created,
		Updated:  now.UTC(),
		Author:   store.AuthorOf(ctx),
		Body:     bytes.Clone(body),
	}, nil
}

// Delete hides the scenario id if ifMatch is its current revision, and
// fails with a precondition error otherwise. Its revisions stay in the file
// and its id stays taken.
func (s *Store) Delete(ctx context.Context, id string, ifMatch int) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("delete scenario", id, err)
	}
	defer tx.Rollback()

	head, err := liveHead(ctx, tx, id)
	if err != nil {
		return wrap("delete scenario", id, err)
	}
	if err := head.match(ifMatch); err != nil {
		return err
	}
	if err := execOne(ctx, tx, "UPDATE scenarios SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
		formatTime(s.now()), id); err != nil {
		return wrap("delete scenario", id, err)
	}
	if err := tx.Commit(); err != nil {
		return wrap("delete scenario", id, err)
	}
	return nil
}

// Revisions lists the revisions of the scenario id, oldest first.
func (s *Store) Revisions(ctx context.Context, id string) ([]store.RevisionInfo, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, wrap("list revisions of", id, err)
	}
	defer tx.Rollback()

	if _, err := liveHead(ctx, tx, id); err != nil {
		return nil, wrap("list revisions of", id, err)
	}
	list, err := listRevisions(ctx, tx, id)
	if err != nil {
		return nil, wrap("list revisions of", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, wrap("list revisions of", id, err)
	}
	return list, nil
}

// Revision returns the given revision of the scenario id: its name and body,
// Revision set to that number, Created when revision 1 was stored and
// Updated when this revision was.
func (s *Store) Revision(ctx context.Context, id string, revision int) (store.Scenario, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return store.Scenario{}, wrap("get revision of", id, err)
	}
	defer tx.Rollback()

	head, err := liveHead(ctx, tx, id)
	if err != nil {
		return store.Scenario{}, wrap("get revision of", id, err)
	}
	sc, err := readRevision(ctx, tx, id, revision)
	if err != nil {
		return store.Scenario{}, wrap("get revision of", id, err)
	}
	sc.Created = head.created
	if err := tx.Commit(); err != nil {
		return store.Scenario{}, wrap("get revision of", id, err)
	}
	return sc, nil
}

// UniqueID returns base if no scenario, live or deleted, has that id, and
// otherwise the first of base-2, base-3, … that none has. Another request
// may take the id before the caller creates it, in which case Create fails
// with a conflict; CreateUnique does not have that gap.
func (s *Store) UniqueID(ctx context.Context, base string) (string, error) {
	if err := store.CheckID(base); err != nil {
		return "", err
	}
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return "", wrap("find an id like", base, err)
	}
	defer tx.Rollback()

	id, err := uniqueID(ctx, tx, base)
	if err != nil {
		return "", wrap("find an id like", base, err)
	}
	if err := tx.Commit(); err != nil {
		return "", wrap("find an id like", base, err)
	}
	return id, nil
}

// wrap adds context to an unexpected error. A *planner.Error goes back as it
// is: its message is written for the user, and its kind picks the status.
func wrap(op, id string, err error) error {
	var domainErr *planner.Error
	if errors.As(err, &domainErr) {
		return err
	}
	return fmt.Errorf("store: %s %s: %w", op, id, err)
}

// head is what Update and Delete need to know about a live scenario.
type head struct {
	id       string
	revision int
	created  time.Time
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

// insertRevision stores a revision, its author the one in ctx
// (store.WithAuthor).
func insertRevision(ctx context.Context, tx *sql.Tx, id string, revision int, name string, body json.RawMessage, now time.Time) error {
	// Bound as []byte, the body is stored as a BLOB: byte for byte, with no
	// text encoding applied.
	_, err := tx.ExecContext(ctx,
		"INSERT INTO revisions (scenario_id, revision, name, body, created, author) VALUES (?, ?, ?, ?, ?, ?)",
		id, revision, name, []byte(body), formatTime(now), nullString(store.AuthorOf(ctx)))
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

// listScenarios reads the page and the total of List. Without a query the
// page walks the primary key in id order and stops at the limit; a query
// is matched on every live scenario, which a full list would read anyway.
func listScenarios(ctx context.Context, tx *sql.Tx, opts store.ListOptions) ([]store.Scenario, int, error) {
	where := "s.deleted_at IS NULL"
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
		SELECT s.id, s.revision, s.created, r.name, r.created, f.body`+current+`
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
		var figures []byte
		if err := rows.Scan(&sc.ID, &sc.Revision, &created, &sc.Name, &updated, &figures); err != nil {
			return nil, 0, err
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
	var body []byte
	var author sql.NullString
	err := tx.QueryRowContext(ctx, `
		SELECT s.revision, s.created, r.name, r.body, r.created, r.author
		FROM scenarios AS s
		JOIN revisions AS r ON r.scenario_id = s.id AND r.revision = s.revision
		WHERE s.id = ? AND s.deleted_at IS NULL`, id,
	).Scan(&sc.Revision, &created, &sc.Name, &body, &updated, &author)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Scenario{}, store.NotFound(id)
	}
	if err != nil {
		return store.Scenario{}, err
	}
	sc.Body = body
	sc.Author = author.String
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
	var body []byte
	var author sql.NullString
	err := tx.QueryRowContext(ctx,
		"SELECT name, body, created, author FROM revisions WHERE scenario_id = ? AND revision = ?", id, revision,
	).Scan(&sc.Name, &body, &updated, &author)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Scenario{}, store.RevisionNotFound(id, revision)
	}
	if err != nil {
		return store.Scenario{}, err
	}
	sc.Body = body
	sc.Author = author.String
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
