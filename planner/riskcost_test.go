package planner

import (
	"context"
	"runtime"
	"testing"

	"grantplan/data"
)

// allocated returns the bytes a risk run of s with opts allocates.
func allocated(t *testing.T, s *Scenario, opts RiskOptions) uint64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, err := s.Risk(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestRiskMemoryIndependentOfTrials: a run whose dates spread over
// centuries allocates about as much for 4,000 trials as for 1,000, but
// for one FTE-month figure per trial (16 bytes with its sorted copy); the
// counters of the replays vary a little with where the dates fell. The
// risk run used to keep the dates outside its window: 8 bytes a trial and
// post, 4.8 MB for these 3,000 trials of 200 posts.
func TestRiskMemoryIndependentOfTrials(t *testing.T) {
	s := decode(t, wideScenario(200, "P100Y"))
	opts := RiskOptions{Trials: 1000, Seed: 1, Workers: 1}
	few := allocated(t, s, opts)
	opts.Trials = 4000
	many := allocated(t, s, opts)
	if limit := few + 16*3000 + 1<<20; many > limit {
		t.Errorf("4,000 trials allocate %d bytes, 1,000 trials %d: %d more than the FTE-months need", many, few, many-few-16*3000)
	}
}

// TestRiskCostBoundsMemory: what a run allocates stays within the
// estimate made before it, on narrow and wide dates (with replays), with
// gates and HR capacity, with one worker and many, and for few posts with
// many trials.
func TestRiskCostBoundsMemory(t *testing.T) {
	tests := []struct {
		name     string
		scenario string
		opts     RiskOptions
	}{
		{"demo with a spread", string(data.Demo), RiskOptions{Trials: 5000, Spread: demoSpread, Confidence: 0.8}},
		{"one post, most trials", onePost, RiskOptions{Trials: MaxTrials, Confidence: 0.8}},
		{"ranged posts with gates", rangedScenario(300, 0), RiskOptions{Trials: 500, Workers: 3}},
		{"ranged posts with HR capacity", rangedScenario(30, 3), RiskOptions{Trials: 200, Confidence: 0.5}},
		{"a year wide", wideScenario(300, "P1Y"), RiskOptions{Trials: 2000}},
		{"centuries wide", wideScenario(300, "P100Y"), RiskOptions{Trials: 2000, Workers: 8}},
		{"absurd", wideScenario(20, "P120000Y"), RiskOptions{Trials: 3000, Spread: Spread{{0, 10}, {0, 10}, {0, 10}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := decode(t, tt.scenario)
			cost := s.RiskCost(tt.opts)
			got := allocated(t, s, tt.opts)
			t.Logf("allocated %d of %d bytes estimated", got, cost.Bytes)
			if got > uint64(cost.Bytes) {
				t.Errorf("the run allocated %d bytes, more than the %d estimated", got, cost.Bytes)
			}
		})
	}
}

// TestRiskCost: the estimate grows with posts and trials as documented,
// counts the search's passes, and does not depend on the spread of the
// dates.
func TestRiskCost(t *testing.T) {
	narrow, wide := decode(t, wideScenario(100, "P1Y")), decode(t, wideScenario(100, "P100Y"))
	opts := RiskOptions{Trials: 2000, Workers: 2}
	if a, b := narrow.RiskCost(opts), wide.RiskCost(opts); a != b {
		t.Errorf("the estimate depends on the spread: %+v, %+v", a, b)
	}
	c := narrow.RiskCost(opts)
	if c.Schedules() != 200000 || c.Passes != 1 || c.Work() != 200000 || c.MaxPasses != 1+maxReplays {
		t.Errorf("without a confidence: %+v, schedules %d, work %d", c, c.Schedules(), c.Work())
	}
	opts.Trials = 3000
	if more := narrow.RiskCost(opts); more.Bytes-c.Bytes != 32*1000 {
		t.Errorf("1,000 more trials add %d bytes, want 32,000", more.Bytes-c.Bytes)
	}
	opts.Confidence = 0.8
	// The search range is 2017-12-31 to 2027-12-31: 3,653 days, 13
	// binary search steps after the first probe.
	// At most: the sample, two bound schedules a trial, and three
	// schedules a trial at every candidate.
	if c := narrow.RiskCost(opts); c.Passes != 1+1+12 || c.MaxPasses != 1+maxReplays+13+2+3*13 {
		t.Errorf("with a confidence: %+v", c)
	}
	capacity := decode(t, rangedScenario(50, 2))
	c = capacity.RiskCost(opts)
	if c.MaxPasses < 3650 || c.Passes > 20 {
		t.Errorf("with HR capacity: %+v, want the walk back in MaxPasses only", c)
	}
}
