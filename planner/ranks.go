package planner

import (
	"slices"

	"github.com/rickb777/date/v2"
)

// The risk run reports each position's nearest-rank percentiles of the
// productive date over all trials (docs/risk.md). Keeping every date
// would cost a date per trial and position, gigabytes for 5,000 posts and
// 100,000 trials; a counter per day costs as much once the dates spread
// over centuries, which periods of up to 120,000 years allow. So a
// rankFinder works in passes over the trials, each in memory bounded
// whatever the trials and the spread:
//
//   - The first pass counts each position's dates day by day within a
//     window of at most windowDays days that grows where the dates fall,
//     keeps up to spillDates of the dates outside it, and otherwise only
//     counts those as before or after it. A rank that falls in the window,
//     or outside it while the spill still holds every date there, is
//     exact at once; for the dates of any real scenario that is all.
//   - Otherwise the trials are replayed (a trial's dates depend on the
//     seed and its number alone), counting only the dates in the range
//     that holds the rank: in at most refineBuckets buckets of equal
//     width, or one by one when the range holds few dates. Each replay
//     narrows the range by the number of buckets, until it is one day.
//
// So the answer is exactly the k-th smallest date, as if every date had
// been kept and sorted.

const (
	// spillDates is how many dates outside its window a position keeps.
	spillDates = 64
	// The windows of all positions together hold at most about
	// windowCounters counters, each window a power of two between
	// minWindowDays and maxWindowDays days (2.8 and 22 years).
	windowCounters = 1 << 24
	minWindowDays  = 1 << 10
	maxWindowDays  = 1 << 13
	// The replays' open ranks together hold at most refineCounters
	// counters, each between minRefineBuckets and maxRefineBuckets, and a
	// list of half as many dates.
	refineCounters   = 1 << 22
	minRefineBuckets = 64
	maxRefineBuckets = 4096
)

// windowDays is the widest window of the first pass for a scenario of n
// positions.
func windowDays(n int) int {
	days := minWindowDays
	for days < maxWindowDays && 2*days*max(n, 1) <= windowCounters {
		days *= 2
	}
	return days
}

// refineBuckets is how many buckets each of n open ranks gets in a replay.
func refineBuckets(n int) int {
	return min(max(refineCounters/max(n, 1), minRefineBuckets), maxRefineBuckets)
}

// A rankFinder finds, for every position, the dates of the given ranks
// among the dates it is fed: once in a first pass (add), then in replays
// of the same dates (feed) while settle reports ranks still open.
type rankFinder struct {
	ranks   []int // ascending, each 1 … the number of dates per position
	window  int
	windows []windowCounts // per position, in the first pass
	// answers[p*len(ranks)+j] is position p's date of rank ranks[j].
	answers []date.Date
	// open lists the ranks the replays still look for, and byPosition the
	// indexes in open of each position's.
	open       []rankQuery
	byPosition [][]int
	// buckets is how many buckets each open rank counts in, fixed at the
	// first replay, so that the replays allocate their counters once.
	buckets int
}

func newRankFinder(positions int, ranks []int) *rankFinder {
	return &rankFinder{
		ranks:   ranks,
		window:  windowDays(positions),
		windows: make([]windowCounts, positions),
		answers: make([]date.Date, positions*len(ranks)),
	}
}

// add counts one of position p's dates in the first pass.
func (f *rankFinder) add(p int, d date.Date) {
	f.windows[p].add(d, f.window)
}

// settle ends the first pass or a replay and reports whether another
// replay is needed.
func (f *rankFinder) settle() bool {
	if f.windows != nil {
		f.byPosition = make([][]int, len(f.windows))
		for p := range f.windows {
			f.windows[p].ranks(p, f.ranks, f.answers[p*len(f.ranks):], &f.open)
		}
		f.windows = nil // the first pass's counters are done with
	} else {
		for i := range f.open {
			f.open[i].finish()
		}
	}
	kept := f.open[:0]
	for _, q := range f.open {
		if q.done {
			f.answers[q.position*len(f.ranks)+q.index] = q.answer
		} else {
			kept = append(kept, q)
		}
	}
	f.open = kept
	for p := range f.byPosition {
		f.byPosition[p] = f.byPosition[p][:0]
	}
	if f.buckets == 0 {
		f.buckets = refineBuckets(len(f.open))
	}
	for i := range f.open {
		f.open[i].prepare(f.buckets)
		p := f.open[i].position
		f.byPosition[p] = append(f.byPosition[p], i)
	}
	return len(f.open) > 0
}

// feed counts one of position p's dates in a replay.
func (f *rankFinder) feed(p int, d date.Date) {
	for _, i := range f.byPosition[p] {
		f.open[i].add(d)
	}
}

// wanted reports whether a replay needs position p's dates.
func (f *rankFinder) wanted(p int) bool { return len(f.byPosition[p]) > 0 }

// answer returns position p's date of rank ranks[j].
func (f *rankFinder) answer(p, j int) date.Date { return f.answers[p*len(f.ranks)+j] }

// windowCounts counts one position's dates in the first pass: one by one
// within the window [lo, hi), and as before or after it otherwise. The
// window grows towards a date outside it as long as it stays at most
// window days wide. A date it cannot take lies more than that from the
// window's far end, and the far end only moves away from it, so the
// window never grows over a date counted as outside.
type windowCounts struct {
	// counts is a ring: counts[d & (len(counts)-1)] counts the day d of
	// the window. Its length is a power of two, doubled as the window
	// grows, up to window days.
	counts []uint32
	lo, hi date.Date // lo == hi before the first date
	// before and after count the dates outside the window; lowest and
	// highest are the first and last of them.
	before, after   int
	lowest, highest date.Date
	// spill holds the dates outside the window while there are at most
	// spillDates of them; spilled tells that there were more.
	spill   []date.Date
	spilled bool
}

func (w *windowCounts) add(d date.Date, window int) {
	switch {
	case d >= w.lo && d < w.hi:
	case w.lo == w.hi:
		w.grow(d, d+1, window)
	case d < w.lo && w.hi-d <= date.Date(window):
		w.grow(d, w.hi, window)
	case d >= w.hi && d+1-w.lo <= date.Date(window):
		w.grow(w.lo, d+1, window)
	default:
		w.outside(d)
		return
	}
	w.counts[d&date.Date(len(w.counts)-1)]++
}

// outside counts a date that the window cannot take.
func (w *windowCounts) outside(d date.Date) {
	if w.before+w.after == 0 {
		w.lowest, w.highest = d, d
	}
	w.lowest, w.highest = min(w.lowest, d), max(w.highest, d)
	if d < w.lo {
		w.before++
	} else {
		w.after++
	}
	switch {
	case w.spilled:
	case len(w.spill) < spillDates:
		w.spill = append(w.spill, d)
	default:
		w.spill, w.spilled = nil, true
	}
}

// grow makes the window [lo, hi), doubling the ring until it holds it.
func (w *windowCounts) grow(lo, hi date.Date, window int) {
	size := max(len(w.counts), 16)
	for size < int(hi-lo) {
		size *= 2
	}
	if size != len(w.counts) {
		counts := make([]uint32, min(size, window))
		for d := w.lo; d < w.hi; d++ {
			counts[d&date.Date(len(counts)-1)] = w.counts[d&date.Date(len(w.counts)-1)]
		}
		w.counts = counts
	}
	w.lo, w.hi = lo, hi
}

// ranks writes the dates of the ascending ranks to answers, or appends a
// query for a replay to open where the counts do not tell the date. The
// spill, sorted, holds the dates before the window, then those after it.
func (w *windowCounts) ranks(p int, ranks []int, answers []date.Date, open *[]rankQuery) {
	slices.Sort(w.spill)
	mask := date.Date(len(w.counts) - 1)
	inside := 0
	for d := w.lo; d < w.hi; d++ {
		inside += int(w.counts[d&mask])
	}
	day, seen := w.lo, w.before
	for j, k := range ranks {
		switch {
		case k <= w.before && w.spilled:
			*open = append(*open, rankQuery{position: p, index: j, rank: k, from: w.lowest, to: w.lo - 1, count: w.before})
		case k <= w.before:
			answers[j] = w.spill[k-1]
		case k > w.before+inside && w.spilled:
			*open = append(*open, rankQuery{position: p, index: j, rank: k - w.before - inside, from: w.hi, to: w.highest, count: w.after})
		case k > w.before+inside:
			answers[j] = w.spill[k-inside-1]
		default:
			for seen+int(w.counts[day&mask]) < k {
				seen += int(w.counts[day&mask])
				day++
			}
			answers[j] = day
		}
	}
}

// A rankQuery looks for the rank-th smallest of one position's dates in
// [from, to], which holds count of them, for the finder's rank index.
type rankQuery struct {
	position, index int
	rank, count     int
	from, to        date.Date
	answer          date.Date
	done            bool

	// In a replay: the dates one by one (list), or counts per bucket of
	// width days from from on (buckets); both allocated at the first.
	list    []date.Date
	buckets []uint32
	width   date.Date
}

// prepare sets up the counting of the next replay: one by one when the
// range holds at most half as many dates as there are buckets.
func (q *rankQuery) prepare(buckets int) {
	if q.list == nil {
		q.list, q.buckets = make([]date.Date, 0, buckets/2), make([]uint32, buckets)
	}
	q.width = 0
	if q.count <= buckets/2 {
		q.list = q.list[:0]
		return
	}
	span := q.to - q.from + 1
	q.width = (span + date.Date(buckets) - 1) / date.Date(buckets)
	q.buckets = q.buckets[:(span+q.width-1)/q.width]
	clear(q.buckets)
}

func (q *rankQuery) add(d date.Date) {
	switch {
	case d < q.from || d > q.to:
	case q.width > 0:
		q.buckets[(d-q.from)/q.width]++
	default:
		q.list = append(q.list, d)
	}
}

// finish narrows the query to what the replay counted.
func (q *rankQuery) finish() {
	if q.width == 0 {
		slices.Sort(q.list)
		q.answer, q.done = q.list[q.rank-1], true
	} else {
		for i, c := range q.buckets {
			if q.rank <= int(c) {
				q.from += date.Date(i) * q.width
				q.to = min(q.to, q.from+q.width-1)
				q.count = int(c)
				break
			}
			q.rank -= int(c)
		}
		q.done = q.from == q.to
		q.answer = q.from
	}
	if q.done {
		q.list, q.buckets = nil, nil
	}
}
