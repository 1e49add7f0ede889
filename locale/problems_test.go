package locale

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"grantplan/planner"
)

// problemCorpus holds scenarios that between them raise every problem
// code of the planner; TestEveryProblemSpoken fails when a code is
// raised by none of them.
var problemCorpus = []string{
	``, `{"name": "x"} []`, strings.Repeat("[", 70), `{"name": ?}`, `{1: 2}`, `{"name" 1}`, `{"name": 1 2}`,
	`[1 2]`, `{"a": -}`, `{"a": 1.}`, `{"a": 1e}`, "{\"a\": \"\x01\"}", `{"a": "\u12"}`, `{"a": "\q"}`,
	`[]`,
	`{"nmae": "x", "zzzzzzzz": 1, "name": "x", "name": "y", "description": 5, "start": 5,
	  "min_productive": 5, "hr_capacity": "x",
	  "funding": [], "positions": []}`,
	`{"name": " ", "start": "2021-02-30", "min_productive": "6M",
	  "funding": {}, "positions": {}}`,
	`{"name": "x", "start": "1800-01-01", "min_productive": "P999999M", "hr_capacity": 1.5,
	  "defaults": {"fte": 2, "monthly_cost": -1, "start_on": "soon", "recruiting": {"min": "P3M", "likely": "P1M", "max": "P2M"}},
	  "funding": [{"id": "F", "start": "2021/01/01", "end": "2020-01-01"}, {"id": "f", "start": "2021-01-01", "end": "2020-01-01"},
	              {"id": "f", "start": "2021-01-01", "end": "2022-01-01", "cap": 1e99, "per_fte_year": 100000000000}],
	  "positions": [{"id": "a", "title": "` + strings.Repeat("t", 201) + `", "group": "g", "monthly_cost": 123456789012345678901234567890123456789012,
	                 "fte": 1e-99, "funding": "nope", "after": "b"},
	                {"id": "a", "hr": 1, "after": [1, {"ref": "group:G"}, {"ref": "group:none"}, {"ref": "group:g"},
	                 {"ref": "a", "count": 2}, {"ref": "zz"}, {"ref": "group:g", "event": "done", "count": 0}]},
	                {"id": "c", "group": "h", "after": [{"ref": "group:h"}, {"ref": "group:g", "count": 3}]},
	                {"id": "d", "monthly_cost": 1e41, "fte": "x", "recruiting": 3}]}`,
	`{"name": "x", "start": "2021-01-01", "funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}],
	  "positions": [{"id": "a", "after": ["b"]}, {"id": "b", "after": ["a"]}]}`,
	`{"name": "x", "start": "2021-01-01", "funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}],
	  "positions": [{"id": "a", "recruiting": {"min": "P1M", "likely": "P3M", "max": "P2M"}},
	                {"id": "b", "notice": {"min": "P3M", "likely": "P1M", "max": "P3M"}}]}`,
	`{"funding": [{"name": "f"}], "positions": [{"title": "a"}]}`,
	`{"name": "x", "start": "2021-01-01", "funding": 1, "positions": 2}`,
	`{"name": "x", "start": "2021-01-01", "horizon": "2021-06-30", "defaults": {"employment": "forever"},
	  "pay_raises": [{"from": "2022-01-01", "percent": 200}, {"from": "2022-01-01", "percent": 1.234}],
	  "funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}], "positions": [{"id": "a"}]}`,
	`{"name": "x", "start": "2021-01-01", "pay_raises": {}, "funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}], "positions": [{"id": "a"}]}`,
	`{"name": "x", "start": "2021-01-01", "pay_raises": [` + strings.TrimSuffix(strings.Repeat(`{"from": "2021-01-01", "percent": 1},`, 1001), ",") + `],
	  "funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}], "positions": [{"id": "a"}]}`,
	`{"name": "x", "start": "2021-01-01", "horizon": "2199-12-31", "pay_raises": [` + doublings(30) + `],
	  "funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}], "positions": [{"id": "a", "monthly_cost": 10000000}]}`,
	`{"name": "x", "start": "2021-01-01", "funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}],
	  "positions": [` + strings.TrimSuffix(strings.Repeat(`{"id": "p"},`, planner.MaxPositions+1), ",") + `]}`,
}

// doublings is a list of n pay raises of 100 %, a year apart.
func doublings(n int) string {
	raises := make([]string, n)
	for i := range raises {
		raises[i] = fmt.Sprintf(`{"from": "%d-01-01", "percent": 100}`, 2030+i)
	}
	return strings.Join(raises, ",")
}

// corpusProblems decodes the corpus and checks the risk options that are
// out of range, returning every problem.
func corpusProblems(t *testing.T) []planner.Problem {
	t.Helper()
	var all []planner.Problem
	collect := func(err error) {
		var v *planner.ValidationError
		if !errors.As(err, &v) {
			t.Fatalf("got %v, want a *planner.ValidationError", err)
		}
		all = append(all, v.Problems...)
	}
	for _, doc := range problemCorpus {
		_, err := planner.Decode([]byte(doc))
		collect(err)
	}
	collect(planner.RiskOptions{Trials: 0, Seed: planner.MaxSeed + 1, Confidence: 2,
		Spread: planner.Spread{&planner.SpreadRange{Min: 2, Max: 0.5}}}.Validate())
	return all
}

// TestEveryProblemSpoken iterates the planner's problem codes: each needs
// a sentence in every language; the English one is the planner's
// message word for word, and none leaves an argument unused or missing.
func TestEveryProblemSpoken(t *testing.T) {
	for _, code := range planner.ProblemCodes() {
		for _, lang := range Langs {
			if _, ok := catalogs[lang][ProblemID(code)]; !ok {
				t.Errorf("problem code %s has no %s sentence (%s)", code, lang, ProblemID(code))
			}
		}
		if got, want := english[ProblemID(code)], planner.ProblemText(code); got != want {
			t.Errorf("%s: English catalog %q, planner %q", code, got, want)
		}
	}
	seen := map[planner.ProblemCode]bool{}
	for _, p := range corpusProblems(t) {
		if p.Code == "" {
			t.Errorf("%s: %q has no code", p.Path, p.Message)
			continue
		}
		seen[p.Code] = true
		if got := English.Problem(p); got != p.Message {
			t.Errorf("%s: English %q, planner %q", p.Code, got, p.Message)
		}
		de := German.Problem(p)
		if strings.Contains(de, "%!") || de == p.Message {
			t.Errorf("%s: German %q", p.Code, de)
		}
	}
	for _, code := range planner.ProblemCodes() {
		if !seen[code] {
			t.Errorf("no scenario of problemCorpus raises %s: add one", code)
		}
	}
}

func TestProblemArguments(t *testing.T) {
	_, err := planner.Decode([]byte(`{"name": "x", "start": "2021-01-01", "min_productive": "P6M",
	  "funding": [{"id": "f", "start": "2021-06-01", "end": "2021-01-31"}],
	  "positions": [{"id": "a", "monthly_cost": -5500.5, "fte": "x",
	    "recruiting": {"min": "P3M", "likely": "P1M", "max": "P3M"}},
	    {"id": "b", "group": "g"}, {"id": "c", "after": [{"ref": "group:g", "count": 2}]}]}`))
	var v *planner.ValidationError
	if !errors.As(err, &v) {
		t.Fatal(err)
	}
	got := German.Problems(v)
	want := []string{
		"funding[0].end: 31.01.2021 liegt vor dem Beginn der Quelle, 01.06.2021",
		"positions[0].monthly_cost: -5.500,5 ist negativ: ein Geldbetrag muss 0 oder mehr sein",
		"positions[0].fte: erwartet ist eine Zahl, gefunden: ein Text",
		"positions[0].recruiting: das Minimum 3 Monate ist länger als der wahrscheinliche Wert 1 Monat",
		`positions[2].after[0].count: 2 liegt außerhalb des erlaubten Bereichs: die Gruppe "g" hat 1 Mitglied, auf die gewartet wird`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := English.Localized(v).Problems[0].Message; got != v.Problems[0].Message {
		t.Errorf("English.Localized: %q, want the planner's %q", got, v.Problems[0].Message)
	}
}
