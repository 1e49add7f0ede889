package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"grantplan/data"
	"grantplan/handlers/api"
)

// storedScenario is the JSON shape of a stored scenario or revision.
type storedScenario struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Revision int             `json:"revision"`
	Scenario json.RawMessage `json:"scenario"`
}

// TestScenarioLifecycle walks a stored scenario through creation, reads,
// updates, a restore and deletion.
func TestScenarioLifecycle(t *testing.T) {
	c, _ := newStoreClient(t)
	original := demoWith(t, map[string]any{"name": "Straßenbau Köln"})

	rec := c.do(http.MethodPost, "/api/v1/scenarios", original)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: got status %d, want 201: %s", rec.Code, rec.Body)
	}
	created := decode[storedScenario](t, rec)
	if created.ID != "strassenbau-koeln" || created.Revision != 1 || created.Name != "Straßenbau Köln" {
		t.Errorf("create: got id %q, revision %d, name %q, want strassenbau-koeln, 1, Straßenbau Köln", created.ID, created.Revision, created.Name)
	}
	checkHeader(t, rec, "Location", "/api/v1/scenarios/strassenbau-koeln")
	checkHeader(t, rec, "ETag", `"1"`)
	checkSameJSON(t, "created body", created.Scenario, original)

	path := "/api/v1/scenarios/" + created.ID
	rec = c.do(http.MethodGet, path, nil)
	checkHeader(t, rec, "ETag", `"1"`)
	checkSameJSON(t, "read body", decode[storedScenario](t, rec).Scenario, original)

	changed := demoWith(t, map[string]any{"name": "Straßenbau Köln, später", "start": "2021-12-01"})
	rec = c.do(http.MethodPut, path, changed, header{"If-Match", `"1"`})
	if rec.Code != http.StatusOK {
		t.Fatalf("update: got status %d, want 200: %s", rec.Code, rec.Body)
	}
	checkHeader(t, rec, "ETag", `"2"`)
	if got := decode[storedScenario](t, rec); got.Revision != 2 || got.ID != created.ID {
		t.Errorf("update: got id %q, revision %d, want %q, 2", got.ID, got.Revision, created.ID)
	}

	// The first revision is still there, and restoring it appends.
	rec = c.do(http.MethodGet, path+"/revisions/1", nil)
	first := decode[storedScenario](t, rec)
	checkSameJSON(t, "revision 1", first.Scenario, original)
	rec = c.do(http.MethodPut, path, first.Scenario, header{"If-Match", `"2"`})
	checkHeader(t, rec, "ETag", `"3"`)
	rec = c.do(http.MethodGet, path, nil)
	if got := decode[storedScenario](t, rec); got.Revision != 3 || got.Name != "Straßenbau Köln" {
		t.Errorf("after restore: got revision %d, name %q, want 3, Straßenbau Köln", got.Revision, got.Name)
	}
	checkSameJSON(t, "restored body", decode[storedScenario](t, rec).Scenario, original)

	// "*" matches whatever is current; so does a list naming it.
	rec = c.do(http.MethodPut, path, changed, header{"If-Match", "*"})
	checkHeader(t, rec, "ETag", `"4"`)
	later := demoWith(t, map[string]any{"name": "Straßenbau Köln, später", "start": "2022-01-01"})
	rec = c.do(http.MethodPut, path, later, header{"If-Match", `"1", "4"`})
	checkHeader(t, rec, "ETag", `"5"`)

	rec = c.do(http.MethodGet, path+"/revisions", nil)
	revisions := decode[api.RevisionList](t, rec)
	var got []string
	for _, r := range revisions.Revisions {
		got = append(got, fmt.Sprintf("%d %s", r.Revision, r.Name))
	}
	want := []string{"1 Straßenbau Köln", "2 Straßenbau Köln, später", "3 Straßenbau Köln", "4 Straßenbau Köln, später", "5 Straßenbau Köln, später"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("got revisions %q, want %q", got, want)
	}

	// A second scenario of the same name gets another id.
	rec = c.do(http.MethodPost, "/api/v1/scenarios", original)
	if got := decode[storedScenario](t, rec).ID; got != "strassenbau-koeln-2" {
		t.Errorf("second create: got id %q, want strassenbau-koeln-2", got)
	}

	rec = c.do(http.MethodDelete, path, nil, header{"If-Match", `"5"`})
	if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
		t.Fatalf("delete: got status %d and %q, want 204 and nothing", rec.Code, rec.Body)
	}
	for _, p := range []string{path, path + "/revisions", path + "/revisions/1", path + "/plan"} {
		checkStatus(t, c.do(http.MethodGet, p, nil), http.StatusNotFound, created.ID, nil)
	}
	checkStatus(t, c.do(http.MethodPut, path, original, header{"If-Match", "*"}), http.StatusNotFound, created.ID, nil)
	checkStatus(t, c.do(http.MethodDelete, path, nil, header{"If-Match", `"5"`}), http.StatusNotFound, created.ID, nil)

	rec = c.do(http.MethodGet, "/api/v1/scenarios", nil)
	list := decode[struct {
		Scenarios []storedScenario `json:"scenarios"`
	}](t, rec)
	if len(list.Scenarios) != 1 || list.Scenarios[0].ID != "strassenbau-koeln-2" {
		t.Errorf("list after delete: got %+v, want only strassenbau-koeln-2", list.Scenarios)
	}
	if list.Scenarios[0].Scenario != nil {
		t.Errorf("list: got a scenario body, want none")
	}

	// A deleted id is never given out again.
	rec = c.do(http.MethodPost, "/api/v1/scenarios", original)
	if got := decode[storedScenario](t, rec).ID; got != "strassenbau-koeln-3" {
		t.Errorf("create after delete: got id %q, want strassenbau-koeln-3", got)
	}
}

// TestEmptyList checks that an empty store lists [] and not null.
func TestEmptyList(t *testing.T) {
	c, _ := newStoreClient(t)
	rec := c.do(http.MethodGet, "/api/v1/scenarios", nil)
	if got, want := rec.Body.String(), `{"scenarios":[]}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestScenarioErrors checks the failures of the stored-scenario routes.
func TestScenarioErrors(t *testing.T) {
	c, st := newStoreClient(t)
	ctx := context.Background()
	if _, err := st.Create(ctx, "demo", "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Update(ctx, "demo", 1, "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	// "demo" is now at revision 2.
	tests := []struct {
		name       string
		method     string
		path       string
		body       []byte
		headers    []header
		wantStatus int
		wantDetail string
		wantPaths  []string
	}{
		{name: "get unknown", method: "GET", path: "/api/v1/scenarios/nope", wantStatus: 404, wantDetail: `"nope"`},
		{name: "revisions of unknown", method: "GET", path: "/api/v1/scenarios/nope/revisions", wantStatus: 404},
		{name: "unknown revision", method: "GET", path: "/api/v1/scenarios/demo/revisions/3", wantStatus: 404, wantDetail: "no revision 3"},
		{name: "revision 0", method: "GET", path: "/api/v1/scenarios/demo/revisions/0", wantStatus: 404},
		{name: "revision not a number", method: "GET", path: "/api/v1/scenarios/demo/revisions/latest", wantStatus: 404},
		{name: "revision overflows", method: "GET", path: "/api/v1/scenarios/demo/revisions/99999999999999999999999", wantStatus: 404},
		{name: "put unknown", method: "PUT", path: "/api/v1/scenarios/nope", body: data.Demo, headers: []header{{"If-Match", `"1"`}}, wantStatus: 404},
		{name: "delete unknown", method: "DELETE", path: "/api/v1/scenarios/nope", headers: []header{{"If-Match", `"1"`}}, wantStatus: 404},

		{name: "put without If-Match", method: "PUT", path: "/api/v1/scenarios/demo", body: data.Demo, wantStatus: 428, wantDetail: "If-Match"},
		{name: "delete without If-Match", method: "DELETE", path: "/api/v1/scenarios/demo", wantStatus: 428, wantDetail: "If-Match"},
		{name: "stale If-Match", method: "PUT", path: "/api/v1/scenarios/demo", body: data.Demo, headers: []header{{"If-Match", `"1"`}}, wantStatus: 412},
		{name: "stale delete", method: "DELETE", path: "/api/v1/scenarios/demo", headers: []header{{"If-Match", `"1"`}}, wantStatus: 412},
		{name: "future If-Match", method: "PUT", path: "/api/v1/scenarios/demo", body: data.Demo, headers: []header{{"If-Match", `"3"`}}, wantStatus: 412},
		{name: "weak If-Match", method: "PUT", path: "/api/v1/scenarios/demo", body: data.Demo, headers: []header{{"If-Match", `W/"2"`}}, wantStatus: 412, wantDetail: "weak"},
		{name: "unquoted If-Match", method: "PUT", path: "/api/v1/scenarios/demo", body: data.Demo, headers: []header{{"If-Match", `2`}}, wantStatus: 412, wantDetail: "with the quotes"},
		{name: "half-quoted If-Match", method: "DELETE", path: "/api/v1/scenarios/demo", headers: []header{{"If-Match", `"2`}}, wantStatus: 412},
		{name: "empty If-Match", method: "DELETE", path: "/api/v1/scenarios/demo", headers: []header{{"If-Match", ` `}}, wantStatus: 412},
		{name: "opaque If-Match", method: "PUT", path: "/api/v1/scenarios/demo", body: data.Demo, headers: []header{{"If-Match", `"abc"`}}, wantStatus: 412},
		{name: "zero-padded If-Match", method: "PUT", path: "/api/v1/scenarios/demo", body: data.Demo, headers: []header{{"If-Match", `"02"`}}, wantStatus: 412},
		{name: "signed If-Match", method: "PUT", path: "/api/v1/scenarios/demo", body: data.Demo, headers: []header{{"If-Match", `"+2"`}}, wantStatus: 412},
		{name: "star in a list", method: "PUT", path: "/api/v1/scenarios/demo", body: data.Demo, headers: []header{{"If-Match", `*, "2"`}}, wantStatus: 412},
		{name: "huge If-Match", method: "PUT", path: "/api/v1/scenarios/demo", body: data.Demo, headers: []header{{"If-Match", `"99999999999999999999999"`}}, wantStatus: 412},
		{name: "list without current", method: "PUT", path: "/api/v1/scenarios/demo", body: data.Demo, headers: []header{{"If-Match", `"1", "3"`}}, wantStatus: 412, wantDetail: "revision 2"},

		{name: "put invalid scenario", method: "PUT", path: "/api/v1/scenarios/demo", body: []byte(`{"name": ""}`), headers: []header{{"If-Match", `"2"`}}, wantStatus: 422, wantPaths: []string{"name", "start", "funding", "positions"}},
		{name: "put not JSON", method: "PUT", path: "/api/v1/scenarios/demo", body: []byte(`{"name": `), headers: []header{{"If-Match", `"2"`}}, wantStatus: 400},
		{name: "put wrong type", method: "PUT", path: "/api/v1/scenarios/demo", body: data.Demo, headers: []header{{"If-Match", `"2"`}, {"Content-Type", "text/json"}}, wantStatus: 415},
		{name: "create invalid scenario", method: "POST", path: "/api/v1/scenarios", body: []byte(`{"name": "x", "positions": []}`), wantStatus: 422, wantPaths: []string{"positions", "start", "funding"}},
		{name: "create not JSON", method: "POST", path: "/api/v1/scenarios", body: []byte(`<scenario/>`), wantStatus: 400},
		{name: "create without type", method: "POST", path: "/api/v1/scenarios", body: data.Demo, headers: []header{{"Content-Type", ""}}, wantStatus: 415},

		{name: "unknown route", method: "GET", path: "/api/v1/nothing", wantStatus: 404, wantDetail: "no such route"},
		{name: "trailing slash", method: "GET", path: "/api/v1/scenarios/", wantStatus: 404},
		{name: "wrong method", method: "PATCH", path: "/api/v1/scenarios/demo", body: data.Demo, wantStatus: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := c.do(tt.method, tt.path, tt.body, tt.headers...)
			checkStatus(t, rec, tt.wantStatus, tt.wantDetail, tt.wantPaths)
		})
	}
	// None of these may have changed anything.
	revisions, err := st.Revisions(ctx, "demo")
	if err != nil || len(revisions) != 2 {
		t.Errorf("after the failed requests: got %d revisions (%v), want 2", len(revisions), err)
	}
}

// TestConcurrentUpdates has 20 clients PUT the same scenario with the same
// If-Match at once: exactly one wins, the others get 412, and no revision
// is lost or stored twice.
func TestConcurrentUpdates(t *testing.T) {
	c, st := newStoreClient(t)
	ctx := context.Background()
	if _, err := st.Create(ctx, "demo", "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	const writers = 20
	statuses := make([]int, writers)
	bodies := make([][]byte, writers)
	for i := range bodies {
		bodies[i] = demoWith(t, map[string]any{"name": fmt.Sprintf("writer %d", i)})
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			<-start
			rec := c.do(http.MethodPut, "/api/v1/scenarios/demo", bodies[i], header{"If-Match", `"1"`})
			statuses[i] = rec.Code
		})
	}
	close(start)
	wg.Wait()

	winner, count := -1, map[int]int{}
	for i, status := range statuses {
		count[status]++
		if status == http.StatusOK {
			winner = i
		}
	}
	if count[http.StatusOK] != 1 || count[http.StatusPreconditionFailed] != writers-1 {
		t.Fatalf("got statuses %v, want one 200 and %d 412", count, writers-1)
	}
	revisions, err := st.Revisions(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if len(revisions) != 2 || revisions[0].Revision != 1 || revisions[1].Revision != 2 {
		t.Fatalf("got revisions %+v, want 1 and 2", revisions)
	}
	second, err := st.Revision(ctx, "demo", 2)
	if err != nil {
		t.Fatal(err)
	}
	checkSameJSON(t, "revision 2", second.Body, bodies[winner])
	if want := fmt.Sprintf("writer %d", winner); second.Name != want {
		t.Errorf("got revision 2 named %q, want %q", second.Name, want)
	}
}

// TestConcurrentStarUpdates has 20 clients PUT with If-Match: * at once:
// each either lands as a revision of its own or is refused with 412; none
// is lost, none overwrites.
func TestConcurrentStarUpdates(t *testing.T) {
	c, st := newStoreClient(t)
	ctx := context.Background()
	if _, err := st.Create(ctx, "demo", "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	const writers = 20
	statuses := make([]int, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			body := demoWith(t, map[string]any{"name": fmt.Sprintf("writer %d", i)})
			statuses[i] = c.do(http.MethodPut, "/api/v1/scenarios/demo", body, header{"If-Match", "*"}).Code
		})
	}
	wg.Wait()
	succeeded := 0
	for _, status := range statuses {
		switch status {
		case http.StatusOK:
			succeeded++
		case http.StatusPreconditionFailed:
		default:
			t.Errorf("got status %d, want 200 or 412", status)
		}
	}
	revisions, err := st.Revisions(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if len(revisions) != succeeded+1 {
		t.Errorf("got %d revisions after %d successful updates, want %d", len(revisions), succeeded, succeeded+1)
	}
	names := map[string]bool{}
	for _, r := range revisions[1:] {
		if names[r.Name] {
			t.Errorf("revision %d repeats %q", r.Revision, r.Name)
		}
		names[r.Name] = true
	}
}

func checkHeader(t *testing.T, rec *httptest.ResponseRecorder, name, want string) {
	t.Helper()
	if got := rec.Header().Get(name); got != want {
		t.Errorf("got %s %q, want %q (status %d)", name, got, want, rec.Code)
	}
}

// checkSameJSON checks that two JSON documents hold the same value.
func checkSameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if gj, wj := mustJSON(t, g), mustJSON(t, w); string(gj) != string(wj) {
		t.Errorf("%s: got %s, want %s", what, truncate(string(gj)), truncate(string(wj)))
	}
}
