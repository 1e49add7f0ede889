package store

import (
	"time"

	"grantplan/planner"
)

// NotFound is the error for a scenario id that was never stored or is
// deleted.
func NotFound(id string) error {
	return planner.Errorf(planner.KindNotFound, "scenario %q not found", id)
}

// NotDeleted is the error of the methods on deleted scenarios for an id
// that is live or was never stored.
func NotDeleted(id string) error {
	return planner.Errorf(planner.KindNotFound, "no deleted scenario %q", id)
}

// RevisionNotFound is the error for a revision a live scenario does not
// have.
func RevisionNotFound(id string, revision int) error {
	return planner.Errorf(planner.KindNotFound, "scenario %q has no revision %d", id, revision)
}

// Taken is the error of Create for an id that a scenario, live or
// deleted, has.
func Taken(id string) error {
	return planner.Errorf(planner.KindConflict, "scenario %q already exists", id)
}

// Stale is the error of Update and Delete when ifMatch is not the current
// revision.
func Stale(id string, current, ifMatch int) error {
	return planner.Errorf(planner.KindPrecondition, "scenario %q is at revision %d, not %d", id, current, ifMatch)
}

// ErrLastOfRole is the error of SetRole and DeleteUser that would leave
// no user in the role they were asked to keep.
var ErrLastOfRole = planner.Errorf(planner.KindConflict, "this is the only user in the role")

// A RetryLater is a failure that passes by itself, such as a busy or full
// store, with how long a client should wait before it tries again (HTTP's
// Retry-After). It unwraps to a *planner.Error of its kind.
type RetryLater struct {
	Err   *planner.Error
	After time.Duration
}

func (e *RetryLater) Error() string { return e.Err.Error() }

func (e *RetryLater) Unwrap() error { return e.Err }

// RetryAfter is how long a client should wait before it tries again.
func (e *RetryLater) RetryAfter() time.Duration { return e.After }

// How long a client is asked to wait when the store is busy, when it
// cannot be reached (a database server restarting or failing over takes
// seconds), and when it is full or read-only, which takes someone to fix.
const (
	BusyRetry        = 2 * time.Second
	UnreachableRetry = 5 * time.Second
	FixedRetry       = 60 * time.Second
)

// Busy is the error of a write that could not get its turn in time: other
// writers held the store (planner.KindUnavailable).
func Busy(op string) error {
	return &RetryLater{Err: planner.Errorf(planner.KindUnavailable,
		"the store is busy with other writes and could not %s in time: try again shortly", op), After: BusyRetry}
}

// BusyBecause is Busy with the backend's reason, such as its lock
// timeout.
func BusyBecause(op, reason string) error {
	return &RetryLater{Err: planner.Errorf(planner.KindUnavailable,
		"the store is busy and could not %s in time (%s): try again shortly", op, reason), After: BusyRetry}
}

// Unavailable is the error of an operation on a database server that
// cannot be reached or whose connection was lost (planner.KindUnavailable):
// it is down, restarting or failing over. why says how, in a few words
// that name no host.
func Unavailable(op, why string) error {
	return &RetryLater{Err: planner.Errorf(planner.KindUnavailable,
		"the database cannot be reached, so the store could not %s (%s): try again shortly", op, why), After: UnreachableRetry}
}

// ReadOnly is the error of a write to a store that can only be read, such
// as a database file without write permission (planner.KindUnavailable).
func ReadOnly(why string) error {
	return &RetryLater{Err: planner.Errorf(planner.KindUnavailable,
		"the store is read-only (%s): reads work, but nothing can be saved until an administrator fixes it", why), After: FixedRetry}
}

// Full is the error of a write the store has no room for: its size limit
// is reached or its disk is full (planner.KindFull).
func Full(why string) error {
	return &RetryLater{Err: planner.Errorf(planner.KindFull,
		"the store has no room for this: %s; nothing was saved", why), After: FixedRetry}
}

// TooLarge is the error of a revision body over the store's limit per
// revision (planner.KindTooLarge).
func TooLarge(id string, size, limit int) error {
	return planner.Errorf(planner.KindTooLarge, "scenario %q: the revision is %d bytes, at most %d are stored", id, size, limit)
}

// Damaged is the error of a stored revision that fails its checksum or
// cannot be decoded (planner.KindDamaged): the store's file is damaged,
// not the request.
func Damaged(id string, revision int) error {
	return planner.Errorf(planner.KindDamaged,
		"stored revision %d of %q is damaged: restore the database from a backup", revision, id)
}

// UserNotFound is the error for a user name or id that no user has.
func UserNotFound(who string) error {
	return planner.Errorf(planner.KindNotFound, "user %s not found", who)
}

// UserTaken is the error of CreateUser for a name, or an OpenID identity,
// that a user has.
func UserTaken(name string) error {
	return planner.Errorf(planner.KindConflict, "user %q already exists", name)
}

// SessionNotFound is the error for a session that does not exist or has
// ended. It names no session: the hash is a secret's.
func SessionNotFound() error {
	return planner.Errorf(planner.KindNotFound, "no such session")
}

// TokenNotFound is the error for an unknown or expired API token.
func TokenNotFound(id string) error {
	return planner.Errorf(planner.KindNotFound, "API token %s not found", id)
}

// ShareNotFound is the error for an unknown, revoked or expired share
// link.
func ShareNotFound(id string) error {
	return planner.Errorf(planner.KindNotFound, "share link %s not found", id)
}
