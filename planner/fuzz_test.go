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
