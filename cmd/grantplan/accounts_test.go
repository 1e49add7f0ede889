package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/service"
	"grantplan/store"
	"grantplan/store/sqlite"
)

// TestFirstStart: the first serve on an empty database makes the admin,
// prints its password once on standard error with the login address, and
// the password signs in; the next start makes no one.
func TestFirstStart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "grantplan.db")
	s := startServerOnly(t, db)
	first := regexp.MustCompile(`made the user "admin" with the password\n\n    ([A-Za-z0-9]{22})\n\nIt is shown only now\. Sign in at (http://127\.0\.0\.1:[0-9]+/login)`)
	m := first.FindStringSubmatch(s.stderr.String())
	if m == nil {
		t.Fatalf("serve did not print the first password:\n%s", s.stderr)
	}
	password, loginURL := m[1], m[2]
	if loginURL != s.url+"/login" {
		t.Errorf("got login URL %s, want %s/login", loginURL, s.url)
	}
	for _, line := range strings.Split(s.stderr.String(), "\n") {
		if strings.Contains(line, "level=") && strings.Contains(line, password) {
			t.Errorf("the password is in a log line: %s", line)
		}
	}

	// The login page's form, with its CSRF token, and the password.
	jar := newJar(t)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(s.url + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page := readBody(t, res)
	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if token == nil {
		t.Fatalf("no CSRF token on the login page:\n%s", page)
	}
	res, err = client.PostForm(s.url+"/login", url.Values{"csrf": {token[1]}, "name": {"admin"}, "password": {password}, "next": {"/scenarios/" + data.DemoID}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/scenarios/"+data.DemoID {
		t.Fatalf("login: got %d to %q, want 303 to the demo", res.StatusCode, res.Header.Get("Location"))
	}
	res, err = client.Get(s.url + "/scenarios/" + data.DemoID)
	if err != nil {
		t.Fatal(err)
	}
	if page := readBody(t, res); res.StatusCode != http.StatusOK || !strings.Contains(page, "admin (admin)") {
		t.Errorf("the demo after signing in: got %d", res.StatusCode)
	}
	s.stop(t)

	again := startServerOnly(t, db)
	if strings.Contains(again.stderr.String(), "password") {
		t.Errorf("a second start printed a password:\n%s", again.stderr)
	}
}

// TestAnonymousRole: with --anonymous-role viewer a request without a
// token reads and plans, but stores nothing; without it, 401.
func TestAnonymousRole(t *testing.T) {
	db := filepath.Join(t.TempDir(), "grantplan.db")
	s := startServerOnly(t, db, "--anonymous-role", "viewer")
	if status, body := s.do(t, http.MethodGet, "/api/v1/scenarios/"+data.DemoID+"/plan", "", nil); status != http.StatusOK {
		t.Errorf("plan: got %d %s, want 200", status, body)
	}
	if status, _ := s.do(t, http.MethodPost, "/api/v1/scenarios", "", data.Demo); status != http.StatusForbidden {
		t.Errorf("create: got %d, want 403", status)
	}
	s.stop(t)
	s = startServerOnly(t, db)
	if status, _ := s.do(t, http.MethodGet, "/api/v1/scenarios/"+data.DemoID+"/plan", "", nil); status != http.StatusUnauthorized {
		t.Errorf("plan without --anonymous-role: got %d, want 401", status)
	}
	for _, role := range []string{"planner", "admin", "guest"} {
		if code, _, errOut := runCLI(t, "", "serve", "--anonymous-role", role, "--db", db); code != 2 || !strings.Contains(errOut, "want viewer or none") {
			t.Errorf("--anonymous-role %s: got exit %d, %q", role, code, errOut)
		}
	}
}

// TestUserCommands drives `grantplan user` and `grantplan token` on one
// database and checks what they print and store.
func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "grantplan.db")
	steps := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  string
	}{
		{"add with a password", "a good long password\n", []string{"user", "add", "Anna", "--role", "planner", "--password-stdin"}, 0, []string{"Added the user anna (planner)."}, ""},
		{"add with a made one", "", []string{"user", "add", "bernd", "--role", "viewer"}, 0, []string{"Added the user bernd (viewer).", "Password (shown only now): "}, ""},
		{"add taken", "", []string{"user", "add", "ANNA", "--role", "viewer"}, 2, nil, `user "anna" already exists`},
		{"add bad role", "", []string{"user", "add", "carla", "--role", "boss"}, 2, nil, `role: the role "boss" is none of admin, planner, viewer`},
		{"add short password", "short\n", []string{"user", "add", "carla", "--role", "viewer", "--password-stdin"}, 2, nil, "password: a password needs at least 12 characters"},
		{"add empty stdin", "", []string{"user", "add", "carla", "--role", "viewer", "--password-stdin"}, 2, nil, "standard input holds no password"},
		{"role", "", []string{"user", "role", "bernd", "admin"}, 0, []string{"bernd is now admin."}, ""},
		{"list", "", []string{"user", "list"}, 0, []string{"NAME   ROLE     SINCE", "anna   planner  ", "bernd  admin    ", "password"}, ""},
		{"passwd", "another long password\n", []string{"user", "passwd", "anna", "--password-stdin"}, 0, []string{"Changed the password of anna and ended their sessions."}, ""},
		{"passwd nobody", "", []string{"user", "passwd", "nobody"}, 2, nil, "user \"nobody\" not found"},
		{"token add", "", []string{"token", "add", "anna", "--label", "nightly export", "--expires", "P7D"}, 0, []string{"API token 1 for anna, valid until "}, ""},
		{"token add bad period", "", []string{"token", "add", "anna", "--expires", "7 days"}, 2, nil, "want a period such as P90D"},
		{"token add too long", "", []string{"token", "add", "anna", "--expires", "P3Y"}, 2, nil, "expires: give a period of one day to P2Y"},
		{"token list", "", []string{"token", "list"}, 0, []string{"ID  USER  LABEL           CREATED", "1   anna  nightly export  ", "never"}, ""},
		{"token revoke", "", []string{"token", "revoke", "1"}, 0, []string{"Revoked API token 1."}, ""},
		{"token revoke again", "", []string{"token", "revoke", "1"}, 2, nil, "API token 1 not found"},
		{"remove", "", []string{"user", "remove", "Bernd"}, 0, []string{"Removed the user bernd"}, ""},
		{"unknown subcommand", "", []string{"user", "rename", "x"}, 2, nil, "unknown subcommand user rename"},
		{"no subcommand", "", []string{"token"}, 2, nil, "token needs a subcommand"},
	}
	var madePassword string
	for _, step := range steps {
		code, out, errOut := runCLI(t, step.stdin, append(step.args, "--db", db)...)
		if code != step.wantCode || !strings.Contains(errOut, step.wantErr) {
			t.Errorf("%s: got exit %d and %q, want %d and %q", step.name, code, errOut, step.wantCode, step.wantErr)
		}
		for _, want := range step.wantOut {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the output lacks %q:\n%s", step.name, want, out)
			}
		}
		if step.name == "add with a made one" {
			if m := regexp.MustCompile(`Password \(shown only now\): ([A-Za-z0-9]{22})\n`).FindStringSubmatch(out); m != nil {
				madePassword = m[1]
			}
		}
	}
	if madePassword == "" {
		t.Fatal("user add printed no password")
	}

	// What the commands stored: users, the password set, the audit log.
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	auth := service.NewAuth(st, service.Options{})
	if _, err := auth.Login(context.Background(), "anna", "another long password", "127.0.0.1"); err != nil {
		t.Errorf("anna with the password set by passwd: %v", err)
	}
	entries, _, err := st.ListAudit(context.Background(), store.AuditOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Actor, "command line") && e.Action != "login" {
			t.Errorf("entry %+v: want the command line as the actor", e)
		}
		actions = append(actions, e.Action)
		for _, secret := range []string{"a good long password", "another long password", madePassword} {
			if strings.Contains(e.Detail+e.Target, secret) {
				t.Errorf("a password is in the audit log: %+v", e)
			}
		}
	}
	want := "login token.revoke token.add user.password user.role user.add user.add"
	if got := strings.Join(actions, " "); !strings.HasPrefix(got, "login user.remove "+strings.TrimPrefix(want, "login ")) {
		t.Errorf("got audit actions %q", got)
	}
}

// TestTokenLastLine: token add prints the token alone on its last line,
// and the running server takes it at once.
func TestTokenLastLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "grantplan.db")
	s := startServer(t, db)
	code, out, _ := runCLI(t, "", "token", "add", "admin", "--db", db)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	last := lines[len(lines)-1]
	if code != 0 || !regexp.MustCompile(`^gpt_[A-Za-z0-9_-]{43}$`).MatchString(last) {
		t.Fatalf("got exit %d and last line %q", code, last)
	}
	s.token = last
	if status, body := s.do(t, http.MethodGet, "/api/v1/audit?limit=5", "", nil); status != http.StatusOK || !strings.Contains(string(body), `"action":"token.add"`) {
		t.Errorf("the audit log with the new token: got %d %s", status, body)
	}
	if strings.Contains(s.stderr.String(), last) {
		t.Errorf("the token is in the server's log")
	}
}

// newJar returns a cookie jar for a client of the test server.
func newJar(t *testing.T) http.CookieJar {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return jar
}

// readBody reads and closes an answer's body.
func readBody(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
