package palette_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"grantplan/palette"
	"grantplan/planner"
	"grantplan/templates"
)

var hexColour = regexp.MustCompile(`^[0-9A-F]{6}$`)

// TestSwatches: every phase has a swatch of valid colours, and no two
// phases share a fill or a pattern, so that a chart reads in colour and in
// black and white.
func TestSwatches(t *testing.T) {
	fills := map[palette.Colour]palette.Phase{}
	patterns := map[palette.Pattern]palette.Phase{}
	for _, p := range palette.Phases {
		s := palette.Of(p)
		for _, c := range []palette.Colour{s.Fill, s.Ink} {
			if !hexColour.MatchString(string(c)) {
				t.Errorf("%s: colour %q is not six upper-case hex digits", p, c)
			}
		}
		if s.Pattern == "" {
			t.Errorf("%s has no pattern", p)
		}
		if other, ok := fills[s.Fill]; ok {
			t.Errorf("%s and %s share the fill %s", p, other, s.Fill)
		}
		if other, ok := patterns[s.Pattern]; ok {
			t.Errorf("%s and %s share the pattern %s", p, other, s.Pattern)
		}
		fills[s.Fill], patterns[s.Pattern] = p, p
		if got, ok := palette.ParsePhase(p.String()); !ok || got != p {
			t.Errorf("palette.ParsePhase(%q) = %v, %v", p.String(), got, ok)
		}
	}
	if palette.Funded.Fill == palette.OwnShare.Fill || palette.Funded.Pattern == palette.OwnShare.Pattern {
		t.Errorf("funded money and the own share look alike: %+v, %+v", palette.Funded, palette.OwnShare)
	}
	if _, ok := palette.ParsePhase("lunch"); ok {
		t.Error("palette.ParsePhase accepts an unknown name")
	}
	if got := palette.Colour("2F6FB0").Hex(); got != "#2f6fb0" {
		t.Errorf("Hex = %q", got)
	}
}

// TestStyleSheetAgrees: the web pages' style sheet colours the severities
// (and with critical's ink the funding-end line) as the palette does; the
// chart's phase patterns take the palette's colours in the template itself.
func TestStyleSheetAgrees(t *testing.T) {
	css, err := fs.ReadFile(templates.Static, "style.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range planner.Severities() {
		want := "--" + string(s) + ": " + palette.Severity(s).Ink.Hex() + ";"
		if !strings.Contains(string(css), want) {
			t.Errorf("style.css lacks %q", want)
		}
	}
	if palette.FundingEnd != palette.Severity(planner.Critical).Ink {
		t.Errorf("the funding end %s is not critical's ink %s, which style.css draws it in", palette.FundingEnd, palette.Severity(planner.Critical).Ink)
	}
	partials, err := fs.ReadFile(templates.FS, "partials.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []palette.Phase{palette.Waiting, palette.Recruiting, palette.Notice, palette.Onboarding, palette.Productive} {
		if !strings.Contains(string(partials), `{{with swatch "`+p.String()+`"}}`) {
			t.Errorf("partials.html draws %s without its swatch", p)
		}
	}
	if strings.Contains(string(partials), palette.Of(palette.Recruiting).Fill.Hex()) {
		t.Errorf("partials.html spells out a phase colour instead of taking it from the palette")
	}
}
