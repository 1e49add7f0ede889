package view

import (
	"fmt"
	"strconv"

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
	Width, Height int
	Left, Right   int
	Rows          []riskChartRow
	Ticks         []ganttTick
}

type riskChartRow struct {
	Label, ByEndText, MinimumText string
	Y, TextY                      int
	ByEndW, MinimumW              float64
	ByEndY, MinimumY              int
}

const (
	riskLabelWidth = 280
	riskBarWidth   = 600
	riskRowHeight  = 30
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
		Certain: !s.IsUncertain(opts.Spread),
	}
	v.Decision, v.DecisionNote = decisionDate(l, plan.Start, r.LatestDecision,
		l.Text("page.risk.no_decision"))
	c := &v.Chart
	c.Prefix = prefix
	c.Left, c.Right = riskLabelWidth, riskLabelWidth+riskBarWidth
	c.Width = c.Right + 90
	c.Title = l.Text("page.risk.chart_title")
	c.Desc = l.Text("page.risk.chart_desc")
	for i, p := range r.Positions {
		pp := &plan.Positions[i]
		name := positionName(pp)
		y := 24 + i*riskRowHeight
		c.Rows = append(c.Rows, riskChartRow{
			Label: Truncate(name, maxLabelRunes), ByEndText: share(p.PProductiveByEnd), MinimumText: share(p.PMeetsMinProductive),
			Y: y, TextY: y + 17,
			ByEndW: round1(p.PProductiveByEnd * riskBarWidth), MinimumW: round1(p.PMeetsMinProductive * riskBarWidth),
			ByEndY: y + 3, MinimumY: y + 15,
		})
		v.Rows = append(v.Rows, riskRow{
			Name: name, FundingEnd: l.Date(pp.FundingEnd), ByEnd: share(p.PProductiveByEnd), Minimum: share(p.PMeetsMinProductive),
			P10: l.Date(p.ProductiveP10), P50: l.Date(p.ProductiveP50), P90: l.Date(p.ProductiveP90),
		})
	}
	c.Height = 24 + len(r.Positions)*riskRowHeight + 4
	for _, pct := range []int{0, 25, 50, 75, 100} {
		c.Ticks = append(c.Ticks, ganttTick{X: float64(c.Left + pct*riskBarWidth/100), Label: fmt.Sprint(pct, " %")})
	}
	return v
}

// AddWhiskers draws each post's P10–P90 productive dates on the Gantt
// chart, with a tick at P50 and the dates in the whisker's tooltip.
func (g *Gantt) AddWhiskers(plan *planner.Plan, r *planner.Risk, l locale.Lang) {
	for i := range g.Rows {
		row := &g.Rows[i]
		p := r.Positions[i]
		y := float64(row.Y) + float64(g.RowHeight)/2
		row.Whisker = &ganttWhisker{
			X1: g.timeline.x(p.ProductiveP10), X2: g.timeline.x(p.ProductiveP90), Mid: g.timeline.x(p.ProductiveP50),
			Y: round1(y), Top: round1(y - float64(g.RowHeight)/3), Bottom: round1(y + float64(g.RowHeight)/3),
			Title: l.Printf("page.risk.whisker", positionName(&plan.Positions[i]), l.Date(p.ProductiveP10), l.Date(p.ProductiveP50), l.Date(p.ProductiveP90)),
		}
	}
	g.Legend = append(g.Legend, ganttLegend{Phase: "whisker", Label: l.Text("page.risk.whisker_legend")})
}

// A ganttWhisker is a post's range of productive dates in the risk run.
type ganttWhisker struct {
	X1, X2, Mid, Y, Top, Bottom float64
	Title                       string
}
