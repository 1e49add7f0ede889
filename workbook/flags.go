package workbook

import (
	"github.com/xuri/excelize/v2"
)

// The Flags sheet's columns; the last two are technical and hidden: the
// post's or source's id and the flag's code.
const (
	colFlagSeverity = 1
	colFlagSubject  = 2
	colFlagMessage  = 3
	colFlagDays     = 4
	colFlagID       = 5
	colFlagCode     = 6
)

// writeFlags writes one row per flag, in the plan's order (worst first):
// the severity in its colour, the post (or funding source) by name, the
// message in the workbook's language, wrapped, and the days.
func (b *book) writeFlags() error {
	sheet := b.t("workbook.sheet.flags")
	if err := b.printSetup(sheet, false, 1, 1); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	names := make(map[string]string, len(b.plan.Positions)+len(b.plan.Summary.Funding))
	for i := range b.plan.Positions {
		names[b.plan.Positions[i].ID] = postName(&b.plan.Positions[i])
	}
	for _, f := range b.plan.Summary.Funding {
		names[f.ID] = f.Name
	}
	type flagRow struct {
		severity, subject, id, message string
	}
	rows := make([]flagRow, len(b.plan.Flags))
	var severity, subject, id, code fit
	headings := []string{b.t("term.severity"), b.t("workbook.post_or_source"), b.t("workbook.message"), b.t("workbook.days"), b.t("term.id"), b.t("workbook.code")}
	severity.heading(headings[0])
	subject.heading(headings[1])
	id.text(headings[4], true)
	code.text(headings[5], true)
	for i, f := range b.plan.Flags {
		r := flagRow{severity: b.lang.Severity(f.Severity), id: f.Position, message: b.lang.Flag(f)}
		if r.id == "" {
			r.id = f.Funding
		}
		r.subject = names[r.id]
		severity.text(r.severity, false)
		subject.wrapping(r.subject, false)
		id.text(r.id, false)
		code.text(string(f.Code), false)
		rows[i] = r
	}
	var days fit
	days.text("0000", false)
	days.heading(headings[3])
	widths := []float64{severity.width(10, 16), subject.width(16, 36), 70, days.width(6, 10), id.width(8, 40), code.width(8, 40)}
	if err := setWidths(sw, widthsFrom(1, widths...)); err != nil {
		return err
	}
	if err := sw.SetColVisible(colFlagID, colFlagCode, false); err != nil {
		return err
	}
	s := &b.styles
	headingLines := 1
	for i, h := range headings[:colFlagDays] {
		headingLines = max(headingLines, lines(h, widths[i], true))
	}
	if err := sw.SetRow("A1", []any{
		text(headings[0], s.heading), text(headings[1], s.heading), text(headings[2], s.heading),
		text(headings[3], s.headingRight), text(headings[4], s.heading), text(headings[5], s.heading),
	}, excelize.RowOpts{Height: rowHeight(headingLines)}); err != nil {
		return err
	}
	row := 2
	for i, f := range b.plan.Flags {
		r := &rows[i]
		days := excelize.Cell{StyleID: s.integer}
		if f.Days != nil {
			days.Value = *f.Days
		}
		n := max(lines(r.message, widths[colFlagMessage-1], false), lines(r.subject, widths[colFlagSubject-1], false))
		if err := sw.SetRow(cell(1, row), []any{
			text(r.severity, s.severity[f.Severity.Rank()]),
			text(r.subject, s.wrap),
			text(r.message, s.wrap),
			days,
			text(r.id, s.text),
			text(string(f.Code), s.text),
		}, excelize.RowOpts{Height: rowHeight(n)}); err != nil {
			return err
		}
		row++
	}
	if err := b.f.AutoFilter(sheet, "A1:"+cell(colFlagCode, max(row-1, 1)), nil); err != nil {
		return err
	}
	return sw.Flush()
}
