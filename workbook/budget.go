package workbook

import (
	"strconv"

	"github.com/xuri/excelize/v2"

	"grantplan/locale"
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

// budgetStyles are the Budget sheet's own styles: the totals row, bold
// with a rule above it.
type budgetStyles struct {
	totalText, totalMoney int
}

func (b *book) newBudgetStyles() (budgetStyles, error) {
	moneyFormat := `#,##0.00 "EUR"`
	if b.lang == locale.German {
		moneyFormat = `#,##0.00 "€"`
	}
	rule := []excelize.Border{{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 6}} // thin above, double below
	var s budgetStyles
	var err error
	if s.totalText, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: rule}); err != nil {
		return s, err
	}
	s.totalMoney, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: rule, CustomNumFmt: &moneyFormat})
	return s, err
}

// writeBudget writes the budget years (docs/scenario.md, Cost, own share
// and budget years) as a county treasury reads them: a row a year with
// its cost, what the sources pay, the own share and each source's
// draw-down, in euros, and a totals row that sums the years by formula;
// then each year's draw-down a row a source. It prints on A4, landscape
// like every sheet, one page wide, with the heading rows on every page.
func (b *book) writeBudget() error {
	sheet := b.t("workbook.sheet.budget")
	sum := &b.plan.Summary
	columns := budgetColDraws - 1 + len(sum.Funding)
	if err := b.printSetup(sheet, budgetHeadingRow); err != nil {
		return err
	}
	a4 := 9 // in the paper sizes of Office Open XML
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4}); err != nil {
		return err
	}
	bs, err := b.newBudgetStyles()
	if err != nil {
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
	if err := setWidths(sw, []columnWidths{{budgetColYear, budgetColYear, 16}, {budgetColCost, max(columns, budgetColCost+2), 18}}); err != nil {
		return err
	}
	s := &b.styles
	money := func(d planner.Decimal) excelize.Cell { return excelize.Cell{StyleID: s.money, Value: decimal(d)} }
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

	heading := []any{
		text(b.t("term.budget_year"), s.heading), text(b.t("workbook.cost"), s.headingRight),
		text(b.t("term.funded_cost"), s.headingRight), text(b.t("term.own_share"), s.headingRight),
	}
	for _, f := range sum.Funding {
		heading = append(heading, text(b.lang.Printf("workbook.draw_down", f.Name), s.headingRight))
	}
	if err := sw.SetRow(cell(1, budgetHeadingRow), heading, excelize.RowOpts{Height: 45}); err != nil {
		return err
	}
	// The totals are the sums of the years as written, so that they add up
	// in the sheet; the plan rounds its own totals from the exact amounts,
	// which may differ by cents (a note below says so where they do).
	totals := make([]int64, columns-1)
	row := budgetFirstRow
	for _, y := range sum.Budget {
		amounts := []planner.Decimal{y.Cost, y.Funded, y.OwnShare}
		for _, f := range y.Funding {
			amounts = append(amounts, f.Funded)
		}
		values := []any{excelize.Cell{StyleID: s.integer, Value: y.Year}}
		for i, a := range amounts {
			values = append(values, money(a))
			totals[i] += a.Units
		}
		if err := sw.SetRow(cell(1, row), values); err != nil {
			return err
		}
		row++
	}
	last := row - 1
	values := []any{text(b.t("workbook.total"), bs.totalText)}
	for i, units := range totals {
		col := column(budgetColCost + i)
		values = append(values, excelize.Cell{
			StyleID: bs.totalMoney,
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
	if err := sw.SetRow(cell(1, row), []any{
		text(b.t("term.budget_year"), s.heading), text(b.t("term.source"), s.heading),
		text(b.t("term.name"), s.heading), text(b.t("term.draw_down"), s.headingRight),
	}); err != nil {
		return err
	}
	for _, y := range sum.Budget {
		for i, f := range y.Funding {
			row++
			if err := sw.SetRow(cell(1, row), []any{
				excelize.Cell{StyleID: s.integer, Value: y.Year}, text(f.ID, s.text), text(sum.Funding[i].Name, s.wrap), money(f.Funded),
			}); err != nil {
				return err
			}
		}
	}
	return sw.Flush()
}
