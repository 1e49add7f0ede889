package planner

import (
	"math/rand/v2"
	"testing"
)

// naiveTimeline counts the recruitments of every day in an array.
type naiveTimeline struct {
	first Date
	days  []int
}

func (n *naiveTimeline) add(from, until Date) {
	for d := from; d < until; d++ {
		n.days[d-n.first]++
	}
}

func (n *naiveTimeline) running(d Date) int {
	if i := int(d - n.first); i >= 0 && i < len(n.days) {
		return n.days[i]
	}
	return 0
}

// TestTimelineAgainstCounting compares the timeline's answers with day by
// day counting after every one of many random recruitments, for the
// capacity the scheduler asks about and, now and then, another one (the
// runs of full days are then rebuilt).
func TestTimelineAgainstCounting(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const first, span = Date(700000), 400
	for round := range 200 {
		capacity := 1 + rng.IntN(4)
		var tl timeline
		naive := naiveTimeline{first: first, days: make([]int, 60*span)}
		for step := range 60 {
			// Only recruitments that fit, as the scheduler adds them, and
			// sometimes any (the timeline must count them all the same).
			from := first + Date(rng.IntN(span))
			length := Date(rng.IntN(40))
			if rng.IntN(4) > 0 {
				from = tl.earliestStart(from, capacity, func(t Date) Date { return t + length })
			}
			tl.add(from, from+length)
			naive.add(from, from+length)

			asked := capacity
			if rng.IntN(10) == 0 {
				asked = 1 + rng.IntN(5)
			}
			a := first - 5 + Date(rng.IntN(span+10))
			b := a + Date(rng.IntN(60))
			wantFree := a
			for naive.running(wantFree) >= asked {
				wantFree++
			}
			if got := tl.firstFreeDay(a, asked); got != wantFree {
				t.Fatalf("round %d step %d: firstFreeDay(%d, %d) = %d, want %d", round, step, a-first, asked, got-first, wantFree-first)
			}
			wantLast, wantFull := Date(0), false
			for d := a; d < b; d++ {
				if naive.running(d) >= asked {
					wantLast, wantFull = d, true
				}
			}
			if got, full := tl.lastFullDay(a, b, asked); full != wantFull || got != wantLast {
				t.Fatalf("round %d step %d: lastFullDay(%d, %d, %d) = %d, %v; want %d, %v", round, step, a-first, b-first, asked, got-first, full, wantLast-first, wantFull)
			}
			want := a
			for {
				fits := true
				for d := want; d < want+length; d++ {
					fits = fits && naive.running(d) < asked
				}
				if fits {
					break
				}
				want++
			}
			if got := tl.earliestStart(a, asked, func(t Date) Date { return t + length }); got != want {
				t.Fatalf("round %d step %d: earliestStart(%d, %d, +%d) = %d, want %d", round, step, a-first, asked, length, got-first, want-first)
			}
		}
	}
}
