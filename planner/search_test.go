package planner

import (
	"context"
	"reflect"
	"testing"
)

// TestPlanWithoutSearch: without the search, the plan is the same but for
// the latest safe start, also with HR capacity.
func TestPlanWithoutSearch(t *testing.T) {
	for _, capacity := range []string{"0", "2"} {
		body := []byte(`{"name": "s", "start": "2021-10-01", "hr_capacity": ` + capacity + `, "min_productive": "P6M",
			"defaults": {"recruiting": "P4M", "notice": "P3M", "onboarding": "P2M", "monthly_cost": 5000},
			"funding": [{"id": "f", "start": "2021-01-01", "end": "2023-12-31", "rate": 0.8, "cap": 200000}],
			"positions": [{"id": "a"}, {"id": "b"}, {"id": "c", "after": ["a"]}, {"id": "d", "after": ["b", "c"]}]}`)
		s, err := Decode(body)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.Plan(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.PlanWithoutSearch(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got.Summary.LatestSafeStart != nil || want.Summary.LatestSafeStart == nil {
			t.Errorf("capacity %s: got latest safe start %v without the search, %v with it", capacity, got.Summary.LatestSafeStart, want.Summary.LatestSafeStart)
		}
		want.Summary.LatestSafeStart = nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("capacity %s: the plans differ in more than the latest safe start", capacity)
		}
	}
}
