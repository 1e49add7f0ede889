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
