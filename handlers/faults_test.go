package handlers

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"grantplan/data"
	"grantplan/handlers/api"
	"grantplan/handlers/web"
	"grantplan/service"
	"grantplan/store"
	"grantplan/store/postgres"
	"grantplan/store/postgres/pgtest"
	"grantplan/store/sqlite"
)

// TestConcurrentWrites sends hundreds of concurrent creates and PUTs with
// If-Match: * to one scenario, the load under which SQLite's lock once
// surfaced as 500s: every answer is a success, or a 503 with Retry-After,
// and every PUT that succeeded is a revision.
func TestConcurrentWrites(t *testing.T) {
	c, st := newStoreClient(t)
	storeDemo(t, st)
	const n = 150
	var mu sync.Mutex
	statuses := map[string]int{}
	var wg sync.WaitGroup
	for i := range n {
		requests := []struct {
			method, path string
			body         []byte
			headers      []header
		}{
			{http.MethodPost, "/api/v1/scenarios", demoWith(t, map[string]any{"name": fmt.Sprint("Copy ", i)}), nil},
			{http.MethodPut, "/api/v1/scenarios/" + data.DemoID, demoWith(t, map[string]any{"description": fmt.Sprint("PUT ", i)}),
				[]header{{"If-Match", "*"}}},
		}
		for _, r := range requests {
			wg.Go(func() {
				rec := c.do(r.method, r.path, r.body, r.headers...)
				mu.Lock()
				statuses[fmt.Sprint(r.method, " ", rec.Code)]++
				mu.Unlock()
				if rec.Code == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") == "" {
					t.Errorf("%s %s: got 503 without Retry-After", r.method, r.path)
				}
			})
		}
	}
	wg.Wait()
	for status, count := range statuses {
		switch status {
		case "POST 201", "PUT 200", "POST 503", "PUT 503":
		default:
			t.Errorf("got %d answers %s, want 201, 200 or 503", count, status)
		}
	}
	revisions, err := st.Revisions(context.Background(), data.DemoID)
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + statuses["PUT 200"]; len(revisions) != want {
		t.Errorf("got %d revisions, want %d: one per PUT answered 200 (%v)", len(revisions), want, statuses)
	}
	if _, total, err := st.List(context.Background(), storeListAll); err != nil || total != 1+statuses["POST 201"] {
		t.Errorf("got %d scenarios (%v), want %d (%v)", total, err, 1+statuses["POST 201"], statuses)
	}
}

// TestSamePut checks that a PUT of the current revision's body makes no
// new revision: the same ETag, the same history.
func TestSamePut(t *testing.T) {
	c, st := newStoreClient(t)
	storeDemo(t, st)
	changed := demoWith(t, map[string]any{"description": "changed"})
	path := "/api/v1/scenarios/" + data.DemoID
	tests := []struct {
		name    string
		body    []byte
		ifMatch string
		want    string
	}{
		{"a change", changed, `"1"`, `"2"`},
		{"the same body", changed, `"2"`, `"2"`},
		{"the same body, any revision", changed, `*`, `"2"`},
		{"the same body, a stale revision", changed, `"1"`, ""},
		{"the first body again", data.Demo, `"2"`, `"3"`},
	}
	for _, tt := range tests {
		rec := c.do(http.MethodPut, path, tt.body, header{"If-Match", tt.ifMatch})
		if tt.want == "" {
			if rec.Code != http.StatusPreconditionFailed {
				t.Errorf("%s: got %d, want 412", tt.name, rec.Code)
			}
			continue
		}
		if rec.Code != http.StatusOK || rec.Header().Get("ETag") != tt.want {
			t.Errorf("%s: got %d with ETag %s, want 200 with %s", tt.name, rec.Code, rec.Header().Get("ETag"), tt.want)
		}
	}
	list := decode[api.RevisionList](t, c.do(http.MethodGet, path+"/revisions", nil))
	if len(list.Revisions) != 3 {
		t.Errorf("got %d revisions, want 3", len(list.Revisions))
	}
}

// noiseScenario is a valid scenario with about n bytes of description
// that does not compress.
func noiseScenario(t *testing.T, n int) []byte {
	b := make([]byte, n/2)
	rand.Read(b)
	return demoWith(t, map[string]any{"description": hex.EncodeToString(b), "name": "Noise " + hex.EncodeToString(b[:4])})
}

// TestStoreFull fills a store to its size limit through the API: writes
// are 507 with Retry-After, never 500; reads go on; /healthz says the store
// can be read but not written; and the page says so in the reader's
// language.
func TestStoreFull(t *testing.T) {
	st, err := sqlite.OpenWith(context.Background(), filepath.Join(t.TempDir(), "grantplan.db"), sqlite.Options{MaxSize: 300 << 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := newClient(t, testDeps(t, st, service.Options{}))
	storeDemo(t, st)
	var rec *httptest.ResponseRecorder
	for i := 0; rec == nil || rec.Code == http.StatusCreated; i++ {
		if i > 100 {
			t.Fatal("the size limit let 1 MB through")
		}
		rec = c.do(http.MethodPost, "/api/v1/scenarios", noiseScenario(t, 9000))
	}
	checkStatus(t, rec, http.StatusInsufficientStorage, "size limit", nil)
	if rec.Header().Get("Retry-After") == "" {
		t.Error("got 507 without Retry-After")
	}
	if lines := c.logs.lines("level=ERROR", "size limit"); len(lines) == 0 {
		t.Error("a full store was not logged as an error")
	}
	rec = c.do(http.MethodPut, "/api/v1/scenarios/"+data.DemoID, noiseScenario(t, 9000), header{"If-Match", "*"})
	checkStatus(t, rec, http.StatusInsufficientStorage, "size limit", nil)
	if rec := c.do(http.MethodGet, "/api/v1/scenarios/"+data.DemoID+"/plan", nil); rec.Code != http.StatusOK {
		t.Errorf("plan of a stored scenario in a full store: got %d", rec.Code)
	}
	rec = c.do(http.MethodGet, "/healthz", nil)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"store":{"read":true,"write":false}`) {
		t.Errorf("healthz of a full store: got %d %s", rec.Code, rec.Body)
	}

	// Small blank scenarios fit for a while longer.
	pc := &pageClient{t: t, handler: c.handler, store: st, deps: c.deps,
		cookies: map[string]string{web.LangCookie: "de", web.SessionCookie: sessionOf(t, c.deps, "anna", service.RolePlanner)}}
	page := pc.post("/scenarios/new", url.Values{"name": {"Neu"}})
	for i := 0; page.Code == http.StatusSeeOther; i++ {
		if i > 500 {
			t.Fatal("the size limit let 500 blank scenarios through")
		}
		page = pc.post("/scenarios/new", url.Values{"name": {"Neu"}})
	}
	wantPage(t, "a new scenario in a full store", page, http.StatusInsufficientStorage, "kein Platz mehr")
}

// TestDamagedRevision flips bytes inside a stored body of a copy of the
// database: the API answers 500 naming the damaged revision and the
// backup to restore, never a 422 blaming the request or other bytes, and
// logs it as an error; the page says so too.
func TestDamagedRevision(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "grantplan.db")
	st := openStore(t, path)
	storeDemo(t, st)
	st.Close()

	// The body as the file holds it (compressed), read with plain SQL.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var stored []byte
	if err := db.QueryRow("SELECT body FROM revisions").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	db.Close()
	damaged := filepath.Join(dir, "damaged.db")
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(file, stored[:200])
	if at < 0 {
		t.Fatal("the stored body is not in the file")
	}
	for i := at + 100; i < at+200; i++ {
		file[i] ^= 0xff
	}
	if err := os.WriteFile(damaged, file, 0o644); err != nil {
		t.Fatal(err)
	}
	st = openStore(t, damaged)
	c := newClient(t, testDeps(t, st, service.Options{}))
	c.allow500 = true
	for _, path := range []string{
		"/api/v1/scenarios/" + data.DemoID,
		"/api/v1/scenarios/" + data.DemoID + "/plan",
		"/api/v1/scenarios/" + data.DemoID + "/revisions/1",
		"/api/v1/scenarios/" + data.DemoID + "/export.xlsx",
	} {
		rec := c.do(http.MethodGet, path, nil)
		checkStatus(t, rec, http.StatusInternalServerError, `stored revision 1 of "`+data.DemoID+`" is damaged: restore the database from a backup`, nil)
	}
	if lines := c.logs.lines("level=ERROR", "is damaged"); len(lines) != 4 {
		t.Errorf("got %d error log lines on the damage, want 4", len(lines))
	}
	pc := pagesOf(t, c, st, "anna", service.RolePlanner)
	pc.allow500 = true
	wantPage(t, "the page of a damaged revision", pc.get("/scenarios/"+data.DemoID), http.StatusInternalServerError,
		"must restore the database from a backup", "stored revision 1 of &#34;"+data.DemoID+"&#34; is damaged")
}

// storeDemo stores the demo under its id, as serve does on first start.
func storeDemo(t *testing.T, st store.Scenarios) {
	t.Helper()
	if _, err := st.Create(context.Background(), data.DemoID, "KIM Kreis Siegen-Wittgenstein", data.Demo); err != nil {
		t.Fatal(err)
	}
}

// storeListAll lists every scenario.
var storeListAll = store.ListOptions{}

// TestDamagedRevisionPostgres changes the stored demo in PostgreSQL past
// the triggers (as the database's superuser): the API answers 500 naming
// the damaged revision, as on SQLite.
func TestDamagedRevisionPostgres(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	st, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	storeDemo(t, st)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SET LOCAL session_replication_role = replica",
		"UPDATE revisions SET body = overlay(body placing '\\x39'::bytea from 200)",
	} {
		if _, err := tx.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, testDeps(t, st, service.Options{}))
	c.allow500 = true
	for _, path := range []string{"/api/v1/scenarios/" + data.DemoID, "/api/v1/scenarios/" + data.DemoID + "/plan"} {
		rec := c.do(http.MethodGet, path, nil)
		checkStatus(t, rec, http.StatusInternalServerError, `stored revision 1 of "`+data.DemoID+`" is damaged: restore the database from a backup`, nil)
	}
}
