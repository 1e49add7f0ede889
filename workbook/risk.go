package workbook

import (
	"github.com/xuri/excelize/v2"
)

// writeRisk writes the risk run (docs/risk.md): how it was run, the decision
// date at its confidence, per post the chances as percentages and the
// percentile dates, and the scenario's chance that every post is safe
// with the percentiles of productive FTE-months.
func (b *book) writeRisk() error {
	r := b.opts.Risk
	sheet := b.t("workbook.sheet.risk")
	if err := b.printSetup(sheet, 0); err != nil {
		return err
	}
	w := &sheetWriter{b: b, sheet: sheet}
	s := &b.styles
	w.widths(46, 14, 20, 20, 14, 14, 14)
	percent := func(p float64) excelize.Cell { return excelize.Cell{StyleID: s.percent, Value: p} }
	integer := func(n int) excelize.Cell { return excelize.Cell{StyleID: s.integer, Value: n} }

	w.row(1, text(b.plan.Scenario, s.title))
	w.row(2, text(b.t("term.trials"), s.bold), integer(r.Trials))
	w.row(3, text(b.t("term.seed"), s.bold), excelize.Cell{StyleID: s.integer, Value: r.Seed})
	row := 4
	if r.Confidence > 0 {
		decision := text(b.t("common.none"), s.text)
		if r.LatestDecision != nil {
			decision = b.dateCell(*r.LatestDecision, s.dateBold)
		}
		w.row(row, text(b.t("workbook.risk_decision"), s.bold), decision, percent(r.Confidence))
		row++
	}
	w.row(row, text(b.t("term.p_all_safe"), s.bold), percent(r.Summary.PAllSafe))
	row++
	w.row(row, text(b.t("workbook.fte_months_percentiles"), s.bold),
		excelize.Cell{StyleID: s.months, Value: decimal(r.Summary.ProductiveFTEMonthsP10)},
		excelize.Cell{StyleID: s.months, Value: decimal(r.Summary.ProductiveFTEMonthsP50)},
		excelize.Cell{StyleID: s.months, Value: decimal(r.Summary.ProductiveFTEMonthsP90)})
	row += 2

	header := row
	w.row(header, text(b.t("term.post"), s.heading), text(b.t("term.funding_end"), s.heading),
		text(b.t("term.productive_by_end"), s.headingRight), text(b.t("term.min_time_met"), s.headingRight),
		text(b.t("term.productive")+" P10", s.heading), text("P50", s.heading), text("P90", s.heading))
	for i, p := range r.Positions {
		row++
		pp := &b.plan.Positions[i]
		w.row(row, text(postName(pp), s.text), b.dateCell(pp.FundingEnd, s.date),
			percent(p.PProductiveByEnd), percent(p.PMeetsMinProductive),
			b.dateCell(p.ProductiveP10, s.date), b.dateCell(p.ProductiveP50, s.date), b.dateCell(p.ProductiveP90, s.date))
	}
	if w.err != nil {
		return w.err
	}
	if err := b.f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: header, TopLeftCell: cell(2, header+1), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	return b.f.AutoFilter(sheet, cell(1, header)+":"+cell(7, max(row, header)), nil)
}
