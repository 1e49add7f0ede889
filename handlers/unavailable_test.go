package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/handlers/web"
	"grantplan/service"
	"grantplan/store/postgres"
	"grantplan/store/postgres/pgtest"
)

// TestDatabaseGoesAway stops the PostgreSQL server under a running
// instance, at once, as a crash or a lost network would: every request
// that needs the database answers 503 with Retry-After (a problem
// document from the API, an error page from the pages), never a 500;
// /healthz answers 503 "unavailable"; a request that needs no database
// is still served. When the server is back, the same instance serves
// again without a restart.
func TestDatabaseGoesAway(t *testing.T) {
	t.Parallel()
	cluster := pgtest.NewCluster(t)
	st, err := postgres.Open(context.Background(), cluster.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := newClient(t, testDeps(t, st, service.Options{}))
	storeDemo(t, st)
	demo := "/api/v1/scenarios/" + data.DemoID
	if rec := c.do(http.MethodGet, demo, nil); rec.Code != http.StatusOK {
		t.Fatalf("before: got %d %s", rec.Code, rec.Body)
	}
	// A token not used yet, so not known to the instance; and a session.
	fresh := tokenOf(t, c.deps, "bernd", service.RolePlanner)
	pc := &pageClient{t: t, handler: c.handler, deps: c.deps,
		cookies: map[string]string{web.SessionCookie: sessionOf(t, c.deps, "anna", service.RolePlanner)}}
	wantPage(t, "the list before", pc.get("/"), http.StatusOK, "KIM Kreis Siegen-Wittgenstein")

	cluster.Down(t)
	for _, r := range []struct {
		method, path string
		body         []byte
		headers      []header
	}{
		{method: http.MethodGet, path: "/api/v1/scenarios"},
		{method: http.MethodGet, path: demo},
		{method: http.MethodGet, path: demo + "/plan"},
		{method: http.MethodGet, path: demo + "/revisions"},
		{method: http.MethodPut, path: demo, body: data.Demo, headers: []header{{"If-Match", `"1"`}}},
		{method: http.MethodPost, path: "/api/v1/scenarios", body: data.Demo},
		{method: http.MethodDelete, path: demo, headers: []header{{"If-Match", `"1"`}}},
		{method: http.MethodGet, path: "/api/v1/scenarios", headers: []header{bearer(fresh)}},
	} {
		rec := c.do(r.method, r.path, r.body, r.headers...)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "5" ||
			!strings.Contains(rec.Body.String(), "the database cannot be reached") {
			t.Errorf("%s %s with the database down: got %d, Retry-After %q, %s; want 503 after 5 s saying the database cannot be reached",
				r.method, r.path, rec.Code, rec.Header().Get("Retry-After"), rec.Body)
		}
	}
	// Planning a posted scenario needs no database.
	if rec := c.do(http.MethodPost, "/api/v1/plan", data.Demo); rec.Code != http.StatusOK {
		t.Errorf("POST /api/v1/plan with the database down: got %d %s, want 200", rec.Code, rec.Body)
	}
	rec := c.do(http.MethodGet, "/healthz", nil)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"status":"unavailable","store":{"read":false,"write":false}`) {
		t.Errorf("/healthz with the database down: got %d %s", rec.Code, rec.Body)
	}
	for _, path := range []string{"/", "/scenarios/" + data.DemoID} {
		page := pc.get(path)
		wantPage(t, path+" with the database down", page, http.StatusServiceUnavailable, "Try again in a moment")
		if page.Header().Get("Retry-After") == "" {
			t.Errorf("%s with the database down: no Retry-After", path)
		}
	}

	cluster.Up(t)
	deadline := time.Now().Add(15 * time.Second)
	for c.do(http.MethodGet, "/healthz", nil).Code != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("/healthz did not answer 200 within 15 s of the database's return")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// A connection the server cut may fail one request more; then every
	// request is served.
	c.do(http.MethodGet, demo, nil)
	if rec := c.do(http.MethodGet, demo, nil); rec.Code != http.StatusOK {
		t.Errorf("GET with the database back: got %d %s", rec.Code, rec.Body)
	}
	changed := demoWith(t, map[string]any{"hr_capacity": 2})
	if rec := c.do(http.MethodPut, demo, changed, header{"If-Match", `"1"`}); rec.Code != http.StatusOK || rec.Header().Get("ETag") != `"2"` {
		t.Errorf("PUT with the database back: got %d %s, want 200 with ETag \"2\"", rec.Code, rec.Body)
	}
	if rec := c.do(http.MethodGet, "/api/v1/scenarios", nil, bearer(fresh)); rec.Code != http.StatusOK {
		t.Errorf("a new token with the database back: got %d %s", rec.Code, rec.Body)
	}
	wantPage(t, "the list with the database back", pc.get("/"), http.StatusOK, "KIM Kreis Siegen-Wittgenstein")
	if lines := c.logs.lines("status=500"); len(lines) > 0 {
		t.Errorf("the log has 500s:\n%s", strings.Join(lines, "\n"))
	}
}
