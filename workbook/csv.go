package workbook

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"grantplan/locale"
	"grantplan/planner"
)

// ReadPostsCSV reads a CSV of posts, a row per post under a line of
// column headings (the Input sheet's posts table: English or German
// labels, or the format's field names), and returns base — a scenario's
// JSON, which gives the start, the funding and the defaults — with its
// posts replaced by the CSV's, as canonical JSON.
//
// The file may be UTF-8 (with or without a byte order mark), UTF-16 with
// one, or Windows-1252 as Excel writes "CSV (Trennzeichen-getrennt)";
// values are separated by commas, semicolons or tabs, whichever the
// heading line has most of. Numbers are read as the headings' language
// writes them (German headings, or a semicolon without headings that say,
// read 1.500 as fifteen hundred). Every problem is a
// *planner.ValidationError whose paths name the line and column in lang
// ("Zeile 5, Spalte 3 (Förderung)"), or the base scenario's field.
func ReadPostsCSV(ctx context.Context, data, base []byte, lang locale.Lang) ([]byte, error) {
	invalid := func(code planner.ProblemCode, args ...any) error {
		return &planner.ValidationError{Problems: []planner.Problem{problem("$", code, args...)}}
	}
	if len(data) > MaxFileSize {
		return nil, invalid(ProblemTooLarge, MaxFileSize>>20)
	}
	o, err := planner.ParseObject(base)
	if err != nil {
		// Not even a JSON object: the decoder says where it stops.
		_, err := planner.Decode(base)
		var invalid *planner.ValidationError
		if !errors.As(err, &invalid) {
			return nil, fmt.Errorf("workbook: the base scenario: %w", err)
		}
		for i := range invalid.Problems {
			invalid.Problems[i].Path = lang.Printf("import.base", invalid.Problems[i].Path)
		}
		return nil, invalid
	}
	text := decodeText(data)
	comma := separator(text)
	reader := csv.NewReader(strings.NewReader(text))
	reader.Comma = comma
	reader.FieldsPerRecord = -1
	reader.ReuseRecord = false
	g := &grid{}
	var lines []int // the line each row starts on
	for {
		if len(g.rows)%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		record, err := reader.Read()
		if err == io.EOF {
			break
		}
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			return nil, &planner.ValidationError{Problems: []planner.Problem{
				problem(lang.Printf("import.csv_line", parseErr.Line), ProblemCSVQuote)}}
		}
		if err != nil {
			return nil, err
		}
		line, _ := reader.FieldPos(0)
		if len(g.rows) > MaxRows {
			return nil, invalid(ProblemTooManyRows, MaxRows)
		}
		if len(record) > MaxColumns {
			return nil, &planner.ValidationError{Problems: []planner.Problem{
				problem(lang.Printf("import.csv_line", line), ProblemTooManyColumns, MaxColumns)}}
		}
		row := make([]gridCell, len(record))
		for i, value := range record {
			if len(value) > maxCellLength {
				return nil, &planner.ValidationError{Problems: []planner.Problem{
					problem(lang.Printf("import.csv_line", line), ProblemCellTooLong, maxCellLength)}}
			}
			row[i] = textCell(value)
			if strings.TrimSpace(value) == "" {
				row[i] = gridCell{}
			}
		}
		g.rows = append(g.rows, row)
		lines = append(lines, line)
	}
	first := 0
	for first < len(g.rows) && g.emptyRow(first) {
		first++
	}
	if first == len(g.rows) {
		return nil, invalid(ProblemCSVEmpty)
	}
	headings := g.rows[first]
	g.lang = fileLanguage(headings, comma)
	g.ref = func(row, col int) string {
		heading := ""
		if col < len(headings) {
			heading = headings[col].text
		}
		return lang.Printf("import.csv_cell", lines[row], col+1, heading)
	}
	r := newReading(ctx)
	h, ok := r.findHeader(g, postsSection, first, first+1, lang.Printf("import.csv_line", lines[first]))
	if !ok {
		return nil, &planner.ValidationError{Problems: r.problems}
	}
	posts, err := planner.MarshalObjects(r.readRows(g, h, len(g.rows), postsSection.key))
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.Set(postsSection.key, posts)
	r.at[postsSection.key] = lang.Printf("import.csv_line", lines[first])
	return r.finish(o, func(path string) string { return lang.Printf("import.base", path) })
}

// decodeText reads a CSV's bytes as text: UTF-8 without its byte order
// mark, UTF-16 with one, else Windows-1252 when the bytes are not UTF-8.
func decodeText(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return string(data[3:])
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, _, err := transform.Bytes(unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder(), data)
		if err == nil {
			return string(out)
		}
	case utf8.Valid(data):
		return string(data)
	}
	out, _, err := transform.Bytes(charmap.Windows1252.NewDecoder(), data)
	if err != nil {
		return string(bytes.ToValidUTF8(data, []byte("\uFFFD")))
	}
	return string(out)
}

// separator is the separator the first line has most of outside quotes:
// a comma, a semicolon or a tab (a comma on a tie or without any).
func separator(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		if r == '"' {
			quoted = !quoted
			continue
		}
		if !quoted && (r == '\n' || r == '\r') {
			break
		}
		if !quoted && (r == ',' || r == ';' || r == '\t') {
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// fileLanguage is the language a CSV's numbers are read in: the one whose
// labels its headings use, else German for values separated by semicolons
// (as a German Excel writes CSV), else English.
func fileLanguage(headings []gridCell, comma rune) locale.Lang {
	votes := map[locale.Lang]int{}
	for _, h := range headings {
		for _, fd := range postsSection.fields {
			en, de := normalize(locale.English.Text(fd.Label)), normalize(locale.German.Text(fd.Label))
			if en == de {
				continue
			}
			switch normalize(h.text) {
			case en:
				votes[locale.English]++
			case de:
				votes[locale.German]++
			}
		}
	}
	switch {
	case votes[locale.German] > votes[locale.English]:
		return locale.German
	case votes[locale.English] > votes[locale.German]:
		return locale.English
	case comma == ';':
		return locale.German
	}
	return locale.English
}
