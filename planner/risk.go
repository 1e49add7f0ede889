package planner

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/rickb777/date/v2"
)

// The risk run (docs/risk.md) plans the scenario many times with every ranged
// period drawn from a triangular distribution. Each trial has its own
// random stream, keyed by the seed and the trial's number, so a trial
// draws the same numbers whichever goroutine runs it: the answer depends
// on the seed and the number of trials only, never on GOMAXPROCS. The
// per-trial results are counts and histograms, which add up in any order.

// Limits and defaults of a risk run.
const (
	DefaultTrials     = 2000
	MaxTrials         = 100000
	DefaultConfidence = 0.8
	// MaxSeed is the largest seed: 2^53 − 1, the largest integer a JSON
	// number carries exactly in every implementation.
	MaxSeed = 1<<53 - 1
	// maxSpreadFactor bounds a spread's max factor.
	maxSpreadFactor = 10
)

// RiskOptions configure a risk run; start from DefaultRiskOptions, so
// that an option a user did not give has its default and one they gave
// as 0 is reported as out of range.
type RiskOptions struct {
	Trials int    // 1 … MaxTrials
	Seed   uint64 // 0 … MaxSeed
	// Confidence (0 < Confidence < 1) asks for the latest decision date at
	// which the probability that every position is safe is at least
	// Confidence; 0 skips that search, which can take about twice as
	// long as the run.
	Confidence float64
	// Spread makes every fixed period of the named phases uncertain, for a
	// quick what-if without editing each post. Ranged periods keep their
	// own range.
	Spread Spread
	// Workers is how many goroutines run trials; 0 means GOMAXPROCS. It
	// never changes the answer.
	Workers int
}

// DefaultRiskOptions are the options of a risk run nobody configured:
// DefaultTrials trials, seed 0, DefaultConfidence, no spread.
func DefaultRiskOptions() RiskOptions {
	return RiskOptions{Trials: DefaultTrials, Confidence: DefaultConfidence}
}

// A Spread gives, per phase, the factors by which a fixed period may
// shrink or grow: the draw is triangular over [Min·days, Max·days] with
// mode days. A nil entry leaves the phase's fixed periods fixed.
type Spread [phaseCount]*SpreadRange

// A SpreadRange is a pair of factors with 0 ≤ Min ≤ 1 ≤ Max ≤ 10.
type SpreadRange struct {
	Min, Max float64
}

// active reports whether the range draws anything: 1:1 does not.
func (r *SpreadRange) active() bool { return r != nil && (r.Min != 1 || r.Max != 1) }

// Validate returns every problem with the options, with paths named like
// the fields of the risk request ("trials", "spread.recruiting.max").
func (o RiskOptions) Validate() error {
	var ps problems
	if o.Trials < 1 || o.Trials > MaxTrials {
		ps.add("trials", ProblemTrialsOutOfRange, o.Trials, MaxTrials)
	}
	if o.Seed > MaxSeed {
		ps.add("seed", ProblemSeedOutOfRange, o.Seed, uint64(MaxSeed))
	}
	if !(o.Confidence >= 0 && o.Confidence < 1) {
		ps.add("confidence", ProblemConfidenceOutOfRange, o.Confidence)
	}
	for phase, r := range o.Spread {
		if r == nil {
			continue
		}
		path := "spread." + Phase(phase).String()
		if !(r.Min >= 0 && r.Min <= 1) {
			ps.add(path+".min", ProblemSpreadMinOutOfRange, r.Min)
		}
		if !(r.Max >= 1 && r.Max <= maxSpreadFactor) {
			ps.add(path+".max", ProblemSpreadMaxOutOfRange, r.Max, maxSpreadFactor)
		}
	}
	return ps.err()
}

// Risk is the result of a risk run (docs/risk.md).
type Risk struct {
	Trials    int
	Seed      uint64
	Positions []PositionRisk
	Summary   RiskSummary
	// Confidence and LatestDecision are set when the options asked for a
	// confidence: the latest planning start with P(all safe) ≥ Confidence,
	// nil when no date in the search range reaches it.
	Confidence     float64
	LatestDecision *date.Date
}

// PositionRisk is one position's share of a risk run.
type PositionRisk struct {
	ID string
	// PProductiveByEnd is the share of trials in which the position is
	// productive by its funding end; PMeetsMinProductive the share in
	// which it is also productive for min_productive (no critical or SHORT
	// flag).
	PProductiveByEnd, PMeetsMinProductive float64
	// The nearest-rank percentiles of the productive date.
	ProductiveP10, ProductiveP50, ProductiveP90 date.Date
}

// RiskSummary is the scenario's share of a risk run.
type RiskSummary struct {
	// PAllSafe is the share of trials with no critical or SHORT flag.
	PAllSafe float64
	// The nearest-rank percentiles of productive_fte_months.
	ProductiveFTEMonthsP10, ProductiveFTEMonthsP50, ProductiveFTEMonthsP90 Decimal
	// The nearest-rank percentiles of the own share (docs/risk.md, The own
	// share): a later hire costs less while the funding pays less too.
	OwnShareP10, OwnShareP50, OwnShareP90 Decimal
}

// IsUncertain reports whether a risk run of s with the spread would draw
// anything: a ranged period, or a fixed one the spread applies to.
func (s *Scenario) IsUncertain(spread Spread) bool {
	for p := range s.Positions {
		for phase := range phaseCount {
			if s.variable(p, phase, &spread) {
				return true
			}
		}
	}
	return false
}

func (s *Scenario) variable(p int, phase Phase, spread *Spread) bool {
	span := &s.Positions[p].Phases[phase]
	return span.Ranged && (span.Min != span.Likely || span.Likely != span.Max) ||
		!span.Ranged && spread[phase].active() && !span.Likely.IsZero()
}

// Risk runs the trials of docs/risk.md and, unless opts.Confidence is 0,
// searches for the latest decision date at that confidence. It fails when the
// options are invalid or ctx ends first.
func (s *Scenario) Risk(ctx context.Context, opts RiskOptions) (*Risk, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	r := newRiskRun(s, &opts)
	if err := r.runTrials(ctx); err != nil {
		return nil, err
	}
	risk := r.result()
	if opts.Confidence > 0 {
		latest, err := r.latestDecision(ctx, opts.Confidence)
		if err != nil {
			return nil, err
		}
		risk.Confidence, risk.LatestDecision = opts.Confidence, latest
	}
	return risk, nil
}

// riskRun holds what every trial shares and, after runTrials, the merged
// counts.
type riskRun struct {
	s       *Scenario
	opts    *RiskOptions
	workers int
	// variables lists the (position, phase) pairs a trial draws, in the
	// order it draws them; slot maps position·3+phase to the index of its
	// draw, or -1 where the phase is fixed.
	variables int
	slot      []int
	// fte holds each position's fte in 1/F (prices.fteMonthsDen), as
	// int64 when every sum of a trial fits, else nil (big.Int path).
	fte   []int64
	ends  []date.Date // each position's funding end
	tally tally
	// days looks up the days of the drawn phases' periods (riskdays.go).
	days *phaseDays
	// fteMonths holds each trial's productive FTE-months, rounded;
	// ownShares each trial's own share in cents (riskmoney.go).
	fteMonths []int64
	ownShares []int64
	money     *riskMoney
	// ranks finds the percentiles of the productive dates.
	ranks *rankFinder
	// trials holds each worker's scratch space, made on first use.
	trials []*trial
	// certs holds each trial's certificate once the search for the
	// decision date has made them (riskbounds.go); scratch is the order
	// in which a candidate date plans the trials.
	certs   []certificate
	scratch []int32
	// window is the range the search looks at; keyCount the counting
	// sort's scratch (order).
	window   [2]date.Date
	keyCount []int32
	// around is where the answer likely lies (seedCertificates).
	around [2]date.Date
	// What the bound schedules need (riskbounds.go): the drawn phases'
	// day ranges and slack, by slot, and every position's latest
	// productive date that leaves it safe.
	ranges []phaseRange
	slack  []int
	latest []date.Date
}

// tally is the per-worker result of trials; tallies add up.
type tally struct {
	byEnd, meetsMin []int // per position
	allSafe         int
}

// The percentiles of the productive dates, in tenths: P10, P50, P90.
var percentileTenths = []int{1, 5, 9}

func newRiskRun(s *Scenario, opts *RiskOptions) *riskRun {
	r := &riskRun{s: s, opts: opts, slot: make([]int, len(s.Positions)*int(phaseCount)), ends: make([]date.Date, len(s.Positions))}
	for p := range s.Positions {
		r.ends[p] = s.Funding[s.Positions[p].Funding].End
		for phase := range phaseCount {
			i := p*int(phaseCount) + int(phase)
			r.slot[i] = -1
			if s.variable(p, phase, &opts.Spread) {
				r.slot[i] = r.variables
				r.variables++
			}
		}
	}
	r.workers = opts.Workers
	if r.workers <= 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	r.workers = max(1, min(r.workers, (opts.Trials+chunkSize-1)/chunkSize))
	r.fte = s.smallFTE()
	r.days = newPhaseDays(s, r.slot, r.variables, opts.Confidence)
	r.money = newRiskMoney(s)
	return r
}

// workerTrials returns the workers' scratch spaces, made once per run.
func (r *riskRun) workerTrials() []*trial {
	if r.trials == nil {
		r.trials = make([]*trial, r.workers)
		for w := range r.trials {
			r.trials[w] = r.newTrial()
		}
	}
	return r.trials
}

// smallFTE returns the positions' fte in 1/F as int64 when a trial's
// FTE-months, Σ fte · months(productive, E) over monthsDenominator, stay
// far inside int64 for any productive date on or after the start; else
// nil.
func (s *Scenario) smallFTE() []int64 {
	fte := make([]int64, len(s.Positions))
	var bound float64
	for p := range s.Positions {
		f := s.prices.positions[p].fte
		if !f.IsInt64() {
			return nil
		}
		fte[p] = f.Int64()
		months := monthsBetween(s.Start, s.Funding[s.Positions[p].Funding].End)
		bound += float64(fte[p]) * float64(months)
	}
	if bound*100 > 1<<60 || !s.prices.fteMonthsDen.IsInt64() {
		return nil
	}
	return fte
}

// chunkSize is how many trials a worker takes at a time.
const chunkSize = 64

// bufferDates is about how many productive dates a worker collects before
// it hands them to the rank finder, which takes them under a lock.
const bufferDates = 1 << 14

// runTrials runs every trial from the scenario's start, merges the
// workers' tallies and finds the percentiles, replaying the trials when
// the rank finder asks for it.
func (r *riskRun) runTrials(ctx context.Context) error {
	n, positions := r.opts.Trials, len(r.s.Positions)
	r.fteMonths = make([]int64, n)
	r.ownShares = make([]int64, n)
	r.ranks = newRankFinder(positions, r.percentileRanks())
	tallies := make([]tally, r.workers)
	for w := range tallies {
		tallies[w] = tally{byEnd: make([]int, positions), meetsMin: make([]int, positions)}
	}
	err := r.forTrials(ctx, func(w int, t *trial, i int) {
		r.fteMonths[i] = t.run(i, &tallies[w])
		r.ownShares[i] = r.money.trialOwnShare(t.sched.times, t.l, t.need)
	}, func(b *dateBuffer) {
		for p := range positions {
			for _, d := range b.of(p) {
				r.ranks.add(p, d)
			}
		}
	})
	if err != nil {
		return err
	}
	total := &r.tally
	*total = tallies[0]
	for _, tl := range tallies[1:] {
		for p := range positions {
			total.byEnd[p] += tl.byEnd[p]
			total.meetsMin[p] += tl.meetsMin[p]
		}
		total.allSafe += tl.allSafe
	}
	for r.ranks.settle() {
		err := r.forTrials(ctx, func(_ int, t *trial, i int) {
			t.draw(i)
			t.sched.run(r.s.Start)
		}, func(b *dateBuffer) {
			for p := range positions {
				if r.ranks.wanted(p) {
					for _, d := range b.of(p) {
						r.ranks.feed(p, d)
					}
				}
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// percentileRanks are the nearest ranks of percentileTenths.
func (r *riskRun) percentileRanks() []int {
	ranks := make([]int, len(percentileTenths))
	for i, tenths := range percentileTenths {
		ranks[i] = nearestRank(tenths, r.opts.Trials)
	}
	return ranks
}

// forTrials runs every trial, chunk by chunk, on the workers' goroutines:
// visit runs trial i with the worker's scratch space t, leaving the dates
// in t.sched, and the productive dates collected in the worker's buffer go
// to sink under a lock whenever the buffer is full, and at the end.
func (r *riskRun) forTrials(ctx context.Context, visit func(w int, t *trial, i int), sink func(b *dateBuffer)) error {
	n := r.opts.Trials
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w, t := range r.workerTrials() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := &t.buffer
			flush := func() {
				mu.Lock()
				sink(b)
				mu.Unlock()
				b.held = 0
			}
			defer flush()
			for {
				first := int(next.Add(chunkSize)) - chunkSize
				if first >= n || ctx.Err() != nil {
					return
				}
				for i := first; i < min(first+chunkSize, n); i++ {
					visit(w, t, i)
					if b.hold(t.sched.times) {
						flush()
					}
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// A dateBuffer holds the productive dates of a few trials, position by
// position.
type dateBuffer struct {
	dates []date.Date // dates[p*size+j] is position p's in the j-th trial held
	size  int         // trials it has room for
	held  int         // trials it holds
}

func newDateBuffer(positions int) dateBuffer {
	size := min(max(bufferDates/max(positions, 1), 1), chunkSize)
	return dateBuffer{dates: make([]date.Date, positions*size), size: size}
}

// hold adds a trial's dates and reports whether the buffer is full.
func (b *dateBuffer) hold(times []Times) bool {
	for p := range times {
		b.dates[p*b.size+b.held] = times[p].Productive
	}
	b.held++
	return b.held == b.size
}

// of returns position p's dates held.
func (b *dateBuffer) of(p int) []date.Date {
	return b.dates[p*b.size : p*b.size+b.held]
}

// result turns the merged tally into the risk run's document.
func (r *riskRun) result() *Risk {
	n := r.opts.Trials
	risk := &Risk{Trials: n, Seed: r.opts.Seed, Positions: make([]PositionRisk, len(r.s.Positions))}
	share := func(count int) float64 { return float64(count) / float64(n) }
	for p := range r.s.Positions {
		risk.Positions[p] = PositionRisk{
			ID:                  r.s.Positions[p].ID,
			PProductiveByEnd:    share(r.tally.byEnd[p]),
			PMeetsMinProductive: share(r.tally.meetsMin[p]),
			ProductiveP10:       r.ranks.answer(p, 0),
			ProductiveP50:       r.ranks.answer(p, 1),
			ProductiveP90:       r.ranks.answer(p, 2),
		}
	}
	sorted := slices.Clone(r.fteMonths)
	slices.Sort(sorted)
	months := func(tenths int) Decimal { return Decimal{Units: sorted[nearestRank(tenths, n)-1], Places: 2} }
	owned := slices.Clone(r.ownShares)
	slices.Sort(owned)
	own := func(tenths int) Decimal { return Decimal{Units: owned[nearestRank(tenths, n)-1], Places: 2} }
	risk.Summary = RiskSummary{
		PAllSafe:               share(r.tally.allSafe),
		ProductiveFTEMonthsP10: months(1),
		ProductiveFTEMonthsP50: months(5),
		ProductiveFTEMonthsP90: months(9),
		OwnShareP10:            own(1),
		OwnShareP50:            own(5),
		OwnShareP90:            own(9),
	}
	return risk
}

// nearestRank is ⌈q·n⌉ for q = tenths/10, at least 1.
func nearestRank(tenths, n int) int {
	return max(1, (tenths*n+9)/10)
}

// A trial is one worker's scratch space: a scheduler whose phase ends are
// drawn, the draws, and the money scratch of the big.Int path.
type trial struct {
	r     *riskRun
	sched *scheduler // plans the scenario
	free  *scheduler // plans it without HR capacity, for the search bound
	// lower and upper plan the bound schedules of the search, without HR
	// capacity (riskbounds.go); nil until the search prepares them.
	lower, upper *scheduler
	ends         drawnEnds
	rng          rand.PCG
	buffer       dateBuffer
	// jobs is the scratch space of capacityUnsafeFrom.
	jobs []recruitment
	// big.Int scratch for FTE-months that do not fit in int64.
	sum, term, months big.Int
	l                 *ledger
	need              []u128 // by source, for the own share
}

func (r *riskRun) newTrial() *trial {
	t := &trial{r: r, ends: drawnEnds{s: r.s, slot: r.slot, spread: &r.opts.Spread, u: make([]float64, r.variables), days: r.days}}
	t.sched = newScheduler(r.s, &t.ends)
	unlimited := *r.s
	unlimited.HRCapacity = 0
	t.free = newScheduler(&unlimited, &t.ends)
	t.l = newLedger(r.s.prices)
	t.need = make([]u128, len(r.s.Funding))
	t.buffer = newDateBuffer(len(r.s.Positions))
	return t
}

// prepareBounds makes the trial's bound schedulers: its draws with every
// drawn phase ending its slack earlier (lower) or later (upper); the run
// has prepared its bounds.
func (t *trial) prepareBounds() {
	unlimited := t.free.s
	t.lower = newScheduler(unlimited, &slackEnds{d: &t.ends, slack: t.r.slack, sign: -1})
	t.upper = newScheduler(unlimited, &slackEnds{d: &t.ends, slack: t.r.slack, sign: 1})
}

// draw fills the trial's uniform numbers from trial number i's stream.
func (t *trial) draw(i int) {
	seed := t.r.opts.Seed
	t.rng.Seed(splitmix(seed), splitmix(seed^splitmix(uint64(i)+1)))
	for k := range t.ends.u {
		t.ends.u[k] = float64(t.rng.Uint64()>>11) / (1 << 53)
	}
}

// splitmix is SplitMix64's finaliser: it spreads nearby seeds far apart.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// run plans trial i from the scenario's start, adds it to tl and returns
// its productive FTE-months in hundredths.
func (t *trial) run(i int, tl *tally) int64 {
	t.draw(i)
	s := t.r.s
	times := t.sched.run(s.Start)
	allSafe := true
	var sum int64
	t.sum.SetInt64(0)
	for p := range s.Positions {
		tm := &times[p]
		end := t.r.ends[p]
		if tm.Productive <= end {
			tl.byEnd[p]++
		}
		if s.positionSafe(p, tm) {
			tl.meetsMin[p]++
		} else {
			allSafe = false
		}
		months := monthsBetween(tm.Productive, end)
		if t.r.fte != nil {
			sum += t.r.fte[p] * months
		} else {
			t.months.SetInt64(months)
			t.sum.Add(&t.sum, t.term.Mul(s.prices.positions[p].fte, &t.months))
		}
	}
	if allSafe {
		tl.allSafe++
	}
	if t.r.fte != nil {
		return roundInt(sum*100, s.prices.fteMonthsDen.Int64())
	}
	return t.l.fteMonths(&t.sum).Units
}

// latestDecision returns the latest decision date D, between the
// earliest funding end minus ten years and the latest funding end, at
// which at least the share confidence of the trials leaves every position
// safe; nil if there is none. Every candidate D replays the same trials
// (the same draws), so the share moves only as the dates do.
//
// Like the plan's latest safe start (docs/scenario.md, The searches): without HR capacity every
// date only moves later with D, so a binary search is exact; with it, a
// trial safe with capacity is safe without, so the search walks back day
// by day from the answer without capacity. (A drawn number of days is
// taken at the day its phase starts, so where month lengths differ a
// later start can end a phase a day earlier; the searches then treat the
// share as if it moved monotonically.)
//
// Each candidate's count is exact, but most trials are settled by their
// certificates (see riskbounds.go) rather than planned.
func (r *riskRun) latestDecision(ctx context.Context, confidence float64) (*date.Date, error) {
	earliest, last := r.s.decisionRange()
	r.window = [2]date.Date{earliest, last}
	need := required(confidence, r.opts.Trials)
	trials := r.workerTrials()
	ranges := r.phaseRanges()
	r.prepareBounds(ranges)
	for _, t := range trials {
		t.prepareBounds()
	}
	r.certs = make([]certificate, r.opts.Trials)
	widest := r.widestCertificate(ranges, earliest, last)
	for i := range r.certs {
		r.certs[i] = widest
	}
	if err := r.seedCertificates(ctx, trials, earliest, last, need); err != nil {
		return nil, err
	}
	var err error
	enough := func(start, below, above date.Date, withCapacity bool) bool {
		if err != nil {
			return false
		}
		var ok bool
		ok, err = r.enoughSafeWithin(ctx, trials, start, below, above, need, withCapacity)
		return ok
	}
	// lastTrue, with the range still to search passed on.
	bound, ok := earliest, enough(earliest, earliest+1, last, false)
	for low, high := earliest, last; ok && low < high; {
		mid := low + (high-low+1)/2
		if enough(mid, low+1, high, false) {
			low = mid
		} else {
			high = mid - 1
		}
		bound = low
	}
	if err != nil || !ok {
		return nil, err
	}
	if r.s.HRCapacity == 0 {
		return &bound, nil
	}
	// From here on only counts with HR capacity, which the capacity bound
	// narrows further; where the trials it settles leave too few, no day
	// needs to be asked.
	settled, err := r.boundCapacity(ctx, trials, need)
	if err != nil {
		return nil, err
	}
	for d := min(bound, settled-1); d >= earliest; d-- {
		if enough(d, earliest, d, true) {
			return &d, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// decisionRange returns the range latestDecision searches: from ten
// years before the earliest funding end to the latest.
func (s *Scenario) decisionRange() (earliest, last date.Date) {
	first, last := s.Funding[0].End, s.Funding[0].End
	for _, f := range s.Funding {
		first, last = min(first, f.End), max(last, f.End)
	}
	return searchSpan.SubtractFrom(first), last
}

// required is the fewest safe trials of n whose share reaches confidence,
// computed as the share is reported: count / n ≥ confidence.
func required(confidence float64, n int) int {
	k := int(math.Ceil(confidence * float64(n)))
	for k > 0 && float64(k-1)/float64(n) >= confidence {
		k--
	}
	for k <= n && float64(k)/float64(n) < confidence {
		k++
	}
	return k
}

// enoughSafe reports whether at least need of the trials leave every
// position safe for a decision on start. Once the search has made
// certificates, trials they settle count as they say, and the workers
// plan the others without HR capacity narrowing their certificates for
// the dates the search may still ask about, [below, above]; with
// HR capacity only the certificates of trials not safe apply, since
// capacity only delays. The workers stop as soon as the answer is
// certain either way; which trials they planned by then does not change
// it.
func (r *riskRun) enoughSafe(ctx context.Context, trials []*trial, start date.Date, need int, withCapacity bool) (bool, error) {
	return r.enoughSafeWithin(ctx, trials, start, start, start, need, withCapacity)
}

func (r *riskRun) enoughSafeWithin(ctx context.Context, trials []*trial, start, below, above date.Date, need int, withCapacity bool) (bool, error) {
	n := r.opts.Trials
	var safe, unsafe atomic.Int64
	order, likely := r.order(start, need, withCapacity, &safe, &unsafe)
	// Where to try the bound schedules. If start turns out as likely to
	// have enough, the search goes on after it: a trial not safe at start
	// is not after it if the lower schedule says so; one safe at start is
	// settled for the next candidate, or as far as where the answer
	// likely lies (seedCertificates), if the upper schedule is safe there.
	// The other way round if not.
	nextUp, nextDown := start+(above-start+1)/2, below+(start-below)/2
	upAt, lowAt := [2]date.Date{start, start}, [2]date.Date{max(below, r.around[1]), nextDown}
	if likely {
		upAt, lowAt = [2]date.Date{min(above, r.around[0]), nextUp}, [2]date.Date{start, start}
	}
	decided := func() bool { return safe.Load() >= int64(need) || unsafe.Load() > int64(n-need) }
	err := r.eachTrial(ctx, trials, len(order), decided, func(t *trial, k int) {
		i := order[k]
		t.draw(int(i))
		var ok bool
		switch {
		case withCapacity:
			ok = t.sched.safe(start)
		case r.certs != nil:
			ok = t.certify(start, upAt, lowAt, &r.certs[i])
		default:
			ok = t.free.safe(start)
		}
		if ok {
			safe.Add(1)
		} else {
			unsafe.Add(1)
		}
		if r.certs != nil {
			r.certs[i].saw(start, ok)
		}
	})
	if err != nil {
		return false, err
	}
	return safe.Load() >= int64(need), nil
}

// order counts the trials that certificates settle at start and returns
// the others in the order to plan them: before any certificates, all in
// turn; then those likely to decide the count first, going by what each
// trial's certificate says and what it was found at other dates. If the
// trials found safe at a later date together with the settled ones reach
// need, or, without HR capacity, if start lies before where the sample
// put the answer (not after it), start is likely to have enough
// (likely), and the trials come in
// the order of how likely they are to be safe at start: first those found
// safe at a later date or the day before, then by how late they are known
// or found not to be safe, latest first. Otherwise they come in the order
// of how likely they are not to be safe: first those found not safe at an
// earlier date or the day after (the walk back under HR capacity), then
// by how late they are known or found to be safe, earliest first.
func (r *riskRun) order(start date.Date, need int, withCapacity bool, safe, unsafe *atomic.Int64) (order []int32, likely bool) {
	n := r.opts.Trials
	if r.certs == nil {
		order := make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		return order, false
	}
	settled := func(c *certificate) bool {
		return start >= c.unsafeFrom || start <= c.safeUntil && !withCapacity
	}
	unsettled, sawSafe := 0, 0
	for i := range r.certs {
		c := &r.certs[i]
		switch {
		case start >= c.unsafeFrom:
			unsafe.Add(1)
		case start <= c.safeUntil && !withCapacity:
			safe.Add(1)
		default:
			unsettled++
			if start <= c.sawSafe {
				sawSafe++
			}
		}
	}
	likely = int(safe.Load())+sawSafe >= need
	if r.around != [2]date.Date{} && !withCapacity {
		// The sample said where the answer without HR capacity lies.
		likely = likely && start <= r.around[1] || start < r.around[0]
	}
	// A counting sort by key, 0 first: every date a certificate holds lies
	// in [low, high].
	low, high := r.window[0]-1, r.window[1]+1
	key := func(c *certificate) int {
		if likely {
			if start <= c.sawSafe+1 {
				return 0
			}
			return 1 + int(high-min(c.unsafeFrom, c.sawUnsafe))
		}
		if start >= c.sawUnsafe-1 {
			return 0
		}
		return 1 + int(max(c.safeUntil, c.sawSafe)-low)
	}
	keys := int(high-low) + 2
	if cap(r.keyCount) < keys+1 {
		r.keyCount = make([]int32, keys+1)
	}
	at := r.keyCount[:keys+1]
	clear(at)
	for i := range r.certs {
		if c := &r.certs[i]; !settled(c) {
			at[key(c)+1]++
		}
	}
	for k := 1; k < len(at); k++ {
		at[k] += at[k-1]
	}
	if cap(r.scratch) < n {
		r.scratch = make([]int32, n)
	}
	r.scratch = r.scratch[:unsettled]
	for i := range r.certs {
		if c := &r.certs[i]; !settled(c) {
			k := key(c)
			r.scratch[at[k]] = int32(i)
			at[k]++
		}
	}
	return r.scratch, likely
}

// drawnEnds ends each phase after its drawn number of days: the
// triangular draw over the phase's days(min), days(likely), days(max) at
// the day the phase starts (docs/risk.md, How a trial works), from the trial's uniform number u.
type drawnEnds struct {
	s      *Scenario
	slot   []int
	spread *Spread
	u      []float64
	days   *phaseDays
}

func (d *drawnEnds) end(p int, phase Phase, start date.Date) date.Date {
	end, _ := d.endAndSlot(p, phase, start)
	return end
}

// endAndSlot is end and the phase's slot, -1 for a fixed phase.
func (d *drawnEnds) endAndSlot(p int, phase Phase, start date.Date) (date.Date, int) {
	span := &d.s.Positions[p].Phases[phase]
	k := d.slot[p*int(phaseCount)+int(phase)]
	if k < 0 {
		return span.Likely.AddTo(start), k
	}
	a, c, b, ok := d.days.at(k, start)
	switch {
	case ok:
	case span.Ranged:
		a, c, b = sort3(daysFrom3(start, &span.Min, &span.Likely, &span.Max))
	default:
		c = span.Likely.DaysFrom(start)
	}
	var low, mode, high float64
	if span.Ranged {
		low, mode, high = float64(a), float64(c), float64(b)
	} else {
		spread := d.spread[phase]
		mode = float64(c)
		low, high = spread.Min*mode, spread.Max*mode
	}
	n := int(math.Floor(triangular(d.u[k], low, mode, high) + 0.5))
	return start + date.Date(n), k
}

// triangular is the inverse of the triangular distribution's CDF over
// [a, b] with mode c, at u in [0, 1).
func triangular(u, a, c, b float64) float64 {
	if b <= a {
		return a
	}
	if u < (c-a)/(b-a) {
		return a + math.Sqrt(u*(b-a)*(c-a))
	}
	return b - math.Sqrt((1-u)*(b-a)*(b-c))
}

func sort3(a, b, c int) (int, int, int) {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b, c = c, b
	}
	if a > b {
		a, b = b, a
	}
	return a, b, c
}

// MarshalJSON writes the risk run's document (docs/api.md), with "confidence" and
// "latest_decision" after the summary when a confidence was asked for.
func (r *Risk) MarshalJSON() ([]byte, error) {
	type positionJSON struct {
		ID                  string    `json:"id"`
		PProductiveByEnd    float64   `json:"p_productive_by_end"`
		PMeetsMinProductive float64   `json:"p_meets_min_productive"`
		ProductiveP10       date.Date `json:"productive_p10"`
		ProductiveP50       date.Date `json:"productive_p50"`
		ProductiveP90       date.Date `json:"productive_p90"`
	}
	type summaryJSON struct {
		PAllSafe               float64 `json:"p_all_safe"`
		ProductiveFTEMonthsP10 Decimal `json:"productive_fte_months_p10"`
		ProductiveFTEMonthsP50 Decimal `json:"productive_fte_months_p50"`
		ProductiveFTEMonthsP90 Decimal `json:"productive_fte_months_p90"`
		OwnShareP10            Decimal `json:"own_share_p10"`
		OwnShareP50            Decimal `json:"own_share_p50"`
		OwnShareP90            Decimal `json:"own_share_p90"`
	}
	type riskJSON struct {
		Trials         int            `json:"trials"`
		Seed           uint64         `json:"seed"`
		Positions      []positionJSON `json:"positions"`
		Summary        summaryJSON    `json:"summary"`
		Confidence     float64        `json:"confidence"`
		LatestDecision *date.Date     `json:"latest_decision"`
	}
	out := riskJSON{
		Trials: r.Trials, Seed: r.Seed, Positions: make([]positionJSON, len(r.Positions)), Summary: summaryJSON(r.Summary),
		Confidence: r.Confidence, LatestDecision: r.LatestDecision,
	}
	for i, p := range r.Positions {
		out.Positions[i] = positionJSON(p)
	}
	if r.Confidence == 0 {
		type withoutDecision struct {
			Trials    int            `json:"trials"`
			Seed      uint64         `json:"seed"`
			Positions []positionJSON `json:"positions"`
			Summary   summaryJSON    `json:"summary"`
		}
		return json.Marshal(withoutDecision{out.Trials, out.Seed, out.Positions, out.Summary})
	}
	return json.Marshal(out)
}

// ParseSpread reads the text form of a spread, as the command line and
// the query strings take it: "0.8:1.5" for every phase, or one phase as
// "recruiting=0.8:1.5"; several parts are separated by commas.
func ParseSpread(text string) (Spread, error) {
	var spread Spread
	return spread, spread.Set(text)
}

// Set adds the parts of a spread's text form to s; a later part for the
// same phase wins. With Set, a *Spread is a flag.Value.
func (s *Spread) Set(text string) error {
	for part := range strings.SplitSeq(text, ",") {
		phases := []Phase{Recruiting, Notice, Onboarding}
		factors := strings.TrimSpace(part)
		if name, rest, ok := strings.Cut(factors, "="); ok {
			phase, known := parsePhase(strings.TrimSpace(name))
			if !known {
				return fmt.Errorf("%q is not a phase: recruiting, notice or onboarding", name)
			}
			phases, factors = []Phase{phase}, rest
		}
		low, high, ok := strings.Cut(factors, ":")
		if !ok {
			return fmt.Errorf("%q is not MIN:MAX, e.g. 0.8:1.5", factors)
		}
		r := new(SpreadRange)
		var err error
		if r.Min, err = strconv.ParseFloat(strings.TrimSpace(low), 64); err != nil {
			return fmt.Errorf("%q is not a number", low)
		}
		if r.Max, err = strconv.ParseFloat(strings.TrimSpace(high), 64); err != nil {
			return fmt.Errorf("%q is not a number", high)
		}
		for _, phase := range phases {
			s[phase] = r
		}
	}
	return nil
}

// String writes s in its text form.
func (s *Spread) String() string {
	var parts []string
	for phase, r := range s {
		if r != nil {
			parts = append(parts, fmt.Sprintf("%s=%v:%v", Phase(phase), r.Min, r.Max))
		}
	}
	return strings.Join(parts, ",")
}

func parsePhase(s string) (Phase, bool) {
	for i, name := range phaseNames {
		if s == name {
			return Phase(i), true
		}
	}
	return 0, false
}
