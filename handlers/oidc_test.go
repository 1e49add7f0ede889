package handlers

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"grantplan/data"
	"grantplan/handlers/access"
	"grantplan/handlers/web"
	"grantplan/service"
	"grantplan/store"
)

// oidcProvider is an OpenID provider in the test's process
// (github.com/oauth2-proxy/mockoidc) that can be told to sign the next ID
// token with a key it does not publish, or to issue it an hour ago.
type oidcProvider struct {
	*mockoidc.MockOIDC
	forge, expire atomic.Bool
}

func newOIDCProvider(t *testing.T) *oidcProvider {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &oidcProvider{MockOIDC: m}
	forged, err := mockoidc.RandomKeypair(2048)
	if err != nil {
		t.Fatal(err)
	}
	// The provider's requests one at a time, so that what the token
	// endpoint changes for one request is seen by the next.
	var mu sync.Mutex
	err = m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			if r.URL.Path == mockoidc.TokenEndpoint && p.forge.Load() {
				real := m.Keypair
				kid, _ := real.KeyID()
				forged.Kid = kid // names the published key, signed with another
				m.Keypair = forged
				defer func() { m.Keypair = real }()
			}
			if r.URL.Path == mockoidc.TokenEndpoint && p.expire.Load() {
				m.FastForward(-time.Hour)
				defer m.FastForward(time.Hour)
			}
			next.ServeHTTP(w, r)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return p
}

// oidcServer is the router with single sign-on through p, served on a
// test server.
func oidcServer(t *testing.T, p *oidcProvider) (*httptest.Server, Deps) {
	t.Helper()
	return oidcServerOf(t, p, httptest.NewServer)
}

// oidcServerOf is oidcServer on a server that serve starts
// (httptest.NewServer or, over TLS, httptest.NewTLSServer).
func oidcServerOf(t *testing.T, p *oidcProvider, serve func(http.Handler) *httptest.Server) (*httptest.Server, Deps) {
	t.Helper()
	st := openStore(t, filepath.Join(t.TempDir(), "grantplan.db"))
	if _, err := st.Create(context.Background(), data.DemoID, "KIM", data.Demo); err != nil {
		t.Fatal(err)
	}
	deps := testDeps(t, st, service.Options{})
	addUser(t, deps, "anna", service.RoleAdmin)
	cfg := p.Config()
	sso, err := access.NewOIDC(context.Background(), access.OIDCConfig{
		Issuer: cfg.Issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		Scopes:    []string{"profile", "email", "groups"},
		RoleClaim: "groups", AdminGroup: "gp-admins", PlannerGroup: "gp-planners", Name: "Kreis-ID",
	})
	if err != nil {
		t.Fatal(err)
	}
	deps.OIDC = sso
	srv := serve(NewRouter(deps))
	t.Cleanup(srv.Close)
	return srv, deps
}

// browserClient is an HTTP client with cookies that follows redirects,
// as a browser would.
func browserClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// get fetches url and returns the final address, status and body.
func get(t *testing.T, client *http.Client, target string) (string, int, string) {
	t.Helper()
	res, err := client.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.Request.URL.String(), res.StatusCode, string(body)
}

// TestOIDC signs in through the provider end to end: the user is made on
// the first login with the role their groups give, the role is set again
// at each login, and the browser comes back to the page it wanted.
func TestOIDC(t *testing.T) {
	p := newOIDCProvider(t)
	srv, deps := oidcServer(t, p)

	_, status, body := get(t, browserClient(t), srv.URL+"/login")
	if status != http.StatusOK || !strings.Contains(body, `href="/login/oidc?next=%2f"`) || !strings.Contains(body, "Sign in with Kreis-ID") {
		t.Fatalf("the login page: got %d without the sign-in button", status)
	}

	steps := []struct {
		name   string
		groups []string
		want   string
	}{
		{"first login, a planner", []string{"staff", "gp-planners"}, "max.muster (planner)"},
		{"again, now an admin", []string{"gp-planners", "gp-admins"}, "max.muster (admin)"},
		{"again, in no group", nil, "max.muster (viewer)"},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			p.QueueUser(&mockoidc.MockUser{Subject: "u-4711", Email: "max.muster@kreis.example", PreferredUsername: "Max.Muster", Groups: step.groups})
			client := browserClient(t)
			final, status, body := get(t, client, srv.URL+"/login/oidc?next="+url.QueryEscape("/scenarios/"+data.DemoID+"?lang=en"))
			if status != http.StatusOK || final != srv.URL+"/scenarios/"+data.DemoID+"?lang=en" {
				t.Fatalf("got %d at %s, want the scenario", status, final)
			}
			if !strings.Contains(body, step.want) {
				t.Errorf("the page does not say %q", step.want)
			}
		})
	}
	u, err := deps.Service.Users(asCommandLine())
	if err != nil {
		t.Fatal(err)
	}
	if len(u) != 2 || u[1].Name != "max.muster" || u[1].Issuer != p.Config().Issuer || u[1].Subject != "u-4711" || u[1].PasswordHash != "" {
		t.Errorf("got users %+v", u)
	}
	entries, _, err := deps.Service.Audit(asCommandLine(), store.AuditOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action+" "+e.Target)
	}
	if got := strings.Join(actions, ", "); !strings.Contains(got, "login max.muster, user.role max.muster, login max.muster, user.role max.muster, login max.muster, user.add max.muster") {
		t.Errorf("got audit log %s", got)
	}
}

// TestOIDCOverTLS signs in over TLS, where the cookies are Secure and
// named with the prefix __Host-: the flow's and then the session's.
func TestOIDCOverTLS(t *testing.T) {
	p := newOIDCProvider(t)
	srv, _ := oidcServerOf(t, p, httptest.NewTLSServer)
	client := srv.Client()
	client.Jar = browserClient(t).Jar
	var names []string
	client.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		for _, c := range req.Response.Cookies() {
			names = append(names, c.Name)
		}
		return nil
	}
	p.QueueUser(&mockoidc.MockUser{Subject: "u-4711", PreferredUsername: "max.muster", Groups: []string{"gp-planners"}})
	final, status, body := get(t, client, srv.URL+"/login/oidc?next=%2Fcompare")
	if status != http.StatusOK || final != srv.URL+"/compare" || !strings.Contains(body, "max.muster (planner)") {
		t.Fatalf("got %d at %s:\n%s", status, final, truncate(body))
	}
	if got := strings.Join(names, " "); got != "__Host-grantplan_session __Host-grantplan_oidc __Host-grantplan_oidc __Host-grantplan_session" {
		t.Errorf("got the cookies %s, want the pre-session's, the flow's set and removed, then the session's, all __Host-", got)
	}
}

// TestOIDCEndsTheSessionBefore: a browser signed in (as someone else,
// perhaps) keeps one session after a single sign-on, as after a login
// with a password: the one it had ends.
func TestOIDCEndsTheSessionBefore(t *testing.T) {
	p := newOIDCProvider(t)
	srv, deps := oidcServer(t, p)
	before := sessionOf(t, deps, "anna", service.RoleAdmin)
	client := browserClient(t)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	client.Jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: before, Path: "/"}})
	p.QueueUser(&mockoidc.MockUser{Subject: "u-4711", PreferredUsername: "max.muster"})
	if _, status, body := get(t, client, srv.URL+"/login/oidc"); status != http.StatusOK || !strings.Contains(body, "max.muster (viewer)") {
		t.Fatalf("got %d, want max.muster signed in:\n%s", status, truncate(body))
	}
	if _, err := deps.Auth.Session(context.Background(), before, ""); !errors.Is(err, service.ErrNoSession) {
		t.Errorf("the session before the sign-on: got %v, want it ended", err)
	}
}

// TestOIDCFlowExpires: the cookie that carries a sign-on's state, nonce
// and PKCE verifier is refused once its ten minutes are over, by the
// server and not only by the browser, which may keep it longer.
func TestOIDCFlowExpires(t *testing.T) {
	p := newOIDCProvider(t)
	srv, deps := oidcServer(t, p)
	for _, tt := range []struct {
		name   string
		flow   string
		status int
	}{
		{"eleven minutes old", fmt.Sprintf(`{"state":"s","nonce":"n","verifier":"v","next":"/","expires":%d}`, time.Now().Add(-time.Minute).Unix()), http.StatusBadRequest},
		{"without a time", `{"state":"s","nonce":"n","verifier":"v","next":"/"}`, http.StatusBadRequest},
		// Fresh, it gets as far as the provider, which knows no code "c".
		{"fresh", fmt.Sprintf(`{"state":"s","nonce":"n","verifier":"v","next":"/","expires":%d}`, time.Now().Add(9*time.Minute).Unix()), http.StatusBadGateway},
	} {
		t.Run(tt.name, func(t *testing.T) {
			payload := base64.RawURLEncoding.EncodeToString([]byte(tt.flow))
			sum, err := deps.Auth.MAC(context.Background(), "oidc", payload)
			if err != nil {
				t.Fatal(err)
			}
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/login/oidc/callback?code=c&state=s", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.AddCookie(&http.Cookie{Name: "grantplan_oidc", Value: payload + "." + sum})
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.status {
				t.Errorf("got %d, want %d", res.StatusCode, tt.status)
			}
		})
	}
}

// TestOIDCRefused: an ID token signed with a key the provider does not
// publish, an expired one, an answer with another state, and a callback
// no sign-in began are all refused, and nobody is signed in.
func TestOIDCRefused(t *testing.T) {
	p := newOIDCProvider(t)
	srv, deps := oidcServer(t, p)
	user := &mockoidc.MockUser{Subject: "u-1", PreferredUsername: "mallory", Groups: []string{"gp-admins"}}

	signIn := func(t *testing.T) (string, int, string) {
		t.Helper()
		p.QueueUser(user)
		return get(t, browserClient(t), srv.URL+"/login/oidc")
	}
	t.Run("forged", func(t *testing.T) {
		p.forge.Store(true)
		defer p.forge.Store(false)
		if _, status, body := signIn(t); status != http.StatusForbidden || !strings.Contains(body, "the provider&#39;s answer could not be verified") {
			t.Errorf("got %d:\n%s", status, truncate(body))
		}
	})
	t.Run("expired", func(t *testing.T) {
		p.expire.Store(true)
		defer p.expire.Store(false)
		if _, status, body := signIn(t); status != http.StatusForbidden || !strings.Contains(body, "could not be verified") {
			t.Errorf("got %d:\n%s", status, truncate(body))
		}
	})
	t.Run("wrong state", func(t *testing.T) {
		p.QueueUser(user)
		client := browserClient(t)
		// Stop where the provider sends the browser back, and come back
		// with another state.
		client.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
			if req.URL.Path == "/login/oidc/callback" {
				return http.ErrUseLastResponse
			}
			return nil
		}
		res, err := client.Get(srv.URL + "/login/oidc")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		back, err := url.Parse(res.Header.Get("Location"))
		if err != nil || back.Query().Get("code") == "" {
			t.Fatalf("the provider sent the browser to %q", res.Header.Get("Location"))
		}
		q := back.Query()
		q.Set("state", "another-state")
		back.RawQuery = q.Encode()
		client.CheckRedirect = nil
		if _, status, body := get(t, client, back.String()); status != http.StatusBadRequest || !strings.Contains(body, "the answer does not belong to this sign-in") {
			t.Errorf("got %d:\n%s", status, truncate(body))
		}
	})
	t.Run("not begun here", func(t *testing.T) {
		if _, status, _ := get(t, browserClient(t), srv.URL+"/login/oidc/callback?code=x&state=y"); status != http.StatusBadRequest {
			t.Errorf("got %d, want 400", status)
		}
	})
	if users, _ := deps.Service.Users(asCommandLine()); len(users) != 1 {
		t.Errorf("got users %+v, want only anna", users)
	}
}
