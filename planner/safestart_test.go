package planner

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rickb777/date/v2"
)

// crowdedScenario builds n posts competing for a small HR capacity, some
// pinned by an earliest date, some waiting for others, with funding ends
// spread so that the latest safe start, when there is one, is anywhere in
// the search's range: the shapes where the bounds of the search and the
// scheduler's early exits have to be right.
func crowdedScenario(rng *rand.Rand, n int) string {
	periods := []string{"P0D", "P10D", "P1M", "P2M", "P3M", "P6W", "P45D", "P1M10D", "P4M"}
	alignments := []string{"any", "month_start", "quarter_start"}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	var b strings.Builder
	fmt.Fprintf(&b, `{"name": "crowded", "start": "2024-01-31", "hr_capacity": %d, "min_productive": %q,
		"funding": [{"id": "a", "start": "2024-01-01", "end": "%d-12-31"}, {"id": "b", "start": "2024-01-01", "end": "%d-06-30"}],
		"positions": [`, 1+rng.IntN(4), pick([]string{"P0D", "P3M", "P6M"}), 2026+rng.IntN(8), 2027+rng.IntN(10))
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id": "p%d", "recruiting": %q, "notice": %q, "onboarding": %q, "start_on": %q, "funding": %q`,
			i, pick(periods[1:]), pick(periods), pick(periods), pick(alignments), pick([]string{"a", "b"}))
		if rng.IntN(4) == 0 {
			fmt.Fprintf(&b, `, "earliest": "%d-%02d-%02d"`, 2020+rng.IntN(14), 1+rng.IntN(12), 1+rng.IntN(28))
		}
		if i > 0 && rng.IntN(4) == 0 {
			fmt.Fprintf(&b, `, "after": [{"ref": "p%d", "event": %q}]`, rng.IntN(i), pick([]string{"hiring_start", "recruited", "filled"}))
		}
		b.WriteString("}")
	}
	b.WriteString("]}")
	return b.String()
}

// exhaustiveSafeStart walks every decision date of the search range down
// from the latest funding end and plans each with HR capacity, without
// any of the search's bounds or early exits.
func exhaustiveSafeStart(s *Scenario) *date.Date {
	first, last := s.Funding[0].End, s.Funding[0].End
	for _, f := range s.Funding {
		first, last = min(first, f.End), max(last, f.End)
	}
	sc := newScheduler(s, likelyEnds{s})
	for d := last; d >= searchSpan.SubtractFrom(first); d-- {
		times := sc.run(d)
		safe := true
		for p := range s.Positions {
			safe = safe && s.positionSafe(p, &times[p])
		}
		if safe {
			return &d
		}
	}
	return nil
}

// TestLatestSafeStartExhaustive compares the latest safe start under HR
// capacity with a day-by-day walk over the whole range on random crowded
// scenarios.
func TestLatestSafeStartExhaustive(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	found := 0
	for i := range 40 {
		scenario := crowdedScenario(rng, 4+rng.IntN(30))
		s := decode(t, scenario)
		got, err := s.LatestSafeStart(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := exhaustiveSafeStart(s)
		if (got == nil) != (want == nil) || got != nil && *got != *want {
			t.Fatalf("case %d: latest safe start %v, want %v\n%s", i, got, want, scenario)
		}
		if want != nil {
			found++
		}
	}
	if found < 8 {
		t.Errorf("only %d of 40 cases have a latest safe start: the test hardly checks the search", found)
	}
}

// TestLatestSafeStartPinned: the pinned post of pinnedCapacity finds HR
// booked at every decision date (BenchmarkLatestSafeStartPinned checks
// the 5,000 posts of testdata/pinned-capacity.json).
func TestLatestSafeStartPinned(t *testing.T) {
	s := decode(t, string(pinnedCapacity(100)))
	got, err := s.LatestSafeStart(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := exhaustiveSafeStart(s); (got == nil) != (want == nil) || got != nil && *got != *want {
		t.Fatalf("latest safe start %v, want %v", got, want)
	}
}
