package view

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/rickb777/date/v2"

	"grantplan/chart"
	"grantplan/internal/textwidth"
	"grantplan/locale"
	"grantplan/planner"
)

// The charts' geometry, in SVG user units. An SVG scales to the page's
// width; these fix its proportions and the size of its text relative to
// it. The label column takes what the posts' names need, within bounds,
// and the time axis the rest.
const (
	chartWidth    = 1200
	labelMin      = 180
	labelMax      = 540
	chartRightPad = 16
	textPad       = 4
	ganttHeader   = 38 // the year and month labels above the rows
	// Rows are compact in large scenarios, so that 500 posts stay a chart
	// one can scroll through rather than a wall.
	ganttRowHeight        = 22
	ganttCompactRowHeight = 13
	ganttCompactFrom      = 60 // rows
	lineLabelHeight       = 16 // a line of a line's label, below the rows
)

// The sizes of the charts' text, in user units: set on each text as an
// attribute, so that the layout that measured them and the drawing agree.
const (
	labelSize        = 12
	compactLabelSize = 9
	monthSize        = 10
	yearSize         = 12
	lineLabelSize    = 12
	fteTextSize      = 11
)

// ganttStyle is the layout of the pages' Gantt charts; compact for large
// scenarios.
func ganttStyle(compact bool) *chart.Style {
	st := &chart.Style{
		Width: chartWidth, LabelMin: labelMin, LabelMax: labelMax, RightPad: chartRightPad, Pad: textPad,
		LabelSize: labelSize, TickSize: monthSize, LineSize: lineLabelSize, Measure: TextWidth,
	}
	if compact {
		st.LabelSize = compactLabelSize
	}
	return st
}

func isCompact(plan *planner.Plan) bool { return len(plan.Positions) >= ganttCompactFrom }

// widthMargin is the share added to every measured width, for a font
// wider still than the widest the measure knows.
const widthMargin = 0.06

// TextWidth is how wide text in a font of size (in user units) may be
// drawn, at most: the measure of every chart of the pages. The browser
// sets the text in its own font, so it is measured conservatively
// (package textwidth).
func TextWidth(text string, size float64, bold bool) float64 {
	return textwidth.Em(text, bold) * size * (1 + widthMargin)
}

// NewAxis is the axis that charts of the plans share, so that their bars
// line up one above the other: the span of all their days and a label
// column wide enough for all their names.
func NewAxis(l locale.Lang, plans ...*planner.Plan) chart.Axis {
	var axis chart.Axis
	for i, plan := range plans {
		a := chart.NewAxis(ganttStyle(isCompact(plan)), l, plan)
		if i == 0 {
			axis = a
		}
		axis.From, axis.To = min(axis.From, a.From), max(axis.To, a.To)
		axis.LabelWidth = max(axis.LabelWidth, a.LabelWidth)
	}
	return axis
}

// A Gantt is the view model of one Gantt chart: every position, label and
// bar computed in Go (package chart lays them out), so that the template
// only draws. IDs inside it start with Prefix, so that several charts can
// share a page.
type Gantt struct {
	Prefix        string
	Title, Desc   string
	Width, Height float64
	LabelWidth    float64
	ChartRight    float64
	Top, Bottom   float64 // the rows' area
	RowHeight     float64
	Compact       bool
	TextX         float64 // where the posts' names start
	LabelSize     float64
	MonthSize     float64
	YearSize      float64
	LineSize      float64
	Years         []chart.Tick
	Months        []chart.Tick
	Lines         []ganttLine
	Rows          []ganttRow
	Legend        []ganttLegend

	chart *chart.Gantt
}

// A ganttLine marks a date across all rows: the planning start or a
// funding end. Its label sits below the rows, one text per line of it.
type ganttLine struct {
	X      float64
	Kind   string // "start" or "end"
	Anchor string // "start" or "end": which side of the line the label is on
	Texts  []ganttText
}

// A ganttText is one line of a line's label.
type ganttText struct {
	Y    float64
	Text string
}

// A ganttRow is one post.
type ganttRow struct {
	Anchor   string // the element id flags link to
	Y        float64
	TextY    float64
	Label    string // shortened only where the label column is too narrow
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

// newGantt computes the Gantt chart of plan in language l on axis.
func newGantt(plan *planner.Plan, l locale.Lang, prefix string, axis chart.Axis) *Gantt {
	compact := isCompact(plan)
	st := ganttStyle(compact)
	c := chart.NewGantt(plan, l, st, axis)
	g := &Gantt{
		Prefix:     prefix,
		Width:      c.Width,
		LabelWidth: c.Left,
		ChartRight: c.Right,
		Top:        ganttHeader,
		RowHeight:  ganttRowHeight,
		Compact:    compact,
		TextX:      textPad,
		LabelSize:  st.LabelSize,
		MonthSize:  monthSize,
		YearSize:   yearSize,
		LineSize:   lineLabelSize,
		Years:      c.Years,
		Months:     c.Months,
		chart:      c,
	}
	if compact {
		g.RowHeight = ganttCompactRowHeight
	}
	g.Title = l.Printf("page.chart.gantt_title", plan.Scenario)
	g.Desc = l.Printf("page.chart.gantt_desc", len(plan.Positions), l.Date(c.First), l.Date(c.Last-1))

	barHeight := g.RowHeight - 6
	if compact {
		barHeight = g.RowHeight - 3
	}
	g.Rows = make([]ganttRow, len(c.Rows))
	for i, r := range c.Rows {
		y := g.Top + float64(i)*g.RowHeight
		row := ganttRow{
			Anchor:   prefix + "row-" + r.ID,
			Y:        y,
			TextY:    round1(y + g.RowHeight/2 + 0.35*st.LabelSize),
			Label:    r.Label,
			Full:     r.Name + " (" + r.ID + ")",
			Severity: string(r.Severity),
			Marker:   r.Marker,
		}
		barY := y + (g.RowHeight-barHeight)/2
		for _, b := range r.Bars {
			row.Bars = append(row.Bars, ganttBar{
				X: b.X, Y: barY, W: b.W, H: barHeight, Phase: b.Phase.String(),
				Title: r.Name + ": " + barTitle(l, b, &plan.Positions[r.Position]),
			})
		}
		g.Rows[i] = row
	}
	g.Bottom = g.Top + float64(len(c.Rows))*g.RowHeight
	y := g.Bottom + 8
	for _, line := range c.Lines {
		gl := ganttLine{X: line.X, Kind: string(line.Kind), Anchor: line.Anchor}
		for _, text := range line.Text {
			y += lineLabelHeight
			gl.Texts = append(gl.Texts, ganttText{Y: y - 4, Text: text})
		}
		g.Lines = append(g.Lines, gl)
	}
	g.Height = y + 4
	for _, phase := range c.Phases {
		g.Legend = append(g.Legend, ganttLegend{Phase: phase.String(), Label: l.Phase(phase)})
	}
	return g
}

// barTitle is a bar's tooltip: the phase and its dates.
func barTitle(l locale.Lang, b chart.Bar, p *planner.PositionPlan) string {
	phase := l.Phase(b.Phase)
	switch b.Phase.String() {
	case "notice":
		return l.Printf("page.chart.bar_filled", phase, l.Date(b.From), l.Date(b.Until))
	case "onboarding":
		return l.Printf("page.chart.bar_productive", phase, l.Date(b.From), l.Date(b.Until))
	case "productive":
		return l.Printf("page.chart.bar_funded", phase, l.Date(b.From), l.Date(p.FundingEnd))
	}
	return l.Printf("page.chart.bar", phase, l.Date(b.From), l.Date(b.Until))
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// PlanSpan is the range of dates a chart of plan shows: from the planning
// start to the later of the last funding end and the last productive day.
func PlanSpan(plan *planner.Plan) (from, to date.Date) { return chart.Span(plan) }

func positionName(p *planner.PositionPlan) string { return chart.Name(p) }

// Truncate cuts s to n characters, the last of them "…".
func Truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// An FTEChart is the small chart of productive, funded FTE over time:
// a step line under the number of FTE the plan could have at most. It
// shares its x axis with the plan's Gantt chart.
type FTEChart struct {
	Prefix        string
	Title, Desc   string
	Width, Height float64
	Left, Right   float64
	Top, Bottom   float64
	TextSize      float64
	Path          string // the step line, an SVG path
	Area          string // the same, closed, for the filled area
	MaxLabel      string
	MaxY          float64
	Years         []chart.Tick
	Lines         []ganttLine
	Steps         []fteStep // the text alternative
}

// An fteStep is a date at which the productive FTE change.
type fteStep struct {
	Date string
	FTE  string
}

const (
	fteChartTop    = 12
	fteChartBottom = 120
)

// newFTEChart computes the productive FTE chart of plan over the same
// axis as its Gantt chart g.
func newFTEChart(plan *planner.Plan, l locale.Lang, prefix string, g *Gantt) *FTEChart {
	axis := g.chart
	c := &FTEChart{
		Prefix: prefix, Width: axis.Width, TextSize: fteTextSize,
		Left: axis.Left, Right: axis.Right, Top: fteChartTop, Bottom: fteChartBottom,
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
	fmt.Fprintf(&path, "M%v %v", axis.X(axis.First), y(0))
	level, peak := 0.0, 0.0
	var peakDay date.Date
	for _, d := range days {
		level += change[d]
		if math.Abs(level) < 1e-9 {
			level = 0
		}
		fmt.Fprintf(&path, "H%vV%v", axis.X(d), y(level))
		c.Steps = append(c.Steps, fteStep{Date: l.Date(d), FTE: formatFTE(l, level)})
		if level > peak+1e-9 {
			peak, peakDay = level, d
		}
	}
	fmt.Fprintf(&path, "H%v", axis.X(axis.Last))
	c.Path = path.String()
	c.Area = c.Path + fmt.Sprintf("V%vH%vZ", y(0), axis.X(axis.First))
	c.MaxY = fteChartTop
	c.MaxLabel = l.Printf("page.chart.fte", formatFTE(l, total))
	if peak > 0 {
		c.Desc = l.Printf("page.chart.fte_desc", formatFTE(l, peak), formatFTE(l, total), l.Date(peakDay))
	} else {
		c.Desc = l.Printf("page.chart.fte_desc_none", formatFTE(l, total))
	}
	st := ganttStyle(false)
	st.TickSize = fteTextSize
	c.Years = chart.YearTicks(st, axis.First, axis.Last-1, axis.Left, axis.Right)
	labelY := float64(fteChartBottom + 14)
	for _, end := range chart.FundingEnds(plan) {
		x := axis.X(end.Date + 1)
		text, anchor := chart.PlaceLabel(l.Printf("page.chart.funding_end", l.Date(end.Date)), x, 0, c.Width, fteTextSize, true, textPad, TextWidth)
		line := ganttLine{X: x, Kind: "end", Anchor: anchor}
		for _, t := range text {
			labelY += lineLabelHeight
			line.Texts = append(line.Texts, ganttText{Y: labelY - 2, Text: t})
		}
		c.Lines = append(c.Lines, line)
	}
	c.Height = labelY + 6
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
