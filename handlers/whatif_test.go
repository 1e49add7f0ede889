package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/handlers/api"
	"grantplan/whatif"
)

// demoVariants are three what-ifs of the demo: the council decides a year
// earlier (a JSON Patch), the state extends the funding (a merge patch),
// and nothing changes.
var demoVariants = []map[string]any{
	{"name": "a year earlier", "patch": []any{map[string]any{"op": "replace", "path": "/start", "value": "2020-10-01"}}},
	{"name": "extended", "merge": map[string]any{"funding": []any{
		map[string]any{"id": "kim-b1", "start": "2021-01-01", "end": "2023-12-31", "per_fte_year": 55000},
		map[string]any{"id": "kim-b2", "start": "2021-01-01", "end": "2023-12-31", "per_fte_year": 55000},
	}}},
	{"name": "unchanged", "patch": []any{}},
}

// whatIfAnswer is the part of a what-if answer the tests look at.
type whatIfAnswer struct {
	Base struct {
		Summary struct {
			Critical int `json:"critical"`
		} `json:"summary"`
	} `json:"base"`
	Variants []struct {
		Name    string `json:"name"`
		Summary struct {
			Critical int `json:"critical"`
		} `json:"summary"`
		Delta map[string]float64 `json:"delta"`
	} `json:"variants"`
}

// TestWhatIf checks a comparison of the demo with its variants, given
// inline and by the id of the stored demo.
func TestWhatIf(t *testing.T) {
	c, st := newStoreClient(t)
	if _, err := st.Create(context.Background(), data.DemoID, "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	bodies := map[string][]byte{
		"inline": mustJSON(t, map[string]any{"scenario": json.RawMessage(data.Demo), "variants": demoVariants}),
		"stored": mustJSON(t, map[string]any{"scenario_id": data.DemoID, "variants": demoVariants}),
	}
	var answers []string
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			rec := c.do(http.MethodPost, "/api/v1/whatif", body)
			if rec.Code != http.StatusOK {
				t.Fatalf("got status %d, want 200: %s", rec.Code, rec.Body)
			}
			answers = append(answers, rec.Body.String())
			result := decode[whatIfAnswer](t, rec)
			var names []string
			for _, v := range result.Variants {
				names = append(names, v.Name)
			}
			if got, want := strings.Join(names, ", "), "a year earlier, extended, unchanged"; got != want {
				t.Fatalf("got variants %s, want %s", got, want)
			}
			earlier, extended, unchanged := result.Variants[0], result.Variants[1], result.Variants[2]
			if earlier.Delta["last_productive"] != -365 || earlier.Summary.Critical != 0 || result.Base.Summary.Critical == 0 {
				t.Errorf("a year earlier: got last_productive delta %v and %d critical flags (base %d), want -365 and 0",
					earlier.Delta["last_productive"], earlier.Summary.Critical, result.Base.Summary.Critical)
			}
			if extended.Delta["critical"] >= 0 || extended.Delta["last_productive"] != 0 {
				t.Errorf("extended: got critical delta %v and last_productive delta %v, want fewer critical flags and the same dates",
					extended.Delta["critical"], extended.Delta["last_productive"])
			}
			for key, value := range unchanged.Delta {
				if value != 0 {
					t.Errorf("unchanged: got delta %s %v, want 0", key, value)
				}
			}
		})
	}
	if len(answers) == 2 && answers[0] != answers[1] {
		t.Errorf("inline and stored scenario give different answers:\n%s\n%s", truncate(answers[0]), truncate(answers[1]))
	}
}

// TestWhatIfCostDelta: the what-if delta holds the three cost totals, each
// the variant's less the base's. Posts made permanent add exactly their
// cost after the funding to the total cost and to the own share (the
// sources pay what they paid); a pay rise moves the total cost and the
// own share, and nothing after the funding while every post is fixed.
// The demo has a raise already; the variant adds another.
func TestWhatIfCostDelta(t *testing.T) {
	c, _ := newStoreClient(t)
	variants := []any{
		map[string]any{"name": "permanent", "merge": map[string]any{"horizon": "2024-12-31", "defaults": map[string]any{"employment": "permanent"}}},
		map[string]any{"name": "raise", "patch": []any{map[string]any{"op": "add", "path": "/pay_raises/-", "value": map[string]any{"from": "2022-07-01", "percent": 3}}}},
	}
	rec := c.do(http.MethodPost, "/api/v1/whatif", mustJSON(t, map[string]any{"scenario": json.RawMessage(data.Demo), "variants": variants}))
	if rec.Code != http.StatusOK {
		t.Fatalf("got status %d, want 200: %s", rec.Code, rec.Body)
	}
	type totals struct {
		TotalCost        json.Number `json:"total_cost"`
		OwnShare         json.Number `json:"own_share"`
		CostAfterFunding json.Number `json:"cost_after_funding"`
		FundedCost       json.Number `json:"funded_cost"`
	}
	result := decode[struct {
		Base struct {
			Summary totals `json:"summary"`
		} `json:"base"`
		Variants []struct {
			Summary totals `json:"summary"`
			Delta   totals `json:"delta"`
		} `json:"variants"`
	}](t, rec)
	cents := func(n json.Number) int64 {
		t.Helper()
		f, err := n.Float64()
		if err != nil {
			t.Fatalf("%q: %v", n, err)
		}
		return int64(math.Round(f * 100))
	}
	base := result.Base.Summary
	for i, v := range result.Variants {
		for _, f := range []struct {
			name                  string
			base, variant, change json.Number
		}{
			{"total_cost", base.TotalCost, v.Summary.TotalCost, v.Delta.TotalCost},
			{"own_share", base.OwnShare, v.Summary.OwnShare, v.Delta.OwnShare},
			{"cost_after_funding", base.CostAfterFunding, v.Summary.CostAfterFunding, v.Delta.CostAfterFunding},
		} {
			if got, want := cents(f.change), cents(f.variant)-cents(f.base); got != want {
				t.Errorf("variant %d: got delta %s %s, want %d cents", i, f.name, f.change, want)
			}
		}
	}
	// Each total is rounded on its own, so two that are equal exactly may
	// differ by a cent.
	near := func(a, b json.Number) bool { return math.Abs(float64(cents(a)-cents(b))) <= 1 }
	permanent, raise := result.Variants[0].Delta, result.Variants[1].Delta
	if cents(permanent.CostAfterFunding) <= 0 || !near(permanent.TotalCost, permanent.CostAfterFunding) ||
		!near(permanent.OwnShare, permanent.TotalCost) || cents(permanent.FundedCost) != 0 {
		t.Errorf("permanent: got delta %+v, want the cost after the funding added to the total cost and the own share alone", permanent)
	}
	if cents(raise.TotalCost) <= 0 || cents(raise.OwnShare) <= 0 || cents(raise.CostAfterFunding) != 0 {
		t.Errorf("raise: got delta %+v, want more total cost and own share and no cost after the funding", raise)
	}
}

// TestWhatIfErrors checks the what-if envelope and failing variants: every
// problem is reported with its path, and a variant's problems name it.
func TestWhatIfErrors(t *testing.T) {
	c, st := newStoreClient(t)
	if _, err := st.Create(context.Background(), data.DemoID, "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	demo := json.RawMessage(data.Demo)
	variant := map[string]any{"name": "v", "merge": map[string]any{"hr_capacity": 2}}
	many := make([]any, whatif.MaxVariants+1)
	for i := range many {
		many[i] = map[string]any{"name": fmt.Sprint(i), "merge": map[string]any{}}
	}
	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantPaths  []string
		wantText   string // a part of the detail or of an error message
	}{
		{name: "not JSON", body: `{"scenario": `, wantStatus: 400, wantText: "not valid JSON"},
		{name: "not JSON at all", body: `variants=1`, wantStatus: 400, wantText: "line 1, column 1"},
		{name: "an array", body: `[]`, wantStatus: 422, wantPaths: []string{"$"}},
		{name: "empty object", body: `{}`, wantStatus: 422, wantPaths: []string{"scenario", "variants"}},
		{
			name:       "unknown fields",
			body:       string(mustJSON(t, map[string]any{"scenario_id": data.DemoID, "variants": []any{variant}, "variant": 1, "trials": 5})),
			wantStatus: 422, wantPaths: []string{"trials", "variant"},
		},
		{
			name:       "both scenario and id",
			body:       string(mustJSON(t, map[string]any{"scenario": demo, "scenario_id": data.DemoID, "variants": []any{variant}})),
			wantStatus: 422, wantPaths: []string{"scenario_id"}, wantText: "not both",
		},
		{name: "id not a string", body: `{"scenario_id": 7, "variants": [{"name": "v", "merge": {}}]}`, wantStatus: 422, wantPaths: []string{"scenario_id"}},
		{name: "empty id", body: `{"scenario_id": "", "variants": [{"name": "v", "merge": {}}]}`, wantStatus: 422, wantPaths: []string{"scenario_id"}},
		{name: "unknown id", body: `{"scenario_id": "nope", "variants": [{"name": "v", "merge": {}}]}`, wantStatus: 404, wantText: `"nope"`},
		{name: "null scenario", body: `{"scenario": null, "variants": [{"name": "v", "merge": {}}]}`, wantStatus: 422, wantPaths: []string{"scenario"}},
		{name: "variants not an array", body: `{"scenario_id": "x", "variants": {"name": "v"}}`, wantStatus: 422, wantPaths: []string{"variants"}},
		{name: "no variants", body: `{"scenario_id": "x", "variants": []}`, wantStatus: 422, wantPaths: []string{"variants"}},
		{
			name:       "too many variants",
			body:       string(mustJSON(t, map[string]any{"scenario": demo, "variants": many})),
			wantStatus: 422, wantPaths: []string{"variants"}, wantText: "at most 20",
		},
		{
			name: "bad variants",
			body: `{"scenario_id": "x", "variants": [
				7,
				{"merge": {}},
				{"name": "", "merge": {}},
				{"name": 5, "merge": {}},
				{"name": "a", "patch": {}, "colour": "red"},
				{"name": "b", "merge": []},
				{"name": "c"},
				{"name": "d", "patch": [], "merge": {}},
				{"name": "a", "merge": {}}
			]}`,
			wantStatus: 422,
			wantPaths: []string{
				"variants[0]", "variants[1].name", "variants[2].name", "variants[3].name",
				"variants[4].colour", "variants[4].patch", "variants[5].merge", "variants[6]", "variants[7]", "variants[8].name",
			},
		},
		{
			name: "patch does not apply",
			body: string(mustJSON(t, map[string]any{"scenario": demo, "variants": []any{
				map[string]any{"name": "fine", "merge": map[string]any{}},
				map[string]any{"name": "drop the board", "patch": []any{map[string]any{"op": "remove", "path": "/board"}}},
			}})),
			wantStatus: 422, wantPaths: []string{"variants[1]"}, wantText: `variant "drop the board"`,
		},
		{
			name: "patch is no JSON Patch",
			body: string(mustJSON(t, map[string]any{"scenario": demo, "variants": []any{
				map[string]any{"name": "odd", "patch": []any{map[string]any{"op": "paint", "path": "/start"}}},
			}})),
			wantStatus: 422, wantPaths: []string{"variants[0]"}, wantText: `variant "odd"`,
		},
		{
			name: "variant yields an invalid scenario",
			body: string(mustJSON(t, map[string]any{"scenario_id": data.DemoID, "variants": []any{
				map[string]any{"name": "soon", "patch": []any{map[string]any{"op": "replace", "path": "/start", "value": "soon"}}},
				map[string]any{"name": "no money", "merge": map[string]any{"hr_capacity": -1, "min_productive": "6 months"}},
			}})),
			wantStatus: 422, wantPaths: []string{"variants[0]", "variants[1]", "variants[1]"}, wantText: `variant "no money" gives an invalid scenario: hr_capacity`,
		},
		{
			name: "variant with a bad raise and employment",
			body: string(mustJSON(t, map[string]any{"scenario_id": data.DemoID, "variants": []any{
				map[string]any{"name": "raise", "merge": map[string]any{
					"pay_raises": []any{map[string]any{"from": "2022-04-01", "percent": 1.234}},
					"defaults":   map[string]any{"employment": "forever"},
				}},
			}})),
			wantStatus: 422, wantPaths: []string{"variants[0]", "variants[0]"}, wantText: `variant "raise" gives an invalid scenario: pay_raises[0].percent`,
		},
		{
			name:       "invalid base",
			body:       string(mustJSON(t, map[string]any{"scenario": map[string]any{"name": "x"}, "variants": []any{variant}})),
			wantStatus: 422, wantPaths: []string{"scenario.start", "scenario.funding", "scenario.positions"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := c.do(http.MethodPost, "/api/v1/whatif", []byte(tt.body))
			p := decode[api.Problem](t, rec)
			if rec.Code != tt.wantStatus {
				t.Fatalf("got status %d, want %d: %+v", rec.Code, tt.wantStatus, p)
			}
			if tt.wantPaths != nil {
				var got []string
				for _, e := range p.Errors {
					got = append(got, e.Path)
				}
				if strings.Join(got, " ") != strings.Join(tt.wantPaths, " ") {
					t.Errorf("got problem paths %q, want %q (%+v)", got, tt.wantPaths, p.Errors)
				}
			}
			if !strings.Contains(rec.Body.String(), jsonText(tt.wantText)) {
				t.Errorf("got %s, want it to contain %q", rec.Body, tt.wantText)
			}
		})
	}
}

// jsonText is s as it appears inside a JSON string.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
