package view

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

// The Gantt chart's geometry, in SVG user units. The SVG scales to the
// page's width; these only fix its proportions.
const (
	ganttLabelWidth = 280
	ganttChartWidth = 900
	ganttRightPad   = 16
	ganttHeader     = 38 // the year and month labels above the rows
	// Rows are compact in large scenarios, so that 500 posts stay a chart
	// one can scroll through rather than a wall.
	ganttRowHeight        = 22
	ganttCompactRowHeight = 13
	ganttCompactFrom      = 60 // rows
	ganttLineLabelHeight  = 16
	maxLabelRunes         = 42
)

// A Gantt is the view model of one Gantt chart: every position, label and
// bar computed in Go, so that the template only draws. IDs inside it start
// with Prefix, so that several charts can share a page.
type Gantt struct {
	Prefix        string
	Title, Desc   string
	Width, Height int
	LabelWidth    int
	ChartRight    int
	Top, Bottom   int // the rows' area
	RowHeight     int
	Compact       bool
	Years         []ganttTick
	Months        []ganttTick
	Lines         []ganttLine
	Rows          []ganttRow
	Legend        []ganttLegend

	timeline timeline // maps dates to x, for what is drawn on top later
}

// A ganttTick is a grid line at X with an optional label.
type ganttTick struct {
	X     float64
	Label string
}

// A ganttLine marks a date across all rows: the planning start or a
// funding end. Its label sits below the rows at LabelY.
type ganttLine struct {
	X      float64
	Kind   string // "start" or "end"
	Label  string
	LabelY int
	Anchor string // "start" or "end": which side of the line the label is on
}

// A ganttRow is one post.
type ganttRow struct {
	Anchor   string // the element id flags link to
	Y        int
	TextY    int
	Label    string // truncated for the chart
	Full     string // the post's name and id, for its tooltip
	Severity string // of the worst flag, "" without one
	Marker   string // that severity as a word, so it is never colour alone
	Bars     []ganttBar
	Whisker  *ganttWhisker // the risk run's P10–P90 productive dates, if any
}

// A ganttBar is one phase of a post.
type ganttBar struct {
	X, Y, W, H float64
	Phase      string
	Title      string // the exact dates, as a tooltip
}

// A ganttLegend explains one phase's fill.
type ganttLegend struct {
	Phase, Label string
}

// ganttPhases lists the phases the chart draws, in the order a post goes
// through them; their names and colours are packages locale's and
// palette's.
var ganttPhases = []palette.Phase{palette.Waiting, palette.Recruiting, palette.Notice, palette.Onboarding, palette.Productive}

// timeline maps dates to x positions from the first day of from's month
// to the first day of the month after to.
type timeline struct {
	first, last date.Date // last is exclusive
	left, width float64
}

func newTimeline(from, to date.Date, left, width float64) timeline {
	first := monthStart(from)
	last := nextMonth(to)
	if last <= first {
		last = first + 1
	}
	return timeline{first: first, last: last, left: left, width: width}
}

func (tl timeline) x(d date.Date) float64 {
	d = min(max(d, tl.first), tl.last)
	return round1(tl.left + float64(d-tl.first)*tl.width/float64(tl.last-tl.first))
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

func monthStart(d date.Date) date.Date {
	y, m, _ := d.Date()
	return date.New(y, m, 1)
}

func nextMonth(d date.Date) date.Date {
	y, m, _ := d.Date()
	return date.New(y, m+1, 1)
}

// PlanSpan is the range of dates a chart of plan shows: from the planning
// start to the later of the last funding end and the last productive day.
func PlanSpan(plan *planner.Plan) (from, to date.Date) {
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

// newGantt computes the Gantt chart of plan in language l. Its x axis
// runs from the month of from to the month of to, so that charts to be
// compared can share one axis.
func newGantt(plan *planner.Plan, l locale.Lang, prefix string, from, to date.Date) *Gantt {
	g := &Gantt{
		Prefix:     prefix,
		LabelWidth: ganttLabelWidth,
		ChartRight: ganttLabelWidth + ganttChartWidth,
		Width:      ganttLabelWidth + ganttChartWidth + ganttRightPad,
		Top:        ganttHeader,
		RowHeight:  ganttRowHeight,
	}
	if len(plan.Positions) >= ganttCompactFrom {
		g.RowHeight, g.Compact = ganttCompactRowHeight, true
	}
	tl := newTimeline(from, to, ganttLabelWidth, ganttChartWidth)
	g.timeline = tl
	g.Title = l.Printf("page.chart.gantt_title", plan.Scenario)
	g.Desc = l.Printf("page.chart.gantt_desc", len(plan.Positions), l.Date(tl.first), l.Date(tl.last-1))
	g.ticks(tl, l)

	worst := worstFlags(plan)
	barHeight := float64(g.RowHeight - 6)
	if g.Compact {
		barHeight = float64(g.RowHeight - 3)
	}
	g.Rows = make([]ganttRow, len(plan.Positions))
	for i := range plan.Positions {
		p := &plan.Positions[i]
		y := g.Top + i*g.RowHeight
		name := positionName(p)
		row := ganttRow{
			Anchor: prefix + "row-" + p.ID,
			Y:      y,
			TextY:  y + g.RowHeight - (g.RowHeight-barHeightInt(barHeight))/2 - 2,
			Label:  Truncate(name, maxLabelRunes),
			Full:   name + " (" + p.ID + ")",
		}
		if sev, ok := worst[p.ID]; ok {
			row.Severity = string(sev)
			row.Marker = l.Severity(sev)
			row.Label = Truncate(name, maxLabelRunes-len([]rune(row.Marker))-2)
		}
		barY := float64(y) + (float64(g.RowHeight)-barHeight)/2
		add := func(phase palette.Phase, from, until date.Date, title string) {
			if until <= from {
				return
			}
			x1, x2 := tl.x(from), tl.x(until)
			row.Bars = append(row.Bars, ganttBar{
				X: x1, Y: barY, W: round1(max(x2-x1, 0.5)), H: barHeight, Phase: phase.String(),
				Title: name + ": " + title,
			})
		}
		if p.HiringStart > plan.Start {
			add(palette.Waiting, plan.Start, p.HiringStart, l.Printf("page.chart.bar", l.Phase(palette.Waiting), l.Date(plan.Start), l.Date(p.HiringStart)))
		}
		add(palette.Recruiting, p.HiringStart, p.Recruited, l.Printf("page.chart.bar", l.Phase(palette.Recruiting), l.Date(p.HiringStart), l.Date(p.Recruited)))
		add(palette.Notice, p.Recruited, p.Filled, l.Printf("page.chart.bar_filled", l.Phase(palette.Notice), l.Date(p.Recruited), l.Date(p.Filled)))
		add(palette.Onboarding, p.Filled, p.Productive, l.Printf("page.chart.bar_productive", l.Phase(palette.Onboarding), l.Date(p.Filled), l.Date(p.Productive)))
		if p.Productive <= p.FundingEnd {
			add(palette.Productive, p.Productive, p.FundingEnd+1, l.Printf("page.chart.bar_funded", l.Phase(palette.Productive), l.Date(p.Productive), l.Date(p.FundingEnd)))
		}
		g.Rows[i] = row
	}
	g.Bottom = g.Top + len(plan.Positions)*g.RowHeight
	g.lines(plan, tl, l)
	g.Height = g.Bottom + 8 + len(g.Lines)*ganttLineLabelHeight
	for _, phase := range ganttPhases {
		g.Legend = append(g.Legend, ganttLegend{Phase: phase.String(), Label: l.Phase(phase)})
	}
	return g
}

func barHeightInt(h float64) int { return int(h) }

// maxMonthTicks is the most months the chart draws a grid line for; a
// longer axis gets one line a year, and at most maxYearTicks of those.
const (
	maxMonthTicks = 240
	maxYearTicks  = 40
)

// ticks adds a grid line at every month (labelled where there is room)
// and a label for every year. Periods may be centuries long, so a long
// axis is thinned: a line a year beyond 20 years, every k-th year beyond
// 40, and the work is bounded by the lines drawn, not the months spanned.
func (g *Gantt) ticks(tl timeline, l locale.Lang) {
	months := monthsSpanned(tl)
	if months > maxMonthTicks {
		g.Years = yearTicks(tl)
		for _, y := range g.Years {
			g.Months = append(g.Months, ganttTick{X: y.X})
		}
		return
	}
	perMonth := float64(ganttChartWidth) / float64(months)
	for d := tl.first; d < tl.last; d = nextMonth(d) {
		_, m, _ := d.Date()
		tick := ganttTick{X: tl.x(d)}
		if perMonth >= 14 {
			tick.Label = monthLabel(l, m, perMonth)
		}
		g.Months = append(g.Months, tick)
		if m == time.January || d == tl.first {
			y, _, _ := d.Date()
			if d != tl.first || m <= time.October { // room for the label
				g.Years = append(g.Years, ganttTick{X: tl.x(d), Label: fmt.Sprint(y)})
			}
		}
	}
}

// monthsSpanned counts the months of the axis, from the month of its
// first day to the month before its (exclusive) last.
func monthsSpanned(tl timeline) int {
	y1, m1, _ := tl.first.Date()
	y2, m2, _ := tl.last.Date()
	return max(1, (y2-y1)*12+int(m2-m1))
}

// yearTicks labels the first of January of every year on the axis, or of
// every k-th year so that there are at most maxYearTicks.
func yearTicks(tl timeline) []ganttTick {
	first, _, _ := tl.first.Date()
	last, _, _ := (tl.last - 1).Date()
	step := max(1, (last-first+maxYearTicks)/maxYearTicks)
	y := first + 1
	if tl.first == date.New(first, time.January, 1) {
		y = first
	}
	var ticks []ganttTick
	for ; y <= last; y += step {
		ticks = append(ticks, ganttTick{X: tl.x(date.New(y, time.January, 1)), Label: fmt.Sprint(y)})
	}
	return ticks
}

// monthLabel is a month's name as short as the room allows.
func monthLabel(l locale.Lang, m time.Month, room float64) string {
	names := monthNames[l]
	if names == nil {
		names = monthNames[locale.English]
	}
	name := names[m-1]
	if room < 30 {
		return fmt.Sprint(int(m))
	}
	return name
}

var monthNames = map[locale.Lang][]string{
	locale.English: {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	locale.German:  {"Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"},
}

// lines adds the planning start and one line per distinct funding end,
// naming the sources that end there.
func (g *Gantt) lines(plan *planner.Plan, tl timeline, l locale.Lang) {
	g.Lines = append(g.Lines, ganttLine{X: tl.x(plan.Start), Kind: "start",
		Label: l.Printf("page.chart.planning_start", l.Date(plan.Start))})
	var ends []date.Date
	names := map[date.Date][]string{}
	for _, f := range plan.Summary.Funding {
		if _, seen := names[f.End]; !seen {
			ends = append(ends, f.End)
		}
		names[f.End] = append(names[f.End], f.Name)
	}
	slices.Sort(ends)
	for _, end := range ends {
		g.Lines = append(g.Lines, ganttLine{X: tl.x(end + 1), Kind: "end",
			Label: l.Printf("page.chart.funding_end_sources", l.Date(end), strings.Join(names[end], ", "))})
	}
	for i := range g.Lines {
		line := &g.Lines[i]
		line.LabelY = g.Bottom + 8 + (i+1)*ganttLineLabelHeight - 4
		line.Anchor = "end"
		if line.X < float64(ganttLabelWidth+ganttChartWidth/2) {
			line.Anchor = "start"
		}
	}
}

// worstFlags maps each flagged position to the severity of its worst
// flag; the plan lists flags worst first.
func worstFlags(plan *planner.Plan) map[string]planner.Severity {
	worst := make(map[string]planner.Severity)
	for _, f := range plan.Flags {
		if _, seen := worst[f.Position]; f.Position != "" && !seen {
			worst[f.Position] = f.Severity
		}
	}
	return worst
}

func positionName(p *planner.PositionPlan) string {
	if p.Title != nil {
		return *p.Title
	}
	return p.ID
}

// Truncate cuts s to n characters, the last of them "…".
func Truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// An FTEChart is the small chart of productive, funded FTE over time:
// a step line under the number of FTE the plan could have at most.
type FTEChart struct {
	Prefix        string
	Title, Desc   string
	Width, Height int
	Left, Right   int
	Top, Bottom   int
	Path          string // the step line, an SVG path
	Area          string // the same, closed, for the filled area
	MaxLabel      string
	MaxY          int
	Years         []ganttTick
	Lines         []ganttLine
	Steps         []fteStep // the text alternative
}

// An fteStep is a date at which the productive FTE change.
type fteStep struct {
	Date string
	FTE  string
}

const (
	fteChartHeight = 150
	fteChartTop    = 12
	fteChartBottom = 120
)

// newFTEChart computes the productive FTE chart of plan over the same
// axis as its Gantt chart.
func newFTEChart(plan *planner.Plan, l locale.Lang, prefix string, from, to date.Date) *FTEChart {
	tl := newTimeline(from, to, ganttLabelWidth, ganttChartWidth)
	c := &FTEChart{
		Prefix: prefix, Width: ganttLabelWidth + ganttChartWidth + ganttRightPad, Height: fteChartHeight,
		Left: ganttLabelWidth, Right: ganttLabelWidth + ganttChartWidth, Top: fteChartTop, Bottom: fteChartBottom,
		Title: l.Text("page.chart.fte_title"),
	}
	// Each post adds its FTE on its productive day and takes it away the
	// day after its funding ends.
	change := map[date.Date]float64{}
	total := 0.0
	for i := range plan.Positions {
		p := &plan.Positions[i]
		total += p.FTE
		if p.Productive <= p.FundingEnd {
			change[p.Productive] += p.FTE
			change[p.FundingEnd+1] -= p.FTE
		}
	}
	days := make([]date.Date, 0, len(change))
	for d := range change {
		days = append(days, d)
	}
	slices.Sort(days)
	if total <= 0 {
		total = 1
	}
	scale := float64(fteChartBottom-fteChartTop) / total
	y := func(fte float64) float64 { return round1(float64(fteChartBottom) - fte*scale) }
	var path strings.Builder
	fmt.Fprintf(&path, "M%v %v", tl.x(tl.first), y(0))
	level, peak := 0.0, 0.0
	var peakDay date.Date
	for _, d := range days {
		level += change[d]
		if math.Abs(level) < 1e-9 {
			level = 0
		}
		fmt.Fprintf(&path, "H%vV%v", tl.x(d), y(level))
		c.Steps = append(c.Steps, fteStep{Date: l.Date(d), FTE: formatFTE(l, level)})
		if level > peak+1e-9 {
			peak, peakDay = level, d
		}
	}
	fmt.Fprintf(&path, "H%v", tl.x(tl.last))
	c.Path = path.String()
	c.Area = c.Path + fmt.Sprintf("V%vH%vZ", y(0), tl.x(tl.first))
	c.MaxY = fteChartTop
	c.MaxLabel = l.Printf("page.chart.fte", formatFTE(l, total))
	if peak > 0 {
		c.Desc = l.Printf("page.chart.fte_desc", formatFTE(l, peak), formatFTE(l, total), l.Date(peakDay))
	} else {
		c.Desc = l.Printf("page.chart.fte_desc_none", formatFTE(l, total))
	}
	c.Years = yearTicks(tl)
	seen := map[date.Date]bool{}
	for _, f := range plan.Summary.Funding {
		if !seen[f.End] {
			seen[f.End] = true
			c.Lines = append(c.Lines, ganttLine{X: tl.x(f.End + 1), Kind: "end", Label: l.Printf("page.chart.funding_end", l.Date(f.End))})
		}
	}
	return c
}

// formatFTE writes an FTE count with up to two decimals: "10", "2.5".
func formatFTE(l locale.Lang, fte float64) string {
	units := int64(math.Round(fte * 100))
	d := planner.Decimal{Units: units, Places: 2}
	if units%100 == 0 {
		d = planner.Decimal{Units: units / 100}
	} else if units%10 == 0 {
		d = planner.Decimal{Units: units / 10, Places: 1}
	}
	return l.Number(d)
}
