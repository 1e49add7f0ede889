package workbook

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/rickb777/date/v2"

	"grantplan/form"
	"grantplan/locale"
	"grantplan/planner"
)

// The readers of the Input sheet and of a CSV of posts share this: a
// grid of cells, read as sections and tables of the scenario's fields
// (package form), with every problem at its cell.

// The problem codes of reading a workbook or a CSV; their sentences are
// "problem.…" in locale's catalogs.
const (
	ProblemNotWorkbook      planner.ProblemCode = "import_not_workbook"
	ProblemTooLarge         planner.ProblemCode = "import_too_large"
	ProblemNoInputSheet     planner.ProblemCode = "import_no_input_sheet"
	ProblemTooManyRows      planner.ProblemCode = "import_too_many_rows"
	ProblemTooManyColumns   planner.ProblemCode = "import_too_many_columns"
	ProblemCellTooLong      planner.ProblemCode = "import_cell_too_long"
	ProblemFormulaNoValue   planner.ProblemCode = "import_formula_no_value"
	ProblemErrorValue       planner.ProblemCode = "import_error_value"
	ProblemBoolean          planner.ProblemCode = "import_boolean"
	ProblemNotExcelDate     planner.ProblemCode = "import_not_excel_date"
	ProblemNumberNoUnit     planner.ProblemCode = "import_number_no_unit"
	ProblemUnknownColumn    planner.ProblemCode = "import_unknown_column"
	ProblemDuplicateColumn  planner.ProblemCode = "import_duplicate_column"
	ProblemUnheadedValue    planner.ProblemCode = "import_unheaded_value"
	ProblemUnknownRow       planner.ProblemCode = "import_unknown_row"
	ProblemDuplicateRow     planner.ProblemCode = "import_duplicate_row"
	ProblemDuplicateSection planner.ProblemCode = "import_duplicate_section"
	ProblemNoHeadings       planner.ProblemCode = "import_no_headings"
	ProblemCSVEmpty         planner.ProblemCode = "import_csv_empty"
	ProblemCSVQuote         planner.ProblemCode = "import_csv_quote"
)

// ProblemCodes lists the problem codes of reading a workbook or a CSV.
func ProblemCodes() []planner.ProblemCode {
	return []planner.ProblemCode{
		ProblemNotWorkbook, ProblemTooLarge, ProblemNoInputSheet, ProblemTooManyRows, ProblemTooManyColumns,
		ProblemCellTooLong, ProblemFormulaNoValue, ProblemErrorValue, ProblemBoolean, ProblemNotExcelDate,
		ProblemNumberNoUnit, ProblemUnknownColumn, ProblemDuplicateColumn, ProblemUnheadedValue, ProblemUnknownRow,
		ProblemDuplicateRow, ProblemDuplicateSection, ProblemNoHeadings, ProblemCSVEmpty, ProblemCSVQuote,
	}
}

// problem is the problem of code at path, its English sentence from the
// catalog.
func problem(path string, code planner.ProblemCode, args ...any) planner.Problem {
	p := planner.Problem{Path: path, Code: code, Args: args}
	p.Message = locale.English.Problem(p)
	return p
}

// A cellKind is what an Excel cell holds.
type cellKind uint8

const (
	cellEmpty   cellKind = iota
	cellText             // a string (shared, inline or a formula's)
	cellNumber           // a number, in its raw form ("4636.5", "44926")
	cellBoolean          // TRUE or FALSE
	cellError            // #REF!, #DIV/0! …
	cellFormula          // a formula without a stored value
)

// A gridCell is one cell: its kind and its text.
type gridCell struct {
	kind cellKind
	text string
}

// A grid is the cells of a sheet or a CSV, a row of cells per line, with
// how to name a cell in a problem.
type grid struct {
	rows [][]gridCell
	// ref names the cell at row and column (both from 0).
	ref func(row, col int) string
	// lang is the file's language: how its number texts are read.
	lang locale.Lang
	// date1904 is set for a workbook that counts days from 1904.
	date1904 bool
}

func (g *grid) cell(row, col int) gridCell {
	if row < len(g.rows) && col < len(g.rows[row]) {
		return g.rows[row][col]
	}
	return gridCell{}
}

// emptyRow reports whether a row holds nothing.
func (g *grid) emptyRow(row int) bool {
	for _, c := range g.rows[row] {
		if c.kind != cellEmpty {
			return false
		}
	}
	return true
}

// A reading collects what a grid says: the problems found at their cells,
// and the cell (or row, or section) of every JSON path written, so that
// the planner's problems can be put at their cells too.
type reading struct {
	problems []planner.Problem
	// at maps a JSON path ("positions[3].funding", "positions[3]",
	// "positions") to where it is in the file.
	at map[string]string
	// bad holds the JSON paths of fields whose cell does not read; the
	// planner's problems at them are the same problems again.
	bad map[string]bool
	// order gives the place of every cell named, so that the problems
	// come in the order of the file.
	order map[string]int
	ctx   context.Context
}

func newReading(ctx context.Context) *reading {
	return &reading{at: map[string]string{}, bad: map[string]bool{}, order: map[string]int{}, ctx: ctx}
}

// cellRef names the cell at row and col of g, remembering its place.
func (r *reading) cellRef(g *grid, row, col int) string {
	ref := g.ref(row, col)
	if _, ok := r.order[ref]; !ok {
		r.order[ref] = row*(MaxColumns+1) + col
	}
	return ref
}

func (r *reading) add(p planner.Problem) { r.problems = append(r.problems, p) }

// value reads a cell as the field's JSON value; nil for an empty cell or
// one that does not read (whose problem is added).
func (r *reading) value(g *grid, row, col int, fd form.Field, path string) json.RawMessage {
	c := g.cell(row, col)
	ref := r.cellRef(g, row, col)
	r.at[path] = ref
	fail := func(p planner.Problem) json.RawMessage {
		r.add(p)
		r.bad[path] = true
		return nil
	}
	switch c.kind {
	case cellEmpty:
		return nil
	case cellFormula:
		return fail(problem(ref, ProblemFormulaNoValue, c.text))
	case cellError:
		return fail(problem(ref, ProblemErrorValue, c.text))
	case cellBoolean:
		return fail(problem(ref, ProblemBoolean))
	case cellNumber:
		raw, p := numberCell(c.text, fd, g.date1904, ref)
		if p != nil {
			return fail(*p)
		}
		return raw
	}
	raw, err := fd.Value(c.text, g.lang)
	var invalid *planner.InputError
	if errors.As(err, &invalid) {
		return fail(invalid.Problem(ref))
	}
	return raw
}

// numberCell reads a number cell as the field's value: for a date, the
// day Excel's serial number names; for a number, its value to the 15
// significant digits Excel keeps; for a text or an id, the number as
// written (a post called 2021); a period needs its unit.
func numberCell(raw string, fd form.Field, date1904 bool, ref string) (json.RawMessage, *planner.Problem) {
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		p := problem(ref, locale.ProblemInputNumber, raw)
		return nil, &p
	}
	n, _ := planner.CanonicalNumber(strconv.FormatFloat(f, 'g', maxExactDigits, 64))
	if n == "" {
		n, _ = planner.CanonicalNumber(strconv.FormatFloat(f, 'f', -1, 64))
	}
	switch fd.Kind {
	case form.Date:
		d, ok := excelDate(f, date1904)
		if !ok {
			p := problem(ref, ProblemNotExcelDate, n)
			return nil, &p
		}
		return json.RawMessage(`"` + d.String() + `"`), nil
	case form.Number:
		return json.RawMessage(n), nil
	case form.Period, form.Span:
		p := problem(ref, ProblemNumberNoUnit, n)
		return nil, &p
	}
	raw2, err := fd.Value(n, locale.English)
	if err != nil {
		var invalid *planner.InputError
		if errors.As(err, &invalid) {
			p := invalid.Problem(ref)
			return nil, &p
		}
	}
	return raw2, nil
}

// The serial numbers of Excel's two calendars: the 1900 one counts 1900
// as a leap year (serial 60 is 29 February 1900, which did not exist);
// the 1904 one starts on 1 January 1904.
const excel1904Offset = 1462

// excelDate returns the day a serial number names, which must be whole
// and a day a scenario allows.
func excelDate(serialNumber float64, date1904 bool) (date.Date, bool) {
	if serialNumber != math.Trunc(serialNumber) || serialNumber < 0 || serialNumber > excelMaxSerial {
		return 0, false
	}
	n := int64(serialNumber)
	if date1904 {
		n += excel1904Offset
	}
	switch {
	case n == excelFakeLeap || n < 1:
		return 0, false
	case n < excelFakeLeap:
		n++
	}
	d := date.Date(n - excelUnixEpoch + date.ZeroOffset)
	if d < planner.MinDate || d > planner.MaxDate {
		return 0, false
	}
	return d, true
}

// headingTexts maps a section's heading, in either language, to the
// section.
func headingTexts() map[string]section {
	out := map[string]section{}
	for _, sec := range inputSections {
		for _, l := range locale.Langs {
			out[l.Text(sec.heading)] = sec
		}
	}
	return out
}

// fieldNames are the names a column heading or a row's label may give a
// field: its name in the format, its label in either language, and the
// label without what it says in brackets ("Monatskosten" for
// "Monatskosten (EUR)"); all in lower case.
func fieldNames(sec section) map[string]form.Field {
	out := map[string]form.Field{}
	for _, fd := range sec.fields {
		out[fd.Name] = fd
		for _, l := range locale.Langs {
			for _, id := range []string{fd.Label, columnHeading(sec, fd)} {
				label := normalize(l.Text(id))
				out[label] = fd
				if short, _, ok := strings.Cut(label, " ("); ok {
					out[short] = fd
				}
			}
		}
	}
	return out
}

// normalize is a heading as fieldNames compares it: lower case, spaces
// trimmed and single.
func normalize(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// readKeyValues reads the rows from..to (exclusive) of a section of a row
// per field into o: the field named by column C or labelled in column A,
// its value in column B. path is the prefix of the fields' JSON paths.
func (r *reading) readKeyValues(g *grid, sec section, from, to int, o *planner.Object, prefix string) {
	names := fieldNames(sec)
	seen := map[string]int{}
	for row := from; row < to; row++ {
		if g.emptyRow(row) {
			continue
		}
		key, label := g.cell(row, keyColumn-1), g.cell(row, labelColumn-1)
		fd, ok := names[normalize(key.text)]
		if !ok || key.kind != cellText {
			fd, ok = names[normalize(label.text)]
		}
		if !ok {
			r.add(problem(r.cellRef(g, row, labelColumn-1), ProblemUnknownRow, label.text))
			continue
		}
		if first, dup := seen[fd.Name]; dup {
			r.add(problem(r.cellRef(g, row, labelColumn-1), ProblemDuplicateRow, label.text, first+1))
			continue
		}
		seen[fd.Name] = row
		path := joinPath(prefix, fd.Name)
		if raw := r.value(g, row, valueColumn-1, fd, path); raw != nil {
			o.Set(fd.Name, raw)
		}
	}
}

// A header is a table's row of column headings: the field of each
// column, and the row after which the table's rows begin (after the row
// of notes, while it holds them).
type header struct {
	row    int
	fields []*form.Field // by column; nil for an empty heading
	notes  bool          // the next row is the notes the Input sheet writes
}

// findHeader finds a table's headings among the rows from..to: the first
// row whose every cell is a field's name or label (the rows before it are
// notes). It reports false, with the problem, when there is none or a
// heading is unknown or twice.
func (r *reading) findHeader(g *grid, sec section, from, to int, sectionRef string) (header, bool) {
	names := fieldNames(sec)
	for row := from; row < to; row++ {
		if g.emptyRow(row) {
			continue
		}
		h := header{row: row, fields: make([]*form.Field, len(g.rows[row]))}
		known, unknown := 0, -1
		for col, c := range g.rows[row] {
			if c.kind == cellEmpty {
				continue
			}
			fd, ok := names[normalize(c.text)]
			if !ok {
				if unknown < 0 {
					unknown = col
				}
				continue
			}
			known++
			h.fields[col] = &fd
		}
		if known == 0 {
			continue // a row of notes
		}
		if unknown >= 0 {
			r.add(problem(r.cellRef(g, row, unknown), ProblemUnknownColumn, g.cell(row, unknown).text))
			return h, false
		}
		seen := map[string]int{}
		for col, fd := range h.fields {
			if fd == nil {
				continue
			}
			if first, dup := seen[fd.Name]; dup {
				r.add(problem(r.cellRef(g, row, col), ProblemDuplicateColumn, g.cell(row, col).text, g.ref(row, first)))
				return h, false
			}
			seen[fd.Name] = col
		}
		h.notes = h.isNotes(g, row+1)
		return h, true
	}
	r.add(problem(sectionRef, ProblemNoHeadings))
	return header{}, false
}

// isNotes reports whether row holds the notes of the columns, in either
// language, and nothing else.
func (h header) isNotes(g *grid, row int) bool {
	if row >= len(g.rows) || g.emptyRow(row) {
		return false
	}
	for col, c := range g.rows[row] {
		if c.kind == cellEmpty {
			continue
		}
		if col >= len(h.fields) || h.fields[col] == nil {
			return false
		}
		id, ok := noteIDs[h.fields[col].Name]
		if !ok || c.kind != cellText ||
			normalize(c.text) != normalize(locale.English.Text(id)) && normalize(c.text) != normalize(locale.German.Text(id)) {
			return false
		}
	}
	return true
}

// readRows reads the table's rows after its headings up to to
// (exclusive), a JSON object per row that is not empty, at the paths
// list[0], list[1], ….
func (r *reading) readRows(g *grid, h header, to int, list string) []planner.Object {
	var out []planner.Object
	first := h.row + 1
	if h.notes {
		first++
	}
	for row := first; row < to; row++ {
		if row%256 == 0 && r.ctx.Err() != nil {
			return out
		}
		if g.emptyRow(row) {
			continue
		}
		path := list + "[" + strconv.Itoa(len(out)) + "]"
		r.at[path] = r.cellRef(g, row, 0)
		o := planner.Object{}
		for col, c := range g.rows[row] {
			if col >= len(h.fields) || h.fields[col] == nil {
				if c.kind != cellEmpty {
					r.add(problem(r.cellRef(g, row, col), ProblemUnheadedValue))
				}
				continue
			}
			fd := *h.fields[col]
			if raw := r.value(g, row, col, fd, path+"."+fd.Name); raw != nil {
				o.Set(fd.Name, raw)
			}
		}
		for col, fd := range h.fields {
			if fd != nil {
				if _, ok := r.at[path+"."+fd.Name]; !ok {
					r.at[path+"."+fd.Name] = r.cellRef(g, row, col) // an empty cell past the row's last value
				}
			}
		}
		out = append(out, o)
	}
	return out
}

// finish writes the scenario o read from a file as canonical JSON. The
// problems of its cells come first; then the planner's, each put at the
// cell of its path (or the nearest row or section; else, as where, the
// file or sheet and the path), leaving out those at a cell that does not
// read.
func (r *reading) finish(o planner.Object, where func(path string) string) ([]byte, error) {
	body, err := o.MarshalJSON()
	if err != nil {
		return nil, err
	}
	canonical, err := planner.Canonical(body)
	var invalid *planner.ValidationError
	if err != nil && !errors.As(err, &invalid) {
		return nil, err
	}
	if err == nil && len(r.problems) == 0 {
		return canonical, nil
	}
	problems := r.problems
	if invalid != nil {
		for _, p := range invalid.Problems {
			path := p.Path
			located := ""
			for path != "" {
				if r.bad[path] {
					located = "-"
					break
				}
				if ref, ok := r.at[path]; ok {
					located = ref
					break
				}
				cut := strings.LastIndexAny(path, ".[")
				if cut <= 0 {
					break
				}
				path = path[:cut]
			}
			switch located {
			case "-":
				continue
			case "":
				located = where(p.Path)
			}
			p.Path = located
			problems = append(problems, p)
		}
	}
	// In the order of the file: by row and column; what is at no cell
	// last, in the order found.
	place := func(p planner.Problem) int {
		if n, ok := r.order[p.Path]; ok {
			return n
		}
		return math.MaxInt
	}
	slices.SortStableFunc(problems, func(a, b planner.Problem) int { return cmp.Compare(place(a), place(b)) })
	return nil, &planner.ValidationError{Problems: problems}
}

// joinPath is prefix.name, or name without a prefix.
func joinPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}
