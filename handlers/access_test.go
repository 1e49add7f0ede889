package handlers

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/handlers/web"
	"grantplan/planner"
	"grantplan/service"
	"grantplan/store"
)

// TestAPIAuthentication: how the API answers the credentials it gets.
func TestAPIAuthentication(t *testing.T) {
	c, _ := newStoreClient(t)
	viewer := tokenOf(t, c.deps, "vera", service.RoleViewer)
	tests := []struct {
		name      string
		auth      string
		method    string
		path      string
		status    int
		challenge string
	}{
		{"no token", "", http.MethodGet, "/api/v1/scenarios", 401, `Bearer realm="grantplan"`},
		{"unknown token", "Bearer gpt_" + strings.Repeat("A", 43), http.MethodGet, "/api/v1/scenarios", 401, `Bearer realm="grantplan", error="invalid_token"`},
		{"malformed token", "Bearer nonsense", http.MethodGet, "/api/v1/scenarios", 401, `Bearer realm="grantplan", error="invalid_token"`},
		{"basic", "Basic YWRtaW46YWRtaW4=", http.MethodGet, "/api/v1/scenarios", 401, `Bearer realm="grantplan", error="invalid_request"`},
		{"lower-case scheme", "bearer " + c.token, http.MethodGet, "/api/v1/scenarios", 200, ""},
		{"viewer reads", "Bearer " + viewer, http.MethodGet, "/api/v1/scenarios/" + data.DemoID + "/plan", 404, ""},
		{"viewer may not store", "Bearer " + viewer, http.MethodPost, "/api/v1/scenarios", 403, ""},
		{"planner may not read the audit log", "Bearer " + c.token, http.MethodGet, "/api/v1/audit", 403, ""},
		{"health is public", "", http.MethodGet, "/healthz", 200, ""},
		{"the document is public", "", http.MethodGet, "/api/v1/openapi.json", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			if tt.method == http.MethodPost {
				body = data.Demo
			}
			rec := c.do(tt.method, tt.path, body, header{"Authorization", tt.auth})
			if rec.Code != tt.status {
				t.Errorf("got %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if got := rec.Header().Get("WWW-Authenticate"); got != tt.challenge {
				t.Errorf("got WWW-Authenticate %q, want %q", got, tt.challenge)
			}
		})
	}
	if lines := c.logs.lines("API token refused"); len(lines) != 2 {
		t.Errorf("got %d log lines of refused tokens, want 2: %q", len(lines), lines)
	}
	if strings.Contains(c.logs.String(), c.token) || strings.Contains(c.logs.String(), viewer) {
		t.Errorf("a token is in the log:\n%s", c.logs)
	}
}

// TestAnonymousRoleAPI: with an anonymous role, a request without a
// token acts as a viewer: it plans, and is refused a write with 403 (it
// is somebody, in a role that may not).
func TestAnonymousRoleAPI(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "grantplan.db"))
	deps := testDeps(t, st, service.Options{})
	deps.AnonymousRole = service.RoleViewer
	c := newClient(t, deps)
	anonymous := []header{{"Authorization", ""}, {anonymousMark, "1"}}
	if rec := c.do(http.MethodPost, "/api/v1/plan", data.Demo, anonymous...); rec.Code != http.StatusOK {
		t.Errorf("plan: got %d", rec.Code)
	}
	if rec := c.do(http.MethodPost, "/api/v1/scenarios", data.Demo, anonymous...); rec.Code != http.StatusForbidden {
		t.Errorf("create: got %d, want 403", rec.Code)
	}
	if rec := c.do(http.MethodPost, "/api/v1/scenarios", data.Demo); rec.Code != http.StatusCreated {
		t.Errorf("create with a planner's token: got %d, want 201", rec.Code)
	}
}

// TestAuthors: the API names the author of every revision, none for one
// stored before there were accounts.
func TestAuthors(t *testing.T) {
	c, st := newStoreClient(t)
	if _, err := st.Create(context.Background(), data.DemoID, "KIM", data.Demo); err != nil {
		t.Fatal(err)
	}
	if rec := c.do(http.MethodPut, "/api/v1/scenarios/"+data.DemoID, data.Demo, header{"If-Match", `"1"`}); rec.Code != http.StatusOK ||
		decode[scenarioAnswer](t, rec).Author != "anna" {
		t.Fatalf("PUT: got %d %s", rec.Code, truncate(rec.Body.String()))
	}
	list := decode[struct {
		Revisions []struct {
			Revision int
			Author   *string
		}
	}](t, c.do(http.MethodGet, "/api/v1/scenarios/"+data.DemoID+"/revisions", nil))
	if len(list.Revisions) != 2 || list.Revisions[0].Author != nil || list.Revisions[1].Author == nil || *list.Revisions[1].Author != "anna" {
		t.Errorf("got revisions %+v, want none, then anna", list.Revisions)
	}
	if got := decode[scenarioAnswer](t, c.do(http.MethodGet, "/api/v1/scenarios/"+data.DemoID+"/revisions/2", nil)); got.Author != "anna" {
		t.Errorf("revision 2: got author %q", got.Author)
	}
}

type scenarioAnswer struct {
	ID       string
	Revision int
	Author   string
}

// TestSharesAPI makes, lists and revokes share links through the API.
func TestSharesAPI(t *testing.T) {
	c, st := newStoreClient(t)
	if _, err := st.Create(context.Background(), data.DemoID, "KIM", data.Demo); err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/scenarios/" + data.DemoID + "/shares"
	type share struct {
		ID        int64
		URL       string
		Revision  *int
		Expires   time.Time
		CreatedBy string `json:"created_by"`
	}
	rec := c.do(http.MethodPost, base, nil, header{"Content-Type", ""})
	current := decode[share](t, rec)
	if rec.Code != http.StatusCreated || current.Revision != nil || !regexp.MustCompile(`^http://example\.com/s/[A-Za-z0-9_-]{43}$`).MatchString(current.URL) ||
		current.CreatedBy != "anna" || time.Until(current.Expires) < 29*24*time.Hour || time.Until(current.Expires) > 30*24*time.Hour {
		t.Errorf("a link without a body: got %d %+v", rec.Code, current)
	}
	if rec.Header().Get("Location") != base+"/"+strconv.FormatInt(current.ID, 10) {
		t.Errorf("got Location %q", rec.Header().Get("Location"))
	}
	rec = c.do(http.MethodPost, base, []byte(`{"expires":"P7D","revision":1}`))
	pinned := decode[share](t, rec)
	if rec.Code != http.StatusCreated || pinned.Revision == nil || *pinned.Revision != 1 || time.Until(pinned.Expires) > 7*24*time.Hour {
		t.Errorf("a link to revision 1 for a week: got %d %+v", rec.Code, pinned)
	}
	bad := []struct {
		body, path string
		status     int
	}{
		{`{"expires":"7 days"}`, "expires", 422},
		{`{"expires":"P2Y"}`, "expires", 422},
		{`{"revision":0}`, "revision", 422},
		{`{"revision":"1"}`, "revision", 422},
		{`{"revison":1}`, "revison", 422},
		{`{"revision":5}`, "", 404},
		{`[`, "", 400},
	}
	for _, b := range bad {
		rec := c.do(http.MethodPost, base, []byte(b.body))
		if rec.Code != b.status || (b.path != "" && !strings.Contains(rec.Body.String(), `"path":"`+b.path+`"`)) {
			t.Errorf("%s: got %d %s, want %d at %q", b.body, rec.Code, rec.Body, b.status, b.path)
		}
	}
	list := decode[struct{ Shares []share }](t, c.do(http.MethodGet, base, nil))
	if len(list.Shares) != 2 || list.Shares[0].URL != "" {
		t.Errorf("got %+v, want both links without their addresses", list.Shares)
	}
	if rec := c.do(http.MethodDelete, base+"/"+strconv.FormatInt(current.ID, 10), nil); rec.Code != http.StatusNoContent {
		t.Errorf("revoke: got %d", rec.Code)
	}
	for _, path := range []string{base + "/" + strconv.FormatInt(current.ID, 10), base + "/x", "/api/v1/scenarios/nope/shares/" + strconv.FormatInt(pinned.ID, 10)} {
		if rec := c.do(http.MethodDelete, path, nil); rec.Code != http.StatusNotFound {
			t.Errorf("DELETE %s: got %d, want 404", path, rec.Code)
		}
	}
	// The link opens the page, without any credentials; revoked, it is
	// gone.
	open := func(link string) int {
		rec := httptest.NewRecorder()
		c.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, strings.TrimPrefix(link, "http://example.com"), nil))
		return rec.Code
	}
	if got := open(pinned.URL); got != http.StatusOK {
		t.Errorf("the pinned link: got %d", got)
	}
	if got := open(current.URL); got != http.StatusNotFound {
		t.Errorf("the revoked link: got %d, want 404", got)
	}
}

// TestAuditAPI: the admin reads the log a page at a time.
func TestAuditAPI(t *testing.T) {
	c, st := newStoreClient(t)
	for i := range 5 {
		if err := st.AppendAudit(context.Background(), store.AuditEntry{Time: time.Now(), Actor: "anna", Action: "scenario.update", Target: strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	c.token = tokenOf(t, c.deps, "root", service.RoleAdmin)
	type page struct {
		Entries []struct{ Action, Target string }
		Total   int
		Offset  int
		Limit   int
	}
	got := decode[page](t, c.do(http.MethodGet, "/api/v1/audit?offset=1&limit=2", nil))
	// The log holds anna's user and token, the five entries, and root's
	// user and token, newest first.
	if got.Total != 9 || got.Offset != 1 || got.Limit != 2 || len(got.Entries) != 2 ||
		got.Entries[0].Action != "user.add" || got.Entries[0].Target != "root" || got.Entries[1].Target != "4" {
		t.Errorf("got %+v", got)
	}
	for _, query := range []string{"limit=0", "limit=501", "offset=-1", "offset=x"} {
		if rec := c.do(http.MethodGet, "/api/v1/audit?"+query, nil); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: got %d, want 400", query, rec.Code)
		}
	}
}

// TestLogin: the login form signs in and returns to the page asked for,
// only on this site; a wrong password shows the form again; the session
// cookie is a new one, HttpOnly and SameSite=Lax; the sixth attempt after
// five failures is refused with 429 and Retry-After, the right password
// too.
func TestLogin(t *testing.T) {
	pc := newPageClientAs(t, "", "")
	addUser(t, pc.deps, "anna", service.RolePlanner)
	rec := pc.get("/scenarios/" + data.DemoID + "/history?lang=de")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Fscenarios%2Fkim-siegen-wittgenstein%2Fhistory%3Flang%3Dde" {
		t.Fatalf("an anonymous page: got %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	wantPage(t, "login", pc.get(rec.Header().Get("Location")), http.StatusOK,
		`<label for="login-name">Benutzername</label>`, `<label for="login-password">Passwort</label>`, `name="next" value="/scenarios/kim-siegen-wittgenstein/history?lang=de"`, `name="csrf"`)
	preSession := pc.cookies[web.SessionCookie]
	if !service.IsPreSession(preSession) {
		t.Fatalf("got cookie %q before the login, want a pre-session", preSession)
	}

	wantPage(t, "wrong password", pc.post("/login", url.Values{"name": {"anna"}, "password": {"wrong"}}), http.StatusUnprocessableEntity,
		"Benutzername oder Passwort ist falsch.", `value="anna"`)
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{
		"name": {"Anna"}, "password": {userPassword}, "next": {"/scenarios/" + data.DemoID + "/history?lang=de"}, web.CSRFField: {pc.csrf()}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec = pc.send(req)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/scenarios/"+data.DemoID+"/history?lang=de" {
		t.Fatalf("login: got %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	cookie := rec.Result().Cookies()[0]
	if cookie.Name != web.SessionCookie || cookie.Value == preSession || service.IsPreSession(cookie.Value) || !cookie.HttpOnly ||
		cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" || cookie.Secure || cookie.MaxAge < 7*24*3600-60 {
		t.Errorf("got session cookie %+v", cookie)
	}
	wantPage(t, "signed in", pc.get("/"), http.StatusOK, `anna (Planung)`, `action="/logout"`, "Abmelden")
	if rec := pc.get("/login?next=/compare"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/compare" {
		t.Errorf("the login when signed in: got %d to %q", rec.Code, rec.Header().Get("Location"))
	}

	// Signing in again ends the session the browser had.
	first := pc.cookies[web.SessionCookie]
	if rec := pc.post("/login", url.Values{"name": {"anna"}, "password": {userPassword}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("second login: got %d", rec.Code)
	}
	if _, err := pc.deps.Auth.Session(context.Background(), first, ""); !errors.Is(err, service.ErrNoSession) {
		t.Errorf("the first session after a second login: got %v, want it ended", err)
	}

	// Logout ends the session; the old cookie opens nothing.
	signedIn := pc.cookies[web.SessionCookie]
	if rec := pc.post("/logout", url.Values{}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Errorf("logout: got %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if !service.IsPreSession(pc.cookies[web.SessionCookie]) {
		t.Errorf("after logout got cookie %q, want a pre-session", pc.cookies[web.SessionCookie])
	}
	old := httptest.NewRecorder()
	pc.handler.ServeHTTP(old, withCookie(httptest.NewRequest(http.MethodGet, "/", nil), signedIn))
	if old.Code != http.StatusSeeOther {
		t.Errorf("the ended session's cookie: got %d, want a redirect to the login", old.Code)
	}

	for i := range service.LoginLimit {
		if rec := pc.post("/login", url.Values{"name": {"anna"}, "password": {"wrong " + strconv.Itoa(i)}}); rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: got %d", i+1, rec.Code)
		}
	}
	rec = pc.post("/login", url.Values{"name": {"anna"}, "password": {userPassword}})
	wantPage(t, "sixth attempt", rec, http.StatusTooManyRequests, "Zu viele Fehlversuche. Versuchen Sie es in 15 Minuten erneut.")
	if retry, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || retry < 14*60 || retry > 15*60 {
		t.Errorf("got Retry-After %q, want about 900 seconds", rec.Header().Get("Retry-After"))
	}
}

// TestLoginNext: the login returns only to a path on this site.
func TestLoginNext(t *testing.T) {
	tests := []struct{ next, want string }{
		{"/scenarios/x?rev=2", "/scenarios/x?rev=2"},
		{"/", "/"},
		{"", "/"},
		{"//evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{"/login", "/"},
		{"/login/oidc", "/"},
		{"/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"},
		{"/\r\nLocation: x", "/"},
		{"/%2F%2Fevil.example", "/%2F%2Fevil.example"}, // a path on this site
		{"/%5Cevil.example", "/%5Cevil.example"},
		{"/%5C%5Cevil.example", "/%5C%5Cevil.example"},
		{"\\evil.example", "/"},
		{"\\/evil.example", "/"},
		{"/\\/evil.example", "/"},
		{"https:evil.example", "/"},
		{"https:", "/"},
		{"HTTPS://evil.example", "/"},
		{"///evil.example", "/"},
		{"/./evil.example", "/evil.example"},
		{"/.//evil.example", "/evil.example"}, // cleaned to one slash
		{"/..//evil.example", "/evil.example"},
		{"/\tevil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\x00/evil.example", "/"},
		{"/\x0b/evil.example", "/"},
		{"/\x1f/evil.example", "/"},
		{"/\x7f/evil.example", "/"},
		{" //evil.example", "/"},
		{"/@evil.example", "/@evil.example"},
		{"/login?next=//evil.example", "/"},
	}
	for _, tt := range tests {
		pc := newPageClientAs(t, "", "")
		addUser(t, pc.deps, "anna", service.RolePlanner)
		rec := pc.post("/login", url.Values{"name": {"anna"}, "password": {userPassword}, "next": {tt.next}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != tt.want {
			t.Errorf("next %q: got %d to %q, want %q", tt.next, rec.Code, rec.Header().Get("Location"), tt.want)
		}
	}
}

// TestSecureCookies: over TLS, when told, or when the server's public
// address is https, every cookie is Secure (the session's and the
// language's).
func TestSecureCookies(t *testing.T) {
	for _, server := range []struct {
		told      bool
		publicURL string
	}{{false, ""}, {true, ""}, {false, "https://grantplan.kreis.example"}, {false, "http://grantplan.kreis.example"}} {
		pc := newPageClientAs(t, "", "")
		deps := pc.deps
		deps.SecureCookies, deps.PublicURL = server.told, server.publicURL
		handler := NewRouter(deps)
		for _, tls := range []bool{false, true} {
			req := httptest.NewRequest(http.MethodGet, "/login?lang=de", nil)
			if tls {
				req = httptest.NewRequest(http.MethodGet, "https://grantplan.example/login?lang=de", nil)
			}
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			cookies := rec.Result().Cookies()
			want := server.told || tls || strings.HasPrefix(server.publicURL, "https:")
			if len(cookies) != 2 {
				t.Errorf("%+v, TLS %v: got cookies %+v, want the session's and the language's", server, tls, cookies)
			}
			for _, c := range cookies {
				if c.Secure != want {
					t.Errorf("%+v, TLS %v: got cookie %+v, want Secure %v", server, tls, c, want)
				}
			}
		}
	}
}

// TestTrustedProxy: the client's address in the audit log is the peer's,
// unless the peer is a trusted proxy: then X-Forwarded-For's. X-Real-IP
// claims nothing either.
func TestTrustedProxy(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		pc := newPageClientAs(t, "", "")
		addUser(t, pc.deps, "anna", service.RolePlanner)
		deps := pc.deps
		if trusted {
			deps.TrustedProxies = []string{"192.0.2.0/24"}
		}
		pc.handler = NewRouter(deps)
		pc.get("/login")
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{
			"name": {"anna"}, "password": {userPassword}, web.CSRFField: {pc.csrf()}}.Encode()))
		req.RemoteAddr = "192.0.2.10:4321"
		req.Header.Set("X-Forwarded-For", "198.51.100.7")
		req.Header.Set("X-Real-IP", "198.51.100.8")
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if rec := pc.send(req); rec.Code != http.StatusSeeOther {
			t.Fatalf("login: got %d", rec.Code)
		}
		entries, _, err := pc.store.ListAudit(context.Background(), store.AuditOptions{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		want := "192.0.2.10"
		if trusted {
			want = "198.51.100.7"
		}
		if entries[0].Action != "login" || entries[0].Address != want {
			t.Errorf("trusted %v: got %+v, want the address %s", trusted, entries[0], want)
		}
	}
}

// TestHostOnlyCookies: where cookies are Secure, the session's is named
// with the __Host- prefix, which a browser takes only from this host over
// TLS, for the whole site and without a Domain: another host under the
// county's domain (whose pages count as the same site, so SameSite does
// not stop them) cannot set it, and a cookie of the plain name, which it
// could set, is not read.
func TestHostOnlyCookies(t *testing.T) {
	pc := newPageClientAs(t, "", "")
	addUser(t, pc.deps, "anna", service.RolePlanner)
	deps := pc.deps
	deps.SecureCookies = true
	handler := NewRouter(deps)
	send := func(req *http.Request) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		return rec
	}
	cookies := send(httptest.NewRequest(http.MethodGet, "/login", nil)).Result().Cookies()
	if len(cookies) != 1 || cookies[0].Name != "__Host-"+web.SessionCookie || !cookies[0].Secure || cookies[0].Path != "/" || cookies[0].Domain != "" {
		t.Fatalf("got cookies %+v, want the pre-session as __Host-%s", cookies, web.SessionCookie)
	}
	preSession := cookies[0].Value
	login := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{
		"name": {"anna"}, "password": {userPassword}, web.CSRFField: {csrfOf(t, deps, preSession)}}.Encode()))
	login.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	login.AddCookie(&http.Cookie{Name: "__Host-" + web.SessionCookie, Value: preSession})
	rec := send(login)
	if rec.Code != http.StatusSeeOther || len(rec.Result().Cookies()) != 1 || rec.Result().Cookies()[0].Name != "__Host-"+web.SessionCookie {
		t.Fatalf("login: got %d with cookies %+v", rec.Code, rec.Result().Cookies())
	}
	session := rec.Result().Cookies()[0].Value
	page := httptest.NewRequest(http.MethodGet, "/", nil)
	page.AddCookie(&http.Cookie{Name: "__Host-" + web.SessionCookie, Value: session})
	if rec := send(page); rec.Code != http.StatusOK {
		t.Errorf("the list with the session: got %d", rec.Code)
	}
	// A session cookie of the plain name, as another host could set it,
	// is no session here, and a form bound to it is refused.
	tossed := sessionOf(t, deps, "mallory", service.RolePlanner)
	if rec := send(withCookie(httptest.NewRequest(http.MethodGet, "/", nil), tossed)); rec.Code != http.StatusSeeOther {
		t.Errorf("a plain cookie: got %d, want a redirect to the login", rec.Code)
	}
	post := httptest.NewRequest(http.MethodPost, "/scenarios/new", strings.NewReader(url.Values{
		"name": {"x"}, web.CSRFField: {csrfOf(t, deps, tossed)}}.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if rec := send(withCookie(post, tossed)); rec.Code != http.StatusForbidden {
		t.Errorf("a form bound to a plain cookie: got %d, want 403", rec.Code)
	}
}

// TestUntrustedProxyWarning: a request with X-Forwarded-For from a peer
// that is not a trusted proxy is logged once as a warning that names the
// peer: behind a reverse proxy not named by --trusted-proxy, every client
// has the proxy's address, and five failed logins of anyone refuse
// everyone's for a quarter of an hour.
func TestUntrustedProxyWarning(t *testing.T) {
	for _, tt := range []struct {
		name    string
		trusted []string
		header  string
		want    int
	}{
		{"no proxy named", nil, "198.51.100.7", 1},
		{"the proxy named", []string{"192.0.2.0/24"}, "198.51.100.7", 0},
		{"another proxy named", []string{"192.0.2.99"}, "198.51.100.7", 1},
		{"no header", nil, "", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t, filepath.Join(t.TempDir(), "grantplan.db"))
			deps := testDeps(t, st, service.Options{})
			deps.TrustedProxies = tt.trusted
			c := newClient(t, deps)
			for range 3 {
				req := httptest.NewRequest(http.MethodGet, "/login", nil)
				req.RemoteAddr = "192.0.2.10:4321"
				if tt.header != "" {
					req.Header.Set("X-Forwarded-For", tt.header)
				}
				c.handler.ServeHTTP(httptest.NewRecorder(), req)
			}
			lines := c.logs.lines("level=WARN", "X-Forwarded-For", "peer=192.0.2.10", "--trusted-proxy")
			if len(lines) != tt.want {
				t.Errorf("got %d warnings, want %d:\n%s", len(lines), tt.want, c.logs)
			}
		})
	}
}

// TestSharePages: a planner makes a link on the scenario page and sees
// its address once; the link shows that scenario read-only and nothing
// else; revoked, it is gone.
func TestSharePages(t *testing.T) {
	pc := newPageClient(t)
	rec := pc.post(demoPath+"/shares", url.Values{"days": {"7"}})
	wantPage(t, "made", rec, http.StatusCreated, "The new link", `id="share-url"`, "the current revision at each view",
		"download its report (PDF) and its workbook")
	link := regexp.MustCompile(`value="http://example\.com(/s/[A-Za-z0-9_-]{43})"`).FindStringSubmatch(rec.Body.String())
	if link == nil {
		t.Fatalf("no link on the page:\n%s", truncate(rec.Body.String()))
	}
	if strings.Contains(pc.get(demoPath+"/shares").Body.String(), link[1]) {
		t.Errorf("the link's address is shown again")
	}

	// Someone else, with nothing but the link.
	anyone := &pageClient{t: t, handler: pc.handler, cookies: map[string]string{}, store: pc.store, deps: pc.deps}
	page := anyone.get(link[1] + "?lang=de")
	wantPage(t, "shared", page, http.StatusOK, `<svg class="gantt"`, "Nur-Lese-Link", "Kritisch:", link[1]+"/export.xlsx?lang=de",
		link[1]+"/report.pdf?lang=de")
	for _, absent := range []string{`<form`, `href="/scenarios/`, "/history", "whatif", `name="csrf"`} {
		if strings.Contains(page.Body.String(), absent) {
			t.Errorf("the shared page holds %q", absent)
		}
	}
	if page.Header().Get("X-Robots-Tag") != "noindex, nofollow" || len(page.Result().Cookies()) > 1 {
		t.Errorf("got X-Robots-Tag %q and cookies %v", page.Header().Get("X-Robots-Tag"), page.Result().Cookies())
	}
	if rec := anyone.get(link[1] + "/export.xlsx?lang=de"); rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), ".xlsx") {
		t.Errorf("the workbook: got %d %q", rec.Code, rec.Header().Get("Content-Disposition"))
	}
	for _, path := range []string{link[1] + "/history", link[1] + "/edit", link[1] + "x", demoPath, "/s/" + strings.Repeat("A", 43)} {
		if rec := anyone.get(path); rec.Code != http.StatusNotFound && !(rec.Code == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/login")) {
			t.Errorf("%s: got %d, want 404 or the login", path, rec.Code)
		}
	}

	// Revoked from the links page.
	id := regexp.MustCompile(`action="/scenarios/kim-siegen-wittgenstein/shares/(\d+)/delete"`).FindStringSubmatch(pc.get(demoPath + "/shares").Body.String())
	if id == nil {
		t.Fatal("no revoke button")
	}
	if rec := pc.post(demoPath+"/shares/"+id[1]+"/delete", url.Values{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: got %d", rec.Code)
	}
	wantPage(t, "revoked", anyone.get(link[1]+"?lang=en"), http.StatusNotFound, "This link does not exist, has been revoked or has expired.")
}

// TestPinnedSharePage: a link to a revision keeps showing it after the
// scenario changes.
func TestPinnedSharePage(t *testing.T) {
	pc := newPageClient(t)
	ctx := asCommandLine()
	renamed, _ := service.Renamed(data.Demo, "Renamed later")
	if _, err := pc.deps.Service.Update(ctx, data.DemoID, service.IfRevision(1), renamed); err != nil {
		t.Fatal(err)
	}
	share, err := pc.deps.Service.CreateShare(ctx, data.DemoID, 1, planner.Period{Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	page := pc.get("/s/" + share.Secret)
	wantPage(t, "pinned", page, http.StatusOK, "<h1>KIM Kreis Siegen-Wittgenstein</h1>", "A read-only view of revision 1")
}

// TestShareLinkScope: a share link reaches its scenario's read-only page
// and its two downloads, at its revision, and nothing else: not another
// revision (?rev=), not a risk run (?risk=), not a route of the signed-in
// pages under its path, and its secret opens nothing as an API token or
// a session.
func TestShareLinkScope(t *testing.T) {
	pc := newPageClient(t)
	ctx := asCommandLine()
	renamed, _ := service.Renamed(data.Demo, "Renamed later")
	if _, err := pc.deps.Service.Update(ctx, data.DemoID, service.IfRevision(1), renamed); err != nil {
		t.Fatal(err)
	}
	other, err := pc.deps.Service.Create(ctx, demoWith(t, map[string]any{"name": "Another county"}))
	if err != nil {
		t.Fatal(err)
	}
	share, err := pc.deps.Service.CreateShare(ctx, data.DemoID, 1, planner.Period{Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	link := "/s/" + share.Secret
	anyone := &pageClient{t: t, handler: pc.handler, cookies: map[string]string{}, store: pc.store, deps: pc.deps}

	for _, query := range []string{"", "?rev=2", "?rev=1&risk=1&trials=100000", "?risk=1"} {
		page := anyone.get(link + query)
		wantPage(t, query, page, http.StatusOK, "<h1>KIM Kreis Siegen-Wittgenstein</h1>", "A read-only view of revision 1")
		for _, absent := range []string{"Renamed later", "Another county", `id="risk"`, `href="/scenarios/`, `href="/compare`, `href="/"`, "<form"} {
			if strings.Contains(page.Body.String(), absent) {
				t.Errorf("%s: the shared page holds %q", query, absent)
			}
		}
	}
	// The downloads are of revision 1 whatever the query asks: the same
	// report, the same sheets (excelize lists the content types in any
	// order).
	for _, file := range []string{"/export.xlsx", "/report.pdf"} {
		plain := anyone.get(link + file)
		if plain.Code != http.StatusOK || !strings.Contains(plain.Header().Get("Content-Disposition"), "KIM-Kreis-Siegen-Wittgenstein") {
			t.Fatalf("%s: got %d %q", file, plain.Code, plain.Header().Get("Content-Disposition"))
		}
		asked := anyone.get(link + file + "?rev=2&risk=true&trials=50&seed=3")
		same := bytes.Equal(asked.Body.Bytes(), plain.Body.Bytes())
		if file == "/export.xlsx" {
			same = maps.Equal(sheetsOf(t, asked.Body.Bytes()), sheetsOf(t, plain.Body.Bytes()))
		}
		if asked.Code != http.StatusOK || !same {
			t.Errorf("%s with another revision and a risk run asked for: got %d, a file other than the link's", file, asked.Code)
		}
	}
	// Nothing of the signed-in pages under the link's path.
	for _, path := range []string{"/history", "/edit", "/whatif", "/delete", "/shares", "/scenario.json", "/plan.json", "/duplicate", "/" + other.ID} {
		if rec := anyone.get(link + path); rec.Code != http.StatusNotFound {
			t.Errorf("%s: got %d, want 404", path, rec.Code)
		}
	}
	if rec := anyone.postRaw(link, url.Values{}); rec.Code < 400 {
		t.Errorf("POST %s: got %d", link, rec.Code)
	}
	// Its secret is no API token and no session.
	for _, auth := range []string{"Bearer " + share.Secret, "Bearer gpt_" + share.Secret} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/scenarios/"+data.DemoID, nil)
		req.Header.Set("Authorization", auth)
		rec := httptest.NewRecorder()
		pc.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("the API with %q: got %d, want 401", auth, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	pc.handler.ServeHTTP(rec, withCookie(httptest.NewRequest(http.MethodGet, "/scenarios/"+data.DemoID, nil), share.Secret))
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("the secret as a session: got %d to %q, want the login", rec.Code, rec.Header().Get("Location"))
	}
}

// sheetsOf returns the parts of a workbook but its list of content
// types, by name.
func sheetsOf(t *testing.T, workbook []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(workbook), int64(len(workbook)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		if f.Name == "[Content_Types].xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(content)
	}
	return parts
}

// TestViewerPages: a viewer gets no control to change anything, and the
// pages only a change needs are 403.
func TestViewerPages(t *testing.T) {
	pc := newPageClientAs(t, "vera", service.RoleViewer)
	list := pc.get("/")
	wantPage(t, "list", list, http.StatusOK, "vera (viewer)", `href="/scenarios/kim-siegen-wittgenstein"`)
	scenario := pc.get(demoPath)
	wantPage(t, "scenario", scenario, http.StatusOK, `id="whatif-form"`)
	for _, absent := range []string{`/edit"`, `/delete"`, `/duplicate"`, `/shares"`, `action="/scenarios/new"`} {
		if strings.Contains(list.Body.String()+scenario.Body.String(), absent) {
			t.Errorf("a viewer's page holds %q", absent)
		}
	}
	for _, path := range []string{demoPath + "/edit", demoPath + "/delete", demoPath + "/shares", "/admin"} {
		wantPage(t, path, pc.get(path), http.StatusForbidden, "Your role (viewer) may not do this.")
	}
}

// TestAdminPage: the audit log a page at a time, and a link to the
// users.
func TestAdminPage(t *testing.T) {
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	for i := range 60 {
		if err := pc.store.AppendAudit(context.Background(), store.AuditEntry{Time: time.Now(), Actor: "anna", Action: "scenario.update",
			Target: "kim", Detail: "revision " + strconv.Itoa(i+2), Address: "192.0.2.1"}); err != nil {
			t.Fatal(err)
		}
	}
	wantPage(t, "first", pc.get("/admin"), http.StatusOK, "Administration (page 1 of 2)", "revision 61", `href="/admin?page=2"`,
		`<a href="/admin/users">Users and API tokens</a>`, "scenario.update")
	wantPage(t, "second", pc.get("/admin?page=2&lang=de"), http.StatusOK, "Verwaltung (Seite 2 von 2)", "user.add", `href="/admin?page=1"`)
	wantPage(t, "beyond", pc.get("/admin?page=3"), http.StatusNotFound)
	wantPage(t, "nonsense", pc.get("/admin?page=x"), http.StatusNotFound)
	planner := newPageClientAs(t, "anna", service.RolePlanner)
	wantPage(t, "planner", planner.get("/admin"), http.StatusForbidden)
	if strings.Contains(planner.get("/").Body.String(), `href="/admin"`) {
		t.Errorf("a planner's header links to the administration")
	}
}

// TestNoSecretInLog: a share link's secret and an API token stay out of
// the request log.
func TestNoSecretInLog(t *testing.T) {
	c, st := newStoreClient(t)
	if _, err := st.Create(context.Background(), data.DemoID, "KIM", data.Demo); err != nil {
		t.Fatal(err)
	}
	share, err := c.deps.Service.CreateShare(asCommandLine(), data.DemoID, 0, planner.Period{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	c.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/s/"+share.Secret+"/export.xlsx", nil))
	c.do(http.MethodGet, "/api/v1/scenarios", nil)
	logs := c.logs.String()
	if strings.Contains(logs, share.Secret) || strings.Contains(logs, c.token) {
		t.Errorf("a secret is in the log:\n%s", logs)
	}
	if len(c.logs.lines("path=/s/…/export.xlsx", "status=200")) != 1 {
		t.Errorf("the share link's request is not logged without its secret:\n%s", logs)
	}
}
