package service

import (
	"context"
	"strconv"

	"grantplan/store"
)

// A Role says what a user may do (the table in authorize.go):
//
//   - admin: everything, and users, API tokens and the audit log;
//   - planner: create, edit, delete, restore and share scenarios;
//   - viewer: read scenarios, and plan, what-if, risk and export them
//     without storing anything.
type Role string

// The roles, most powerful first.
const (
	RoleAdmin   Role = "admin"
	RolePlanner Role = "planner"
	RoleViewer  Role = "viewer"
)

// Roles lists the roles, most powerful first.
var Roles = []Role{RoleAdmin, RolePlanner, RoleViewer}

// ParseRole reads a role's name.
func ParseRole(s string) (Role, bool) {
	switch r := Role(s); r {
	case RoleAdmin, RolePlanner, RoleViewer:
		return r, true
	}
	return "", false
}

// An Actor is who calls the service: a signed-in user (through a session
// or an API token), an anonymous visitor the server lets act in a role
// (serve --anonymous-role), the holder of a share link, or the command
// line. The adapter that authenticated the caller puts it in the context
// (WithActor); a context without one is an anonymous caller with no role,
// whom the service refuses everything.
type Actor struct {
	// Name is the user's name: the author of the revisions they store.
	// Empty for anonymous callers and share links.
	Name   string
	UserID int64
	// Role is what the actor may do; empty for a share link, which may
	// only read its own scenario.
	Role Role
	// Share is the link a share-link actor came with.
	Share *store.Share
	// Via says how the actor was recognised, for the audit log: "session",
	// "token", "oidc", "anonymous", "share link", "command line".
	Via string
	// Address is the client's address, for the audit log; empty for the
	// command line.
	Address string
}

// Ways an actor is recognised (Actor.Via).
const (
	ViaSession     = "session"
	ViaToken       = "token"
	ViaAnonymous   = "anonymous"
	ViaShare       = "share link"
	ViaCommandLine = "command line"
	ViaFirstStart  = "first start" // the admin made when there is no user
)

// String names the actor in the audit log: the user's name, or how an
// actor without one came.
func (a Actor) String() string {
	switch {
	case a.Name != "":
		return a.Name
	case a.Share != nil:
		return "share link " + strconv.FormatInt(a.Share.ID, 10)
	case a.Via != "":
		return a.Via
	}
	return ViaAnonymous
}

// CommandLine is the actor of the command line: whoever can run it on
// the database file may do everything, as they could edit the file.
// osUser, if known, is the operating system's user running it, for the
// audit log.
func CommandLine(osUser string) Actor {
	name := ViaCommandLine
	if osUser != "" {
		name += " (" + osUser + ")"
	}
	return Actor{Role: RoleAdmin, Via: name}
}

type actorKey struct{}

// WithActor returns a context carrying a as the caller.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorOf returns the caller in ctx; the zero Actor (anonymous, no role)
// if there is none.
func ActorOf(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// RoleFromGroups is the role of a user who signs in through an OpenID
// provider, from the groups the provider lists for them: admin in
// adminGroup, else planner in plannerGroup, else viewer. An empty group
// name matches no group.
func RoleFromGroups(groups []string, adminGroup, plannerGroup string) Role {
	role := RoleViewer
	for _, g := range groups {
		switch {
		case g == "":
		case g == adminGroup:
			return RoleAdmin
		case g == plannerGroup:
			role = RolePlanner
		}
	}
	return role
}
