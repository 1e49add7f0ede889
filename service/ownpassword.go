package service

import (
	"context"
	"errors"
	"log/slog"

	"grantplan/planner"
	"grantplan/store"
)

// ErrWrongPassword refuses a change of one's own password whose current
// password is wrong.
var ErrWrongPassword = errors.New("the current password is wrong")

// ErrExternalUser refuses a password to a user who signs in through an
// OpenID provider: their password is the provider's.
var ErrExternalUser = planner.Errorf(planner.KindInvalid, "the user signs in through an OpenID provider, which keeps their password")

// Me returns the signed-in user in ctx (without their password's hash):
// their name, role, and the OpenID provider they sign in through, if
// any. Every signed-in user may read their own; a caller who is not a
// user is refused.
func (a *Auth) Me(ctx context.Context) (store.User, error) {
	actor := ActorOf(ctx)
	if actor.Name == "" || actor.UserID == 0 {
		return store.User{}, &AccessError{Action: ActionUsers, Role: actor.Role}
	}
	u, err := a.store.User(ctx, actor.Name)
	if err != nil {
		return store.User{}, err
	}
	u.PasswordHash = ""
	return u, nil
}

// ChangePassword sets the password of the signed-in user in ctx to
// password, if current is their password now (docs/deployment.md,
// Passwords). A wrong current password counts toward the login throttle
// as a failed login does, so that the form is no way around it: it is
// ErrWrongPassword, and once the throttle refuses, a *ThrottledError. A
// user who signs in through an OpenID provider is ErrExternalUser. The
// change ends every session of the user, this one too, and begins a new
// one, whose id replaces the browser's cookie. The audit log records the
// change, without either password.
func (a *Auth) ChangePassword(ctx context.Context, current, password string) (Login, error) {
	actor := ActorOf(ctx)
	if actor.Name == "" || actor.Via != ViaSession {
		return Login{}, &AccessError{Action: ActionUsers, Role: actor.Role}
	}
	if err := checkNewPassword(password); err != nil {
		return Login{}, err
	}
	u, err := a.store.User(ctx, actor.Name)
	if err != nil {
		return Login{}, err
	}
	if u.Issuer != "" {
		return Login{}, ErrExternalUser
	}
	now := a.now()
	keys := throttleKeys(u.Name, actor.Address)
	retryAt, err := a.store.TakeLoginAttempt(ctx, keys, now, LoginWindow, LoginLimit)
	if err != nil {
		return Login{}, err
	}
	if !retryAt.IsZero() {
		wait := retryAt.Sub(now)
		a.log.LogAttrs(ctx, slog.LevelWarn, "password change refused: too many failures", slog.String("user", u.Name),
			slog.String("client", actor.Address), slog.Int("retry_after_s", int(wait.Seconds())))
		appendAudit(ctx, a.store, a.log, now, actor, "user.password.refused", u.Name, "too many failed logins")
		return Login{}, &ThrottledError{Wait: wait}
	}
	ok, err := a.checkPassword(ctx, u.PasswordHash, current)
	if err != nil {
		return Login{}, err
	}
	if !ok {
		a.log.LogAttrs(ctx, slog.LevelInfo, "password change failed: wrong current password", slog.String("user", u.Name),
			slog.String("client", actor.Address))
		appendAudit(ctx, a.store, a.log, now, actor, "user.password.failed", u.Name, "wrong current password")
		return Login{}, ErrWrongPassword
	}
	if err := a.store.ClearLoginFailures(ctx, keys); err != nil {
		return Login{}, err
	}
	hash, err := a.hashPassword(ctx, password)
	if err != nil {
		return Login{}, err
	}
	if err := a.store.SetPassword(ctx, u.ID, hash); err != nil {
		return Login{}, err
	}
	appendAudit(ctx, a.store, a.log, now, actor, "user.password", u.Name, "own password, sessions ended")
	return a.begin(ctx, u, actor.Address, "password change")
}

// hashPassword hashes a new password in one of the hashing slots, as a
// login checks one.
func (a *Auth) hashPassword(ctx context.Context, password string) (string, error) {
	select {
	case a.hashing <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-a.hashing }()
	return a.password.HashPassword(password)
}
