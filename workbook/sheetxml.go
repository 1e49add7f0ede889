package workbook

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"grantplan/planner"
)

// The Input sheet is read in one pass over its XML as it unpacks, with the
// shared strings it points into (ECMA-376 Part 1, §18.3 and §18.4): each
// cell's kind, value and whether it is a formula, in the order of the
// sheet, stopping at the first value past MaxRows or MaxColumns. excelize
// would unpack every part of the workbook first (a Gantt sheet of 5,000
// posts is 50 MB) and read the sheet twice to tell a number from a text.

// errSheetXML is a sheet or shared strings part that is not the XML it
// should be.
var errSheetXML = errors.New("workbook: malformed sheet")

// readSharedStrings reads the shared strings part: each <si>'s text, the
// runs of rich text joined, phonetic guides (<rPh>) left out.
func readSharedStrings(r io.Reader) ([]string, error) {
	dec := xml.NewDecoder(r)
	var (
		out      []string
		current  strings.Builder
		inString bool
		inText   bool
		phonetic int
		depth    int // RawToken does not check that elements close
	)
	for {
		tok, err := dec.RawToken()
		if err == io.EOF && depth == 0 {
			return out, nil
		}
		if err != nil {
			return nil, errSheetXML
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "si":
				inString = true
				current.Reset()
			case "rPh":
				phonetic++
			case "t":
				inText = inString && phonetic == 0
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "si":
				out = append(out, current.String())
				inString = false
			case "rPh":
				phonetic--
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText {
				if current.Len()+len(t) > maxCellLength*2 {
					return nil, errSheetXML
				}
				current.Write(t)
			}
		}
	}
}

// readSheetXML reads a sheet's cells into a grid: rows and columns from
// 0, trailing empty cells and rows left out.
func readSheetXML(ctx context.Context, r io.Reader, shared []string, sheet string) (*grid, error) {
	invalidAt := func(ref string, code planner.ProblemCode, args ...any) error {
		return &planner.ValidationError{Problems: []planner.Problem{problem(ref, code, args...)}}
	}
	g := &grid{ref: func(row, col int) string { return sheet + "!" + cellName(col, row) }}
	dec := xml.NewDecoder(r)
	var (
		row, col = -1, -1 // the current row and cell
		c        sheetCell
		inCell   bool
		target   *strings.Builder // the text being read: a value, formula or inline string
		value    strings.Builder
		formula  strings.Builder
		inline   strings.Builder
		inInline bool
		phonetic int
		depth    int // RawToken does not check that elements close
	)
	for {
		tok, err := dec.RawToken()
		if err == io.EOF && depth == 0 {
			break
		}
		if err != nil {
			return nil, invalidAt(sheet, ProblemNotWorkbook)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "row":
				next := row + 1
				if ref := attr(t, "r"); ref != "" {
					n, err := strconv.Atoi(ref)
					if err != nil || n < 1 {
						return nil, invalidAt(sheet, ProblemNotWorkbook)
					}
					next = n - 1
				}
				if next <= row {
					return nil, invalidAt(sheet, ProblemNotWorkbook) // rows out of order
				}
				row, col = next, -1
				if row%256 == 0 && ctx.Err() != nil {
					return nil, ctx.Err()
				}
			case "c":
				if row < 0 {
					return nil, invalidAt(sheet, ProblemNotWorkbook)
				}
				next := col + 1
				if ref := attr(t, "r"); ref != "" {
					cc, rr, ok := cellCoordinates(ref)
					if !ok || rr != row || cc <= col {
						return nil, invalidAt(sheet, ProblemNotWorkbook)
					}
					next = cc
				}
				col, inCell = next, true
				c = sheetCell{kind: attr(t, "t")}
				value.Reset()
				formula.Reset()
				inline.Reset()
			case "v":
				if inCell {
					target, c.hasValue = &value, true
				}
			case "f":
				if inCell {
					c.formula = true
					target = &formula
				}
			case "is":
				if inCell {
					inInline = true
				}
			case "rPh":
				phonetic++
			case "t":
				if inInline && phonetic == 0 {
					target = &inline
				}
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "v", "f", "t":
				target = nil
			case "is":
				inInline = false
			case "rPh":
				phonetic--
			case "c":
				if !inCell {
					continue
				}
				inCell = false
				gc, err := c.read(value.String(), formula.String(), inline.String(), shared)
				if err != nil {
					return nil, invalidAt(g.ref(row, col), ProblemNotWorkbook)
				}
				if gc.kind == cellEmpty {
					continue
				}
				switch {
				case row >= MaxRows:
					return nil, invalidAt(g.ref(row, col), ProblemTooManyRows, MaxRows)
				case col >= MaxColumns:
					return nil, invalidAt(g.ref(row, col), ProblemTooManyColumns, column(MaxColumns))
				case len(gc.text) > maxCellLength:
					return nil, invalidAt(g.ref(row, col), ProblemCellTooLong, maxCellLength)
				}
				for len(g.rows) <= row {
					g.rows = append(g.rows, nil)
				}
				for len(g.rows[row]) < col {
					g.rows[row] = append(g.rows[row], gridCell{})
				}
				g.rows[row] = append(g.rows[row], gc)
			}
		case xml.CharData:
			if target != nil {
				if target.Len()+len(t) > maxCellLength+1 {
					return nil, invalidAt(g.ref(row, col), ProblemCellTooLong, maxCellLength)
				}
				target.Write(t)
			}
		}
	}
	return g, nil
}

// A sheetCell is a <c> element as read: its type attribute and whether it
// holds a formula.
type sheetCell struct {
	kind     string // the t attribute: s, str, inlineStr, n, b, e, d
	formula  bool
	hasValue bool // a <v>, even an empty one (a formula's empty text)
}

// read turns a cell's type, value, formula and inline string into a grid
// cell; a formula without a stored value is a cellFormula.
func (c sheetCell) read(value, formula, inline string, shared []string) (gridCell, error) {
	if c.formula && !c.hasValue && c.kind != "inlineStr" {
		return gridCell{kind: cellFormula, text: "=" + formula}, nil
	}
	switch c.kind {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || i < 0 || i >= len(shared) {
			return gridCell{}, errSheetXML
		}
		return textCell(shared[i]), nil
	case "inlineStr":
		return textCell(inline), nil
	case "str":
		return textCell(value), nil
	case "b":
		return gridCell{kind: cellBoolean, text: value}, nil
	case "e":
		return gridCell{kind: cellError, text: value}, nil
	case "d":
		// An ISO 8601 date, which few programs write: its day.
		day, _, _ := strings.Cut(value, "T")
		return textCell(day), nil
	}
	if strings.TrimSpace(value) == "" {
		return gridCell{}, nil
	}
	return gridCell{kind: cellNumber, text: strings.TrimSpace(value)}, nil
}

func textCell(s string) gridCell {
	if s == "" {
		return gridCell{}
	}
	return gridCell{kind: cellText, text: s}
}

// attr is the value of an element's attribute called local.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// cellCoordinates reads a cell reference such as "AB12" as its column
// and row, both from 0.
func cellCoordinates(ref string) (col, row int, ok bool) {
	i := 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		if col > 16384 {
			return 0, 0, false
		}
		i++
	}
	if i == 0 || i == len(ref) {
		return 0, 0, false
	}
	n, err := strconv.Atoi(ref[i:])
	if err != nil || n < 1 || n > 1<<30 {
		return 0, 0, false
	}
	return col - 1, n - 1, true
}

// cellName names the cell at col and row (both from 0), "AB12", for any
// coordinates a hostile sheet may give.
func cellName(col, row int) string {
	var letters []byte
	for n := col + 1; n > 0; n = (n - 1) / 26 {
		letters = append([]byte{byte('A' + (n-1)%26)}, letters...)
	}
	return string(letters) + strconv.Itoa(row+1)
}
