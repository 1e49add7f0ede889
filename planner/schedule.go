package planner

import (
	"cmp"
	"slices"
	"sort"

	"github.com/rickb777/date/v2"
)

// phaseEnds tells when a phase of a position ends that starts on a given
// day. The plan adds the likely period; a risk trial adds drawn days.
type phaseEnds interface {
	end(position int, phase Phase, start date.Date) date.Date
}

// likelyEnds ends every phase after its likely period.
type likelyEnds struct{ s *Scenario }

func (l likelyEnds) end(position int, phase Phase, start date.Date) date.Date {
	return l.s.Positions[position].Phases[phase].Likely.AddTo(start)
}

// A scheduler computes the dates of docs/scenario.md, The schedule, for one scenario; it keeps its
// scratch space between runs, so a search that plans many start dates does
// not allocate for each. A scheduler is not safe for concurrent use.
type scheduler struct {
	s     *Scenario
	ends  phaseEnds
	times []Times

	slots   []gateSlot
	runs    int // numbers the runs, so slots need no clearing
	waiting []int
	queue   readyQueue
	running timeline
	// The positions that wait for nobody, in input order and by earliest
	// date, and the scratch space of roots.
	byIndex, byEarliest, rootOrder []int
	// watch, when set, lets safe give up early under HR capacity;
	// scheduled[p] is the number of the run that scheduled p.
	watch     *deadlineWatch
	scheduled []int
}

func newScheduler(s *Scenario, ends phaseEnds) *scheduler {
	return &scheduler{s: s, ends: ends, times: make([]Times, len(s.Positions)), slots: make([]gateSlot, s.gateSlots)}
}

// run schedules every position for a decision on start and returns the
// dates, indexed like the positions; they are valid until the next run.
func (sc *scheduler) run(start date.Date) []Times {
	sc.schedule(start, false)
	return sc.times
}

// safe reports whether a decision on start leaves every position safe
// (positionSafe). It stops at the first position that is not.
func (sc *scheduler) safe(start date.Date) bool {
	return sc.schedule(start, true)
}

// safeUpTo reports whether a decision on start, without HR capacity,
// leaves safe the positions of the topological order up to its index
// last.
func (sc *scheduler) safeUpTo(start date.Date, last int) bool {
	sc.runs++
	for _, p := range sc.s.order[:last+1] {
		ready := sc.ready(p, start)
		sc.setTimes(p, ready, ready)
		if !sc.s.positionSafe(p, &sc.times[p]) {
			return false
		}
	}
	return true
}

// schedule computes the dates; with stopWhenUnsafe it gives up, returning
// false, at the first position that is not safe.
func (sc *scheduler) schedule(start date.Date, stopWhenUnsafe bool) bool {
	sc.runs++
	if sc.s.HRCapacity > 0 {
		return sc.runWithCapacity(start, stopWhenUnsafe)
	}
	for _, p := range sc.s.order {
		ready := sc.ready(p, start)
		sc.setTimes(p, ready, ready)
		if stopWhenUnsafe && !sc.s.positionSafe(p, &sc.times[p]) {
			return false
		}
	}
	return true
}

// setTimes derives a position's dates from its hiring start.
func (sc *scheduler) setTimes(p int, ready, hiringStart date.Date) {
	t := &sc.times[p]
	t.Ready, t.HiringStart = ready, hiringStart
	t.Recruited = sc.ends.end(p, Recruiting, hiringStart)
	t.Filled = sc.s.Positions[p].StartOn.align(sc.ends.end(p, Notice, t.Recruited))
	t.Productive = sc.ends.end(p, Onboarding, t.Filled)
}

// ready is max(start, earliest, every gate) for a position whose
// dependencies are all scheduled.
func (sc *scheduler) ready(p int, start date.Date) date.Date {
	position := &sc.s.Positions[p]
	ready := max(start, position.Earliest)
	for i := range position.After {
		ready = max(ready, sc.gate(&position.After[i]))
	}
	return ready
}

// gate is the date the dependency opens: the Count-th earliest event date
// among its members, plus the lag.
func (sc *scheduler) gate(dep *Dependency) date.Date {
	if dep.slot < 0 {
		return dep.Lag.AddTo(sc.times[dep.Members[0]].at(dep.Event))
	}
	return dep.Lag.AddTo(sc.sortedEvents(dep)[dep.Count-1])
}

// sortedEvents returns the members' event dates in order. Every position
// waiting on the same group, event and excluded member shares one slot,
// filled on first use in a run: by then all those members are scheduled,
// since each waiting position waits for all of them.
func (sc *scheduler) sortedEvents(dep *Dependency) []date.Date {
	slot := &sc.slots[dep.slot]
	if slot.run == sc.runs {
		return slot.sorted
	}
	slot.run = sc.runs
	slot.sorted = slot.sorted[:0]
	dep.waitsFor(func(m int) { slot.sorted = append(slot.sorted, sc.times[m].at(dep.Event)) })
	slices.Sort(slot.sorted)
	return slot.sorted
}

// gateSlot holds one group's sorted event dates for the run numbered run.
type gateSlot struct {
	run    int
	sorted []date.Date
}

// runWithCapacity schedules one position at a time (docs/scenario.md, HR capacity): of those
// whose dependencies are all scheduled, the one with the earliest ready
// date (ties: input order) takes the earliest hiring start at which fewer
// than HRCapacity recruitments run on every day of its own recruitment.
//
// The positions that wait for nobody come from a list in that order (see
// roots); only the others, as their dependencies are scheduled, go
// through the heap.
func (sc *scheduler) runWithCapacity(start date.Date, stopWhenUnsafe bool) bool {
	s := sc.s
	sc.waiting = append(sc.waiting[:0], s.graph.waiting...)
	sc.queue = sc.queue[:0]
	sc.running.reset()
	if stopWhenUnsafe && sc.watch != nil {
		sc.watch.reset(sc.s, start)
	}
	roots := sc.roots(start)
	for len(roots) > 0 || len(sc.queue) > 0 {
		var next readyItem
		if len(roots) > 0 {
			next = readyItem{ready: sc.ready(roots[0], start), position: roots[0]}
		}
		if len(sc.queue) > 0 && (len(roots) == 0 || sc.queue[0].before(next)) {
			next = sc.queue.pop()
		} else {
			roots = roots[1:]
		}
		p := next.position
		hiringStart := sc.running.earliestStart(next.ready, s.HRCapacity, func(t date.Date) date.Date {
			return sc.ends.end(p, Recruiting, t)
		})
		sc.setTimes(p, next.ready, hiringStart)
		if stopWhenUnsafe && !s.positionSafe(p, &sc.times[p]) {
			return false
		}
		sc.running.add(hiringStart, sc.times[p].Recruited)
		if stopWhenUnsafe && sc.watch != nil {
			sc.scheduled[p] = sc.runs
			if sc.watch.lost(sc, start) {
				return false
			}
		}
		s.graph.release(s, p, func(q int) {
			sc.waiting[q]--
			if sc.waiting[q] == 0 {
				sc.queue.push(readyItem{ready: sc.ready(q, start), position: q})
			}
		})
	}
	return true
}

// roots returns the positions that wait for nobody, ordered by ready date
// (max(start, earliest)) and then input order: those ready on the start
// day in input order, then the rest by earliest date. The two orders are
// sorted once per scheduler, so a run only filters.
func (sc *scheduler) roots(start date.Date) []int {
	s := sc.s
	if sc.byEarliest == nil {
		for p, n := range s.graph.waiting {
			if n == 0 {
				sc.byIndex = append(sc.byIndex, p)
			}
		}
		sc.byEarliest = slices.Clone(sc.byIndex)
		slices.SortStableFunc(sc.byEarliest, func(a, b int) int {
			return cmp.Compare(s.Positions[a].Earliest, s.Positions[b].Earliest)
		})
		sc.rootOrder = make([]int, 0, len(sc.byIndex))
	}
	later, _ := slices.BinarySearchFunc(sc.byEarliest, start+1, func(p int, day date.Date) int {
		return cmp.Compare(s.Positions[p].Earliest, day)
	})
	if later == len(sc.byEarliest) {
		return sc.byIndex
	}
	sc.rootOrder = sc.rootOrder[:0]
	for _, p := range sc.byIndex {
		if s.Positions[p].Earliest <= start {
			sc.rootOrder = append(sc.rootOrder, p)
		}
	}
	return append(sc.rootOrder, sc.byEarliest[later:]...)
}

// A deadlineWatch lets a scheduler with likely periods and HR capacity
// find an unsafe decision date before the position that fails is
// scheduled. Such a position is safe exactly when it starts hiring by its
// deadline, its latest hiring start: its dates only move later with its
// hiring start. One not yet scheduled will start hiring no earlier than
// max(start, earliest), and, if its recruitment takes a day at least, not
// on a day that is full already; a run only adds recruitments, so a full
// day stays full. Once the first free day from there lies past the
// deadline, the position is lost, and with it the decision date.
type deadlineWatch struct {
	deadline []date.Date
	// The positions whose recruitment takes a day at least, by deadline
	// and by earliest date.
	byDeadline, byEarliest []int

	// In a run: byDeadline[next] is the first position with the earliest
	// deadline that may be unscheduled and have no earliest date after
	// the start; late holds those with one, checked one per turn.
	next, turn int
	late       []int
}

// newDeadlineWatch watches the positions of s against deadline, indexed
// like them.
func newDeadlineWatch(s *Scenario, deadline []date.Date) *deadlineWatch {
	w := &deadlineWatch{deadline: deadline}
	for p := range s.Positions {
		if !s.Positions[p].Phases[Recruiting].Likely.IsZero() {
			w.byDeadline = append(w.byDeadline, p)
		}
	}
	w.byEarliest = slices.Clone(w.byDeadline)
	slices.SortStableFunc(w.byDeadline, func(a, b int) int { return cmp.Compare(deadline[a], deadline[b]) })
	slices.SortStableFunc(w.byEarliest, func(a, b int) int {
		return cmp.Compare(s.Positions[a].Earliest, s.Positions[b].Earliest)
	})
	return w
}

func (w *deadlineWatch) reset(s *Scenario, start date.Date) {
	w.next, w.turn = 0, 0
	later, _ := slices.BinarySearchFunc(w.byEarliest, start+1, func(p int, day date.Date) int {
		return cmp.Compare(s.Positions[p].Earliest, day)
	})
	w.late = w.byEarliest[later:]
}

// lost reports whether some position not yet scheduled can no longer be
// safe: the one with the earliest deadline among those ready from the
// start on, and one of those with a later earliest date.
func (w *deadlineWatch) lost(sc *scheduler, start date.Date) bool {
	s := sc.s
	for ; w.next < len(w.byDeadline); w.next++ {
		p := w.byDeadline[w.next]
		if sc.scheduled[p] != sc.runs && s.Positions[p].Earliest <= start {
			if sc.running.firstFreeDay(start, s.HRCapacity) > w.deadline[p] {
				return true
			}
			break
		}
	}
	if len(w.late) == 0 {
		return false
	}
	w.turn = (w.turn + 1) % len(w.late)
	p := w.late[w.turn]
	return sc.scheduled[p] != sc.runs && sc.running.firstFreeDay(s.Positions[p].Earliest, s.HRCapacity) > w.deadline[p]
}

type readyItem struct {
	ready    date.Date
	position int
}

// readyQueue is a binary min-heap of positions ordered by ready date, then
// input order. It is written out rather than built on container/heap,
// whose interface boxes every item: a risk run pushes millions.
type readyQueue []readyItem

func (q readyQueue) less(i, j int) bool { return q[i].before(q[j]) }

// before orders items by ready date, then input order.
func (a readyItem) before(b readyItem) bool {
	if a.ready != b.ready {
		return a.ready < b.ready
	}
	return a.position < b.position
}

func (q readyQueue) init() {
	for i := len(q)/2 - 1; i >= 0; i-- {
		q.down(i)
	}
}

func (q *readyQueue) push(item readyItem) {
	*q = append(*q, item)
	h := *q
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			break
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

func (q *readyQueue) pop() readyItem {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	*q = h[:last]
	q.down(0)
	return top
}

func (q readyQueue) down(i int) {
	for {
		smallest, left := i, 2*i+1
		if left < len(q) && q.less(left, smallest) {
			smallest = left
		}
		if right := left + 1; right < len(q) && q.less(right, smallest) {
			smallest = right
		}
		if smallest == i {
			return
		}
		q[i], q[smallest] = q[smallest], q[i]
		i = smallest
	}
}

// A timeline counts the recruitments running on each day, as a step
// function: counts[i] run on every day of [points[i], points[i+1]), none
// before points[0], and none from the last point on.
//
// For the capacity of its last query it also keeps the full days (at
// least capacity running) as sorted, disjoint, non-touching runs. A
// scheduler only adds recruitments, so a full day stays full until the
// next reset, and both questions of earliestStart take a binary search
// over the runs instead of a walk over the points: with HR booked solid
// for years, that walk crossed thousands of points for every position.
type timeline struct {
	points []date.Date
	counts []int

	capacity int        // the capacity full holds the runs for; 0 before the first query
	full     []dayRange // the runs of full days, in order
}

// A dayRange is the days [from, until).
type dayRange struct{ from, until date.Date }

func (tl *timeline) reset() {
	tl.points, tl.counts, tl.full = tl.points[:0], tl.counts[:0], tl.full[:0]
}

// add records a recruitment running on the days [from, until).
func (tl *timeline) add(from, until date.Date) {
	if from >= until {
		return // a recruiting period of P0D occupies nothing
	}
	filled := dayRange{}
	for i := tl.split(from); tl.points[i] < until; i++ {
		if i+1 == len(tl.points) || tl.points[i+1] > until {
			// until lies inside this step: make it a change point.
			tl.points = slices.Insert(tl.points, i+1, until)
			tl.counts = slices.Insert(tl.counts, i+1, tl.counts[i])
		}
		tl.counts[i]++
		if tl.counts[i] != tl.capacity {
			continue
		}
		// Days that have just become full; neighbours join one run.
		if filled.until != tl.points[i] {
			tl.markFull(filled)
			filled.from = tl.points[i]
		}
		filled.until = tl.points[i+1]
	}
	tl.markFull(filled)
}

// split makes day a change point and returns its index.
func (tl *timeline) split(day date.Date) int {
	i, found := slices.BinarySearch(tl.points, day)
	if found {
		return i
	}
	count := 0
	if i > 0 {
		count = tl.counts[i-1]
	}
	tl.points = slices.Insert(tl.points, i, day)
	tl.counts = slices.Insert(tl.counts, i, count)
	return i
}

// markFull adds the days of r, which were not full, to the runs.
func (tl *timeline) markFull(r dayRange) {
	if r.from >= r.until {
		return
	}
	i := sort.Search(len(tl.full), func(i int) bool { return tl.full[i].from > r.from })
	joinsPrevious := i > 0 && tl.full[i-1].until == r.from
	joinsNext := i < len(tl.full) && tl.full[i].from == r.until
	switch {
	case joinsPrevious && joinsNext:
		tl.full[i-1].until = tl.full[i].until
		tl.full = slices.Delete(tl.full, i, i+1)
	case joinsPrevious:
		tl.full[i-1].until = r.until
	case joinsNext:
		tl.full[i].from = r.from
	default:
		tl.full = slices.Insert(tl.full, i, r)
	}
}

// runsFor makes full hold the runs for capacity, rebuilding them when the
// last query asked about another one.
func (tl *timeline) runsFor(capacity int) {
	if capacity == tl.capacity {
		return
	}
	tl.capacity, tl.full = capacity, tl.full[:0]
	for i := 0; i+1 < len(tl.points); i++ {
		if tl.counts[i] < capacity {
			continue
		}
		if n := len(tl.full); n > 0 && tl.full[n-1].until == tl.points[i] {
			tl.full[n-1].until = tl.points[i+1]
		} else {
			tl.full = append(tl.full, dayRange{tl.points[i], tl.points[i+1]})
		}
	}
}

// fullRunAt returns the index of the last run that starts on or before
// day, or -1.
func (tl *timeline) fullRunAt(day date.Date) int {
	return sort.Search(len(tl.full), func(i int) bool { return tl.full[i].from > day }) - 1
}

// lastFullDay returns the last day of [from, until) on which at least
// capacity recruitments run.
func (tl *timeline) lastFullDay(from, until date.Date, capacity int) (date.Date, bool) {
	if from >= until {
		return 0, false // an empty recruitment (P0D) occupies no day
	}
	tl.runsFor(capacity)
	i := tl.fullRunAt(until - 1)
	if i < 0 || tl.full[i].until <= from {
		return 0, false
	}
	return min(tl.full[i].until, until) - 1, true
}

// earliestStart returns the earliest day t ≥ ready such that fewer than
// capacity recruitments run on every day of [t, end(t)). A blocked day u
// rules out every t ≤ u whose recruitment would cover it, and since end
// never moves back as t moves on, the search jumps to the day after the
// last blocked day.
func (tl *timeline) earliestStart(ready date.Date, capacity int, end func(date.Date) date.Date) date.Date {
	if end(ready) <= ready {
		return ready // a recruitment of no days needs no place
	}
	t := ready
	for {
		t = tl.firstFreeDay(t, capacity)
		blocked, full := tl.lastFullDay(t, end(t), capacity)
		if !full {
			return t
		}
		t = blocked + 1
	}
}

// firstFreeDay returns the first day on or after from on which fewer than
// capacity recruitments run: from itself, or the end of the run of full
// days it lies in.
func (tl *timeline) firstFreeDay(from date.Date, capacity int) date.Date {
	tl.runsFor(capacity)
	if i := tl.fullRunAt(from); i >= 0 && from < tl.full[i].until {
		return tl.full[i].until
	}
	return from
}
