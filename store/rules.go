package store

import (
	"encoding/json"
	"strconv"
	"strings"

	"grantplan/planner"
)

// CheckScenario refuses what no backend can store: an empty id cannot be
// addressed in a URL, and an empty body is no scenario. Backends call it
// first in Create, CreateUnique and Update; both are the caller's mistake.
func CheckScenario(id string, body json.RawMessage) error {
	if err := CheckID(id); err != nil {
		return err
	}
	if len(body) == 0 {
		return planner.Errorf(planner.KindInvalid, "scenario %q: empty body", id)
	}
	return nil
}

// CheckID refuses an empty scenario id, or base of UniqueID.
func CheckID(id string) error {
	if id == "" {
		return planner.Errorf(planner.KindInvalid, "empty scenario id")
	}
	return nil
}

// CheckFigures refuses figures no backend can store: an empty id, a
// version below 1 (0 means "no figures" in ListOptions) or an empty body.
func CheckFigures(id string, f Figures) error {
	if err := CheckID(id); err != nil {
		return err
	}
	if f.Version < 1 {
		return planner.Errorf(planner.KindInvalid, "figures of scenario %q: version %d, want 1 or more", id, f.Version)
	}
	if len(f.Body) == 0 {
		return planner.Errorf(planner.KindInvalid, "figures of scenario %q: empty body", id)
	}
	return nil
}

// CheckList refuses list options no backend can follow.
func CheckList(opts ListOptions) error {
	switch {
	case opts.Offset < 0:
		return planner.Errorf(planner.KindInvalid, "list offset %d: want 0 or more", opts.Offset)
	case opts.Limit < 0:
		return planner.Errorf(planner.KindInvalid, "list limit %d: want 0 or more", opts.Limit)
	case opts.FiguresVersion < 0:
		return planner.Errorf(planner.KindInvalid, "figures version %d: want 0 or more", opts.FiguresVersion)
	}
	return nil
}

// FreeID returns base if taken(base) is false, and otherwise the first of
// base-2, base-3, … that is not taken: the rule of UniqueID and
// CreateUnique, for every backend.
func FreeID(base string, taken func(id string) bool) string {
	if !taken(base) {
		return base
	}
	for n := 2; ; n++ {
		if id := base + "-" + strconv.Itoa(n); !taken(id) {
			return id
		}
	}
}

// Fold is the case folding of ListOptions.Query: a scenario matches if
// Fold(query) is part of Fold(id) or Fold(name).
func Fold(s string) string { return strings.ToLower(s) }

// CheckUser refuses a user no backend can store: without a name or a
// role, or with half an OpenID identity.
func CheckUser(u User) error {
	switch {
	case u.Name == "":
		return planner.Errorf(planner.KindInvalid, "empty user name")
	case u.Role == "":
		return planner.Errorf(planner.KindInvalid, "user %q: empty role", u.Name)
	case (u.Issuer == "") != (u.Subject == ""):
		return planner.Errorf(planner.KindInvalid, "user %q: an OpenID identity needs both issuer and subject", u.Name)
	}
	return nil
}

// CheckHash refuses an empty hash of a secret: every secret the program
// makes has one, and an empty one would match a missing value.
func CheckHash(what string, hash []byte) error {
	if len(hash) == 0 {
		return planner.Errorf(planner.KindInvalid, "%s: empty hash", what)
	}
	return nil
}

// CheckAudit refuses audit options no backend can follow.
func CheckAudit(opts AuditOptions) error {
	if opts.Offset < 0 || opts.Limit < 0 {
		return planner.Errorf(planner.KindInvalid, "audit page offset %d, limit %d: want 0 or more", opts.Offset, opts.Limit)
	}
	return nil
}
