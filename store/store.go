// Package store is the storage contract: the records grantplan keeps, the
// interface a storage backend implements, and the errors it returns.
// It holds no SQL; store/sqlite is the embedded backend, and
// store/storetest is the conformance suite that every backend must pass.
//
// # Scenarios and revisions
//
// A scenario is an id for a chain of revisions. Create stores revision 1,
// and every Update stores the next revision beside the earlier ones.
// Revisions are only ever appended: nothing rewrites or removes a stored
// revision, so revision n of a scenario reads back byte for byte the same
// for as long as the store exists, and the revisions of a scenario are
// always 1, 2, …, current without gaps. Restoring an old revision is an
// Update with that revision's body, which again appends.
//
// A scenario's current revision number is its ETag. Update and Delete take
// the revision the caller last saw (If-Match) and fail with a precondition
// error, writing nothing, if it is no longer current.
//
// Delete only hides. From then on List leaves the scenario out, and Get,
// Update, Delete, Revisions, Revision and PutFigures report it as not
// found; but its revisions stay stored, because decisions about public
// money need an audit trail, and its id stays taken for ever: Create
// refuses it, and UniqueID and CreateUnique skip it, so that an id in the
// minutes or in a saved link never comes to mean a different scenario.
// An administrator sees the deleted scenarios through ListDeleted,
// DeletedRevisions and DeletedRevision, and Undelete makes one live again
// as it was, at the same revision.
//
// # Concurrency
//
// A Store is safe for concurrent use, also by several processes sharing
// one database. Each method is atomic: it takes effect entirely or not at
// all. Of several writers that Update or Delete the same scenario with the
// same If-Match, exactly one succeeds and the others get a precondition
// error; no write is lost and none lands on a revision its writer did not
// see. Of several Creates of one id exactly one succeeds and the others
// get a conflict; CreateUnique calls with one base all succeed, with
// distinct ids. A reader sees each write entirely or not at all: never the
// name of one revision with the body of another, and List's page and total
// come from one state of the store.
//
// # Key figures
//
// The list of scenarios shows key figures of each scenario's current
// revision (flag counts, utilisation, unclaimed money), which take a plan
// to compute. The application computes them once per revision and stores
// them with PutFigures, when it saves a revision or later for a revision
// stored before; List returns them with each scenario. Figures are derived
// data beside the revision, not part of it: storing them never changes a
// revision, the current revision number or the ETag.
//
// # Authors
//
// Every revision records its author: Create, CreateUnique and Update
// store the name WithAuthor put in their context, and Get, Revision and
// Revisions return it. Revisions stored before there were accounts have
// none.
//
// # Access records
//
// Besides scenarios, a store keeps who may use them: users and their
// roles, the server-side sessions of the web pages, API tokens, read-only
// share links, the audit log, the state of the login throttle and the
// server's secrets. Several instances of the program share them through
// one database, so that a session made on one is valid on another and a
// throttle counts every instance's failures.
//
// Secrets are never stored as they are: a session id, an API token and a
// share link's secret are stored as their SHA-256 hash (Hash fields), and
// looked up by it; a password is stored as the application's password hash
// (an argon2id string), which the store never reads.
//
// The store has no clock for access records: the caller gives every time
// (Created, Expires, now), so that expiry means the same on every instance
// and can be tested. Times are kept to the microsecond (PostgreSQL's
// precision; SQLite keeps nanoseconds) and come back in UTC. Audit
// entries, like revisions, are only ever appended.
//
// Errors follow the package's rules: an unknown or expired record is
// planner.KindNotFound, a taken user name planner.KindConflict, input no
// backend can store planner.KindInvalid.
//
// # Errors
//
// Expected failures are *planner.Error values of the kinds the HTTP layer
// maps to statuses: planner.KindNotFound for an unknown or deleted
// scenario or revision, planner.KindConflict for a taken id,
// planner.KindPrecondition for a stale If-Match, and planner.KindInvalid
// for input no backend can store (an empty id or body, a negative page).
//
// Faults that pass, or that an administrator can fix, have kinds of their
// own, so that no request answers a server error for them: a write that
// could not get its turn in time, a database server that cannot be
// reached or a store that can only be read is planner.KindUnavailable
// (Busy, Unavailable, ReadOnly), a store without room for a
// write is planner.KindFull (Full); both are a *RetryLater that says when
// to try again. A stored revision that fails its check is
// planner.KindDamaged (Damaged), never a revision read with other bytes.
//
// Backends build these errors with the constructors in this package
// (NotFound, Taken, Stale, Busy, …), so that every backend says the same
// words. Any other error is unexpected (a bug) and of kind
// planner.KindInternal; a canceled or expired context gives an error
// that wraps the context's error.
//
// Backends store bodies exactly as given and never look inside: callers
// decode and validate a scenario with planner.Decode before storing it.
package store

import (
	"context"
	"encoding/json"
	"time"
)

// Scenario is one revision of a stored scenario: the current one from Get,
// Create, Update and List, a given one from Revision.
type Scenario struct {
	ID       string    // e.g. "kim-siegen-wittgenstein"; compared and ordered byte by byte
	Name     string    // the scenario's "name" field, for lists
	Revision int       // 1 for a new scenario, +1 per update; the ETag
	Created  time.Time // UTC, when revision 1 was stored
	Updated  time.Time // UTC, when this revision was stored
	// Deleted is when the scenario was deleted (UTC), for the scenarios of
	// ListDeleted; zero for a live one.
	Deleted time.Time
	// Author is the name of the user who stored this revision (see
	// WithAuthor); "" for one stored without, as before there were
	// accounts. List leaves it empty.
	Author string
	// Body is the scenario JSON exactly as stored; List leaves it nil.
	Body json.RawMessage
	// Figures are the key figures stored for this revision in the
	// version ListOptions.FiguresVersion asked for; only List fills them,
	// and nil means none are stored in that version.
	Figures *Figures
}

// RevisionInfo describes one revision, without its body.
type RevisionInfo struct {
	Revision int
	Name     string
	Created  time.Time // UTC, when this revision was stored
	Author   string    // who stored it, "" if unknown
}

// Figures are key figures derived from one revision of a scenario, stored
// beside it. The store keeps Body byte for byte and never looks inside.
//
// Version names the application's format and way of computing them, and
// must be 1 or more. A program whose figures would differ from those
// stored by an earlier one (a new field, a changed rule) uses a new
// version: List then returns no figures for revisions that only have the
// earlier version's, and the program computes and stores its own. Figures
// of different versions of one revision are kept apart, so that two
// program versions sharing a database (during a rolling update) do not
// overwrite each other's.
type Figures struct {
	Version int
	Body    json.RawMessage
}

// ListOptions chooses the scenarios List returns.
type ListOptions struct {
	// Query, if not empty, keeps the scenarios whose id or name contains
	// it, ignoring case (Unicode lower case: "straße" finds "STRAßE",
	// "köln" finds "KÖLN"). It is matched as plain text, with no wildcard
	// characters.
	Query string
	// Offset skips that many matching scenarios; Limit returns at most
	// that many after them, 0 meaning all. Neither may be negative.
	Offset, Limit int
	// FiguresVersion, if not 0, asks for the figures of that version
	// stored for each scenario's current revision (Scenario.Figures).
	FiguresVersion int
}

// Scenarios stores scenarios, every revision of them, and the key figures
// derived from their revisions. See the package documentation for what
// every implementation promises; store/storetest checks it.
type Scenarios interface {
	// List returns the scenarios that are not deleted and match
	// opts.Query, ordered by id byte by byte, the page opts.Offset and
	// opts.Limit choose, and the number of all matching scenarios. The
	// page is empty but not nil when nothing is on it; the scenarios have
	// no Body.
	List(ctx context.Context, opts ListOptions) (page []Scenario, total int, err error)

	// Get returns the current revision of the scenario id.
	Get(ctx context.Context, id string) (Scenario, error)

	// Create stores body as revision 1 of a new scenario id, and fails
	// with a conflict if any scenario, also a deleted one, has that id.
	// The program makes ids from names (lower-case letters, digits and
	// '-'); a backend may refuse an id it cannot hold, such as one with a
	// NUL byte or invalid UTF-8, as invalid input. Reading an id that was
	// never stored is not found, whatever its bytes.
	Create(ctx context.Context, id, name string, body json.RawMessage) (Scenario, error)

	// CreateUnique stores body as revision 1 of a new scenario whose id
	// is what UniqueID(base) would return, chosen and taken atomically:
	// concurrent calls with one base all succeed, each with its own id.
	CreateUnique(ctx context.Context, base, name string, body json.RawMessage) (Scenario, error)

	// UniqueID returns base if no scenario, live or deleted, has that id,
	// and otherwise the first of base-2, base-3, … that none has (see
	// FreeID). Another writer may take the id before the caller creates
	// it, in which case Create fails with a conflict; CreateUnique does
	// not have that gap.
	UniqueID(ctx context.Context, base string) (string, error)

	// Update stores body as revision ifMatch+1 of the scenario id if
	// ifMatch is its current revision, and otherwise fails with a
	// precondition error and stores nothing. The earlier revisions stay
	// as they are. The returned Scenario keeps Created and has Updated
	// set to the new revision's time.
	Update(ctx context.Context, id string, ifMatch int, name string, body json.RawMessage) (Scenario, error)

	// Delete hides the scenario id if ifMatch is its current revision,
	// and otherwise fails with a precondition error and hides nothing.
	// Its revisions stay stored and its id stays taken.
	Delete(ctx context.Context, id string, ifMatch int) error

	// Revisions lists the revisions of the scenario id, oldest first.
	Revisions(ctx context.Context, id string) ([]RevisionInfo, error)

	// Revision returns the given revision of the scenario id: its name
	// and body, with Created the scenario's and Updated that revision's
	// time. A revision that was never stored is not found.
	Revision(ctx context.Context, id string, revision int) (Scenario, error)

	// ListDeleted is List of the deleted scenarios: those that match
	// opts.Query, ordered by id, with Deleted set and without Body, and the
	// number of all that match; opts.FiguresVersion is ignored.
	ListDeleted(ctx context.Context, opts ListOptions) (page []Scenario, total int, err error)

	// DeletedRevisions lists the revisions of the deleted scenario id,
	// oldest first; a live or unknown id is not found.
	DeletedRevisions(ctx context.Context, id string) ([]RevisionInfo, error)

	// DeletedRevision returns the given revision of the deleted scenario
	// id, as Revision does for a live one, with Deleted set; a live or
	// unknown id, or a revision never stored, is not found.
	DeletedRevision(ctx context.Context, id string, revision int) (Scenario, error)

	// Undelete makes the deleted scenario id live again and returns its
	// current revision, which is the one it had: no revision is written,
	// and its ETag is what it was. A live or unknown id is not found.
	Undelete(ctx context.Context, id string) (Scenario, error)

	// PutFigures stores f as the figures of the given revision of the
	// scenario id in f.Version, replacing figures stored before for that
	// revision in that version and no others. The scenario must not be
	// deleted and the revision must exist (any revision, not only the
	// current one), or it fails with not found. It changes no revision
	// and not the current revision number.
	PutFigures(ctx context.Context, id string, revision int, f Figures) error
}

// Store is a storage backend: what cmd/grantplan opens and hands to the
// rest of the program.
type Store interface {
	Scenarios
	Access

	// Ping reports whether the store can be read.
	Ping(ctx context.Context) error

	// PingWrite reports whether the store can be written now, without
	// writing: nil, or the error a write would get (ReadOnly, Full, …).
	// It is cheap enough for a health check, and it follows the store's
	// state: a store that was full answers nil once there is room.
	PingWrite(ctx context.Context) error

	// Close releases the store; it is called once, when the program is
	// done with the store.
	Close() error
}
