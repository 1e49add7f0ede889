package locale

import (
	"context"
	"strings"
	"testing"

	"grantplan/planner"
)

// TestFlagSentences writes a flag of every code in both languages from the
// same facts.
func TestFlagSentences(t *testing.T) {
	d := planner.MustParseDate
	facts := planner.Facts{
		Name: "Früh", Source: "Fonds",
		Filled: d("2022-01-03"), Productive: d("2023-01-03"),
		FundingStart: d("2022-02-01"), FundingEnd: d("2022-12-31"),
		Ready: d("2022-01-03"), HiringStart: d("2022-12-03"),
		ProductiveMonths: planner.Decimal{Units: 450, Places: 2}, MinProductive: planner.MustParsePeriod("P6M"), HRCapacity: 1,
		Need: planner.Decimal{Units: 500968, Places: 2}, OverBy: planner.Decimal{Units: 400968, Places: 2}, Cap: planner.Decimal{Units: 100000, Places: 2},
	}
	tests := []struct {
		code   planner.Code
		days   int
		en, de string
	}{
		{planner.NotFilledBeforeExpiry, 3,
			"Früh is filled only on 2022-01-03, 3 days after its funding (Fonds) ends on 2022-12-31.",
			"Früh wird erst am 03.01.2022 besetzt, 3 Tage nach dem Ende der Förderung (Fonds) am 31.12.2022."},
		{planner.NotProductiveBeforeExpiry, 1,
			"Früh is filled on 2022-01-03 but productive only on 2023-01-03, 1 day after its funding (Fonds) ends on 2022-12-31.",
			"Früh wird am 03.01.2022 besetzt, ist aber erst am 03.01.2023 produktiv, 1 Tag nach dem Ende der Förderung (Fonds) am 31.12.2022."},
		{planner.ShortProductiveWindow, 33,
			"Früh is productive from 2023-01-03, but its funding (Fonds) ends on 2022-12-31: 4.50 months of productive work, 33 days short of the minimum of 6 months.",
			"Früh ist ab 03.01.2023 produktiv, aber die Förderung (Fonds) endet am 31.12.2022: 4,50 Monate produktive Arbeit, 33 Tage weniger als die produktive Mindestzeit (6 Monate)."},
		{planner.FilledBeforeFunding, 29,
			"Früh is filled on 2022-01-03, 29 days before its funding (Fonds) starts on 2022-02-01; that time is not funded.",
			"Früh wird am 03.01.2022 besetzt, 29 Tage vor dem Beginn der Förderung (Fonds) am 01.02.2022; diese Zeit ist nicht gefördert."},
		{planner.CapacityDelay, 334,
			"Früh could start hiring on 2022-01-03, but with at most 1 recruitments at once it starts on 2022-12-03, 334 days later.",
			"Früh könnte am 03.01.2022 mit der Personalsuche beginnen, doch mit höchstens 1 Besetzungsverfahren gleichzeitig beginnt sie am 03.12.2022, 334 Tage später."},
		{planner.BudgetExceeded, -1,
			"The posts funded by Fonds need 5,009.68 EUR, 4,009.68 EUR more than its cap of 1,000.00 EUR.",
			"Die von Fonds geförderten Stellen benötigen 5.009,68 €, 4.009,68 € mehr als die Obergrenze von 1.000,00 €."},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			f := planner.Flag{Code: tt.code, Facts: facts}
			if tt.days >= 0 {
				f.Days = &tt.days
			}
			if got := English.Flag(f); got != tt.en {
				t.Errorf("English:\n got %s\nwant %s", got, tt.en)
			}
			if got := German.Flag(f); got != tt.de {
				t.Errorf("German:\n got %s\nwant %s", got, tt.de)
			}
		})
	}
}

// TestPlannedFlags plans scenarios that raise each flag and reads the
// sentences, so that the planner's facts and the catalogs fit together.
func TestPlannedFlags(t *testing.T) {
	tests := []struct {
		name, scenario string
		code           planner.Code
		en, de         string
	}{
		{"late", `{"name": "x", "start": "2022-06-01", "funding": [{"id": "f", "name": "Fonds", "start": "2022-01-01", "end": "2022-12-31"}],
			"positions": [{"id": "p", "title": "Koordination", "recruiting": "P6M", "notice": "P1M"}]}`,
			planner.NotFilledBeforeExpiry,
			"Koordination is filled only on 2023-01-01, 1 day after its funding (Fonds) ends on 2022-12-31.",
			"Koordination wird erst am 01.01.2023 besetzt, 1 Tag nach dem Ende der Förderung (Fonds) am 31.12.2022."},
		{"short", `{"name": "x", "start": "2022-01-01", "funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31"}],
			"positions": [{"id": "cm-1", "recruiting": "P3M", "notice": "P2M", "onboarding": "P3M"}]}`,
			planner.ShortProductiveWindow,
			"cm-1 is productive from 2022-09-01, but its funding (f) ends on 2022-12-31: 4.00 months of productive work, 59 days short of the minimum of 6 months.",
			"cm-1 ist ab 01.09.2022 produktiv, aber die Förderung (f) endet am 31.12.2022: 4,00 Monate produktive Arbeit, 59 Tage weniger als die produktive Mindestzeit (6 Monate)."},
		{"HR", `{"name": "x", "start": "2022-01-01", "hr_capacity": 1, "min_productive": "P0D",
			"funding": [{"id": "f", "start": "2022-01-01", "end": "2025-12-31"}],
			"positions": [{"id": "a", "recruiting": "P1M"}, {"id": "b", "recruiting": "P1M"}]}`,
			planner.CapacityDelay,
			"b could start hiring on 2022-01-01, but with at most 1 recruitments at once it starts on 2022-02-01, 31 days later.",
			"b könnte am 01.01.2022 mit der Personalsuche beginnen, doch mit höchstens 1 Besetzungsverfahren gleichzeitig beginnt sie am 01.02.2022, 31 Tage später."},
		{"cap", `{"name": "x", "start": "2022-01-01", "min_productive": "P0D",
			"funding": [{"id": "f", "name": "Fonds", "start": "2022-01-01", "end": "2022-12-31", "cap": 1000}],
			"positions": [{"id": "a", "recruiting": "P0D", "notice": "P0D", "onboarding": "P0D", "monthly_cost": 1000}]}`,
			planner.BudgetExceeded,
			"The posts funded by Fonds need 12,000.00 EUR, 11,000.00 EUR more than its cap of 1,000.00 EUR.",
			"Die von Fonds geförderten Stellen benötigen 12.000,00 €, 11.000,00 € mehr als die Obergrenze von 1.000,00 €."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := planner.Decode([]byte(tt.scenario))
			if err != nil {
				t.Fatal(err)
			}
			plan, err := s.Plan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			English.Describe(plan)
			var found bool
			for _, f := range plan.Flags {
				if strings.Contains(f.Message, "{") || f.Message != English.Flag(f) {
					t.Errorf("%s: message %q", f.Code, f.Message)
				}
				if f.Code != tt.code {
					continue
				}
				found = true
				if f.Message != tt.en {
					t.Errorf("English:\n got %s\nwant %s", f.Message, tt.en)
				}
				if got := German.Flag(f); got != tt.de {
					t.Errorf("German:\n got %s\nwant %s", got, tt.de)
				}
			}
			if !found {
				t.Errorf("no %s flag in %+v", tt.code, plan.Flags)
			}
		})
	}
}

func TestFlagWithoutSentence(t *testing.T) {
	f := planner.Flag{Code: "NEW_CODE", Message: "as the planner left it"}
	if got := German.Flag(f); got != f.Message {
		t.Errorf("got %q, want the flag's message", got)
	}
	if got := German.FlagLabel("NEW_CODE"); got != "flag.NEW_CODE.label" {
		t.Errorf("got label %q, want the message id", got)
	}
}
