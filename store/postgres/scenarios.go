package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"grantplan/planner"
	"grantplan/store"
	"grantplan/store/internal/sqlstore"
)

// List returns a page of the scenarios that are not deleted and match
// opts.Query, ordered by id, and how many match (store.Scenarios.List).
// Page and total come from one statement, so from one state of the
// database.
func (s *Store) List(ctx context.Context, opts store.ListOptions) ([]store.Scenario, int, error) {
	if err := store.CheckList(opts); err != nil {
		return nil, 0, err
	}
	page, total, err := s.list(ctx, opts)
	if err != nil {
		return nil, 0, wrap(ctx, "list scenarios", "", err)
	}
	return page, total, nil
}

// fromCurrent joins each scenario to its current revision; live keeps
// those not deleted, deleted those deleted, and matching adds List's query on the folded id and
// name (grantplan_fold in migrations/0001_init.sql is store.Fold), as
// plain text: strpos, not LIKE, so that '%' and '_' are characters to
// find.
const (
	fromCurrent = `
		FROM scenarios AS s
		JOIN revisions AS r ON r.scenario_id = s.id AND r.revision = s.revision`
	live     = ` WHERE s.deleted_at IS NULL`
	deleted  = ` WHERE s.deleted_at IS NOT NULL`
	matching = ` AND (strpos(s.id_folded, $2) > 0 OR strpos(r.name_folded, $2) > 0)`
)

func (s *Store) list(ctx context.Context, opts store.ListOptions) ([]store.Scenario, int, error) {
	args := []any{int4(opts.FiguresVersion)}
	where := live
	if opts.Query != "" {
		where += matching
		args = append(args, store.Fold(opts.Query))
	}
	if opts.Offset == 0 && opts.Limit == 0 {
		// The whole list: its length is the total.
		rows, err := s.db.QueryContext(ctx, `
			SELECT s.id, s.revision, s.created, r.name, r.created, f.body`+fromCurrent+`
			LEFT JOIN figures AS f ON f.scenario_id = s.id AND f.revision = s.revision AND f.version = $1`+
			where+` ORDER BY s.id`, args...)
		if err != nil {
			return nil, 0, err
		}
		page, _, err := scanList(rows, opts.FiguresVersion, false)
		return page, len(page), err
	}
	// A page and the total, in one statement: the lateral join gives one
	// row with the total and no scenario when the page is empty. Every
	// live scenario has its current revision, so without a query the
	// count needs no join.
	counted := fromCurrent + where
	if opts.Query == "" {
		counted = " FROM scenarios AS s" + where
	}
	var limit any // NULL is no limit
	if opts.Limit > 0 {
		limit = opts.Limit
	}
	n := len(args)
	args = append(args, limit, opts.Offset)
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf(`
		SELECT p.id, p.revision, p.created, p.name, p.updated, f.body, t.total
		FROM (SELECT count(*) AS total %s) AS t
		LEFT JOIN LATERAL (
			SELECT s.id, s.revision, s.created, r.name, r.created AS updated %s
			ORDER BY s.id LIMIT $%d OFFSET $%d
		) AS p ON true
		LEFT JOIN figures AS f ON f.scenario_id = p.id AND f.revision = p.revision AND f.version = $1
		ORDER BY p.id`, counted, fromCurrent+where, n+1, n+2), args...)
	if err != nil {
		return nil, 0, err
	}
	return scanList(rows, opts.FiguresVersion, true)
}

// scanList reads the rows of list. With withTotal each row ends with the
// total, and a row without an id stands for an empty page.
func scanList(rows *sql.Rows, figuresVersion int, withTotal bool) ([]store.Scenario, int, error) {
	defer rows.Close()
	page := []store.Scenario{}
	total := 0
	for rows.Next() {
		var (
			id, name         sql.NullString
			revision         sql.NullInt64
			created, updated sql.NullTime
			figures          []byte
		)
		dest := []any{&id, &revision, &created, &name, &updated, &figures}
		if withTotal {
			dest = append(dest, &total)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, err
		}
		if !id.Valid {
			continue
		}
		sc := store.Scenario{
			ID:       id.String,
			Name:     name.String,
			Revision: int(revision.Int64),
			Created:  created.Time.UTC(),
			Updated:  updated.Time.UTC(),
		}
		// A stored body is never empty (CheckFigures), so nil is "none".
		if figures != nil {
			sc.Figures = &store.Figures{Version: figuresVersion, Body: figures}
		}
		page = append(page, sc)
	}
	return page, total, rows.Err()
}

// Get returns the current revision of the scenario id.
func (s *Store) Get(ctx context.Context, id string) (store.Scenario, error) {
	if !storable(id) {
		return store.Scenario{}, store.NotFound(id)
	}
	sc := store.Scenario{ID: id}
	var (
		body, sum []byte
		author    sql.NullString
	)
	err := s.db.QueryRowContext(ctx, `
		SELECT s.revision, s.created, r.name, r.body, r.created, r.author, r.checksum
		FROM scenarios AS s
		JOIN revisions AS r ON r.scenario_id = s.id AND r.revision = s.revision
		WHERE s.id = $1 AND s.deleted_at IS NULL`, id,
	).Scan(&sc.Revision, &sc.Created, &sc.Name, &body, &sc.Updated, &author, &sum)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Scenario{}, store.NotFound(id)
	}
	if err != nil {
		return store.Scenario{}, wrap(ctx, "get scenario", id, err)
	}
	if err := check(id, sc.Revision, sc.Name, author.String, body, sum); err != nil {
		return store.Scenario{}, err
	}
	sc.Body = body
	sc.Author = author.String
	sc.Created, sc.Updated = sc.Created.UTC(), sc.Updated.UTC()
	return sc, nil
}

// Create stores body as revision 1 of a new scenario id. It fails with a
// conflict if id is taken, also by a deleted scenario.
func (s *Store) Create(ctx context.Context, id, name string, body json.RawMessage) (store.Scenario, error) {
	if err := checkScenario(id, name, body); err != nil {
		return store.Scenario{}, err
	}
	sc, created, err := s.insert(ctx, id, name, body)
	if err != nil {
		return store.Scenario{}, wrap(ctx, "create scenario", id, err)
	}
	if !created {
		return store.Scenario{}, store.Taken(id)
	}
	return sc, nil
}

// maxUniqueTries bounds CreateUnique's attempts. Each failed attempt means
// that another writer took the id it chose in the meantime, so only a
// flood of creates of one name reaches it.
const maxUniqueTries = 100

// CreateUnique stores body as revision 1 of a new scenario whose id is
// UniqueID(base). Should another writer take the chosen id first, it
// chooses again, seeing that writer's id: concurrent calls all succeed,
// with the first free ids.
func (s *Store) CreateUnique(ctx context.Context, base, name string, body json.RawMessage) (store.Scenario, error) {
	if err := checkScenario(base, name, body); err != nil {
		return store.Scenario{}, err
	}
	for range maxUniqueTries {
		id, err := s.uniqueID(ctx, base)
		if err != nil {
			return store.Scenario{}, wrap(ctx, "create scenario", base, err)
		}
		sc, created, err := s.insert(ctx, id, name, body)
		if err != nil {
			return store.Scenario{}, wrap(ctx, "create scenario", id, err)
		}
		if created {
			return sc, nil
		}
	}
	return store.Scenario{}, fmt.Errorf("store: create scenario %s: every id chosen was taken by another writer, %d times", base, maxUniqueTries)
}

// insert stores the scenario id with its revision 1 in one statement,
// unless id is taken. A concurrent insert of the same id makes it wait for
// that transaction; if it commits, id is taken.
func (s *Store) insert(ctx context.Context, id, name string, body json.RawMessage) (store.Scenario, bool, error) {
	sc := store.Scenario{ID: id, Name: name, Revision: 1, Body: bytes.Clone(body), Author: store.AuthorOf(ctx)}
	// The scenario's key to its current revision is deferred to the
	// commit, and the revision's key to the scenario is checked at the
	// end of the statement, when the scenario is there.
	err := s.db.QueryRowContext(ctx, `
		WITH new AS (
			INSERT INTO scenarios (id, revision, created) VALUES ($1, 1, clock_timestamp())
			ON CONFLICT (id) DO NOTHING
			RETURNING id, created
		)
		INSERT INTO revisions (scenario_id, revision, name, body, created, author, checksum)
		SELECT id, 1, $2, $3, created, $4, $5 FROM new
		RETURNING created`, id, name, []byte(body), author(ctx), checksum(ctx, id, 1, name, body),
	).Scan(&sc.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Scenario{}, false, nil
	}
	if err != nil {
		return store.Scenario{}, false, err
	}
	sc.Created = sc.Created.UTC()
	sc.Updated = sc.Created
	return sc, true, nil
}

// Update stores body as revision ifMatch+1 of the scenario id if ifMatch is
// its current revision, and fails with a precondition error otherwise.
// The earlier revisions stay as they are.
//
// One statement moves the scenario to the next revision, on the condition
// that it is at ifMatch, and inserts that revision. The UPDATE locks the
// scenario's row: a concurrent writer waits for this one's commit, then
// finds the row at the new revision, no longer matching, and changes
// nothing.
func (s *Store) Update(ctx context.Context, id string, ifMatch int, name string, body json.RawMessage) (store.Scenario, error) {
	if err := checkScenario(id, name, body); err != nil {
		return store.Scenario{}, err
	}
	if !storable(id) {
		return store.Scenario{}, store.NotFound(id)
	}
	sc := store.Scenario{ID: id, Name: name, Revision: ifMatch + 1, Body: bytes.Clone(body), Author: store.AuthorOf(ctx)}
	err := s.db.QueryRowContext(ctx, `
		WITH head AS (
			UPDATE scenarios SET revision = revision + 1
			WHERE id = $1 AND revision = $2 AND deleted_at IS NULL
			RETURNING id, revision, created
		)
		INSERT INTO revisions (scenario_id, revision, name, body, created, author, checksum)
		SELECT id, revision, $3, $4, clock_timestamp(), $5, $6 FROM head
		RETURNING (SELECT created FROM head), created`, id, int4(ifMatch), name, []byte(body), author(ctx), checksum(ctx, id, ifMatch+1, name, body),
	).Scan(&sc.Created, &sc.Updated)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Scenario{}, s.unmatched(ctx, "update scenario", id, ifMatch)
	}
	if err != nil {
		return store.Scenario{}, wrap(ctx, "update scenario", id, err)
	}
	sc.Created, sc.Updated = sc.Created.UTC(), sc.Updated.UTC()
	return sc, nil
}

// Delete hides the scenario id if ifMatch is its current revision, and
// fails with a precondition error otherwise. Its revisions stay stored
// and its id stays taken. Like Update, it changes the row only if it is at
// ifMatch, waiting for a concurrent writer's commit first.
func (s *Store) Delete(ctx context.Context, id string, ifMatch int) error {
	if !storable(id) {
		return store.NotFound(id)
	}
	res, err := s.db.ExecContext(ctx, `
		UPDATE scenarios SET deleted_at = clock_timestamp()
		WHERE id = $1 AND revision = $2 AND deleted_at IS NULL`, id, int4(ifMatch))
	if err != nil {
		return wrap(ctx, "delete scenario", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(ctx, "delete scenario", id, err)
	}
	if n == 0 {
		return s.unmatched(ctx, "delete scenario", id, ifMatch)
	}
	return nil
}

// unmatched says why a write that changed no row did not: the scenario is
// missing or deleted, or at another revision than ifMatch.
func (s *Store) unmatched(ctx context.Context, op, id string, ifMatch int) error {
	var revision int
	err := s.db.QueryRowContext(ctx,
		"SELECT revision FROM scenarios WHERE id = $1 AND deleted_at IS NULL", id).Scan(&revision)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.NotFound(id)
	case err != nil:
		return wrap(ctx, op, id, err)
	}
	return store.Stale(id, revision, ifMatch)
}

// Revisions lists the revisions of the scenario id, oldest first.
func (s *Store) Revisions(ctx context.Context, id string) ([]store.RevisionInfo, error) {
	return s.revisions(ctx, "list revisions of", id, live, store.NotFound)
}

// revisions lists the revisions of the scenario id, oldest first, if the
// scenario is in the state where picks (live, deleted); missing is the
// error of one that is not.
func (s *Store) revisions(ctx context.Context, op, id, where string, missing func(id string) error) ([]store.RevisionInfo, error) {
	if !storable(id) {
		return nil, missing(id)
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT r.revision, r.name, r.created, r.author
		FROM scenarios AS s
		JOIN revisions AS r ON r.scenario_id = s.id AND r.revision <= s.revision`+
		where+` AND s.id = $1
		ORDER BY r.revision`, id)
	if err != nil {
		return nil, wrap(ctx, op, id, err)
	}
	defer rows.Close()
	var list []store.RevisionInfo
	for rows.Next() {
		var info store.RevisionInfo
		var author sql.NullString
		if err := rows.Scan(&info.Revision, &info.Name, &info.Created, &author); err != nil {
			return nil, wrap(ctx, op, id, err)
		}
		info.Author = author.String
		info.Created = info.Created.UTC()
		list = append(list, info)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, op, id, err)
	}
	// A scenario has at least revision 1.
	if len(list) == 0 {
		return nil, missing(id)
	}
	return list, nil
}

// Revision returns the given revision of the scenario id: its name and body,
// Revision set to that number, Created when revision 1 was stored and
// Updated when this revision was.
func (s *Store) Revision(ctx context.Context, id string, revision int) (store.Scenario, error) {
	return s.revision(ctx, "get revision of", id, revision, live, store.NotFound)
}

// revision returns the given revision of the scenario id if the scenario
// is in the state where picks (live, deleted), with Deleted set for a
// deleted one; missing is the error of one that is not.
func (s *Store) revision(ctx context.Context, op, id string, revision int, where string, missing func(id string) error) (store.Scenario, error) {
	if !storable(id) {
		return store.Scenario{}, missing(id)
	}
	sc := store.Scenario{ID: id, Revision: revision}
	var (
		name, author sql.NullString
		body, sum    []byte
		updated      sql.NullTime
		deletedAt    sql.NullTime
	)
	err := s.db.QueryRowContext(ctx, `
		SELECT s.created, s.deleted_at, r.name, r.body, r.created, r.author, r.checksum
		FROM scenarios AS s
		LEFT JOIN revisions AS r ON r.scenario_id = s.id AND r.revision = $2 AND r.revision <= s.revision`+
		where+` AND s.id = $1`, id, int4(revision),
	).Scan(&sc.Created, &deletedAt, &name, &body, &updated, &author, &sum)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Scenario{}, missing(id)
	}
	if err != nil {
		return store.Scenario{}, wrap(ctx, op, id, err)
	}
	if !name.Valid {
		return store.Scenario{}, store.RevisionNotFound(id, revision)
	}
	if err := check(id, revision, name.String, author.String, body, sum); err != nil {
		return store.Scenario{}, err
	}
	sc.Name, sc.Body, sc.Author = name.String, body, author.String
	sc.Created, sc.Updated = sc.Created.UTC(), updated.Time.UTC()
	if deletedAt.Valid {
		sc.Deleted = deletedAt.Time.UTC()
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
	id, err := s.uniqueID(ctx, base)
	if err != nil {
		return "", wrap(ctx, "find an id like", base, err)
	}
	return id, nil
}

// uniqueID finds the first free id among base, base-2, base-3, … with one
// query: every candidate other than base starts with base+"-", and those ids
// sort between base+"-" and base+"." ('.' follows '-' in byte order, which
// the ids' collation, "C", follows).
func (s *Store) uniqueID(ctx context.Context, base string) (string, error) {
	if !storable(base) {
		return base, nil // no stored id has such bytes
	}
	rows, err := s.db.QueryContext(ctx,
		"SELECT id FROM scenarios WHERE id = $1 OR (id >= $2 AND id < $3)", base, base+"-", base+".")
	if err != nil {
		return "", err
	}
	return sqlstore.FreeID(rows, base)
}

// storable reports whether PostgreSQL's text can hold s: UTF-8 without a
// NUL byte. An id that is not storable was never stored.
func storable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// checkScenario is store.CheckScenario, and also refuses an id or name
// PostgreSQL's text cannot hold, which the contract lets a backend refuse.
func checkScenario(id, name string, body json.RawMessage) error {
	if err := store.CheckScenario(id, body); err != nil {
		return err
	}
	if !storable(id) {
		return planner.Errorf(planner.KindInvalid, "scenario id %q: the database takes no NUL byte or invalid UTF-8", id)
	}
	if !storable(name) {
		return planner.Errorf(planner.KindInvalid, "scenario %q: name %q: the database takes no NUL byte or invalid UTF-8", id, name)
	}
	return nil
}

// int4 returns n if PostgreSQL's integer, the type of revision numbers
// and figures versions, can hold it, and otherwise 0, which no revision or
// version is: an If-Match of 2^40 is stale, not an error of the driver.
func int4(n int) int {
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0
	}
	return n
}

// author is the author in ctx (store.WithAuthor) as the revision stores
// it: NULL for none, and for a name PostgreSQL's text cannot hold, which
// the program never makes.
func author(ctx context.Context) any {
	name := store.AuthorOf(ctx)
	if name == "" || !storable(name) {
		return nil
	}
	return name
}

// checksum is the checksum of a revision stored with the author in ctx
// (store.Checksum), the author as author stores it.
func checksum(ctx context.Context, id string, revision int, name string, body []byte) []byte {
	stored, _ := author(ctx).(string)
	return store.Checksum(id, revision, name, stored, body)
}

// check compares a revision read from the database with its stored
// checksum: a revision that differs, in its body, name or author, is
// store.Damaged, never served.
func check(id string, revision int, name, author string, body, sum []byte) error {
	if !bytes.Equal(sum, store.Checksum(id, revision, name, author, body)) {
		return store.Damaged(id, revision)
	}
	return nil
}

// timeOf is what the store keeps of a time: UTC, to the microsecond.
func timeOf(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
