package planner

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzDecodePlan feeds arbitrary bytes to Decode and plans whatever it
// accepts: neither may panic, a rejection must be a *ValidationError with
// paths, and a plan must keep the order of the schedule's dates
// (docs/scenario.md, The schedule).
func FuzzDecodePlan(f *testing.F) {
	f.Add([]byte(readDemo(f)))
	f.Add([]byte(validScenario))
	f.Add([]byte(strings.Replace(validScenario, `"start": "2021-09-08"`, `"start": "2021-01-31", "hr_capacity": 1`, 1)))
	f.Add([]byte(strings.Replace(validScenario, `"recruiting": "P3M"`, `"recruiting": {"min": "P2M", "likely": "P3M", "max": "P1Y"}`, 1)))
	f.Add([]byte(strings.Replace(validScenario, `"after": ["group:g"]`, `"after": [{"ref": "group:g", "event": "productive", "lag": "P2W", "count": 1}]`, 1)))
	f.Add([]byte(scenarioJSON("2020-02-29", 2, `{"id": "a", "recruiting": "P0D"}`, `{"id": "b", "after": ["a"], "start_on": "quarter_start"}`)))
	f.Add([]byte(strings.Replace(validScenario, `"start": "2021-09-08"`, `"start": "2021-09-08", "horizon": "2025-06-30",
		"pay_raises": [{"from": "2022-04-16", "percent": 1.8}, {"from": "2020-01-01", "percent": -50}, {"from": "2023-03-01", "percent": 100}]`, 1)))
	f.Add([]byte(strings.Replace(validScenario, `"title": "A"`, `"title": "A", "employment": "permanent"`, 1)))
	f.Add([]byte(strings.Replace(validScenario, `"onboarding": "P3M"}`, `"onboarding": "P3M", "employment": "permanent", "monthly_cost": 4999.99}`, 1)))
	f.Add([]byte(strings.Replace(validScenario, `"start": "2021-09-08"`, `"start": "2023-09-08", "horizon": "2022-12-31"`, 1)))
	f.Add([]byte(strings.Replace(validScenario, `"cap": null`, `"cap": 1000, "per_fte_year": 30000`, 1)))
	f.Add([]byte(strings.Replace(validScenario, `"start": "2021-09-08"`, `"start": "2021-09-08", "horizon": "2022-01-01",
		"pay_raises": [{"from": "2022-04-01", "percent": 1.234, "x": 1}, {"from": "2022-04-01", "percent": -51}, null]`, 1)))
	f.Add([]byte(`{"name": "x",}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Decode(data)
		if err != nil {
			var v *ValidationError
			if !errors.As(err, &v) || len(v.Problems) == 0 {
				t.Fatalf("Decode error %v is not a *ValidationError with problems", err)
			}
			for _, p := range v.Problems {
				if p.Path == "" || p.Message == "" {
					t.Fatalf("problem without path or message: %+v", p)
				}
			}
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		plan, err := s.Plan(ctx)
		if err != nil {
			return // an exhaustive search that ran out of time is not a bug
		}
		if len(plan.Positions) != len(s.Positions) {
			t.Fatalf("plan has %d positions, scenario %d", len(plan.Positions), len(s.Positions))
		}
		for _, p := range plan.Positions {
			if !(s.Start <= p.Ready && p.Ready <= p.HiringStart && p.HiringStart <= p.Recruited &&
				p.Recruited <= p.Filled && p.Filled <= p.Productive) {
				t.Fatalf("%s: dates out of order: %+v", p.ID, p)
			}
			if p.FundedCost.Units < 0 || p.OnboardingCost.Units > p.FundedCost.Units {
				t.Fatalf("%s: funded %s, onboarding %s", p.ID, p.FundedCost, p.OnboardingCost)
			}
			if p.FundedCost.Units > p.TotalCost.Units || p.OwnShare.Units < 0 || p.CostAfterFunding.Units > p.TotalCost.Units ||
				(p.Employment == Fixed && p.CostAfterFunding.Units != 0) {
				t.Fatalf("%s (%s): total %s, funded %s, own share %s, after funding %s", p.ID, p.Employment, p.TotalCost, p.FundedCost, p.OwnShare, p.CostAfterFunding)
			}
		}
		if first, _, _ := civil(plan.Start); plan.Start <= s.Horizon {
			last, _, _ := civil(s.Horizon)
			if len(plan.Summary.Budget) != last-first+1 || plan.Summary.Budget[0].Year != first {
				t.Fatalf("%d budget years, want %d to %d", len(plan.Summary.Budget), first, last)
			}
		} else if len(plan.Summary.Budget) != 0 {
			t.Fatalf("%d budget years for a start after the horizon", len(plan.Summary.Budget))
		}
		for _, y := range plan.Summary.Budget {
			if y.Funded.Units > y.Cost.Units || y.OwnShare.Units < 0 || len(y.Funding) != len(s.Funding) {
				t.Fatalf("%d: cost %s, funded %s, own share %s", y.Year, y.Cost, y.Funded, y.OwnShare)
			}
		}
		for i := 1; i < len(plan.Flags); i++ {
			if plan.Flags[i-1].Severity.Rank() > plan.Flags[i].Severity.Rank() {
				t.Fatalf("flags out of order: %v before %v", plan.Flags[i-1], plan.Flags[i])
			}
		}
		if _, err := json.Marshal(plan); err != nil {
			t.Fatalf("marshal plan: %v", err)
		}
	})
}
