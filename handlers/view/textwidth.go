package view

//go:generate go run widths_gen.go -regular /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf,/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf -bold /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf,/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf

// The charts are SVG that the browser sets in its own sans-serif font, which
// the server does not know. So that no label runs out of its chart, text
// is measured conservatively: each character as wide as in the widest of
// the fonts widths_gen.go read (DejaVu Sans, Liberation Sans with Arial's
// widths, Go), plus a margin for a font wider still; a character outside
// the table as wide as the widest there is.

// widthMargin is the share added to every measured width.
const widthMargin = 0.06

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

// TextWidth is how wide text in a font of size (in user units) may be
// drawn, at most: the measure of every chart of the pages.
func TextWidth(text string, size float64, bold bool) float64 {
	total := 0
	for _, r := range text {
		total += advance(r, bold)
	}
	return float64(total) * size / 1000 * (1 + widthMargin)
}
