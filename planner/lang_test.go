package planner

import (
	"testing"
)

func TestLangFormats(t *testing.T) {
	d := mustDate(t, "2022-03-07")
	money := Decimal{Units: 123456789, Places: 2}
	tests := []struct {
		lang                  Lang
		date, money, number   string
		period, negative, one string
	}{
		{English, "2022-03-07", "1,234,567.89 EUR", "0.1667", "1 year 2 months 3 days", "-1,000.00", "1 day"},
		{German, "07.03.2022", "1.234.567,89 €", "0,1667", "1 Jahr 2 Monate 3 Tage", "-1.000,00", "1 Tag"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			if got := tt.lang.Date(d); got != tt.date {
				t.Errorf("Date = %q, want %q", got, tt.date)
			}
			if got := tt.lang.Money(money); got != tt.money {
				t.Errorf("Money = %q, want %q", got, tt.money)
			}
			if got := tt.lang.Number(Decimal{Units: 1667, Places: 4}); got != tt.number {
				t.Errorf("Number = %q, want %q", got, tt.number)
			}
			if got := tt.lang.Number(Decimal{Units: -100000, Places: 2}); got != tt.negative {
				t.Errorf("Number(-1000) = %q, want %q", got, tt.negative)
			}
			if got := tt.lang.Period(MustParsePeriod("P1Y2M3D")); got != tt.period {
				t.Errorf("Period = %q, want %q", got, tt.period)
			}
			if got := tt.lang.Count(1, "day"); got != tt.one {
				t.Errorf("Count(1, day) = %q, want %q", got, tt.one)
			}
		})
	}
}

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

// TestFlagText renders a flag of every code in both languages from the
// same figures.
func TestFlagText(t *testing.T) {
	args := flagArgs{
		name: "Früh", source: "Fonds",
		filled: mustDate(t, "2022-01-03"), productive: mustDate(t, "2023-01-03"),
		start: mustDate(t, "2022-02-01"), end: mustDate(t, "2022-12-31"),
		ready: mustDate(t, "2022-01-03"), hiring: mustDate(t, "2022-12-03"),
		months: 4*monthsDenominator + monthsDenominator/2, minimum: MustParsePeriod("P6M"), capacity: 1,
		need: Decimal{Units: 500968, Places: 2}, overBy: Decimal{Units: 400968, Places: 2}, cap: Decimal{Units: 100000, Places: 2},
	}
	tests := []struct {
		code   Code
		days   int
		en, de string
	}{
		{NotFilledBeforeExpiry, 3,
			"Früh is filled only on 2022-01-03, 3 days after its funding (Fonds) ends on 2022-12-31.",
			"Früh wird erst am 03.01.2022 besetzt, 3 Tage nach dem Ende der Förderung (Fonds) am 31.12.2022."},
		{NotProductiveBeforeExpiry, 1,
			"Früh is filled on 2022-01-03 but productive only on 2023-01-03, 1 day after its funding (Fonds) ends on 2022-12-31.",
			"Früh wird am 03.01.2022 besetzt, ist aber erst am 03.01.2023 produktiv, 1 Tag nach dem Ende der Förderung (Fonds) am 31.12.2022."},
		{ShortProductiveWindow, 33,
			"Früh is productive from 2023-01-03, but its funding (Fonds) ends on 2022-12-31: 4.50 months of productive work, 33 days short of the minimum of 6 months.",
			"Früh ist ab 03.01.2023 produktiv, aber die Förderung (Fonds) endet am 31.12.2022: 4,50 Monate produktive Arbeit, 33 Tage weniger als die Mindestzeit (6 Monate)."},
		{FilledBeforeFunding, 29,
			"Früh is filled on 2022-01-03, 29 days before its funding (Fonds) starts on 2022-02-01; that time is not funded.",
			"Früh wird am 03.01.2022 besetzt, 29 Tage vor dem Beginn der Förderung (Fonds) am 01.02.2022; diese Zeit ist nicht gefördert."},
		{CapacityDelay, 334,
			"Früh could start hiring on 2022-01-03, but with at most 1 recruitments at once it starts on 2022-12-03, 334 days later.",
			"Früh könnte am 03.01.2022 mit der Suche beginnen, doch mit höchstens 1 Besetzungsverfahren gleichzeitig beginnt sie am 03.12.2022, 334 Tage später."},
		{BudgetExceeded, -1,
			"The posts funded by Fonds need 5,009.68 EUR, 4,009.68 EUR more than its cap of 1,000.00 EUR.",
			"Die von Fonds geförderten Stellen benötigen 5.009,68 €, 4.009,68 € mehr als die Obergrenze von 1.000,00 €."},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			var days *int
			if tt.days >= 0 {
				days = &tt.days
			}
			f := newFlag(tt.code, 0, 0, days, args)
			if f.Message != tt.en || f.Text(English) != tt.en {
				t.Errorf("English:\n got %s\nwant %s", f.Message, tt.en)
			}
			if got := f.Text(German); got != tt.de {
				t.Errorf("German:\n got %s\nwant %s", got, tt.de)
			}
		})
	}
}
