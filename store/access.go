package store

import (
	"context"
	"time"
)

// A User is an account. Name is unique and compared byte by byte (the
// application folds case before it stores one). A local user has a
// PasswordHash; a user who signs in through OpenID Connect has Issuer and
// Subject instead, unique together, and may have no password.
type User struct {
	ID           int64 // given by the store, never reused
	Name         string
	Role         string // the application's role name; the store does not interpret it
	PasswordHash string
	Issuer       string
	Subject      string
	Created      time.Time
}

// A Session is a signed-in browser. The cookie holds a random id; the store
// keeps its hash. A session ends at Expires (absolute) or at IdleExpires,
// which the application moves forward as the session is used.
type Session struct {
	Hash        []byte
	UserID      int64
	Created     time.Time
	IdleExpires time.Time
	Expires     time.Time
}

// A Token is an API token of a user. The store keeps the token's hash;
// LastUsed is zero until the token is first used. User is the user's name,
// filled in by reads.
type Token struct {
	ID       int64 // given by the store, never reused
	UserID   int64
	User     string
	Label    string
	Hash     []byte
	Created  time.Time
	Expires  time.Time
	LastUsed time.Time
}

// A Share is a read-only link to one scenario: to a fixed revision, or
// with Revision 0 to whichever revision is current when the link is opened.
type Share struct {
	ID         int64 // given by the store, never reused
	ScenarioID string
	Revision   int
	Hash       []byte
	CreatedBy  string // the name of the user who made it
	Created    time.Time
	Expires    time.Time
}

// An AuditEntry is one line of the audit log: who did what to which
// target, when, from which address. It must hold no secret.
type AuditEntry struct {
	ID      int64 // given by the store, increasing
	Time    time.Time
	Actor   string // a user name, or how the caller acted ("share link 3", "anonymous")
	Action  string // e.g. "login", "scenario.update"
	Target  string // e.g. a scenario id or a user name; may be empty
	Detail  string // e.g. "revision 4"; may be empty
	Address string // the client's address; empty for the command line
}

// AuditOptions choose a page of the audit log, newest first.
type AuditOptions struct {
	Offset, Limit int // Limit 0 means all; neither may be negative
}

// Users stores accounts.
type Users interface {
	// CreateUser stores u with a new ID and returns it. A taken name, or
	// a taken Issuer and Subject, is a conflict.
	CreateUser(ctx context.Context, u User) (User, error)

	// User returns the user with the name.
	User(ctx context.Context, name string) (User, error)

	// UserBySubject returns the user an OpenID provider knows as subject.
	UserBySubject(ctx context.Context, issuer, subject string) (User, error)

	// ListUsers returns every user, ordered by name.
	ListUsers(ctx context.Context) ([]User, error)

	// CountUsers returns how many users there are.
	CountUsers(ctx context.Context) (int, error)

	// SetPassword replaces the password hash of the user id and ends every
	// session of that user, in one step: no session made with the old
	// password outlives the change.
	SetPassword(ctx context.Context, id int64, hash string) error

	// SetRole replaces the role of the user id. With keep not empty, it
	// refuses (ErrLastOfRole) to take the role keep from the only user who
	// has it, checking and changing in one step: of two such changes at
	// once, one is refused.
	SetRole(ctx context.Context, id int64, role, keep string) error

	// DeleteUser removes the user id with its sessions and tokens. Share
	// links the user made stay; the audit log keeps its name. With keep
	// not empty, it refuses (ErrLastOfRole) to remove the only user in the
	// role keep, as SetRole does.
	DeleteUser(ctx context.Context, id int64, keep string) error
}

// Sessions stores the web pages' sessions.
type Sessions interface {
	// CreateSession stores s. Its user must exist (not found otherwise);
	// a hash that is stored already is a conflict.
	CreateSession(ctx context.Context, s Session) error

	// Session returns the session with the hash and its user, if it has
	// not ended at now (now before both expiries); otherwise not found.
	Session(ctx context.Context, hash []byte, now time.Time) (Session, User, error)

	// TouchSession moves the idle expiry of the session with the hash
	// forward to idleExpires; an earlier time changes nothing. A session
	// that does not exist is not found.
	TouchSession(ctx context.Context, hash []byte, idleExpires time.Time) error

	// DeleteSession ends the session with the hash; one that does not
	// exist is not an error.
	DeleteSession(ctx context.Context, hash []byte) error

	// DeleteExpiredSessions removes the sessions that have ended at now
	// and returns how many.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// Tokens stores API tokens.
type Tokens interface {
	// CreateToken stores t with a new ID and returns it, User filled in.
	// Its user must exist (not found otherwise).
	CreateToken(ctx context.Context, t Token) (Token, error)

	// TokenByHash returns the token with the hash and its user, if it
	// has not expired at now; otherwise not found.
	TokenByHash(ctx context.Context, hash []byte, now time.Time) (Token, User, error)

	// ListTokens returns every token, expired ones too, ordered by ID.
	ListTokens(ctx context.Context) ([]Token, error)

	// TouchToken records that the token id was used at; an earlier time
	// than the recorded one changes nothing. An unknown token is not
	// found.
	TouchToken(ctx context.Context, id int64, at time.Time) error

	// DeleteToken revokes the token id; an unknown one is not found.
	DeleteToken(ctx context.Context, id int64) error
}

// Shares stores read-only share links.
type Shares interface {
	// CreateShare stores s with a new ID and returns it. The scenario
	// must exist and not be deleted, and a fixed revision must exist, or
	// it is not found.
	CreateShare(ctx context.Context, s Share) (Share, error)

	// ShareByHash returns the share link with the hash if it has not
	// expired at now and its scenario is not deleted; otherwise not
	// found.
	ShareByHash(ctx context.Context, hash []byte, now time.Time) (Share, error)

	// ListShares returns the links to the scenario id that have not
	// expired at now, ordered by ID. A deleted or unknown scenario is not
	// found.
	ListShares(ctx context.Context, scenarioID string, now time.Time) ([]Share, error)

	// DeleteShare revokes the link id to the scenario; a link to another
	// scenario, or none, is not found.
	DeleteShare(ctx context.Context, scenarioID string, id int64) error
}

// Audit stores the audit log. Entries are only ever appended.
type Audit interface {
	// AppendAudit adds e to the log with a new, larger ID.
	AppendAudit(ctx context.Context, e AuditEntry) error

	// ListAudit returns the page of the log opts choose, newest first,
	// and how many entries there are.
	ListAudit(ctx context.Context, opts AuditOptions) ([]AuditEntry, int, error)
}

// Logins stores the login throttle's state: recent failed logins per key
// (the application's keys stand for a user name and a client address).
type Logins interface {
	// TakeLoginAttempt decides whether a login with keys may be tried at
	// now. If any key has limit or more failures after now-window, it
	// records nothing and returns when the oldest of the last limit
	// failures of the most throttled key leaves the window. Otherwise it
	// records a failure at now for every key and returns the zero time:
	// the attempt counts as failed until ClearLoginFailures says it
	// succeeded. Concurrent attempts are counted one by one, so that of
	// many at once no more than limit per key are let through.
	TakeLoginAttempt(ctx context.Context, keys []string, now time.Time, window time.Duration, limit int) (retryAt time.Time, err error)

	// ClearLoginFailures forgets every failure of keys (after a
	// successful login).
	ClearLoginFailures(ctx context.Context, keys []string) error

	// DeleteLoginFailures removes the failures of every key at or before
	// the time and returns how many: those of keys that are never tried
	// again (a name tried once) would stay otherwise.
	DeleteLoginFailures(ctx context.Context, before time.Time) (int, error)
}

// Secrets stores the server's secrets (the key that signs CSRF tokens),
// shared by every instance.
type Secrets interface {
	// Secret returns the secret stored under name. If there is none, it
	// stores fresh and returns it; of concurrent calls with different
	// fresh values, all return the one that was stored.
	Secret(ctx context.Context, name string, fresh []byte) ([]byte, error)
}

// Access is every store of access records.
type Access interface {
	Users
	Sessions
	Tokens
	Shares
	Audit
	Logins
	Secrets
}

// authorKey is the context key of WithAuthor.
type authorKey struct{}

// WithAuthor returns a context under which Create, CreateUnique and
// Update record name as the author of the revision they store. The
// application puts the signed-in user there, as it does its other
// request-scoped values; a revision stored without one has no author.
func WithAuthor(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, authorKey{}, name)
}

// AuthorOf returns the author WithAuthor put in ctx, "" if none.
func AuthorOf(ctx context.Context) string {
	name, _ := ctx.Value(authorKey{}).(string)
	return name
}
