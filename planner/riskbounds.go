package planner

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/rickb777/date/v2"
)

// The search for the latest decision date (latestDecision) asks at every
// candidate date D whether enough trials leave every position safe, and
// must answer exactly as counting every trial would. A trial's dates do
// not quite only move later with D: a drawn number of days is taken at
// the day its phase starts, and month lengths differ. But they are held
// between two schedules that do, and those settle most trials without
// planning them at D:
//
//   - A drawn phase that starts on s ends on E(s) = s + round(x(s)), x the
//     triangular draw over the sorted days(min), days(likely), days(max)
//     at s. From one day to the next each days(P) falls by at most one
//     (s ⊕ P never moves back), so the sorted three do too, and x, which
//     only grows with each of them and moves with them when all three
//     move alike, falls by at most one: s + x(s) never moves back. Rounded,
//     E(s') ≥ E(s) − 1 for every s' ≥ s, floating-point errors included
//     (they are far below half a day). For a spread x is c·g, c =
//     days(likely) and g ≤ max the draw over [min, 1] with mode 1; c falls
//     by at most one a day and by at most its range over the calendar in
//     all (dayRange), so E(s') ≥ E(s) − 2 − ⌈range·(max − 1)⌉. That is the
//     phase's slack; a fixed phase, s ⊕ P, has none.
//   - The lower (upper) schedule of a trial at D plans its draws as the
//     trial does, but ends every drawn phase its slack earlier (later)
//     than from the day it starts there. Every step of a schedule (max,
//     ⊕ a period, alignment, the k-th of the gate dates) only grows with
//     its inputs, so by induction over the positions every date of the
//     lower schedule at D is at most the trial's at any D' ≥ D, and every
//     date of the upper one at least the trial's at any D' ≤ D.
//   - So if the upper schedule is safe at D, the trial is safe at every
//     D' ≤ D; if the lower one is not, the trial is not safe at any
//     D' ≥ D, with HR capacity too, which only delays. Every trial keeps
//     the two dates this settles (a certificate).
//   - Before the search, a sample of the trials, each searched for its own
//     last safe date, tells about where the answer lies; every trial then
//     tries the upper schedule just after that, or the lower one just
//     before it (seedCertificates). Only the trials whose last safe date
//     lies near the answer are left for the candidates near it to plan.
//     A planned trial tries a bound schedule where it settles what the
//     binary search will likely ask next: at the candidate, for the side
//     the search likely leaves; for the side it likely goes on to, at the
//     edge of where the answer lies or at the next candidate
//     (enoughSafeWithin, certify).
//   - Before any trial is planned, the lengths any draw can take (the
//     fewest and most days of the range's periods) give bounds that hold
//     for every trial at once (widestCertificate).

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

// slacks returns every drawn phase's slack, by slot: 1 for a range, 2 +
// ⌈range·(max − 1)⌉ for a spread over a period whose days vary with
// the calendar, 1 for one over a period that has always as many days.
func (r *riskRun) slacks(ranges []phaseRange) []int {
	slack := make([]int, r.variables)
	for p := range r.s.Positions {
		for phase := range phaseCount {
			k := r.slot[p*int(phaseCount)+int(phase)]
			if k < 0 {
				continue
			}
			slack[k] = 1
			if spread := r.spreadOf(p, phase); spread != nil {
				if swing := float64(ranges[k].hi[1]-ranges[k].lo[1]) * (spread.Max - 1); swing > 0 {
					slack[k] = 2 + int(math.Ceil(swing))
				}
			}
		}
	}
	return slack
}

// prepareBounds works out what the bound schedules need: every drawn
// phase's slack and every position's latest productive date.
func (r *riskRun) prepareBounds(ranges []phaseRange) {
	r.ranges = ranges
	r.slack = r.slacks(ranges)
	r.latest = r.s.latestProductive()
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

// slackEnds ends a drawn phase its slack after (sign 1) or before (sign
// -1) the trial's draw from the day it starts, a fixed phase after its
// period: the phases of the upper and the lower schedule.
type slackEnds struct {
	d     *drawnEnds
	slack []int // by slot
	sign  int
}

func (e *slackEnds) end(p int, phase Phase, start date.Date) date.Date {
	end, k := e.d.endAndSlot(p, phase, start)
	if k >= 0 {
		end += date.Date(e.sign * e.slack[k])
	}
	return end
}

// A certificate tells for which decision dates a trial's safety is
// settled: safe on and before safeUntil, not safe from unsafeFrom on
// (with HR capacity too; once the search walks back under HR capacity,
// not safe with it, see boundCapacity). It also remembers the latest date
// the trial was found safe at and the earliest it was found not safe at,
// which settle nothing but tell which trials to plan first.
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
// capacity, as free.safe does, and reports whether the trial is safe. It
// then tries the bound schedules, for a safe trial the upper one at the
// dates of upAt, for one that is not the lower one at those of lowAt, in
// turn, and narrows c by the first that settles the trial. It skips a
// date the bound schedule is unlikely to settle: one later than start
// by more than the trial's margin there (how far the closest position is
// from its latest productive date) less boundGap, or earlier by more than
// how far the first position not safe is past it, less boundGap; and one
// that would not narrow c.
func (t *trial) certify(start date.Date, upAt, lowAt [2]date.Date, c *certificate) bool {
	s := t.free.s
	exact := t.free
	exact.runs++
	failed := -1
	margin := date.Date(math.MaxInt64)
	for i, p := range s.order {
		ready := exact.ready(p, start)
		exact.setTimes(p, ready, ready)
		// Safe exactly when productive by the latest date.
		margin = min(margin, t.r.latest[p]-exact.times[p].Productive)
		if margin < 0 {
			failed = i
			break
		}
	}
	if failed < 0 {
		for j, d := range upAt {
			if d-start > margin-boundGap || j > 0 && d == upAt[0] || d <= c.safeUntil || d >= c.unsafeFrom {
				continue
			}
			if t.upper.safe(d) {
				c.safeUntil = d
				break
			}
		}
		return true
	}
	for j, d := range lowAt {
		if start-d > -margin-boundGap || j > 0 && d == lowAt[0] || d >= c.unsafeFrom || d <= c.safeUntil {
			continue
		}
		if !t.lower.safeUpTo(d, failed) {
			c.unsafeFrom = d
			break
		}
	}
	return false
}

// boundGap is about how many days the bound schedules fall short of the
// trial's where it matters: three phases' slack.
const boundGap = 3

// boundCapacity narrows every trial's certificate by the capacity bound
// (capacityUnsafeFrom), for the walk back under HR capacity, and returns
// the first date from which the trials it settles as not safe leave
// fewer than need: no date from then on has enough.
func (r *riskRun) boundCapacity(ctx context.Context, trials []*trial, need int) (date.Date, error) {
	lowest := r.fixedLowest()
	n := r.opts.Trials
	err := r.eachTrial(ctx, trials, n, nil, func(t *trial, i int) {
		t.draw(i)
		c := &r.certs[i]
		c.unsafeFrom = min(c.unsafeFrom, t.capacityUnsafeFrom(lowest))
	})
	if err != nil {
		return 0, err
	}
	from := make([]date.Date, n)
	for i := range r.certs {
		from[i] = r.certs[i].unsafeFrom
	}
	// With the (n − need + 1)-th earliest date settled, too many are not
	// safe.
	slices.Sort(from)
	return from[n-need], nil
}

// fixedLowest returns the fewest days every fixed phase lasts, by
// position·3 + phase (drawn phases: 0).
func (r *riskRun) fixedLowest() []int {
	lowest := make([]int, len(r.slot))
	known := make(map[Period]int)
	for i, k := range r.slot {
		if k >= 0 {
			continue
		}
		period := r.s.Positions[i/int(phaseCount)].Phases[i%int(phaseCount)].Likely
		lo, ok := known[period]
		if !ok {
			lo, _ = period.dayRange()
			known[period] = lo
		}
		lowest[i] = lo
	}
	return lowest
}

// capacityUnsafeFrom returns a date from which the trial is not safe with
// HR capacity, whatever the decision date: whatever day each phase
// starts, it lasts at least its shortest length (shortest), so each
// position, to be safe, must be recruited by its latest productive date
// less its shortest notice and onboarding (its deadline), and its
// recruitment, at least its shortest recruiting, lies between the
// decision date D and that deadline. At most HRCapacity recruitments run
// on a day, so every deadline T must leave room for the recruitments due
// by it: their shortest lengths add up to at most HRCapacity·(T − D), and
// each one's to at most T − D. Where that fails for D it fails for any
// later D.
func (t *trial) capacityUnsafeFrom(lowest []int) date.Date {
	r := t.r
	jobs := t.jobs[:0]
	for p := range r.s.Positions {
		var short [phaseCount]int
		for phase := range phaseCount {
			i := p*int(phaseCount) + int(phase)
			if k := r.slot[i]; k >= 0 {
				short[phase] = r.shortest(p, phase, k, t.ends.u[k])
			} else {
				short[phase] = lowest[i]
			}
		}
		deadline := r.latest[p] - date.Date(short[Notice]+short[Onboarding])
		jobs = append(jobs, recruitment{deadline, short[Recruiting]})
	}
	t.jobs = jobs
	slices.SortFunc(jobs, func(a, b recruitment) int { return cmp.Compare(a.deadline, b.deadline) })
	from := date.Date(math.MaxInt64)
	capacity := int64(r.s.HRCapacity)
	var work int64
	for j, job := range jobs {
		work += int64(job.days)
		from = min(from, job.deadline-date.Date(job.days)+1)
		if j+1 == len(jobs) || jobs[j+1].deadline != job.deadline {
			from = min(from, job.deadline-date.Date((work+capacity-1)/capacity)+1)
		}
	}
	return from
}

// A recruitment is a position's shortest recruiting and the date by which
// it must end for the position to be safe.
type recruitment struct {
	deadline date.Date
	days     int
}

// shortest returns the fewest days drawn phase k of position p lasts from
// any start with the uniform number u: the draw over the fewest days of
// its periods (the sorted days at any start are at least the sorted
// fewest, and the draw only grows with each), less a day for rounding.
func (r *riskRun) shortest(p int, phase Phase, k int, u float64) int {
	pr := &r.ranges[k]
	var low, mode, high float64
	if spread := r.spreadOf(p, phase); spread != nil {
		mode = float64(pr.lo[1])
		low, high = spread.Min*mode, spread.Max*mode
	} else {
		a, c, b := sort3(pr.lo[0], pr.lo[1], pr.lo[2])
		low, mode, high = float64(a), float64(c), float64(b)
	}
	return max(0, int(math.Floor(triangular(u, low, mode, high)+0.5))-1)
}

// seedCertificates narrows every trial's certificate around where the
// answer likely lies, before the search plans any trial at a candidate:
// with the upper schedule at the later end of that, or else the lower
// one at its earlier end (the other way round when most trials are not
// safe there).
func (r *riskRun) seedCertificates(ctx context.Context, trials []*trial, earliest, last date.Date, need int) error {
	n := r.opts.Trials
	lo, hi, err := r.aroundAnswer(ctx, trials, earliest, last, need)
	if err != nil {
		return err
	}
	r.around = [2]date.Date{lo, hi}
	if hi < earliest {
		// Likely no date is safe enough, which the first candidate, the
		// earliest date, settles by itself.
		return nil
	}
	upperFirst := 2*need >= n
	return r.eachTrial(ctx, trials, n, nil, func(t *trial, i int) {
		c := &r.certs[i]
		if c.safeUntil >= hi || c.unsafeFrom <= lo {
			return
		}
		t.draw(i)
		for try := range 2 {
			if (try == 0) == upperFirst {
				if t.upper.safe(hi) {
					c.safeUntil = hi
					return
				}
			} else if !t.lower.safe(lo) {
				c.unsafeFrom = lo
				return
			}
		}
	})
}

// aroundAnswer returns dates between which the answer likely lies: a
// sample of the trials, each searched for its own last safe date as if
// its safety only fell with the decision date, and the ranks around the
// need-th latest of n, as far out as 2.5 standard deviations of the
// sample's rank. The dates only guide the work; the answer never depends
// on them.
func (r *riskRun) aroundAnswer(ctx context.Context, trials []*trial, earliest, last date.Date, need int) (lo, hi date.Date, err error) {
	n := r.opts.Trials
	m := sampleSize(n)
	found := make([]date.Date, m)
	err = r.eachTrial(ctx, trials, m, nil, func(t *trial, j int) {
		t.draw(j * n / m)
		d, ok := lastTrue(earliest, last, t.free.safe)
		if !ok {
			d = earliest - 1
		}
		found[j] = d
	})
	if err != nil {
		return 0, 0, err
	}
	slices.Sort(found)
	p := float64(need) / float64(n)
	rank, spread := p*float64(m), 2.5*math.Sqrt(float64(m)*p*(1-p))+1
	// The k-th latest date of the sample is found[m-k].
	hi = found[m-min(max(int(rank-spread), 1), m)]
	lo = found[m-min(max(int(math.Ceil(rank+spread)), 1), m)]
	return lo, hi, nil
}

// sampleSize is how many of n trials aroundAnswer samples: about
// n^⅔/2, which balances the sample's cost (a binary search each) against
// that of planning the trials between the dates it finds at the
// candidates near the answer (their number falls with the square root
// of the sample).
func sampleSize(n int) int {
	return min(n, max(16, int(math.Cbrt(float64(n)*float64(n))/2)))
}

// eachTrial calls visit for every k in [0, n) on the workers' goroutines,
// a chunk at a time, until stop (if not nil) reports true or ctx ends.
func (r *riskRun) eachTrial(ctx context.Context, trials []*trial, n int, stop func() bool, visit func(t *trial, k int)) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	for _, t := range trials {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for (stop == nil || !stop()) && ctx.Err() == nil {
				first := int(next.Add(chunkSize)) - chunkSize
				if first >= n {
					return
				}
				for k := first; k < min(first+chunkSize, n); k++ {
					visit(t, k)
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// latestProductive returns each position's latest productive date that
// leaves it safe (positionSafe): it is safe exactly when productive on or
// before it.
func (s *Scenario) latestProductive() []date.Date {
	latest := make([]date.Date, len(s.Positions))
	_, longest := s.MinProductive.dayRange()
	for p := range s.Positions {
		end := s.Funding[s.Positions[p].Funding].End
		latest[p], _ = lastTrue(end-date.Date(longest)-1, end, func(d date.Date) bool {
			return s.positionSafe(p, &Times{Productive: d})
		})
	}
	return latest
}
