package planner_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"grantplan/locale"
	"grantplan/planner"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// demoPlan plans the demo scenario of data/ and fills in its flags' English
// messages, as the plan document has them.
func demoPlan(t testing.TB) *planner.Plan {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "data", "kim-siegen-wittgenstein.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := planner.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	locale.English.Describe(plan)
	return plan
}

// TestDemoGolden compares the demo's plan with testdata/kim-siegen-wittgenstein.plan.json
// and, independently of that file, with figures worked out by hand.
func TestDemoGolden(t *testing.T) {
	plan := demoPlan(t)
	got, err := json.MarshalIndent(plan, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "kim-siegen-wittgenstein.plan.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("plan differs from %s (run go test ./planner -run Golden -update and review the diff):\n%s", golden, got)
	}

	s := plan.Summary
	for _, c := range []struct{ name, got, want string }{
		{"critical", strconv.Itoa(s.Critical), "6"},
		{"warnings", strconv.Itoa(s.Warnings), "1"},
		{"productive_fte_months", s.ProductiveFTEMonths.String(), "25.00"},
		{"potential_fte_months", s.PotentialFTEMonths.String(), "150.00"},
		{"utilization", s.Utilization.String(), "0.1667"},
		{"funded_cost", s.FundedCost.String(), "174166.67"},
		{"unclaimed", s.Unclaimed.String(), "925833.33"},
		{"latest_safe_start", s.LatestSafeStart.String(), "2020-09-01"},
	} {
		if c.got != c.want {
			t.Errorf("summary.%s = %s, want %s", c.name, c.got, c.want)
		}
	}
	counts := map[planner.Code]int{}
	for _, f := range plan.Flags {
		counts[f.Code]++
	}
	if counts[planner.NotFilledBeforeExpiry] != 4 || counts[planner.NotProductiveBeforeExpiry] != 2 || counts[planner.ShortProductiveWindow] != 1 {
		t.Errorf("flags by code = %v, want 4 not filled, 2 not productive, 1 short", counts)
	}
}

// TestPlanIsDeterministicAndConcurrent plans one scenario from several
// goroutines: a Scenario must not be modified by planning.
func TestPlanIsDeterministicAndConcurrent(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "data", "kim-siegen-wittgenstein.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := planner.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	plan := func() []byte {
		p, err := s.Plan(context.Background())
		if err != nil {
			t.Error(err)
			return nil
		}
		locale.English.Describe(p)
		got, _ := json.Marshal(p)
		return got
	}
	want := plan()
	results := make(chan []byte, 8)
	for range 8 {
		go func() { results <- plan() }()
	}
	for range 8 {
		if got := <-results; !bytes.Equal(got, want) {
			t.Fatalf("a concurrent plan differs:\n%s\nwant\n%s", got, want)
		}
	}
}
