// Package chart lays out the Gantt chart of a plan: its time axis with
// the years and months, one row per post with a bar per phase, the lines
// at the planning start and at each funding end with their labels, and
// (after a risk run) each post's spread of productive dates. The web
// pages (handlers/view, as SVG) and the PDF report (package report) draw
// the same layout, so that a bar starts on the same day in both.
//
// The layout is in the medium's units (SVG user units, millimetres) and
// measures its text with the medium's function (Style.Measure), so that
// it can leave every label the room it needs: the label column is as wide
// as the longest name asks (within bounds), a month is named only where
// its name fits, and a line's label sits on the side of the line that has
// room, broken into lines where neither has. Only the horizontal layout is
// here; the rows' heights and where the labels go vertically are the
// medium's.
package chart

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rickb777/date/v2"

	"grantplan/locale"
	"grantplan/palette"
	"grantplan/planner"
)

// Measure returns the width of text set in a font of size (and bold or
// not), in the layout's units.
type Measure func(text string, size float64, bold bool) float64

// A Style is the room a chart has and the sizes of its text.
type Style struct {
	Width              float64 // of the whole chart
	LabelMin, LabelMax float64 // bounds of the label column's width
	// Columns is room the medium keeps between the label column and the
	// axis for its own columns (the report's dates); 0 for none.
	Columns   float64
	RightPad  float64 // room after the axis
	Pad       float64 // space on either side of a text
	LabelSize float64 // font size of the posts' names
	TickSize  float64 // of the years and months
	LineSize  float64 // of the lines' labels, which are bold
	Measure   Measure
}

// An Axis is what charts to be compared share: the span of days and the
// width of the label column, so that their bars line up.
type Axis struct {
	From, To   date.Date // the axis runs from From's month to To's month
	LabelWidth float64
}

// NewAxis returns the axis that holds the plans: every day from the
// earliest planning start to the latest funding end or productive day,
// and a label column as wide as the longest of their posts' labels needs,
// within the style's bounds.
func NewAxis(st *Style, l locale.Lang, plans ...*planner.Plan) Axis {
	var a Axis
	widest := 0.0
	for i, plan := range plans {
		from, to := Span(plan)
		if i == 0 {
			a.From, a.To = from, to
		}
		a.From, a.To = min(a.From, from), max(a.To, to)
		worst := WorstFlags(plan)
		for p := range plan.Positions {
			widest = max(widest, st.labelWidth(l, worst[plan.Positions[p].ID], Name(&plan.Positions[p])))
		}
	}
	a.LabelWidth = min(max(widest+2*st.Pad, st.LabelMin), st.LabelMax)
	return a
}

// Extend widens the axis to hold day d too (a risk run's late dates).
func (a *Axis) Extend(d date.Date) {
	a.From, a.To = min(a.From, d), max(a.To, d)
}

// Span is the range of days a chart of plan shows: from the planning
// start (or an earlier hiring start) to the later of the last funding end
// and the last productive day.
func Span(plan *planner.Plan) (from, to date.Date) {
	from, to = plan.Start, plan.Start
	for i := range plan.Positions {
		p := &plan.Positions[i]
		from = min(from, p.HiringStart)
		to = max(to, p.Productive, p.FundingEnd)
	}
	for _, f := range plan.Summary.Funding {
		to = max(to, f.End)
	}
	return from, to
}

// A Gantt is the layout of one Gantt chart.
type Gantt struct {
	Width      float64
	LabelWidth float64 // the posts' names take [0, LabelWidth)
	Left       float64 // the axis runs from Left to Right
	Right      float64
	// First and Last are the axis's first day and the day after its last:
	// whole months.
	First, Last date.Date
	Years       []Tick
	Months      []Tick // a grid line each; labelled where the name fits
	Lines       []Line // the planning start, then each funding end
	Rows        []Row
	Phases      []palette.Phase // the phases the bars show, for a legend

	style *Style
	lang  locale.Lang
}

// A Tick is a grid line at X with an optional label, which starts at
// LabelX.
type Tick struct {
	X      float64
	Label  string
	LabelX float64
}

// A LineKind says what a Line marks.
type LineKind string

// The kinds of lines.
const (
	StartLine LineKind = "start"
	EndLine   LineKind = "end"
)

// A Line marks a day across every row: the planning start, or a funding
// end (drawn on the day after it, where the money has stopped).
type Line struct {
	Kind LineKind
	Date date.Date
	X    float64
	// Label is the line's text, Text the same broken into lines that
	// each fit the chart; the text starts at X (Anchor "start") or ends
	// at it ("end").
	Label  string
	Text   []string
	Anchor string
}

// A Row is one post.
type Row struct {
	Position int    // index in the plan's positions
	ID, Name string // the post's id, and its title (or id)
	Severity planner.Severity
	Marker   string // the worst flag's severity in words; "" for none
	Label    string // the name, shortened with "…" only where it must be
	Bars     []Bar
	Whisker  *Whisker
}

// A Bar is one phase of a post, from From to the day before Until.
type Bar struct {
	Phase       palette.Phase
	From, Until date.Date
	X, W        float64
}

// A Whisker is a post's productive day in a risk run: P10 to P90 with a
// tick at P50.
type Whisker struct {
	P10, P50, P90 date.Date
	X1, Mid, X2   float64
}

// Phases lists the phases a Gantt draws, in the order a post goes
// through them; productive time after the funding end is not drawn.
var Phases = []palette.Phase{palette.Waiting, palette.Recruiting, palette.Notice, palette.Onboarding, palette.Productive}

// NewGantt lays out plan's Gantt chart on axis in language l.
func NewGantt(plan *planner.Plan, l locale.Lang, st *Style, axis Axis) *Gantt {
	g := &Gantt{
		Width:      st.Width,
		LabelWidth: axis.LabelWidth,
		Left:       axis.LabelWidth + st.Columns,
		Right:      st.Width - st.RightPad,
		First:      monthStart(axis.From),
		Last:       nextMonth(axis.To),
		Phases:     Phases,
		style:      st,
		lang:       l,
	}
	g.ticks()
	worst := WorstFlags(plan)
	g.Rows = make([]Row, len(plan.Positions))
	for i := range plan.Positions {
		p := &plan.Positions[i]
		row := Row{Position: i, ID: p.ID, Name: Name(p)}
		if sev, ok := worst[p.ID]; ok {
			row.Severity, row.Marker = sev, l.Severity(sev)
		}
		room := g.LabelWidth - 2*st.Pad
		if row.Marker != "" {
			room -= st.Measure(row.Marker+": ", st.LabelSize, true)
		}
		row.Label = Fit(row.Name, room, st.LabelSize, false, st.Measure)
		add := func(phase palette.Phase, from, until date.Date) {
			if until > from {
				x1, x2 := g.X(from), g.X(until)
				row.Bars = append(row.Bars, Bar{Phase: phase, From: from, Until: until, X: x1, W: round2(max(x2-x1, 0.5*st.Pad))})
			}
		}
		if p.HiringStart > plan.Start {
			add(palette.Waiting, plan.Start, p.HiringStart)
		}
		add(palette.Recruiting, p.HiringStart, p.Recruited)
		add(palette.Notice, p.Recruited, p.Filled)
		add(palette.Onboarding, p.Filled, p.Productive)
		if p.Productive <= p.FundingEnd {
			add(palette.Productive, p.Productive, p.FundingEnd+1)
		}
		g.Rows[i] = row
	}
	g.lines(plan)
	return g
}

// X is the x of the start of day d on the axis; days beyond the axis are
// at its ends.
func (g *Gantt) X(d date.Date) float64 {
	d = min(max(d, g.First), g.Last)
	return round2(g.Left + float64(d-g.First)*(g.Right-g.Left)/float64(g.Last-g.First))
}

// AddWhiskers adds each post's productive days in risk run r, which is of
// the plan the chart shows.
func (g *Gantt) AddWhiskers(r *planner.Risk) {
	for i := range g.Rows {
		p := &r.Positions[g.Rows[i].Position]
		g.Rows[i].Whisker = &Whisker{
			P10: p.ProductiveP10, P50: p.ProductiveP50, P90: p.ProductiveP90,
			X1: g.X(p.ProductiveP10), Mid: g.X(p.ProductiveP50), X2: g.X(p.ProductiveP90),
		}
	}
}

// maxMonthTicks is the most months the chart draws a grid line for; a
// longer axis gets one line a year, and at most maxYearTicks of those.
const (
	maxMonthTicks = 240
	maxYearTicks  = 40
)

// ticks adds a grid line at every month, named where the names fit, and
// a label for every year where it fits. Periods may be centuries long, so
// a long axis is thinned: a line a year beyond 20 years, every k-th year
// beyond 40, and the work is bounded by the lines drawn, not the months
// spanned.
func (g *Gantt) ticks() {
	st := g.style
	months := monthsBetween(g.First, g.Last)
	if months > maxMonthTicks {
		g.Years = g.yearTicks()
		for _, y := range g.Years {
			g.Months = append(g.Months, Tick{X: y.X})
		}
		return
	}
	perMonth := (g.Right - g.Left) / float64(months)
	names := monthNames(g.lang)
	widest, widestNumber := 0.0, st.Measure("12", st.TickSize, false)
	for _, name := range names {
		widest = max(widest, st.Measure(name, st.TickSize, false))
	}
	for d := g.First; d < g.Last; d = nextMonth(d) {
		_, m, _ := d.Date()
		tick := Tick{X: g.X(d), LabelX: g.X(d) + st.Pad}
		switch {
		case widest+2*st.Pad <= perMonth:
			tick.Label = names[m-1]
		case widestNumber+2*st.Pad <= perMonth:
			tick.Label = fmt.Sprint(int(m))
		}
		g.Months = append(g.Months, tick)
		if m == time.January || d == g.First {
			y, _, _ := d.Date()
			g.Years = append(g.Years, Tick{X: g.X(d), Label: fmt.Sprint(y), LabelX: g.X(d) + st.Pad})
		}
	}
	g.Years = g.fitting(g.Years)
}

// fitting drops the labels of ticks that would run into the next tick's
// label or past the axis's end; the tick stays.
func (g *Gantt) fitting(ticks []Tick) []Tick {
	st := g.style
	for i := range ticks {
		end := g.Right
		if i+1 < len(ticks) {
			end = ticks[i+1].LabelX - st.Pad
		}
		if ticks[i].LabelX+st.Measure(ticks[i].Label, st.TickSize, false) > end {
			ticks[i].Label = ""
		}
	}
	return ticks
}

// yearTicks labels the first of January of every year on the axis, or of
// every k-th year so that there are at most maxYearTicks.
func (g *Gantt) yearTicks() []Tick {
	first, _, _ := g.First.Date()
	last, _, _ := (g.Last - 1).Date()
	step := max(1, (last-first+maxYearTicks)/maxYearTicks)
	y := first + 1
	if g.First == date.New(first, time.January, 1) {
		y = first
	}
	var ticks []Tick
	for ; y <= last; y += step {
		x := g.X(date.New(y, time.January, 1))
		ticks = append(ticks, Tick{X: x, Label: fmt.Sprint(y), LabelX: x + g.style.Pad})
	}
	return g.fitting(ticks)
}

// YearTicks are the labels of the years of an axis from from's month to
// to's month between left and right, thinned as the Gantt's are: for the
// medium's other charts over the same axis.
func YearTicks(st *Style, from, to date.Date, left, right float64) []Tick {
	g := &Gantt{Left: left, Right: right, First: monthStart(from), Last: nextMonth(to), style: st}
	return g.yearTicks()
}

// lines adds the planning start and one line per distinct funding end,
// naming the sources that end there.
func (g *Gantt) lines(plan *planner.Plan) {
	l := g.lang
	g.Lines = append(g.Lines, g.line(StartLine, plan.Start, plan.Start, l.Printf("chart.planning_start", l.Date(plan.Start))))
	for _, end := range FundingEnds(plan) {
		g.Lines = append(g.Lines, g.line(EndLine, end.Date, end.Date+1,
			l.Printf("chart.funding_end_sources", l.Date(end.Date), strings.Join(end.Sources, ", "))))
	}
}

func (g *Gantt) line(kind LineKind, day, at date.Date, label string) Line {
	st := g.style
	x := g.X(at)
	text, anchor := PlaceLabel(label, x, 0, g.Width, st.LineSize, true, st.Pad, st.Measure)
	return Line{Kind: kind, Date: day, X: x, Label: label, Text: text, Anchor: anchor}
}

// A FundingEnd is a day on which one or more sources end.
type FundingEnd struct {
	Date    date.Date
	Sources []string // their names, in the plan's order
}

// FundingEnds lists the distinct funding ends of plan, earliest first.
func FundingEnds(plan *planner.Plan) []FundingEnd {
	var ends []FundingEnd
	for _, f := range plan.Summary.Funding {
		i := slices.IndexFunc(ends, func(e FundingEnd) bool { return e.Date == f.End })
		if i < 0 {
			ends = append(ends, FundingEnd{Date: f.End})
			i = len(ends) - 1
		}
		ends[i].Sources = append(ends[i].Sources, f.Name)
	}
	slices.SortStableFunc(ends, func(a, b FundingEnd) int { return int(a.Date - b.Date) })
	return ends
}

// PlaceLabel places a label of a line at x in a picture from left to
// right: after the line (anchor "start") where it fits there, else
// before it ("end"), else broken into lines on the side with more room.
// A word wider than that side is shortened with "…", so that no text
// leaves the picture.
func PlaceLabel(text string, x, left, right, size float64, bold bool, pad float64, measure Measure) ([]string, string) {
	w := measure(text, size, bold)
	after, before := right-pad-x, x-pad-left
	switch {
	case w <= after:
		return []string{text}, "start"
	case w <= before:
		return []string{text}, "end"
	}
	room, anchor := after, "start"
	if before > after {
		room, anchor = before, "end"
	}
	return Wrap(text, room, size, bold, measure), anchor
}

// Wrap breaks text into lines no wider than width at its spaces; a word
// wider than width on its own is shortened with "…".
func Wrap(text string, width, size float64, bold bool, measure Measure) []string {
	var lines []string
	line := ""
	for word := range strings.FieldsSeq(text) {
		candidate := word
		if line != "" {
			candidate = line + " " + word
		}
		if measure(candidate, size, bold) <= width {
			line = candidate
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = Fit(word, width, size, bold, measure)
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// Fit returns text, or as much of it as fits width followed by "…".
func Fit(text string, width, size float64, bold bool, measure Measure) string {
	if measure(text, size, bold) <= width {
		return text
	}
	runes := []rune(text)
	// The longest prefix that fits with the ellipsis, by bisection.
	low, high := 0, len(runes)
	for low < high {
		mid := (low + high + 1) / 2
		if measure(string(runes[:mid])+"…", size, bold) <= width {
			low = mid
		} else {
			high = mid - 1
		}
	}
	return strings.TrimRight(string(runes[:low]), " ") + "…"
}

// labelWidth is the width of a post's label with its marker.
func (st *Style) labelWidth(l locale.Lang, severity planner.Severity, name string) float64 {
	w := st.Measure(name, st.LabelSize, false)
	if severity != "" {
		w += st.Measure(l.Severity(severity)+": ", st.LabelSize, true)
	}
	return w
}

// WorstFlags maps each flagged post's id to the severity of its worst
// flag; the plan lists flags worst first.
func WorstFlags(plan *planner.Plan) map[string]planner.Severity {
	worst := make(map[string]planner.Severity)
	for _, f := range plan.Flags {
		if _, seen := worst[f.Position]; f.Position != "" && !seen {
			worst[f.Position] = f.Severity
		}
	}
	return worst
}

// Name is how a chart names a post: its title, else its id.
func Name(p *planner.PositionPlan) string {
	if p.Title != nil {
		return *p.Title
	}
	return p.ID
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func monthStart(d date.Date) date.Date {
	y, m, _ := d.Date()
	return date.New(y, m, 1)
}

func nextMonth(d date.Date) date.Date {
	y, m, _ := d.Date()
	return date.New(y, m+1, 1)
}

// monthsBetween counts the months from first's month to the month before
// last's (last is exclusive).
func monthsBetween(first, last date.Date) int {
	y1, m1, _ := first.Date()
	y2, m2, _ := last.Date()
	return max(1, (y2-y1)*12+int(m2-m1))
}

// monthIDs are the message ids of the months' short names.
var monthIDs = [12]string{
	"chart.month.1", "chart.month.2", "chart.month.3", "chart.month.4", "chart.month.5", "chart.month.6",
	"chart.month.7", "chart.month.8", "chart.month.9", "chart.month.10", "chart.month.11", "chart.month.12",
}

// monthNames are the months' short names in l.
func monthNames(l locale.Lang) []string {
	names := make([]string, 12)
	for m, id := range monthIDs {
		names[m] = l.Text(id)
	}
	return names
}
