package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/handlers/api"
	"grantplan/service"
)

// TestPlanDemo checks that POST /plan answers the same document as the
// planner (and so as `grantplan plan --json`).
func TestPlanDemo(t *testing.T) {
	c, _ := newStoreClient(t)
	for _, contentType := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON"} {
		t.Run(contentType, func(t *testing.T) {
			rec := c.do(http.MethodPost, "/api/v1/plan", data.Demo, header{"Content-Type", contentType})
			if rec.Code != http.StatusOK {
				t.Fatalf("got status %d, want 200: %s", rec.Code, rec.Body)
			}
			if got, want := rec.Body.String(), string(demoPlanJSON(t)); got != want {
				t.Errorf("got plan\n%s\nwant\n%s", truncate(got), truncate(want))
			}
		})
	}
}

// TestPlanShapes plans scenarios that use the less common fields, so that
// the OpenAPI document's scenario and plan schemas are checked against
// them too: nulls, ranges, dependency objects and every kind of flag.
func TestPlanShapes(t *testing.T) {
	tests := []struct {
		name           string
		scenario       string
		wantFlags      []string
		wantBudget     []int    // the budget's years, unless nil
		wantEmployment []string // each post's, unless nil
	}{
		{
			name:     "minimal",
			scenario: `{"name": "m", "start": "2022-01-01", "funding": [{"id": "f", "start": "2022-01-01", "end": "2024-12-31"}], "positions": [{"id": "a"}]}`,
		},
		{
			name: "capacity, cap and early hire",
			scenario: `{"name": "c", "start": "2021-01-01", "hr_capacity": 1, "min_productive": "P1Y",
				"defaults": {"monthly_cost": 5000, "start_on": "any", "recruiting": {"min": "P1M", "likely": "P2M", "max": "P4M"}},
				"funding": [{"id": "f", "name": "Fund", "start": "2021-06-01", "end": "2022-06-30", "rate": 0.5, "per_fte_year": 40000, "cap": 1000}],
				"positions": [
					{"id": "a", "title": "A", "group": "g", "location": "here", "fte": 0.5, "notice": "P0D"},
					{"id": "b", "earliest": "2021-02-01", "after": [{"ref": "a", "event": "recruited", "lag": "P2W"}]},
					{"id": "c", "after": [{"ref": "group:g", "event": "productive", "count": 1}], "notice": "P6M", "onboarding": "P6M"},
					{"id": "d"},
					{"id": "e", "notice": "P2Y"}
				]}`,
			wantFlags: []string{"NOT_FILLED_BEFORE_EXPIRY", "NOT_PRODUCTIVE_BEFORE_EXPIRY", "SHORT_PRODUCTIVE_WINDOW", "BUDGET_EXCEEDED", "FILLED_BEFORE_FUNDING", "CAPACITY_DELAY"},
		},
		{
			name: "horizon, pay raises and employment",
			scenario: `{"name": "b", "start": "2022-01-01", "horizon": "2024-12-31",
				"pay_raises": [{"from": "2023-03-01", "percent": 5}, {"from": "2022-04-01", "percent": 1.8}, {"from": "2024-01-01", "percent": -0.5}],
				"defaults": {"recruiting": "P0D", "notice": "P0D", "start_on": "any", "employment": "permanent"},
				"funding": [{"id": "kim", "start": "2021-01-01", "end": "2022-12-31", "per_fte_year": 55000},
					{"id": "land", "start": "2022-01-01", "end": "2022-12-31", "rate": 0.5, "cap": 10000}],
				"positions": [{"id": "ovh-1", "monthly_cost": 6359, "funding": "kim"},
					{"id": "cm-1", "monthly_cost": 4500, "employment": "fixed", "funding": "kim"},
					{"id": "cm-2", "monthly_cost": 4500, "funding": "land", "fte": 0.5}]}`,
			wantFlags:      []string{"BUDGET_EXCEEDED"},
			wantBudget:     []int{2022, 2023, 2024},
			wantEmployment: []string{"permanent", "fixed", "permanent"},
		},
		{
			name: "null horizon and raises, start after the horizon",
			scenario: `{"name": "n", "start": "2023-01-01", "horizon": null, "pay_raises": null,
				"funding": [{"id": "f", "start": "2021-01-01", "end": "2022-06-30"}],
				"positions": [{"id": "a", "employment": "permanent"}]}`,
			wantFlags:      []string{"NOT_FILLED_BEFORE_EXPIRY"},
			wantBudget:     []int{},
			wantEmployment: []string{"permanent"},
		},
	}
	c, _ := newStoreClient(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := c.do(http.MethodPost, "/api/v1/plan", []byte(tt.scenario))
			if rec.Code != http.StatusOK {
				t.Fatalf("got status %d, want 200: %s", rec.Code, rec.Body)
			}
			plan := decode[struct {
				Flags []struct {
					Code string `json:"code"`
				} `json:"flags"`
				Positions []struct {
					Employment string `json:"employment"`
				} `json:"positions"`
				Summary struct {
					Budget []struct {
						Year int `json:"year"`
					} `json:"budget"`
				} `json:"summary"`
			}](t, rec)
			if tt.wantBudget != nil {
				years := []int{}
				for _, y := range plan.Summary.Budget {
					years = append(years, y.Year)
				}
				if !slices.Equal(years, tt.wantBudget) {
					t.Errorf("got budget years %v, want %v", years, tt.wantBudget)
				}
			}
			for i, want := range tt.wantEmployment {
				if got := plan.Positions[i].Employment; got != want {
					t.Errorf("position %d: got employment %q, want %q", i, got, want)
				}
			}
			seen := map[string]bool{}
			for _, f := range plan.Flags {
				seen[f.Code] = true
			}
			for _, code := range tt.wantFlags {
				if !seen[code] {
					t.Errorf("got flags %+v, want a %s among them", plan.Flags, code)
				}
			}
		})
	}
}

// demoPlanJSON is the demo's plan document as the planner's golden file
// has it (English flag messages included), without the indentation.
func demoPlanJSON(t testing.TB) []byte {
	t.Helper()
	golden, err := os.ReadFile(filepath.Join("..", "planner", "testdata", "kim-siegen-wittgenstein.plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, golden); err != nil {
		t.Fatal(err)
	}
	return compact.Bytes()
}

// TestPlanErrors checks every way a scenario request can fail, and that
// none of them is a 500.
func TestPlanErrors(t *testing.T) {
	big := append([]byte(`{"name": "x", "description": "`), bytes.Repeat([]byte("a"), api.MaxBodySize)...)
	big = append(big, `"}`...)
	tests := []struct {
		name       string
		body       []byte
		headers    []header
		wantStatus int
		wantDetail string   // a part of the problem's detail
		wantPaths  []string // the paths of the problem's errors, in order
	}{
		{name: "not JSON", body: []byte("name: x"), wantStatus: 400, wantDetail: "not valid JSON"},
		{name: "truncated JSON", body: data.Demo[:100], wantStatus: 400, wantDetail: "not valid JSON"},
		{name: "trailing garbage", body: append(bytes.Clone(data.Demo), '}'), wantStatus: 400, wantDetail: "not valid JSON"},
		{name: "empty body", body: []byte{}, wantStatus: 400, wantDetail: "empty"},
		{name: "blank body", body: []byte(" \n"), wantStatus: 400, wantDetail: "empty"},
		{name: "JSON array", body: []byte(`[]`), wantStatus: 422, wantPaths: []string{"$"}},
		{name: "JSON string", body: []byte(`"scenario"`), wantStatus: 422, wantPaths: []string{"$"}},
		{name: "JSON null", body: []byte(`null`), wantStatus: 422, wantPaths: []string{"$"}},
		{name: "empty object", body: []byte(`{}`), wantStatus: 422, wantPaths: []string{"name", "start", "funding", "positions"}},
		{
			name:       "several problems",
			body:       demoWith(t, map[string]any{"start": "2021-13-01", "hr_capacity": -1, "min_productive": "PT6H", "nmae": "typo"}),
			wantStatus: 422,
			// Members in document order; demoWith writes them sorted.
			wantPaths: []string{"hr_capacity", "min_productive", "nmae", "start"},
		},
		{
			name: "problems deep inside",
			body: demoWith(t, map[string]any{"positions": []any{
				map[string]any{"id": "a", "after": []any{"xyz"}},
				map[string]any{"id": "a", "fte": 2},
			}}),
			wantStatus: 422,
			wantPaths:  []string{"positions[1].fte", "positions[1].id", "positions[0].after[0]"},
		},
		{name: "nested too deeply", body: []byte(strings.Repeat("[", 100) + strings.Repeat("]", 100)), wantStatus: 422},
		{name: "no content type", body: data.Demo, headers: []header{{"Content-Type", ""}}, wantStatus: 415, wantDetail: "no Content-Type"},
		{name: "text/plain", body: data.Demo, headers: []header{{"Content-Type", "text/plain"}}, wantStatus: 415, wantDetail: "text/plain"},
		{name: "form", body: data.Demo, headers: []header{{"Content-Type", "application/x-www-form-urlencoded"}}, wantStatus: 415},
		{name: "json-ish", body: data.Demo, headers: []header{{"Content-Type", "application/jsonx"}}, wantStatus: 415},
		{name: "broken content type", body: data.Demo, headers: []header{{"Content-Type", "application/json; ="}}, wantStatus: 415},
		{name: "over 1 MiB", body: big, wantStatus: 413, wantDetail: "1048576 bytes"},
		{name: "over 1 MiB, chunked", body: big, headers: []header{{"Content-Length", ""}}, wantStatus: 413, wantDetail: "1048576 bytes"},
	}
	c, _ := newStoreClient(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := c.do(http.MethodPost, "/api/v1/plan", tt.body, tt.headers...)
			checkStatus(t, rec, tt.wantStatus, tt.wantDetail, tt.wantPaths)
		})
	}
}

// checkStatus checks an error answer's status, a part of its detail and,
// if wantPaths is not nil, the paths of its errors.
func checkStatus(t *testing.T, rec *httptest.ResponseRecorder, wantStatus int, wantDetail string, wantPaths []string) {
	t.Helper()
	res := rec.Result()
	var p api.Problem
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
		t.Fatalf("got status %d and no problem: %v", res.StatusCode, err)
	}
	if res.StatusCode != wantStatus {
		t.Fatalf("got status %d, want %d: %+v", res.StatusCode, wantStatus, p)
	}
	if !strings.Contains(p.Detail, wantDetail) {
		t.Errorf("got detail %q, want it to contain %q", p.Detail, wantDetail)
	}
	if wantPaths != nil {
		var got []string
		for _, e := range p.Errors {
			got = append(got, e.Path)
		}
		if strings.Join(got, " ") != strings.Join(wantPaths, " ") {
			t.Errorf("got problem paths %q, want %q (%+v)", got, wantPaths, p.Errors)
		}
	}
	if wantStatus == http.StatusUnprocessableEntity && len(p.Errors) == 0 {
		t.Errorf("got a 422 without errors, want every problem listed")
	}
}

// TestPlanStored checks GET /scenarios/{id}/plan.
func TestPlanStored(t *testing.T) {
	c, st := newStoreClient(t)
	if _, err := st.Create(context.Background(), data.DemoID, "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	rec := c.do(http.MethodGet, "/api/v1/scenarios/"+data.DemoID+"/plan", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("got status %d, want 200: %s", rec.Code, rec.Body)
	}
	if got, want := rec.Body.String(), string(demoPlanJSON(t)); got != want {
		t.Errorf("got plan\n%s\nwant\n%s", truncate(got), truncate(want))
	}

	rec = c.do(http.MethodGet, "/api/v1/scenarios/no-such-scenario/plan", nil)
	checkStatus(t, rec, http.StatusNotFound, "no-such-scenario", nil)

	// A body the planner no longer takes (here stored behind its back).
	if _, err := st.Create(context.Background(), "broken", "broken", []byte(`{"name": "broken"}`)); err != nil {
		t.Fatal(err)
	}
	rec = c.do(http.MethodGet, "/api/v1/scenarios/broken/plan", nil)
	checkStatus(t, rec, http.StatusUnprocessableEntity, "", []string{"start", "funding", "positions"})
}

// TestPlanTimeout checks that planning longer than the router allows is a
// 503, not a 500 and not a hang.
func TestPlanTimeout(t *testing.T) {
	st := openStore(t, t.TempDir()+"/grantplan.db")
	c := newClient(t, testDeps(t, st, service.Options{PlanTimeout: time.Nanosecond}))
	// With HR capacity the latest safe start takes an exhaustive search,
	// which watches the context.
	rec := c.do(http.MethodPost, "/api/v1/plan", demoWith(t, map[string]any{"hr_capacity": 2}))
	checkStatus(t, rec, http.StatusServiceUnavailable, "planning took longer", nil)
	if lines := c.logs.lines("level=ERROR"); len(lines) > 0 {
		t.Errorf("a planning timeout was logged as an error: %q", lines)
	}
}
