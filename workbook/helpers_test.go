package workbook

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
)

// exportDate is the export date of every test workbook.
var exportDate = planner.MustParseDate("2026-11-24")

// planOf decodes and plans a scenario.
func planOf(t testing.TB, scenario []byte) (*planner.Scenario, *planner.Plan) {
	t.Helper()
	s, err := planner.Decode(scenario)
	if err != nil {
		t.Fatalf("decode scenario: %v", err)
	}
	plan, err := s.Plan(context.Background())
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return s, plan
}

// open writes the workbook of a scenario in a language and reads it back.
func open(t testing.TB, scenario []byte, lang locale.Lang) *excelize.File {
	t.Helper()
	s, plan := planOf(t, scenario)
	var buf bytes.Buffer
	if err := Write(&buf, plan, Options{Lang: lang, Scenario: s, Source: scenario, Exported: exportDate}); err != nil {
		t.Fatalf("write workbook: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("read workbook back: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func openDemo(t testing.TB, lang locale.Lang) *excelize.File {
	t.Helper()
	return open(t, data.Demo, lang)
}

// kind is a cell's type as the golden files and tests write it: "s" for
// text, "n" for a number, "f" for a formula, "b" for a boolean.
func kind(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	formula, err := f.GetCellFormula(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case formula != "" || typ == excelize.CellTypeFormula:
		return "f"
	case typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString:
		return "s"
	case typ == excelize.CellTypeBool:
		return "b"
	}
	return "n"
}

// raw returns a cell's stored value: the number or the text.
func raw(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fillOf returns the fill colour of a cell, "" for none.
func fillOf(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	style := styleOf(t, f, sheet, ref)
	if len(style.Fill.Color) == 0 {
		return ""
	}
	return strings.ToUpper(style.Fill.Color[0])
}

// redLine reports whether a cell has the funding end's heavy red right
// border.
func redLine(t testing.TB, f *excelize.File, sheet, ref string) bool {
	t.Helper()
	for _, border := range styleOf(t, f, sheet, ref).Border {
		if border.Type == "right" && strings.EqualFold(border.Color, fundingEndColour) && border.Style == 5 {
			return true
		}
	}
	return false
}

func styleOf(t testing.TB, f *excelize.File, sheet, ref string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return style
}

// phaseLetters maps the phase colours to the letters of the golden
// files' timelines.
var phaseLetters = map[string]byte{
	"":                           '.',
	phaseColour(phaseRecruiting): 'R',
	phaseColour(phaseNotice):     'N',
	phaseColour(phaseOnboarding): 'O',
	phaseColour(phaseProductive): 'P',
	phaseColour(phaseAfterEnd):   'A',
}

// dump writes every non-empty cell of the workbook, sheet by sheet: its
// reference, type, stored value and, where the number format changes it,
// the value Excel shows. For the Gantt sheet it adds each row's timeline
// as letters (R recruiting, N notice, O onboarding, P productive, A after
// the funding end, . none) with "|" after a column carrying the red line.
func dump(t testing.TB, f *excelize.File) string {
	t.Helper()
	var b strings.Builder
	for i, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "== %s\n", sheet)
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(layoutOf(t, f, sheet, rows))
		for r, row := range rows {
			for c, value := range row {
				if value == "" {
					continue
				}
				ref := cell(c+1, r+1)
				shown, err := f.GetCellValue(sheet, ref)
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&b, "%s %s %q", ref, kind(t, f, sheet, ref), value)
				if shown != value {
					fmt.Fprintf(&b, " = %q", shown)
				}
				b.WriteByte('\n')
			}
			if i == 0 && r+1 >= ganttHeadingRow {
				b.WriteString(timelineOf(t, f, sheet, r+1, len(rows[ganttHeadingRow-1])))
			}
		}
	}
	return b.String()
}

// layoutOf writes how a sheet prints and how wide and tall its columns
// and rows are: the paper, the orientation and the repeated rows; the
// width of each column up to the widest row (the timeline's columns as
// one), hidden ones marked; the rows of more than the default height.
func layoutOf(t testing.TB, f *excelize.File, sheet string, rows [][]string) string {
	t.Helper()
	var b strings.Builder
	layout, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	titles := "none"
	for _, name := range f.GetDefinedName() {
		if name.Name == "_xlnm.Print_Titles" && name.Scope == sheet {
			titles = name.RefersTo[strings.Index(name.RefersTo, "!")+1:]
		}
	}
	fmt.Fprintf(&b, "   print: paper %d %s, %d wide, %d tall, titles %s\n", *layout.Size, *layout.Orientation, *layout.FitToWidth, *layout.FitToHeight, titles)
	last := 0
	for _, row := range rows {
		last = max(last, len(row))
	}
	b.WriteString("   columns:")
	for col := 1; col <= last; col++ {
		name := column(col)
		width, err := f.GetColWidth(sheet, name)
		if err != nil {
			t.Fatal(err)
		}
		if col > colTimeline && width == timelineColumnWidth {
			fmt.Fprintf(&b, " … %.1f", width)
			break
		}
		fmt.Fprintf(&b, " %s %.1f", name, width)
		if visible, _ := f.GetColVisible(sheet, name); !visible {
			b.WriteString(" hidden")
		}
	}
	b.WriteString("\n   tall rows:")
	for r := range rows {
		height, err := f.GetRowHeight(sheet, r+1)
		if err != nil {
			t.Fatal(err)
		}
		if height > lineHeight {
			fmt.Fprintf(&b, " %d %.0f", r+1, height)
		}
	}
	b.WriteString("\n")
	return b.String()
}

// timelineOf renders the timeline cells of a Gantt row as letters.
func timelineOf(t testing.TB, f *excelize.File, sheet string, row, lastCol int) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "   timeline %d: ", row)
	for col := colTimeline; col <= lastCol; col++ {
		ref := cell(col, row)
		letter, ok := phaseLetters[fillOf(t, f, sheet, ref)]
		if !ok || row == ganttHeadingRow {
			letter = '.'
		}
		b.WriteByte(letter)
		if redLine(t, f, sheet, ref) {
			b.WriteByte('|')
		}
	}
	b.WriteByte('\n')
	return b.String()
}
