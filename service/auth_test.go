package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"grantplan/locale"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/planner"
	"grantplan/store"
	"grantplan/store/sqlite"
)

// cheapPasswords make password hashes fast enough for tests; the
// parameters of a real server are benchmarked in BenchmarkLogin.
var cheapPasswords = PasswordParams{Memory: 64, Time: 1, Threads: 1}

// clock is a settable clock for the tests of expiry.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// accessFixture is a service and an authenticator on one store, with a
// settable clock and the log captured.
type accessFixture struct {
	svc   *Service
	auth  *Auth
	store *sqlite.Store
	clock *clock
	logs  *bytes.Buffer
	admin context.Context
}

func newAccess(t *testing.T) *accessFixture {
	t.Helper()
	c := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	logs := &bytes.Buffer{}
	var mu sync.Mutex
	opts := Options{Now: c.Now, Password: cheapPasswords,
		Logger: slog.New(slog.NewTextHandler(lockedWriter{&mu, logs}, nil))}
	svc, st := newService(t, opts)
	return &accessFixture{svc: svc, auth: NewAuth(st, opts), store: st, clock: c, logs: logs,
		admin: WithActor(context.Background(), CommandLine("root"))}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (f *accessFixture) addUser(t *testing.T, name string, role Role, password string) store.User {
	t.Helper()
	u, err := f.svc.AddUser(f.admin, name, role, password)
	if err != nil {
		t.Fatalf("AddUser(%q): %v", name, err)
	}
	return u
}

// audit returns the audit log, oldest first, one line per entry.
func (f *accessFixture) audit(t *testing.T) []string {
	t.Helper()
	entries, _, err := f.store.ListAudit(context.Background(), store.AuditOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		lines = append(lines, strings.Join([]string{e.Actor, e.Action, e.Target, e.Detail, e.Address}, "|"))
	}
	return lines
}

// TestPolicy is the table of who may do what.
func TestPolicy(t *testing.T) {
	share := &store.Share{ID: 3, ScenarioID: "kim"}
	actors := []struct {
		name  string
		actor Actor
		may   string // the actions allowed on "kim", by first letter
		other string // the same on another scenario
	}{
		{"anonymous", Actor{}, "", ""},
		{"viewer", Actor{Name: "v", Role: RoleViewer}, "rhp", "rhp"},
		{"planner", Actor{Name: "p", Role: RolePlanner}, "rhpcuds", "rhpcuds"},
		{"admin", Actor{Name: "a", Role: RoleAdmin}, "rhpcudsUA", "rhpcudsUA"},
		{"share link", Actor{Share: share}, "rp", ""},
		{"unknown role", Actor{Name: "x", Role: "boss"}, "", ""},
	}
	letters := map[Action]string{ActionRead: "r", ActionHistory: "h", ActionPlan: "p", ActionCreate: "c",
		ActionUpdate: "u", ActionDelete: "d", ActionShare: "s", ActionUsers: "U", ActionAudit: "A"}
	for _, tt := range actors {
		t.Run(tt.name, func(t *testing.T) {
			ctx := WithActor(context.Background(), tt.actor)
			for action, letter := range letters {
				for id, allowed := range map[string]string{"kim": tt.may, "other": tt.other} {
					err := Policy(ctx, action, id)
					want := strings.Contains(allowed, letter)
					if (err == nil) != want {
						t.Errorf("%s on %s: got %v, want allowed %v", action, id, err, want)
					}
					var denied *AccessError
					switch {
					case err == nil:
					case tt.actor.Share != nil:
						if planner.KindOf(err) != planner.KindNotFound {
							t.Errorf("%s on %s: got %v, want not found for a share link", action, id, err)
						}
					case !errors.As(err, &denied) || denied.Authenticated() != (tt.actor.Role != ""):
						t.Errorf("%s on %s: got %v, want an AccessError, signed in %v", action, id, err, tt.actor.Role != "")
					}
				}
			}
		})
	}
}

func TestPasswords(t *testing.T) {
	hash, err := cheapPasswords.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("got hash %q", hash)
	}
	other, _ := cheapPasswords.HashPassword("correct horse battery")
	if other == hash {
		t.Errorf("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name, hash, password string
		want                 bool
		wantErr              bool
	}{
		{"right", hash, "correct horse battery", true, false},
		{"wrong", hash, "correct horse batterY", false, false},
		{"empty", hash, "", false, false},
		{"other parameters", mustHash(t, PasswordParams{Memory: 128, Time: 2, Threads: 2}, "pw"), "pw", true, false},
		{"not a hash", "plain", "plain", false, true},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuv", "x", false, true},
		{"huge memory", strings.Replace(hash, "m=64", "m=99999999", 1), "correct horse battery", false, true},
		{"broken salt", strings.Replace(hash, "$argon2id$v=19$m=64,t=1,p=1$", "$argon2id$v=19$m=64,t=1,p=1$!", 1), "x", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkPassword(tt.hash, tt.password)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("got %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
	seen := map[string]bool{}
	for range 100 {
		p := NewPassword()
		if len(p) != 22 || strings.ContainsAny(p, "0O1lI") || seen[p] {
			t.Fatalf("got password %q", p)
		}
		seen[p] = true
	}
}

func mustHash(t *testing.T, p PasswordParams, password string) string {
	t.Helper()
	hash, err := p.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	return hash
}

func TestUsers(t *testing.T) {
	f := newAccess(t)
	ctx := f.admin
	u := f.addUser(t, "  Anna.Schmidt@Kreis-SI.de ", RolePlanner, "a long password")
	if u.Name != "anna.schmidt@kreis-si.de" || u.Role != "planner" || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Errorf("got %+v", u)
	}
	tests := []struct {
		name, user string
		role       Role
		password   string
		path       string
	}{
		{"taken", "ANNA.SCHMIDT@kreis-si.de", RoleViewer, "a long password", ""},
		{"short password", "bernd", RoleViewer, "short", "password"},
		{"no role", "bernd", "boss", "a long password", "role"},
		{"space in name", "bernd meier", RoleViewer, "a long password", "name"},
		{"empty name", " ", RoleViewer, "a long password", "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.AddUser(ctx, tt.user, tt.role, tt.password)
			var v *planner.ValidationError
			switch {
			case tt.path == "" && planner.KindOf(err) != planner.KindConflict:
				t.Errorf("got %v, want a conflict", err)
			case tt.path != "" && (!errors.As(err, &v) || v.Problems[0].Path != tt.path):
				t.Errorf("got %v, want a problem at %s", err, tt.path)
			}
		})
	}
	if err := f.svc.SetRole(ctx, "Anna.Schmidt@kreis-si.de", RoleAdmin); err != nil {
		t.Fatal(err)
	}
	users, err := f.svc.Users(ctx)
	if err != nil || len(users) != 1 || users[0].Role != "admin" {
		t.Errorf("got %+v, %v", users, err)
	}
	if err := f.svc.RemoveUser(ctx, "nobody"); planner.KindOf(err) != planner.KindNotFound {
		t.Errorf("removing nobody: got %v", err)
	}
	if err := f.svc.RemoveUser(ctx, "anna.schmidt@kreis-si.de"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"command line (root)|user.add|anna.schmidt@kreis-si.de|role planner|",
		"command line (root)|user.role|anna.schmidt@kreis-si.de|role admin (was planner)|",
		"command line (root)|user.remove|anna.schmidt@kreis-si.de||",
	}
	if got := f.audit(t); !slices.Equal(got, want) {
		t.Errorf("got audit log\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLoginThrottle: five wrong passwords in a row, and the sixth attempt
// is refused even with the right one until the first is 15 minutes old;
// the log and the audit log say so without any password.
func TestLoginThrottle(t *testing.T) {
	f := newAccess(t)
	f.addUser(t, "anna", RolePlanner, "the right password")
	ctx := context.Background()
	for i := range LoginLimit {
		if _, err := f.auth.Login(ctx, "Anna", fmt.Sprint("wrong password ", i), "192.0.2.1"); !errors.Is(err, ErrLoginFailed) {
			t.Fatalf("attempt %d: got %v, want ErrLoginFailed", i+1, err)
		}
		f.clock.advance(time.Minute)
	}
	_, err := f.auth.Login(ctx, "anna", "the right password", "192.0.2.9")
	var throttled *ThrottledError
	if !errors.As(err, &throttled) || throttled.RetryAfter() != LoginWindow-LoginLimit*time.Minute {
		t.Fatalf("attempt 6: got %v, want throttled for %v", err, LoginWindow-LoginLimit*time.Minute)
	}
	// The address is throttled for other names too.
	if _, err := f.auth.Login(ctx, "bernd", "whatever it is", "192.0.2.1"); !errors.As(err, &throttled) {
		t.Errorf("another name from the address: got %v, want throttled", err)
	}
	f.clock.advance(LoginWindow - LoginLimit*time.Minute)
	login, err := f.auth.Login(ctx, "anna", "the right password", "192.0.2.9")
	if err != nil {
		t.Fatalf("after the window: %v", err)
	}
	if login.Actor.Name != "anna" || login.Actor.Role != RolePlanner || len(login.ID) < 43 {
		t.Errorf("got %+v", login)
	}
	// A success clears the name's failures.
	for i := range LoginLimit - 1 {
		if _, err := f.auth.Login(ctx, "anna", "wrong", fmt.Sprint("192.0.2.", 20+i)); !errors.Is(err, ErrLoginFailed) {
			t.Fatalf("got %v", err)
		}
	}
	if _, err := f.auth.Login(ctx, "anna", "the right password", "192.0.2.30"); err != nil {
		t.Errorf("the fifth attempt after a success: %v", err)
	}

	audit := strings.Join(f.audit(t), "\n")
	for _, want := range []string{"anonymous|login.failed|anna|wrong name or password|192.0.2.1",
		"anonymous|login.refused|anna|too many failed logins|192.0.2.9",
		"anonymous|login.refused|(unknown user)|too many failed logins|192.0.2.1",
		"anna|login|anna|password|192.0.2.9"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, audit)
		}
	}
	if lines := strings.Count(f.logs.String(), "login refused"); lines != 2 {
		t.Errorf("got %d log lines of refused logins, want 2:\n%s", lines, f.logs)
	}
	for _, secret := range []string{"wrong password", "the right password", "whatever", login.ID} {
		if strings.Contains(audit, secret) || strings.Contains(f.logs.String(), secret) {
			t.Errorf("the secret %q is in the log or the audit log", secret)
		}
	}
}

// TestLoginThrottleIPv6: the addresses of one IPv6 /64 are one client's
// (a host picks from its /64 at will), an IPv4 address is its own.
func TestLoginThrottleIPv6(t *testing.T) {
	f := newAccess(t)
	ctx := context.Background()
	for i := range LoginLimit {
		// A name and an address of its own each time: only the /64 is shared.
		if _, err := f.auth.Login(ctx, fmt.Sprint("guess", i), "wrong password", fmt.Sprintf("2001:db8:1:2::%x", i+1)); !errors.Is(err, ErrLoginFailed) {
			t.Fatalf("attempt %d: got %v, want ErrLoginFailed", i+1, err)
		}
	}
	var throttled *ThrottledError
	if _, err := f.auth.Login(ctx, "another", "wrong password", "2001:db8:1:2:aaaa:bbbb:cccc:dddd"); !errors.As(err, &throttled) {
		t.Errorf("an address of the same /64: got %v, want throttled", err)
	}
	for _, other := range []string{"2001:db8:1:3::1", "192.0.2.1", "::ffff:192.0.2.2"} {
		if _, err := f.auth.Login(ctx, "another "+other, "wrong password", other); !errors.Is(err, ErrLoginFailed) {
			t.Errorf("%s: got %v, want ErrLoginFailed", other, err)
		}
	}
	// The audit log names each address as it was.
	if audit := strings.Join(f.audit(t), "\n"); !strings.Contains(audit, "|2001:db8:1:2:aaaa:bbbb:cccc:dddd") {
		t.Errorf("the audit log lacks the address:\n%s", audit)
	}
}

// TestLoginFailuresSwept: failed logins of names tried once do not pile
// up in the store: an hour on, a login attempt, failed or not, removes
// those out of the window.
func TestLoginFailuresSwept(t *testing.T) {
	f := newAccess(t)
	ctx := context.Background()
	failures := func() int {
		t.Helper()
		var n int
		err := f.store.ReadTables(ctx, func(r store.TableReader) error {
			for _, table := range store.Tables {
				if table.Name == "login_failures" {
					var err error
					n, err = r.Count(ctx, table)
					return err
				}
			}
			return errors.New("no table login_failures")
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := range 3 {
		if _, err := f.auth.Login(ctx, fmt.Sprint("tried once ", i), "wrong password", fmt.Sprint("192.0.2.", i)); !errors.Is(err, ErrLoginFailed) {
			t.Fatal(err)
		}
	}
	if got := failures(); got != 6 {
		t.Fatalf("got %d failures stored, want 6: a name's and an address's for each", got)
	}
	f.clock.advance(time.Hour + LoginWindow)
	if _, err := f.auth.Login(ctx, "another", "wrong password", "192.0.2.99"); !errors.Is(err, ErrLoginFailed) {
		t.Fatal(err)
	}
	if got := failures(); got != 2 {
		t.Errorf("got %d failures stored after the sweep, want the last attempt's 2", got)
	}
}

// TestUnknownUserHashesOnce: a login with a name no user has hashes the
// password once, as a wrong password of a user does, the first too, so
// that the time it takes does not tell which names exist. A hash with
// the real parameters takes 64 MiB, which is counted.
func TestUnknownUserHashesOnce(t *testing.T) {
	svc, st := newService(t, Options{Password: DefaultPasswordParams})
	if _, err := svc.AddUser(WithActor(context.Background(), CommandLine("root")), "anna", RoleViewer, "the right password"); err != nil {
		t.Fatal(err)
	}
	auth := NewAuth(st, Options{Password: DefaultPasswordParams})
	ctx := context.Background()
	login := func(name string) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := auth.Login(ctx, name, "a wrong password", "192.0.2.1"); !errors.Is(err, ErrLoginFailed) {
			t.Fatalf("%s: got %v, want ErrLoginFailed", name, err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	unknown, known := login("nobody"), login("anna")
	hash := uint64(DefaultPasswordParams.Memory) << 10
	for _, got := range []struct {
		name  string
		bytes uint64
	}{{"the first unknown name", unknown}, {"a known name", known}} {
		if got.bytes < hash || got.bytes > hash+hash/2 {
			t.Errorf("%s: the login allocated %d MiB, want one hash's %d MiB", got.name, got.bytes>>20, hash>>20)
		}
	}
}

// TestLoginConcurrent: of many wrong attempts at once, no more than the
// limit are checked.
func TestLoginConcurrent(t *testing.T) {
	f := newAccess(t)
	f.addUser(t, "anna", RolePlanner, "the right password")
	var wg sync.WaitGroup
	var mu sync.Mutex
	outcomes := map[string]int{}
	for i := range 12 {
		wg.Go(func() {
			_, err := f.auth.Login(context.Background(), "anna", "wrong", fmt.Sprint("192.0.2.", i))
			var throttled *ThrottledError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, ErrLoginFailed):
				outcomes["failed"]++
			case errors.As(err, &throttled):
				outcomes["throttled"]++
			default:
				t.Errorf("got %v", err)
			}
		})
	}
	wg.Wait()
	if outcomes["failed"] != LoginLimit || outcomes["throttled"] != 12-LoginLimit {
		t.Errorf("got %v, want %d checked and the rest throttled", outcomes, LoginLimit)
	}
}

func TestSessions(t *testing.T) {
	f := newAccess(t)
	f.addUser(t, "anna", RolePlanner, "the right password")
	ctx := context.Background()
	login, err := f.auth.Login(ctx, "anna", "the right password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if !login.Expires.Equal(f.clock.Now().Add(DefaultSessionMax)) {
		t.Errorf("got expiry %v", login.Expires)
	}
	wantSession := func(what, id string, want Role) {
		t.Helper()
		a, err := f.auth.Session(ctx, id, "192.0.2.2")
		switch {
		case want == "" && !errors.Is(err, ErrNoSession):
			t.Errorf("%s: got %+v, %v, want no session", what, a, err)
		case want != "" && (err != nil || a.Role != want || a.Name != "anna" || a.Address != "192.0.2.2" || a.Via != ViaSession):
			t.Errorf("%s: got %+v, %v, want anna as %s", what, a, err, want)
		}
	}
	wantSession("after login", login.ID, RolePlanner)
	wantSession("a pre-session", NewPreSession(), "")
	wantSession("nothing", "", "")
	wantSession("a made-up id", randomSecret(), "")

	// Used within the idle time, the session goes on; idle longer, it
	// ends.
	f.clock.advance(DefaultSessionIdle - time.Minute)
	wantSession("just before the idle expiry", login.ID, RolePlanner)
	f.clock.advance(DefaultSessionIdle - time.Minute)
	wantSession("used within the idle time", login.ID, RolePlanner)
	if err := f.svc.SetRole(f.admin, "anna", RoleViewer); err != nil {
		t.Fatal(err)
	}
	wantSession("after a role change", login.ID, RoleViewer)
	f.clock.advance(DefaultSessionIdle)
	wantSession("idle too long", login.ID, "")

	// However busy, a session ends after the longest time.
	second, err := f.auth.Login(ctx, "anna", "the right password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	for f.clock.Now().Before(second.Expires.Add(-DefaultSessionIdle)) {
		f.clock.advance(DefaultSessionIdle / 2)
		wantSession("in use", second.ID, RoleViewer)
	}
	f.clock.advance(DefaultSessionIdle)
	wantSession("after the longest time", second.ID, "")

	// Logout ends a session; a new password ends them all.
	third, _ := f.auth.Login(ctx, "anna", "the right password", "192.0.2.1")
	fourth, _ := f.auth.Login(ctx, "anna", "the right password", "192.0.2.1")
	if err := f.auth.Logout(ctx, third.ID, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	wantSession("logged out", third.ID, "")
	wantSession("the other session", fourth.ID, RoleViewer)
	if err := f.svc.SetPassword(f.admin, "anna", "a new long password"); err != nil {
		t.Fatal(err)
	}
	wantSession("after a new password", fourth.ID, "")
	if _, err := f.auth.Login(ctx, "anna", "the right password", "192.0.2.1"); !errors.Is(err, ErrLoginFailed) {
		t.Errorf("the old password: got %v", err)
	}
	audit := strings.Join(f.audit(t), "\n")
	for _, want := range []string{"anna|logout|anna||192.0.2.1", "command line (root)|user.password|anna|sessions ended|"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, audit)
		}
	}
}

func TestTokens(t *testing.T) {
	f := newAccess(t)
	f.addUser(t, "ci", RoleViewer, "a long password")
	ctx := context.Background()
	tok, err := f.svc.AddToken(f.admin, "ci", "nightly export", planner.Period{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok.Secret, TokenPrefix) || len(tok.Secret) != tokenLength ||
		!tok.Expires.Equal(f.clock.Now().AddDate(0, 0, 90)) || tok.Label != "nightly export" {
		t.Errorf("got %+v", tok)
	}
	a, err := f.auth.Token(ctx, tok.Secret, "192.0.2.1")
	if err != nil || a.Name != "ci" || a.Role != RoleViewer || a.Via != ViaToken || a.Address != "192.0.2.1" {
		t.Errorf("got %+v, %v", a, err)
	}
	// Another last character (the secret's own may be "A").
	other := "A"
	if strings.HasSuffix(tok.Secret, other) {
		other = "B"
	}
	for _, bad := range []string{"", "gpt_", tok.Secret[:len(tok.Secret)-1] + other, "Bearer " + tok.Secret, strings.ToUpper(tok.Secret)} {
		if _, err := f.auth.Token(ctx, bad, ""); !errors.Is(err, ErrBadToken) {
			t.Errorf("token %q: got %v, want ErrBadToken", bad, err)
		}
	}
	lastUsed := func() time.Time {
		t.Helper()
		list, err := f.svc.Tokens(f.admin)
		if err != nil || len(list) != 1 {
			t.Fatalf("got %+v, %v", list, err)
		}
		return list[0].LastUsed
	}
	if got := lastUsed(); !got.Equal(f.clock.Now()) {
		t.Errorf("got last use %v, want now", got)
	}
	f.clock.advance(30 * time.Second)
	if _, err := f.auth.Token(ctx, tok.Secret, ""); err != nil {
		t.Fatal(err)
	}
	if got := lastUsed(); !got.Equal(f.clock.Now().Add(-30 * time.Second)) {
		t.Errorf("got last use %v, want it written at most once a minute", got)
	}

	// Revoked, it works for at most the cache's time: the lookup just
	// made is trusted until then.
	if err := f.svc.RevokeToken(f.admin, tok.ID); err != nil {
		t.Fatal(err)
	}
	f.clock.advance(DefaultTokenCache / 2)
	if _, err := f.auth.Token(ctx, tok.Secret, ""); err != nil {
		t.Errorf("revoked, within the cache time: got %v, want it still trusted", err)
	}
	f.clock.advance(DefaultTokenCache / 2)
	if _, err := f.auth.Token(ctx, tok.Secret, ""); !errors.Is(err, ErrBadToken) {
		t.Errorf("revoked, after the cache time: got %v", err)
	}

	// Revoked through a service of the same server (Options.Auth), it
	// stops at once; the cache keeps the other tokens.
	local := New(f.store, Options{Now: f.clock.Now, Password: cheapPasswords, Auth: f.auth})
	forgotten, err := f.svc.AddToken(f.admin, "ci", "forgotten", planner.Period{})
	if err != nil {
		t.Fatal(err)
	}
	kept, err := f.svc.AddToken(f.admin, "ci", "kept", planner.Period{})
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{forgotten.Secret, kept.Secret} {
		if _, err := f.auth.Token(ctx, secret, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := local.RevokeToken(f.admin, forgotten.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.Token(ctx, forgotten.Secret, ""); !errors.Is(err, ErrBadToken) {
		t.Errorf("revoked on this server: got %v, want ErrBadToken", err)
	}
	ids := map[int64]bool{}
	for _, e := range f.auth.tokens.entries {
		ids[e.id] = true
	}
	if ids[forgotten.ID] || !ids[kept.ID] {
		t.Errorf("the cache after forgetting %d: holds %v, want %d", forgotten.ID, ids, kept.ID)
	}

	short, err := f.svc.AddToken(f.admin, "ci", "", planner.Period{Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.Token(ctx, short.Secret, ""); err != nil {
		t.Fatal(err)
	}
	f.clock.advance(24 * time.Hour)
	if _, err := f.auth.Token(ctx, short.Secret, ""); !errors.Is(err, ErrBadToken) {
		t.Errorf("expired, though cached: got %v", err)
	}
	for _, p := range []planner.Period{{Years: 3}, {Weeks: 200}} {
		var v *planner.ValidationError
		if _, err := f.svc.AddToken(f.admin, "ci", "", p); !errors.As(err, &v) || v.Problems[0].Path != "expires" {
			t.Errorf("valid %s: got %v, want a problem at expires", p, err)
		}
	}
	if _, err := f.svc.AddToken(f.admin, "nobody", "", planner.Period{}); planner.KindOf(err) != planner.KindNotFound {
		t.Errorf("a token of nobody: got %v", err)
	}
	audit := strings.Join(f.audit(t), "\n")
	if strings.Contains(audit, tok.Secret) || strings.Contains(audit, short.Secret) {
		t.Errorf("a token is in the audit log:\n%s", audit)
	}
	if !strings.Contains(audit, fmt.Sprintf("token.revoke|%d|", tok.ID)) || !strings.Contains(audit, "token.add|1|for ci, expires 2026-05-31") {
		t.Errorf("the audit log lacks the token's making and revoking:\n%s", audit)
	}
}

// TestShares: a share link's actor may read and plan its scenario (the
// revision it names, or the current one) and nothing else, until it is
// revoked, expires or the scenario is deleted.
func TestShares(t *testing.T) {
	f := newAccess(t)
	ctx := asPlanner()
	if _, err := f.svc.Update(ctx, data.DemoID, IfRevision(1), data.Demo); err != nil {
		t.Fatal(err)
	}
	other, err := f.svc.Duplicate(ctx, data.DemoID, "%s (copy)")
	if err != nil {
		t.Fatal(err)
	}
	current, err := f.svc.CreateShare(ctx, data.DemoID, 0, planner.Period{})
	if err != nil {
		t.Fatal(err)
	}
	pinned, err := f.svc.CreateShare(ctx, data.DemoID, 1, planner.Period{Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	if !current.Expires.Equal(f.clock.Now().AddDate(0, 0, 30)) || !pinned.Expires.Equal(f.clock.Now().AddDate(0, 0, 7)) ||
		len(current.Secret) != 43 || current.CreatedBy != "anna" {
		t.Errorf("got %+v and %+v", current.Share, pinned.Share)
	}
	open := func(secret string) context.Context {
		t.Helper()
		a, err := f.auth.Share(context.Background(), secret, "198.51.100.7")
		if err != nil {
			t.Fatalf("Share: %v", err)
		}
		return WithActor(context.Background(), a)
	}
	viaCurrent, viaPinned := open(current.Secret), open(pinned.Secret)

	tests := []struct {
		name string
		ctx  context.Context
		call func(ctx context.Context) error
		want planner.ErrorKind // KindInternal: allowed
	}{
		{"plan the current", viaCurrent, func(ctx context.Context) error {
			_, err := f.svc.Plan(ctx, Stored(data.DemoID, 0), PlanOptions{})
			return err
		}, planner.KindInternal},
		{"export the current", viaCurrent, func(ctx context.Context) error {
			_, err := f.svc.Export(ctx, Stored(data.DemoID, 0), ExportOptions{})
			return err
		}, planner.KindInternal},
		{"get the current", viaCurrent, func(ctx context.Context) error { _, err := f.svc.Get(ctx, data.DemoID); return err }, planner.KindInternal},
		{"plan an old revision", viaCurrent, func(ctx context.Context) error {
			_, err := f.svc.Plan(ctx, Stored(data.DemoID, 1), PlanOptions{})
			return err
		}, planner.KindNotFound},
		{"plan the pinned revision", viaPinned, func(ctx context.Context) error {
			_, err := f.svc.Plan(ctx, Stored(data.DemoID, 1), PlanOptions{})
			return err
		}, planner.KindInternal},
		{"plan the current, pinned", viaPinned, func(ctx context.Context) error {
			_, err := f.svc.Plan(ctx, Stored(data.DemoID, 0), PlanOptions{})
			return err
		}, planner.KindNotFound},
		{"plan another scenario", viaCurrent, func(ctx context.Context) error {
			_, err := f.svc.Plan(ctx, Stored(other.ID, 0), PlanOptions{})
			return err
		}, planner.KindNotFound},
		{"plan a posted one", viaCurrent, func(ctx context.Context) error {
			_, err := f.svc.Plan(ctx, Posted(data.Demo), PlanOptions{})
			return err
		}, planner.KindNotFound},
		{"history", viaCurrent, func(ctx context.Context) error { _, err := f.svc.Revisions(ctx, data.DemoID); return err }, planner.KindNotFound},
		{"list", viaCurrent, func(ctx context.Context) error { _, err := f.svc.List(ctx); return err }, planner.KindNotFound},
		{"update", viaCurrent, func(ctx context.Context) error {
			_, err := f.svc.Update(ctx, data.DemoID, Precondition{Any: true}, data.Demo)
			return err
		}, planner.KindNotFound},
		{"share", viaCurrent, func(ctx context.Context) error {
			_, err := f.svc.CreateShare(ctx, data.DemoID, 0, planner.Period{})
			return err
		}, planner.KindNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(tt.ctx)
			if got := planner.KindOf(err); got != tt.want || (tt.want == planner.KindInternal && err != nil) {
				t.Errorf("got %v, want kind %d", err, tt.want)
			}
		})
	}

	list, err := f.svc.Shares(ctx, data.DemoID)
	if err != nil || len(list) != 2 {
		t.Errorf("got %+v, %v", list, err)
	}
	if err := f.svc.RevokeShare(ctx, data.DemoID, current.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.Share(context.Background(), current.Secret, ""); !errors.Is(err, ErrNoShare) {
		t.Errorf("revoked: got %v", err)
	}
	f.clock.advance(7 * 24 * time.Hour)
	if _, err := f.auth.Share(context.Background(), pinned.Secret, ""); !errors.Is(err, ErrNoShare) {
		t.Errorf("expired: got %v", err)
	}
	for _, bad := range []string{"", "x", current.Secret + "x"} {
		if _, err := f.auth.Share(context.Background(), bad, ""); !errors.Is(err, ErrNoShare) {
			t.Errorf("secret %q: got %v", bad, err)
		}
	}
	if _, err := f.svc.CreateShare(ctx, data.DemoID, 9, planner.Period{}); planner.KindOf(err) != planner.KindNotFound {
		t.Errorf("a revision that does not exist: got %v", err)
	}
	if _, err := f.svc.CreateShare(ctx, data.DemoID, 0, planner.Period{Years: 2}); planner.KindOf(err) != planner.KindInvalid {
		t.Errorf("two years: got %v", err)
	}
	if _, err := f.svc.CreateShare(WithActor(context.Background(), Actor{Name: "v", Role: RoleViewer}), data.DemoID, 0, planner.Period{}); err == nil {
		t.Errorf("a viewer made a share link")
	}
	audit := strings.Join(f.audit(t), "\n")
	for _, want := range []string{
		"anna|share.create|kim-siegen-wittgenstein|link 1 to the current revision, expires 2026-04-01|192.0.2.1",
		"anna|share.create|kim-siegen-wittgenstein|link 2 to revision 1, expires 2026-03-09|192.0.2.1",
		"anna|share.revoke|kim-siegen-wittgenstein|link 1|192.0.2.1",
	} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, audit)
		}
	}
}

// TestAuthorsAndAudit: every write records its author in the revision and
// an entry in the audit log, with the caller's address.
func TestAuthorsAndAudit(t *testing.T) {
	f := newAccess(t)
	ctx := asPlanner()
	// A body other than the current one: the same body stores nothing.
	if _, err := f.svc.Update(ctx, data.DemoID, IfRevision(1), demoWith(t, map[string]any{"hr_capacity": 2})); err != nil {
		t.Fatal(err)
	}
	bernd := WithActor(context.Background(), Actor{Name: "bernd", Role: RoleAdmin, Address: "192.0.2.5"})
	if _, err := f.svc.Restore(bernd, data.DemoID, 1, IfRevision(2)); err != nil {
		t.Fatal(err)
	}
	created, err := f.svc.CreateBlank(ctx, "Neu", locale.German)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Delete(bernd, created.ID, Precondition{Any: true}); err != nil {
		t.Fatal(err)
	}
	revisions, err := f.svc.Revisions(ctx, data.DemoID)
	if err != nil {
		t.Fatal(err)
	}
	var authors []string
	for _, r := range revisions {
		authors = append(authors, r.Author)
	}
	if !slices.Equal(authors, []string{"", "anna", "bernd"}) {
		t.Errorf("got authors %q, want none, anna, bernd", authors)
	}
	want := []string{
		"anna|scenario.update|kim-siegen-wittgenstein|revision 2|192.0.2.1",
		"bernd|scenario.restore|kim-siegen-wittgenstein|revision 1 as revision 3|192.0.2.5",
		"anna|scenario.create|neu|revision 1|192.0.2.1",
		"bernd|scenario.delete|neu|at revision 1|192.0.2.5",
	}
	if got := f.audit(t); !slices.Equal(got, want) {
		t.Errorf("got audit log\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	page, total, err := f.svc.Audit(bernd, store.AuditOptions{Limit: 2})
	if err != nil || total != 4 || len(page) != 2 || page[0].Action != "scenario.delete" {
		t.Errorf("got %+v, %d, %v", page, total, err)
	}
	var denied *AccessError
	if _, _, err := f.svc.Audit(ctx, store.AuditOptions{}); !errors.As(err, &denied) || !denied.Authenticated() {
		t.Errorf("a planner reading the audit log: got %v, want forbidden", err)
	}
}

func TestBootstrap(t *testing.T) {
	f := newAccess(t)
	password, err := f.auth.Bootstrap(context.Background(), "admin")
	if err != nil || len(password) != 22 {
		t.Fatalf("got %q, %v", password, err)
	}
	login, err := f.auth.Login(context.Background(), "admin", password, "127.0.0.1")
	if err != nil || login.Actor.Role != RoleAdmin {
		t.Errorf("signing in with the first password: %+v, %v", login.Actor, err)
	}
	if again, err := f.auth.Bootstrap(context.Background(), "admin"); err != nil || again != "" {
		t.Errorf("a second start: got %q, %v, want nothing made", again, err)
	}
	if audit := strings.Join(f.audit(t), "\n"); !strings.Contains(audit, "first start|user.add|admin|role admin|") || strings.Contains(audit, password) {
		t.Errorf("got audit log\n%s", audit)
	}
}

func TestLoginExternal(t *testing.T) {
	f := newAccess(t)
	f.addUser(t, "anna", RoleAdmin, "a long password")
	ctx := context.Background()
	ext := ExternalLogin{Issuer: "https://id.kreis.example", Subject: "u-1", Name: "Max.Muster@Kreis.example", Role: RolePlanner}
	login, err := f.auth.LoginExternal(ctx, ext, "192.0.2.1")
	if err != nil || login.Actor.Name != "max.muster@kreis.example" || login.Actor.Role != RolePlanner {
		t.Fatalf("first login: got %+v, %v", login.Actor, err)
	}
	ext.Role, ext.Name = RoleViewer, "renamed"
	login, err = f.auth.LoginExternal(ctx, ext, "192.0.2.1")
	if err != nil || login.Actor.Name != "max.muster@kreis.example" || login.Actor.Role != RoleViewer {
		t.Errorf("second login with fewer groups: got %+v, %v", login.Actor, err)
	}
	if a, err := f.auth.Session(ctx, login.ID, ""); err != nil || a.Role != RoleViewer {
		t.Errorf("its session: got %+v, %v", a, err)
	}
	// Nobody signing in elsewhere takes over a local account's name.
	_, err = f.auth.LoginExternal(ctx, ExternalLogin{Issuer: ext.Issuer, Subject: "u-2", Name: "anna", Role: RoleViewer}, "")
	if planner.KindOf(err) != planner.KindConflict {
		t.Errorf("a provider's anna: got %v, want a conflict", err)
	}
	// A user of the provider has no password to sign in with here.
	if _, err := f.auth.Login(ctx, "max.muster@kreis.example", "", ""); !errors.Is(err, ErrLoginFailed) {
		t.Errorf("password login of an external user: got %v", err)
	}
	audit := strings.Join(f.audit(t), "\n")
	for _, want := range []string{"oidc|user.add|max.muster@kreis.example|role planner, signs in through https://id.kreis.example|192.0.2.1",
		"oidc|user.role|max.muster@kreis.example|role viewer (was planner), from the provider's groups|192.0.2.1",
		"max.muster@kreis.example|login|max.muster@kreis.example|oidc|192.0.2.1"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, audit)
		}
	}
}

// TestMAC: every instance on one store signs with the same secret.
func TestMAC(t *testing.T) {
	f := newAccess(t)
	ctx := context.Background()
	other := NewAuth(f.store, Options{})
	sum, err := f.auth.MAC(ctx, "csrf", "session")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		purpose, message string
		want             bool
	}{{"csrf", "session", true}, {"csrf", "sessioN", false}, {"oidc", "session", false}, {"csrfsession", "", false}} {
		if ok, err := other.CheckMAC(ctx, tt.purpose, tt.message, sum); err != nil || ok != tt.want {
			t.Errorf("CheckMAC(%q, %q): got %v, %v, want %v", tt.purpose, tt.message, ok, err, tt.want)
		}
	}
}

func TestAccessErrorMessages(t *testing.T) {
	tests := []struct {
		err  *AccessError
		want string
	}{
		{&AccessError{Action: ActionRead}, "sign in to read scenarios"},
		{&AccessError{Action: ActionAudit, Role: RolePlanner}, "the role planner may not read the audit log"},
		{&AccessError{Action: ActionCreate, Role: RoleViewer}, "the role viewer may not create scenarios"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
	for a := range actionNames {
		if a != 0 && actionWords[Action(a)] == "" {
			t.Errorf("action %s has no words", Action(a))
		}
	}
}

// TestTokenLabels: a label the admin page and the command line show is
// refused with control characters, marks that turn the writing direction
// (which could make a list of tokens read otherwise), or too long.
func TestTokenLabels(t *testing.T) {
	f := newAccess(t)
	f.addUser(t, "ci", RoleViewer, "a long password")
	for _, bad := range []string{"line\nbreak", "nightly\u202Etropxe", "\u2067x", strings.Repeat("x", MaxLabelLength+1)} {
		if _, err := f.svc.AddToken(f.admin, "ci", bad, planner.Period{}); planner.KindOf(err) != planner.KindInvalid {
			t.Errorf("label %q: got %v, want invalid", bad, err)
		}
	}
	if list, err := f.svc.Tokens(f.admin); err != nil || len(list) != 0 {
		t.Errorf("tokens made: %+v, %v", list, err)
	}
	if _, err := f.svc.AddToken(f.admin, "ci", "Nächtlicher Export", planner.Period{}); err != nil {
		t.Errorf("a plain German label: %v", err)
	}
}
