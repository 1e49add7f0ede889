package report

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The page sizes in points, as the reader reports them.
const (
	a4ShortPt = 595
	a4LongPt  = 842
)

// TestGolden reads the demo's report back, page by page, line by line,
// and compares its text with testdata/demo.{en,de}.golden.txt; run with
// -update to rewrite them after a deliberate change, and read the diff.
func TestGolden(t *testing.T) {
	for _, lang := range locale.Langs {
		t.Run(string(lang), func(t *testing.T) {
			got := dumpText(extract(t, write(t, data.Demo, lang, nil)))
			path := filepath.Join("testdata", "demo."+string(lang)+".golden.txt")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("the demo's report differs from %s; run go test -run TestGolden -update ./report and read the diff:\n%s", path, firstDifference(got, string(want)))
			}
		})
	}
}

// firstDifference shows the first line where got and want differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, a, b)
		}
	}
	return ""
}

// isA4 reports whether a page is A4, portrait or landscape.
func isA4(p pageText, landscape bool) bool {
	w, h := math.Round(p.width), math.Round(p.height)
	if landscape {
		return w == a4LongPt && h == a4ShortPt
	}
	return w == a4ShortPt && h == a4LongPt
}

// TestPages: the demo fits on at most six A4 pages, the first portrait
// and the Gantt chart's landscape; every page's footer names the
// scenario, the revision, the date of the plan and the page of how many.
func TestPages(t *testing.T) {
	tests := []struct {
		lang       locale.Lang
		page, date string
		revision   string
	}{
		{locale.English, "Page %d of %d", "as of 2026-11-24", "Revision 3, saved 2026-11-12"},
		{locale.German, "Seite %d von %d", "Stand 24.11.2026", "Revision 3 vom 12.11.2026"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			pages := extract(t, write(t, data.Demo, tt.lang, nil))
			if len(pages) < 3 || len(pages) > 6 {
				t.Fatalf("got %d pages, want 3 to 6", len(pages))
			}
			if !isA4(pages[0], false) {
				t.Errorf("page 1 is %.0f × %.0f pt, want A4 portrait", pages[0].width, pages[0].height)
			}
			schedule := tt.lang.Text("report.section.schedule")
			for i, p := range pages {
				text := strings.Join(p.lines, "\n")
				if strings.Contains(text, "3  "+schedule) && !isA4(p, true) {
					t.Errorf("page %d holds the Gantt chart but is %.0f × %.0f pt, want A4 landscape", i+1, p.width, p.height)
				}
				if !isA4(p, false) && !isA4(p, true) {
					t.Errorf("page %d is %.0f × %.0f pt, not A4", i+1, p.width, p.height)
				}
				footer := p.lines[len(p.lines)-1]
				for _, want := range []string{"KIM Kreis Siegen-Wittgenstein", tt.revision, tt.date, fmt.Sprintf(tt.page, i+1, len(pages))} {
					if !strings.Contains(footer, want) {
						t.Errorf("page %d's footer %q lacks %q", i+1, footer, want)
					}
				}
			}
		})
	}
}

// TestManyPosts: 500 posts paginate: the Gantt chart runs over pages,
// each of them landscape with the section's heading, the legend and the
// axis repeated, and every post has its row; the assumptions' table of
// posts repeats its heading row on each of its pages.
func TestManyPosts(t *testing.T) {
	scenario := largeScenario(500)
	pages := extract(t, write(t, scenario, locale.German, nil))
	if len(pages) < 10 {
		t.Fatalf("got %d pages for 500 posts", len(pages))
	}
	ganttPages, continued, rows, postHeadings := 0, 0, 0, 0
	for i, p := range pages {
		text := strings.Join(p.lines, "\n")
		if !isA4(p, false) && !isA4(p, true) {
			t.Errorf("page %d is %.0f × %.0f pt, not A4", i+1, p.width, p.height)
		}
		if strings.Contains(text, "Wartet auf den Suchbeginn") { // the legend
			ganttPages++
			if !isA4(p, true) {
				t.Errorf("Gantt page %d is not landscape", i+1)
			}
			if !strings.Contains(text, "Besetzt | Produktiv") {
				t.Errorf("Gantt page %d has no axis heading", i+1)
			}
			if strings.Contains(text, "3  Zeitplan (Fortsetzung)") {
				continued++
			}
			for _, line := range p.lines {
				if strings.HasPrefix(line, "Stelle ") && strings.Contains(line, "(E ") {
					rows++
				}
			}
		}
		if strings.Contains(text, "Kennung | Bezeichnung | Gruppe") {
			postHeadings++
		}
	}
	if ganttPages < 5 || continued != ganttPages-1 {
		t.Errorf("got %d Gantt pages, %d of them continued; want several, all but the first continued", ganttPages, continued)
	}
	if rows != 500 {
		t.Errorf("the Gantt chart has %d rows, want 500", rows)
	}
	if postHeadings < 5 {
		t.Errorf("the table of posts has its heading on %d pages", postHeadings)
	}
}

// TestRisk: with a risk run, the key figures carry its decision date at
// the confidence and its chance, the decision names it, and the Gantt
// chart's legend the whiskers.
func TestRisk(t *testing.T) {
	// Paragraphs break into lines anywhere: read them as one.
	text := strings.ReplaceAll(dumpText(extract(t, write(t, data.DemoUncertain, locale.English, &planner.RiskOptions{Trials: 200, Seed: 7, Confidence: 0.8}))), "\n", " ")
	for _, want := range []string{
		"Latest decision at 80.0 % confidence",
		"Chance that every post is safe",
		"200 trials, seed 7",
		"with 80.0 % confidence (200 trials)",
		"Productive in the risk run, P10 to P90",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report with a risk run lacks %q", want)
		}
	}
}

// TestNotStored: a plan of a scenario that is not stored says so in its
// footer; a plan without its scenario has no assumptions.
func TestNotStored(t *testing.T) {
	_, plan := planOf(t, data.Demo)
	var buf bytes.Buffer
	if err := Write(&buf, plan, Options{Lang: locale.German, Exported: planDate}); err != nil {
		t.Fatal(err)
	}
	text := dumpText(extract(t, buf.Bytes()))
	if !strings.Contains(text, "nicht gespeichert · Stand 24.11.2026") {
		t.Errorf("the footer does not say the scenario is not stored:\n%s", text)
	}
	if strings.Contains(text, "5  Annahmen") {
		t.Errorf("a report without its scenario has assumptions")
	}
}

// TestDeterministic: the same plan makes the same bytes.
func TestDeterministic(t *testing.T) {
	first := write(t, data.Demo, locale.German, nil)
	second := write(t, data.Demo, locale.German, nil)
	if !bytes.Equal(first, second) {
		t.Error("two reports of the same plan differ")
	}
}

// TestWriteRefuses: Write wants a plan, its date, and a risk run of the
// same scenario.
func TestWriteRefuses(t *testing.T) {
	_, plan := planOf(t, data.Demo)
	tests := []struct {
		name string
		plan *planner.Plan
		opts Options
	}{
		{"no plan", nil, Options{Exported: planDate}},
		{"no date", plan, Options{}},
		{"another risk run", plan, Options{Exported: planDate, Risk: &planner.Risk{}}},
	}
	for _, tt := range tests {
		if err := Write(&bytes.Buffer{}, tt.plan, tt.opts); err == nil {
			t.Errorf("%s: Write succeeded", tt.name)
		}
	}
}

// TestFontsCover: the fonts have a glyph for every character of every
// text the report takes from the catalogs, in both languages, and for
// the demo's names.
func TestFontsCover(t *testing.T) {
	var texts []string
	for _, l := range locale.Langs {
		for _, id := range []string{"report.subtitle", "report.money_note", "report.decision.latest_passed", "report.decision.risk",
			"report.footer.revision_saved", "report.built_in", "term.productive_fte_months", "term.hr_capacity", "phase.after_end",
			"unit.currency", "report.no_flags", "report.whisker"} {
			texts = append(texts, l.Text(id))
		}
		for _, code := range planner.Codes() {
			texts = append(texts, l.Text("flag."+string(code)+".text"))
		}
	}
	texts = append(texts, string(data.Demo), "–—‘’“”„…−·×", "ÄÖÜäöüß€")
	for _, ttf := range [][]byte{regularTTF, boldTTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			t.Fatal(err)
		}
		var buf sfnt.Buffer
		for _, text := range texts {
			for _, r := range text {
				if r < ' ' {
					continue
				}
				if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
					t.Errorf("the font has no glyph for %q (U+%04X)", r, r)
				}
			}
		}
	}
}

// TestToUnicode: every character a strict reader extracts is the one
// written, the euro, dashes and quotes too (fixToUnicode).
func TestToUnicode(t *testing.T) {
	s, plan := planOf(t, data.Demo)
	plan.Scenario = "Förderung „Größe“ – 1.000 € … Ωmega Щ"
	var buf bytes.Buffer
	if err := Write(&buf, plan, Options{Lang: locale.German, Scenario: s, Exported: planDate}); err != nil {
		t.Fatal(err)
	}
	pages := extract(t, buf.Bytes())
	if got := pages[0].lines[0]; got != plan.Scenario {
		t.Errorf("got title %q, want %q", got, plan.Scenario)
	}
}

// largeScenario builds n posts over a 48-month funding period in groups
// of fifty, each group after an earlier one, as the workbook's
// benchmark does.
func largeScenario(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"name": "Großer Landkreis", "start": "2023-01-01", "min_productive": "P6M",
		"defaults": {"start_on": "month_start", "monthly_cost": 5200},
		"funding": [
			{"id": "land", "name": "Landesmittel", "start": "2023-01-01", "end": "2026-12-31", "per_fte_year": 60000},
			{"id": "bund", "name": "Bundesmittel", "start": "2023-01-01", "end": "2025-12-31", "rate": 0.8, "cap": 500000000}],
		"positions": [`)
	periods := []string{"P2M", "P3M", "P6W", "P45D", "P1M", "P0D", "P2M2W"}
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id": "p%d", "title": "Stelle %d (E %d)", "group": "g%d", "location": "Ort %d", "fte": %s,
			"funding": %q, "recruiting": %q, "notice": %q, "onboarding": %q`,
			i, i, 9+i%5, i/50, i%40, []string{"1", "0.5", "0.75"}[i%3],
			[]string{"land", "bund"}[i%2], periods[i%7], periods[(i/7)%7], periods[(i/3)%7])
		if i >= 50 {
			fmt.Fprintf(&b, `, "after": ["group:g%d"]`, (i/50-1)%3)
		}
		b.WriteString("}")
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// TestWordsWhole: a table whose words fit side by side at a smaller size
// is set smaller rather than breaking them, so the demo's posts table
// reads back with every id, heading and value whole in either language
// ("Monatskosten", not "Monatskoste" and "n").
func TestWordsWhole(t *testing.T) {
	s, _ := planOf(t, data.Demo)
	for _, lang := range locale.Langs {
		t.Run(string(lang), func(t *testing.T) {
			read := map[string]bool{}
			text := dumpText(extract(t, write(t, data.Demo, lang, nil)))
			for _, word := range strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '\n' || r == '|' }) {
				read[word] = true
			}
			var words []string
			for _, p := range s.Positions {
				words = append(words, p.ID, p.Group)
			}
			for _, id := range []string{"term.monthly_cost", "phase.recruiting", "phase.notice", "phase.onboarding", "term.earliest", "term.employment", "term.fte"} {
				words = append(words, strings.Fields(lang.Text(id))...)
			}
			words = append(words, strings.Fields(lang.Align(planner.AlignQuarterStart))...)
			for _, word := range words {
				if !read[word] {
					t.Errorf("%q is not whole in the report", word)
				}
			}
		})
	}
}
