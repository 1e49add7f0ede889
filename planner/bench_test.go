package planner

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// largeScenario builds n positions in the demo's shape, at scale: a tenth
// are overhead posts in ten groups; every other post waits for one
// overhead group (all of it, or k of n, on various events with lags) and
// some also for an earlier post; phases mix months, weeks and days; three
// funding sources with flat rates and caps.
func largeScenario(n, hrCapacity int) string {
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	periods := []string{"P3M", "P4M", "P6W", "P2M2W", "P45D", "P5M", "P0D", "P1M"}
	alignments := []string{"any", "month_start", "quarter_start"}
	events := []string{"hiring_start", "recruited", "filled", "productive"}
	overhead := max(n/10, 1)
	var b strings.Builder
	fmt.Fprintf(&b, `{"name": "large %d", "start": "2021-10-01", "hr_capacity": %d, "min_productive": "P6M",
		"defaults": {"recruiting": "P4M", "notice": "P6W", "onboarding": "P3M", "start_on": "quarter_start", "monthly_cost": 5000},
		"funding": [
			{"id": "a", "start": "2021-01-01", "end": "2024-12-31", "per_fte_year": 55000},
			{"id": "b", "start": "2021-07-01", "end": "2025-06-30", "rate": 0.9, "cap": 50000000},
			{"id": "c", "start": "2022-01-01", "end": "2026-12-31", "per_fte_year": 60000, "cap": 90000000}],
		"positions": [`, n, hrCapacity)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id": "p%d", "title": "Post %d", "fte": %s, "monthly_cost": %d.%02d, "funding": %q,
			"recruiting": %q, "notice": %q, "onboarding": %q, "start_on": %q`,
			i, i, []string{"1", "0.5", "0.75"}[rng.IntN(3)], 4000+rng.IntN(3000), rng.IntN(100),
			[]string{"a", "b", "c"}[rng.IntN(3)], periods[rng.IntN(len(periods))], periods[rng.IntN(len(periods))],
			periods[rng.IntN(len(periods))], alignments[rng.IntN(3)])
		if i < overhead {
			fmt.Fprintf(&b, `, "group": "overhead-%d"}`, i%10)
			continue
		}
		group := rng.IntN(min(overhead, 10))
		members := (overhead + 9 - group) / 10
		switch choice := rng.IntN(3); {
		case choice == 0 || i == overhead:
			fmt.Fprintf(&b, `, "after": ["group:overhead-%d"]`, group)
		case choice == 1:
			fmt.Fprintf(&b, `, "after": [{"ref": "group:overhead-%d", "count": %d, "event": %q, "lag": "P2W"}]`,
				group, 1+rng.IntN(members), events[rng.IntN(4)])
		default:
			fmt.Fprintf(&b, `, "after": ["group:overhead-%d", {"ref": "p%d", "event": %q}]`,
				group, overhead+rng.IntN(i-overhead), events[rng.IntN(3)])
		}
		if i%2 == 0 {
			fmt.Fprintf(&b, `, "group": "cm-%d"`, i%7)
		}
		b.WriteString("}")
	}
	b.WriteString("]}")
	return b.String()
}

func TestLargeScenarioIsValid(t *testing.T) {
	for _, capacity := range []int{0, 5} {
		plan := planOf(t, largeScenario(500, capacity))
		if len(plan.Positions) != 500 {
			t.Fatalf("got %d positions", len(plan.Positions))
		}
	}
	plan := planOf(t, budgetScenario(500))
	if len(plan.Summary.Budget) != 11 || plan.Positions[0].Employment != Permanent || plan.Summary.CostAfterFunding.Units == 0 {
		t.Errorf("budget scenario: %d budget years, %s posts, cost after funding %s", len(plan.Summary.Budget), plan.Positions[0].Employment, plan.Summary.CostAfterFunding)
	}
}

func benchmarkPlan(b *testing.B, s *Scenario) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Plan(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanDemo is the demo's whole plan (target < 50 µs).
func BenchmarkPlanDemo(b *testing.B) {
	benchmarkPlan(b, decode(b, readDemo(b)))
}

// BenchmarkDecodeAndPlanDemo adds decoding and validation.
func BenchmarkDecodeAndPlanDemo(b *testing.B) {
	data := []byte(readDemo(b))
	b.ReportAllocs()
	for b.Loop() {
		s, err := Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Plan(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlan plans n posts with dependencies (target for 5,000 < 20 ms);
// its B/op across sizes shows memory growing linearly with the posts.
func BenchmarkPlan(b *testing.B) {
	for _, n := range []int{1000, 2000, 5000} {
		b.Run(fmt.Sprintf("posts=%d", n), func(b *testing.B) {
			benchmarkPlan(b, decode(b, largeScenario(n, 0)))
		})
	}
}

// budgetScenario is largeScenario with a ten-year budget: four pay
// raises (one before the start, one mid-month, one negative) and a horizon
// at the end of 2031, every post permanent.
func budgetScenario(n int) string {
	return strings.Replace(largeScenario(n, 0), `"monthly_cost": 5000},`, `"monthly_cost": 5000, "employment": "permanent"},
		"horizon": "2031-12-31", "pay_raises": [{"from": "2021-04-01", "percent": 1.4}, {"from": "2022-04-01", "percent": 1.8},
			{"from": "2023-03-16", "percent": -0.5}, {"from": "2024-03-01", "percent": 11.2}],`, 1)
}

// BenchmarkPlanBudget plans 5,000 permanent posts with four raises over a
// ten-year budget (target < 25 ms); B/op across sizes shows memory
// growing linearly with the posts.
func BenchmarkPlanBudget(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("posts=%d", n), func(b *testing.B) {
			benchmarkPlan(b, decode(b, budgetScenario(n)))
		})
	}
}

// BenchmarkSchedule is one run of the scheduler alone, without money,
// flags and the searches.
func BenchmarkSchedule(b *testing.B) {
	for _, capacity := range []int{0, 20} {
		b.Run(fmt.Sprintf("posts=5000/hr_capacity=%d", capacity), func(b *testing.B) {
			s := decode(b, largeScenario(5000, capacity))
			sc := newScheduler(s, likelyEnds{s})
			b.ReportAllocs()
			for b.Loop() {
				sc.run(s.Start)
			}
		})
	}
}

// BenchmarkLatestSafeStart searches 5,000 posts without HR capacity
// (target < 200 ms).
func BenchmarkLatestSafeStart(b *testing.B) {
	s := decode(b, largeScenario(5000, 0))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.LatestSafeStart(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode5000 decodes and validates 5,000 posts.
func BenchmarkDecode5000(b *testing.B) {
	data := []byte(largeScenario(5000, 0))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeDemo decodes and validates the demo.
func BenchmarkDecodeDemo(b *testing.B) {
	data := []byte(readDemo(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// rangedScenario is largeScenario with every recruiting, notice and
// onboarding period made a range from P0D to P8M around it.
func rangedScenario(n, hrCapacity int) string {
	s := largeScenario(n, hrCapacity)
	for _, phase := range []string{"recruiting", "notice", "onboarding"} {
		for _, p := range []string{"P3M", "P4M", "P6W", "P2M2W", "P45D", "P5M", "P0D", "P1M"} {
			s = strings.ReplaceAll(s, fmt.Sprintf(`"%s": %q`, phase, p),
				fmt.Sprintf(`"%s": {"min": "P0D", "likely": %q, "max": "P8M"}`, phase, p))
		}
	}
	return s
}

// demoSpread makes the demo's fixed periods uncertain: the demo has no
// ranges of its own.
var demoSpread = Spread{Recruiting: {Min: 0.8, Max: 1.5}, Notice: {Min: 0.8, Max: 1.5}, Onboarding: {Min: 0.8, Max: 1.5}}

// benchmarkRisk runs the risk run; besides the time it reports the CPU
// time per run (cpu-ns/op), the figure to compare on a shared machine.
func benchmarkRisk(b *testing.B, s *Scenario, opts RiskOptions) {
	b.ReportAllocs()
	reportCPU(b, func() {
		for b.Loop() {
			if _, err := s.Risk(context.Background(), opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRiskDemo runs 10,000 trials of the demo with a spread on every
// phase, without the decision search (target < 100 ms on 2 cores).
func BenchmarkRiskDemo(b *testing.B) {
	benchmarkRisk(b, decode(b, readDemo(b)), RiskOptions{Trials: 10000, Seed: 1, Spread: demoSpread})
}

// BenchmarkRisk200Posts runs 100,000 trials of 200 ranged posts, without
// the decision search (target < 10 s on 2 cores).
func BenchmarkRisk200Posts(b *testing.B) {
	benchmarkRisk(b, decode(b, rangedScenario(200, 0)), RiskOptions{Trials: MaxTrials, Seed: 1})
}

// BenchmarkRiskConfidenceDemo adds the search for the latest decision date
// at 80 % to 2,000 trials of the demo (target < 2 s).
func BenchmarkRiskConfidenceDemo(b *testing.B) {
	benchmarkRisk(b, decode(b, readDemo(b)), RiskOptions{Trials: DefaultTrials, Seed: 1, Confidence: 0.8, Spread: demoSpread})
}

func TestRangedScenarioIsValid(t *testing.T) {
	s := decode(t, rangedScenario(50, 0))
	if !s.IsUncertain(Spread{}) {
		t.Error("rangedScenario has no ranges")
	}
}

// BenchmarkLatestSafeStartPinned searches testdata/pinned-capacity.json,
// where HR capacity leaves no safe decision date and the search has to
// look at every day of its ten years (target < 3 s).
func BenchmarkLatestSafeStartPinned(b *testing.B) {
	data, err := os.ReadFile(pinnedCapacityFile)
	if err != nil {
		b.Fatal(err)
	}
	s := decode(b, string(data))
	b.ReportAllocs()
	for b.Loop() {
		if d, err := s.LatestSafeStart(context.Background()); d != nil || err != nil {
			b.Fatalf("latest safe start %v, %v; want none", d, err)
		}
	}
}

// BenchmarkRiskDecision200Posts runs 100,000 trials of 200 ranged posts
// and searches the latest decision date at 80 % (target < 5 s on 2 cores).
func BenchmarkRiskDecision200Posts(b *testing.B) {
	benchmarkRisk(b, decode(b, rangedScenario(200, 0)), RiskOptions{Trials: MaxTrials, Seed: 1, Confidence: 0.8})
}

// wideScenario has n posts without dependencies whose every phase is a
// range from P0D to max around a likely P1M: with max P100Y the
// productive dates spread over centuries.
func wideScenario(n int, max string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"name": "wide %d", "start": "2024-01-01", "min_productive": "P6M",
		"defaults": {"recruiting": {"min": "P0D", "likely": "P1M", "max": %q}, "notice": {"min": "P0D", "likely": "P1M", "max": %q},
			"onboarding": {"min": "P0D", "likely": "P1M", "max": %q}, "monthly_cost": 5000},
		"funding": [{"id": "f", "start": "2024-01-01", "end": "2027-12-31"}], "positions": [`, n, max, max, max)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id": "p%d"}`, i)
	}
	b.WriteString("]}")
	return b.String()
}

// BenchmarkRiskWideDates runs 1,000 posts whose dates spread over a year
// or over centuries; B/op shows what the run keeps as the spread and the
// trials grow.
func BenchmarkRiskWideDates(b *testing.B) {
	for _, max := range []string{"P1Y", "P100Y"} {
		s := decode(b, wideScenario(1000, max))
		for _, trials := range []int{1000, 4000} {
			b.Run(fmt.Sprintf("max=%s/trials=%d", max, trials), func(b *testing.B) {
				benchmarkRisk(b, s, RiskOptions{Trials: trials, Seed: 1})
			})
		}
	}
}
