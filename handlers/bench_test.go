package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"grantplan/data"
	"grantplan/service"
)

// BenchmarkPlanRoute is POST /api/v1/plan of the demo through the whole
// router, request log included (to a discarding logger), planned every
// time (no plan kept). The target is 5,000 requests a second on one core:
// at most 200 µs/op with -cpu 1.
func BenchmarkPlanRoute(b *testing.B) {
	router := NewRouter(Deps{Service: service.New(&fakeStore{}, service.Options{PlanCacheSize: -1}), Health: &fakeStore{}})
	b.ReportAllocs()
	b.SetBytes(int64(len(data.Demo)))
	for b.Loop() {
		serve(b, router, "/api/v1/plan", data.Demo)
	}
}

// BenchmarkPlanRouteKept is BenchmarkPlanRoute with the demo's plan kept
// (the service's plan cache): the same document posted again is hashed,
// not planned.
func BenchmarkPlanRouteKept(b *testing.B) {
	router := NewRouter(Deps{Service: service.New(&fakeStore{}, service.Options{}), Health: &fakeStore{}})
	b.ReportAllocs()
	b.SetBytes(int64(len(data.Demo)))
	for b.Loop() {
		serve(b, router, "/api/v1/plan", data.Demo)
	}
}

// BenchmarkHealthz is GET /healthz through the whole router: the floor of
// every request.
func BenchmarkHealthz(b *testing.B) {
	st := openStore(b, filepath.Join(b.TempDir(), "grantplan.db"))
	router := NewRouter(Deps{Service: service.New(st, service.Options{}), Health: st})
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("got status %d, want 200: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkWhatIf10 is POST /api/v1/whatif of the demo with 10 variants
// (five JSON Patches, five merge patches) through the router. The target
// is 2 ms/op.
func BenchmarkWhatIf10(b *testing.B) {
	router := NewRouter(Deps{Service: service.New(&fakeStore{}, service.Options{}), Health: &fakeStore{}})
	var variants []map[string]any
	for month := 1; month <= 5; month++ {
		variants = append(variants,
			map[string]any{"name": fmt.Sprintf("decide %d months earlier", month), "patch": []any{
				map[string]any{"op": "replace", "path": "/start", "value": fmt.Sprintf("2021-%02d-01", 10-month)},
			}},
			map[string]any{"name": fmt.Sprintf("recruiting takes %d months", month), "merge": map[string]any{
				"defaults": map[string]any{"recruiting": fmt.Sprintf("P%dM", month), "notice": "P6W", "onboarding": "P3M", "start_on": "quarter_start", "fte": 1},
			}},
		)
	}
	body, err := json.Marshal(map[string]any{"scenario": json.RawMessage(data.Demo), "variants": variants})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		serve(b, router, "/api/v1/whatif", body)
	}
}

func serve(b *testing.B, router http.Handler, path string, body []byte) {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	router.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("got status %d, want 200: %s", rec.Code, rec.Body)
	}
}
