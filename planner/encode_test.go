package planner

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// Types with the plan parts' fields but not their methods, so that
// encoding/json encodes them by reflection, as it did before the parts
// wrote their own JSON.
type (
	reflectedPosition PositionPlan
	reflectedFlag     Flag
	reflectedSummary  Summary
	reflectedFunding  FundingSummary
	reflectedYear     BudgetYear
)

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEncodingMatchesReflection compares each part's JSON with what
// encoding/json writes by reflection, on plans with every kind of value:
// null and given texts, flags of positions and sources, null dates and
// amounts.
func TestEncodingMatchesReflection(t *testing.T) {
	plans := []*Plan{
		planOf(t, readDemo(t)),
		planOf(t, largeScenario(200, 3)),
		planOf(t, `{"name": "odd <&> \"texts\"", "start": "2021-06-01", "hr_capacity": 1,
			"funding": [{"id": "f", "name": "Fonds \u2028 <b>", "start": "2022-01-01", "end": "2022-12-31", "cap": 1}, {"id": "g", "start": "2020-01-01", "end": "2021-12-31", "per_fte_year": 1}],
			"positions": [{"id": "a", "title": "Tab\there \u00e4", "fte": 0.333333, "monthly_cost": 1000},
			              {"id": "b", "location": "x\u0001y", "onboarding": "P20Y", "fte": 0.0000001, "funding": "g"}]}`),
		planOf(t, `{"name": "budget", "start": "2021-06-01", "horizon": "2025-12-31",
			"pay_raises": [{"from": "2022-03-15", "percent": 2.5}, {"from": "2021-01-01", "percent": -1}],
			"defaults": {"employment": "permanent", "monthly_cost": 4999.99},
			"funding": [{"id": "f", "start": "2021-01-01", "end": "2023-12-31", "cap": 20000, "per_fte_year": 50000}],
			"positions": [{"id": "a"}, {"id": "b", "employment": "fixed", "fte": 0.5}]}`),
	}
	for _, plan := range plans {
		for _, p := range plan.Positions {
			if got, want := mustMarshal(t, p), mustMarshal(t, reflectedPosition(p)); got != want {
				t.Errorf("position:\n got %s\nwant %s", got, want)
			}
		}
		for _, f := range plan.Flags {
			if got, want := mustMarshal(t, f), mustMarshal(t, reflectedFlag(f)); got != want {
				t.Errorf("flag:\n got %s\nwant %s", got, want)
			}
		}
		for _, f := range plan.Summary.Funding {
			if got, want := mustMarshal(t, f), mustMarshal(t, reflectedFunding(f)); got != want {
				t.Errorf("funding summary:\n got %s\nwant %s", got, want)
			}
		}
		for _, y := range plan.Summary.Budget {
			if got, want := mustMarshal(t, y), mustMarshal(t, reflectedYear(y)); got != want {
				t.Errorf("budget year:\n got %s\nwant %s", got, want)
			}
		}
		if got, want := mustMarshal(t, plan.Summary), mustMarshal(t, reflectedSummary(plan.Summary)); got != want {
			t.Errorf("summary:\n got %s\nwant %s", got, want)
		}
	}
}

func TestAppendJSONString(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", "ä", "€", "\"", "\\", "<", ">", "&", "\n", "\t", "\b", "\f", "\r", "\x00", "\x1f", "\x7f",
		"\u2028", "\u2029", "\xff", "\xc3", "\xed\xa0\x80", "😀", "'", "/"}
	for range 5000 {
		var s string
		for range rng.IntN(8) {
			s += alphabet[rng.IntN(len(alphabet))]
		}
		if got, want := string(appendJSONString(nil, s)), mustMarshal(t, s); got != want {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestAppendJSONFloat(t *testing.T) {
	for _, f := range []float64{0, 1, 0.5, 0.75, 1.0 / 3, 0.333333, 1e-7, 1e-6, 123456.789, 1e20, 1e21, 5e-324, -0.25, math.MaxFloat64} {
		if got, want := string(appendJSONFloat(nil, f)), mustMarshal(t, f); got != want {
			t.Errorf("appendJSONFloat(%v) = %s, want %s", f, got, want)
		}
	}
}

// BenchmarkMarshalDemoPlan encodes the demo's plan.
func BenchmarkMarshalDemoPlan(b *testing.B) {
	p := planOf(b, readDemo(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanMarshalJSON is the writer alone, as the API uses it.
func BenchmarkPlanMarshalJSON(b *testing.B) {
	p := planOf(b, readDemo(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}
