package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"grantplan/planner"
)

// Scenario is the current state of a stored scenario.
type Scenario struct {
	ID       string          // slug, e.g. "kim-siegen-wittgenstein"
	Name     string          // the scenario's "name" field, for lists
	Revision int             // 1 for a new scenario, +1 per update; the ETag
	Created  time.Time       // UTC, when revision 1 was stored
	Updated  time.Time       // UTC, when the current revision was stored
	Body     json.RawMessage // the scenario JSON exactly as last stored
}

// RevisionInfo describes one revision, without its body.
type RevisionInfo struct {
	Revision int
	Name     string
	Created  time.Time
}

// readOnly begins a transaction without the write lock: in WAL mode it reads
// a consistent snapshot while a writer commits.
var readOnly = &sql.TxOptions{ReadOnly: true}

// List returns the scenarios that are not deleted, ordered by ID, without
// their bodies. It returns an empty, non-nil slice if there are none.
func (s *Store) List(ctx context.Context) ([]Scenario, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, fmt.Errorf("store: list scenarios: %w", err)
	}
	defer tx.Rollback()

	list, err := listScenarios(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("store: list scenarios: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: list scenarios: %w", err)
	}
	return list, nil
}

// Get returns the current revision of the scenario id.
func (s *Store) Get(ctx context.Context, id string) (Scenario, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return Scenario{}, wrap("get scenario", id, err)
	}
	defer tx.Rollback()

	sc, err := currentScenario(ctx, tx, id)
	if err != nil {
		return Scenario{}, wrap("get scenario", id, err)
	}
	if err := tx.Commit(); err != nil {
		return Scenario{}, wrap("get scenario", id, err)
	}
	return sc, nil
}

// Create stores body as revision 1 of a new scenario id. It fails with
// planner.KindConflict if id is taken, also by a deleted scenario.
func (s *Store) Create(ctx context.Context, id, name string, body json.RawMessage) (Scenario, error) {
	if err := checkInput(id, body); err != nil {
		return Scenario{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Scenario{}, wrap("create scenario", id, err)
	}
	defer tx.Rollback()

	taken, err := idTaken(ctx, tx, id)
	if err != nil {
		return Scenario{}, wrap("create scenario", id, err)
	}
	if taken {
		return Scenario{}, planner.Errorf(planner.KindConflict, "scenario %q already exists", id)
	}
	sc, err := createScenario(ctx, tx, id, name, body, s.now())
	if err != nil {
		return Scenario{}, wrap("create scenario", id, err)
	}
	if err := tx.Commit(); err != nil {
		return Scenario{}, wrap("create scenario", id, err)
	}
	return sc, nil
}

// CreateUnique stores body as revision 1 of a new scenario whose id is
// UniqueID(base), chosen and taken in one transaction, so that two requests
// creating scenarios of the same name both succeed.
func (s *Store) CreateUnique(ctx context.Context, base, name string, body json.RawMessage) (Scenario, error) {
	if err := checkInput(base, body); err != nil {
		return Scenario{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Scenario{}, wrap("create scenario", base, err)
	}
	defer tx.Rollback()

	id, err := uniqueID(ctx, tx, base)
	if err != nil {
		return Scenario{}, wrap("create scenario", base, err)
	}
	sc, err := createScenario(ctx, tx, id, name, body, s.now())
	if err != nil {
		return Scenario{}, wrap("create scenario", id, err)
	}
	if err := tx.Commit(); err != nil {
		return Scenario{}, wrap("create scenario", id, err)
	}
	return sc, nil
}

// Update stores body as revision ifMatch+1 of the scenario id if ifMatch is
// its current revision, and fails with planner.KindPrecondition otherwise.
// The earlier revisions stay as they are.
func (s *Store) Update(ctx context.Context, id string, ifMatch int, name string, body json.RawMessage) (Scenario, error) {
	if err := checkInput(id, body); err != nil {
		return Scenario{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Scenario{}, wrap("update scenario", id, err)
	}
	defer tx.Rollback()

	head, err := liveHead(ctx, tx, id)
	if err != nil {
		return Scenario{}, wrap("update scenario", id, err)
	}
	if err := head.match(ifMatch); err != nil {
		return Scenario{}, err
	}
	now := s.now()
	next := head.revision + 1
	if err := insertRevision(ctx, tx, id, next, name, body, now); err != nil {
		return Scenario{}, wrap("update scenario", id, err)
	}
	// The revision condition is redundant under the write lock; it keeps a
	// lost update impossible should the locking ever change.
	if err := execOne(ctx, tx, "UPDATE scenarios SET revision = ? WHERE id = ? AND revision = ?",
		next, id, head.revision); err != nil {
		return Scenario{}, wrap("update scenario", id, err)
	}
	if err := tx.Commit(); err != nil {
		return Scenario{}, wrap("update scenario", id, err)
	}
	return Scenario{
		ID:       id,
		Name:     name,
		Revision: next,
		Created:  head.created,
		Updated:  now.UTC(),
		Body:     bytes.Clone(body),
	}, nil
}

// Delete hides the scenario id if ifMatch is its current revision, and
// fails with planner.KindPrecondition otherwise. Its revisions stay in the
// file and its id stays taken (see the package documentation).
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
func (s *Store) Revisions(ctx context.Context, id string) ([]RevisionInfo, error) {
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
func (s *Store) Revision(ctx context.Context, id string, revision int) (Scenario, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return Scenario{}, wrap("get revision of", id, err)
	}
	defer tx.Rollback()

	head, err := liveHead(ctx, tx, id)
	if err != nil {
		return Scenario{}, wrap("get revision of", id, err)
	}
	sc, err := readRevision(ctx, tx, id, revision)
	if err != nil {
		return Scenario{}, wrap("get revision of", id, err)
	}
	sc.Created = head.created
	if err := tx.Commit(); err != nil {
		return Scenario{}, wrap("get revision of", id, err)
	}
	return sc, nil
}

// UniqueID returns base if no scenario, live or deleted, has that id, and
// otherwise the first of base-2, base-3, … that none has. Another request
// may take the id before the caller creates it, in which case Create fails
// with planner.KindConflict; CreateUnique does not have that gap.
func (s *Store) UniqueID(ctx context.Context, base string) (string, error) {
	if base == "" {
		return "", planner.Errorf(planner.KindInvalid, "empty scenario id")
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

// checkInput refuses what would otherwise fail as a constraint violation:
// an empty id cannot be addressed in a URL, and an empty body is no
// scenario. Both are the caller's mistake, not the store's.
func checkInput(id string, body json.RawMessage) error {
	if id == "" {
		return planner.Errorf(planner.KindInvalid, "empty scenario id")
	}
	if len(body) == 0 {
		return planner.Errorf(planner.KindInvalid, "scenario %q: empty body", id)
	}
	return nil
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
		return planner.Errorf(planner.KindPrecondition, "scenario %q is at revision %d, not %d", h.id, h.revision, ifMatch)
	}
	return nil
}

func notFound(id string) error {
	return planner.Errorf(planner.KindNotFound, "scenario %q not found", id)
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
		return head{}, notFound(id)
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
func createScenario(ctx context.Context, tx *sql.Tx, id, name string, body json.RawMessage, now time.Time) (Scenario, error) {
	// The scenario row goes first: the revision's foreign key needs it, and
	// the scenario's own key to its current revision is checked at commit.
	if _, err := tx.ExecContext(ctx, "INSERT INTO scenarios (id, revision, created) VALUES (?, 1, ?)",
		id, formatTime(now)); err != nil {
		return Scenario{}, err
	}
	if err := insertRevision(ctx, tx, id, 1, name, body, now); err != nil {
		return Scenario{}, err
	}
	return Scenario{
		ID:       id,
		Name:     name,
		Revision: 1,
		Created:  now.UTC(),
		Updated:  now.UTC(),
		Body:     bytes.Clone(body),
	}, nil
}

func insertRevision(ctx context.Context, tx *sql.Tx, id string, revision int, name string, body json.RawMessage, now time.Time) error {
	// Bound as []byte, the body is stored as a BLOB: byte for byte, with no
	// text encoding applied.
	_, err := tx.ExecContext(ctx,
		"INSERT INTO revisions (scenario_id, revision, name, body, created) VALUES (?, ?, ?, ?, ?)",
		id, revision, name, []byte(body), formatTime(now))
	return err
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

func listScenarios(ctx context.Context, tx *sql.Tx) ([]Scenario, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT s.id, s.revision, s.created, r.name, r.created
		FROM scenarios AS s
		JOIN revisions AS r ON r.scenario_id = s.id AND r.revision = s.revision
		WHERE s.deleted_at IS NULL
		ORDER BY s.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	list := []Scenario{}
	for rows.Next() {
		var sc Scenario
		var created, updated string
		if err := rows.Scan(&sc.ID, &sc.Revision, &created, &sc.Name, &updated); err != nil {
			return nil, err
		}
		if sc.Created, err = parseTime(created); err != nil {
			return nil, err
		}
		if sc.Updated, err = parseTime(updated); err != nil {
			return nil, err
		}
		list = append(list, sc)
	}
	return list, rows.Err()
}

// currentScenario reads the current revision of a live scenario.
func currentScenario(ctx context.Context, tx *sql.Tx, id string) (Scenario, error) {
	sc := Scenario{ID: id}
	var created, updated string
	var body []byte
	err := tx.QueryRowContext(ctx, `
		SELECT s.revision, s.created, r.name, r.body, r.created
		FROM scenarios AS s
		JOIN revisions AS r ON r.scenario_id = s.id AND r.revision = s.revision
		WHERE s.id = ? AND s.deleted_at IS NULL`, id,
	).Scan(&sc.Revision, &created, &sc.Name, &body, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Scenario{}, notFound(id)
	}
	if err != nil {
		return Scenario{}, err
	}
	sc.Body = body
	if sc.Created, err = parseTime(created); err != nil {
		return Scenario{}, err
	}
	if sc.Updated, err = parseTime(updated); err != nil {
		return Scenario{}, err
	}
	return sc, nil
}

func listRevisions(ctx context.Context, tx *sql.Tx, id string) ([]RevisionInfo, error) {
	rows, err := tx.QueryContext(ctx,
		"SELECT revision, name, created FROM revisions WHERE scenario_id = ? ORDER BY revision", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var list []RevisionInfo
	for rows.Next() {
		var info RevisionInfo
		var created string
		if err := rows.Scan(&info.Revision, &info.Name, &created); err != nil {
			return nil, err
		}
		if info.Created, err = parseTime(created); err != nil {
			return nil, err
		}
		list = append(list, info)
	}
	return list, rows.Err()
}

// readRevision reads one revision; Created is left for the caller.
func readRevision(ctx context.Context, tx *sql.Tx, id string, revision int) (Scenario, error) {
	sc := Scenario{ID: id, Revision: revision}
	var updated string
	var body []byte
	err := tx.QueryRowContext(ctx,
		"SELECT name, body, created FROM revisions WHERE scenario_id = ? AND revision = ?", id, revision,
	).Scan(&sc.Name, &body, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Scenario{}, planner.Errorf(planner.KindNotFound, "scenario %q has no revision %d", id, revision)
	}
	if err != nil {
		return Scenario{}, err
	}
	sc.Body = body
	if sc.Updated, err = parseTime(updated); err != nil {
		return Scenario{}, err
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
	if !taken[base] {
		return base, nil
	}
	for n := 2; ; n++ {
		if id := base + "-" + strconv.Itoa(n); !taken[id] {
			return id, nil
		}
	}
}
