// Package workbook writes a plan as an Excel workbook for council members:
// a Gantt sheet with one row per post and a coloured timeline,
// a Summary with the key figures and a chart, the Budget year by year,
// the Flags, and the Assumptions the plan was made from, in English or
// German.
//
// Write is an encoder: the CLI and the HTTP handlers only choose where the
// bytes go. Every value a user typed is written as text, never as a
// formula; dates are Excel dates and amounts and months are numbers, so
// that council staff can compute with them. The layout and its choices
// are in docs/workbook.md; the words are package locale's, the colours
// package palette's.
package workbook

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/rickb777/date/v2"
	"github.com/xuri/excelize/v2"

	"grantplan/internal/names"
	"grantplan/locale"
	"grantplan/planner"
)

// ContentType is the media type of the workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Options say how to write a plan.
type Options struct {
	// Lang is the language of the sheet names, headings and messages;
	// English when empty.
	Lang locale.Lang
	// Scenario is the scenario the plan was made from; the Assumptions
	// sheet lists its inputs. Without it the workbook has no Assumptions
	// sheet.
	Scenario *planner.Scenario
	// Source is the scenario's JSON, optional: when given, the Assumptions
	// sheet shows its "defaults" object beside the built-in defaults. The
	// decoded Scenario has the defaults already resolved into every post.
	Source []byte
	// Exported is the export date printed in the title row and the
	// header, and the one the file name carries: the county's day, which
	// the caller knows (the service takes it in Europe/Berlin). It is
	// required; Write has no clock.
	Exported date.Date
	// Risk, when given, is a risk run of the same scenario (docs/risk.md),
	// written as a Risk sheet after the plan's sheets (the Input sheet
	// comes last).
	Risk *planner.Risk
	// Revision is the stored revision the plan was made from, with the
	// day it was saved; 0 for a scenario that is not stored (a file, a
	// posted body). The title rows and every page's header say which.
	Revision int
	Saved    date.Date
}

// Write writes the plan as an .xlsx workbook to w.
func Write(w io.Writer, plan *planner.Plan, opts Options) (err error) {
	if plan == nil {
		return errors.New("workbook: no plan")
	}
	if opts.Exported == 0 {
		return errors.New("workbook: no export date")
	}
	f := excelize.NewFile()
	defer func() {
		// Close removes the stream writers' temporary files.
		if closeErr := f.Close(); err == nil && closeErr != nil {
			err = fmt.Errorf("workbook: %w", closeErr)
		}
	}()
	b := &book{f: f, plan: plan, opts: opts, lang: opts.Lang, timeline: newTimeline(plan)}
	if b.lang != locale.German {
		b.lang = locale.English
	}
	if err := b.newStyles(); err != nil {
		return fmt.Errorf("workbook: styles: %w", err)
	}
	sheets := []sheet{
		{b.t("workbook.sheet.gantt"), b.writeGantt},
		{b.t("workbook.sheet.summary"), b.writeSummary},
		{b.t("workbook.sheet.budget"), b.writeBudget},
		{b.t("workbook.sheet.flags"), b.writeFlags},
	}
	if opts.Scenario != nil {
		sheets = append(sheets, sheet{b.t("workbook.sheet.assumptions"), b.writeAssumptions})
	}
	if opts.Risk != nil {
		if len(opts.Risk.Positions) != len(plan.Positions) {
			return errors.New("workbook: the risk run is not of the plan's scenario")
		}
		sheets = append(sheets, sheet{b.t("workbook.sheet.risk"), b.writeRisk})
	}
	if opts.Scenario != nil && opts.Source != nil {
		sheets = append(sheets, sheet{b.t("workbook.sheet.input"), b.writeInput})
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return fmt.Errorf("workbook: %w", err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return fmt.Errorf("workbook: %w", err)
		}
	}
	// The Gantt opens first. This reads every sheet, so it must come
	// before the stream writers fill them: afterwards it would parse the
	// streamed sheets back into memory.
	f.SetActiveSheet(0)
	for _, s := range sheets {
		if err := s.write(); err != nil {
			return fmt.Errorf("workbook: sheet %s: %w", s.name, err)
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:    plan.Scenario,
		Creator:  "grantplan",
		Language: string(b.lang),
	}); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	return nil
}

// FileName is the workbook's file name for a scenario name and an export
// date: "KIM-Kreis-Siegen-Wittgenstein-2026-11-24.xlsx". Letters (umlauts
// too) and digits are kept, every other run of characters becomes one
// "-", and the name part is at most 80 bytes; "plan" if nothing is left.
func FileName(scenario string, exported date.Date) string {
	name := names.Clean(scenario, isLetterOrDigit, 80)
	if name == "" {
		name = "plan"
	}
	return name + "-" + exported.String() + ".xlsx"
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// A sheet is a worksheet's name and the method that fills it.
type sheet struct {
	name  string
	write func() error
}

// book is one workbook being written.
type book struct {
	f        *excelize.File
	plan     *planner.Plan
	opts     Options
	lang     locale.Lang
	styles   styles
	timeline timeline
}

// t is the text of message id in the workbook's language.
func (b *book) t(id string) string { return b.lang.Text(id) }

// Excel counts days from 1899-12-30 (for dates from 1 March 1900 on; it
// takes 1900 for a leap year, so earlier dates are one less).
const (
	excelUnixEpoch = 25569   // the serial number of 1970-01-01
	excelFakeLeap  = 60      // 1900-02-29, which did not exist
	excelMaxSerial = 2958465 // 9999-12-31
)

// serial returns the Excel serial number of d, or false if Excel has none.
func serial(d date.Date) (int64, bool) {
	n := int64(d) - date.ZeroOffset + excelUnixEpoch
	if n <= excelFakeLeap {
		n--
	}
	return n, n >= 1 && n <= excelMaxSerial
}

// dateCell is a date cell: a number with the date format, or the date as
// text where Excel has no serial number for it (past the year 9999).
func (b *book) dateCell(d date.Date, style int) excelize.Cell {
	if n, ok := serial(d); ok {
		return excelize.Cell{StyleID: style, Value: n}
	}
	return excelize.Cell{StyleID: b.styles.text, Value: b.lang.Date(d)}
}

// text is a cell holding s as text. The stream writer stores strings
// inline and never as a formula, so "=1+1" stays "=1+1".
func text(s string, style int) excelize.Cell {
	return excelize.Cell{StyleID: style, Value: s}
}

// decimal returns d as a number for a cell: the float64 nearest to the
// decimal, which Excel writes back with the same digits.
func decimal(d planner.Decimal) float64 {
	f, err := strconv.ParseFloat(d.String(), 64)
	if err != nil {
		// A Decimal's String is always a number.
		panic(err)
	}
	return f
}

// cell names the cell at column col and row (both from 1).
func cell(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		// Columns and rows are bounded well inside Excel's limits.
		panic(err)
	}
	return name
}

// column names column col (from 1).
func column(col int) string {
	name, err := excelize.ColumnNumberToName(col)
	if err != nil {
		panic(err)
	}
	return name
}

// postName is how the workbook names a post: its title, else its id.
func postName(p *planner.PositionPlan) string {
	if p.Title != nil {
		return *p.Title
	}
	return p.ID
}

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// headerFooter is the print header and footer of every sheet: the
// scenario's name, the revision and the export date above, the page
// below. An "&" in the name is doubled, since Excel reads "&" as the
// start of a code.
func (b *book) headerFooter() *excelize.HeaderFooterOptions {
	name := []rune(b.plan.Scenario)
	if len(name) > 100 {
		name = append(name[:99], '…')
	}
	escaped := strings.ReplaceAll(string(name), "&", "&&")
	return &excelize.HeaderFooterOptions{
		OddHeader: "&L" + escaped + "&C" + b.revisionText() + "&R" + b.t("workbook.exported") + " " + b.lang.Date(b.opts.Exported),
		OddFooter: "&C" + b.t("workbook.page"),
	}
}

// revisionText says which revision the plan is of: "Revision 3, saved
// 2026-11-12", or that the scenario is not stored.
func (b *book) revisionText() string {
	switch {
	case b.opts.Revision == 0:
		return b.t("workbook.not_stored")
	case b.opts.Saved == 0:
		return b.lang.Printf("workbook.revision_text", b.opts.Revision)
	}
	return b.lang.Printf("workbook.revision_saved", b.opts.Revision, b.lang.Date(b.opts.Saved))
}

// paperA4 is Excel's number of the A4 paper size.
const paperA4 = 9

// printSetup sets a sheet up to print on A4, landscape or portrait, one
// page wide (as many tall as it takes), with rows first to last of the
// heading repeated on every page (none when last is 0), and the header
// and footer. A streamed sheet must be set up before its stream writer is
// made: the writer writes the sheet properties (fit to page) at once.
func (b *book) printSetup(sheet string, landscape bool, first, last int) error {
	orientation, paper, wide, tall := "portrait", paperA4, 1, 0
	if landscape {
		orientation = "landscape"
	}
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &paper, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	fit := true
	if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	centred := true
	if err := b.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Horizontally: &centred}); err != nil {
		return err
	}
	if err := b.f.SetHeaderFooter(sheet, b.headerFooter()); err != nil {
		return err
	}
	if last > 0 {
		return b.f.SetDefinedName(&excelize.DefinedName{
			Name:     "_xlnm.Print_Titles",
			RefersTo: fmt.Sprintf("%s!$%d:$%d", quoteSheet(sheet), first, last),
			Scope:    sheet,
		})
	}
	return nil
}

// quoteSheet quotes a sheet name for a reference: 'Übersicht'.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// columnWidths is the width of columns from to to (from 1).
type columnWidths struct {
	from, to int
	width    float64
}

// widthsFrom gives columns first, first+1, … the widths in turn.
func widthsFrom(first int, widths ...float64) []columnWidths {
	ranges := make([]columnWidths, len(widths))
	for i, width := range widths {
		ranges[i] = columnWidths{first + i, first + i, width}
	}
	return ranges
}

// setWidths sets column widths on a stream writer. The writer puts each
// call's columns before the earlier ones, and Excel wants them in
// ascending order, so the calls go from the last range to the first.
func setWidths(sw *excelize.StreamWriter, ranges []columnWidths) error {
	for i := len(ranges) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(ranges[i].from, ranges[i].to, ranges[i].width); err != nil {
			return err
		}
	}
	return nil
}
