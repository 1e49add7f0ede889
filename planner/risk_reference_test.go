package planner

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// referenceRisk is the risk run as it was before its percentiles were
// found in bounded memory: the trials planned one after the other on one
// goroutine, every productive date kept, and the nearest ranks read from
// the sorted dates; every trial's own share through the ledger's big.Int
// arithmetic, as the plan computes it.
func referenceRisk(s *Scenario, opts RiskOptions) *Risk {
	r := newRiskRun(s, &opts)
	t := r.newTrial()
	n := opts.Trials
	tl := tally{byEnd: make([]int, len(s.Positions)), meetsMin: make([]int, len(s.Positions))}
	dates := make([][]Date, len(s.Positions))
	fteMonths := make([]int64, n)
	ownShares := make([]int64, n)
	l := newLedger(s.prices)
	l.table = s.prices.table
	for i := range n {
		fteMonths[i] = t.run(i, &tl)
		if l.table != nil {
			ownShares[i] = l.ownShareOf(s, t.sched.times)
		}
		for p := range s.Positions {
			dates[p] = append(dates[p], t.sched.times[p].Productive)
		}
	}
	risk := &Risk{Trials: n, Seed: opts.Seed}
	share := func(count int) float64 { return float64(count) / float64(n) }
	for p := range s.Positions {
		slices.Sort(dates[p])
		risk.Positions = append(risk.Positions, PositionRisk{
			ID:                  s.Positions[p].ID,
			PProductiveByEnd:    share(tl.byEnd[p]),
			PMeetsMinProductive: share(tl.meetsMin[p]),
			ProductiveP10:       dates[p][nearestRank(1, n)-1],
			ProductiveP50:       dates[p][nearestRank(5, n)-1],
			ProductiveP90:       dates[p][nearestRank(9, n)-1],
		})
	}
	slices.Sort(fteMonths)
	months := func(tenths int) Decimal { return Decimal{Units: fteMonths[nearestRank(tenths, n)-1], Places: 2} }
	slices.Sort(ownShares)
	own := func(tenths int) Decimal { return Decimal{Units: ownShares[nearestRank(tenths, n)-1], Places: 2} }
	risk.Summary = RiskSummary{PAllSafe: share(tl.allSafe), ProductiveFTEMonthsP10: months(1), ProductiveFTEMonthsP50: months(5), ProductiveFTEMonthsP90: months(9),
		OwnShareP10: own(1), OwnShareP50: own(5), OwnShareP90: own(9)}
	return risk
}

// uncertainScenario builds n posts with ranges from none to, in half of
// the scenarios, absurd (a century), some waiting for others or for k of
// a group, some pinned by earliest, with or without HR capacity: dates
// that stay within weeks, and dates that spread over centuries.
func uncertainScenario(rng *rand.Rand, n int) string {
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	wide := rng.IntN(2) == 0
	span := func() string {
		switch rng.IntN(5) {
		case 0:
			return fmt.Sprintf("%q", pick("P0D", "P1M", "P6W", "P3M"))
		case 1:
			if !wide {
				break
			}
			return fmt.Sprintf(`{"min": "P0D", "likely": "P1M", "max": %q}`, pick("P1Y", "P30Y", "P100Y"))
		}
		return fmt.Sprintf(`{"min": %q, "likely": "P3M", "max": %q}`, pick("P0D", "P1M", "P2M"), pick("P3M", "P5M", "P8M", "P1Y"))
	}
	capacity := 0
	if rng.IntN(3) == 0 {
		capacity = 1 + rng.IntN(3)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `{"name": "uncertain", "start": "2024-01-31", "hr_capacity": %d, "min_productive": %q,
		"funding": [{"id": "a", "start": "2024-01-01", "end": "%d-12-31"}, {"id": "b", "start": "2024-01-01", "end": "2027-06-30"}],
		"positions": [`, capacity, pick("P0D", "P6M"), 2025+rng.IntN(5))
	// Every fourth post is in group g; the others may wait for k of it.
	members := (n + 3) / 4
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id": "p%d", "recruiting": %s, "notice": %s, "onboarding": %s, "start_on": %q, "funding": %q, "fte": %s, "monthly_cost": 4000`,
			i, span(), span(), span(), pick("any", "month_start", "quarter_start"), pick("a", "b"), pick("1", "0.5"))
		if rng.IntN(5) == 0 {
			fmt.Fprintf(&b, `, "earliest": "%d-%02d-01"`, 2024+rng.IntN(3), 1+rng.IntN(12))
		}
		switch {
		case i%4 == 0:
			b.WriteString(`, "group": "g"`)
		case rng.IntN(3) == 0:
			fmt.Fprintf(&b, `, "after": [{"ref": "p%d", "event": %q}]`, rng.IntN(i), pick("recruited", "filled", "productive"))
		case rng.IntN(3) == 0:
			fmt.Fprintf(&b, `, "after": [{"ref": "group:g", "count": %d, "event": %q, "lag": %q}]`,
				1+rng.IntN(members), pick("hiring_start", "recruited", "filled", "productive"), pick("P0D", "P2W", "P1M"))
		}
		b.WriteString("}")
	}
	b.WriteString("]}")
	return b.String()
}

// TestRiskAgainstReference: the risk run gives exactly the answer of
// keeping and sorting every date, on random scenarios whose dates stay
// close and ones whose dates spread over centuries, with any number of
// workers.
func TestRiskAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2))
	for i := range 60 {
		scenario := uncertainScenario(rng, 1+rng.IntN(25))
		s := decode(t, scenario)
		opts := RiskOptions{Trials: 1 + rng.IntN(3000), Seed: rng.Uint64N(MaxSeed), Workers: 1 + rng.IntN(3)}
		if rng.IntN(3) == 0 {
			opts.Spread = Spread{Recruiting: {Min: 0.5, Max: 3}, Onboarding: {Min: 0, Max: 10}}
		}
		got := risk(t, s, opts)
		if want := referenceRisk(s, opts); !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d (%+v): risk differs from the reference\n got %+v\nwant %+v\n%s", i, opts, got, want, scenario)
		}
	}
}

// referenceLatestDecision is the search for the latest decision date as
// it was: every trial replayed at every candidate date, counted in full;
// a binary search without HR capacity, then a walk back day by day with
// it.
func referenceLatestDecision(s *Scenario, opts RiskOptions) *Date {
	r := newRiskRun(s, &opts)
	t := r.newTrial()
	need := required(opts.Confidence, opts.Trials)
	enough := func(d Date, withCapacity bool) bool {
		sched := t.free
		if withCapacity {
			sched = t.sched
		}
		safe := 0
		for i := range opts.Trials {
			t.draw(i)
			if sched.safe(d) {
				safe++
			}
		}
		return safe >= need
	}
	first, last := s.Funding[0].End, s.Funding[0].End
	for _, f := range s.Funding {
		first, last = min(first, f.End), max(last, f.End)
	}
	earliest := searchSpan.SubtractFrom(first)
	bound, ok := lastTrue(earliest, last, func(d Date) bool { return enough(d, false) })
	if !ok || s.HRCapacity == 0 {
		if !ok {
			return nil
		}
		return &bound
	}
	for d := bound; d >= earliest; d-- {
		if enough(d, true) {
			return &d
		}
	}
	return nil
}

var riskCases = flag.Int("risk.cases", 60, "number of random scenarios TestRiskDecisionAgainstReference compares; TestRiskDecisionAgainstReferenceLarge compares a fifth as many")

// TestRiskDecisionAgainstReference: the latest decision date at a
// confidence is the one the plain search finds, on random scenarios with
// and without HR capacity, ranges and spreads, at confidences from 0.05
// to 0.99. A longer campaign: -risk.cases=N.
func TestRiskDecisionAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 3))
	found := 0
	for i := range *riskCases {
		scenario := uncertainScenario(rng, 1+rng.IntN(12))
		s := decode(t, scenario)
		opts := RiskOptions{Trials: 1 + rng.IntN(400), Seed: rng.Uint64N(MaxSeed), Workers: 1 + rng.IntN(3),
			Confidence: []float64{0.05, 0.5, 0.8, 0.9, 0.99}[rng.IntN(5)]}
		if s.HRCapacity > 0 {
			opts.Trials = 1 + rng.IntN(60)
		}
		if rng.IntN(3) == 0 {
			opts.Spread = Spread{Recruiting: {Min: 0.5, Max: 3}, Notice: {Min: 1, Max: 2}}
		}
		if checkDecision(t, fmt.Sprintf("case %d", i), s, opts, scenario) != nil {
			found++
		}
	}
	if found < *riskCases/3 {
		t.Errorf("only %d of %d cases have a latest decision: the test hardly checks the search", found, *riskCases)
	}
}

// TestRiskDecisionAgainstReferenceLarge: the same with thousands of
// trials, where the search samples where the answer lies and settles most
// trials before it plans any at a candidate, on random scenarios and on
// the benchmark's shape (posts in groups waiting for k of them, ranges
// from P0D to P8M), with spreads over months, whose phases end days
// earlier from later starts.
func TestRiskDecisionAgainstReferenceLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("the plain search of thousands of trials takes a while")
	}
	rng := rand.New(rand.NewPCG(16, 6))
	for i := range max(*riskCases/5, 1) {
		var scenario string
		if i%3 == 0 {
			scenario = rangedScenario(10+rng.IntN(20), []int{0, 0, 3}[rng.IntN(3)])
		} else {
			scenario = uncertainScenario(rng, 1+rng.IntN(6))
		}
		s := decode(t, scenario)
		opts := RiskOptions{Trials: 1000 + rng.IntN(3000), Seed: rng.Uint64N(MaxSeed), Workers: 1 + rng.IntN(3),
			Confidence: []float64{0.05, 0.3, 0.5, 0.8, 0.9, 0.99}[rng.IntN(6)]}
		if s.HRCapacity > 0 {
			opts.Trials /= 10
		}
		if rng.IntN(3) == 0 {
			opts.Spread = Spread{Recruiting: {Min: 0.5, Max: 3}, Notice: {Min: 0.9, Max: 1.2}, Onboarding: {Min: 0, Max: 10}}
		}
		checkDecision(t, fmt.Sprintf("case %d", i), s, opts, scenario)
	}
	// HR capacity far too small: the capacity bound settles every day.
	for i, capacity := range []int{1, 2, 5} {
		scenario := rangedScenario(30, capacity)
		opts := RiskOptions{Trials: 40, Seed: uint64(i), Confidence: 0.5, Workers: 2}
		checkDecision(t, fmt.Sprintf("capacity %d", capacity), decode(t, scenario), opts, scenario)
	}
}

// checkDecision compares the latest decision of a risk run with the
// plain search's, and returns it.
func checkDecision(t *testing.T, name string, s *Scenario, opts RiskOptions, scenario string) *Date {
	t.Helper()
	got := risk(t, s, opts).LatestDecision
	want := referenceLatestDecision(s, opts)
	if (got == nil) != (want == nil) || got != nil && *got != *want {
		t.Fatalf("%s (%+v): latest decision %v, want %v\n%s", name, opts, got, want, scenario)
	}
	return want
}
