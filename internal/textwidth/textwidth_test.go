package textwidth

import (
	"os"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// sample is text the charts and sheets show, in both languages.
const sample = "Förderende 31.12.2022: KIM Baustein 1 – Kündigungsfrist, Einarbeitung; " +
	"Wartet auf den Suchbeginn … „Größe“ 174.166,67 € −5 % WQMwqm iIl1"

// widthIn is text's width in font, in ems.
func widthIn(t *testing.T, ttf []byte, text string) float64 {
	t.Helper()
	f, err := sfnt.Parse(ttf)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	em := fixed.I(int(f.UnitsPerEm()))
	total := 0.0
	for _, r := range text {
		glyph, err := f.GlyphIndex(&buf, r)
		if err != nil {
			t.Fatal(err)
		}
		advance, err := f.GlyphAdvance(&buf, glyph, em, font.HintingNone)
		if err != nil {
			t.Fatal(err)
		}
		total += float64(advance) / float64(em)
	}
	return total
}

// TestEm: every character measures at least as wide as in each font the
// table was made from (the Go fonts always; DejaVu Sans and Liberation
// Sans where this machine has them), bold and regular; a character the
// table lacks counts as wider than an em.
func TestEm(t *testing.T) {
	fonts := []struct {
		name string
		ttf  []byte
		bold bool
	}{{"Go Regular", goregular.TTF, false}, {"Go Bold", gobold.TTF, true}}
	for _, f := range []struct {
		path string
		bold bool
	}{
		{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", false},
		{"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", true},
		{"/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", false},
		{"/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf", true},
	} {
		if ttf, err := os.ReadFile(f.path); err == nil {
			fonts = append(fonts, struct {
				name string
				ttf  []byte
				bold bool
			}{f.path, ttf, f.bold})
		}
	}
	for _, f := range fonts {
		for _, r := range sample {
			if got, want := Em(string(r), f.bold), widthIn(t, f.ttf, string(r)); got < want-1e-9 {
				t.Errorf("%s: %q measures %.3f em, the font %.3f", f.name, r, got, want)
			}
		}
	}
	if got := Em("漢", false); got <= 1 {
		t.Errorf("a character outside the table measures %.3f em, want more than one", got)
	}
	if Em("iii", false) >= Em("WWW", false) {
		t.Error("narrow letters measure as wide as broad ones")
	}
}
