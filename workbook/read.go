package workbook

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"path"
	"strings"

	"grantplan/locale"
	"grantplan/planner"
)

// A workbook to import is untrusted input. Read looks at its zip
// directory before unpacking anything, unpacks only the parts it reads
// (the workbook's list of sheets and their relationships, the shared
// strings and the Input sheet; never the other sheets, drawings or
// external links), and bounds each (docs/workbook.md, Importing). The
// sizes the directory gives are what archive/zip holds each part to as
// it unpacks, so a part that claims little and unpacks to much fails.
const (
	// MaxFileSize is the largest file Read and ReadPostsCSV take.
	MaxFileSize = 10 << 20
	// maxEntries bounds the parts of a workbook (Excel writes about 20).
	maxEntries = 1000
	// maxPartSize bounds the unpacked size of the workbook's list of
	// sheets, its relationships and any small part read.
	maxPartSize = 1 << 20
	// maxSheetSize bounds the unpacked Input sheet and the shared
	// strings, each: a sheet of 5,000 posts is about 4 MB.
	maxSheetSize = 32 << 20
	// MaxRows is the last row of the Input sheet (or line of a CSV) that
	// may hold a value: room for the most posts a scenario may have.
	MaxRows = planner.MaxPositions + 1000
	// MaxColumns is the last column that may hold a value.
	MaxColumns = 64
	// maxCellLength bounds a cell's text (Excel's own limit).
	maxCellLength = 32767
)

// Read reads a workbook's Input sheet (grantplan's export or template, in
// English or German) back into the scenario it describes, as canonical
// JSON (planner.Canonical). Formulas are not calculated: a formula's
// stored value is read, and a formula without one is a problem. Every
// problem is a *planner.ValidationError whose paths name the sheet and
// cell ("Eingaben!D7"), or the sheet and the scenario's field where no
// cell holds it ("Eingaben (start)").
func Read(ctx context.Context, data []byte) ([]byte, error) {
	invalid := func(code planner.ProblemCode, args ...any) error {
		return &planner.ValidationError{Problems: []planner.Problem{problem("$", code, args...)}}
	}
	if len(data) > MaxFileSize {
		return nil, invalid(ProblemTooLarge, MaxFileSize>>20)
	}
	p, err := openPackage(data)
	if err != nil {
		return nil, err
	}
	var shared []string
	if p.sharedStrings != nil {
		rc, err := p.sharedStrings.Open()
		if err != nil {
			return nil, invalid(ProblemNotWorkbook)
		}
		shared, err = readSharedStrings(rc)
		rc.Close()
		if err != nil {
			return nil, invalid(ProblemNotWorkbook)
		}
	}
	rc, err := p.sheetPart.Open()
	if err != nil {
		return nil, invalid(ProblemNotWorkbook)
	}
	defer rc.Close()
	g, err := readSheetXML(ctx, rc, shared, p.sheet)
	if err != nil {
		return nil, err
	}
	g.lang, g.date1904 = p.lang, p.date1904
	return readInput(ctx, g, p.sheet)
}

// A pkg is what a workbook's zip directory and its list of sheets say:
// the Input sheet's name, language and part, and the shared strings.
type pkg struct {
	sheet         string // the Input sheet's name
	lang          locale.Lang
	date1904      bool
	sheetPart     *zip.File
	sharedStrings *zip.File // nil when the workbook has none
}

// openPackage finds the Input sheet from the zip directory and the
// workbook's list of sheets, and checks the sizes the directory gives,
// which archive/zip holds every part to as it unpacks. Nothing else of
// the workbook is unpacked: not the other sheets, drawings or external
// links.
func openPackage(data []byte) (*pkg, error) {
	invalid := func(code planner.ProblemCode, args ...any) error {
		return &planner.ValidationError{Problems: []planner.Problem{problem("$", code, args...)}}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, invalid(ProblemNotWorkbook)
	}
	if len(zr.File) > maxEntries {
		return nil, invalid(ProblemTooLarge, MaxFileSize>>20)
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/"))] = f
	}
	find := func(name string, limit uint64) (*zip.File, error) {
		f, ok := parts[strings.ToLower(name)]
		if !ok {
			return nil, invalid(ProblemNotWorkbook)
		}
		if f.UncompressedSize64 > limit {
			return nil, invalid(ProblemTooLarge, MaxFileSize>>20)
		}
		return f, nil
	}
	read := func(name string) ([]byte, error) {
		f, err := find(name, maxPartSize)
		if err != nil {
			return nil, err
		}
		rc, err := f.Open()
		if err != nil {
			return nil, invalid(ProblemNotWorkbook)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc) // archive/zip stops at the size it was given
		if err != nil {
			return nil, invalid(ProblemNotWorkbook)
		}
		return b, nil
	}
	// The package's relationships name the workbook part; its own name
	// the sheets' parts.
	rels, err := read("_rels/.rels")
	if err != nil {
		return nil, err
	}
	workbookPart := relationTarget(rels, "", func(r relation) bool { return strings.HasSuffix(r.Type, "/officeDocument") })
	if workbookPart == "" {
		return nil, invalid(ProblemNotWorkbook)
	}
	workbookXML, err := read(workbookPart)
	if err != nil {
		return nil, err
	}
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
			// Strict OOXML names the relationships' namespace otherwise.
			StrictID string `xml:"http://purl.oclc.org/ooxml/officeDocument/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if xml.Unmarshal(workbookXML, &wb) != nil {
		return nil, invalid(ProblemNotWorkbook)
	}
	p := &pkg{date1904: wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"}
	sheetID := ""
	for _, l := range locale.Langs {
		for _, s := range wb.Sheets {
			if s.Name == l.Text("workbook.sheet.input") && p.sheet == "" {
				p.sheet, p.lang, sheetID = s.Name, l, s.ID+s.StrictID
			}
		}
	}
	if p.sheet == "" {
		return nil, invalid(ProblemNoInputSheet, locale.German.Text("workbook.sheet.input"), locale.English.Text("workbook.sheet.input"))
	}
	dir, file := path.Split(workbookPart)
	workbookRels, err := read(dir + "_rels/" + file + ".rels")
	if err != nil {
		return nil, err
	}
	sheetPart := relationTarget(workbookRels, dir, func(r relation) bool { return r.ID == sheetID })
	if sheetPart == "" {
		return nil, invalid(ProblemNotWorkbook)
	}
	if p.sheetPart, err = find(sheetPart, maxSheetSize); err != nil {
		return nil, err
	}
	if shared := relationTarget(workbookRels, dir, func(r relation) bool { return strings.HasSuffix(r.Type, "/sharedStrings") }); shared != "" {
		if p.sharedStrings, err = find(shared, maxSheetSize); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// A relation is one relationship of a part.
type relation struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
	Mode   string `xml:"TargetMode,attr"`
}

// relationTarget returns the part the first relationship that match
// accepts points to, relative to the package root (dir is the folder of
// the part whose relationships these are); "" for none, or for an
// external target (never followed).
func relationTarget(xmlData []byte, dir string, match func(relation) bool) string {
	var rels struct {
		Relations []relation `xml:"Relationship"`
	}
	if xml.Unmarshal(xmlData, &rels) != nil {
		return ""
	}
	for _, r := range rels.Relations {
		if !match(r) || strings.EqualFold(r.Mode, "External") {
			continue
		}
		if strings.HasPrefix(r.Target, "/") {
			return path.Clean(strings.TrimPrefix(r.Target, "/"))
		}
		return path.Clean(path.Join(dir, r.Target))
	}
	return ""
}

// readInput reads the grid of an Input sheet as a scenario: its sections
// by their headings in column A, in any order.
func readInput(ctx context.Context, g *grid, sheet string) ([]byte, error) {
	r := newReading(ctx)
	headings := headingTexts()
	type found struct {
		sec      section
		row, end int
	}
	var sections []found
	for row := range g.rows {
		c := g.cell(row, 0)
		sec, ok := headings[strings.TrimSpace(c.text)]
		if !ok || c.kind != cellText || len(g.rows[row]) > 1 && !rowEmptyFrom(g, row, 1) {
			continue
		}
		if n := len(sections); n > 0 {
			sections[n-1].end = row
		}
		sections = append(sections, found{sec: sec, row: row, end: len(g.rows)})
	}
	o := planner.Object{}
	defaults := planner.Object{}
	seen := map[string]int{}
	for _, s := range sections {
		ref := r.cellRef(g, s.row, 0)
		if first, dup := seen[s.sec.key]; dup {
			r.add(problem(ref, ProblemDuplicateSection, g.cell(s.row, 0).text, g.ref(first, 0)))
			continue
		}
		seen[s.sec.key] = s.row
		switch s.sec.key {
		case "scenario":
			r.readKeyValues(g, s.sec, s.row+1, s.end, &o, "")
		case "defaults":
			r.at["defaults"] = ref
			r.readKeyValues(g, s.sec, s.row+1, s.end, &defaults, "defaults")
		default:
			r.at[s.sec.key] = ref
			h, ok := r.findHeader(g, s.sec, s.row+1, s.end, ref)
			if !ok {
				r.bad[s.sec.key] = true // its problem is the headings'
				continue
			}
			raw, err := planner.MarshalObjects(r.readRows(g, h, s.end, s.sec.key))
			if err != nil {
				return nil, err
			}
			o.Set(s.sec.key, raw)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(defaults) > 0 {
		raw, err := defaults.MarshalJSON()
		if err != nil {
			return nil, err
		}
		o.Set("defaults", raw)
	}
	return r.finish(inFormatOrder(o), func(path string) string {
		return sheet + " (" + path + ")"
	})
}

// rowEmptyFrom reports whether a row holds nothing from column col on.
func rowEmptyFrom(g *grid, row, col int) bool {
	for _, c := range g.rows[row][col:] {
		if c.kind != cellEmpty {
			return false
		}
	}
	return true
}

// inFormatOrder orders a scenario's top-level members as the format does,
// so that the planner reports problems in the order of the sheet.
func inFormatOrder(o planner.Object) planner.Object {
	out := make(planner.Object, 0, len(o))
	var names []string
	for _, fd := range scenarioSection.fields {
		names = append(names, fd.Name)
	}
	for _, name := range append(names, raisesSection.key, defaultsSection.key, fundingSection.key, postsSection.key) {
		if raw := o.Get(name); raw != nil {
			out = append(out, planner.Member{Key: name, Value: raw})
		}
	}
	return out
}
