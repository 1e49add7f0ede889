package workbook

import (
	"math"
	"strconv"

	"github.com/xuri/excelize/v2"

	"grantplan/planner"
)

// The Summary sheet's layout: key figures from kpiRow, the chart beside
// them, the funding sources from fundingRow on, then the chart's data.
const (
	summaryTitleRow = 1
	kpiRow          = 5
	fundingRow      = 21
	chartHeight     = 300 // pixels: rows kpiRow to fundingRow-1, 20 pixels each
)

// sheetWriter writes cells one at a time with the normal (not streaming)
// API, for the small sheets.
type sheetWriter struct {
	b     *book
	sheet string
	err   error
}

// set writes v with a style into the cell at col, row. A string is stored
// as a shared string, which Excel never reads as a formula.
func (w *sheetWriter) set(col, row int, v excelize.Cell) {
	if w.err != nil {
		return
	}
	ref := cell(col, row)
	switch value := v.Value.(type) {
	case nil:
	case string:
		w.err = w.b.f.SetCellStr(w.sheet, ref, value)
	default:
		w.err = w.b.f.SetCellValue(w.sheet, ref, value)
	}
	if w.err == nil && v.StyleID != 0 {
		w.err = w.b.f.SetCellStyle(w.sheet, ref, ref, v.StyleID)
	}
}

// row writes cells from column 1 of row.
func (w *sheetWriter) row(row int, cells ...excelize.Cell) {
	for i, c := range cells {
		w.set(i+1, row, c)
	}
}

func (w *sheetWriter) widths(widths ...float64) {
	for i, width := range widths {
		if w.err == nil {
			w.err = w.b.f.SetColWidth(w.sheet, column(i+1), column(i+1), width)
		}
	}
}

// writeSummary writes the key figures as numbers and dates with number
// formats, each funding source's need against what it makes available,
// and a chart of productive FTE per month against the funded FTE.
func (b *book) writeSummary() error {
	sheet := b.t("workbook.sheet.summary")
	w := &sheetWriter{b: b, sheet: sheet}
	s := &b.styles
	sum := &b.plan.Summary
	w.widths(46, 16, 13, 13, 16, 16, 16, 16, 16)

	w.row(summaryTitleRow, text(b.plan.Scenario, s.title))
	w.row(summaryTitleRow+1, text(b.t("term.planning_start"), s.bold), b.dateCell(b.plan.Start, s.dateBold))
	w.row(summaryTitleRow+2, text(b.t("workbook.exported"), s.bold), b.dateCell(b.opts.Exported, s.dateBold))

	w.row(kpiRow, text(b.t("term.key_figures"), s.heading), text(b.t("workbook.value"), s.headingRight))
	integer := func(n int) excelize.Cell { return excelize.Cell{StyleID: s.integer, Value: n} }
	latestSafe := text(b.t("common.none"), s.text)
	if sum.LatestSafeStart != nil {
		latestSafe = b.dateCell(*sum.LatestSafeStart, s.date)
	}
	for i, kpi := range []struct {
		label string
		value excelize.Cell
	}{
		{b.t("term.posts"), integer(sum.Positions)},
		{b.t("term.critical_flags"), integer(sum.Critical)},
		{b.t("term.warnings"), integer(sum.Warnings)},
		{b.t("term.infos"), integer(sum.Infos)},
		{b.t("term.utilisation"), excelize.Cell{StyleID: s.percent, Value: decimal(sum.Utilization)}},
		{b.t("term.productive_fte_months"), excelize.Cell{StyleID: s.months, Value: decimal(sum.ProductiveFTEMonths)}},
		{b.t("term.potential_fte_months"), excelize.Cell{StyleID: s.months, Value: decimal(sum.PotentialFTEMonths)}},
		{b.t("term.funded_cost"), excelize.Cell{StyleID: s.money, Value: decimal(sum.FundedCost)}},
		{b.t("workbook.onboarding_cost"), excelize.Cell{StyleID: s.money, Value: decimal(sum.OnboardingCost)}},
		{b.t("term.unclaimed"), excelize.Cell{StyleID: s.money, Value: decimal(sum.Unclaimed)}},
		{b.t("term.last_filled"), b.dateCell(sum.LastFilled, s.date)},
		{b.t("term.last_productive"), b.dateCell(sum.LastProductive, s.date)},
		{b.t("term.latest_safe_decision"), latestSafe},
	} {
		w.row(kpiRow+1+i, text(kpi.label, s.text), kpi.value)
	}

	w.row(fundingRow-1, text(b.t("term.funding_sources"), s.bold))
	w.row(fundingRow,
		text(b.t("term.source"), s.heading), text(b.t("term.name"), s.heading), text(b.t("term.start"), s.headingRight),
		text(b.t("term.end"), s.headingRight), text(b.t("term.cap"), s.headingRight), text(b.t("term.need"), s.headingRight),
		text(b.t("term.available"), s.headingRight), text(b.t("term.over_by"), s.headingRight), text(b.t("term.unclaimed"), s.headingRight))
	row := fundingRow + 1
	for _, f := range sum.Funding {
		money := func(d *planner.Decimal) excelize.Cell {
			if d == nil {
				return excelize.Cell{}
			}
			return excelize.Cell{StyleID: s.money, Value: decimal(*d)}
		}
		w.row(row, text(f.ID, s.text), text(f.Name, s.text), b.dateCell(f.Start, s.date), b.dateCell(f.End, s.date),
			money(f.Cap), money(&f.Need), money(f.Available), money(f.OverBy), money(f.Unclaimed))
		row++
	}

	// The chart's data: one row per month.
	row++
	w.row(row, text(b.t("workbook.per_month"), s.bold))
	row++
	headingRow := row
	w.row(row, text(b.t("workbook.month"), s.heading), text(b.t("workbook.productive_fte"), s.headingRight),
		text(b.t("workbook.productive_after_end"), s.headingRight), text(b.t("workbook.funded_fte"), s.headingRight))
	months := b.timeline.months
	fte := newMonthlyFTE(b.plan, months)
	round := func(x float64) float64 { return math.Round(x*10000) / 10000 }
	for i, month := range months {
		row++
		w.row(row, b.dateCell(month.first, s.month),
			excelize.Cell{StyleID: s.fte, Value: round(fte.productive[i])},
			excelize.Cell{StyleID: s.fte, Value: round(fte.afterEnd[i])},
			excelize.Cell{StyleID: s.fte, Value: round(fte.funded[i])})
	}
	if w.err != nil {
		return w.err
	}
	if len(months) > 0 {
		if err := b.addChart(sheet, headingRow, row); err != nil {
			return err
		}
	}
	return b.printSetup(sheet, 0)
}

// addChart draws productive FTE per month as stacked columns (funded,
// then after the funding end) and the funded FTE as a line: where the
// line drops to zero is the funding end, and the gap between the columns
// and the line is the funded time no one works productively.
func (b *book) addChart(sheet string, headingRow, lastRow int) error {
	ref := func(col, row int) string {
		return quoteSheet(sheet) + "!$" + column(col) + "$" + strconv.Itoa(row)
	}
	series := func(col int, colour string) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name:       ref(col, headingRow),
			Categories: ref(1, headingRow+1) + ":$A$" + strconv.Itoa(lastRow),
			Values:     ref(col, headingRow+1) + ":$" + column(col) + "$" + strconv.Itoa(lastRow),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
		}
	}
	funded := series(4, "1F4E78")
	funded.Line = excelize.LineOptions{Width: 2.25, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}}}
	funded.Marker = excelize.ChartMarker{Symbol: "none"}
	gap := uint(20)
	overlap := 100
	return b.f.AddChart(sheet, "D"+strconv.Itoa(kpiRow), &excelize.Chart{
		Type:      excelize.ColStacked,
		Series:    []excelize.ChartSeries{series(2, phaseColour(phaseProductive)), series(3, phaseColour(phaseAfterEnd))},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.t("workbook.chart_title")}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 760, Height: chartHeight},
		XAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "mmm yy"}},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0.0"}},
		GapWidth:  &gap,
		Overlap:   &overlap,
		Format:    excelize.GraphicOptions{AltText: b.t("workbook.chart_title")},
	}, &excelize.Chart{
		Type:   excelize.Line,
		Series: []excelize.ChartSeries{funded},
	})
}
