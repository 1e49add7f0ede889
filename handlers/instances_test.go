package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/handlers/pages"
	"grantplan/service"
	"grantplan/store/postgres"
	"grantplan/store/postgres/pgtest"
)

// TestTwoInstances runs two servers on one PostgreSQL database, as behind
// a load balancer: a session made on one is valid on the other, a form's
// CSRF token from one is taken by the other, the login throttle counts the
// failures of both, and an API token made on one works on the other.
func TestTwoInstances(t *testing.T) {
	dsn := pgtest.URL(t)
	var instances [2]http.Handler
	var deps [2]Deps
	for i := range instances {
		st, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		deps[i] = testDeps(t, st, service.Options{})
		instances[i] = NewRouter(deps[i])
	}
	if _, err := deps[0].Service.Create(asCommandLine(), data.Demo); err != nil {
		t.Fatal(err)
	}
	addUser(t, deps[0], "anna", service.RolePlanner)

	cookie := ""
	send := func(i int, req *http.Request) *httptest.ResponseRecorder {
		t.Helper()
		if cookie != "" {
			withCookie(req, cookie)
		}
		rec := httptest.NewRecorder()
		instances[i].ServeHTTP(rec, req)
		for _, c := range rec.Result().Cookies() {
			if c.Name == pages.SessionCookie {
				cookie = c.Value
			}
		}
		return rec
	}
	form := func(i int, path string, values url.Values) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(values.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return send(i, req)
	}
	csrfOn := func(i int, path string) string {
		t.Helper()
		m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(send(i, httptest.NewRequest(http.MethodGet, path, nil)).Body.String())
		if m == nil {
			t.Fatalf("no CSRF token on %s of instance %d", path, i)
		}
		return m[1]
	}

	// The login form from one instance, sent to the other.
	token := csrfOn(0, "/login")
	if rec := form(1, "/login", url.Values{pages.CSRFField: {token}, "name": {"anna"}, "password": {userPassword}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("login on instance 1 with instance 0's form: got %d", rec.Code)
	}
	for i := range instances {
		if rec := send(i, httptest.NewRequest(http.MethodGet, "/", nil)); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "anna (planner)") {
			t.Errorf("instance %d with the session: got %d", i, rec.Code)
		}
	}
	if rec := form(0, "/logout", url.Values{pages.CSRFField: {csrfOn(1, "/")}}); rec.Code != http.StatusSeeOther {
		t.Errorf("logout on instance 0 with instance 1's form: got %d", rec.Code)
	}

	// Failures on both count together.
	for i := range service.LoginLimit {
		rec := form(i%2, "/login", url.Values{pages.CSRFField: {csrfOn(i%2, "/login")}, "name": {"anna"}, "password": {"wrong"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d on instance %d: got %d", i+1, i%2, rec.Code)
		}
	}
	if rec := form(1, "/login", url.Values{pages.CSRFField: {csrfOn(1, "/login")}, "name": {"anna"}, "password": {userPassword}}); rec.Code != http.StatusTooManyRequests {
		t.Errorf("the sixth attempt: got %d, want 429", rec.Code)
	}

	// An API token made through one works on the other.
	api := tokenOf(t, deps[0], "ci", service.RoleViewer)
	req := httptest.NewRequest(http.MethodGet, "/api/v1/scenarios", nil)
	req.Header.Set("Authorization", "Bearer "+api)
	rec := httptest.NewRecorder()
	instances[1].ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("the token on instance 1: got %d", rec.Code)
	}
}
