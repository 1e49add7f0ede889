package planner_test

import (
	"context"
	"testing"

	"grantplan/internal/scenariotest"
	"grantplan/planner"
)

// TestRiskOwnShareFastPath: on random scenarios (raises, permanent and
// fixed posts, caps, horizons, sources that start late or end early) and
// trials whose filled dates move with a wide spread, the fast path's own
// share of every trial is the ledger's, to the cent; and a scenario
// without anything uncertain has the plan's own share in every trial.
func TestRiskOwnShareFastPath(t *testing.T) {
	spread := planner.Spread{planner.Recruiting: {Min: 0, Max: 4}, planner.Notice: {Min: 0.5, Max: 3}, planner.Onboarding: {Min: 0, Max: 2}}
	fast, compared := 0, 0
	for seed := range int64(300) {
		s, err := planner.Decode(scenariotest.Random(seed, scenariotest.Options{}))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		got, want, usedFast := s.OwnShareTrials(planner.RiskOptions{Trials: 16, Seed: uint64(seed), Spread: spread})
		if usedFast {
			fast++
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("seed %d, trial %d: own share %d cents, the ledger's %d (fast path %v)", seed, i, got[i], want[i], usedFast)
			}
			compared++
		}

		// Without a spread, a certain scenario's trials are its plan.
		if s.IsUncertain(planner.Spread{}) {
			continue
		}
		plan, err := s.Plan(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		risk, err := s.Risk(context.Background(), planner.RiskOptions{Trials: 3, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got := risk.Summary; got.OwnShareP10 != plan.Summary.OwnShare || got.OwnShareP90 != plan.Summary.OwnShare {
			t.Fatalf("seed %d: own share P10 %s, P90 %s; the plan's %s", seed, got.OwnShareP10, got.OwnShareP90, plan.Summary.OwnShare)
		}
	}
	// The oracle's scenarios are harsher than a county's: odd raises such
	// as −12.37 % compound into denominators beyond 2^60, which take the
	// ledger's path; about 170 of them take the fast one.
	if fast < 150 {
		t.Errorf("the fast path served %d of 300 scenarios, want 150 or more", fast)
	}
	t.Logf("%d trials compared; the fast path served %d of 300 scenarios", compared, fast)
}
