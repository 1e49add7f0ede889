package report

import (
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The report is set in the Go fonts (golang.org/x/image/font/gofont): a
// humanist sans-serif by Bigelow & Holmes under the Go licence (BSD
// 3-clause), which ships with the module, so the repository carries no
// font files. They cover WGL4: umlauts, ß, €, the dashes and quotes and
// the minus sign, and Latin, Greek and Cyrillic besides, for names a user
// types. Each PDF embeds the subset of glyphs it uses.
var (
	regularTTF = goregular.TTF
	boldTTF    = gobold.TTF
)

// family is the fonts' name inside the PDF.
const family = "go"

// ptToMM converts a font size in points to millimetres.
const ptToMM = 25.4 / 72

// metrics measure text in one font: the advance of each rune in
// thousandths of an em, read once from the font and cached.
type metrics struct {
	font     *sfnt.Font
	buf      sfnt.Buffer
	units    fixed.Int26_6
	advances map[rune]float64
}

func newMetrics(ttf []byte) (*metrics, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	return &metrics{font: f, units: fixed.I(int(f.UnitsPerEm())), advances: map[rune]float64{}}, nil
}

// advance is the width of r in thousandths of an em; a rune the font
// lacks has the width of its missing glyph (glyph 0), which is drawn.
func (m *metrics) advance(r rune) float64 {
	if a, ok := m.advances[r]; ok {
		return a
	}
	glyph, err := m.font.GlyphIndex(&m.buf, r)
	if err != nil {
		glyph = 0
	}
	adv, err := m.font.GlyphAdvance(&m.buf, glyph, m.units, font.HintingNone)
	a := 0.0
	if err == nil {
		a = float64(adv) / float64(m.units) * 1000
	}
	m.advances[r] = a
	return a
}

// width is the width of text at size points, in millimetres.
func (m *metrics) width(text string, size float64) float64 {
	total := 0.0
	for _, r := range text {
		total += m.advance(r)
	}
	return total / 1000 * size * ptToMM
}
