package workbook

import (
	"strconv"

	"github.com/xuri/excelize/v2"

	"grantplan/planner"
)

// The Budget sheet's layout: title rows, the heading row, a row a budget
// year, the totals; below them the draw-down again, a row a year and
// source, for a pivot table or a filter.
const (
	budgetTitleRow   = 1
	budgetStartRow   = 2
	budgetHorizonRow = 3
	budgetHeadingRow = 5
	budgetFirstRow   = 6

	budgetColYear   = 1
	budgetColCost   = 2
	budgetColFunded = 3
	budgetColOwn    = 4
	budgetColDraws  = 5 // the first source's draw-down
)

// writeBudget writes the budget years (docs/scenario.md, Cost, own share
// and budget years) as a county treasury reads them: a row a year with
// its cost, what the sources pay, the own share and each source's
// draw-down, in euros, and a totals row that sums the years by formula;
// then each year's draw-down a row a source. It prints on A4, one page
// wide, with the heading row on every page; columns and rows are as wide
// and tall as their texts.
func (b *book) writeBudget() error {
	sheet := b.t("workbook.sheet.budget")
	sum := &b.plan.Summary
	columns := budgetColDraws - 1 + len(sum.Funding)
	// Portrait while the years and four sources fit the page's width.
	if err := b.printSetup(sheet, columns > budgetColDraws+3, budgetHeadingRow, budgetHeadingRow); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, XSplit: 1, YSplit: budgetHeadingRow,
		TopLeftCell: cell(2, budgetFirstRow), ActivePane: "bottomRight",
	}); err != nil {
		return err
	}
	s := &b.styles
	money := func(d planner.Decimal) excelize.Cell { return excelize.Cell{StyleID: s.money, Value: decimal(d)} }

	heading := []string{b.t("term.budget_year"), b.t("workbook.cost"), b.t("term.funded_cost"), b.t("term.own_share")}
	for _, f := range sum.Funding {
		heading = append(heading, b.lang.Printf("workbook.draw_down", f.Name))
	}
	widths := b.budgetWidths(heading)
	if err := setWidths(sw, widthsFrom(1, widths...)); err != nil {
		return err
	}

	// The stream writer takes rows in order.
	for _, r := range []struct {
		row   int
		cells []any
	}{
		{budgetTitleRow, []any{text(b.plan.Scenario, s.title)}},
		{budgetStartRow, []any{text(b.t("term.planning_start"), s.bold), b.dateCell(b.plan.Start, s.dateBold)}},
		{budgetHorizonRow, []any{text(b.t("term.horizon"), s.bold), b.dateCell(b.plan.Horizon, s.dateBold)}},
	} {
		if err := sw.SetRow(cell(1, r.row), r.cells); err != nil {
			return err
		}
	}
	if len(sum.Budget) == 0 {
		message := b.lang.Printf("workbook.budget_empty", b.lang.Date(b.plan.Start), b.lang.Date(b.plan.Horizon))
		if err := sw.SetRow(cell(1, budgetHeadingRow), []any{text(message, s.text)}); err != nil {
			return err
		}
		return sw.Flush()
	}

	cells := make([]any, len(heading))
	headingLines := 1
	for i, h := range heading {
		style := s.headingRight
		if i == 0 {
			style = s.heading
		}
		cells[i] = text(h, style)
		headingLines = max(headingLines, lines(h, widths[i], true))
	}
	if err := sw.SetRow(cell(1, budgetHeadingRow), cells, excelize.RowOpts{Height: rowHeight(headingLines)}); err != nil {
		return err
	}
	// The totals are the sums of the years as written, so that they add up
	// in the sheet; the plan rounds its own totals from the exact amounts,
	// which may differ by cents (a note below says so where they do).
	totals := make([]int64, columns-1)
	row := budgetFirstRow
	for _, y := range sum.Budget {
		values := []any{excelize.Cell{StyleID: s.integer, Value: y.Year}}
		for i, a := range budgetAmounts(&y) {
			values = append(values, money(a))
			totals[i] += a.Units
		}
		if err := sw.SetRow(cell(1, row), values); err != nil {
			return err
		}
		row++
	}
	last := row - 1
	values := []any{text(b.t("workbook.total"), s.totalText)}
	for i, units := range totals {
		col := column(budgetColCost + i)
		values = append(values, excelize.Cell{
			StyleID: s.totalMoney,
			Formula: "SUM(" + col + strconv.Itoa(budgetFirstRow) + ":" + col + strconv.Itoa(last) + ")",
			Value:   decimal(planner.Decimal{Units: units, Places: 2}),
		})
	}
	if err := sw.SetRow(cell(1, row), values); err != nil {
		return err
	}
	row++
	if totals[0] != sum.TotalCost.Units || totals[2] != sum.OwnShare.Units {
		note := b.lang.Printf("workbook.budget_rounding", b.lang.Money(sum.TotalCost), b.lang.Money(sum.OwnShare))
		if err := sw.SetRow(cell(1, row), []any{text(note, s.text)}); err != nil {
			return err
		}
		row++
	}

	// The draw-down a row a year and source.
	row++
	if err := sw.SetRow(cell(1, row), []any{text(b.t("workbook.draw_down_by_source"), s.bold)}); err != nil {
		return err
	}
	row++
	drawHeading := []string{b.t("term.budget_year"), b.t("term.source"), b.t("term.name"), b.t("term.draw_down")}
	headingLines = 1
	for i, h := range drawHeading {
		style := s.heading
		if i == len(drawHeading)-1 {
			style = s.headingRight
		}
		cells[i] = text(h, style)
		headingLines = max(headingLines, lines(h, widths[i], true))
	}
	if err := sw.SetRow(cell(1, row), cells[:len(drawHeading)], excelize.RowOpts{Height: rowHeight(headingLines)}); err != nil {
		return err
	}
	for _, y := range sum.Budget {
		for i, f := range y.Funding {
			row++
			name := sum.Funding[i].Name
			if err := sw.SetRow(cell(1, row), []any{
				excelize.Cell{StyleID: s.integer, Value: y.Year}, text(f.ID, s.text), text(name, s.wrap), money(f.Funded),
			}, excelize.RowOpts{Height: rowHeight(lines(name, widths[2], false))}); err != nil {
				return err
			}
		}
	}
	return sw.Flush()
}

// budgetAmounts are a budget year's amounts in the sheet's order: cost,
// funded, own share, each source's draw-down.
func budgetAmounts(y *planner.BudgetYear) []planner.Decimal {
	amounts := []planner.Decimal{y.Cost, y.Funded, y.OwnShare}
	for _, f := range y.Funding {
		amounts = append(amounts, f.Funded)
	}
	return amounts
}

// budgetWidths are the Budget sheet's column widths, from their texts:
// the headings of both tables (which wrap at their words), the labels of
// the title rows and the totals, the largest amount as the money format
// shows it, the sources' ids and names (which wrap).
func (b *book) budgetWidths(heading []string) []float64 {
	sum := &b.plan.Summary
	cols := make([]fit, max(len(heading), 4))
	var most int64
	for _, y := range sum.Budget {
		for _, a := range budgetAmounts(&y) {
			most = max(most, a.Units)
		}
	}
	for _, a := range []planner.Decimal{sum.TotalCost, sum.FundedCost, sum.OwnShare} {
		most = max(most, a.Units)
	}
	amount := b.lang.Money(planner.Decimal{Units: most, Places: 2})
	for i, h := range heading {
		cols[i].heading(h)
		if i > 0 {
			cols[i].text(amount, true) // the totals are bold
		}
	}
	year := &cols[budgetColYear-1]
	for _, label := range []string{"term.planning_start", "term.horizon", "workbook.total"} {
		year.text(b.t(label), true)
	}
	year.heading(b.t("term.budget_year"))
	date := b.lang.Date(b.plan.Horizon)
	cols[1].text(date, true)
	for _, f := range sum.Funding {
		cols[1].text(f.ID, false)
		cols[2].wrapping(f.Name, false)
	}
	cols[1].heading(b.t("term.source"))
	cols[2].heading(b.t("term.name"))
	cols[3].heading(b.t("term.draw_down"))
	widths := make([]float64, len(cols))
	for i := range cols {
		widths[i] = cols[i].width(10, 30)
	}
	return widths
}
