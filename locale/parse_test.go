package locale

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"grantplan/planner"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want string // want "" for an error
		code     planner.ProblemCode
	}{
		{in: "2022-12-31", want: "2022-12-31"},
		{in: " 31.12.2022 ", want: "2022-12-31"},
		{in: "1.2.2022", want: "2022-02-01"},
		{in: "29.02.2024", want: "2024-02-29"},
		{in: "31.02.2022", code: planner.ProblemNotCalendarDay},
		{in: "2022-02-30", code: planner.ProblemNotCalendarDay},
		{in: "31.12.22", code: ProblemInputDate},
		{in: "12/31/2022", code: ProblemInputDate},
		{in: "31.12.1850", code: planner.ProblemDateOutOfRange},
		{in: "", code: ProblemInputDate},
		{in: "heute", code: ProblemInputDate},
		{in: "1.1.2022.", code: ProblemInputDate},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.want != "" {
			if err != nil || got.String() != tt.want {
				t.Errorf("ParseDate(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
			}
			continue
		}
		var e *planner.InputError
		if !errors.As(err, &e) || e.Code != tt.code {
			t.Errorf("ParseDate(%q) error = %v, want code %s", tt.in, err, tt.code)
		}
	}
	if _, err := ParseDate("31.02.2022"); err == nil || German.Problem(err.(*planner.InputError).Problem("x")) != `"31.02.2022" ist kein Kalendertag` {
		t.Errorf("German message of 31.02.2022: %v", err)
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in     string
		en, de string // "" for an error
	}{
		{"4.636,00", "4636", "4636"},
		{"4,636.00", "4636", "4636"},
		{"4636.00", "4636", "4636"},
		{"4636,00", "4636", "4636"},
		{"0,5", "0.5", "0.5"},
		{"0.5", "0.5", "0.5"},
		{"1.500", "1.5", "1500"},
		{"1,500", "1500", "1.5"},
		{"12.345", "12.345", "12345"},
		{"0.125", "0.125", "0.125"},
		{"1.234.567", "1234567", "1234567"},
		{"1,234,567.891", "1234567.891", "1234567.891"},
		{"1.234.567,891", "1234567.891", "1234567.891"},
		{"1 234 567,5", "1234567.5", "1234567.5"},
		{"1\u00a0500", "1500", "1500"},
		{"5500", "5500", "5500"},
		{"-12,25", "-12.25", "-12.25"},
		{"−3", "-3", "-3"},
		{"+7", "7", "7"},
		{",5", "0.5", "0.5"},
		{"007", "7", "7"},
		{"-0", "0", "0"},
		{"4.636,00 €", "4636", "4636"},
		{"EUR 100", "100", "100"},
		{"5.5e3", "5500", "5500"},
		{"1E-2", "0.01", "0.01"},
		{"1.2.3", "", ""},
		{"1.23.456", "", ""},
		{"1,2,3", "", ""},
		{"1.234,5.6", "", ""},
		{"5.", "", ""},
		{"", "", ""},
		{"-", "", ""},
		{"€", "", ""},
		{"abc", "", ""},
		{"1e999", "", ""},
		{"12a", "", ""},
		{"1 2", "", ""},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			lang Lang
			want string
		}{{English, tt.en}, {German, tt.de}} {
			got, err := c.lang.ParseNumber(tt.in)
			switch {
			case c.want == "" && err == nil:
				t.Errorf("%s ParseNumber(%q) = %q, want an error", c.lang, tt.in, got)
			case c.want != "" && (err != nil || got != c.want):
				t.Errorf("%s ParseNumber(%q) = %q, %v; want %q", c.lang, tt.in, got, err, c.want)
			}
		}
	}
}

// TestParseNumberReadsWhatIsWritten: every number the pages write reads
// back as itself, in both languages.
func TestParseNumberReadsWhatIsWritten(t *testing.T) {
	for _, units := range []int64{0, 5, 50, 500, 5000, 123456, 1234567, -98765, 100000000} {
		for places := uint8(0); places <= 4; places++ {
			d := planner.Decimal{Units: units, Places: places}
			want, _ := planner.CanonicalNumber(d.String())
			for _, l := range Langs {
				if got, err := l.ParseNumber(l.Number(d)); err != nil || got != want {
					t.Errorf("%s: %q reads as %q, %v; want %q", l, l.Number(d), got, err, want)
				}
				if got, err := l.ParseNumber(l.Money(d)); err != nil || got != want {
					t.Errorf("%s: %q reads as %q, %v; want %q", l, l.Money(d), got, err, want)
				}
			}
		}
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct{ in, want string }{
		{"P3M", "P3M"},
		{"p1y2m", "P1Y2M"},
		{"3 Monate", "P3M"},
		{"5 Monate", "P5M"},
		{"6 Wochen", "P6W"},
		{"3 Monate 2 Wochen", "P3M2W"},
		{"1 Jahr 2 Monate", "P1Y2M"},
		{"1 Jahr und 2 Monate", "P1Y2M"},
		{"3 months", "P3M"},
		{"1 year", "P1Y"},
		{"a year, 2 months and 3 days", "P1Y2M3D"},
		{"ein Monat", "P1M"},
		{"2 Wo.", "P2W"},
		{"3 Mon.", "P3M"},
		{"10d", "P10D"},
		{"2wk", "P2W"},
		{"1 Tag", "P1D"},
		{"0 Tage", "P0D"},
		{"2 Wochen 3 Monate", "P3M2W"},
		{"  4 MONATE ", "P4M"},
		{"3", ""},
		{"Monate", ""},
		{"3 Monate 2 Monate", ""},
		{"1,5 Monate", ""},
		{"3 Minuten", ""},
		{"-3 Monate", ""},
		{"P", ""},
		{"PT3H", ""},
		{"", ""},
		{"3 Monate 2", ""},
		{"9999999 Tage", ""},
		{"200000 Tage", ""},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("ParsePeriod(%q) = %s, want an error", tt.in, got)
		case tt.want != "" && (err != nil || got.String() != tt.want):
			t.Errorf("ParsePeriod(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
		if err != nil {
			var e *planner.InputError
			if !errors.As(err, &e) || e.Code == "" {
				t.Errorf("ParsePeriod(%q) error %v has no code", tt.in, err)
			}
		}
	}
}

// TestParsePeriodReadsWhatIsWritten: every period the pages write in
// words reads back as itself.
func TestParsePeriodReadsWhatIsWritten(t *testing.T) {
	for _, iso := range []string{"P0D", "P1D", "P3M", "P1Y", "P2Y11M3W6D", "P6W", "P1M1D"} {
		p := planner.MustParsePeriod(iso)
		for _, l := range Langs {
			if got, err := ParsePeriod(l.Period(p)); err != nil || got != p {
				t.Errorf("%s: %q reads as %s, %v; want %s", l, l.Period(p), got, err, iso)
			}
		}
	}
}

func TestParseRange(t *testing.T) {
	low, likely, high, ranged, err := ParseRange("2 Monate / 3 Monate / P6M")
	if err != nil || !ranged || low.String() != "P2M" || likely.String() != "P3M" || high.String() != "P6M" {
		t.Errorf("ParseRange = %s %s %s %v %v", low, likely, high, ranged, err)
	}
	if _, _, _, ranged, err := ParseRange("3 Monate"); err != nil || ranged {
		t.Errorf("ParseRange of a period: ranged %v, %v", ranged, err)
	}
	for _, in := range []string{"1/2", "a/b/c", "P1M/P2M/P3M/P4M"} {
		if _, _, _, _, err := ParseRange(in); err == nil {
			t.Errorf("ParseRange(%q): no error", in)
		}
	}
}

func TestParseSpread(t *testing.T) {
	tests := []struct {
		lang Lang
		in   string
		want string // the spread's String(), "" for an error
	}{
		{German, "0,8:1,5", "recruiting=0.8:1.5,notice=0.8:1.5,onboarding=0.8:1.5"},
		{English, "0.8:1.5", "recruiting=0.8:1.5,notice=0.8:1.5,onboarding=0.8:1.5"},
		{English, "0,8:1,5", "recruiting=0.8:1.5,notice=0.8:1.5,onboarding=0.8:1.5"},
		{German, "Personalsuche=0,8:1,5; Kündigungsfrist=1:1,3", "recruiting=0.8:1.5,notice=1:1.3"},
		{German, "recruiting=0,8:1,5, notice=1:1,3", "recruiting=0.8:1.5,notice=1:1.3"},
		{English, "onboarding = 1 : 2", "onboarding=1:2"},
		{German, "0,8", ""},
		{German, "Urlaub=1:2", ""},
		{German, "", ""},
		{German, "0,8:1,5 x", ""},
	}
	for _, tt := range tests {
		got, err := tt.lang.ParseSpread(tt.in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("%s ParseSpread(%q) = %s, want an error", tt.lang, tt.in, got.String())
		case tt.want != "" && (err != nil || got.String() != tt.want):
			t.Errorf("%s ParseSpread(%q) = %s, %v; want %s", tt.lang, tt.in, got.String(), err, tt.want)
		}
	}
}

// TestInputProblemsSpoken: the parsers' problem codes have sentences in
// both languages that take their arguments.
func TestInputProblemsSpoken(t *testing.T) {
	for _, code := range InputProblemCodes() {
		p := planner.Problem{Code: code, Args: []any{"x"}}
		for _, l := range Langs {
			if text := l.Problem(p); text == "" || strings.Contains(text, "%!") || text == string(code) {
				t.Errorf("%s %s: %q", l, code, text)
			}
		}
	}
}

// FuzzParseNumber: ParseNumber never panics, and what it gives is a plain
// decimal that reads back as itself and, for input without grouping, is
// the number the input literally says.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"4.636,00", "4,636.00", "0,5", "1.500", "1 234,5", "-3", "5.5e3", "€ 12", ",5", "1.2.3", "1e40", "1e-39"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, text string, german bool) {
		l := English
		if german {
			l = German
		}
		got, err := l.ParseNumber(text)
		if err != nil {
			var e *planner.InputError
			if !errors.As(err, &e) || e.Code == "" {
				t.Fatalf("error %v has no code", err)
			}
			return
		}
		if canonical, ok := planner.CanonicalNumber(got); !ok || canonical != got {
			t.Fatalf("ParseNumber(%q) = %q, which is not a plain decimal", text, got)
		}
		if again, err := English.ParseNumber(got); err != nil || again != got {
			t.Fatalf("ParseNumber(%q) = %q, which reads back in English as %q, %v", text, got, again, err)
		}
		if d, ok := plainDecimal(got); ok {
			if back, err := l.ParseNumber(l.Number(d)); err != nil || back != got {
				t.Fatalf("ParseNumber(%q) = %q, written %q, reads back as %q, %v", text, got, l.Number(d), back, err)
			}
		}
		if _, ok := new(big.Rat).SetString(got); !ok {
			t.Fatalf("ParseNumber(%q) = %q, not a number", text, got)
		}
	})
}

// FuzzParsePeriod: ParsePeriod never panics, refuses with a coded error,
// and a period it reads is written and read back as itself in both
// languages.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"P3M", "3 Monate", "6 Wochen", "3 Monate 2 Wochen", "1 Jahr 2 Monate", "3 months", "a year", "10d", "1 Jahr und 2 Monate", "3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ParsePeriod(text)
		if err != nil {
			var e *planner.InputError
			if !errors.As(err, &e) || e.Code == "" {
				t.Fatalf("error %v has no code", err)
			}
			return
		}
		if back, err := planner.ParsePeriod(p.String()); err != nil || back != p {
			t.Fatalf("ParsePeriod(%q) = %v, whose ISO form %q does not read back: %v", text, p, p.String(), err)
		}
		for _, l := range Langs {
			if back, err := ParsePeriod(l.Period(p)); err != nil || back != p {
				t.Fatalf("ParsePeriod(%q) = %v, written %q, reads back as %v, %v", text, p, l.Period(p), back, err)
			}
		}
	})
}
