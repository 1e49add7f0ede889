package whatif

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/planner"
)

func planOf(t testing.TB, scenario []byte) *planner.Plan {
	t.Helper()
	s, err := planner.Decode(scenario)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// demoVariants are the what-ifs of a planning session on the demo.
var demoVariants = []Variant{
	{Name: "decide a year earlier", Merge: json.RawMessage(`{"start": "2020-10-01"}`)},
	{Name: "hire in parallel", Patch: json.RawMessage(`[
		{"op": "remove", "path": "/positions/4/after"}, {"op": "remove", "path": "/positions/5/after"},
		{"op": "remove", "path": "/positions/6/after"}, {"op": "remove", "path": "/positions/7/after"},
		{"op": "remove", "path": "/positions/8/after"}, {"op": "remove", "path": "/positions/9/after"}]`)},
	{Name: "extension to 2023", Patch: json.RawMessage(`[
		{"op": "replace", "path": "/funding/0/end", "value": "2023-12-31"},
		{"op": "replace", "path": "/funding/1/end", "value": "2023-12-31"}]`)},
	{Name: "three HR places", Merge: json.RawMessage(`{"hr_capacity": 3}`)},
}

func TestRunMatchesSeparatePlans(t *testing.T) {
	result, err := Run(context.Background(), data.Demo, demoVariants)
	if err != nil {
		t.Fatal(err)
	}
	base := planOf(t, data.Demo)
	if got, want := result.Base.Summary.FundedCost, base.Summary.FundedCost; got != want {
		t.Errorf("base funded_cost = %s, want %s", got, want)
	}
	if len(result.Variants) != len(demoVariants) {
		t.Fatalf("got %d variants, want %d", len(result.Variants), len(demoVariants))
	}
	for i, v := range demoVariants {
		patched, err := Apply(data.Demo, v)
		if err != nil {
			t.Fatal(err)
		}
		want := planOf(t, patched)
		got := result.Variants[i]
		if got.Name != v.Name {
			t.Errorf("variant %d is named %q, want %q", i, got.Name, v.Name)
		}
		gotJSON, _ := json.Marshal(got.Outcome)
		wantJSON, _ := json.Marshal(Outcome{Summary: want.Summary, Flags: want.Flags})
		if string(gotJSON) != string(wantJSON) {
			t.Errorf("%s: outcome differs from planning the patched scenario alone:\n%s\nwant\n%s", v.Name, gotJSON, wantJSON)
		}
		d := got.Delta
		if d.Critical != want.Summary.Critical-base.Summary.Critical ||
			d.FundedCost.Units != want.Summary.FundedCost.Units-base.Summary.FundedCost.Units ||
			d.LastProductive != int(want.Summary.LastProductive-base.Summary.LastProductive) {
			t.Errorf("%s: delta %+v does not match the summaries", v.Name, d)
		}
	}
	// Deciding a year earlier is safe: the latest safe start is 2020-09-01... and
	// the earlier decision must gain productive months.
	if d := result.Variants[0].Delta; d.ProductiveFTEMonths.Units <= 0 || d.Critical >= 0 {
		t.Errorf("deciding earlier: delta %+v, want more productive months and fewer critical flags", d)
	}
	if d := result.Variants[2].Delta; d.LatestSafeStart == nil || *d.LatestSafeStart != 365 {
		t.Errorf("a year's extension moves the latest safe start by %v days, want 365", d.LatestSafeStart)
	}
}

// TestDeltaCoversCostTotals compares the demo with its posts made
// permanent and with a pay rise: the delta carries the three cost totals,
// and not the budget years.
func TestDeltaCoversCostTotals(t *testing.T) {
	variants := []Variant{
		{Name: "permanent posts", Merge: json.RawMessage(`{"horizon": "2024-12-31", "defaults": {"employment": "permanent"}}`)},
		{Name: "pay rise of 5 %", Merge: json.RawMessage(`{"pay_raises": [{"from": "2022-04-01", "percent": 5}]}`)},
	}
	result, err := Run(context.Background(), data.Demo, variants)
	if err != nil {
		t.Fatal(err)
	}
	base := result.Base.Summary
	for _, v := range result.Variants {
		d, s := v.Delta, v.Summary
		if d.TotalCost != s.TotalCost.Sub(base.TotalCost) || d.OwnShare != s.OwnShare.Sub(base.OwnShare) ||
			d.CostAfterFunding != s.CostAfterFunding.Sub(base.CostAfterFunding) {
			t.Errorf("%s: delta %s, %s, %s does not match the summaries", v.Name, d.TotalCost, d.OwnShare, d.CostAfterFunding)
		}
		if d.TotalCost.Units <= 0 || d.OwnShare.Units <= 0 {
			t.Errorf("%s: total cost moves by %s, own share by %s; want both to grow", v.Name, d.TotalCost, d.OwnShare)
		}
		out, _ := json.Marshal(d)
		if strings.Contains(string(out), "budget") || !strings.Contains(string(out), `"own_share":`) {
			t.Errorf("%s: delta JSON %s", v.Name, out)
		}
	}
	// Permanent posts cost after the funding; the flat amount does not grow
	// with the rise, so all of the rise is the county's (each total is
	// rounded on its own, so they may differ by a cent).
	if d := result.Variants[0].Delta; d.CostAfterFunding.Units <= 0 {
		t.Errorf("permanent posts: cost after funding moves by %s, want more", d.CostAfterFunding)
	}
	if d := result.Variants[1].Delta; d.FundedCost.Units != 0 || abs(d.OwnShare.Units-d.TotalCost.Units) > 1 {
		t.Errorf("pay rise: funded moves by %s, own share by %s, total by %s; want 0 and the same", d.FundedCost, d.OwnShare, d.TotalCost)
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		base     string
		variants []Variant
		want     []string // "path: message fragment"
	}{
		{
			name:     "patch that fails",
			variants: []Variant{{Name: "ok", Merge: json.RawMessage(`{}`)}, {Name: "broken", Patch: json.RawMessage(`[{"op": "remove", "path": "/positions/99"}]`)}},
			want:     []string{`variants[1]: variant "broken" patch does not apply`},
		},
		{
			name:     "patch that is not a patch",
			variants: []Variant{{Name: "odd", Patch: json.RawMessage(`{"op": "remove"}`)}},
			want:     []string{`variants[0]: variant "odd" is not an RFC 6902 JSON Patch`},
		},
		{
			name:     "negative index is not RFC 6902",
			variants: []Variant{{Name: "last", Patch: json.RawMessage(`[{"op": "remove", "path": "/positions/-1"}]`)}},
			want:     []string{`variants[0]: variant "last" patch does not apply`},
		},
		{
			name: "patch that makes the scenario invalid",
			variants: []Variant{{Name: "typo", Merge: json.RawMessage(`{"start": "2021-13-01", "hr_capacty": 2}`)},
				{Name: "fine", Merge: json.RawMessage(`{"hr_capacity": 2}`)}},
			want: []string{
				`variants[0]: variant "typo" gives an invalid scenario: start: "2021-13-01" is not a calendar day`,
				`variants[0]: variant "typo" gives an invalid scenario: hr_capacty: unknown field (did you mean "hr_capacity"?)`,
			},
		},
		{
			name:     "both kinds of patch",
			variants: []Variant{{Name: "both", Merge: json.RawMessage(`{}`), Patch: json.RawMessage(`[]`)}},
			want:     []string{`variants[0]: variant "both" has both a patch and a merge patch`},
		},
		{
			name:     "no patch",
			variants: []Variant{{Name: "empty"}},
			want:     []string{`variants[0]: variant "empty" has neither`},
		},
		{
			name:     "names",
			variants: []Variant{{Name: "a", Merge: json.RawMessage(`{}`)}, {Merge: json.RawMessage(`{}`)}, {Name: "a", Merge: json.RawMessage(`{}`)}},
			want:     []string{`variants[1].name: required`, `variants[2].name: duplicate name "a" (first at variants[0])`},
		},
		{
			name:     "invalid base",
			base:     `{"name": "x"}`,
			variants: []Variant{{Name: "a", Merge: json.RawMessage(`{}`)}},
			want:     []string{`scenario.start: required`, `scenario.funding: required`, `scenario.positions: required`},
		},
		{
			name:     "too many variants",
			variants: make([]Variant, MaxVariants+1),
			want:     []string{`variants: holds 21 variants, at most 20 allowed`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := data.Demo
			if tt.base != "" {
				base = []byte(tt.base)
			}
			_, err := Run(context.Background(), base, tt.variants)
			var v *planner.ValidationError
			if !errors.As(err, &v) {
				t.Fatalf("Run error = %v, want a *planner.ValidationError", err)
			}
			if len(v.Problems) < len(tt.want) {
				t.Fatalf("got problems %v, want %v", v.Problems, tt.want)
			}
			for i, want := range tt.want {
				if got := v.Problems[i].String(); !strings.HasPrefix(got, want) {
					t.Errorf("problem %d = %q, want it to start with %q", i, got, want)
				}
			}
		})
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, data.Demo, demoVariants[3:]); !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a cancelled context: %v, want context.Canceled", err)
	}
}

// BenchmarkRun10 compares the demo with ten variants (target < 2 ms).
func BenchmarkRun10(b *testing.B) {
	var variants []Variant
	for i := range 10 {
		v := demoVariants[i%len(demoVariants)]
		v.Name += strings.Repeat("'", i/len(demoVariants))
		variants = append(variants, v)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), data.Demo, variants); err != nil {
			b.Fatal(err)
		}
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
