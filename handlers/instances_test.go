package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"grantplan/data"
	"grantplan/handlers/web"
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
			if c.Name == web.SessionCookie {
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
	if rec := form(1, "/login", url.Values{web.CSRFField: {token}, "name": {"anna"}, "password": {userPassword}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("login on instance 1 with instance 0's form: got %d", rec.Code)
	}
	for i := range instances {
		if rec := send(i, httptest.NewRequest(http.MethodGet, "/", nil)); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "anna (planner)") {
			t.Errorf("instance %d with the session: got %d", i, rec.Code)
		}
	}
	if rec := form(0, "/logout", url.Values{web.CSRFField: {csrfOn(1, "/")}}); rec.Code != http.StatusSeeOther {
		t.Errorf("logout on instance 0 with instance 1's form: got %d", rec.Code)
	}

	// Failures on both count together.
	for i := range service.LoginLimit {
		rec := form(i%2, "/login", url.Values{web.CSRFField: {csrfOn(i%2, "/login")}, "name": {"anna"}, "password": {"wrong"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d on instance %d: got %d", i+1, i%2, rec.Code)
		}
	}
	if rec := form(1, "/login", url.Values{web.CSRFField: {csrfOn(1, "/login")}, "name": {"anna"}, "password": {userPassword}}); rec.Code != http.StatusTooManyRequests {
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

// twoInstances returns clients of two routers, each on a store of its own
// opened on one PostgreSQL schema, as two instances behind a load
// balancer; both sign in as the planner "anna".
func twoInstances(t *testing.T) [2]*client {
	t.Helper()
	dsn := pgtest.URL(t)
	var clients [2]*client
	for i := range clients {
		st, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		clients[i] = newClient(t, testDeps(t, st, service.Options{}))
	}
	return clients
}

// TestTwoInstancesAgree sends requests to two instances on one database:
// of 20 saves with one If-Match spread over both, exactly one wins and
// the others are 412; a share link made on one opens on the other and,
// revoked there, no longer opens on the first; both list the same
// scenarios with the same key figures, see a delete and a restore made
// on the other, and read the same audit log, which has the entries of
// both.
func TestTwoInstancesAgree(t *testing.T) {
	t.Parallel()
	c := twoInstances(t)
	admin := [2]header{bearer(tokenOf(t, c[0].deps, "root", service.RoleAdmin)), bearer(tokenOf(t, c[1].deps, "root", service.RoleAdmin))}
	rec := c[0].do(http.MethodPost, "/api/v1/scenarios", data.Demo)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create on instance 0: got %d %s", rec.Code, rec.Body)
	}
	id := decode[struct {
		ID string `json:"id"`
	}](t, rec).ID
	demo := "/api/v1/scenarios/" + id

	// 20 saves of revision 1, each with a body of its own, ten to each
	// instance, sent at once.
	const writers = 20
	bodies := make([][]byte, writers)
	for i := range bodies {
		bodies[i] = demoWith(t, map[string]any{"hr_capacity": i + 1})
	}
	codes := make([]int, writers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			<-start
			codes[i] = c[i%2].do(http.MethodPut, demo, bodies[i], header{"If-Match", `"1"`}).Code
		})
	}
	close(start)
	wg.Wait()
	winner, lost := -1, 0
	for i, code := range codes {
		switch code {
		case http.StatusOK:
			if winner >= 0 {
				t.Errorf("writers %d and %d both won", winner, i)
			}
			winner = i
		case http.StatusPreconditionFailed:
			lost++
		default:
			t.Errorf("writer %d: got %d, want 200 or 412", i, code)
		}
	}
	if winner < 0 || lost != writers-1 {
		t.Fatalf("got statuses %v, want one 200 and %d 412", codes, writers-1)
	}
	for i := range c {
		got := decode[savedScenario](t, c[i].do(http.MethodGet, demo, nil))
		if got.Revision != 2 || got.Scenario.HRCapacity != winner+1 {
			t.Errorf("instance %d: got revision %d with hr_capacity %d, want revision 2 of writer %d", i, got.Revision, got.Scenario.HRCapacity, winner)
		}
	}
	if a, b := c[0].do(http.MethodGet, demo+"/revisions", nil).Body.String(), c[1].do(http.MethodGet, demo+"/revisions", nil).Body.String(); a != b {
		t.Errorf("the revisions differ:\n%s\n%s", a, b)
	}

	// A share link made on one instance opens on the other; revoked on
	// the other, it opens on neither.
	rec = c[0].do(http.MethodPost, demo+"/shares", []byte(`{}`))
	if rec.Code != http.StatusCreated {
		t.Fatalf("share on instance 0: got %d %s", rec.Code, rec.Body)
	}
	share := decode[struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}](t, rec)
	link := share.URL[strings.Index(share.URL, "/s/"):]
	for i := range c {
		page := sendPage(c[i], http.MethodGet, link, "")
		wantPage(t, fmt.Sprintf("the share link on instance %d", i), page, http.StatusOK, "KIM Kreis Siegen-Wittgenstein")
	}
	if rec := c[1].do(http.MethodDelete, fmt.Sprintf("%s/shares/%d", demo, share.ID), nil); rec.Code != http.StatusNoContent {
		t.Fatalf("revoke on instance 1: got %d %s", rec.Code, rec.Body)
	}
	for i := range c {
		if page := sendPage(c[i], http.MethodGet, link, ""); page.Code != http.StatusNotFound {
			t.Errorf("the revoked share link on instance %d: got %d, want 404", i, page.Code)
		}
	}

	// A second scenario, made on the other instance: both list the same,
	// with the key figures the instance that saved each stored.
	other := demoWith(t, map[string]any{"name": "Kreis Olpe"})
	if rec := c[1].do(http.MethodPost, "/api/v1/scenarios", other); rec.Code != http.StatusCreated {
		t.Fatalf("create on instance 1: got %d %s", rec.Code, rec.Body)
	}
	sameOnBoth(t, c, "/api/v1/scenarios", nil, "kreis-olpe", `"id":"`+id+`"`)
	cookie := sessionOf(t, c[0].deps, "anna", service.RolePlanner)
	var lists [2]string
	for i := range c {
		page := sendPage(c[i], http.MethodGet, "/", cookie)
		wantPage(t, fmt.Sprintf("the list on instance %d", i), page, http.StatusOK, "Kreis Olpe", "KIM Kreis Siegen-Wittgenstein")
		body := page.Body.String()
		lists[i] = body[strings.Index(body, "<tbody>"):strings.Index(body, "</tbody>")]
		if strings.Contains(lists[i], "not computed yet") || strings.Count(lists[i], `class="num"`) != 8 {
			t.Errorf("instance %d lists scenarios without their figures:\n%s", i, lists[i])
		}
	}
	if lists[0] != lists[1] {
		t.Errorf("the lists differ:\n%s\n%s", lists[0], lists[1])
	}

	// Deleted on one, gone on both; restored on the other, back on both.
	if rec := c[1].do(http.MethodDelete, "/api/v1/scenarios/kreis-olpe", nil, header{"If-Match", `"1"`}); rec.Code != http.StatusNoContent {
		t.Fatalf("delete on instance 1: got %d %s", rec.Code, rec.Body)
	}
	for i := range c {
		if rec := c[i].do(http.MethodGet, "/api/v1/scenarios/kreis-olpe", nil); rec.Code != http.StatusNotFound {
			t.Errorf("the deleted scenario on instance %d: got %d, want 404", i, rec.Code)
		}
	}
	sameOnBoth(t, c, "/api/v1/admin/deleted", admin[:], "kreis-olpe")
	if rec := c[0].do(http.MethodPost, "/api/v1/admin/deleted/kreis-olpe/restore", nil, admin[0]); rec.Code != http.StatusOK {
		t.Fatalf("restore on instance 0: got %d %s", rec.Code, rec.Body)
	}
	for i := range c {
		if rec := c[i].do(http.MethodGet, "/api/v1/scenarios/kreis-olpe", nil); rec.Code != http.StatusOK {
			t.Errorf("the restored scenario on instance %d: got %d, want 200", i, rec.Code)
		}
	}
	sameOnBoth(t, c, "/api/v1/scenarios", nil, "kreis-olpe", `"id":"`+id+`"`)

	// One audit log, with what either instance did.
	sameOnBoth(t, c, "/api/v1/audit", admin[:], `"action":"scenario.create","target":"`+id+`"`,
		`"action":"scenario.update","target":"`+id+`","detail":"revision 2"`,
		`"action":"share.create"`, `"action":"share.revoke"`, `"action":"scenario.create","target":"kreis-olpe"`,
		`"action":"scenario.delete","target":"kreis-olpe"`, `"action":"scenario.undelete","target":"kreis-olpe"`)
}

// savedScenario is what the tests read of a scenario's answer.
type savedScenario struct {
	Revision int `json:"revision"`
	Scenario struct {
		HRCapacity int `json:"hr_capacity"`
	} `json:"scenario"`
}

// sameOnBoth gets path from both instances (with the header of each, if
// any) and checks that both answer 200 with the same body, holding each
// of want.
func sameOnBoth(t *testing.T, c [2]*client, path string, headers []header, want ...string) {
	t.Helper()
	var bodies [2]string
	for i := range c {
		var h []header
		if headers != nil {
			h = append(h, headers[i])
		}
		rec := c[i].do(http.MethodGet, path, nil, h...)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s on instance %d: got %d %s", path, i, rec.Code, rec.Body)
		}
		bodies[i] = rec.Body.String()
	}
	if bodies[0] != bodies[1] {
		t.Errorf("%s differs between the instances:\n%s\n%s", path, bodies[0], bodies[1])
	}
	for _, w := range want {
		if !strings.Contains(bodies[0], w) {
			t.Errorf("%s lacks %s:\n%s", path, w, bodies[0])
		}
	}
}

// sendPage sends a request for a page to the client's router, with the
// session cookie if one is given.
func sendPage(c *client, method, path, cookie string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	if cookie != "" {
		withCookie(req, cookie)
	}
	rec := httptest.NewRecorder()
	c.handler.ServeHTTP(rec, req)
	return rec
}
