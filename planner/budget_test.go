package planner

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// costScenario is one post of 3,000 EUR a month, filled on the start day
// (no phases, alignment any), with one source; tests fill in the rest.
func costScenario(start, funding, position, extra string) string {
	return fmt.Sprintf(`{"name": "cost", "start": %q, "min_productive": "P0D", %s
		"defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P0D", "start_on": "any", "monthly_cost": 3000},
		"funding": [%s],
		"positions": [{"id": "p" %s}]}`, start, extra, funding, position)
}

// planField returns the value at a dotted path of the plan's JSON
// document ("positions.0.total_cost", "summary.budget.1.funding.0.funded"),
// as written.
func planField(t *testing.T, p *Plan, path string) string {
	t.Helper()
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	for _, part := range strings.Split(path, ".") {
		switch d := doc.(type) {
		case map[string]any:
			v, ok := d[part]
			if !ok {
				t.Fatalf("no %s in the plan", path)
			}
			doc = v
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i >= len(d) {
				t.Fatalf("no %s in the plan", path)
			}
			doc = d[i]
		default:
			t.Fatalf("no %s in the plan", path)
		}
	}
	switch v := doc.(type) {
	case []any:
		return fmt.Sprintf("%d items", len(v))
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(doc)
}

func TestCostOwnShareAndBudget(t *testing.T) {
	const year2022 = `{"id": "f", "start": "2022-01-01", "end": "2022-12-31"}`
	tests := []struct {
		name     string
		scenario string
		want     map[string]string // plan path → value
	}{
		{
			name:     "no raise: twelve months of 3,000",
			scenario: costScenario("2022-01-01", year2022, "", ""),
			want: map[string]string{
				"positions.0.employment": "fixed", "positions.0.total_cost": "36000", "positions.0.funded_cost": "36000",
				"positions.0.own_share": "0", "positions.0.cost_after_funding": "0",
				"summary.total_cost": "36000", "summary.own_share": "0", "summary.budget": "1 items",
				"summary.budget.0.year": "2022", "summary.budget.0.cost": "36000",
			},
		},
		{
			// June has 30 days: 15 at 3,000 and 15 at 3,300.
			name:     "a raise in the middle of a month",
			scenario: costScenario("2022-01-01", year2022, "", `"pay_raises": [{"from": "2022-06-16", "percent": 10}],`),
			want: map[string]string{
				"positions.0.total_cost":  "37950", // 5·3000 + 1500 + 1650 + 6·3300
				"positions.0.funded_cost": "37950", "positions.0.own_share": "0",
			},
		},
		{
			name:     "a negative raise",
			scenario: costScenario("2022-01-01", year2022, "", `"pay_raises": [{"from": "2022-07-01", "percent": -50}],`),
			want:     map[string]string{"positions.0.total_cost": "27000"}, // 6·3000 + 6·1500
		},
		{
			name:     "a raise before the start applies too",
			scenario: costScenario("2022-01-01", year2022, "", `"pay_raises": [{"from": "2020-01-01", "percent": 2}],`),
			want:     map[string]string{"positions.0.total_cost": "36720"}, // 12·3060
		},
		{
			name: "raises compound, in any order",
			scenario: costScenario("2022-01-01", year2022, "",
				`"pay_raises": [{"from": "2022-10-01", "percent": 10}, {"from": "2022-04-01", "percent": 10}],`),
			want: map[string]string{"positions.0.total_cost": "39690"}, // 3·3000 + 6·3300 + 3·3630
		},
		{
			// 36,600 a year is 3,050 a month: it pays the whole pay of 3,000
			// until the raise to 3,300, then 3,050.
			name: "a raise past the flat amount leaves a share to the county",
			scenario: costScenario("2022-01-01", `{"id": "f", "start": "2022-01-01", "end": "2022-12-31", "per_fte_year": 36600}`, "",
				`"pay_raises": [{"from": "2022-07-01", "percent": 10}],`),
			want: map[string]string{
				"positions.0.total_cost": "37800", "positions.0.funded_cost": "36300", "positions.0.own_share": "1500",
				"summary.funding.0.available": "36600", "summary.funding.0.unclaimed": "300",
			},
		},
		{
			name:     "a fixed post filled before its source starts is the county's until then",
			scenario: costScenario("2022-01-01", `{"id": "f", "start": "2022-04-01", "end": "2022-12-31"}`, "", ""),
			want: map[string]string{
				"positions.0.total_cost": "36000", "positions.0.funded_cost": "27000", "positions.0.own_share": "9000",
				"summary.budget.0.cost": "36000", "summary.budget.0.funded": "27000", "summary.budget.0.own_share": "9000",
			},
		},
		{
			name:     "a fixed post filled after its source ends costs nothing",
			scenario: costScenario("2022-01-01", `{"id": "f", "start": "2022-01-01", "end": "2022-06-30"}`, `, "earliest": "2022-09-01"`, ""),
			want: map[string]string{
				"positions.0.filled": "2022-09-01", "positions.0.total_cost": "0", "positions.0.own_share": "0",
				"summary.budget.0.cost": "0",
			},
		},
		{
			name:     "a permanent post is paid to the horizon",
			scenario: costScenario("2022-01-01", year2022, `, "earliest": "2022-07-01", "employment": "permanent"`, `"horizon": "2024-12-31",`),
			want: map[string]string{
				"positions.0.employment": "permanent", "positions.0.total_cost": "90000", "positions.0.funded_cost": "18000",
				"positions.0.own_share": "72000", "positions.0.cost_after_funding": "72000",
				"summary.cost_after_funding": "72000", "summary.own_share": "72000",
				"summary.budget": "3 items", "summary.budget.0.cost": "18000", "summary.budget.0.funded": "18000",
				"summary.budget.1.year": "2023", "summary.budget.1.cost": "36000", "summary.budget.1.funded": "0",
				"summary.budget.2.own_share": "36000",
			},
		},
		{
			name: "permanent from the defaults",
			scenario: strings.Replace(costScenario("2022-01-01", year2022, "", `"horizon": "2023-06-30",`),
				`"monthly_cost": 3000`, `"monthly_cost": 3000, "employment": "permanent"`, 1),
			want: map[string]string{"positions.0.employment": "permanent", "positions.0.cost_after_funding": "18000"},
		},
		{
			name:     "a permanent post filled after the horizon costs nothing",
			scenario: costScenario("2022-06-01", year2022, `, "recruiting": "P9M", "employment": "permanent"`, ""),
			want: map[string]string{
				"positions.0.filled": "2023-03-01", "positions.0.total_cost": "0", "positions.0.cost_after_funding": "0",
				"summary.budget": "1 items", "summary.budget.0.cost": "0",
			},
		},
		{
			// Three years of 36,000 against a cap of 50,000: 2023 gets the
			// 14,000 that is left, 2024 nothing.
			name:     "a cap used up in the second year",
			scenario: costScenario("2022-01-01", `{"id": "f", "start": "2022-01-01", "end": "2024-12-31", "cap": 50000}`, "", ""),
			want: map[string]string{
				"summary.budget.0.funding.0.funded": "36000", "summary.budget.1.funding.0.funded": "14000",
				"summary.budget.2.funding.0.funded": "0", "summary.budget.1.own_share": "22000", "summary.budget.2.own_share": "36000",
				"positions.0.own_share": "0", "summary.funding.0.over_by": "58000", "summary.own_share": "58000",
			},
		},
		{
			name:     "start after the horizon: no budget years",
			scenario: costScenario("2023-03-01", `{"id": "f", "start": "2021-01-01", "end": "2021-12-31"}`, "", `"horizon": "2022-12-31",`),
			want:     map[string]string{"summary.budget": "0 items", "summary.total_cost": "0"},
		},
		{
			// An unused source ending in 2023 sets the default horizon to
			// 2023-12-31.
			name: "the default horizon is the end of the latest funding end's year",
			scenario: costScenario("2022-01-01", year2022+`, {"id": "unused", "start": "2022-01-01", "end": "2023-06-30"}`,
				`, "employment": "permanent"`, ""),
			want: map[string]string{
				"summary.budget": "2 items", "summary.budget.1.year": "2023", "positions.0.cost_after_funding": "36000",
			},
		},
		{
			// Two sources, one per post; the years list every source. q is
			// employed from 2022-11-01, before its source starts.
			name: "every source in every year",
			scenario: `{"name": "two", "start": "2022-11-01", "min_productive": "P0D",
				"defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P0D", "start_on": "any", "monthly_cost": 1000},
				"funding": [{"id": "a", "start": "2022-01-01", "end": "2022-12-31"}, {"id": "b", "start": "2023-01-01", "end": "2023-12-31", "rate": 0.5}],
				"positions": [{"id": "p", "funding": "a"}, {"id": "q", "funding": "b"}]}`,
			want: map[string]string{
				"summary.budget.0.funding.0.funded": "2000", "summary.budget.0.funding.1.funded": "0",
				"summary.budget.1.funding.0.funded": "0", "summary.budget.1.funding.1.funded": "6000",
				"summary.budget.0.cost": "4000", "summary.budget.0.own_share": "2000",
				"summary.budget.1.cost": "12000", "summary.budget.1.own_share": "6000", "summary.own_share": "8000",
			},
		},
		{
			// Each post costs 1000.01 · 0.5 = 500.005 a month and is funded
			// 250.0025: its cost rounds to 500.01, its own share to 250.00,
			// but the summary's own share of 500.005 to 500.01.
			name: "amounts round half away from zero from their exact value",
			scenario: `{"name": "ties", "start": "2022-12-01", "min_productive": "P0D",
				"defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P0D", "fte": 0.5, "monthly_cost": 1000.01},
				"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31", "rate": 0.5}],
				"positions": [{"id": "a"}, {"id": "b"}]}`,
			want: map[string]string{
				"positions.0.total_cost": "500.01", "positions.0.own_share": "250", "positions.0.funded_cost": "250",
				"summary.total_cost": "1000.01", "summary.own_share": "500.01", "summary.budget.0.own_share": "500.01",
			},
		},
		{
			name: "the example of docs/scenario.md",
			scenario: `{"name": "Budget example", "start": "2022-01-01", "horizon": "2024-12-31",
				"pay_raises": [{"from": "2022-04-01", "percent": 1.8}, {"from": "2023-03-01", "percent": 5}],
				"defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P3M", "start_on": "any"},
				"funding": [{"id": "kim", "start": "2021-01-01", "end": "2022-12-31", "per_fte_year": 55000},
				            {"id": "land", "start": "2022-01-01", "end": "2022-12-31", "rate": 0.5, "cap": 10000}],
				"positions": [{"id": "ovh-1", "monthly_cost": 6359, "employment": "permanent", "funding": "kim"},
				              {"id": "cm-1", "monthly_cost": 4500, "funding": "kim"},
				              {"id": "cm-2", "monthly_cost": 4500, "funding": "land", "fte": 0.5}]}`,
			want: map[string]string{
				"positions.0.total_cost": "239822.05", "positions.0.own_share": "184822.05", "positions.0.cost_after_funding": "162483.9",
				"positions.1.own_share": "0", "positions.2.funded_cost": "13682.25", "summary.own_share": "202186.55",
				"summary.funding.1.over_by": "3682.25",
				"summary.budget.0.cost":     "159431.66", "summary.budget.0.funded": "119729", "summary.budget.0.own_share": "39702.66",
				"summary.budget.0.funding.0.funded": "109729", "summary.budget.0.funding.1.funded": "10000",
				"summary.budget.1.cost": "80918.28", "summary.budget.2.cost": "81565.62", "summary.budget.2.own_share": "81565.62",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := planOf(t, tt.scenario)
			for path, want := range tt.want {
				if got := planField(t, plan, path); got != want {
					t.Errorf("%s: got %s, want %s", path, got, want)
				}
			}
		})
	}
}

// TestBudgetAddsUp checks, on the demo at scale with raises and permanent
// posts, that the budget years hold the whole cost and what the sources
// pay within their caps (to the cent per year, as each is rounded).
func TestBudgetAddsUp(t *testing.T) {
	scenario := strings.Replace(largeScenario(300, 0), `"hr_capacity"`, `"horizon": "2031-12-31", "pay_raises": [
		{"from": "2022-04-01", "percent": 1.8}, {"from": "2023-03-16", "percent": 5}, {"from": "2024-03-01", "percent": -2.5},
		{"from": "2025-01-01", "percent": 11.2}], "hr_capacity"`, 1)
	scenario = strings.ReplaceAll(scenario, `"start_on": "any"`, `"start_on": "any", "employment": "permanent"`)
	plan := planOf(t, scenario)
	s := plan.Summary
	if len(s.Budget) != 11 || s.Budget[0].Year != 2021 || s.Budget[10].Year != 2031 {
		t.Fatalf("budget years %d (first %d), want 2021 to 2031", len(s.Budget), s.Budget[0].Year)
	}
	var cost, funded int64
	for _, y := range s.Budget {
		cost += y.Cost.Units
		funded += y.Funded.Units
		if y.OwnShare.Units != y.Cost.Units-y.Funded.Units && abs(y.OwnShare.Units-(y.Cost.Units-y.Funded.Units)) > 1 {
			t.Errorf("%d: own share %s, cost %s, funded %s", y.Year, y.OwnShare, y.Cost, y.Funded)
		}
	}
	slack := int64(len(s.Budget))
	if abs(cost-s.TotalCost.Units) > slack {
		t.Errorf("years cost %d cents in all, total_cost %s", cost, s.TotalCost)
	}
	if own := s.TotalCost.Units - funded; abs(own-s.OwnShare.Units) > slack {
		t.Errorf("years leave %d cents to the county, own_share %s", own, s.OwnShare)
	}
	var positionsCost, positionsAfter, permanent int64
	for _, p := range plan.Positions {
		positionsCost += p.TotalCost.Units
		positionsAfter += p.CostAfterFunding.Units
		if p.Employment == Permanent {
			permanent++
		} else if p.CostAfterFunding.Units != 0 {
			t.Errorf("%s: fixed post with cost after funding %s", p.ID, p.CostAfterFunding)
		}
		if p.OwnShare.Units < 0 || abs(p.TotalCost.Units-p.FundedCost.Units-p.OwnShare.Units) > 1 {
			t.Errorf("%s: total %s, funded %s, own share %s", p.ID, p.TotalCost, p.FundedCost, p.OwnShare)
		}
	}
	if permanent == 0 || s.CostAfterFunding.Units == 0 {
		t.Errorf("%d permanent posts, cost after funding %s: the test scenario has lost its permanent posts", permanent, s.CostAfterFunding)
	}
	if n := int64(len(plan.Positions)); abs(positionsCost-s.TotalCost.Units) > n || abs(positionsAfter-s.CostAfterFunding.Units) > n {
		t.Errorf("positions cost %d and %d after funding, summary %s and %s", positionsCost, positionsAfter, s.TotalCost, s.CostAfterFunding)
	}
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestWithStartBudget plans one scenario from starts in other years than
// its own: the budget follows the plan's start.
func TestWithStartBudget(t *testing.T) {
	s := decode(t, costScenario("2022-01-01", `{"id": "f", "start": "2021-01-01", "end": "2023-12-31"}`,
		`, "employment": "permanent"`, `"horizon": "2024-12-31", "pay_raises": [{"from": "2023-01-01", "percent": 10}],`))
	tests := []struct {
		start     string
		years     int
		totalCost string
	}{
		{"2022-01-01", 3, "115200.00"}, // 12·3000 + 24·3300
		{"2021-07-01", 4, "133200.00"}, // 6·3000 more
		{"2024-07-01", 1, "19800.00"},
		{"2025-01-01", 0, "0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.start, func(t *testing.T) {
			plan, err := s.WithStart(mustDate(t, tt.start)).Plan(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Summary.Budget) != tt.years || plan.Summary.TotalCost.String() != tt.totalCost {
				t.Errorf("got %d years and total cost %s, want %d and %s", len(plan.Summary.Budget), plan.Summary.TotalCost, tt.years, tt.totalCost)
			}
		})
	}
}
