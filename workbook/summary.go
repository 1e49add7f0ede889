package workbook

import (
	"math"
	"strconv"

	"github.com/rickb777/date/v2"
	"github.com/xuri/excelize/v2"

	"grantplan/planner"
)

// The Summary sheet's layout: key figures from kpiRow, the chart beside
// them, the funding sources from fundingRow on, then the chart's data.
const (
	summaryTitleRow = 1
	kpiRow          = 6
	fundingRow      = 26
	chartHeight     = 360 // pixels: rows kpiRow to fundingRow-2, 20 pixels each
)

// The funding table's columns; the last is technical and hidden.
const (
	colSourceName = 1
	colSourceID   = 9
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

// height sets the height of row for its most lines.
func (w *sheetWriter) height(row, n int) {
	if h := rowHeight(n); w.err == nil && h > 0 {
		w.err = w.b.f.SetRowHeight(w.sheet, row, h)
	}
}

func (w *sheetWriter) widths(widths ...float64) {
	for i, width := range widths {
		if w.err == nil {
			w.err = w.b.f.SetColWidth(w.sheet, column(i+1), column(i+1), width)
		}
	}
}

// hide hides column col.
func (w *sheetWriter) hide(col int) {
	if w.err == nil {
		w.err = w.b.f.SetColVisible(w.sheet, column(col), false)
	}
}

// columns fits a sheet's columns to the texts they will show.
type columns []fit

func (c *columns) at(col int) *fit {
	for len(*c) < col {
		*c = append(*c, fit{})
	}
	return &(*c)[col-1]
}

// writeSummary writes the key figures as numbers and dates with number
// formats, each funding source's need against what it makes available,
// and a chart of productive FTE per month against the funded FTE.
func (b *book) writeSummary() error {
	sheet := b.t("workbook.sheet.summary")
	w := &sheetWriter{b: b, sheet: sheet}
	s := &b.styles
	l := b.lang
	sum := &b.plan.Summary
	var cols columns

	w.row(summaryTitleRow, text(b.plan.Scenario, s.title))
	w.row(summaryTitleRow+1, text(b.t("term.planning_start"), s.bold), b.dateCell(b.plan.Start, s.dateBold))
	w.row(summaryTitleRow+2, text(b.t("workbook.exported"), s.bold), b.dateCell(b.opts.Exported, s.dateBold))
	w.row(summaryTitleRow+3, text(b.t("workbook.revision"), s.bold), text(b.revisionText(), s.bold))
	for _, id := range []string{"term.planning_start", "workbook.exported", "workbook.revision"} {
		cols.at(1).text(b.t(id), true)
	}

	w.row(kpiRow, text(b.t("term.key_figures"), s.heading), text(b.t("workbook.value"), s.headingRight))
	cols.at(1).heading(b.t("term.key_figures"))
	cols.at(2).heading(b.t("workbook.value"))
	integer := func(n int) excelize.Cell { return excelize.Cell{StyleID: s.integer, Value: n} }
	latestSafe, latestText := text(b.t("common.none"), s.text), b.t("common.none")
	if sum.LatestSafeStart != nil {
		latestSafe, latestText = b.dateCell(*sum.LatestSafeStart, s.date), l.Date(*sum.LatestSafeStart)
	}
	for i, kpi := range []struct {
		label string
		value excelize.Cell
		shown string // the value as the cell shows it, for the width
	}{
		{b.t("term.posts"), integer(sum.Positions), strconv.Itoa(sum.Positions)},
		{b.t("term.critical_flags"), integer(sum.Critical), strconv.Itoa(sum.Critical)},
		{b.t("term.warnings"), integer(sum.Warnings), strconv.Itoa(sum.Warnings)},
		{b.t("term.infos"), integer(sum.Infos), strconv.Itoa(sum.Infos)},
		{b.t("term.utilisation"), excelize.Cell{StyleID: s.percent, Value: decimal(sum.Utilization)}, "100.00%"},
		{b.t("term.productive_fte_months"), excelize.Cell{StyleID: s.months, Value: decimal(sum.ProductiveFTEMonths)}, l.Number(sum.ProductiveFTEMonths)},
		{b.t("term.potential_fte_months"), excelize.Cell{StyleID: s.months, Value: decimal(sum.PotentialFTEMonths)}, l.Number(sum.PotentialFTEMonths)},
		{b.t("term.total_cost"), excelize.Cell{StyleID: s.money, Value: decimal(sum.TotalCost)}, l.Money(sum.TotalCost)},
		{b.t("term.funded_cost"), excelize.Cell{StyleID: s.money, Value: decimal(sum.FundedCost)}, l.Money(sum.FundedCost)},
		{b.t("term.own_share"), excelize.Cell{StyleID: s.money, Value: decimal(sum.OwnShare)}, l.Money(sum.OwnShare)},
		{b.t("term.cost_after_funding"), excelize.Cell{StyleID: s.money, Value: decimal(sum.CostAfterFunding)}, l.Money(sum.CostAfterFunding)},
		{b.t("workbook.onboarding_cost"), excelize.Cell{StyleID: s.money, Value: decimal(sum.OnboardingCost)}, l.Money(sum.OnboardingCost)},
		{b.t("term.unclaimed"), excelize.Cell{StyleID: s.money, Value: decimal(sum.Unclaimed)}, l.Money(sum.Unclaimed)},
		{b.t("term.last_filled"), b.dateCell(sum.LastFilled, s.date), l.Date(sum.LastFilled)},
		{b.t("term.last_productive"), b.dateCell(sum.LastProductive, s.date), l.Date(sum.LastProductive)},
		{b.t("term.latest_safe_decision"), latestSafe, latestText},
	} {
		w.row(kpiRow+1+i, text(kpi.label, s.text), kpi.value)
		cols.at(1).text(kpi.label, false)
		cols.at(2).text(kpi.shown, false)
	}

	w.row(fundingRow-1, text(b.t("term.funding_sources"), s.bold))
	headings := []string{b.t("term.name"), b.t("term.start"), b.t("term.end"), b.t("term.cap"), b.t("term.need"),
		b.t("term.available"), b.t("term.over_by"), b.t("term.unclaimed"), b.t("term.id")}
	for i, h := range headings {
		style := s.headingRight
		if i == 0 || i == colSourceID-1 {
			style = s.heading
		}
		w.set(i+1, fundingRow, text(h, style))
		cols.at(i + 1).heading(h)
	}
	row := fundingRow + 1
	for _, f := range sum.Funding {
		money := func(d *planner.Decimal) (excelize.Cell, string) {
			if d == nil {
				return excelize.Cell{}, ""
			}
			return excelize.Cell{StyleID: s.money, Value: decimal(*d)}, l.Money(*d)
		}
		capCell, capText := money(f.Cap)
		needCell, needText := money(&f.Need)
		availableCell, availableText := money(f.Available)
		overCell, overText := money(f.OverBy)
		unclaimedCell, unclaimedText := money(f.Unclaimed)
		w.row(row, text(f.Name, s.wrap), b.dateCell(f.Start, s.date), b.dateCell(f.End, s.date),
			capCell, needCell, availableCell, overCell, unclaimedCell, text(f.ID, s.text))
		for i, shown := range []string{f.Name, l.Date(f.Start), l.Date(f.End), capText, needText, availableText, overText, unclaimedText, f.ID} {
			if i == 0 {
				cols.at(1).wrapping(shown, false)
			} else {
				cols.at(i+1).text(shown, false)
			}
		}
		row++
	}

	// The chart's data: one row per month, named by a text that the chart
	// takes for its axis (Excel and LibreOffice alike), beside the
	// month's first day as a date.
	row++
	w.row(row, text(b.t("workbook.per_month"), s.bold))
	row++
	headingRow := row
	monthHeadings := []string{b.t("workbook.month"), b.t("workbook.month_start"), b.t("workbook.productive_fte"),
		b.t("workbook.productive_after_end"), b.t("workbook.funded_fte")}
	for i, h := range monthHeadings {
		style := s.headingRight
		if i == 0 {
			style = s.heading
		}
		w.set(i+1, row, text(h, style))
		cols.at(i + 1).heading(h)
	}
	months := b.timeline.months
	fte := newMonthlyFTE(b.plan, months)
	round := func(x float64) float64 { return math.Round(x*10000) / 10000 }
	for i, month := range months {
		row++
		label := b.monthName(month.first)
		w.row(row, text(label, s.text), b.dateCell(month.first, s.date),
			excelize.Cell{StyleID: s.fte, Value: round(fte.productive[i])},
			excelize.Cell{StyleID: s.fte, Value: round(fte.afterEnd[i])},
			excelize.Cell{StyleID: s.fte, Value: round(fte.funded[i])})
		cols.at(1).text(label, false)
	}

	widths := make([]float64, len(cols))
	for i := range cols {
		widths[i] = cols[i].width(10, 18)
	}
	widths[0] = cols[0].width(14, 52)
	w.widths(widths...)
	w.hide(colSourceID)
	n := 1
	for i, h := range headings[:colSourceID-1] {
		n = max(n, lines(h, widths[i], true))
	}
	w.height(fundingRow, n)
	for i := fundingRow + 1; i <= fundingRow+len(sum.Funding); i++ {
		w.height(i, lines(sum.Funding[i-fundingRow-1].Name, widths[0], false))
	}
	n = 1
	for i, h := range monthHeadings {
		n = max(n, lines(h, widths[i], true))
	}
	w.height(headingRow, n)
	if w.err != nil {
		return w.err
	}
	if len(months) > 0 {
		if err := b.addChart(sheet, headingRow, row); err != nil {
			return err
		}
	}
	return b.printSetup(sheet, true, 0, 0)
}

// monthName is a month as the chart's axis names it: "Okt 2021".
func (b *book) monthName(first date.Date) string {
	y, m, _ := first.Date()
	return b.lang.Printf("workbook.month_name", b.t(monthIDs[m-1]), y)
}

// monthIDs are the message ids of the months' short names.
var monthIDs = [12]string{
	"chart.month.1", "chart.month.2", "chart.month.3", "chart.month.4", "chart.month.5", "chart.month.6",
	"chart.month.7", "chart.month.8", "chart.month.9", "chart.month.10", "chart.month.11", "chart.month.12",
}

// addChart draws productive FTE per month as stacked columns (funded,
// then after the funding end) and the funded FTE as a line: where the
// line drops to zero is the funding end, and the gap between the columns
// and the line is the funded time no one works productively. Its axis
// names the months by the text column, which Excel and LibreOffice both
// show as written.
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
	funded := series(5, "1F4E78")
	funded.Line = excelize.LineOptions{Width: 2.25, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}}}
	funded.Marker = excelize.ChartMarker{Symbol: "none"}
	gap := uint(20)
	overlap := 100
	// Every month gets a column, but at most about a dozen get a name,
	// so that the names stand on one line.
	skip := max(1, (lastRow-headingRow+11)/12)
	// Turned, a month's name never breaks over lines; dark enough to print.
	axis := excelize.ChartAxis{TickLabelSkip: skip, Alignment: excelize.Alignment{TextRotation: -45}, Font: excelize.Font{Color: "404040"}}
	return b.f.AddChart(sheet, "D"+strconv.Itoa(kpiRow), &excelize.Chart{
		Type:      excelize.ColStacked,
		Series:    []excelize.ChartSeries{series(3, phaseColour(phaseProductive)), series(4, phaseColour(phaseAfterEnd))},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.t("workbook.chart_title")}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 760, Height: chartHeight},
		XAxis:     axis,
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0.0"}, Font: excelize.Font{Color: "404040"}},
		GapWidth:  &gap,
		Overlap:   &overlap,
		Format:    excelize.GraphicOptions{AltText: b.t("workbook.chart_title")},
	}, &excelize.Chart{
		Type:   excelize.Line,
		Series: []excelize.ChartSeries{funded},
		// The axis is drawn from the last chart's options.
		XAxis: axis,
	})
}
