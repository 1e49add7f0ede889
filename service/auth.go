package service

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"grantplan/planner"
	"grantplan/store"
)

// Auth recognises callers and makes them Actors: users signing in with a
// password or through OpenID Connect (a session of the web pages), API
// tokens, share links. It throttles failed logins and signs CSRF tokens.
// It decides nothing about what a caller may do; the Service does
// (authorize.go). It is safe for concurrent use, also by several
// instances sharing one store.
type Auth struct {
	store    store.Access
	now      func() time.Time
	password PasswordParams
	log      *slog.Logger
	idle     time.Duration
	max      time.Duration
	tokens   *tokenCache
	// hashing holds one slot per core: a password hash takes 64 MiB, and
	// a burst of logins must not take the server's memory.
	hashing chan struct{}
	// dummy is a hash to check a password against when the user does
	// not exist, so that the answer takes as long as for one who does.
	dummy  string
	secret struct {
		sync.Mutex
		key []byte
	}
	// swept is when this instance last removed the ended sessions.
	swept atomic.Int64
}

// Defaults of Options for sessions and tokens, and the login throttle.
const (
	// DefaultSessionIdle ends a session after a working day without a
	// request; DefaultSessionMax after a week in any case.
	DefaultSessionIdle = 8 * time.Hour
	DefaultSessionMax  = 7 * 24 * time.Hour
	// DefaultTokenCache is how long a looked-up API token is trusted
	// without asking the store: a revoked token, a removed user or a
	// changed role counts within this time on every instance.
	DefaultTokenCache = 10 * time.Second
	// LoginLimit failed logins in a row for one user name or from one
	// address within LoginWindow refuse the next attempts, even with the
	// right password, until the oldest of them is LoginWindow old.
	LoginLimit  = 5
	LoginWindow = 15 * time.Minute
	// touchEvery is how often a session's idle expiry and a token's last
	// use are written: not on every request.
	touchEvery = time.Minute
)

// NewAuth returns the authentication of callers on st. It uses the
// options' clock, password parameters, logger, session times and token
// cache.
func NewAuth(st store.Access, opts Options) *Auth {
	opts = opts.withDefaults()
	a := &Auth{store: st, now: opts.Now, password: opts.Password, log: opts.Logger,
		idle: opts.SessionIdle, max: opts.SessionMax,
		tokens:  newTokenCache(opts.TokenCache),
		hashing: make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
	a.dummy = dummyHash(a.password)
	return a
}

// A Login is a session just begun: ID goes into the browser's cookie and
// is never stored; the session ends at Expires at the latest.
type Login struct {
	ID      string
	Expires time.Time
	Actor   Actor
}

// ErrLoginFailed is the answer to a wrong user name or password; it does
// not say which was wrong.
var ErrLoginFailed = errors.New("wrong user name or password")

// A ThrottledError refuses a login after LoginLimit failures in a row:
// the HTTP layer answers 429 with Retry-After.
type ThrottledError struct {
	Wait time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed logins: try again in %d minutes", minutesUp(e.Wait))
}

// RetryAfter is how long the client should wait.
func (e *ThrottledError) RetryAfter() time.Duration { return e.Wait }

// minutesUp is d in whole minutes, rounded up, at least 1.
func minutesUp(d time.Duration) int {
	return max(1, int((d+time.Minute-1)/time.Minute))
}

// throttleKeys are the login throttle's keys of a name and an address.
// The name is kept as a hash: a name typed at the login may be a password
// typed into the wrong field, and must not be stored as it is. An IPv6
// address counts as its /64, from which a host may take any address it
// likes; an IPv4 address as itself.
func throttleKeys(name, address string) []string {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(name))))
	if addr, err := netip.ParseAddr(address); err == nil && addr.Unmap().Is6() {
		if prefix, err := addr.Prefix(64); err == nil {
			address = prefix.String()
		}
	}
	return []string{"name:" + hex.EncodeToString(h[:16]), "address:" + address}
}

// Login checks a user's password and begins a session. A wrong name or
// password is ErrLoginFailed; after LoginLimit of them in a row for the
// name or the address within LoginWindow, every attempt is a
// *ThrottledError until the oldest leaves the window. Each outcome is in
// the audit log and the log, without the password.
func (a *Auth) Login(ctx context.Context, name, password, address string) (Login, error) {
	now := a.now()
	a.sweep(ctx, now)
	actor := Actor{Address: address}
	keys := throttleKeys(name, address)
	retryAt, err := a.store.TakeLoginAttempt(ctx, keys, now, LoginWindow, LoginLimit)
	if err != nil {
		return Login{}, err
	}
	clean, nameErr := UserName(name)
	var u store.User
	if nameErr == nil {
		u, err = a.store.User(ctx, clean)
		if err != nil && planner.KindOf(err) != planner.KindNotFound {
			return Login{}, err
		}
	}
	target := u.Name
	if target == "" {
		target = "(unknown user)"
	}
	if !retryAt.IsZero() {
		wait := retryAt.Sub(now)
		a.log.LogAttrs(ctx, slog.LevelWarn, "login refused: too many failures", slog.String("user", target),
			slog.String("client", address), slog.Int("retry_after_s", int(wait.Seconds())))
		appendAudit(ctx, a.store, a.log, now, actor, "login.refused", target, "too many failed logins")
		return Login{}, &ThrottledError{Wait: wait}
	}

	ok, err := a.checkPassword(ctx, u.PasswordHash, password)
	if err != nil {
		return Login{}, err
	}
	if !ok {
		a.log.LogAttrs(ctx, slog.LevelInfo, "login failed", slog.String("user", target), slog.String("client", address))
		appendAudit(ctx, a.store, a.log, now, actor, "login.failed", target, "wrong name or password")
		return Login{}, ErrLoginFailed
	}
	if err := a.store.ClearLoginFailures(ctx, keys); err != nil {
		return Login{}, err
	}
	return a.begin(ctx, u, address, "password")
}

// checkPassword checks password against hash, or against a dummy hash
// if there is none (no such user, or one who signs in elsewhere), in one
// of the hashing slots.
func (a *Auth) checkPassword(ctx context.Context, hash, password string) (bool, error) {
	select {
	case a.hashing <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-a.hashing }()
	if hash == "" || len(password) > maxPasswordLength {
		_, _ = checkPassword(a.dummy, password[:min(len(password), maxPasswordLength)])
		return false, nil
	}
	ok, err := checkPassword(hash, password)
	if errors.Is(err, errBadHash) {
		return false, fmt.Errorf("service: the stored password hash cannot be read: %w", err)
	}
	return ok, err
}

// An ExternalLogin is a user an OpenID provider has vouched for, with the
// role their groups give.
type ExternalLogin struct {
	Issuer, Subject string
	Name            string // the provider's name for them (preferred_username or e-mail)
	Role            Role
}

// LoginExternal begins a session of a user an OpenID provider has
// signed in: made on their first login, with the role the provider's
// groups give, which is set again at every login. A name that a local
// user has already is refused rather than taken over.
func (a *Auth) LoginExternal(ctx context.Context, ext ExternalLogin, address string) (Login, error) {
	now := a.now()
	if err := checkRole(ext.Role); err != nil {
		return Login{}, err
	}
	system := Actor{Via: "oidc", Address: address}
	u, err := a.store.UserBySubject(ctx, ext.Issuer, ext.Subject)
	switch {
	case planner.KindOf(err) == planner.KindNotFound:
		name, err := UserName(ext.Name)
		if err != nil {
			return Login{}, err
		}
		u, err = a.store.CreateUser(ctx, store.User{Name: name, Role: string(ext.Role), Issuer: ext.Issuer, Subject: ext.Subject, Created: now})
		if planner.KindOf(err) == planner.KindConflict {
			return Login{}, planner.Errorf(planner.KindConflict,
				"a user named %q exists already and does not sign in through %s; an admin can remove or rename it", name, ext.Issuer)
		}
		if err != nil {
			return Login{}, err
		}
		appendAudit(ctx, a.store, a.log, now, system, "user.add", u.Name, "role "+u.Role+", signs in through "+ext.Issuer)
	case err != nil:
		return Login{}, err
	case u.Role != string(ext.Role):
		if err := a.store.SetRole(ctx, u.ID, string(ext.Role), ""); err != nil {
			return Login{}, err
		}
		appendAudit(ctx, a.store, a.log, now, system, "user.role", u.Name, fmt.Sprintf("role %s (was %s), from the provider's groups", ext.Role, u.Role))
		u.Role = string(ext.Role)
	}
	return a.begin(ctx, u, address, "oidc")
}

// begin stores a new session of u and returns its id. A new id for every
// login: a session id known before the login (fixation) is worth nothing.
func (a *Auth) begin(ctx context.Context, u store.User, address, how string) (Login, error) {
	role, ok := ParseRole(u.Role)
	if !ok {
		return Login{}, fmt.Errorf("service: user %q has the unknown role %q", u.Name, u.Role)
	}
	now := a.now()
	id := randomSecret()
	expires := now.Add(a.max)
	err := a.store.CreateSession(ctx, store.Session{Hash: hashSecret(id), UserID: u.ID, Created: now,
		IdleExpires: now.Add(a.idle), Expires: expires})
	if err != nil {
		return Login{}, err
	}
	actor := Actor{Name: u.Name, UserID: u.ID, Role: role, Via: ViaSession, Address: address}
	appendAudit(ctx, a.store, a.log, now, actor, "login", u.Name, how)
	a.sweep(ctx, now)
	return Login{ID: id, Expires: expires, Actor: actor}, nil
}

// sweepEvery is how often an instance removes the sessions that have
// ended and the failed logins past the throttle's window; they count for
// nothing anyway, this only keeps the tables small.
const sweepEvery = time.Hour

// sweep removes the ended sessions and the failed logins past LoginWindow
// if this instance has not done so for sweepEvery. A login attempt is a
// good moment: rare, and slow by design. Without it, the failures of names
// tried once (a guesser's) would pile up, since the throttle removes a
// key's old failures only when that key is tried again.
func (a *Auth) sweep(ctx context.Context, now time.Time) {
	last := a.swept.Load()
	if now.UnixNano()-last < int64(sweepEvery) || !a.swept.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	if _, err := a.store.DeleteExpiredSessions(ctx, now); err != nil {
		a.log.LogAttrs(ctx, slog.LevelWarn, "removing ended sessions failed", slog.String("error", err.Error()))
	}
	if _, err := a.store.DeleteLoginFailures(ctx, now.Add(-LoginWindow)); err != nil {
		a.log.LogAttrs(ctx, slog.LevelWarn, "removing old failed logins failed", slog.String("error", err.Error()))
	}
}

// ErrNoSession says that a cookie names no live session: none, one that
// has ended, or a pre-session.
var ErrNoSession = errors.New("no session")

// preSessionPrefix starts the cookie value of a browser that has not
// signed in: it binds the login form's CSRF token and is never stored.
const preSessionPrefix = "pre."

// NewPreSession returns a random cookie value for a browser that has not
// signed in, to which the CSRF tokens of its forms are bound.
func NewPreSession() string { return preSessionPrefix + randomSecret() }

// IsPreSession reports whether a cookie value is one NewPreSession made
// (by its form: it is never stored).
func IsPreSession(value string) bool {
	return strings.HasPrefix(value, preSessionPrefix) && len(value) == len(preSessionPrefix)+43
}

// Session returns the actor of a session id from a cookie, if the
// session is live, and moves its idle expiry forward (at most once a
// minute). A role changed meanwhile counts at once.
func (a *Auth) Session(ctx context.Context, id, address string) (Actor, error) {
	if id == "" || strings.HasPrefix(id, preSessionPrefix) || len(id) > 100 {
		return Actor{}, ErrNoSession
	}
	now := a.now()
	hash := hashSecret(id)
	sess, u, err := a.store.Session(ctx, hash, now)
	if planner.KindOf(err) == planner.KindNotFound {
		return Actor{}, ErrNoSession
	}
	if err != nil {
		return Actor{}, err
	}
	role, ok := ParseRole(u.Role)
	if !ok {
		return Actor{}, fmt.Errorf("service: user %q has the unknown role %q", u.Name, u.Role)
	}
	if next := now.Add(a.idle); next.Sub(sess.IdleExpires) >= touchEvery {
		if err := a.store.TouchSession(ctx, hash, next); err != nil && planner.KindOf(err) != planner.KindNotFound {
			return Actor{}, err
		}
	}
	return Actor{Name: u.Name, UserID: u.ID, Role: role, Via: ViaSession, Address: address}, nil
}

// Logout ends the session id; the audit log records it.
func (a *Auth) Logout(ctx context.Context, id, address string) error {
	actor, err := a.Session(ctx, id, address)
	if errors.Is(err, ErrNoSession) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := a.store.DeleteSession(ctx, hashSecret(id)); err != nil {
		return err
	}
	appendAudit(ctx, a.store, a.log, a.now(), actor, "logout", actor.Name, "")
	return nil
}

// ErrBadToken refuses an API token that is malformed, unknown, revoked or
// expired; it does not say which.
var ErrBadToken = errors.New("the API token is not valid")

// tokenLength is the length of an API token: the prefix and 32 bytes in
// base64url.
var tokenLength = len(TokenPrefix) + base64.RawURLEncoding.EncodedLen(32)

// Token returns the actor of an API token. A token looked up lately is
// trusted from the cache (DefaultTokenCache); otherwise the store is
// asked by the token's hash, and the stored hash compared in constant
// time. A token's last use is written at most once a minute.
func (a *Auth) Token(ctx context.Context, token, address string) (Actor, error) {
	if len(token) != tokenLength || !strings.HasPrefix(token, TokenPrefix) {
		return Actor{}, ErrBadToken
	}
	now := a.now()
	hash := sha256.Sum256([]byte(token))
	entry, ok := a.tokens.get(hash, now)
	if !ok {
		t, u, err := a.store.TokenByHash(ctx, hash[:], now)
		if planner.KindOf(err) == planner.KindNotFound {
			return Actor{}, ErrBadToken
		}
		if err != nil {
			return Actor{}, err
		}
		if subtle.ConstantTimeCompare(t.Hash, hash[:]) != 1 {
			return Actor{}, ErrBadToken
		}
		role, ok := ParseRole(u.Role)
		if !ok {
			return Actor{}, fmt.Errorf("service: user %q has the unknown role %q", u.Name, u.Role)
		}
		entry = cachedToken{actor: Actor{Name: u.Name, UserID: u.ID, Role: role, Via: ViaToken},
			id: t.ID, expires: t.Expires, lastUsed: t.LastUsed}
		a.tokens.put(hash, entry, now)
	}
	if now.Sub(entry.lastUsed) >= touchEvery {
		// Only the last use is lost if this fails; the request goes on.
		if err := a.store.TouchToken(ctx, entry.id, now); err != nil && planner.KindOf(err) != planner.KindNotFound {
			a.log.LogAttrs(ctx, slog.LevelWarn, "recording a token's use failed", slog.Int64("token", entry.id), slog.String("error", err.Error()))
		}
		a.tokens.used(hash, now)
	}
	actor := entry.actor
	actor.Address = address
	return actor, nil
}

// ErrNoShare refuses a share link that is unknown, revoked, expired or
// whose scenario is deleted; the HTTP layer answers 404.
var ErrNoShare = planner.Errorf(planner.KindNotFound, "there is no such share link, or it has expired")

// Share returns the actor of a share link's secret.
func (a *Auth) Share(ctx context.Context, secret, address string) (Actor, error) {
	if len(secret) != base64.RawURLEncoding.EncodedLen(32) {
		return Actor{}, ErrNoShare
	}
	hash := hashSecret(secret)
	sh, err := a.store.ShareByHash(ctx, hash, a.now())
	if planner.KindOf(err) == planner.KindNotFound {
		return Actor{}, ErrNoShare
	}
	if err != nil {
		return Actor{}, err
	}
	if subtle.ConstantTimeCompare(sh.Hash, hash) != 1 {
		return Actor{}, ErrNoShare
	}
	return Actor{Share: &sh, Via: ViaShare, Address: address}, nil
}

// Bootstrap makes the first user, an admin named name with a new
// password, if the store has no user; it returns the password, to be
// shown once, or "" if there were users already.
func (a *Auth) Bootstrap(ctx context.Context, name string) (string, error) {
	n, err := a.store.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	password := NewPassword()
	u, err := addUser(ctx, a.store, a.password, a.now(), name, RoleAdmin, password)
	if planner.KindOf(err) == planner.KindConflict {
		return "", nil // another instance on the same store was quicker
	}
	if err != nil {
		return "", err
	}
	appendAudit(ctx, a.store, a.log, a.now(), Actor{Via: ViaFirstStart}, "user.add", u.Name, "role admin")
	return password, nil
}

// MAC signs message for purpose with the server's secret, shared by every
// instance through the store: HMAC-SHA-256, in base64url.
func (a *Auth) MAC(ctx context.Context, purpose, message string) (string, error) {
	key, err := a.key(ctx)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(purpose))
	mac.Write([]byte{0})
	mac.Write([]byte(message))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)), nil
}

// CheckMAC reports whether sum is MAC(purpose, message), comparing in
// constant time.
func (a *Auth) CheckMAC(ctx context.Context, purpose, message, sum string) (bool, error) {
	want, err := a.MAC(ctx, purpose, message)
	if err != nil {
		return false, err
	}
	return hmac.Equal([]byte(sum), []byte(want)), nil
}

// key returns the server's secret, read from the store once (and stored
// there by the first instance that needs it).
func (a *Auth) key(ctx context.Context) ([]byte, error) {
	a.secret.Lock()
	defer a.secret.Unlock()
	if a.secret.key != nil {
		return a.secret.key, nil
	}
	fresh := make([]byte, 32)
	_, _ = rand.Read(fresh) // crypto/rand never fails on a supported platform
	key, err := a.store.Secret(ctx, "mac", fresh)
	if err != nil {
		return nil, err
	}
	a.secret.key = key
	return key, nil
}

// tokenCache keeps looked-up API tokens for a short time, so that a
// request with a token costs a hash and a map lookup, not a query.
type tokenCache struct {
	ttl     time.Duration
	mu      sync.RWMutex
	entries map[[sha256.Size]byte]cachedToken
}

type cachedToken struct {
	actor    Actor
	id       int64
	expires  time.Time // the token's
	lastUsed time.Time
	until    time.Time // trusted from the cache until then
}

// maxCachedTokens bounds the cache; beyond it, it starts afresh.
const maxCachedTokens = 10000

func newTokenCache(ttl time.Duration) *tokenCache {
	return &tokenCache{ttl: ttl, entries: make(map[[sha256.Size]byte]cachedToken)}
}

func (c *tokenCache) get(hash [sha256.Size]byte, now time.Time) (cachedToken, bool) {
	if c.ttl <= 0 {
		return cachedToken{}, false
	}
	c.mu.RLock()
	e, ok := c.entries[hash]
	c.mu.RUnlock()
	if !ok || !now.Before(e.until) || !now.Before(e.expires) {
		return cachedToken{}, false
	}
	return e, true
}

func (c *tokenCache) put(hash [sha256.Size]byte, e cachedToken, now time.Time) {
	if c.ttl <= 0 {
		return
	}
	e.until = now.Add(c.ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCachedTokens {
		clear(c.entries)
	}
	c.entries[hash] = e
}

func (c *tokenCache) used(hash [sha256.Size]byte, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[hash]; ok {
		e.lastUsed = now
		c.entries[hash] = e
	}
}

// forget drops the entries that match.
func (c *tokenCache) forget(match func(cachedToken) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for hash, e := range c.entries {
		if match(e) {
			delete(c.entries, hash)
		}
	}
}
