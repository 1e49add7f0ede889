package workbook

import (
	"strconv"

	"github.com/rickb777/date/v2"
	"github.com/xuri/excelize/v2"
)

// writeRisk writes the risk run (docs/risk.md): how it was run, the decision
// date at its confidence, per post the chances as percentages and the
// percentile dates, and the scenario's chance that every post is safe
// with the percentiles of productive FTE-months. It prints on A4, one page
// wide with the posts' names, its heading row on every page.
func (b *book) writeRisk() error {
	r := b.opts.Risk
	sheet := b.t("workbook.sheet.risk")
	w := &sheetWriter{b: b, sheet: sheet}
	s := &b.styles
	percent := func(p float64) excelize.Cell { return excelize.Cell{StyleID: s.percent, Value: p} }
	integer := func(n int) excelize.Cell { return excelize.Cell{StyleID: s.integer, Value: n} }
	var cols columns

	w.row(1, text(b.plan.Scenario, s.title))
	w.row(2, text(b.t("term.trials"), s.boldWrap), integer(r.Trials))
	w.row(3, text(b.t("term.seed"), s.boldWrap), excelize.Cell{StyleID: s.integer, Value: r.Seed})
	cols.at(2).text(strconv.FormatUint(r.Seed, 10), false)
	row := 4
	labels := []string{b.t("term.trials"), b.t("term.seed"), b.t("term.p_all_safe"), b.t("workbook.fte_months_percentiles")}
	if r.Confidence > 0 {
		decision := text(b.t("common.none"), s.text)
		if r.LatestDecision != nil {
			decision = b.dateCell(*r.LatestDecision, s.dateBold)
		}
		w.row(row, text(b.t("workbook.risk_decision"), s.boldWrap), decision, percent(r.Confidence))
		labels = append(labels, b.t("workbook.risk_decision"))
		row++
	}
	w.row(row, text(b.t("term.p_all_safe"), s.boldWrap), percent(r.Summary.PAllSafe))
	row++
	w.row(row, text(b.t("workbook.fte_months_percentiles"), s.boldWrap),
		excelize.Cell{StyleID: s.months, Value: decimal(r.Summary.ProductiveFTEMonthsP10)},
		excelize.Cell{StyleID: s.months, Value: decimal(r.Summary.ProductiveFTEMonthsP50)},
		excelize.Cell{StyleID: s.months, Value: decimal(r.Summary.ProductiveFTEMonthsP90)})
	row++
	w.row(row, text(b.t("workbook.own_share_percentiles"), s.bold),
		excelize.Cell{StyleID: s.money, Value: decimal(r.Summary.OwnShareP10)},
		excelize.Cell{StyleID: s.money, Value: decimal(r.Summary.OwnShareP50)},
		excelize.Cell{StyleID: s.money, Value: decimal(r.Summary.OwnShareP90)})
	row += 2
	// The labels above the table run over the empty cells beside them only
	// where the names' column is narrower: the column takes the longest.
	for _, label := range labels {
		cols.at(1).wrapping(label, true)
	}

	header := row
	headings := []string{b.t("term.post"), b.t("term.funding_end"), b.t("term.productive_by_end"), b.t("term.min_time_met"),
		b.t("term.productive") + " P10", "P50", "P90"}
	for i, h := range headings {
		style := s.heading
		if i == 2 || i == 3 {
			style = s.headingRight
		}
		w.set(i+1, header, text(h, style))
		cols.at(i + 1).heading(h)
	}
	sample := b.lang.Date(date.New(2000, 12, 31))
	for i, p := range r.Positions {
		row++
		pp := &b.plan.Positions[i]
		w.row(row, text(postName(pp), s.wrap), b.dateCell(pp.FundingEnd, s.date),
			percent(p.PProductiveByEnd), percent(p.PMeetsMinProductive),
			b.dateCell(p.ProductiveP10, s.date), b.dateCell(p.ProductiveP50, s.date), b.dateCell(p.ProductiveP90, s.date))
		cols.at(1).wrapping(postName(pp), false)
	}
	for _, col := range []int{2, 5, 6, 7} {
		cols.at(col).text(sample, false)
	}
	for _, col := range []int{3, 4} {
		cols.at(col).text("100.00%", false)
	}
	widths := make([]float64, len(cols))
	for i := range cols {
		widths[i] = cols[i].width(9, 16)
	}
	widths[0] = cols[0].width(20, 50)
	w.widths(widths...)
	for i := 2; i < header; i++ {
		label, _ := b.f.GetCellValue(sheet, cell(1, i))
		w.height(i, lines(label, widths[0], true))
	}
	n := 1
	for i, h := range headings {
		n = max(n, lines(h, widths[i], true))
	}
	w.height(header, n)
	for i := range r.Positions {
		w.height(header+1+i, lines(postName(&b.plan.Positions[i]), widths[0], false))
	}
	if w.err != nil {
		return w.err
	}
	if err := b.f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: header, TopLeftCell: cell(2, header+1), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := b.f.AutoFilter(sheet, cell(1, header)+":"+cell(7, max(row, header)), nil); err != nil {
		return err
	}
	return b.printSetup(sheet, false, header, header)
}
