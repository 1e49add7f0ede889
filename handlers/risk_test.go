package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/service"
)

// riskAnswer is the part of a risk answer the tests look at.
type riskAnswer struct {
	Trials    int    `json:"trials"`
	Seed      uint64 `json:"seed"`
	Positions []struct {
		ID    string  `json:"id"`
		ByEnd float64 `json:"p_productive_by_end"`
		Meets float64 `json:"p_meets_min_productive"`
		P50   string  `json:"productive_p50"`
	} `json:"positions"`
	Summary struct {
		PAllSafe float64 `json:"p_all_safe"`
	} `json:"summary"`
	Confidence     float64 `json:"confidence"`
	LatestDecision *string `json:"latest_decision"`
}

// TestRisk runs the demo's risk inline, by id and by the stored route;
// with the same options the three answers are the same document.
func TestRisk(t *testing.T) {
	c, st := newStoreClient(t)
	if _, err := st.Create(context.Background(), data.DemoID, "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	spread := map[string]any{"recruiting": map[string]any{"min": 0.8, "max": 1.5}, "onboarding": map[string]any{"min": 1, "max": 1.2}}
	answers := map[string]string{}
	for name, do := range map[string]func() []byte{
		"inline": func() []byte {
			body := mustJSON(t, map[string]any{"scenario": json.RawMessage(data.Demo), "trials": 500, "seed": 9, "spread": spread})
			return c.do(http.MethodPost, "/api/v1/risk", body).Body.Bytes()
		},
		"by id": func() []byte {
			body := mustJSON(t, map[string]any{"scenario_id": data.DemoID, "trials": 500, "seed": 9, "spread": spread, "confidence": 0.8})
			return c.do(http.MethodPost, "/api/v1/risk", body).Body.Bytes()
		},
		"stored": func() []byte {
			return c.do(http.MethodGet, "/api/v1/scenarios/"+data.DemoID+"/risk?trials=500&seed=9&spread=recruiting=0.8:1.5,onboarding=1:1.2", nil).Body.Bytes()
		},
	} {
		body := do()
		var r riskAnswer
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatalf("%s: %v: %s", name, err, truncate(string(body)))
		}
		if r.Trials != 500 || r.Seed != 9 || len(r.Positions) != 10 || r.Confidence != 0.8 || r.LatestDecision == nil {
			t.Errorf("%s: trials %d, seed %d, %d positions, confidence %v, decision %v", name, r.Trials, r.Seed, len(r.Positions), r.Confidence, r.LatestDecision)
		}
		if p := r.Positions[1]; p.Meets <= 0 || p.Meets >= 1 || p.ByEnd != 1 {
			t.Errorf("%s: %s meets its minimum time with p = %v and is productive by the end with %v; want 0 < p < 1, and 1",
				name, p.ID, p.Meets, p.ByEnd)
		}
		answers[name] = string(body)
	}
	if answers["inline"] != answers["by id"] || answers["inline"] != answers["stored"] {
		t.Errorf("the same options give different answers:\n%s\n%s\n%s", answers["inline"], answers["by id"], answers["stored"])
	}
}

func TestRiskErrors(t *testing.T) {
	c, st := newStoreClient(t)
	if _, err := st.Create(context.Background(), data.DemoID, "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	demo := json.RawMessage(data.Demo)
	tests := []struct {
		name, method, path string
		body               []byte
		status             int
		detail             string
		paths              []string
	}{
		{"not JSON", http.MethodPost, "/api/v1/risk", []byte(`{"trials":`), http.StatusBadRequest, "not valid JSON", nil},
		{"no scenario", http.MethodPost, "/api/v1/risk", []byte(`{"trials": 10}`), http.StatusUnprocessableEntity, "", []string{"scenario"}},
		{"unknown id", http.MethodPost, "/api/v1/risk", mustJSON(t, map[string]any{"scenario_id": "nope"}), http.StatusNotFound, "nope", nil},
		{"bad options", http.MethodPost, "/api/v1/risk",
			mustJSON(t, map[string]any{"scenario": demo, "trials": 0, "seed": -1, "confidence": 1, "colour": "red"}),
			http.StatusUnprocessableEntity, "", []string{"colour", "trials", "seed", "confidence"}},
		{"too many trials", http.MethodPost, "/api/v1/risk", mustJSON(t, map[string]any{"scenario": demo, "trials": 100001}),
			http.StatusUnprocessableEntity, "", []string{"trials"}},
		{"wrong types", http.MethodPost, "/api/v1/risk",
			mustJSON(t, map[string]any{"scenario": demo, "trials": "many", "seed": 1.5, "confidence": "high"}),
			http.StatusUnprocessableEntity, "", []string{"trials", "seed", "confidence"}},
		{"bad spread", http.MethodPost, "/api/v1/risk",
			mustJSON(t, map[string]any{"scenario": demo, "spread": map[string]any{"hiring": 1, "notice": map[string]any{"min": 2}, "onboarding": map[string]any{"min": 0.5, "max": "x"}}}),
			http.StatusUnprocessableEntity, "", []string{"spread.hiring", "spread.notice.max", "spread.onboarding.max"}},
		{"spread out of range", http.MethodPost, "/api/v1/risk",
			mustJSON(t, map[string]any{"scenario": demo, "spread": map[string]any{"notice": map[string]any{"min": 2, "max": 0.5}}}),
			http.StatusUnprocessableEntity, "", []string{"spread.notice.min", "spread.notice.max"}},
		{"invalid scenario", http.MethodPost, "/api/v1/risk", []byte(`{"scenario": {"name": "x"}}`),
			http.StatusUnprocessableEntity, "", []string{"scenario.start", "scenario.funding", "scenario.positions"}},
		{"stored unknown", http.MethodGet, "/api/v1/scenarios/nope/risk", nil, http.StatusNotFound, "nope", nil},
		{"stored bad query", http.MethodGet, "/api/v1/scenarios/" + data.DemoID + "/risk?trials=x&confidence=2&spread=a", nil,
			http.StatusUnprocessableEntity, "", []string{"trials", "spread"}},
		{"stored out of range", http.MethodGet, "/api/v1/scenarios/" + data.DemoID + "/risk?trials=0&confidence=2", nil,
			http.StatusUnprocessableEntity, "", []string{"trials", "confidence"}},
		{"spread 0:0", http.MethodPost, "/api/v1/risk",
			mustJSON(t, map[string]any{"scenario": demo, "spread": map[string]any{"notice": map[string]any{"min": 0, "max": 0}}}),
			http.StatusUnprocessableEntity, "", []string{"spread.notice.max"}},
		{"stored spread 0:0", http.MethodGet, "/api/v1/scenarios/" + data.DemoID + "/risk?spread=recruiting=0:0", nil,
			http.StatusUnprocessableEntity, "", []string{"spread.recruiting.max"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := c.do(tt.method, tt.path, tt.body)
			checkStatus(t, rec, tt.status, tt.detail, tt.paths)
		})
	}
}

// TestRiskTimeout: a risk run that takes longer than the request may is a
// 503, not a 500.
func TestRiskTimeout(t *testing.T) {
	_, st := newStoreClient(t)
	c := newClient(t, testDeps(t, st, service.Options{PlanTimeout: time.Nanosecond}))
	rec := c.do(http.MethodPost, "/api/v1/risk", mustJSON(t, map[string]any{"scenario": json.RawMessage(data.Demo), "trials": 100000}))
	checkStatus(t, rec, http.StatusServiceUnavailable, "", nil)
}

// TestRiskZeroTrialsNamesZero: the message names the number the client
// sent, and confidence 0 skips the decision search.
func TestRiskZeroTrialsNamesZero(t *testing.T) {
	c, st := newStoreClient(t)
	if _, err := st.Create(context.Background(), data.DemoID, "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	rec := c.do(http.MethodGet, "/api/v1/scenarios/"+data.DemoID+"/risk?trials=0", nil)
	p := checkProblem(t, "trials=0", rec)
	if len(p.Errors) != 1 || p.Errors[0].Message != "0 is out of range: a risk run has 1 to 100000 trials" {
		t.Errorf("got %+v", p.Errors)
	}
	rec = c.do(http.MethodPost, "/api/v1/risk", mustJSON(t, map[string]any{"scenario_id": data.DemoID, "trials": 20, "confidence": 0}))
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "latest_decision") {
		t.Errorf("confidence 0: status %d, body %s; want 200 without a decision", rec.Code, truncate(rec.Body.String()))
	}
}
