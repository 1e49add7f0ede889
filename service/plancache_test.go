package service

import (
	"bytes"
	"testing"

	"grantplan/data"
	"grantplan/planner"
)

// TestPlanCache: the same body planned again gives the kept plan and its
// JSON as written the first time; a plan with a risk run or another start
// is planned anew; the cache keeps no more than its size, the most recent
// first.
func TestPlanCache(t *testing.T) {
	ctx := asPlanner()
	s := New(nil, Options{PlanCacheSize: int64(len(data.Demo)) * planBytesPerBodyByte * 3 / 2})
	first, err := s.Plan(ctx, Posted(data.Demo), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Plan(ctx, Posted(bytes.Clone(data.Demo)), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Plan != first.Plan || again.cached == nil {
		t.Error("the same body was planned again")
	}
	want, err := first.Plan.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*Planned{first, again} {
		if got, err := p.PlanJSON(); err != nil || !bytes.Equal(got, want) {
			t.Errorf("PlanJSON: got %d bytes, %v; want the plan's JSON", len(got), err)
		}
	}
	opts := planner.DefaultRiskOptions()
	opts.Trials = 10
	for _, o := range []PlanOptions{{Risk: &opts}, {Start: first.Scenario.Start - 30}} {
		p, err := s.Plan(ctx, Posted(data.Demo), o)
		if err != nil {
			t.Fatal(err)
		}
		if p.Plan == first.Plan || p.cached != nil {
			t.Errorf("%+v: got the kept plan, want one of its own", o)
		}
	}
	// Another body pushes the demo out: there is room for one.
	other := bytes.Replace(data.Demo, []byte(`"hr_capacity": 0`), []byte(`"hr_capacity": 3`), 1)
	if _, err := s.Plan(ctx, Posted(other), PlanOptions{}); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Plan(ctx, Posted(data.Demo), PlanOptions{}); p.Plan == first.Plan {
		t.Error("the cache kept more than its size")
	}
	if s.plans.recent.Len() != 1 {
		t.Errorf("got %d plans kept, want 1", s.plans.recent.Len())
	}
}
