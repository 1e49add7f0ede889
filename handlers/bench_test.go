package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"grantplan/data"
	"grantplan/service"
)

// BenchmarkPlanRoute is POST /api/v1/plan of the demo through the whole
// router, request log included (to a discarding logger), without
// credentials on a server whose anonymous role is viewer: no
// authentication work at all. The target is 5,000 requests a second on
// one core: at most 200 µs/op with -cpu 1.
func BenchmarkPlanRoute(b *testing.B) {
	router := NewRouter(anonymousViewers(testDeps(b, fakeWith(b, fakeStore{}), service.Options{})))
	b.ReportAllocs()
	b.SetBytes(int64(len(data.Demo)))
	for b.Loop() {
		serve(b, router, "/api/v1/plan", data.Demo)
	}
}

// BenchmarkPlanRouteBearer is BenchmarkPlanRoute with an API token, as
// every client of a server without an anonymous role sends: the token's
// SHA-256 and a look in the short cache of tokens, no query and no
// password hash. The target is 90 % of BenchmarkPlanRoute's throughput.
func BenchmarkPlanRouteBearer(b *testing.B) {
	deps := testDeps(b, fakeWith(b, fakeStore{}), service.Options{})
	router := NewRouter(deps)
	token := tokenOf(b, deps, "ci", service.RoleViewer)
	b.ReportAllocs()
	b.SetBytes(int64(len(data.Demo)))
	for b.Loop() {
		serve(b, router, "/api/v1/plan", data.Demo, bearer(token))
	}
}

// anonymousViewers lets requests without credentials act as viewers, as
// serve --anonymous-role viewer does: the benchmarks of the pages and the
// planning routes measure their work, not a login.
func anonymousViewers(deps Deps) Deps {
	deps.AnonymousRole = service.RoleViewer
	return deps
}

// BenchmarkWhatIf10 is POST /api/v1/whatif of the demo with 10 variants
// (five JSON Patches, five merge patches) through the router. The target
// is 2 ms/op.
func BenchmarkWhatIf10(b *testing.B) {
	router := NewRouter(anonymousViewers(testDeps(b, fakeWith(b, fakeStore{}), service.Options{})))
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

func serve(b *testing.B, router http.Handler, path string, body []byte, headers ...header) {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for _, h := range headers {
		req.Header.Set(h.name, h.value)
	}
	rec := httptest.NewRecorder()
	router.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("got status %d, want 200: %s", rec.Code, rec.Body)
	}
}
