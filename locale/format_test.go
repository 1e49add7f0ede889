package locale

import (
	"testing"
	"time"

	"github.com/rickb777/date/v2"

	"grantplan/planner"
)

func TestFormats(t *testing.T) {
	d := planner.MustParseDate("2022-03-07")
	money := planner.Decimal{Units: 123456789, Places: 2}
	tests := []struct {
		lang                  Lang
		date, money, number   string
		period, negative, one string
		zero                  string
	}{
		{English, "2022-03-07", "1,234,567.89 EUR", "0.1667", "1 year 2 months 3 days", "-1,000.00", "1 day", "0 days"},
		{German, "07.03.2022", "1.234.567,89 €", "0,1667", "1 Jahr 2 Monate 3 Tage", "-1.000,00", "1 Tag", "0 Tage"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			if got := tt.lang.Date(d); got != tt.date {
				t.Errorf("Date = %q, want %q", got, tt.date)
			}
			if got := tt.lang.Money(money); got != tt.money {
				t.Errorf("Money = %q, want %q", got, tt.money)
			}
			if got := tt.lang.Number(planner.Decimal{Units: 1667, Places: 4}); got != tt.number {
				t.Errorf("Number = %q, want %q", got, tt.number)
			}
			if got := tt.lang.Number(planner.Decimal{Units: -100000, Places: 2}); got != tt.negative {
				t.Errorf("Number(-1000) = %q, want %q", got, tt.negative)
			}
			if got := tt.lang.Period(planner.MustParsePeriod("P1Y2M3D")); got != tt.period {
				t.Errorf("Period = %q, want %q", got, tt.period)
			}
			if got := tt.lang.Period(planner.Period{}); got != tt.zero {
				t.Errorf("Period(P0D) = %q, want %q", got, tt.zero)
			}
			if got := tt.lang.Count(1, Day); got != tt.one {
				t.Errorf("Count(1, day) = %q, want %q", got, tt.one)
			}
		})
	}
}

func TestGermanDates(t *testing.T) {
	for in, want := range map[string]string{
		"1900-01-01": "01.01.1900", "2199-12-31": "31.12.2199", "2020-02-29": "29.02.2020", "2021-10-01": "01.10.2021",
	} {
		if got := German.Date(planner.MustParseDate(in)); got != want {
			t.Errorf("German.Date(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestNumber(t *testing.T) {
	for _, tt := range []struct {
		units  int64
		en, de string
	}{
		{17416667, "174,166.67", "174.166,67"}, {92583333, "925,833.33", "925.833,33"}, {0, "0.00", "0,00"},
		{99, "0.99", "0,99"}, {100000000, "1,000,000.00", "1.000.000,00"}, {-12345, "-123.45", "-123,45"},
		{12345678901, "123,456,789.01", "123.456.789,01"},
	} {
		d := planner.Decimal{Units: tt.units, Places: 2}
		if got := English.Number(d); got != tt.en {
			t.Errorf("English.Number(%d) = %s, want %s", tt.units, got, tt.en)
		}
		if got := German.Number(d); got != tt.de {
			t.Errorf("German.Number(%d) = %s, want %s", tt.units, got, tt.de)
		}
	}
}

// TestEnglishDatesAreISO: English dates are date.Date's own ISO form,
// written without fmt, across the years 0 to 9999 and beyond them, where
// the expanded form (+10000-01-01) is date.Date's.
func TestEnglishDatesAreISO(t *testing.T) {
	for _, d := range []date.Date{
		date.New(2022, time.December, 31), date.New(1, time.January, 1), date.New(0, time.March, 1),
		date.New(9999, time.December, 31), date.New(10000, time.January, 1), date.New(-1, time.June, 15),
		date.New(-10000, time.February, 29), date.New(999, time.October, 5),
	} {
		if got, want := English.Date(d), d.String(); got != want {
			t.Errorf("English.Date = %q, want %q", got, want)
		}
	}
}

// TestCountsAndPeriods: Count and Period give the catalog's plural forms,
// written without fmt, as Plural writes them with it.
func TestCountsAndPeriods(t *testing.T) {
	for _, lang := range Langs {
		for _, unit := range []Unit{Day, Week, Month, Year} {
			for _, n := range []int{0, 1, 2, 12, -1, 1000000} {
				want := lang.Plural("unit."+string(unit), n)
				if got := string(lang.appendCount(nil, n, unit)); got != want {
					t.Errorf("%s: appendCount(%d, %s) = %q, want %q", lang, n, unit, got, want)
				}
			}
		}
		if got, want := lang.Period(planner.Period{Years: 1, Weeks: 1, Days: 2}),
			lang.Count(1, Year)+" "+lang.Count(1, Week)+" "+lang.Count(2, Day); got != want {
			t.Errorf("%s: Period = %q, want %q", lang, got, want)
		}
	}
}
