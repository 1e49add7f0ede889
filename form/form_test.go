package form

import (
	"encoding/json"
	"errors"
	"testing"

	"grantplan/locale"
	"grantplan/planner"
)

func TestValue(t *testing.T) {
	tests := []struct {
		kind Kind
		lang locale.Lang
		text string
		want string // the JSON, "" for not given, "!" for an error
	}{
		{Text, locale.German, "  Koordination  ", `"Koordination"`},
		{Text, locale.German, "   ", ""},
		{LongText, locale.German, "Zeile 1\r\nZeile 2  \n", `"Zeile 1\nZeile 2"`},
		{ID, locale.English, "ovh-1", `"ovh-1"`},
		{Date, locale.German, "31.12.2022", `"2022-12-31"`},
		{Date, locale.English, "31.12.2022", `"2022-12-31"`},
		{Date, locale.German, "2022-12-31", `"2022-12-31"`},
		{Date, locale.German, "31.02.2022", "!"},
		{Number, locale.German, "4.636,00", `4636`},
		{Number, locale.English, "4,636.00", `4636`},
		{Number, locale.German, "0,5", `0.5`},
		{Number, locale.German, "1.500", `1500`},
		{Number, locale.English, "1.500", `1.5`},
		{Number, locale.German, "viel", "!"},
		{Period, locale.German, "3 Monate 2 Wochen", `"P3M2W"`},
		{Period, locale.English, "P1Y", `"P1Y"`},
		{Period, locale.English, "2 Monate / 3 Monate / 6 Monate", "!"},
		{Span, locale.German, "6 Wochen", `"P6W"`},
		{Span, locale.German, "2 Monate / 3 Monate / 6 Monate", `{"min":"P2M","likely":"P3M","max":"P6M"}`},
		{Span, locale.German, "2 Monate / 3 Monate", "!"},
		{StartOn, locale.German, "Quartalserster", `"quarter_start"`},
		{StartOn, locale.English, "first of a month", `"month_start"`},
		{StartOn, locale.English, "any", `"any"`},
		{StartOn, locale.English, "soon", "!"},
		{Employment, locale.German, "unbefristet", `"permanent"`},
		{Employment, locale.English, "Fixed-term", `"fixed"`},
		{Employment, locale.English, "fixed", `"fixed"`},
		{Employment, locale.English, "maybe", "!"},
		{Dependencies, locale.German, "group:overhead, 2 von group:cm@Zusage+2 Wochen", `["group:overhead",{"ref":"group:cm","event":"recruited","lag":"P2W","count":2}]`},
		{Dependencies, locale.English, "a@hiring start; b+P1M", `[{"ref":"a","event":"hiring_start"},{"ref":"b","lag":"P1M"}]`},
		{Dependencies, locale.English, "a@soon", "!"},
		{Dependencies, locale.English, "a b", "!"},
		{Dependencies, locale.English, " , ", ""},
	}
	for _, tt := range tests {
		f := Field{Name: "x", Kind: tt.kind}
		raw, err := f.Value(tt.text, tt.lang)
		switch {
		case tt.want == "!":
			var e *planner.InputError
			if !errors.As(err, &e) || e.Code == "" {
				t.Errorf("%d %q: got %s, %v; want a coded error", tt.kind, tt.text, raw, err)
			}
		case err != nil || string(raw) != tt.want:
			t.Errorf("%d %q: got %s, %v; want %s", tt.kind, tt.text, raw, err, tt.want)
		}
	}
}

// TestTextReadsBack: what Text writes, Value reads back as the same
// canonical value, in both languages.
func TestTextReadsBack(t *testing.T) {
	tests := []struct {
		kind Kind
		json string
	}{
		{Date, `"2022-12-31"`}, {Number, `4636.5`}, {Number, `0.333`}, {Number, `1500`}, {Number, `1234567.891`},
		{Period, `"P1Y2M"`}, {Span, `"P6W"`}, {Span, `{"min":"P2M","likely":"P3M","max":"P6M"}`},
		{StartOn, `"quarter_start"`}, {Employment, `"permanent"`},
		{Dependencies, `["group:overhead",{"ref":"group:cm","event":"recruited","lag":"P2W","count":2},{"ref":"a","event":"hiring_start"}]`},
		{Text, `"Stelle"`},
	}
	for _, tt := range tests {
		f := Field{Name: "x", Kind: tt.kind}
		for _, l := range locale.Langs {
			text := f.Text(json.RawMessage(tt.json), l)
			raw, err := f.Value(text, l)
			if err != nil || string(raw) != tt.json {
				t.Errorf("%s %s: written %q, reads back as %s, %v", l, tt.json, text, raw, err)
			}
		}
	}
	// A value that is not what the field holds is shown as its JSON.
	if got := (Field{Kind: Number}).Text(json.RawMessage(`"lots"`), locale.German); got != "lots" {
		t.Errorf("got %q", got)
	}
	if got := (Field{Kind: Date}).Text(json.RawMessage(`5`), locale.German); got != "5" {
		t.Errorf("got %q", got)
	}
}

func TestProblemsSpoken(t *testing.T) {
	for _, code := range ProblemCodes() {
		for _, l := range locale.Langs {
			text := l.Problem(planner.Problem{Code: code, Args: []any{"x"}})
			if text == "" || text == string(code) {
				t.Errorf("%s has no %s sentence", code, l)
			}
		}
	}
}
