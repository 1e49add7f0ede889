package view

import (
	"math"
	"strconv"

	"grantplan/locale"
	"grantplan/palette"
	"grantplan/planner"
)

// A Budget is a plan's budget years as the pages show them: a table with
// a row a year (the cost, what the sources pay, the own share and each
// source's draw-down) and a row of totals, and a chart of the same years
// (docs/web.md, The budget years).
type Budget struct {
	Caption string
	Sources []string // the draw-down columns' headings
	Rows    []budgetRow
	Total   budgetRow
	// Note says why the totals differ from the summary's, when they do.
	Note string
	// Empty says why there is no year, when there is none.
	Empty string
	Chart *BudgetChart
}

// A budgetRow is one year, or the totals, formatted.
type budgetRow struct {
	Year                   string
	Cost, Funded, OwnShare string
	Draws                  []string
}

// newBudget lays out plan's budget years in language l.
func newBudget(plan *planner.Plan, l locale.Lang, prefix string) *Budget {
	s := &plan.Summary
	b := &Budget{Caption: l.Printf("page.budget.caption", l.Date(plan.Horizon))}
	if len(s.Budget) == 0 {
		b.Empty = l.Printf("page.budget.empty", l.Date(plan.Start), l.Date(plan.Horizon))
		return b
	}
	for _, f := range s.Funding {
		b.Sources = append(b.Sources, l.Printf("page.budget.draw_down", f.Name))
	}
	// The totals add the rounded years, as a spreadsheet's sum would
	// (docs/scenario.md, Cost, own share and budget years: each amount is
	// rounded on its own).
	var cost, funded, own int64
	draws := make([]int64, len(s.Funding))
	for _, y := range s.Budget {
		row := budgetRow{Year: strconv.Itoa(y.Year), Cost: l.Money(y.Cost), Funded: l.Money(y.Funded), OwnShare: l.Money(y.OwnShare)}
		cost, funded, own = cost+y.Cost.Units, funded+y.Funded.Units, own+y.OwnShare.Units
		for i, f := range y.Funding {
			row.Draws = append(row.Draws, l.Money(f.Funded))
			draws[i] += f.Funded.Units
		}
		b.Rows = append(b.Rows, row)
	}
	money := func(units int64) string { return l.Money(planner.Decimal{Units: units, Places: 2}) }
	b.Total = budgetRow{Year: l.Text("page.budget.total"), Cost: money(cost), Funded: money(funded), OwnShare: money(own)}
	for _, units := range draws {
		b.Total.Draws = append(b.Total.Draws, money(units))
	}
	if cost != s.TotalCost.Units || own != s.OwnShare.Units {
		b.Note = l.Printf("page.budget.rounding", l.Money(s.TotalCost), l.Money(s.OwnShare))
	}
	b.Chart = newBudgetChart(plan, l, prefix)
	return b
}

// A BudgetChart is the small chart of the budget years: a bar a year as
// high as the year's cost, its lower part what the sources pay and its
// upper part, striped, the own share. The table beside it carries the
// same figures.
type BudgetChart struct {
	Prefix        string
	Title, Desc   string
	Width, Height int
	Left, Right   float64
	Top, Bottom   float64
	PlotHeight    float64 // Bottom − Top
	Ticks         []budgetTick
	Bars          []budgetBar
	Funded        palette.Swatch
	OwnShare      palette.Swatch
}

// A budgetTick is a line across the chart at an amount, labelled left of
// the axis.
type budgetTick struct {
	Y     float64
	Label string
}

// A budgetBar is one year's bar.
type budgetBar struct {
	X, W                 float64
	FundedY, FundedH     float64
	OwnShareY, OwnShareH float64
	Title                string // the year's figures, as a tooltip
	Label                string // the year, "" where there is no room for it
	LabelX               float64
}

// The chart's geometry, in SVG user units; the SVG scales to the page.
const (
	budgetWidth      = 1196 // the Gantt and FTE charts' width, so that their texts come out alike
	budgetHeight     = 220
	budgetTop        = 14
	budgetAxisGap    = 30 // below the axis: the years
	budgetRightPad   = 12
	budgetFontSize   = 12 // of every text (the style sheet's .budget text)
	budgetTickGap    = 6  // between a tick's label and the axis
	budgetLabelGap   = 6  // at least between two years' labels
	budgetMaxBar     = 72
	budgetBarShare   = 0.62 // of a year's slot
	budgetMaxTicks   = 5
	budgetMinLeft    = 40
	budgetYearLabelY = 18 // below the axis, the years' baseline
)

func newBudgetChart(plan *planner.Plan, l locale.Lang, prefix string) *BudgetChart {
	years := plan.Summary.Budget
	c := &BudgetChart{
		Prefix: prefix, Width: budgetWidth, Height: budgetHeight,
		Top: budgetTop, Bottom: budgetHeight - budgetAxisGap,
		Title:  l.Text("page.budget.chart_title"),
		Funded: palette.Funded, OwnShare: palette.OwnShare,
	}
	var highest int64 // in cents
	highestYear := 0
	for _, y := range years {
		if y.Cost.Units > highest {
			highest, highestYear = y.Cost.Units, y.Year
		}
	}
	euros := (highest + 99) / 100
	step := niceStep(euros / budgetMaxTicks)
	top := step * max(1, (euros+step-1)/step)
	left := float64(budgetMinLeft)
	for v := int64(0); v <= top; v += step {
		label := l.Number(planner.Decimal{Units: v})
		c.Ticks = append(c.Ticks, budgetTick{Label: label})
		left = max(left, math.Ceil(TextWidth(label, budgetFontSize, false))+budgetTickGap+2)
	}
	c.Left, c.Right = left, budgetWidth-budgetRightPad
	c.PlotHeight = c.Bottom - c.Top
	scale := (c.Bottom - c.Top) / float64(top*100) // per cent
	y := func(cents int64) float64 { return round1(c.Bottom - float64(cents)*scale) }
	for i := range c.Ticks {
		c.Ticks[i].Y = y(int64(i) * step * 100)
	}

	slot := (c.Right - c.Left) / float64(len(years))
	barWidth := min(slot*budgetBarShare, budgetMaxBar)
	// Every year has a label if there is room; else every k-th.
	yearWidth := TextWidth("0000", budgetFontSize, false) + budgetLabelGap
	every := max(1, int(math.Ceil(yearWidth/slot)))
	for i, yr := range years {
		funded := min(yr.Funded.Units, yr.Cost.Units)
		bar := budgetBar{
			X: round1(c.Left + float64(i)*slot + (slot-barWidth)/2), W: round1(barWidth),
			FundedY: y(funded), FundedH: round1(c.Bottom - y(funded)),
			OwnShareY: y(yr.Cost.Units), OwnShareH: round1(y(funded) - y(yr.Cost.Units)),
			LabelX: round1(c.Left + (float64(i)+0.5)*slot),
			Title:  l.Printf("page.budget.bar", yr.Year, l.Money(yr.Cost), l.Money(yr.Funded), l.Money(yr.OwnShare)),
		}
		if i%every == 0 {
			bar.Label = strconv.Itoa(yr.Year)
		}
		c.Bars = append(c.Bars, bar)
	}
	first, last := years[0].Year, years[len(years)-1].Year
	if highest == 0 {
		c.Desc = l.Printf("page.budget.chart_desc_none", first, last)
	} else {
		c.Desc = l.Printf("page.budget.chart_desc", first, last, highestYear, l.Money(planner.Decimal{Units: highest, Places: 2}))
	}
	return c
}

// niceStep is the smallest of 1, 2, 2.5 or 5 times a power of ten that
// is at least n, and at least 1.
func niceStep(n int64) int64 {
	for power := int64(1); ; power *= 10 {
		for _, m := range []int64{10, 20, 25, 50} {
			if step := m * power / 10; step >= max(n, 1) && step > 0 {
				return step
			}
		}
		if power > math.MaxInt64/100 {
			return power
		}
	}
}
