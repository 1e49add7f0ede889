package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rickb777/date/v2"

	"grantplan/planner"
	"grantplan/store"
)

// MaxUserNameLength is the most characters a user name may have.
const MaxUserNameLength = 64

// UserName cleans a user name as it is stored and compared: trimmed and
// in lower case, so that "Anna" and "anna" are one user. It refuses a
// name that is empty, longer than MaxUserNameLength characters, or holds
// anything but letters, digits and ".", "_", "-", "@" (an e-mail address
// is a name).
func UserName(name string) (string, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	n := utf8.RuneCountInString(name)
	if n < 1 || n > MaxUserNameLength {
		return "", invalid("name", fmt.Sprintf("a user name has 1 to %d characters", MaxUserNameLength))
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-@", r) {
			return "", invalid("name", fmt.Sprintf("a user name has only letters, digits and . _ - @, not %q", r))
		}
	}
	return name, nil
}

func checkRole(role Role) error {
	if _, ok := ParseRole(string(role)); !ok {
		return invalid("role", fmt.Sprintf("the role %q is none of admin, planner, viewer", role))
	}
	return nil
}

// AddUser stores a new local user with a role and a password (at least
// MinPasswordLength characters; NewPassword makes a strong one).
func (s *Service) AddUser(ctx context.Context, name string, role Role, password string) (store.User, error) {
	st, err := s.allowedStore(ctx, ActionUsers, "")
	if err != nil {
		return store.User{}, err
	}
	u, err := addUser(ctx, st, s.password, s.now(), name, role, password)
	if err == nil {
		s.record(ctx, "user.add", u.Name, "role "+u.Role)
	}
	return u, err
}

// addUser checks and stores a local user; AddUser and the first start
// (Auth.Bootstrap) share it.
func addUser(ctx context.Context, st store.Users, params PasswordParams, now time.Time, name string, role Role, password string) (store.User, error) {
	name, err := UserName(name)
	if err != nil {
		return store.User{}, err
	}
	if err := checkRole(role); err != nil {
		return store.User{}, err
	}
	if err := checkNewPassword(password); err != nil {
		return store.User{}, err
	}
	hash, err := params.HashPassword(password)
	if err != nil {
		return store.User{}, err
	}
	return st.CreateUser(ctx, store.User{Name: name, Role: string(role), PasswordHash: hash, Created: now})
}

// Users returns every user, ordered by name.
func (s *Service) Users(ctx context.Context) ([]store.User, error) {
	st, err := s.allowedStore(ctx, ActionUsers, "")
	if err != nil {
		return nil, err
	}
	return st.ListUsers(ctx)
}

// user finds a user by a name as typed.
func (s *Service) user(ctx context.Context, name string) (store.User, error) {
	st, err := s.stored()
	if err != nil {
		return store.User{}, err
	}
	clean, err := UserName(name)
	if err != nil {
		return store.User{}, store.UserNotFound(strconv.Quote(name))
	}
	return st.User(ctx, clean)
}

// RemoveUser removes a user with their sessions and API tokens. The
// revisions they stored keep their name as the author.
func (s *Service) RemoveUser(ctx context.Context, name string) error {
	if err := s.allow(ctx, ActionUsers, ""); err != nil {
		return err
	}
	u, err := s.user(ctx, name)
	if err != nil {
		return err
	}
	if err := lastAdmin(s.store.DeleteUser(ctx, u.ID, adminToKeep(ctx))); err != nil {
		return err
	}
	s.forgetTokens(func(e cachedToken) bool { return e.actor.Name == u.Name })
	s.record(ctx, "user.remove", u.Name, "")
	return nil
}

// SetPassword gives a local user a new password and ends every session
// of theirs. A user who signs in through an OpenID provider is
// ErrExternalUser: a password here would let them in past the provider.
func (s *Service) SetPassword(ctx context.Context, name, password string) error {
	if err := s.allow(ctx, ActionUsers, ""); err != nil {
		return err
	}
	if err := checkNewPassword(password); err != nil {
		return err
	}
	u, err := s.user(ctx, name)
	if err != nil {
		return err
	}
	if u.Issuer != "" {
		return ErrExternalUser
	}
	hash, err := s.password.HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	s.record(ctx, "user.password", u.Name, "sessions ended")
	return nil
}

// SetRole gives a user another role. It counts from the user's next
// request, on this server also through an API token looked up before
// (Options.Auth); another server's cached lookup keeps the old role for
// at most the token cache's time.
func (s *Service) SetRole(ctx context.Context, name string, role Role) error {
	if err := s.allow(ctx, ActionUsers, ""); err != nil {
		return err
	}
	if err := checkRole(role); err != nil {
		return err
	}
	u, err := s.user(ctx, name)
	if err != nil {
		return err
	}
	if err := lastAdmin(s.store.SetRole(ctx, u.ID, string(role), adminToKeep(ctx))); err != nil {
		return err
	}
	s.forgetTokens(func(e cachedToken) bool { return e.actor.Name == u.Name })
	s.record(ctx, "user.role", u.Name, fmt.Sprintf("role %s (was %s)", role, u.Role))
	return nil
}

// ErrLastAdmin refuses a user the removal of the only admin, or another
// role for them: nobody could manage users and tokens from the pages or
// the API any more.
var ErrLastAdmin = planner.Errorf(planner.KindConflict, "this is the only admin: make another user an admin first")

// adminToKeep is the role the store must leave a user in when the caller
// in ctx removes a user or changes a role: admin if the caller is a user
// (a session or an API token), who may not remove or demote the only
// admin; none for the command line, whose user can add an admin again.
// The store checks and changes in one step, so that two admins demoting
// each other at the same moment leave one of them.
func adminToKeep(ctx context.Context) string {
	if ActorOf(ctx).UserID == 0 {
		return ""
	}
	return string(RoleAdmin)
}

// lastAdmin is ErrLastAdmin for the store's refusal to take the last
// admin's role, and err otherwise.
func lastAdmin(err error) error {
	if errors.Is(err, store.ErrLastOfRole) {
		return ErrLastAdmin
	}
	return err
}

// TokenPrefix starts every API token, so that one is recognised in a
// configuration file or a leak scanner's findings.
const TokenPrefix = "gpt_"

// DefaultTokenValidity is how long an API token is valid unless its
// maker says otherwise; MaxTokenValidity the longest it may be.
var (
	DefaultTokenValidity = planner.Period{Days: 90}
	MaxTokenValidity     = planner.Period{Years: 2}
)

// MaxLabelLength is the most characters an API token's label may have.
const MaxLabelLength = 100

// A NewToken is an API token just made. Secret is the token itself: it is
// shown once and only its hash is stored.
type NewToken struct {
	store.Token
	Secret string
}

// AddToken makes an API token for the user name, valid for the period
// (zero: DefaultTokenValidity).
func (s *Service) AddToken(ctx context.Context, name, label string, valid planner.Period) (NewToken, error) {
	if err := s.allow(ctx, ActionUsers, ""); err != nil {
		return NewToken{}, err
	}
	label = strings.TrimSpace(label)
	if _, _, bidi := planner.BidiControl(label); bidi || utf8.RuneCountInString(label) > MaxLabelLength || strings.ContainsFunc(label, unicode.IsControl) {
		return NewToken{}, invalid("label", fmt.Sprintf("a label has at most %d characters and no control characters (nor marks that turn the writing direction)", MaxLabelLength))
	}
	now := s.now()
	if valid.IsZero() {
		valid = DefaultTokenValidity
	}
	expires, err := expiresAfter(now, valid, MaxTokenValidity, "expires")
	if err != nil {
		return NewToken{}, err
	}
	u, err := s.user(ctx, name)
	if err != nil {
		return NewToken{}, err
	}
	secret := TokenPrefix + randomSecret()
	t, err := s.store.CreateToken(ctx, store.Token{UserID: u.ID, Label: label, Hash: hashSecret(secret), Created: now, Expires: expires})
	if err != nil {
		return NewToken{}, err
	}
	s.record(ctx, "token.add", strconv.FormatInt(t.ID, 10), fmt.Sprintf("for %s, expires %s", u.Name, expires.Format(time.DateOnly)))
	return NewToken{Token: t, Secret: secret}, nil
}

// Tokens returns every API token (without secrets), expired ones too.
func (s *Service) Tokens(ctx context.Context) ([]store.Token, error) {
	st, err := s.allowedStore(ctx, ActionUsers, "")
	if err != nil {
		return nil, err
	}
	return st.ListTokens(ctx)
}

// RevokeToken revokes the API token id: on this server at once
// (Options.Auth); another server that has looked it up lately trusts it
// for at most the token cache's time more.
func (s *Service) RevokeToken(ctx context.Context, id int64) error {
	st, err := s.allowedStore(ctx, ActionUsers, "")
	if err != nil {
		return err
	}
	if err := st.DeleteToken(ctx, id); err != nil {
		return err
	}
	s.forgetTokens(func(e cachedToken) bool { return e.id == id })
	s.record(ctx, "token.revoke", strconv.FormatInt(id, 10), "")
	return nil
}

// expiresAfter is the time valid after now: the calendar part of the
// period on the date (months keep the day of the month, as everywhere in
// grantplan), at the same time of day. It refuses a period under a day or
// longer than longest, naming path.
func expiresAfter(now time.Time, valid, longest planner.Period, path string) (time.Time, error) {
	today := date.NewAt(now)
	days := int(valid.AddTo(today) - today)
	if days < 1 || days > int(longest.AddTo(today)-today) {
		return time.Time{}, invalid(path, fmt.Sprintf("give a period of one day to %s, such as P30D", longest))
	}
	return now.AddDate(0, 0, days), nil
}

// randomSecret returns 32 random bytes (256 bits) in base64url: a session
// id, the secret of a share link or the body of an API token.
func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on a supported platform
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is what the store keeps of a secret: its SHA-256. A secret
// has 256 random bits, so a fast hash is enough; a slow one (as for
// passwords) would cost every request.
func hashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// forgetTokens drops the API tokens that match from the token cache of
// this server's Auth, if the service has one.
func (s *Service) forgetTokens(match func(cachedToken) bool) {
	if s.auth != nil {
		s.auth.tokens.forget(match)
	}
}
