package planner

import (
	"math"

	"github.com/rickb777/date/v2"
)

// The search for the latest decision date (latestDecision) asks at every
// candidate date D whether enough trials leave every position safe, and
// must answer exactly as counting every trial would. A trial's dates do
// not quite only move later with D: a drawn number of days is taken at
// the day its phase starts, and month lengths differ. But they are held
// between two schedules that do, and those settle most trials without
// planning them:
//
//   - A drawn phase lasts round(x) days, x the triangular draw over the
//     sorted days(min), days(likely), days(max) at its start (for a
//     spread: min·c, c, max·c with c = days(likely)). x only grows with
//     each of the three (the distribution moves right), and moves with
//     them when all three move alike; days(P) varies between the fewest
//     and the most days P spans from any date (dayRange). So whatever the
//     day a phase starts, it lasts at least and at most a number of days
//     that follows from one draw at any start and those ranges: its lower
//     and upper length, with a day to spare for floating-point rounding.
//   - Planned with every drawn phase at its lower (upper) length and the
//     fixed ones as they are, without HR capacity, every date of the trial
//     at every D is at least (at most) the one of the lower (upper)
//     schedule: each step of a schedule (max, ⊕ a fixed period, + a
//     length, alignment, the k-th of the gate dates) only grows with its
//     inputs. And the bound schedules' dates only move later with D.
//   - So if the upper schedule is safe at D, the trial is safe at every
//     D' ≤ D; if the lower schedule is not, the trial is not safe at any
//     D' ≥ D, with HR capacity too, which only delays. Every trial keeps
//     the two dates this settles (a certificate). A planned trial tries
//     the bound schedules at the dates that settle the most of what the
//     binary search may still ask: the ends of that range, then the next
//     candidate (enoughSafeWithin).
//   - Before any trial is planned, the lengths any draw can take (the
//     fewest and most days of the range's periods) give bounds that hold
//     for every trial at once.

// dayRange returns the fewest and the most days p spans from any date.
// The calendar repeats every 400 years, 4,800 months and 146,097 days, so
// the months of p span a whole number of those plus what the rest of the
// months span from one of the 4,800 months of a cycle; a day of the month
// that the target month lacks shortens that by up to three days.
func (p Period) dayRange() (lo, hi int) {
	months := p.totalMonths()
	if months == 0 {
		return p.totalDays(), p.totalDays()
	}
	cycles, rest := months/4800, months%4800
	lo, hi = math.MaxInt, 0
	for i := range 4800 {
		start, target := i, i+rest
		span := int(monthStarts[target] - monthStarts[start])
		startLength := int(monthStarts[start+1] - monthStarts[start])
		targetLength := int(monthStarts[target+1] - monthStarts[target])
		lo, hi = min(lo, span+min(0, targetLength-startLength)), max(hi, span)
	}
	return lo + 146097*cycles + p.totalDays(), hi + 146097*cycles + p.totalDays()
}

// phaseRange holds the day ranges of a drawn phase's periods: of min,
// likely and max for a range, of likely for a spread.
type phaseRange struct {
	lo, hi [3]int
}

// phaseRanges returns the day ranges of every drawn phase, by slot, each
// period's computed once.
func (r *riskRun) phaseRanges() []phaseRange {
	known := make(map[Period][2]int)
	rangeOf := func(p Period) (int, int) {
		v, ok := known[p]
		if !ok {
			v[0], v[1] = p.dayRange()
			known[p] = v
		}
		return v[0], v[1]
	}
	ranges := make([]phaseRange, r.variables)
	for p := range r.s.Positions {
		for phase := range phaseCount {
			k := r.slot[p*int(phaseCount)+int(phase)]
			if k < 0 {
				continue
			}
			span := &r.s.Positions[p].Phases[phase]
			for j, period := range []Period{span.Min, span.Likely, span.Max} {
				if !span.Ranged {
					period = span.Likely
				}
				ranges[k].lo[j], ranges[k].hi[j] = rangeOf(period)
			}
		}
	}
	return ranges
}

// lengths returns a drawn phase's lower and upper length from its drawn
// days n at a start where its periods span days (min, likely, max, not
// sorted); spread is the phase's spread for a fixed period, else nil.
func (pr *phaseRange) lengths(n int, days [3]int, spread *SpreadRange) (lower, upper int) {
	var below, above int // how far the periods' days may fall and rise
	if spread == nil {
		for j := range 3 {
			below, above = max(below, days[j]-pr.lo[j]), max(above, pr.hi[j]-days[j])
		}
	} else {
		// min·c, c, max·c each move by at most max·(c' − c).
		below = int(math.Ceil(spread.Max * float64(days[1]-pr.lo[1])))
		above = int(math.Ceil(spread.Max * float64(pr.hi[1]-days[1])))
	}
	return max(0, n-below-1), n + above + 1
}

// widest returns the lengths any draw of the phase can take.
func (pr *phaseRange) widest(spread *SpreadRange) (lower, upper int) {
	if spread == nil {
		return min(pr.lo[0], pr.lo[1], pr.lo[2]), max(pr.hi[0], pr.hi[1], pr.hi[2])
	}
	return max(0, int(math.Floor(spread.Min*float64(pr.lo[1])))-1), int(math.Ceil(spread.Max*float64(pr.hi[1]))) + 1
}

// boundEnds ends a drawn phase after a set number of days, a fixed phase
// after its period.
type boundEnds struct {
	s    *Scenario
	slot []int
	days []int // by slot
}

func (b *boundEnds) end(p int, phase Phase, start date.Date) date.Date {
	if k := b.slot[p*int(phaseCount)+int(phase)]; k >= 0 {
		return start + date.Date(b.days[k])
	}
	return b.s.Positions[p].Phases[phase].Likely.AddTo(start)
}

// A certificate tells for which decision dates a trial's safety is
// settled: safe on and before safeUntil, not safe from unsafeFrom on. It
// also remembers the latest date the trial was found safe at and the
// earliest it was found not safe at, which settle nothing but tell which
// trials to plan first.
type certificate struct {
	safeUntil, unsafeFrom date.Date
	sawSafe, sawUnsafe    date.Date
}

// saw records that the trial was found safe (ok) or not at d.
func (c *certificate) saw(d date.Date, ok bool) {
	if ok {
		c.sawSafe = max(c.sawSafe, d)
	} else {
		c.sawUnsafe = min(c.sawUnsafe, d)
	}
}

// widestCertificate is the certificate of every trial before any is
// planned: from the schedules with every drawn phase as short and as long
// as any draw can make it, without HR capacity, over [earliest, last].
func (r *riskRun) widestCertificate(ranges []phaseRange, earliest, last date.Date) certificate {
	lower, upper := make([]int, r.variables), make([]int, r.variables)
	for p := range r.s.Positions {
		for phase := range phaseCount {
			if k := r.slot[p*int(phaseCount)+int(phase)]; k >= 0 {
				lower[k], upper[k] = ranges[k].widest(r.spreadOf(p, phase))
			}
		}
	}
	unlimited := *r.s
	unlimited.HRCapacity = 0
	c := certificate{safeUntil: earliest - 1, unsafeFrom: earliest, sawSafe: earliest - 1, sawUnsafe: last + 1}
	short := newScheduler(&unlimited, &boundEnds{s: r.s, slot: r.slot, days: lower})
	if d, ok := lastTrue(earliest, last, short.safe); ok {
		c.unsafeFrom = d + 1
	}
	long := newScheduler(&unlimited, &boundEnds{s: r.s, slot: r.slot, days: upper})
	if d, ok := lastTrue(earliest, last, long.safe); ok {
		c.safeUntil = d
	}
	return c
}

// spreadOf is the spread that applies to a drawn phase: nil for a range.
func (r *riskRun) spreadOf(p int, phase Phase) *SpreadRange {
	if r.s.Positions[p].Phases[phase].Ranged {
		return nil
	}
	return r.opts.Spread[phase]
}

// certify plans the trial's draws for a decision on start without HR
// capacity, as free.safe does, and reports whether the trial is safe. With
// the lengths this planning finds it then tries the bound schedules, for
// a safe trial the upper one at the dates of upAt, for one that is not
// the lower one at those of lowAt, in turn, and narrows c by the first
// that settles the trial.
func (t *trial) certify(start date.Date, upAt, lowAt [2]date.Date, c *certificate) bool {
	s := t.free.s
	exact := t.free
	exact.runs++
	failed := -1
	for i, p := range s.order {
		ready := exact.ready(p, start)
		exact.setTimes(p, ready, ready)
		if !s.positionSafe(p, &exact.times[p]) {
			failed = i
			break
		}
	}
	if failed < 0 {
		for _, d := range upAt {
			if d > c.safeUntil && t.upper.safeUpTo(d, len(s.order)-1) {
				c.safeUntil = d
				break
			}
		}
		return true
	}
	for _, d := range lowAt {
		if d < c.unsafeFrom && !t.lower.safeUpTo(d, failed) {
			c.unsafeFrom = d
			break
		}
	}
	return false
}
