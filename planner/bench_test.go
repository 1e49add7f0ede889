package planner

import (
	"context"
	"fmt"
	"math/rand/v2"
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
