package planner

import "github.com/rickb777/date/v2"

// A drawn phase needs the days its periods span from the day it starts:
// days(min), days(likely) and days(max) for a range, days(likely) for a
// spread. Worked out from the calendar that is a month lookup and three
// additions of months, about a quarter of a trial's time; a risk run
// plans millions of phases, most of them of the few kinds the scenario's
// defaults give, starting within a few years. So it looks the days up
// instead, in a table per kind of phase and day of a window of years
// (a trial of 200 ranged posts takes 15 µs instead of 19.5); the table
// holds what the calendar says, so the answers are the same.

// phaseDaysBudget bounds the bytes of a run's tables: kinds beyond it
// work out their days from the calendar.
const phaseDaysBudget = 4 << 20

// phaseDaysYears is how many years after the latest decision date the
// tables reach: phases that start later work out their days from the
// calendar.
const phaseDaysYears = 8

// phaseDays holds the tables of a run, shared by its workers.
type phaseDays struct {
	first date.Date // the first day of every table
	// rows holds the tables one after the other: row d − first of a
	// table, the sorted days of a range's periods from d, or
	// days(likely) three times for a spread; a kind whose periods have
	// no months has one row for every day.
	rows [][3]int32
	// table is each slot's table: where it starts in rows and how many
	// rows it has (0: none).
	table []tableSpan
}

// A tableSpan is where a table lies in phaseDays.rows.
type tableSpan struct{ at, rows int32 }

// phaseKind tells drawn phases apart whose days are the same on every
// day: a range's periods, or a spread's likely period.
type phaseKind struct {
	ranged  bool
	periods [3]Period
}

// kindOf returns the kind of drawn phase of p.
func (s *Scenario) kindOf(p int, phase Phase) phaseKind {
	span := &s.Positions[p].Phases[phase]
	if span.Ranged {
		return phaseKind{true, [3]Period{span.Min, span.Likely, span.Max}}
	}
	return phaseKind{periods: [3]Period{1: span.Likely}}
}

// monthly reports whether any period of the kind has months, so that
// its days depend on the day it starts.
func (k *phaseKind) monthly() bool {
	for _, p := range k.periods {
		if p.totalMonths() > 0 {
			return true
		}
	}
	return false
}

// days returns the kind's days from d: sorted for a range.
func (k *phaseKind) days(d date.Date) (int, int, int) {
	if k.ranged {
		return sort3(daysFrom3(d, &k.periods[0], &k.periods[1], &k.periods[2]))
	}
	c := k.periods[1].DaysFrom(d)
	return c, c, c
}

// phaseDaysWindow returns the days the tables of a run cover: from the
// earliest decision date the run plans (the start, or with a confidence
// the search's earliest candidate) to phaseDaysYears after its latest.
func (s *Scenario) phaseDaysWindow(confidence float64) (first, last date.Date) {
	first, last = s.Start, s.Start
	if confidence > 0 {
		earliest, latest := s.decisionRange()
		first, last = min(first, earliest), max(last, latest)
	}
	return first, Period{Years: phaseDaysYears}.AddTo(last)
}

// newPhaseDays makes the tables of a run of s, for the drawn phases of
// slot, within phaseDaysBudget.
func newPhaseDays(s *Scenario, slot []int, variables int, confidence float64) *phaseDays {
	first, last := s.phaseDaysWindow(confidence)
	t := &phaseDays{first: first, table: make([]tableSpan, variables)}
	known := make(map[phaseKind]tableSpan)
	var kinds []phaseKind // in the order of their tables
	rows := 0
	for p := range s.Positions {
		for phase := range phaseCount {
			k := slot[p*int(phaseCount)+int(phase)]
			if k < 0 {
				continue
			}
			kind := s.kindOf(p, phase)
			span, ok := known[kind]
			if !ok {
				days := 1
				if kind.monthly() {
					days = int(last-first) + 1
				}
				if 12*(rows+days) <= phaseDaysBudget {
					span = tableSpan{int32(rows), int32(days)}
					rows += days
					kinds = append(kinds, kind)
				}
				known[kind] = span
			}
			t.table[k] = span
		}
	}
	t.rows = make([][3]int32, 0, rows)
	for _, kind := range kinds {
		for j := range known[kind].rows {
			a, c, b := kind.days(first + date.Date(j))
			t.rows = append(t.rows, [3]int32{int32(a), int32(c), int32(b)})
		}
	}
	return t
}

// phaseDaysBytes bounds the bytes of the tables newPhaseDays makes.
func (s *Scenario) phaseDaysBytes(spread *Spread, confidence float64) int64 {
	first, last := s.phaseDaysWindow(confidence)
	known := make(map[phaseKind]bool)
	var bytes int64
	for p := range s.Positions {
		for phase := range phaseCount {
			if !s.variable(p, phase, spread) {
				continue
			}
			kind := s.kindOf(p, phase)
			if known[kind] {
				continue
			}
			known[kind] = true
			if kind.monthly() {
				bytes += 12 * (int64(last-first) + 1)
			} else {
				bytes += 12
			}
		}
	}
	// The rows, per kind the map's entry and the list's, per slot where
	// its table lies.
	return min(bytes, phaseDaysBudget) + int64(len(known))*(96+2*120) + 8*3*int64(len(s.Positions))
}

// at returns the days of slot k's periods from d, sorted for a range, or
// days(likely) for a spread in the middle; false if there are no tables,
// or none for k's kind or d.
func (t *phaseDays) at(k int, d date.Date) (a, c, b int, ok bool) {
	if t == nil {
		return 0, 0, 0, false
	}
	span := t.table[k]
	j := 0
	if span.rows > 1 {
		j = int(d - t.first)
	}
	if uint(j) >= uint(span.rows) {
		return 0, 0, 0, false
	}
	row := &t.rows[int(span.at)+j]
	return int(row[0]), int(row[1]), int(row[2]), true
}
