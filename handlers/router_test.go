package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"grantplan/data"
	"grantplan/handlers/api"
	"grantplan/service"
	"grantplan/store"
	"grantplan/store/sqlite"
)

// TestOpenAPICoversEveryRoute checks that the OpenAPI document describes
// exactly the API routes NewRouter serves: those under /api/ and /healthz
// (web pages are no part of the API).
func TestOpenAPICoversEveryRoute(t *testing.T) {
	c, _ := newStoreClient(t)
	rec := c.do(http.MethodGet, "/api/v1/openapi.json", nil)
	if rec.Code != http.StatusOK || rec.Body.String() != string(api.OpenAPI) {
		t.Fatalf("got status %d and %d bytes, want 200 and the document", rec.Code, rec.Body.Len())
	}
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is invalid: %v", err)
	}
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	param := regexp.MustCompile(`:([a-z]+)`)
	var served []string
	for _, r := range NewRouter(Deps{}).Routes() {
		if strings.HasPrefix(r.Path, "/api/") || r.Path == "/healthz" {
			served = append(served, r.Method+" "+param.ReplaceAllString(r.Path, "{$1}"))
		}
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Errorf("got documented routes\n%s\nwant the served ones\n%s", strings.Join(documented, "\n"), strings.Join(served, "\n"))
	}
}

// TestHealthz checks /healthz with a store that works, one that cannot be
// written (a full disk), one that cannot be read, and the first again once
// it is fixed: the answer follows the store without a restart.
func TestHealthz(t *testing.T) {
	c, _ := newStoreClient(t)
	rec := c.do(http.MethodGet, "/healthz", nil)
	if want := `{"status":"ok","store":{"read":true,"write":true}}`; rec.Code != http.StatusOK || rec.Body.String() != want {
		t.Errorf("got %d %s, want 200 %s", rec.Code, rec.Body, want)
	}

	health := &switchedHealth{write: store.Full("the disk holding grantplan.db is full")}
	deps := testDeps(t, fakeWith(t, fakeStore{}), service.Options{})
	deps.Health = health
	c = newClient(t, deps)
	tests := []struct {
		name       string
		read, writ error
		status     int
		want       string
	}{
		{"full", nil, store.Full("the disk holding grantplan.db is full"), 503,
			`{"status":"degraded","store":{"read":true,"write":false},"detail":"the store is full: nothing can be saved"}`},
		{"unreadable", errors.New("store: ping: disk I/O error"), nil, 503,
			`{"status":"unavailable","store":{"read":false,"write":false},"detail":"the store cannot be read"}`},
		{"fixed", nil, nil, 200, `{"status":"ok","store":{"read":true,"write":true}}`},
	}
	for _, tt := range tests {
		health.set(tt.read, tt.writ)
		rec := c.do(http.MethodGet, "/healthz", nil)
		if rec.Code != tt.status || rec.Body.String() != tt.want {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, rec.Code, rec.Body, tt.status, tt.want)
		}
	}
	if lines := c.logs.lines("level=ERROR", "health check failed"); len(lines) != 2 ||
		!strings.Contains(lines[0], "disk holding grantplan.db is full") || !strings.Contains(lines[1], "disk I/O error") {
		t.Errorf("got error log lines %q, want one naming each cause", lines)
	}
}

// switchedHealth is a store's health that a test sets.
type switchedHealth struct {
	mu          sync.Mutex
	read, write error
}

func (h *switchedHealth) set(read, write error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.read, h.write = read, write
}

func (h *switchedHealth) Ping(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.read
}

func (h *switchedHealth) PingWrite(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.write
}

// TestUnexpectedErrors checks that a store failure is a 500 that says
// nothing of the cause to the client and logs it as an error, and that a
// panic is answered the same way.
func TestUnexpectedErrors(t *testing.T) {
	tests := []struct {
		name    string
		store   *fakeStore
		wantLog string
	}{
		{name: "error", store: fakeWith(t, fakeStore{err: errors.New("store: get scenario x: disk I/O error")}), wantLog: "disk I/O error"},
		{name: "panic", store: fakeWith(t, fakeStore{panic: true}), wantLog: "panic serving request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, testDeps(t, tt.store, service.Options{}))
			c.allow500 = true
			rec := c.do(http.MethodGet, "/api/v1/scenarios/x", nil)
			checkStatus(t, rec, http.StatusInternalServerError, "internal error", nil)
			if strings.Contains(rec.Body.String(), "disk") {
				t.Errorf("got %s, want the cause kept from the client", rec.Body)
			}
			if lines := c.logs.lines("level=ERROR", tt.wantLog); len(lines) != 1 {
				t.Errorf("got error log lines %q, want one with %q", lines, tt.wantLog)
			}
			if lines := c.logs.lines("msg=request", "status=500"); len(lines) != 1 {
				t.Errorf("got request log lines %q, want one with status 500", lines)
			}
		})
	}
}

// TestClientGone checks that a request whose client has hung up is not
// logged as a server error.
func TestClientGone(t *testing.T) {
	fake := fakeWith(t, fakeStore{})
	c := newClient(t, testDeps(t, fake, service.Options{}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c.doContext(ctx, http.MethodGet, "/api/v1/scenarios/x", nil)
	if lines := c.logs.lines("level=ERROR"); len(lines) > 0 {
		t.Errorf("got error log lines %q, want none", lines)
	}
	if lines := c.logs.lines("level=INFO", "cancelled by the client"); len(lines) != 1 {
		t.Errorf("got %q, want one info line on the cancelled request", c.logs.String())
	}
}

// TestRequestLog checks that every request is logged on one line.
func TestRequestLog(t *testing.T) {
	c, _ := newStoreClient(t)
	c.do(http.MethodGet, "/healthz", nil)
	c.do(http.MethodPost, "/api/v1/plan", data.Demo)
	c.do(http.MethodGet, "/api/v1/scenarios/nope", nil)
	want := []string{
		"method=GET path=/healthz status=200",
		"method=POST path=/api/v1/plan status=200",
		"method=GET path=/api/v1/scenarios/nope status=404",
	}
	got := c.logs.lines("msg=request")
	if len(got) != len(want) {
		t.Fatalf("got %d request log lines, want %d:\n%s", len(got), len(want), c.logs)
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) || !strings.Contains(got[i], "duration=") {
			t.Errorf("got log line %q, want it to contain %q and a duration", got[i], want[i])
		}
	}
	if lines := c.logs.lines("level=ERROR"); len(lines) > 0 {
		t.Errorf("got error log lines %q for a 404, want none", lines)
	}
}

// FuzzRequests sends arbitrary bodies and If-Match headers to the routes
// that take them: whatever comes in, the answer is no 500 and matches the
// OpenAPI document.
func FuzzRequests(f *testing.F) {
	whatIf := mustJSON(f, map[string]any{"scenario": json.RawMessage(data.Demo), "variants": demoVariants})
	seeds := []struct {
		route   uint8
		body    []byte
		ifMatch string
	}{
		{0, data.Demo, ""},
		{0, []byte(`{"name": "x", "start": "2021-01-01", "funding": [{"id": "f", "start": "2021-01-01", "end": "2020-01-01"}], "positions": [{"id": "a", "after": ["a"]}]}`), ""},
		{1, whatIf, ""},
		{1, []byte(`{"scenario_id": "demo", "variants": [{"name": "x", "patch": [{"op": "copy", "from": "/positions", "path": "/positions/-"}]}]}`), ""},
		{2, data.Demo, ""},
		{3, data.Demo, `"1"`},
		{3, data.Demo, `W/"1", *`},
		{4, nil, `"1"`},
		{0, []byte(`{"name":"\ud800","start":"2021-01-01"}`), ""},
		{5, []byte(`{"scenario_id": "demo", "trials": 50, "seed": 3, "confidence": 0.5, "spread": {"notice": {"min": 0.5, "max": 2}}}`), ""},
		{5, []byte(`{"scenario_id": "demo", "trials": 1e3, "spread": {"recruiting": {"min": -0, "max": 1e308}}}`), ""},
	}
	for _, s := range seeds {
		f.Add(s.route, s.body, s.ifMatch)
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(f.TempDir(), "grantplan.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	if _, err := st.Create(context.Background(), "demo", "demo", data.Demo); err != nil {
		f.Fatal(err)
	}
	routes := []struct{ method, path string }{
		{http.MethodPost, "/api/v1/plan"},
		{http.MethodPost, "/api/v1/whatif"},
		{http.MethodPost, "/api/v1/scenarios"},
		{http.MethodPut, "/api/v1/scenarios/demo"},
		{http.MethodDelete, "/api/v1/scenarios/no-such-scenario"},
		{http.MethodPost, "/api/v1/risk"},
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte, ifMatch string) {
		c := newClient(t, testDeps(t, st, service.Options{}))
		r := routes[int(route)%len(routes)]
		var headers []header
		if ifMatch != "" && !strings.ContainsAny(ifMatch, "\r\n\x00") {
			headers = append(headers, header{"If-Match", ifMatch})
		}
		if r.method == http.MethodDelete {
			body = nil
		} else if body == nil {
			body = []byte{}
		}
		rec := c.do(r.method, r.path, body, headers...)
		if rec.Code >= 500 {
			t.Errorf("%s %s %q: got status %d", r.method, r.path, truncate(string(body)), rec.Code)
		}
	})
}

// fakeStore fails every call of its scenarios with err, or panics; a call
// whose context has ended fails with the context's error, as the store's
// would. Its access records are a real store's (fakeWith), so that
// callers can be recognised.
type fakeStore struct {
	store.Access
	err   error
	panic bool
}

// fakeWith returns f with the access records of a new store.
func fakeWith(t testing.TB, f fakeStore) *fakeStore {
	t.Helper()
	f.Access = openStore(t, filepath.Join(t.TempDir(), "access.db"))
	return &f
}

func (f *fakeStore) fail(ctx context.Context) error {
	if f.panic {
		panic("fakeStore: a bug")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return f.err
}

func (f *fakeStore) Ping(ctx context.Context) error { return f.fail(ctx) }

func (f *fakeStore) PingWrite(ctx context.Context) error { return f.fail(ctx) }

func (f *fakeStore) List(ctx context.Context, opts store.ListOptions) ([]store.Scenario, int, error) {
	return nil, 0, f.fail(ctx)
}

func (f *fakeStore) Get(ctx context.Context, id string) (store.Scenario, error) {
	return store.Scenario{}, f.fail(ctx)
}

func (f *fakeStore) CreateUnique(ctx context.Context, base, name string, body json.RawMessage) (store.Scenario, error) {
	return store.Scenario{}, f.fail(ctx)
}

func (f *fakeStore) Update(ctx context.Context, id string, ifMatch int, name string, body json.RawMessage) (store.Scenario, error) {
	return store.Scenario{}, f.fail(ctx)
}

func (f *fakeStore) Delete(ctx context.Context, id string, ifMatch int) error { return f.fail(ctx) }

func (f *fakeStore) Revisions(ctx context.Context, id string) ([]store.RevisionInfo, error) {
	return nil, f.fail(ctx)
}

func (f *fakeStore) Revision(ctx context.Context, id string, revision int) (store.Scenario, error) {
	return store.Scenario{}, f.fail(ctx)
}

func (f *fakeStore) Create(ctx context.Context, id, name string, body json.RawMessage) (store.Scenario, error) {
	return store.Scenario{}, f.fail(ctx)
}

func (f *fakeStore) UniqueID(ctx context.Context, base string) (string, error) {
	return "", f.fail(ctx)
}

func (f *fakeStore) PutFigures(ctx context.Context, id string, revision int, figures store.Figures) error {
	return f.fail(ctx)
}

func (f *fakeStore) ListDeleted(ctx context.Context, opts store.ListOptions) ([]store.Scenario, int, error) {
	return nil, 0, f.fail(ctx)
}

func (f *fakeStore) DeletedRevisions(ctx context.Context, id string) ([]store.RevisionInfo, error) {
	return nil, f.fail(ctx)
}

func (f *fakeStore) DeletedRevision(ctx context.Context, id string, revision int) (store.Scenario, error) {
	return store.Scenario{}, f.fail(ctx)
}

func (f *fakeStore) Undelete(ctx context.Context, id string) (store.Scenario, error) {
	return store.Scenario{}, f.fail(ctx)
}
