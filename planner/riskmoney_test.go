package planner

import (
	"context"
	"testing"
)

// OwnShareTrials runs trials of s with opts on one worker and returns
// every trial's own share in cents as the risk run computes it (the fast
// path where the scenario allows it) and as the ledger's big.Int
// arithmetic does, and whether the fast path was taken. The oracle's
// random scenarios (package planner_test) test the one against the other.
func (s *Scenario) OwnShareTrials(opts RiskOptions) (got, want []int64, fast bool) {
	opts.Workers = 1
	r := newRiskRun(s, &opts)
	tr := r.newTrial()
	l := newLedger(s.prices)
	l.table = s.prices.table
	tl := tally{byEnd: make([]int, len(s.Positions)), meetsMin: make([]int, len(s.Positions))}
	for i := range opts.Trials {
		tr.run(i, &tl)
		got = append(got, r.money.trialOwnShare(tr.sched.times, tr.l, tr.need))
		var exact int64
		if l.table != nil {
			exact = l.ownShareOf(s, tr.sched.times)
		}
		want = append(want, exact)
	}
	return got, want, r.money.fast != nil
}

// TestRiskOwnShareDemo: the demo's posts fill later in most trials of a
// spread, so the county pays less than the plan says more often than not;
// without a spread every trial is the plan. The percentiles are ordered.
func TestRiskOwnShareDemo(t *testing.T) {
	s := decode(t, readDemo(t))
	plan, err := s.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	certain, err := s.Risk(context.Background(), RiskOptions{Trials: 50, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := certain.Summary.OwnShareP50; got != plan.Summary.OwnShare {
		t.Errorf("without a spread: own share P50 %s, want the plan's %s", got, plan.Summary.OwnShare)
	}
	spread, err := s.Risk(context.Background(), RiskOptions{Trials: 2000, Seed: 3, Spread: demoSpread})
	if err != nil {
		t.Fatal(err)
	}
	sum := spread.Summary
	if sum.OwnShareP10.Units > sum.OwnShareP50.Units || sum.OwnShareP50.Units > sum.OwnShareP90.Units || sum.OwnShareP10 == sum.OwnShareP90 {
		t.Errorf("own share P10 %s, P50 %s, P90 %s: want them ordered and apart", sum.OwnShareP10, sum.OwnShareP50, sum.OwnShareP90)
	}
	if newRiskMoney(s).fast == nil {
		t.Error("the demo does not take the fast path")
	}
}
