package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/handlers/web"
	"grantplan/planner"
	"grantplan/service"
	"grantplan/store"
)

// memoryStore holds scenarios in a map, for the page benchmarks: they
// measure rendering, not SQLite.
type memoryStore struct {
	fakeStore
	scenarios map[string]store.Scenario
}

func (m *memoryStore) Get(_ context.Context, id string) (store.Scenario, error) {
	sc, ok := m.scenarios[id]
	if !ok {
		return store.Scenario{}, planner.Errorf(planner.KindNotFound, "no scenario %q", id)
	}
	return sc, nil
}

func (m *memoryStore) List(context.Context, store.ListOptions) ([]store.Scenario, int, error) {
	var list []store.Scenario
	for _, sc := range m.scenarios {
		list = append(list, sc)
	}
	return list, len(list), nil
}

// largeScenario has n posts: a tenth overhead, the rest waiting for it.
func largeScenario(n int) []byte {
	positions := make([]map[string]any, n)
	for i := range positions {
		p := map[string]any{"id": fmt.Sprintf("post-%d", i), "title": fmt.Sprintf("Post %d of the programme", i), "monthly_cost": 5000 + i}
		if i < n/10 {
			p["group"] = "overhead"
		} else {
			p["after"] = []string{"group:overhead"}
			p["recruiting"] = fmt.Sprintf("P%dM", 2+i%5)
		}
		positions[i] = p
	}
	body, _ := json.Marshal(map[string]any{
		"name": "Large", "start": "2024-01-01",
		"funding":   []any{map[string]any{"id": "f", "name": "Fund", "start": "2024-01-01", "end": "2026-12-31", "per_fte_year": 60000}},
		"positions": positions,
	})
	return body
}

func benchmarkPage(b *testing.B, body []byte) { benchmarkPath(b, body, "/scenarios/s") }

func benchmarkPath(b *testing.B, body []byte, path string) {
	st := &memoryStore{fakeStore: *fakeWith(b, fakeStore{}), scenarios: map[string]store.Scenario{"s": {ID: "s", Name: "S", Revision: 1, Updated: time.Now(), Body: body}}}
	router := NewRouter(anonymousViewers(testDeps(b, st, service.Options{})))
	b.ReportAllocs()
	var size int
	for b.Loop() {
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("got %d", rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/page")
}

// BenchmarkScenarioPage is GET /scenarios/{id} of the demo: plan, charts
// and HTML. The target is 20 ms; it takes about 1.5 ms.
func BenchmarkScenarioPage(b *testing.B) { benchmarkPage(b, data.Demo) }

// BenchmarkScenarioPage500 is the same for 500 posts.
func BenchmarkScenarioPage500(b *testing.B) { benchmarkPage(b, largeScenario(500)) }

// BenchmarkScenarioPageRisk adds the risk panel: 2,000 trials of the demo
// with a spread on every phase, the 80 % decision search, bars and
// whiskers.
func BenchmarkScenarioPageRisk(b *testing.B) {
	benchmarkPath(b, data.Demo, "/scenarios/s?risk=1&trials=2000&spread=0.8:1.5")
}

// BenchmarkListPage200 is GET / with 200 stored scenarios in SQLite: the
// demo under 200 names and decision dates, every tenth with HR capacity
// (whose latest safe start takes the exhaustive search); the page shows
// the first 50. One request before the timing lets the list store what it
// computes on its first showing.
func BenchmarkListPage200(b *testing.B) {
	st := openStore(b, filepath.Join(b.TempDir(), "grantplan.db"))
	ctx := context.Background()
	for i := range 200 {
		members := map[string]any{
			"name":  fmt.Sprintf("KIM variant %03d", i),
			"start": fmt.Sprintf("20%02d-%02d-01", 19+i%4, 1+i%12),
		}
		if i%10 == 0 {
			members["hr_capacity"] = 2
		}
		body := demoWith(b, members)
		if _, err := st.Create(ctx, fmt.Sprintf("kim-%03d", i), members["name"].(string), body); err != nil {
			b.Fatal(err)
		}
	}
	router := NewRouter(anonymousViewers(testDeps(b, st, service.Options{})))
	get := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "KIM variant 049") || !strings.Contains(rec.Body.String(), "Page 1 of 4") {
			b.Fatalf("got %d", rec.Code)
		}
		return rec
	}
	get()
	b.ReportAllocs()
	var size int
	for b.Loop() {
		size = get().Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/page")
}

// editBench is a router on 500 posts in memory, and the session cookie
// of a planner, who may edit.
func editBench(b *testing.B) (http.Handler, *http.Cookie) {
	st := &memoryStore{fakeStore: *fakeWith(b, fakeStore{}), scenarios: map[string]store.Scenario{"s": {ID: "s", Name: "S", Revision: 1, Updated: time.Now(), Body: largeScenario(500)}}}
	deps := testDeps(b, st, service.Options{})
	return NewRouter(deps), &http.Cookie{Name: web.SessionCookie, Value: sessionOf(b, deps, "anna", service.RolePlanner)}
}

// BenchmarkEditPage500 is GET /scenarios/{id}/edit of 500 posts: a page of
// 50 posts to edit, the other 450 carried along as hidden fields.
func BenchmarkEditPage500(b *testing.B) {
	router, session := editBench(b)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/scenarios/s/edit", nil)
		req.AddCookie(session)
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("got %d", rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/page")
}

// BenchmarkEditPageTurn500 posts the whole form of 500 posts to show its
// fifth page: reading every field, laying out the page, writing it.
func BenchmarkEditPageTurn500(b *testing.B) {
	router, session := editBench(b)
	req := httptest.NewRequest(http.MethodGet, "/scenarios/s/edit", nil)
	req.AddCookie(session)
	rec := httptest.NewRecorder()
	router.ServeHTTP(rec, req)
	form := formValues(b, rec.Body.String())
	form.Set("action", "page:5")
	body := form.Encode()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/scenarios/s/edit", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(session)
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "201–250") {
			b.Fatalf("got %d", rec.Code)
		}
	}
	b.ReportMetric(float64(len(body)), "bytes/form")
}
