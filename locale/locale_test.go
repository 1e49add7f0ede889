package locale

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"grantplan/palette"
	"grantplan/planner"
)

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"de": German, "DE-de": German, "en": English, "en-GB": English, " de ": German} {
		if got, ok := ParseLang(in); !ok || got != want {
			t.Errorf("ParseLang(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "fr", "deutsch", "e"} {
		if got, ok := ParseLang(in); ok {
			t.Errorf("ParseLang(%q) = %q, want not ok", in, got)
		}
	}
}

// TestCatalogsAgree: every message id is in both catalogs, with a
// non-empty text, and both texts take the same fmt verbs in the same
// order (a flag sentence the same facts, in any order).
func TestCatalogsAgree(t *testing.T) {
	for lang, c := range catalogs {
		for _, other := range Langs {
			for id := range catalogs[other] {
				if _, ok := c[id]; !ok {
					t.Errorf("%s lacks %q, which %s has", lang, id, other)
				}
			}
		}
		for id, text := range c {
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s: %q is empty", lang, id)
			}
		}
	}
	for id, en := range english {
		de, ok := german[id]
		if !ok {
			continue
		}
		if got, want := verbs(de), verbs(en); !slices.Equal(got, want) {
			t.Errorf("%q: German verbs %q, English %q", id, got, want)
		}
		gotFacts, wantFacts := facts(de), facts(en)
		slices.Sort(gotFacts)
		slices.Sort(wantFacts)
		if !slices.Equal(gotFacts, wantFacts) {
			t.Errorf("%q: German facts %q, English %q", id, gotFacts, wantFacts)
		}
	}
}

var (
	verbPattern = regexp.MustCompile(`%[-+#0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)
	factPattern = regexp.MustCompile(`\{([a-z_]*)\}`)
)

func verbs(text string) []string { return verbPattern.FindAllString(text, -1) }

func facts(text string) []string {
	var names []string
	for _, m := range factPattern.FindAllStringSubmatch(text, -1) {
		names = append(names, m[1])
	}
	return names
}

// TestEveryCodeSpoken iterates the planner's flag codes: each needs a
// label and a sentence in every language, and every fact a sentence names
// must be one Flag knows (appendFact).
func TestEveryCodeSpoken(t *testing.T) {
	codes := planner.Codes()
	if len(codes) < 6 {
		t.Fatalf("planner.Codes() = %v: too few", codes)
	}
	for _, lang := range Langs {
		for _, code := range codes {
			for _, part := range []string{"label", "text"} {
				id := "flag." + string(code) + "." + part
				if _, ok := catalogs[lang][id]; !ok {
					t.Errorf("%s: no %s for flag code %s (message %q)", lang, part, code, id)
				}
			}
			f := planner.Flag{Code: code}
			for _, name := range facts(catalogs[lang]["flag."+string(code)+".text"]) {
				if _, ok := lang.appendFact(nil, &f, name); !ok {
					t.Errorf("%s: the sentence of %s names an unknown fact {%s}", lang, code, name)
				}
			}
		}
		for _, s := range planner.Severities() {
			if _, ok := catalogs[lang]["severity."+string(s)]; !ok {
				t.Errorf("%s: no name for severity %s", lang, s)
			}
		}
		for _, p := range palette.Phases {
			if _, ok := catalogs[lang]["phase."+p.String()]; !ok {
				t.Errorf("%s: no name for phase %s", lang, p)
			}
		}
		for _, a := range []planner.Alignment{planner.AlignAny, planner.AlignMonthStart, planner.AlignQuarterStart} {
			if _, ok := catalogs[lang]["align."+a.String()]; !ok {
				t.Errorf("%s: no name for start_on %s", lang, a)
			}
		}
		for _, e := range []planner.Event{planner.HiringStart, planner.Recruited, planner.Filled, planner.Productive} {
			if _, ok := catalogs[lang]["event."+e.String()]; !ok {
				t.Errorf("%s: no name for event %s", lang, e)
			}
		}
	}
}

func TestLookupFallsBack(t *testing.T) {
	if got := German.Text("no.such.id"); got != "no.such.id" {
		t.Errorf("an unknown id gives %q, want the id", got)
	}
	if got := Lang("fr").Text("term.post"); got != "Post" {
		t.Errorf("an unknown language gives %q, want English", got)
	}
	if got := German.Plural("unit.day", 1); got != "1 Tag" {
		t.Errorf("Plural(1) = %q", got)
	}
	if got := English.Plural("cli.posts", 10); got != "10 posts" {
		t.Errorf("Plural(10) = %q", got)
	}
}
