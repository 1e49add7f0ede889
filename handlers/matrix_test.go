package handlers

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/handlers/web"
	"grantplan/planner"
	"grantplan/service"
)

// An audience is who may use a route.
type audience int

const (
	public       audience = iota // anyone, signed in or not
	viewers                      // a viewer, a planner or an admin
	planners                     // a planner or an admin
	admins                       // an admin
	users                        // a signed-in user of any role (not an anonymous visitor in a role)
	shareHolders                 // the holder of a share link (the link is in the path)
)

// routeAccess is the rule of every route the router serves. A route
// without a rule fails TestRoleMatrix: whoever adds one says who may use
// it.
var routeAccess = map[string]audience{
	"GET /healthz":             public,
	"GET /api/v1/openapi.json": public,
	"GET /static/*filepath":    public,
	"GET /login":               public,
	"POST /login":              public,
	"POST /logout":             public,
	"GET /login/oidc":          public,
	"GET /login/oidc/callback": public,

	"POST /api/v1/plan":                                 viewers,
	"POST /api/v1/whatif":                               viewers,
	"POST /api/v1/risk":                                 viewers,
	"POST /api/v1/export.xlsx":                          viewers,
	"POST /api/v1/report.pdf":                           viewers,
	"POST /api/v1/import":                               viewers,
	"GET /api/v1/template.xlsx":                         viewers,
	"GET /api/v1/scenarios":                             viewers,
	"GET /api/v1/scenarios/:id":                         viewers,
	"GET /api/v1/scenarios/:id/revisions":               viewers,
	"GET /api/v1/scenarios/:id/revisions/:revision":     viewers,
	"GET /api/v1/scenarios/:id/plan":                    viewers,
	"GET /api/v1/scenarios/:id/risk":                    viewers,
	"GET /api/v1/scenarios/:id/export.xlsx":             viewers,
	"GET /api/v1/scenarios/:id/report.pdf":              viewers,
	"POST /api/v1/scenarios":                            planners,
	"PUT /api/v1/scenarios/:id":                         planners,
	"DELETE /api/v1/scenarios/:id":                      planners,
	"POST /api/v1/scenarios/:id/shares":                 planners,
	"GET /api/v1/scenarios/:id/shares":                  planners,
	"DELETE /api/v1/scenarios/:id/shares/:share":        planners,
	"GET /api/v1/audit":                                 admins,
	"GET /api/v1/admin/deleted":                         admins,
	"GET /api/v1/admin/deleted/:id/revisions":           admins,
	"GET /api/v1/admin/deleted/:id/revisions/:revision": admins,
	"POST /api/v1/admin/deleted/:id/restore":            admins,
	"GET /":                                             viewers,
	"GET /compare":                                      viewers,
	"GET /scenarios/:id":                                viewers,
	"GET /scenarios/:id/export.xlsx":                    viewers,
	"GET /template.xlsx":                                viewers,
	"GET /scenarios/:id/report.pdf":                     viewers,
	"GET /scenarios/:id/scenario.json":                  viewers,
	"GET /scenarios/:id/plan.json":                      viewers,
	"GET /scenarios/:id/history":                        viewers,
	"GET /scenarios/:id/whatif":                         viewers,
	"POST /scenarios/new":                               planners,
	"POST /scenarios/upload":                            planners,
	"GET /scenarios/:id/edit":                           planners,
	"POST /scenarios/:id/edit":                          planners,
	"POST /scenarios/:id/restore":                       planners,
	"POST /scenarios/:id/duplicate":                     planners,
	"GET /scenarios/:id/delete":                         planners,
	"POST /scenarios/:id/delete":                        planners,
	"POST /scenarios/:id/whatif":                        planners,
	"GET /scenarios/:id/shares":                         planners,
	"POST /scenarios/:id/shares":                        planners,
	"POST /scenarios/:id/shares/:share/delete":          planners,
	"GET /account":                                      users,
	"POST /account/password":                            users,
	"GET /admin":                                        admins,
	"GET /admin/users":                                  admins,
	"POST /admin/users":                                 admins,
	"POST /admin/users/:name/role":                      admins,
	"POST /admin/users/:name/password":                  admins,
	"GET /admin/users/:name/delete":                     admins,
	"POST /admin/users/:name/delete":                    admins,
	"POST /admin/tokens":                                admins,
	"POST /admin/tokens/:token/delete":                  admins,
	"GET /admin/deleted":                                admins,
	"GET /admin/deleted/:id":                            admins,
	"POST /admin/deleted/:id/restore":                   admins,
	"GET /s/:secret":                                    shareHolders,
	"GET /s/:secret/export.xlsx":                        shareHolders,
	"GET /s/:secret/report.pdf":                         shareHolders,
}

// A principal is who sends a request in the matrix.
type principal struct {
	name string
	role service.Role // for the signed-in ones, and the anonymous role
	link bool         // the holder of a share link, not signed in
	// anonymous is a visitor without credentials on a server that gives
	// them role (serve --anonymous-role viewer).
	anonymous bool
}

var principals = []principal{
	{name: "anonymous"},
	{name: "viewer", role: service.RoleViewer},
	{name: "planner", role: service.RolePlanner},
	{name: "admin", role: service.RoleAdmin},
	{name: "share link", link: true},
	{name: "anonymous viewer", role: service.RoleViewer, anonymous: true},
}

// may reports whether p may use a route of rule a.
func (p principal) may(a audience) bool {
	switch a {
	case public:
		return true
	case shareHolders:
		return p.link
	case users:
		return p.role != "" && !p.anonymous
	}
	rank := map[service.Role]audience{service.RoleViewer: viewers, service.RolePlanner: planners, service.RoleAdmin: admins}[p.role]
	return p.role != "" && rank >= a
}

// matrixEnv is one store with a user of each role, and per request a
// scenario of its own (the demo under another id) with a share link, so
// that a request that deletes or changes it leaves the others alone.
type matrixEnv struct {
	deps    Deps
	handler http.Handler
	// anonymousViewers is the router of a server with the anonymous role
	// viewer, on the same store.
	anonymousViewers http.Handler
	tokens           map[service.Role]string
	cookies          map[string]string // by principal
}

func newMatrixEnv(t *testing.T) *matrixEnv {
	t.Helper()
	st := openStore(t, filepath.Join(t.TempDir(), "grantplan.db"))
	if _, err := st.Create(context.Background(), data.DemoID, "KIM Kreis Siegen-Wittgenstein", data.Demo); err != nil {
		t.Fatal(err)
	}
	deps := testDeps(t, st, service.Options{})
	anonymousViewers := deps
	anonymousViewers.AnonymousRole = service.RoleViewer
	e := &matrixEnv{deps: deps, handler: NewRouter(deps), anonymousViewers: NewRouter(anonymousViewers),
		tokens: map[service.Role]string{}, cookies: map[string]string{}}
	for _, p := range principals {
		switch {
		case p.role != "" && !p.anonymous:
			e.tokens[p.role] = tokenOf(t, deps, p.name, p.role)
			e.cookies[p.name] = sessionOf(t, deps, p.name, p.role)
		default:
			e.cookies[p.name] = service.NewPreSession()
		}
	}
	return e
}

// scenario stores the demo as a new scenario with two revisions and a
// share link to it, and returns its id, the link's number and secret.
func (e *matrixEnv) scenario(t *testing.T, n int) (id string, shareID int64, secret string) {
	t.Helper()
	ctx := asCommandLine()
	body, err := service.Renamed(data.Demo, fmt.Sprintf("Matrix %d", n))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := e.deps.Service.Create(ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	// A second revision of another body: the same body stores nothing.
	second, err := service.Renamed(data.Demo, fmt.Sprintf("Matrix %d, revised", n))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.deps.Service.Update(ctx, sc.ID, service.IfRevision(1), second); err != nil {
		t.Fatal(err)
	}
	share, err := e.deps.Service.CreateShare(ctx, sc.ID, 0, planner.Period{})
	if err != nil {
		t.Fatal(err)
	}
	return sc.ID, share.ID, share.Secret
}

// request makes the request of a route for p: its path parameters filled
// in, a body that the route accepts, and p's credentials (an API token
// for the API, the session cookie and a CSRF token for the pages).
func (e *matrixEnv) request(t *testing.T, method, route string, p principal, n int) *http.Request {
	t.Helper()
	id, shareID, secret := e.scenario(t, n)
	if strings.HasPrefix(route, "/api/v1/admin/deleted/") || strings.HasPrefix(route, "/admin/deleted/") {
		// The administrator's routes of deleted scenarios take one.
		if err := e.deps.Service.Delete(asCommandLine(), id, service.Precondition{Any: true}); err != nil {
			t.Fatal(err)
		}
	}
	if !p.link {
		secret = service.NewPreSession()[4:] // a secret of the right form that opens nothing
	}
	// A user of its own for the routes of one user, and a new name to
	// add.
	user := fmt.Sprintf("user-%d", n)
	if strings.Contains(route, ":name") {
		addUser(t, e.deps, user, service.RoleViewer)
	}
	// A token of its own for the routes of one token.
	token := "0"
	if strings.Contains(route, ":token") {
		token = strconv.FormatInt(tokenIDOf(t, e.deps, user), 10)
	}
	path := strings.NewReplacer(":id", id, ":name", user, ":token", token, ":revision", "1", ":share", strconv.FormatInt(shareID, 10),
		":secret", secret, "*filepath", "style.css").Replace(route)
	if route == "/compare" {
		path += "?id=" + id + "&id=" + data.DemoID
	}
	// A session of its own: a login or logout the matrix sends ends it.
	cookie := e.cookies[p.name]
	if p.role != "" && !p.anonymous {
		cookie = sessionOf(t, e.deps, p.name, p.role)
	}
	csrf := csrfOf(t, e.deps, cookie)
	api := strings.HasPrefix(route, "/api/")

	var body []byte
	contentType := ""
	switch {
	case route == "/api/v1/import":
		path += "?base=" + id
		body, contentType = []byte("id\nnew\n"), "text/csv"
	case api && (method == http.MethodPost || method == http.MethodPut):
		body, contentType = apiBody(t, route, id), "application/json"
	case route == "/scenarios/upload":
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		_ = w.WriteField(web.CSRFField, csrf)
		f, _ := w.CreateFormFile("file", "demo.json")
		_, _ = f.Write(data.Demo)
		_ = w.Close()
		body, contentType = buf.Bytes(), w.FormDataContentType()
	case method == http.MethodPost:
		form := url.Values{web.CSRFField: {csrf}}
		for k, v := range pageForm(route) {
			form[k] = v
		}
		if route == "/admin/users" {
			form.Set("name", "new-"+user)
		}
		body, contentType = []byte(form.Encode()), "application/x-www-form-urlencoded"
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if method == http.MethodPut || method == http.MethodDelete {
		req.Header.Set("If-Match", "*")
	}
	if api && p.role != "" && !p.anonymous {
		req.Header.Set("Authorization", "Bearer "+e.tokens[p.role])
	}
	if !api {
		withCookie(req, cookie)
	}
	return req
}

// apiBody is a body the API route accepts for the scenario id.
func apiBody(t *testing.T, route, id string) []byte {
	t.Helper()
	switch route {
	case "/api/v1/whatif":
		return mustJSON(t, map[string]any{"scenario_id": id, "variants": []any{map[string]any{"name": "v", "merge": map[string]any{"hr_capacity": 1}}}})
	case "/api/v1/risk":
		return mustJSON(t, map[string]any{"scenario_id": id, "trials": 20})
	case "/api/v1/scenarios/:id/shares":
		return []byte(`{"expires":"P7D"}`)
	}
	return data.Demo
}

// pageForm is what a page's form sends besides its CSRF token.
func pageForm(route string) url.Values {
	switch route {
	case "/login":
		return url.Values{"name": {"viewer"}, "password": {userPassword}}
	case "/scenarios/new":
		return url.Values{"name": {"New"}}
	case "/scenarios/:id/edit":
		return url.Values{"action": {"add:positions"}, "revision": {"2"}, "base": {"2"}, "funding.rows": {"0"}, "positions.rows": {"0"}, "pay_raises.rows": {"0"}}
	case "/scenarios/:id/restore":
		return url.Values{"revision": {"1"}, "current": {"2"}}
	case "/scenarios/:id/delete":
		return url.Values{"revision": {"2"}}
	case "/scenarios/:id/whatif":
		return url.Values{"name": {"Parallel"}, "parallel": {"1"}}
	case "/scenarios/:id/shares":
		return url.Values{"days": {"7"}}
	case "/admin/users":
		return url.Values{"role": {"viewer"}}
	case "/admin/users/:name/role":
		return url.Values{"role": {"planner"}}
	case "/admin/tokens":
		return url.Values{"user": {"viewer"}, "label": {"matrix"}, "days": {"30"}}
	case "/account/password":
		// The same password again: the matrix's next logins use it.
		return url.Values{"current": {userPassword}, "password": {userPassword}, "repeat": {userPassword}}
	}
	return nil
}

// TestRoleMatrix sends every route the router serves as every principal
// (anonymous, viewer, planner, admin, share link, and an anonymous
// visitor on a server that makes them viewers) and checks the answer
// against the route's rule: allowed, or refused the way that principal is
// refused there. A route without a rule fails.
func TestRoleMatrix(t *testing.T) {
	e := newMatrixEnv(t)
	routes := NewRouter(Deps{}).Routes()
	n := 0
	for _, r := range routes {
		key := r.Method + " " + r.Path
		rule, ok := routeAccess[key]
		if !ok {
			t.Errorf("the route %s has no rule in routeAccess: say who may use it", key)
			continue
		}
		for _, p := range principals {
			n++
			t.Run(key+" as "+p.name, func(t *testing.T) {
				rec := httptest.NewRecorder()
				handler := e.handler
				if p.anonymous {
					handler = e.anonymousViewers
				}
				handler.ServeHTTP(rec, e.request(t, r.Method, r.Path, p, n))
				checkAccess(t, r.Path, rule, p, rec)
			})
		}
	}
	if len(routes) != len(routeAccess) {
		t.Errorf("the router serves %d routes, routeAccess has rules for %d: remove the rules of routes that are gone", len(routes), len(routeAccess))
	}
}

// checkAccess checks one answer of the matrix.
func checkAccess(t *testing.T, route string, rule audience, p principal, rec *httptest.ResponseRecorder) {
	t.Helper()
	api := strings.HasPrefix(route, "/api/") || route == "/healthz"
	location := rec.Header().Get("Location")
	toLogin := rec.Code == http.StatusSeeOther && strings.HasPrefix(location, "/login") && route != "/logout"
	if rec.Code >= 500 {
		t.Fatalf("got %d: %s", rec.Code, truncate(rec.Body.String()))
	}
	if p.may(rule) {
		switch {
		case rec.Code == http.StatusUnauthorized || rec.Code == http.StatusForbidden || toLogin:
			t.Errorf("allowed, yet refused: %d to %q", rec.Code, location)
		case rule != public && rec.Code >= 400:
			t.Errorf("allowed, yet got %d: %s", rec.Code, truncate(rec.Body.String()))
		}
		return
	}
	var want string
	switch {
	case rule == shareHolders:
		want = "404"
	case p.role == "" && api:
		want = "401"
	case p.role == "", rule == users && p.anonymous:
		want = "303 to the login"
	default:
		want = "403"
	}
	got := strconv.Itoa(rec.Code)
	if toLogin {
		got = "303 to the login"
	}
	if got != want {
		t.Errorf("got %s (%s), want %s", got, truncate(rec.Body.String()), want)
	}
	if want == "401" && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("a 401 without WWW-Authenticate: Bearer")
	}
}
