package workbook

import (
	"github.com/xuri/excelize/v2"
)

// writeFlags writes one row per flag, in the plan's order (worst first):
// the severity in its colour, the code, the post (or funding source), the
// message in the workbook's language and the days.
func (b *book) writeFlags() error {
	sheet := b.t("workbook.sheet.flags")
	if err := b.printSetup(sheet, 1); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := setWidths(sw, widthsFrom(1, 12, 30, 28, 110, 8)); err != nil {
		return err
	}
	s := &b.styles
	if err := sw.SetRow("A1", []any{
		text(b.t("term.severity"), s.heading), text(b.t("workbook.code"), s.heading), text(b.t("workbook.post_or_source"), s.heading),
		text(b.t("workbook.message"), s.heading), text(b.t("workbook.days"), s.headingRight),
	}); err != nil {
		return err
	}
	row := 2
	for _, f := range b.plan.Flags {
		subject := f.Position
		if subject == "" {
			subject = f.Funding
		}
		days := excelize.Cell{StyleID: s.integer}
		if f.Days != nil {
			days.Value = *f.Days
		}
		if err := sw.SetRow(cell(1, row), []any{
			text(b.lang.Severity(f.Severity), s.severity[f.Severity.Rank()]),
			text(string(f.Code), s.text),
			text(subject, s.text),
			text(b.lang.Flag(f), s.wrap),
			days,
		}); err != nil {
			return err
		}
		row++
	}
	if err := b.f.AutoFilter(sheet, "A1:"+cell(5, max(row-1, 1)), nil); err != nil {
		return err
	}
	return sw.Flush()
}
