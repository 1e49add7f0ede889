package planner

import (
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
func (sc *scheduler) runWithCapacity(start date.Date, stopWhenUnsafe bool) bool {
	s := sc.s
	sc.waiting = append(sc.waiting[:0], s.graph.waiting...)
	sc.queue = sc.queue[:0]
	sc.running.reset()
	for p, n := range sc.waiting {
		if n == 0 {
			sc.queue = append(sc.queue, readyItem{ready: sc.ready(p, start), position: p})
		}
	}
	sc.queue.init()
	for len(sc.queue) > 0 {
		next := sc.queue.pop()
		p := next.position
		hiringStart := sc.running.earliestStart(next.ready, s.HRCapacity, func(t date.Date) date.Date {
			return sc.ends.end(p, Recruiting, t)
		})
		sc.setTimes(p, next.ready, hiringStart)
		if stopWhenUnsafe && !s.positionSafe(p, &sc.times[p]) {
			return false
		}
		sc.running.add(hiringStart, sc.times[p].Recruited)
		s.graph.release(s, p, func(q int) {
			sc.waiting[q]--
			if sc.waiting[q] == 0 {
				sc.queue.push(readyItem{ready: sc.ready(q, start), position: q})
			}
		})
	}
	return true
}

type readyItem struct {
	ready    date.Date
	position int
}

// readyQueue is a binary min-heap of positions ordered by ready date, then
// input order. It is written out rather than built on container/heap,
// whose interface boxes every item: a risk run pushes millions.
type readyQueue []readyItem

func (q readyQueue) less(i, j int) bool {
	if q[i].ready != q[j].ready {
		return q[i].ready < q[j].ready
	}
	return q[i].position < q[j].position
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
type timeline struct {
	points []date.Date
	counts []int
}

func (tl *timeline) reset() {
	tl.points, tl.counts = tl.points[:0], tl.counts[:0]
}

// add records a recruitment running on the days [from, until).
func (tl *timeline) add(from, until date.Date) {
	if from >= until {
		return // a recruiting period of P0D occupies nothing
	}
	first := tl.split(from)
	last := tl.split(until)
	for i := first; i < last; i++ {
		tl.counts[i]++
	}
}

// split makes day a change point and returns its index.
func (tl *timeline) split(day date.Date) int {
	i := sort.Search(len(tl.points), func(i int) bool { return tl.points[i] >= day })
	if i < len(tl.points) && tl.points[i] == day {
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

// lastFullDay returns the last day of [from, until) on which at least
// capacity recruitments run.
func (tl *timeline) lastFullDay(from, until date.Date, capacity int) (date.Date, bool) {
	if from >= until {
		return 0, false // an empty recruitment (P0D) occupies no day
	}
	i := sort.Search(len(tl.points), func(i int) bool { return tl.points[i] > from }) - 1
	i = max(i, 0)
	var last date.Date
	full := false
	for ; i < len(tl.points) && tl.points[i] < until; i++ {
		if tl.counts[i] >= capacity && i+1 < len(tl.points) {
			last, full = min(tl.points[i+1], until)-1, true
		}
	}
	return last, full
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
// capacity recruitments run. A full day cannot begin a recruitment of at
// least a day, so the search skips whole runs of them at once, which
// matters when HR is booked solid for years.
func (tl *timeline) firstFreeDay(from date.Date, capacity int) date.Date {
	i := sort.Search(len(tl.points), func(i int) bool { return tl.points[i] > from }) - 1
	for i >= 0 && i+1 < len(tl.points) && tl.counts[i] >= capacity {
		i++
		from = tl.points[i]
	}
	return from
}
