package handlers

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/handlers/api"
	"grantplan/handlers/web"
	"grantplan/service"
	"grantplan/store/sqlite"
)

// pinnedCapacity is the scenario that once took the list down: one post
// pinned by its earliest date among 4,999 others at HR capacity 100, which
// defeats the pruning of the latest safe start's search.
func pinnedCapacity(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "planner", "testdata", "pinned-capacity.json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// memoryBomb is the scenario that once drove the server to 3.5 GB: 5,000
// posts whose recruiting may take anything from no time to a hundred
// years, some 74 KB of JSON.
func memoryBomb(t testing.TB) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"name": "bomb", "start": "2024-01-01", "funding": [{"id": "f", "start": "2024-01-01", "end": "2030-12-31"}], "positions": [`)
	for i := range 5000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"p%d","recruiting":{"min":"P0D","likely":"P1Y","max":"P100Y"}}`, i)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// newLimitedClient returns a client of a router whose service has the
// limits given, on a new store, signed in as the planner "anna", and the
// service and the store.
func newLimitedClient(t *testing.T, limits service.Limits) (*client, *service.Service, *sqlite.Store) {
	t.Helper()
	st := openStore(t, filepath.Join(t.TempDir(), "grantplan.db"))
	deps := testDeps(t, st, service.Options{Limits: &limits})
	t.Cleanup(deps.Service.Close)
	return newClient(t, deps), deps.Service, st
}

// pagesOf is a page client of c's router, signed in as name with role.
func pagesOf(t testing.TB, c *client, st *sqlite.Store, name string, role service.Role) *pageClient {
	t.Helper()
	return &pageClient{t: t, handler: c.handler, store: st, deps: c.deps,
		cookies: map[string]string{web.SessionCookie: sessionOf(t, c.deps, name, role)}}
}

// TestListDeadline stores the scenarios that once made GET / take 92 s,
// without their key figures (as an earlier program did): the list answers
// at once, showing them as not computed yet, and plans none of them
// while it is asked; the background computes them for the next list.
func TestListDeadline(t *testing.T) {
	c, svc, st := newLimitedClient(t, service.Limits{})
	ctx := context.Background()
	pinned := pinnedCapacity(t)
	for i := range 3 {
		if _, err := st.Create(ctx, fmt.Sprint("pinned-", i), "pinned", pinned); err != nil {
			t.Fatal(err)
		}
	}
	pc := pagesOf(t, c, st, "anna", service.RolePlanner)
	page := pc.get("/")
	wantPage(t, "the list", page, http.StatusOK, "pinned-0", "pinned-2")
	if got := strings.Count(page.Body.String(), "not computed yet"); got != 3 {
		t.Errorf("got %d scenarios not computed yet, want 3", got)
	}
	if stats := svc.Stats(); stats.FiguresInline != 0 || stats.FiguresDeferred != 3 {
		t.Errorf("got %+v, want no figures computed while the list was asked, 3 left to the background", stats)
	}

	waitUntil(t, "the background to compute the figures", func() bool { return svc.Stats().FiguresBackground == 3 })
	page = pc.get("/")
	wantPage(t, "the list once computed", page, http.StatusOK, "pinned-0")
	if strings.Contains(page.Body.String(), "not computed yet") {
		t.Error("the list still shows figures not computed")
	}
	if stats := svc.Stats(); stats.FiguresInline != 0 || stats.FiguresDeferred != 3 {
		t.Errorf("got %+v, want the stored figures read", stats)
	}
}

// waitUntil polls cond until it holds, failing after 60 seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 60s for %s", what)
		}
	}
}

// TestListPages checks the list's pages and search.
func TestListPages(t *testing.T) {
	pc := newPageClient(t)
	ctx := context.Background()
	for i := range 120 {
		name := fmt.Sprintf("Szenario %03d", i)
		if i%10 == 0 {
			name = fmt.Sprintf("Köln %03d", i)
		}
		if _, err := pc.store.Create(ctx, fmt.Sprintf("s%03d", i), name, data.Demo); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		path   string
		status int
		want   []string
		not    []string
	}{
		{"/", 200, []string{"s000", "s048", "Page 1 of 3 (121 scenarios)", `href="/?page=2"`}, []string{"s049", "Previous page"}},
		{"/?page=3", 200, []string{"s099", "s119", "Page 3 of 3", `href="/?page=2"`}, []string{"s098", "Next page"}},
		{"/?q=k%C3%B6ln", 200, []string{"s000", "s110", `value="köln"`}, []string{"s001", "Page 1"}},
		{"/?q=KÖLN+1", 200, []string{"s100", "s110"}, []string{"s000"}},
		{"/?q=nirgends", 200, []string{"No scenario matches &#34;nirgends&#34;."}, nil},
		{"/?page=9", 200, []string{"There are only 3 pages."}, []string{"s000"}},
		{"/?page=0", 400, []string{"There is no page 0 of the list"}, nil},
		{"/?page=x", 400, []string{"There is no page x of the list"}, nil},
	}
	for _, tt := range tests {
		rec := pc.get(tt.path)
		wantPage(t, tt.path, rec, tt.status, tt.want...)
		for _, not := range tt.not {
			if strings.Contains(rec.Body.String(), not) {
				t.Errorf("%s: the page has %q", tt.path, not)
			}
		}
	}
}

// TestMemoryBomb sends the risk run that once took 3.5 GB: 5,000 posts
// spread over a hundred years, 100,000 trials. It is refused before it
// starts, at the trials, saying how many fit; a page link with as many
// trials runs no more than a page allows, and says so.
func TestMemoryBomb(t *testing.T) {
	c, svc, st := newLimitedClient(t, service.Limits{})
	bomb := memoryBomb(t)
	if _, err := st.Create(context.Background(), "bomb", "bomb", bomb); err != nil {
		t.Fatal(err)
	}
	request := mustJSON(t, map[string]any{"scenario": jsonRaw(bomb), "trials": 100000})
	for _, r := range []struct {
		method, path string
		body         []byte
	}{
		{http.MethodPost, "/api/v1/risk", request},
		{http.MethodGet, "/api/v1/scenarios/bomb/risk?trials=100000", nil},
		{http.MethodGet, "/api/v1/scenarios/bomb/export.xlsx?risk=true&trials=100000", nil},
	} {
		rec := c.do(r.method, r.path, r.body)
		checkStatus(t, rec, http.StatusUnprocessableEntity, "", []string{"trials"})
		if p := decode[api.Problem](t, rec); len(p.Errors) == 1 && !strings.Contains(p.Errors[0].Message, "at most 4000 trials for 5000 posts") {
			t.Errorf("%s: got %q, want it to say how many trials fit", r.path, p.Errors[0].Message)
		}
	}
	if stats := svc.Stats(); stats.Admitted > 1 { // the page below plans the bomb, once
		t.Errorf("got %+v, want no risk run started", stats)
	}

	pc := pagesOf(t, c, st, "anna", service.RolePlanner)
	page := pc.get("/scenarios/bomb?risk=1&trials=100000")
	wantPage(t, "a page link with 100,000 trials", page, http.StatusUnprocessableEntity,
		"This page runs at most 10000 trials, not the 100000 asked for",
		"This scenario is too large for a risk run of 10000 trials on this server; at most 4000 fit.")
}

// jsonRaw is a JSON document to embed as it is.
type jsonRaw []byte

func (j jsonRaw) MarshalJSON() ([]byte, error) { return j, nil }

// TestExpensiveWork holds the one worker with an expensive plan and sends
// more: the same user's second expensive request and another user's are
// refused fast with Retry-After (the other after its short wait in the
// queue), while a cheap plan, /healthz and a static file answer at once.
func TestExpensiveWork(t *testing.T) {
	c, svc, st := newLimitedClient(t, service.Limits{Workers: 1, Queue: 1, PerClient: 1, Wait: 50 * time.Millisecond})
	anna := bearer(c.token)
	users := map[string]header{}
	for _, name := range []string{"bernd", "carla", "dora", "erik", "fritz"} {
		users[name] = bearer(tokenOf(t, c.deps, name, service.RoleViewer))
	}
	pinned := pinnedCapacity(t)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		// Its search takes long; the test hangs up when done.
		c.doContext(ctx, http.MethodPost, "/api/v1/plan", pinned, anna)
	})
	defer wg.Wait()
	defer cancel()
	waitUntil(t, "the expensive plan to start", func() bool { return svc.Stats().Admitted == 1 })

	refused := []struct {
		name, method, path string
		body               []byte
		from               header
		headers            []header
	}{
		{"the same user again", http.MethodPost, "/api/v1/plan", pinned, anna, nil},
		{"another user's risk run", http.MethodPost, "/api/v1/risk", mustJSON(t, map[string]any{"scenario": jsonRaw(data.Demo)}), users["bernd"], nil},
		{"another user's workbook", http.MethodPost, "/api/v1/export.xlsx", data.Demo, users["carla"], nil},
		{"another user's report", http.MethodPost, "/api/v1/report.pdf", data.Demo, users["erik"], nil},
		{"another user's import", http.MethodPost, "/api/v1/import", []byte("PK not read: the gate refuses first"), users["fritz"],
			[]header{{"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}},
	}
	for _, r := range refused {
		rec := c.do(r.method, r.path, r.body, append([]header{r.from}, r.headers...)...)
		checkStatus(t, rec, http.StatusServiceUnavailable, "the server is busy with expensive work", nil)
		if rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s: got 503 without Retry-After", r.name)
		}
	}
	if rec := c.do(http.MethodGet, "/healthz", nil); rec.Code != http.StatusOK {
		t.Errorf("/healthz while the worker is busy: got %d", rec.Code)
	}
	pc := pagesOf(t, c, st, "dora", service.RoleViewer)
	if rec := pc.get("/static/style.css"); rec.Code != http.StatusOK {
		t.Errorf("a static file while the worker is busy: got %d", rec.Code)
	}
	if rec := c.do(http.MethodPost, "/api/v1/plan", data.Demo, users["dora"]); rec.Code != http.StatusOK {
		t.Errorf("a cheap plan while the worker is busy: got %d", rec.Code)
	}
	if stats := svc.Stats(); stats.Admitted != 1 || stats.Refused != 5 {
		t.Errorf("got %+v, want 1 admitted and 5 refused", stats)
	}
}
