package workbook

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/xuri/excelize/v2"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/palette"
	"grantplan/planner"
)

func TestSheetNames(t *testing.T) {
	tests := []struct {
		lang locale.Lang
		want []string
	}{
		{locale.English, []string{"Gantt", "Summary", "Budget", "Flags", "Assumptions", "Input"}},
		{locale.German, []string{"Zeitplan", "Übersicht", "Haushalt", "Hinweise", "Annahmen", "Eingaben"}},
		{"", []string{"Gantt", "Summary", "Budget", "Flags", "Assumptions", "Input"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			f := openDemo(t, tt.lang)
			if got := f.GetSheetList(); !slicesEqual(got, tt.want) {
				t.Errorf("got sheets %q, want %q", got, tt.want)
			}
			if got := f.GetActiveSheetIndex(); got != 0 {
				t.Errorf("got active sheet %d, want 0 (the Gantt)", got)
			}
		})
	}
}

func slicesEqual(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

// TestNoScenario checks that without the scenario the workbook leaves out
// only the Assumptions and the Input.
func TestNoScenario(t *testing.T) {
	_, plan := planOf(t, data.Demo)
	var buf bytes.Buffer
	if err := Write(&buf, plan, Options{Exported: exportDate}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"Gantt", "Summary", "Budget", "Flags"}; !slicesEqual(got, want) {
		t.Errorf("got sheets %q, want %q", got, want)
	}
}

// TestGanttRows checks a row per post under its group's heading, in the
// order of the groups' first posts, and the severity marks.
func TestGanttRows(t *testing.T) {
	scenario := `{"name": "Rows", "start": "2022-01-01",
		"funding": [{"id": "f", "start": "2022-01-01", "end": "2023-12-31"}],
		"positions": [
			{"id": "a1", "title": "A one", "group": "alpha"},
			{"id": "loose", "title": "No group"},
			{"id": "b1", "title": "B one", "group": "beta", "notice": "P2Y"},
			{"id": "a2", "group": "alpha", "onboarding": "P15M"}
		]}`
	f := open(t, []byte(scenario), locale.English)
	// A group's heading names it in words; its id is in the hidden
	// technical column, beside each post's.
	want := []struct{ a, g, id string }{
		{"Group 1 (2 posts)", "", "alpha"}, {"A one", "", "a1"}, {"a2", "short productive time", "a2"},
		{"No group (1 post)", "", ""}, {"No group", "", "loose"},
		{"Group 3 (1 post)", "", "beta"}, {"B one", "not filled in time", "b1"},
	}
	for i, w := range want {
		row := ganttFirstRow + i
		if got := raw(t, f, "Gantt", cell(colPost, row)); got != w.a {
			t.Errorf("A%d = %q, want %q", row, got, w.a)
		}
		if got := raw(t, f, "Gantt", cell(colFlag, row)); got != w.g {
			t.Errorf("G%d = %q, want %q", row, got, w.g)
		}
		if got := raw(t, f, "Gantt", cell(colID, row)); got != w.id {
			t.Errorf("H%d = %q, want %q", row, got, w.id)
		}
	}
	if visible, err := f.GetColVisible("Gantt", column(colID)); err != nil || visible {
		t.Errorf("the id column is visible (%v)", err)
	}
	if got := raw(t, f, "Gantt", cell(colPost, ganttFirstRow+len(want))); got != "" {
		t.Errorf("got a row after the last post: %q", got)
	}
	marks := []struct {
		row  int
		fill string
	}{
		{ganttFirstRow + 1, ""}, // no flag
		{ganttFirstRow + 2, string(palette.Severity(planner.Warning).Fill)},  // warning
		{ganttFirstRow + 6, string(palette.Severity(planner.Critical).Fill)}, // critical
		{ganttFirstRow, groupFill},     // a group heading
		{ganttFirstRow + 3, groupFill}, // the heading of the posts in no group
		{ganttHeadingRow, strings.ToUpper(headingFill)},
	}
	for _, m := range marks {
		for _, col := range []int{colPost, colFlag} {
			if got := fillOf(t, f, "Gantt", cell(col, m.row)); got != m.fill {
				t.Errorf("%s: got fill %q, want %q", cell(col, m.row), got, m.fill)
			}
		}
	}
}

// TestPhaseColours checks the timeline of posts with known dates: each
// month coloured by the phase that covers most of it, and the funding
// end's red line.
func TestPhaseColours(t *testing.T) {
	// a: hiring 2022-01-01, recruited 03-01, filled 04-01, productive
	// 05-01; b: recruited 03-01, filled 2023-03-01 (after the funding end
	// 2022-12-31), productive 2023-04-01, the timeline's last month.
	// c: hiring 01-01, recruited 02-16, filled 03-16, productive 04-16:
	// February has 15 days of recruiting and 13 of notice, March 15 of
	// notice and 16 of onboarding, April 15 of onboarding and 15
	// productive, a tie that the later phase wins.
	scenario := `{"name": "Phases", "start": "2022-01-01",
		"defaults": {"start_on": "any", "recruiting": "P2M", "notice": "P1M", "onboarding": "P1M"},
		"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31"}],
		"positions": [{"id": "a"}, {"id": "b", "notice": "P1Y"}, {"id": "c", "recruiting": "P1M15D"}]}`
	f := open(t, []byte(scenario), locale.English)
	const sheet = "Gantt"
	// Columns: Jan 2022 (H) … Apr 2023 (W); December 2022 is column S.
	if got := raw(t, f, sheet, cell(colTimeline, ganttHeadingRow)); got != "44562" {
		t.Errorf("the first month's heading is %s, want 44562 (2022-01-01)", got)
	}
	if got := raw(t, f, sheet, cell(colTimeline+15, ganttHeadingRow)); got != "45017" {
		t.Errorf("the last month's heading is %s, want 45017 (2023-04-01)", got)
	}
	if got := raw(t, f, sheet, cell(colTimeline+16, ganttHeadingRow)); got != "" {
		t.Errorf("a month after the last: %s", got)
	}
	tests := []struct {
		post string
		row  int
		want string // one letter a month, Jan 2022 to Apr 2023
	}{
		{"a", ganttFirstRow + 1, "RRNOPPPPPPPPAAAA"},
		{"b", ganttFirstRow + 2, "RRNNNNNNNNNNNNOA"},
		{"c", ganttFirstRow + 3, "RROPPPPPPPPPAAAA"},
	}
	letters := map[string]byte{}
	for phase := phaseRecruiting; phase < phaseCount; phase++ {
		letters[phaseColour(phase)] = "RNOPA"[phase-1]
	}
	for _, tt := range tests {
		t.Run(tt.post, func(t *testing.T) {
			var got []byte
			for i := range len(tt.want) {
				got = append(got, letters[fillOf(t, f, sheet, cell(colTimeline+i, tt.row))])
			}
			if string(got) != tt.want {
				t.Errorf("got timeline %s, want %s", got, tt.want)
			}
		})
	}
	december := colTimeline + 11
	for row := ganttHeadingRow; row <= ganttFirstRow+3; row++ {
		for col := colTimeline; col < colTimeline+16; col++ {
			if got, want := redLine(t, f, sheet, cell(col, row)), col == december; got != want {
				t.Errorf("%s: red line %v, want %v", cell(col, row), got, want)
			}
		}
	}
}

func TestPhaseIn(t *testing.T) {
	d := planner.MustParseDate
	bounds := phaseBounds{d("2022-01-10"), d("2022-02-15"), d("2022-03-01"), d("2022-03-17"), d("2022-04-01")}
	tests := []struct {
		name        string
		first, last string
		want        int
	}{
		{"before hiring", "2021-12-01", "2021-12-31", phaseNone},
		{"most of the month recruiting", "2022-01-01", "2022-01-31", phaseRecruiting},
		{"February 14 recruiting, 14 notice: the later", "2022-02-01", "2022-02-28", phaseNotice},
		{"March 16 onboarding, 15 productive", "2022-03-01", "2022-03-31", phaseOnboarding},
		{"after the funding end", "2022-04-01", "2022-04-30", phaseAfterEnd},
		{"one day", "2022-03-17", "2022-03-17", phaseProductive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bounds.phaseIn(span{d(tt.first), d(tt.last)}); got != tt.want {
				t.Errorf("got phase %d, want %d", got, tt.want)
			}
		})
	}
}

// TestWeeks checks the timeline of a plan under nine months: a column per
// week, Monday to Sunday, from the planning start's week.
func TestWeeks(t *testing.T) {
	scenario := `{"name": "Short", "start": "2022-03-02",
		"defaults": {"start_on": "any", "recruiting": "P2W", "notice": "P0D", "onboarding": "P1W"},
		"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-04-30"}],
		"positions": [{"id": "a"}]}`
	f := open(t, []byte(scenario), locale.German)
	const sheet = "Zeitplan"
	// 2022-02-28 is a Monday; the funding end, Saturday 2022-04-30, is in
	// the week from 2022-04-25, the tenth column.
	wantHeadings := []string{"44620", "44627", "44634", "44641", "44648", "44655", "44662", "44669", "44676", ""}
	for i, want := range wantHeadings {
		if got := raw(t, f, sheet, cell(colTimeline+i, ganttHeadingRow)); got != want {
			t.Errorf("heading %d: got %q, want %q", i, got, want)
		}
	}
	if got, _ := f.GetCellValue(sheet, cell(colTimeline, ganttHeadingRow)); got != "28.02.2022" {
		t.Errorf("the first week shows %q, want 28.02.2022", got)
	}
	// Hiring 03-02 (Wednesday: 5 of 7 days), recruited 03-16, productive
	// 03-23.
	letters := ""
	for i := range 9 {
		switch fillOf(t, f, sheet, cell(colTimeline+i, ganttFirstRow+1)) {
		case phaseColour(phaseRecruiting):
			letters += "R"
		case phaseColour(phaseOnboarding):
			letters += "O"
		case phaseColour(phaseProductive):
			letters += "P"
		default:
			letters += "."
		}
	}
	if want := "RROPPPPPP"; letters != want {
		t.Errorf("got weeks %s, want %s", letters, want)
	}
	if !redLine(t, f, sheet, cell(colTimeline+8, ganttFirstRow+1)) {
		t.Errorf("no red line in the funding end's week")
	}
}

func TestFrozenPanesAndFilter(t *testing.T) {
	f := openDemo(t, locale.English)
	tests := []struct {
		sheet        string
		xSplit, ySpl int
	}{
		{"Gantt", postColumns, ganttHeadingRow},
		{"Flags", 0, 1},
	}
	for _, tt := range tests {
		panes, err := f.GetPanes(tt.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.XSplit != tt.xSplit || panes.YSplit != tt.ySpl {
			t.Errorf("%s: got panes %+v, want frozen at %d columns and %d rows", tt.sheet, panes, tt.xSplit, tt.ySpl)
		}
	}
	filters := map[string]string{}
	for _, name := range f.GetDefinedName() {
		if name.Name == "_xlnm._FilterDatabase" {
			filters[name.Scope] = name.RefersTo
		}
	}
	if got, want := filters["Gantt"], "'Gantt'!$A$7:$M$19"; got != want {
		t.Errorf("Gantt autofilter %q, want %q", got, want)
	}
	if got, want := filters["Flags"], "'Flags'!$A$1:$F$8"; got != want {
		t.Errorf("Flags autofilter %q, want %q", got, want)
	}
}

// TestPrintSettings: every sheet prints on A4, landscape where it is
// wide, one page wide, its heading row repeated on every page, with the
// scenario, the revision and the export date in the header and the page
// in the footer.
func TestPrintSettings(t *testing.T) {
	s, plan := planOf(t, data.DemoUncertain)
	risk, err := s.Risk(context.Background(), planner.RiskOptions{Trials: 50, Seed: 1, Confidence: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang                 locale.Lang
		date, page, revision string
		landscape            map[string]bool
		titles               map[string]string
	}{
		{locale.English, "2026-11-24", "Page &P of &N", "Revision 4, saved 2026-11-20",
			map[string]bool{"Gantt": true, "Summary": true, "Budget": false, "Flags": false, "Assumptions": true, "Risk": false, "Input": true},
			map[string]string{"Gantt": "$7:$7", "Budget": "$5:$5", "Flags": "$1:$1", "Assumptions": "$29:$29", "Risk": "$9:$9", "Input": "$37:$37"}},
		{locale.German, "24.11.2026", "Seite &P von &N", "Revision 4 vom 20.11.2026",
			map[string]bool{"Zeitplan": true, "Übersicht": true, "Haushalt": false, "Hinweise": false, "Annahmen": true, "Risiko": false, "Eingaben": true},
			map[string]string{"Zeitplan": "$7:$7", "Haushalt": "$5:$5", "Hinweise": "$1:$1", "Annahmen": "$29:$29", "Risiko": "$9:$9", "Eingaben": "$37:$37"}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		err := Write(&buf, plan, Options{Lang: tt.lang, Scenario: s, Source: data.DemoUncertain, Exported: exportDate, Risk: risk,
			Revision: 4, Saved: planner.MustParseDate("2026-11-20")})
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		titles := map[string]string{}
		for _, name := range f.GetDefinedName() {
			if name.Name == "_xlnm.Print_Titles" {
				titles[name.Scope] = name.RefersTo
			}
		}
		if len(f.GetSheetList()) != 7 {
			t.Fatalf("got sheets %q", f.GetSheetList())
		}
		for _, sheet := range f.GetSheetList() {
			layout, err := f.GetPageLayout(sheet)
			if err != nil {
				t.Fatal(err)
			}
			orientation := "portrait"
			if tt.landscape[sheet] {
				orientation = "landscape"
			}
			if layout.Size == nil || *layout.Size != paperA4 || layout.Orientation == nil || *layout.Orientation != orientation ||
				layout.FitToWidth == nil || *layout.FitToWidth != 1 || layout.FitToHeight == nil || *layout.FitToHeight != 0 {
				t.Errorf("%s: got page layout %s, want A4 %s, 1 page wide, any pages tall", sheet, describeLayout(layout), orientation)
			}
			props, err := f.GetSheetProps(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if props.FitToPage == nil || !*props.FitToPage {
				t.Errorf("%s: fit to page is off", sheet)
			}
			hf, err := f.GetHeaderFooter(sheet)
			if err != nil || hf == nil {
				t.Fatalf("%s: no header and footer (%v)", sheet, err)
			}
			for _, want := range []string{"KIM Kreis Siegen-Wittgenstein", tt.date, tt.revision} {
				if !strings.Contains(hf.OddHeader, want) {
					t.Errorf("%s: the header %q lacks %q", sheet, hf.OddHeader, want)
				}
			}
			if !strings.Contains(hf.OddFooter, tt.page) {
				t.Errorf("%s: got footer %q", sheet, hf.OddFooter)
			}
			if want, ok := tt.titles[sheet]; ok && titles[sheet] != "'"+sheet+"'!"+want {
				t.Errorf("%s: print titles %q, want %q", sheet, titles[sheet], want)
			}
		}
		// The repeated rows are the tables' headings.
		for sheet, first := range map[string]string{
			tt.lang.Text("workbook.sheet.gantt"):       tt.lang.Text("term.post"),
			tt.lang.Text("workbook.sheet.budget"):      tt.lang.Text("term.budget_year"),
			tt.lang.Text("workbook.sheet.flags"):       tt.lang.Text("term.severity"),
			tt.lang.Text("workbook.sheet.assumptions"): tt.lang.Text("term.id"),
			tt.lang.Text("workbook.sheet.risk"):        tt.lang.Text("term.post"),
			tt.lang.Text("workbook.sheet.input"):       tt.lang.Text("term.id"),
		} {
			row := strings.TrimPrefix(strings.Split(tt.titles[sheet], ":")[0], "$")
			if got := raw(t, f, sheet, "A"+row); got != first {
				t.Errorf("%s!A%s = %q, want the heading %q", sheet, row, got, first)
			}
		}
		f.Close()
	}
}

// ownSum is the one formula the workbook writes: the Budget sheet's totals.
var ownSum = regexp.MustCompile(`^SUM\([A-Z]+[0-9]+:[A-Z]+[0-9]+\)$`)

// describeLayout writes a page layout's settings.
func describeLayout(l excelize.PageLayoutOptions) string {
	value := func(p *int) string {
		if p == nil {
			return "none"
		}
		return strconv.Itoa(*p)
	}
	orientation := "none"
	if l.Orientation != nil {
		orientation = *l.Orientation
	}
	return fmt.Sprintf("size %s %s, %s wide, %s tall", value(l.Size), orientation, value(l.FitToWidth), value(l.FitToHeight))
}

// TestFormulaInjection checks that text a user typed is stored as text
// wherever it appears, even when it looks like a formula.
func TestFormulaInjection(t *testing.T) {
	scenario := `{"name": "=HYPERLINK(\"http://evil\",\"x\")", "description": "@SUM(1)", "start": "2022-01-01",
		"defaults": {"location": "-2+3"},
		"funding": [{"id": "f", "name": "+cmd|' /C calc'!A0", "start": "2022-01-01", "end": "2023-12-31"}],
		"positions": [{"id": "a", "title": "=1+1"}, {"id": "b", "title": "@A1", "location": "=A1", "notice": "P2Y"}]}`
	for _, lang := range locale.Langs {
		f := open(t, []byte(scenario), lang)
		found := 0
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			for r, row := range rows {
				for c, value := range row {
					ref := cell(c+1, r+1)
					if k := kind(t, f, sheet, ref); k == "f" {
						// Only the workbook's own sums are formulas.
						if formula, _ := f.GetCellFormula(sheet, ref); !ownSum.MatchString(formula) {
							t.Errorf("%s!%s is a formula: %q (%q)", sheet, ref, formula, value)
						}
					}
					if value != "" && strings.ContainsAny(value[:1], "=+-@") {
						found++
						if k := kind(t, f, sheet, ref); k != "s" {
							t.Errorf("%s!%s = %q is of type %s, want text", sheet, ref, value, k)
						}
					}
				}
			}
		}
		// The name (3 sheets), description, location twice and the default,
		// the source's name twice, the titles twice each.
		if found < 10 {
			t.Errorf("%s: found only %d formula-like texts", lang, found)
		}
		hf, _ := f.GetHeaderFooter(f.GetSheetList()[0])
		if !strings.Contains(hf.OddHeader, `=HYPERLINK("http://evil","x")`) {
			t.Errorf("header %q lacks the name", hf.OddHeader)
		}
	}
	f := open(t, []byte(scenario), locale.English)
	if got := raw(t, f, "Gantt", "A1"); got != `=HYPERLINK("http://evil","x")` {
		t.Errorf("Gantt!A1 = %q", got)
	}
	if got := raw(t, f, "Gantt", cell(colPost, ganttFirstRow+1)); got != "=1+1" {
		t.Errorf("the first post's title = %q, want =1+1", got)
	}
}

// TestHeaderEscapes checks that an "&" in the name cannot start a header
// code.
func TestHeaderEscapes(t *testing.T) {
	scenario := `{"name": "R&D &P", "start": "2022-01-01", "funding": [{"id": "f", "start": "2022-01-01", "end": "2023-12-31"}], "positions": [{"id": "a"}]}`
	f := open(t, []byte(scenario), locale.English)
	hf, _ := f.GetHeaderFooter("Gantt")
	if !strings.Contains(hf.OddHeader, "&LR&&D &&P&C") {
		t.Errorf("got header %q, want the name's & doubled", hf.OddHeader)
	}
}

// TestNumberTypes checks that dates, amounts and months are numbers with
// number formats, not text.
func TestNumberTypes(t *testing.T) {
	for _, lang := range locale.Langs {
		f := openDemo(t, lang)
		names := f.GetSheetList()
		gantt, summary, flags, assumptions := names[0], names[1], names[3], names[4]
		post := ganttFirstRow + 1 // the first post, under its group's heading
		// excelize shows numbers with English separators whatever the
		// format's language, which Excel and LibreOffice follow: the
		// formats carry the workbook's (checked below).
		euro := map[locale.Lang]string{locale.English: " EUR", locale.German: " €"}[lang]
		money := func(s string) string {
			return locale.English.Number(planner.Decimal{Units: mustUnits(t, s), Places: 2}) + euro
		}
		number := func(s string) string {
			return locale.English.Number(planner.Decimal{Units: mustUnits(t, s), Places: 2})
		}
		month := map[locale.Lang]string{locale.English: "Oct 2021", locale.German: "Okt 2021"}[lang]
		percent := "16.67%"
		tag := map[locale.Lang]string{locale.English: "[$-409]", locale.German: "[$-407]"}[lang]
		tests := []struct {
			sheet, ref, raw, shown string
		}{
			{gantt, "B2", "44470", lang.Date(planner.MustParseDate("2021-10-01"))},
			{gantt, cell(colHiringStart, post), "44470", lang.Date(planner.MustParseDate("2021-10-01"))},
			{gantt, cell(colFilled, post), "44743", lang.Date(planner.MustParseDate("2022-07-01"))},
			{gantt, cell(colProductive, post), "44835", lang.Date(planner.MustParseDate("2022-10-01"))},
			{gantt, cell(colProductiveMonths, post), "3", number("3.00")},
			{gantt, cell(colTimeline, ganttHeadingRow), "44470", month},
			{gantt, cell(colFundedCost, post), "27500", money("27500.00")},
			{gantt, cell(colTotalCost, post), "38840.77", money("38840.77")},
			{gantt, cell(colOwnShare, post), "11340.77", money("11340.77")},
			{gantt, cell(colAfterFunding, post), "0", money("0.00")},
			{summary, "B11", "0.1667", percent}, // utilisation
			{summary, "B12", "25", number("25.00")},
			{summary, "B14", "210370.63", money("210370.63")}, // total cost
			{summary, "B15", "174166.67", money("174166.67")}, // funded
			{summary, "B16", "36203.97", money("36203.97")},   // own share
			{summary, "B17", "0", money("0.00")},              // after the funding
			{summary, "B19", "925833.33", money("925833.33")}, // unclaimed
			{summary, "B22", "44075", lang.Date(planner.MustParseDate("2020-09-01"))},
			{summary, "F28", "660000", money("660000.00")},
			{flags, "D2", "91", "91"},
			{assumptions, "F30", "6359", money("6359.00")},
		}
		for _, tt := range tests {
			if got := raw(t, f, tt.sheet, tt.ref); got != tt.raw {
				t.Errorf("%s!%s: got %q, want %q", tt.sheet, tt.ref, got, tt.raw)
			}
			if got := kind(t, f, tt.sheet, tt.ref); got != "n" {
				t.Errorf("%s!%s: got type %s, want a number", tt.sheet, tt.ref, got)
			}
			if got, _ := f.GetCellValue(tt.sheet, tt.ref); got != tt.shown {
				t.Errorf("%s!%s shows %q, want %q", tt.sheet, tt.ref, got, tt.shown)
			}
			format := styleOf(t, f, tt.sheet, tt.ref).CustomNumFmt
			isDate := format != nil && strings.Contains(*format, "yy") && !strings.Contains(*format, "mmm")
			if !isDate && tt.ref != "D2" && (format == nil || !strings.HasPrefix(*format, tag)) {
				t.Errorf("%s!%s: number format %v, want one in %s", tt.sheet, tt.ref, format, tag)
			}
		}
	}
}

// mustUnits reads an amount with two places as hundredths.
func mustUnits(t *testing.T, s string) int64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return int64(math.Round(f * 100))
}

func TestSerial(t *testing.T) {
	tests := []struct {
		date string
		want int64
		ok   bool
	}{
		{"1900-01-01", 1, true},
		{"1900-02-28", 59, true},
		{"1900-03-01", 61, true}, // Excel's 60 is 1900-02-29, which never was
		{"1970-01-01", 25569, true},
		{"2021-10-01", 44470, true},
		{"9999-12-31", 2958465, true},
		{"10000-01-01", 0, false},
		{"1899-12-31", 0, false},
	}
	for _, tt := range tests {
		d := parseAnyDate(t, tt.date)
		got, ok := serial(d)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("serial(%s) = %d, %v; want %d, %v", tt.date, got, ok, tt.want, tt.ok)
		}
	}
}

// TestFarFuture checks a plan whose productive date lies past Excel's
// last date: the timeline is cut, the date is text, and nothing fails.
func TestFarFuture(t *testing.T) {
	scenario := `{"name": "Far", "start": "2022-01-01",
		"funding": [{"id": "f", "start": "2022-01-01", "end": "2023-12-31"}],
		"positions": [{"id": "a", "onboarding": "P100000M"}, {"id": "b"}]}`
	f := open(t, []byte(scenario), locale.English)
	if got := raw(t, f, "Gantt", cell(colTimeline+maxColumns-1, ganttHeadingRow)); got == "" {
		t.Errorf("the timeline has fewer than %d columns", maxColumns)
	}
	if got := raw(t, f, "Gantt", cell(colTimeline+maxColumns, ganttHeadingRow)); got != "" {
		t.Errorf("the timeline has more than %d columns", maxColumns)
	}
	if got := raw(t, f, "Gantt", "C4"); !strings.Contains(got, "360") {
		t.Errorf("C4 = %q, want a note that the timeline is cut", got)
	}
	productive := cell(colProductive, ganttFirstRow+1)
	if got, k := raw(t, f, "Gantt", productive), kind(t, f, "Gantt", productive); !strings.Contains(got, "10355-") || k != "s" {
		t.Errorf("%s = %s %q, want the date as text", productive, k, got)
	}
}

func TestFileName(t *testing.T) {
	d := planner.MustParseDate("2026-11-24")
	tests := []struct{ name, want string }{
		{"KIM Kreis Siegen-Wittgenstein", "KIM-Kreis-Siegen-Wittgenstein-2026-11-24.xlsx"},
		{"Förderung: Müller/Straße?", "Förderung-Müller-Straße-2026-11-24.xlsx"},
		{`..\..\etc/passwd`, "etc-passwd-2026-11-24.xlsx"},
		{"=cmd|'x'", "cmd-x-2026-11-24.xlsx"},
		{"  ", "plan-2026-11-24.xlsx"},
		{strings.Repeat("a", 300), strings.Repeat("a", 80) + "-2026-11-24.xlsx"},
	}
	for _, tt := range tests {
		if got := FileName(tt.name, d); got != tt.want {
			t.Errorf("FileName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestSummaryChart checks that the Summary has a native chart of the
// monthly FTE, and that the months' productive FTE add up to the plan's
// productive FTE-months.
func TestSummaryChart(t *testing.T) {
	scenario, plan := planOf(t, data.Demo)
	var buf bytes.Buffer
	if err := Write(&buf, plan, Options{Lang: locale.German, Scenario: scenario, Exported: exportDate}); err != nil {
		t.Fatal(err)
	}
	archive, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var chart string
	for _, file := range archive.File {
		if strings.HasPrefix(file.Name, "xl/charts/chart") {
			r, _ := file.Open()
			b, _ := io.ReadAll(r)
			chart = html.UnescapeString(string(b))
		}
	}
	for _, want := range []string{"barChart>", "lineChart>", "'Übersicht'!$A$32:$A$56", "'Übersicht'!$C$32:$C$56", "'Übersicht'!$E$32:$E$56", "Produktive VZÄ je Monat", `tickLblSkip val="3"`} {
		if !strings.Contains(chart, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}

	m := newMonthlyFTE(plan, newTimeline(plan).months)
	var productive, potential float64
	for i := range m.productive {
		productive += m.productive[i]
		potential += m.funded[i]
	}
	if want := decimal(plan.Summary.ProductiveFTEMonths); math.Abs(productive-want) > 0.005 {
		t.Errorf("the months' productive FTE add up to %v, want %v", productive, want)
	}
	if want := decimal(plan.Summary.PotentialFTEMonths); math.Abs(potential-want) > 0.005 {
		t.Errorf("the months' funded FTE add up to %v, want %v", potential, want)
	}
}

// TestAssumptions checks that the inputs of a scenario that uses every
// field are all on the Assumptions sheet.
func TestAssumptions(t *testing.T) {
	scenario := map[string]any{
		"name": "Inputs", "start": "2021-01-01", "hr_capacity": 2, "min_productive": "P1Y",
		"defaults": map[string]any{"monthly_cost": 5000.5, "start_on": "any",
			"recruiting": map[string]string{"min": "P1M", "likely": "P2M", "max": "P4M"}},
		"funding": []map[string]any{{"id": "f", "name": "Fund", "start": "2021-06-01", "end": "2022-06-30",
			"rate": 0.5, "per_fte_year": 40000, "cap": 1000}},
		"positions": []map[string]any{
			{"id": "a", "title": "A", "group": "g", "location": "here", "fte": 0.5, "notice": "P0D"},
			{"id": "b", "group": "g", "earliest": "2021-02-01", "after": []any{map[string]any{"ref": "a", "event": "recruited", "lag": "P2W"}}},
			{"id": "c", "after": []any{map[string]any{"ref": "group:g", "event": "productive", "count": 1}, "b"}},
		},
	}
	body, err := json.Marshal(scenario)
	if err != nil {
		t.Fatal(err)
	}
	f := open(t, body, locale.English)
	rows, err := f.GetRows("Assumptions")
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, row := range rows {
		text.WriteString(strings.Join(row, "\t"))
		text.WriteByte('\n')
	}
	for _, want := range []string{
		"Minimum productive time\t1 year",
		"HR capacity (recruitments at once)\t2",
		"f\tFund\t2021-06-01\t2022-06-30\t50.00%\t40,000.00 EUR\t1,000.00 EUR",
		"Recruiting\t2 months (range 1 month to 4 months)",
		"Monthly cost\t5,000.50 EUR",
		"Starts on\tany day",
		"Notice period\t3 months\tbuilt in",
		"a\tA\tg\there\t0.50\t5,000.50 EUR\tf\t2 months (range 1 month to 4 months)\t0 days\t3 months\tany day",
		"b\t\tg\t\t1.00\t5,000.50 EUR\tf\t2 months (range 1 month to 4 months)\t3 months\t3 months\tany day\t2021-02-01\tfixed-term\ta (recruited + 2 weeks)",
		"c\t\t\t\t1.00\t5,000.50 EUR\tf\t2 months (range 1 month to 4 months)\t3 months\t3 months\tany day\t\tfixed-term\tgroup g (productive, 1 of 2); b (filled)",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("Assumptions lack %q:\n%s", want, text.String())
		}
	}
}

// TestFlagsSheet checks a row per flag with its severity coloured and the
// message in the workbook's language; a source's flag names the source.
func TestFlagsSheet(t *testing.T) {
	scenario := `{"name": "Flags", "start": "2021-01-01", "hr_capacity": 1,
		"defaults": {"monthly_cost": 5000, "start_on": "any"},
		"funding": [{"id": "f", "name": "Fund", "start": "2021-06-01", "end": "2021-12-31", "cap": 1000}],
		"positions": [{"id": "a", "notice": "P0D", "onboarding": "P0D"}, {"id": "b", "notice": "P6M"}]}`
	_, plan := planOf(t, []byte(scenario))
	f := open(t, []byte(scenario), locale.German)
	rows, err := f.GetRows("Hinweise")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(plan.Flags)+1 {
		t.Fatalf("got %d rows, want a heading and %d flags", len(rows), len(plan.Flags))
	}
	for i, flag := range plan.Flags {
		row := rows[i+1]
		// The post by name (these have no titles: their ids), the source by
		// name; the ids and the code in the hidden columns.
		subject, id := flag.Position, flag.Position+flag.Funding
		if flag.Funding != "" {
			subject = "Fund"
		}
		if row[0] != locale.German.Severity(flag.Severity) || row[1] != subject || row[2] != locale.German.Flag(flag) ||
			row[4] != id || row[5] != string(flag.Code) {
			t.Errorf("row %d = %q, want %s %s %q %s %s", i+2, row, flag.Severity, subject, locale.German.Flag(flag), id, flag.Code)
		}
		if got, want := fillOf(t, f, "Hinweise", cell(1, i+2)), string(palette.Severity(flag.Severity).Fill); got != want {
			t.Errorf("row %d: severity fill %s, want %s", i+2, got, want)
		}
		if flag.Days == nil && row[3] != "" {
			t.Errorf("row %d: days %q for a flag without days", i+2, row[3])
		} else if flag.Days != nil && row[3] != strconv.Itoa(*flag.Days) {
			t.Errorf("row %d: days %q, want %d", i+2, row[3], *flag.Days)
		}
	}
	codes := map[planner.Code]bool{}
	for _, flag := range plan.Flags {
		codes[flag.Code] = true
	}
	for _, code := range []planner.Code{planner.BudgetExceeded, planner.CapacityDelay, planner.NotFilledBeforeExpiry} {
		if !codes[code] {
			t.Errorf("the scenario has no %s flag to check", code)
		}
	}
}

// parseAnyDate reads YYYY-MM-DD with any number of year digits.
func parseAnyDate(t *testing.T, s string) date.Date {
	t.Helper()
	parts := strings.Split(s, "-")
	year, _ := strconv.Atoi(parts[0])
	month, _ := strconv.Atoi(parts[1])
	day, _ := strconv.Atoi(parts[2])
	return date.New(year, time.Month(month), day)
}

// TestOddScenarios writes workbooks of unusual plans, which must come out
// without error and read back.
func TestOddScenarios(t *testing.T) {
	tests := []struct{ name, scenario string }{
		{"funding over before the start", `{"name": "late", "start": "2024-01-01",
			"funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}], "positions": [{"id": "a"}]}`},
		{"many funding ends", `{"name": "ends", "start": "2022-01-01", "funding": [
			{"id": "a", "start": "2022-01-01", "end": "2022-03-15"}, {"id": "b", "start": "2022-01-01", "end": "2022-03-20"},
			{"id": "c", "start": "2022-01-01", "end": "2025-06-30"}],
			"positions": [{"id": "x", "funding": "a"}, {"id": "y", "funding": "b"}, {"id": "z", "funding": "c"}]}`},
		{"all zero periods", `{"name": "now", "start": "2022-01-05",
			"defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P0D", "start_on": "any"},
			"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-01-05"}], "positions": [{"id": "a"}]}`},
		{"early 1900", `{"name": "old", "start": "1900-01-01",
			"funding": [{"id": "f", "start": "1900-01-01", "end": "1901-12-31"}], "positions": [{"id": "a"}]}`},
		{"no flags", `{"name": "fine", "start": "2020-01-01",
			"funding": [{"id": "f", "start": "2020-01-01", "end": "2025-12-31"}], "positions": [{"id": "a"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lang := range locale.Langs {
				f := open(t, []byte(tt.scenario), lang)
				if len(f.GetSheetList()) != 6 {
					t.Errorf("got sheets %q", f.GetSheetList())
				}
			}
		})
	}
}

// TestWriteNeedsExportDate: Write has no clock; without the county's day
// it refuses rather than date the workbook by the server's.
func TestWriteNeedsExportDate(t *testing.T) {
	_, plan := planOf(t, data.Demo)
	var buf bytes.Buffer
	if err := Write(&buf, plan, Options{}); err == nil || buf.Len() > 0 {
		t.Errorf("got %v and %d bytes, want an error and nothing written", err, buf.Len())
	}
}

// TestGermanWords: the German workbook speaks German: no cell a reader
// sees holds a key of the scenario format (recruiting, start_on,
// monthly_cost), a flag code or a group's id; those stand only in the
// hidden technical columns and in columns whose heading says they hold
// ids (Kennung). What a user typed (names, titles, the description) is
// the user's, and not checked.
func TestGermanWords(t *testing.T) {
	s, plan := planOf(t, data.DemoUncertain)
	risk, err := s.Risk(context.Background(), planner.RiskOptions{Trials: 50, Seed: 1, Confidence: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, plan, Options{Lang: locale.German, Scenario: s, Source: data.DemoUncertain, Exported: exportDate, Risk: risk}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	typed := map[string]bool{s.Name: true, s.Description: true}
	for _, fs := range s.Funding {
		typed[fs.Name] = true
	}
	for _, p := range s.Positions {
		typed[p.Title], typed[p.Location] = true, true
	}
	var forbidden []*regexp.Regexp
	for _, word := range []string{`[a-z]+_[a-z_]+`, `[A-Z]+_[A-Z_]+`, "recruiting", "notice", "onboarding", "overhead", "case-management", "group:"} {
		forbidden = append(forbidden, regexp.MustCompile(`(^|[^\pL-])`+word+`($|[^\pL-])`))
	}
	checked := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		technical := map[int]bool{} // the columns of the current table that hold ids
		for r, row := range rows {
			if len(row) == 0 {
				technical = map[int]bool{}
			}
			for c, value := range row {
				if strings.Contains(value, "Kennung") {
					technical[c] = true
				}
			}
			for c, value := range row {
				if value == "" || typed[value] || technical[c] {
					continue
				}
				if visible, err := f.GetColVisible(sheet, column(c+1)); err != nil || !visible {
					continue
				}
				checked++
				for _, re := range forbidden {
					if m := re.FindString(value); m != "" {
						t.Errorf("%s!%s shows %q: %q is no German word", sheet, cell(c+1, r+1), value, strings.TrimSpace(m))
					}
				}
			}
		}
	}
	if checked < 300 {
		t.Errorf("checked only %d cells", checked)
	}
}

// TestNothingCut: no text is cut in any sheet, by the measure the
// workbook sizes itself with: a text that does not wrap fits its column
// (or runs over empty cells beside it), and a cell that wraps has a row
// tall enough for its lines. The demo and a scenario of the longest names
// are checked in both languages, with a risk run.
func TestNothingCut(t *testing.T) {
	long := func(prefix string) string {
		return (prefix + strings.Repeat(" Koordination der Integrationsarbeit im Kreis", 6))[:200]
	}
	longNames, err := json.Marshal(map[string]any{
		"name": long("Szenario"), "description": long("Beschreibung"), "start": "2021-10-01",
		"funding": []map[string]any{{"id": "quelle-mit-einer-langen-kennung", "name": long("Förderung"), "start": "2021-01-01", "end": "2022-12-31", "cap": 100000}},
		"positions": []map[string]any{
			{"id": "a", "title": long("Stelle A"), "location": long("Ort"), "group": "eine-gruppe-mit-langer-kennung", "monthly_cost": 9000},
			{"id": "b", "title": "B", "recruiting": "P2Y", "after": []string{"group:eine-gruppe-mit-langer-kennung", "a"}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, scenario := range [][]byte{data.DemoUncertain, longNames} {
		s, plan := planOf(t, scenario)
		risk, err := s.Risk(context.Background(), planner.RiskOptions{Trials: 20, Seed: 1, Confidence: 0.8})
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range locale.Langs {
			var buf bytes.Buffer
			if err := Write(&buf, plan, Options{Lang: lang, Scenario: s, Source: scenario, Exported: exportDate, Risk: risk, Revision: 12, Saved: exportDate}); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, sheet := range f.GetSheetList() {
				rows, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				for r, row := range rows {
					for c, value := range row {
						ref := cell(c+1, r+1)
						if value == "" || kind(t, f, sheet, ref) != "s" {
							continue
						}
						if visible, _ := f.GetColVisible(sheet, column(c+1)); !visible {
							continue
						}
						style := styleOf(t, f, sheet, ref)
						width, err := f.GetColWidth(sheet, column(c+1))
						if err != nil {
							t.Fatal(err)
						}
						bold := style.Font != nil && style.Font.Bold
						checked++
						if style.Alignment != nil && style.Alignment.WrapText {
							height, err := f.GetRowHeight(sheet, r+1)
							if err != nil {
								t.Fatal(err)
							}
							if n := lines(value, width, bold); n > 1 && height < float64(n)*lineHeight {
								t.Errorf("%s!%s: %q takes %d lines, the row is %v points tall", sheet, ref, value, n, height)
							}
							continue
						}
						// Text that does not wrap runs over the empty cells
						// to its right.
						room := width
						for next := c + 1; next < len(row)+40 && (next >= len(row) || row[next] == ""); next++ {
							w, _ := f.GetColWidth(sheet, column(next+1))
							room += w
							if room >= widthOf(value, bold) {
								break
							}
						}
						if room < widthOf(value, bold) && (style.Alignment == nil || style.Alignment.TextRotation == 0) {
							t.Errorf("%s!%s: %q needs width %.1f, has %.1f", sheet, ref, value, widthOf(value, bold), room)
						}
					}
				}
			}
			if checked < 100 {
				t.Errorf("checked only %d cells", checked)
			}
			f.Close()
		}
	}
}
