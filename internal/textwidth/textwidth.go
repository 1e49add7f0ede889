// Package textwidth measures text for a reader whose font grantplan does
// not know: the web pages' SVG charts, which the browser sets in its own
// sans-serif, and the workbook's cells, which Excel or LibreOffice set in
// Calibri or whatever stands in for it. So that no text runs out of its
// chart or cell, every character counts as wide as in the widest of the
// fonts widths_gen.go read (DejaVu Sans, which Debian takes for
// sans-serif and for a missing Calibri, Liberation Sans with Arial's
// widths, and Go), bold or not; a character outside the table counts as
// wider than a full em.
package textwidth

//go:generate go run widths_gen.go -regular /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf,/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf -bold /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf,/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf

// unknownWidth is the width of a character the table lacks, in
// thousandths of an em: wider than a CJK character's full em.
const unknownWidth = 1250

// advance is the width of r in thousandths of an em.
func advance(r rune, bold bool) int {
	offset := 0
	for _, span := range widthRanges {
		if r >= span[0] && r <= span[1] {
			var w uint16
			if bold {
				w = boldWidths[offset+int(r-span[0])]
			} else {
				w = regularWidths[offset+int(r-span[0])]
			}
			if w == 0 {
				return unknownWidth
			}
			return int(w)
		}
		offset += int(span[1]-span[0]) + 1
	}
	return unknownWidth
}

// Em is the width of text in ems: at a font size of 12 it is Em × 12
// units wide.
func Em(text string, bold bool) float64 {
	total := 0
	for _, r := range text {
		total += advance(r, bold)
	}
	return float64(total) / 1000
}
