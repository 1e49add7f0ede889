package workbook

import (
	"slices"
	"time"

	"github.com/rickb777/date/v2"

	"grantplan/planner"
)

// maxColumns bounds the timeline: 30 years of months. Periods may be long
// enough to put a productive date centuries out, and Excel has 16,384
// columns; a longer plan shows its first maxColumns columns and says so.
const maxColumns = 360

// weeklyBelow is the number of months under which the timeline has one
// column per week instead of one per month.
const weeklyBelow = 9

// A span is a run of days, first and last included: one timeline column.
type span struct {
	first, last date.Date
}

// A timeline is the time axis of the Gantt sheet: one column per month
// from the planning start's month to the month of the later of the last
// funding end and the last productive date, or one per week (Monday to
// Sunday) when that is under nine months.
type timeline struct {
	columns []span
	weekly  bool
	cut     bool // the plan runs past the last column
	// months are the calendar months over the same range, for the
	// Summary's chart, whether the columns are weeks or months.
	months []span
	// fundingEnd[i] says that a funding end falls in column i.
	fundingEnd []bool
}

// newTimeline lays out the timeline of a plan.
func newTimeline(plan *planner.Plan) timeline {
	last := plan.Summary.LastProductive
	var ends []date.Date
	for _, f := range plan.Summary.Funding {
		last = max(last, f.End)
		ends = append(ends, f.End)
	}
	var t timeline
	var monthsCut bool
	t.months, monthsCut = monthSpans(plan.Start, last)
	if len(t.months) < weeklyBelow {
		t.weekly = true
		monday := plan.Start - date.Date((int(plan.Start.Weekday())+6)%7)
		for first := monday; first <= last && len(t.columns) < maxColumns; first += 7 {
			t.columns = append(t.columns, span{first, first + 6})
		}
		t.cut = len(t.columns) > 0 && t.columns[len(t.columns)-1].last < last
	} else {
		t.columns, t.cut = t.months, monthsCut
	}
	t.fundingEnd = make([]bool, len(t.columns))
	for _, end := range ends {
		i, found := slices.BinarySearchFunc(t.columns, end, func(s span, d date.Date) int {
			switch {
			case s.last < d:
				return -1
			case s.first > d:
				return 1
			}
			return 0
		})
		if found {
			t.fundingEnd[i] = true
		}
	}
	return t
}

// monthSpans returns the calendar months from first's to last's, at most
// maxColumns of them, and whether that cut some off.
func monthSpans(first, last date.Date) ([]span, bool) {
	year, month, _ := first.Date()
	var months []span
	for len(months) < maxColumns {
		start := date.New(year, month, 1)
		if start > last {
			return months, false
		}
		year, month = nextMonth(year, month)
		months = append(months, span{start, date.New(year, month, 1) - 1})
	}
	return months, len(months) > 0 && months[len(months)-1].last < last
}

func nextMonth(year int, month time.Month) (int, time.Month) {
	if month == time.December {
		return year + 1, time.January
	}
	return year, month + 1
}

// phaseBounds are the days on which a post enters each phase after
// "none": hiring start, recruited, filled, productive, and the day after
// its funding end from which productive time is no longer funded. They
// never decrease.
type phaseBounds [phaseCount - 1]date.Date

func boundsOf(p *planner.PositionPlan) phaseBounds {
	return phaseBounds{p.HiringStart, p.Recruited, p.Filled, p.Productive, max(p.Productive, p.FundingEnd+1)}
}

// days returns how many days of s each phase covers.
func (b *phaseBounds) days(s span) [phaseCount]int {
	var days [phaseCount]int
	from := s.first
	end := s.last + 1 // exclusive
	for phase := range phaseCount {
		until := end
		if phase < len(b) {
			until = min(b[phase], end)
		}
		if until > from {
			days[phase] = int(until - from)
			from = until
		}
	}
	return days
}

// phaseIn returns the phase a timeline cell shows for span s: the one
// that covers most of its days, the later one on a tie (so a month split
// evenly between onboarding and productive shows productive).
func (b *phaseBounds) phaseIn(s span) int {
	days := b.days(s)
	best := phaseNone
	for phase := range phaseCount {
		if days[phase] > 0 && days[phase] >= days[best] {
			best = phase
		}
	}
	return best
}

// monthlyFTE is the Summary's chart data: per month of the timeline, the
// FTE that is productive within its funding, productive after its funding
// end, and funded at all (from the later of the planning start and the
// funding start to the funding end), each as the average over the month's
// days. Summed over the months, the first is the plan's productive
// FTE-months and the last its potential FTE-months, unrounded.
type monthlyFTE struct {
	productive, afterEnd, funded []float64
}

func newMonthlyFTE(plan *planner.Plan, months []span) monthlyFTE {
	m := monthlyFTE{
		productive: make([]float64, len(months)),
		afterEnd:   make([]float64, len(months)),
		funded:     make([]float64, len(months)),
	}
	fundingStart := make(map[string]date.Date, len(plan.Summary.Funding))
	for _, f := range plan.Summary.Funding {
		fundingStart[f.ID] = f.Start
	}
	for i := range plan.Positions {
		p := &plan.Positions[i]
		bounds := boundsOf(p)
		fundedFrom := max(plan.Start, fundingStart[p.Funding])
		for k, month := range months {
			length := float64(month.last - month.first + 1)
			days := bounds.days(month)
			m.productive[k] += p.FTE * float64(days[phaseProductive]) / length
			m.afterEnd[k] += p.FTE * float64(days[phaseAfterEnd]) / length
			if from, until := max(fundedFrom, month.first), min(p.FundingEnd, month.last); from <= until {
				m.funded[k] += p.FTE * float64(until-from+1) / length
			}
		}
	}
	return m
}
