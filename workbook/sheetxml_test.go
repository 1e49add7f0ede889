package workbook

import (
	"context"
	"strings"
	"testing"
)

// TestSheetXML reads what other programs write: rich text and phonetic
// guides in shared strings, rows and cells without references, prefixed
// element names, inline strings, ISO dates, booleans, errors, a formula's
// stored text or number, and one without a value.
func TestSheetXML(t *testing.T) {
	shared, err := readSharedStrings(strings.NewReader(`<?xml version="1.0"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3">
<si><t>plain</t></si>
<si><r><rPr><b/></rPr><t>rich </t></r><r><t xml:space="preserve">text</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si>
<si><t/></si>
</sst>`))
	if err != nil || strings.Join(shared, "|") != "plain|rich text|" {
		t.Fatalf("got %q, %v", shared, err)
	}
	g, err := readSheetXML(context.Background(), strings.NewReader(`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row><x:c t="s"><x:v>1</x:v></x:c><x:c><x:v>4636.5</x:v></x:c></x:row>
<x:row r="3"><x:c r="B3" t="inlineStr"><x:is><x:r><x:t>in</x:t></x:r><x:r><x:t>line</x:t></x:r></x:is></x:c><x:c r="D3" t="d"><x:v>2022-12-31T00:00:00Z</x:v></x:c></x:row>
<x:row r="4"><x:c r="A4" t="b"><x:v>1</x:v></x:c><x:c r="B4" t="e"><x:v>#REF!</x:v></x:c><x:c r="C4" t="str"><x:f>A1&amp;"x"</x:f><x:v>richx</x:v></x:c><x:c r="D4"><x:f>1+1</x:f><x:v>2</x:v></x:c><x:c r="E4"><x:f t="shared" si="0"/></x:c><x:c r="F4" t="str"><x:f>""</x:f><x:v></x:v></x:c><x:c r="G4" t="s"><x:v>2</x:v></x:c></x:row>
</x:sheetData></x:worksheet>`), shared, "S")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for row, cells := range g.rows {
		for col, c := range cells {
			if c.kind != cellEmpty {
				got = append(got, g.ref(row, col)+"="+string("-tnbef"[c.kind])+":"+c.text)
			}
		}
	}
	want := "S!A1=t:rich text S!B1=n:4636.5 S!B3=t:inline S!D3=t:2022-12-31 S!A4=b:1 S!B4=e:#REF! S!C4=t:richx S!D4=n:2 S!E4=f:= "
	if strings.Join(got, " ")+" " != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	for _, bad := range []string{
		`<worksheet><sheetData><row r="2"/><row r="1"/></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="1"><c r="B1"/><c r="A1"/></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="1"><c r="A2"><v>1</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="1"><c t="s"><v>9</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="1"><c><v>1</v></c>`,
	} {
		if _, err := readSheetXML(context.Background(), strings.NewReader(bad), shared, "S"); err == nil {
			t.Errorf("%s: read without an error", bad)
		}
	}
}

func TestCellName(t *testing.T) {
	for _, tt := range []struct {
		col, row int
		want     string
	}{{0, 0, "A1"}, {25, 9, "Z10"}, {26, 0, "AA1"}, {63, 49, "BL50"}, {16383, 1999999, "XFD2000000"}} {
		if got := cellName(tt.col, tt.row); got != tt.want {
			t.Errorf("cellName(%d, %d) = %s, want %s", tt.col, tt.row, got, tt.want)
		}
		if col, row, ok := cellCoordinates(tt.want); !ok || col != tt.col || row != tt.row {
			t.Errorf("cellCoordinates(%s) = %d, %d, %v", tt.want, col, row, ok)
		}
	}
}
