package workbook

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"grantplan/form"
	"grantplan/planner"
)

// The Input sheet is the scenario as a form: what grantplan import reads
// back (docs/workbook.md, Input). It is written from the scenario's JSON,
// not from the decoded scenario, so that what a post leaves to the
// defaults stays empty and a default stated stays stated: read back, it
// gives the scenario it was written from, member for member.
//
// Its layout, top to bottom: a title and two rows of notes; then
// sections, each a heading in column A. The scenario's settings and the
// defaults are rows of label (A), value (B) and the field's name in the
// format (C, hidden). The funding sources, the pay rises and the posts
// are tables: a row of column headings, a row of notes explaining each
// column, a row per source, rise or post. The posts come last, so that
// rows can be added at the bottom.

// A section is one part of the Input sheet.
type section struct {
	// key is the section's name in the scenario format, which the reader
	// also accepts as its heading.
	key string
	// heading is the message id of its heading in column A.
	heading string
	fields  []form.Field
	table   bool // a table of rows, else a row per field
}

var (
	scenarioSection = section{key: "scenario", heading: "term.scenario", fields: form.ScenarioFields}
	defaultsSection = section{key: "defaults", heading: "workbook.input.defaults", fields: form.DefaultFields}
	fundingSection  = section{key: "funding", heading: "term.funding_sources", fields: form.FundingFields, table: true}
	raisesSection   = section{key: "pay_raises", heading: "term.pay_rises", fields: form.PayRaiseFields, table: true}
	postsSection    = section{key: "positions", heading: "term.posts", fields: form.PositionFields, table: true}
	inputSections   = []section{scenarioSection, defaultsSection, fundingSection, raisesSection, postsSection}
)

// The columns of the key-value sections: a field's label, its value and
// its name in the scenario format.
const (
	labelColumn = 1
	valueColumn = 2
	keyColumn   = 3
)

// validatedRows is how many rows of posts the drop-down lists and date
// checks cover below the table's headings: room for the most posts a
// scenario may have.
const validatedRows = planner.MaxPositions

// blankRows is how many empty rows of funding sources and posts a
// template has to fill in.
const blankRows = 5

// columnHeading is the message id of a field's column heading: its label,
// but that a column of ids says so ("Gruppe (Kennung)"), as on the
// Assumptions sheet.
func columnHeading(sec section, fd form.Field) string {
	if sec.key != postsSection.key {
		return fd.Label
	}
	switch fd.Name {
	case "group":
		return "workbook.group_id"
	case "funding":
		return "workbook.funding_id"
	case "after":
		return "workbook.after_ids"
	}
	return fd.Label
}

// noteIDs are the message ids of the notes that explain a table's
// columns, by the field's name.
var noteIDs = map[string]string{
	"id": "workbook.note.id", "name": "workbook.note.text", "title": "workbook.note.text", "location": "workbook.note.text",
	"start": "workbook.note.date", "end": "workbook.note.date", "earliest": "workbook.note.earliest",
	"rate": "workbook.note.rate", "per_fte_year": "workbook.note.per_fte_year", "cap": "workbook.note.cap",
	"group": "workbook.note.group", "fte": "workbook.note.fte", "monthly_cost": "workbook.note.monthly_cost",
	"funding": "workbook.note.funding", "recruiting": "workbook.note.period", "notice": "workbook.note.period",
	"onboarding": "workbook.note.period", "start_on": "workbook.note.list", "employment": "workbook.note.list",
	"after": "workbook.note.after", "from": "workbook.note.raise_from", "percent": "workbook.note.percent",
}

// inputWriter collects the Input sheet's rows, each cell with the text
// it shows, so that the columns can be sized by their texts and the rows
// made tall enough for the texts that wrap (as the other sheets are)
// before the stream writer writes them.
type inputWriter struct {
	b    *book
	rows []inputRow
	// checks are the data validations, made once the rows are known
	// (a post's funding lists the sources' ids, which come later).
	checks []check
	// fundingIDs is the range of the funding sources' ids.
	fundingIDs string
	// postsHeading is the row of the posts' column headings, repeated on
	// every printed page.
	postsHeading int
}

// An inputRow is one row: its cells, what they show and how.
type inputRow struct {
	cells []excelize.Cell
	shown []string
	how   []cellLayout
}

// A cellLayout says how a cell's text takes room.
type cellLayout uint8

const (
	runsOver cellLayout = iota // on one line, over the empty cells beside it
	oneLine                    // on one line, in its column
	wraps                      // wrapping at its words
	wrapsBold
	heading // a column's heading, wrapping rather than widening
	note    // a column's note, the same but not bold
)

// A check is a data validation of the cells sqref, by their field.
type check struct {
	sqref string
	field form.Field
}

// add appends a row of cells, each followed by the text it shows and its
// layout.
func (w *inputWriter) add(triples ...any) {
	var r inputRow
	for i := 0; i+2 < len(triples); i += 3 {
		r.cells = append(r.cells, triples[i].(excelize.Cell))
		r.shown = append(r.shown, triples[i+1].(string))
		r.how = append(r.how, triples[i+2].(cellLayout))
	}
	w.rows = append(w.rows, r)
}

// row is the number the next row will have.
func (w *inputWriter) row() int { return len(w.rows) + 1 }

// writeInput writes the Input sheet from the scenario's JSON.
func (b *book) writeInput() error {
	o, err := planner.ParseObject(b.opts.Source)
	if err != nil {
		return fmt.Errorf("read the scenario's JSON: %w", err)
	}
	return b.inputSheet(o, 0)
}

// inputSheet writes the Input sheet of the scenario o, with blank empty
// rows in each table (a template's).
func (b *book) inputSheet(o planner.Object, blank int) error {
	sheet := b.t("workbook.sheet.input")
	w := &inputWriter{b: b}
	s := &b.styles
	say := func(id string, style int) []any { return []any{text(b.t(id), style), b.t(id), runsOver} }
	w.add(say("workbook.input.title", s.title)...)
	w.add(say("workbook.input.note", s.note)...)
	w.add(say("workbook.input.formats", s.note)...)
	w.add()

	w.keyValues(scenarioSection, o)
	w.add()
	defaults, _ := planner.ParseObject(o.Get("defaults"))
	w.keyValues(defaultsSection, defaults)
	w.add()
	funding := o.Objects("funding")
	first := w.row() + 3 // after the heading, the notes and the column headings
	w.fundingIDs = fmt.Sprintf("$A$%d:$A$%d", first, first+max(len(funding)+blank, 1)-1)
	w.table(fundingSection, funding, blank, len(funding)+blank)
	w.add()
	raises := o.Objects("pay_raises")
	w.table(raisesSection, raises, blank, len(raises)+max(blank, 1))
	w.add()
	w.table(postsSection, o.Objects("positions"), blank, validatedRows)

	// Column widths from every text in the column; a long text wraps.
	var cols columns
	for _, r := range w.rows {
		for i, shown := range r.shown {
			switch r.how[i] {
			case heading, note:
				cols.at(i + 1).heading(shown)
			case wraps, wrapsBold:
				cols.at(i+1).wrapping(shown, r.how[i] == wrapsBold)
			case oneLine:
				cols.at(i+1).text(shown, false)
			}
		}
	}
	widths := make([]float64, max(len(cols), keyColumn))
	for i := range cols {
		widths[i] = cols[i].width(10, 30)
	}
	widths[valueColumn-1] = cols.at(valueColumn).width(16, 50) // names, titles, the description
	if last := len(widths) - 1; last > keyColumn {
		widths[last] = cols[last].width(10, 44) // the dependencies
	}

	if err := b.printSetup(sheet, true, w.postsHeading, w.postsHeading); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := setWidths(sw, widthsFrom(1, widths...)); err != nil {
		return err
	}
	// The fields' names in the format are for import and the curious: a
	// technical column, hidden like the others' ids.
	if err := sw.SetColVisible(keyColumn, keyColumn, false); err != nil {
		return err
	}
	for i, r := range w.rows {
		if r.cells == nil {
			continue
		}
		n := 1
		for c, shown := range r.shown {
			if c < len(widths) && r.how[c] != runsOver && r.how[c] != oneLine {
				n = max(n, lines(shown, widths[c], r.how[c] == wrapsBold || r.how[c] == heading))
			}
		}
		cells := make([]any, len(r.cells))
		for c := range r.cells {
			cells[c] = r.cells[c]
		}
		if err := sw.SetRow(cell(1, i+1), cells, excelize.RowOpts{Height: rowHeight(n)}); err != nil {
			return err
		}
	}
	for _, c := range w.checks {
		if dv := w.validation(c); dv != nil {
			if err := b.f.AddDataValidation(sheet, dv); err != nil {
				return err
			}
		}
	}
	return sw.Flush()
}

// keyValues adds a section of a row per field: label, value, name.
func (w *inputWriter) keyValues(sec section, o planner.Object) {
	b, s := w.b, &w.b.styles
	w.add(text(b.t(sec.heading), s.section), b.t(sec.heading), runsOver)
	for _, fd := range sec.fields {
		value, shown, how := w.value(fd, o.Get(fd.Name))
		if how == oneLine {
			how = runsOver // nothing stands to its right but the field's name
		}
		w.checks = append(w.checks, check{sqref: cell(valueColumn, w.row()), field: fd})
		w.add(text(b.t(fd.Label), s.boldWrap), b.t(fd.Label), wrapsBold, value, shown, how, text(fd.Name, s.key), fd.Name, oneLine)
	}
}

// table adds a section of rows: the notes, the headings, a row per
// object and blank empty rows; the checks cover checked rows.
func (w *inputWriter) table(sec section, objects []planner.Object, blank, checked int) {
	b, s := w.b, &w.b.styles
	w.add(text(b.t(sec.heading), s.section), b.t(sec.heading), runsOver)
	var notes, headings []any
	for _, fd := range sec.fields {
		notes = append(notes, text(b.t(noteIDs[fd.Name]), s.noteWrap), b.t(noteIDs[fd.Name]), note)
		headings = append(headings, text(b.t(columnHeading(sec, fd)), s.heading), b.t(columnHeading(sec, fd)), heading)
	}
	if sec.key == postsSection.key {
		w.postsHeading = w.row()
	}
	w.add(headings...)
	w.add(notes...)
	first := w.row()
	for _, o := range objects {
		var cells []any
		for _, fd := range sec.fields {
			value, shown, how := w.value(fd, o.Get(fd.Name))
			cells = append(cells, value, shown, how)
		}
		w.add(cells...)
	}
	for range blank {
		w.add()
	}
	if checked > 0 {
		for i, fd := range sec.fields {
			col := column(i + 1)
			w.checks = append(w.checks, check{sqref: col + strconv.Itoa(first) + ":" + col + strconv.Itoa(first+checked-1), field: fd})
		}
	}
}

// value is the cell of a field's stored value, the text it shows and how
// it takes room: a date as an Excel date, a number as a number (as text
// where a number cell would lose digits), everything else as text in the
// workbook's language, names, titles, texts and dependencies wrapping;
// empty where the value is not given.
func (w *inputWriter) value(fd form.Field, raw []byte) (excelize.Cell, string, cellLayout) {
	b, s := w.b, &w.b.styles
	if raw == nil {
		style := s.text
		if fd.Kind == form.Date {
			style = s.date
		}
		return excelize.Cell{StyleID: style}, "", oneLine
	}
	switch fd.Kind {
	case form.Date:
		if d, err := planner.ParseDate(jsonText(raw)); err == nil {
			return b.dateCell(d, s.date), b.lang.Date(d), oneLine
		}
	case form.Number:
		if n, ok := planner.CanonicalNumber(string(raw)); ok {
			shown, _ := form.NumberText(n, b.lang)
			if f, exact := exactFloat(n); exact {
				style := numberStyle(s, fd.Name)
				if style == s.money {
					shown += ".00 EUR" // as the money format shows it, about
				}
				return excelize.Cell{StyleID: style, Value: f}, shown, oneLine
			}
			return text(n, s.text), n, oneLine
		}
	}
	shown := fd.Text(raw, b.lang)
	switch fd.Kind {
	case form.Text, form.LongText, form.Dependencies, form.Span:
		return text(shown, s.wrap), shown, wraps
	}
	return text(shown, s.text), shown, oneLine
}

// numberStyle is the number format of a field.
func numberStyle(s *styles, name string) int {
	switch name {
	case "monthly_cost", "per_fte_year", "cap":
		return s.money
	case "hr_capacity":
		return s.integer
	}
	return s.fte
}

// maxExactDigits is how many significant digits a number cell keeps:
// Excel shows and saves doubles to 15.
const maxExactDigits = 15

// exactFloat returns a plain decimal as a float64 and whether a number
// cell keeps it exactly: at most 15 digits from the first that is not
// zero, which a double holds and Excel writes back unchanged.
func exactFloat(n string) (float64, bool) {
	digits := 0
	for _, c := range n {
		if c >= '1' && c <= '9' || c == '0' && digits > 0 {
			digits++
		}
	}
	f, err := strconv.ParseFloat(n, 64)
	return f, err == nil && digits <= maxExactDigits
}

// jsonText is a JSON string's text ("" for any other value).
func jsonText(raw []byte) string {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		return string(raw[1 : len(raw)-1])
	}
	return ""
}

// validation is the data validation of a check: a drop-down list of the
// words of start_on and employment, of the funding sources' ids for a
// post's funding, a check that a date is in the range a scenario allows;
// none for the other fields.
func (w *inputWriter) validation(c check) *excelize.DataValidation {
	b := w.b
	dv := excelize.NewDataValidation(true)
	dv.Sqref = c.sqref
	switch {
	case c.field.Kind == form.StartOn || c.field.Kind == form.Employment:
		if err := dv.SetDropList(c.field.Choices(b.lang)); err != nil {
			return nil
		}
	case c.field.Name == "funding":
		dv.SetSqrefDropList(w.fundingIDs)
	case c.field.Kind == form.Date:
		low, _ := serial(planner.MinDate)
		high, _ := serial(planner.MaxDate)
		if err := dv.SetRange(int(low), int(high), excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
			return nil
		}
	default:
		return nil
	}
	// A warning, not a stop: a date typed as text (31.12.2022) or an id
	// not yet in the list is still read.
	dv.SetError(excelize.DataValidationErrorStyleWarning, b.t("workbook.input.check_title"), b.t(checkMessage(c.field)))
	return dv
}

// checkMessage is the message id of what a check says when a cell
// fails it.
func checkMessage(fd form.Field) string {
	switch {
	case fd.Kind == form.Date:
		return "workbook.input.check_date"
	case fd.Name == "funding":
		return "workbook.input.check_funding"
	}
	return "workbook.input.check_list"
}
