package workbook

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"regexp"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
)

// A workbook to import is untrusted. These tests build hostile files and
// check that each is refused with its problem, quickly, and without
// unpacking what it does not need to.

// rezip returns the zip data with each part that change names replaced
// (a nil content drops it) and the parts of extra added.
func rezip(t *testing.T, data []byte, change map[string][]byte, extra map[string][]byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		content, changed := change[f.Name]
		switch {
		case changed && content == nil:
			continue
		case changed:
			w, err := zw.Create(f.Name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(content); err != nil {
				t.Fatal(err)
			}
		default:
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, content := range extra {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// part returns a part of a zip.
func part(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}

// inputPart is the Input sheet's part in the demo's workbook (the fifth
// sheet).
const inputPart = "xl/worksheets/sheet6.xml" // the Input sheet, the sixth

// withRows returns the Input sheet's XML with rows added before the end
// of its data.
func withRows(sheetXML, rows string) string {
	return strings.Replace(sheetXML, "</sheetData>", rows+"</sheetData>", 1)
}

// replaceCell returns the sheet's XML with the cell ref (written as an
// element of its own) replaced by cellXML.
func replaceCell(t *testing.T, sheetXML, ref, cellXML string) string {
	t.Helper()
	pattern := regexp.MustCompile(`<c r="` + ref + `"[^>]*?(?:/>|>.*?</c>)`)
	if !pattern.MatchString(sheetXML) {
		t.Fatalf("no cell %s", ref)
	}
	return pattern.ReplaceAllLiteralString(sheetXML, cellXML)
}

// lyingPart adds a stored part to a zip whose directory claims size
// bytes unpacked: a bomb's claim, which no byte of it backs.
func lyingPart(t *testing.T, data []byte, name string, size uint64) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name == name {
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	content := []byte("<worksheet/>")
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(content),
		CompressedSize64: uint64(len(content)), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestReadHostile(t *testing.T) {
	demo := exported(t, data.Demo, locale.German)
	sheet := part(t, demo, inputPart)
	var manyRows, wideRow strings.Builder
	for row := 50; row < 10050; row++ {
		fmt.Fprintf(&manyRows, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>p%d</t></is></c></row>`, row, row, row)
	}
	wideRow.WriteString(`<row r="50">`)
	for col := 1; col <= 100; col++ {
		fmt.Fprintf(&wideRow, `<c r="%s" t="inlineStr"><is><t>x</t></is></c>`, cell(col, 50))
	}
	wideRow.WriteString(`</row>`)
	tests := []struct {
		name string
		file []byte
		want string // the problem's path and English message, at its start
	}{
		{"not a zip", []byte("not a workbook at all"), "$: the file is not a workbook"},
		{"an old .xls or a password-protected file", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "$: the file is not a workbook"},
		{"too large", make([]byte, MaxFileSize+1), "$: the file is too large"},
		{"a zip bomb's claim", lyingPart(t, demo, inputPart, 1<<40), "$: the file is too large"},
		{"a claim too small", lyingPart(t, demo, inputPart, 4), "Eingaben: the file is not a workbook"},
		{"a bomb in a part it does not read", lyingPart(t, demo, "xl/worksheets/sheet1.xml", 1<<40), ""},
		{"no Input sheet", rezip(t, demo, map[string][]byte{"xl/workbook.xml": []byte(strings.Replace(part(t, demo, "xl/workbook.xml"), `name="Eingaben"`, `name="Blatt5"`, 1))}, nil),
			`$: the workbook has no sheet "Eingaben" or "Input"`},
		{"10,000 rows", rezip(t, demo, map[string][]byte{inputPart: []byte(withRows(sheet, manyRows.String()))}, nil),
			fmt.Sprintf("Eingaben!A%d: a value past row %d", MaxRows+1, MaxRows)},
		{"a row past Excel's last", rezip(t, demo, map[string][]byte{inputPart: []byte(withRows(sheet, `<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>x</t></is></c></row>`))}, nil),
			"Eingaben!A2000000: a value past row"},
		{"100 columns", rezip(t, demo, map[string][]byte{inputPart: []byte(withRows(sheet, wideRow.String()))}, nil),
			"Eingaben!BM50: a value past column BL"},
		{"a formula never calculated", rezip(t, demo, map[string][]byte{inputPart: []byte(replaceCell(t, sheet, "B9", `<c r="B9" s="5"><f>CONCAT("6 ","Monate")</f></c>`))}, nil),
			`Eingaben!B9: the cell holds a formula (=CONCAT("6 ","Monate")) without a value`},
		{"an error value", rezip(t, demo, map[string][]byte{inputPart: []byte(replaceCell(t, sheet, "B9", `<c r="B9" t="e"><f>1/0</f><v>#DIV/0!</v></c>`))}, nil),
			`Eingaben!B9: the cell holds the error #DIV/0!`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(context.Background(), tt.file)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want the workbook read", err)
				}
				return
			}
			problems := problemsOf(t, err)
			if got := problems[0].String(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("got %q, want it to start with %q", got, tt.want)
			}
			for _, p := range problems {
				if p.Code == "" || locale.German.Problem(p) == p.Message {
					t.Errorf("%s: no German message", p)
				}
			}
		})
	}
}

// TestReadFormulas: a formula's stored value is read, never calculated:
// Excel's result of a formula typed into a cell, and a reference to
// another workbook (an external link) whose part is never opened.
func TestReadFormulas(t *testing.T) {
	demo := exported(t, data.Demo, locale.German)
	sheet := part(t, demo, inputPart)
	// F39 is the first post's monthly cost, 6359; K39 its start_on.
	sheet = replaceCell(t, sheet, "F39", `<c r="F39" t="n"><f>6000+359+[1]Tarif!A1</f><v>6400.5</v></c>`)
	sheet = replaceCell(t, sheet, "K39", `<c r="K39" t="str"><f>IF(TRUE,"Quartalserster","x")</f><v>Quartalserster</v></c>`)
	file := rezip(t, demo, map[string][]byte{inputPart: []byte(sheet)},
		map[string][]byte{"xl/externalLinks/externalLink1.xml": []byte("<externalLink/>")})
	got, err := Read(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), `"monthly_cost":6400.5,"funding":"kim-b1","notice":"P3M","start_on":"quarter_start"`) {
		t.Errorf("got %s", got)
	}
}

// TestReadCheckedDecoding: a part whose directory claims fewer bytes than
// it unpacks to is refused while unpacking (archive/zip checks every
// part against its claim), so the claims Read checks bound the work.
func TestReadCheckedDecoding(t *testing.T) {
	_, err := Read(context.Background(), lyingPart(t, exported(t, data.Demo, locale.English), inputPart, 3))
	var v *planner.ValidationError
	if !asValidation(err, &v) || v.Problems[0].Code != ProblemNotWorkbook {
		t.Errorf("got %v", err)
	}
}

func asValidation(err error, v **planner.ValidationError) bool { return errors.As(err, v) }
