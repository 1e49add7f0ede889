package view

import (
	"fmt"
	"strconv"

	"grantplan/chart"
	"grantplan/locale"
	"grantplan/planner"
)

// The risk panel of the scenario page (docs/web.md, Risk panel) shows a
// risk run: the decision date at the confidence, the chance that every
// post is safe, per post its chances as labelled bars and its P10–P90
// productive dates as whiskers on the Gantt chart.

// A RiskView is a risk run as the page shows it.
type RiskView struct {
	Trials, Seed string
	Confidence   string
	Decision     string // the latest decision date at the confidence, or "none"
	DecisionNote string
	AllSafe      string
	FTEMonths    string // P10 / P50 / P90
	OwnShare     string // P10 / P50 / P90
	Certain      bool   // nothing was uncertain: every trial is the plan
	Chart        riskChart
	Rows         []riskRow
}

// riskRow is one post of the risk table, the chart's text alternative.
type riskRow struct {
	Name, FundingEnd, ByEnd, Minimum, P10, P50, P90 string
}

// riskChart draws each post's two chances as bars with their values
// written beside them, so that no figure is colour alone.
type riskChart struct {
	Prefix        string
	Title, Desc   string
	Width, Height float64
	Left, Right   float64
	TextX, ValueX float64 // where the names and the figures start
	TickY         float64 // the baseline of the percentages above
	TextSize      float64
	Rows          []riskChartRow
	Ticks         []chart.Tick
}

type riskChartRow struct {
	Label, ByEndText, MinimumText string
	Y, TextY                      float64
	ByEndW, MinimumW              float64
	ByEndY, MinimumY              float64
}

const (
	riskBarWidth  = 600
	riskRowHeight = 30
	riskTextSize  = 12
)

// NewRiskView lays out risk run r of scenario s, whose plan is plan, run
// with opts.
func NewRiskView(s *planner.Scenario, plan *planner.Plan, r *planner.Risk, opts planner.RiskOptions, l locale.Lang, prefix string) *RiskView {
	share := func(p float64) string {
		return l.Number(planner.Decimal{Units: int64(p*1000 + 0.5), Places: 1}) + " %"
	}
	v := &RiskView{
		Trials: strconv.Itoa(r.Trials), Seed: strconv.FormatUint(r.Seed, 10),
		Confidence: share(r.Confidence),
		AllSafe:    share(r.Summary.PAllSafe),
		FTEMonths: l.Number(r.Summary.ProductiveFTEMonthsP10) + " / " + l.Number(r.Summary.ProductiveFTEMonthsP50) +
			" / " + l.Number(r.Summary.ProductiveFTEMonthsP90),
		OwnShare: l.Money(r.Summary.OwnShareP10) + " / " + l.Money(r.Summary.OwnShareP50) +
			" / " + l.Money(r.Summary.OwnShareP90),
		Certain: !s.IsUncertain(opts.Spread),
	}
	v.Decision, v.DecisionNote = decisionDate(l, plan.Start, r.LatestDecision,
		l.Text("page.risk.no_decision"))
	c := &v.Chart
	c.Prefix = prefix
	c.TextSize = riskTextSize
	c.Title = l.Text("page.risk.chart_title")
	c.Desc = l.Text("page.risk.chart_desc")
	// The label column is as wide as the names need, within the Gantt
	// chart's bounds; the figures after the bars as wide as theirs.
	names, widest, widestValue := make([]string, len(r.Positions)), 0.0, 0.0
	for i := range r.Positions {
		names[i] = positionName(&plan.Positions[i])
		widest = max(widest, TextWidth(names[i], riskTextSize, false))
		p := &r.Positions[i]
		widestValue = max(widestValue, TextWidth(share(p.PProductiveByEnd)+" / "+share(p.PMeetsMinProductive), riskTextSize, false))
	}
	c.Left = min(max(widest+2*textPad, labelMin), labelMax)
	c.Right = c.Left + riskBarWidth
	c.TextX, c.ValueX = textPad, c.Right+2*textPad
	c.TickY = 1.1 * riskTextSize
	// The tick labels are centred on their lines: half of "100 %" may
	// stand out past the last.
	c.Width = round1(c.Right + max(3*textPad+widestValue, TextWidth("100 %", riskTextSize, false)/2+textPad))
	for i, p := range r.Positions {
		y := float64(24 + i*riskRowHeight)
		c.Rows = append(c.Rows, riskChartRow{
			Label:     chart.Fit(names[i], c.Left-2*textPad, riskTextSize, false, TextWidth),
			ByEndText: share(p.PProductiveByEnd), MinimumText: share(p.PMeetsMinProductive),
			Y: y, TextY: y + 17,
			ByEndW: round1(p.PProductiveByEnd * riskBarWidth), MinimumW: round1(p.PMeetsMinProductive * riskBarWidth),
			ByEndY: y + 3, MinimumY: y + 15,
		})
		v.Rows = append(v.Rows, riskRow{
			Name: names[i], FundingEnd: l.Date(plan.Positions[i].FundingEnd), ByEnd: share(p.PProductiveByEnd), Minimum: share(p.PMeetsMinProductive),
			P10: l.Date(p.ProductiveP10), P50: l.Date(p.ProductiveP50), P90: l.Date(p.ProductiveP90),
		})
	}
	c.Height = float64(24 + len(r.Positions)*riskRowHeight + 4)
	for _, pct := range []int{0, 25, 50, 75, 100} {
		c.Ticks = append(c.Ticks, chart.Tick{X: c.Left + float64(pct*riskBarWidth/100), Label: fmt.Sprint(pct, " %")})
	}
	return v
}

// AddWhiskers draws each post's P10–P90 productive dates on the Gantt
// chart, with a tick at P50 and the dates in the whisker's tooltip. The
// chart's axis must hold the dates (chart.Axis.Extend).
func (g *Gantt) AddWhiskers(plan *planner.Plan, r *planner.Risk, l locale.Lang) {
	g.chart.AddWhiskers(r)
	for i := range g.Rows {
		row := &g.Rows[i]
		w := g.chart.Rows[i].Whisker
		y := row.Y + g.RowHeight/2
		row.Whisker = &ganttWhisker{
			X1: w.X1, X2: w.X2, Mid: w.Mid,
			Y: round1(y), Top: round1(y - g.RowHeight/3), Bottom: round1(y + g.RowHeight/3),
			Title: l.Printf("page.risk.whisker", positionName(&plan.Positions[i]), l.Date(w.P10), l.Date(w.P50), l.Date(w.P90)),
		}
	}
	g.Legend = append(g.Legend, ganttLegend{Phase: "whisker", Label: l.Text("page.risk.whisker_legend")})
}

// A ganttWhisker is a post's range of productive dates in the risk run.
type ganttWhisker struct {
	X1, X2, Mid, Y, Top, Bottom float64
	Title                       string
}
