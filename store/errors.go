package store

import "grantplan/planner"

// NotFound is the error for a scenario id that was never stored or is
// deleted.
func NotFound(id string) error {
	return planner.Errorf(planner.KindNotFound, "scenario %q not found", id)
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
