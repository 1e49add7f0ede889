package whatif

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"grantplan/planner"
)

func TestScalePeriod(t *testing.T) {
	tests := []struct {
		period  string
		percent int
		want    string
	}{
		{"P4M", 50, "P6M"},
		{"P3M", -50, "P1M15D"},
		{"P4M", 10, "P4M12D"},
		{"P5M", 20, "P6M"},
		{"P6W", 10, "P46D"},
		{"P1Y", 25, "P1Y3M"},
		{"P3M", 0, "P3M"},
		{"P3M", -100, "P0D"},
		{"P1M1D", 50, "P1M17D"}, // 1.5 months = 1 month 15 days, 1.5 days → 2
		{"P2M", 1, "P2M1D"},     // 2.02 months: 0.6 days rounds up
	}
	for _, tt := range tests {
		if got := ScalePeriod(planner.MustParsePeriod(tt.period), tt.percent).String(); got != tt.want {
			t.Errorf("ScalePeriod(%s, %+d %%): got %s, want %s", tt.period, tt.percent, got, tt.want)
		}
	}
}

// TestChangesVariant applies the controls' changes to scenarios and reads
// the result back: only the members the changes touch are written, and
// posts made permanent and a pay rise come out as the planner reads them.
func TestChangesVariant(t *testing.T) {
	const (
		withDefaults = `{"name": "d", "start": "2022-01-01", "defaults": {"recruiting": "P4M"},
			"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31"}],
			"positions": [{"id": "a"}, {"id": "b", "employment": "fixed", "recruiting": "P2M"}]}`
		bare = `{"name": "b", "start": "2022-01-01", "pay_raises": null,
			"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31"}],
			"positions": [{"id": "a"}]}`
		raised = `{"name": "r", "start": "2022-01-01", "pay_raises": [{"from": "2022-04-01", "percent": 1.8}],
			"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31"}],
			"positions": [{"id": "a"}]}`
	)
	july := planner.MustParseDate("2022-07-01")
	tests := []struct {
		name           string
		base           string
		changes        Changes
		wantDefaults   string // the defaults' JSON after the change
		wantEmployment []planner.Employment
		wantRaises     string // the pay_raises' JSON after the change
	}{
		{
			name: "permanent", base: withDefaults, changes: Changes{Permanent: true},
			wantDefaults:   `{"recruiting":"P4M","employment":"permanent"}`,
			wantEmployment: []planner.Employment{planner.Permanent, planner.Permanent},
		},
		{
			name: "permanent without defaults, recruiting longer", base: bare, changes: Changes{Permanent: true, RecruitingPercent: 50},
			wantDefaults:   `{"recruiting":"P4M15D","employment":"permanent"}`,
			wantEmployment: []planner.Employment{planner.Permanent},
		},
		{
			name: "a rise where there is none", base: bare, changes: Changes{PayRise: &PayRise{From: july, Percent: "2.5"}},
			wantRaises: `[{"from":"2022-07-01","percent":2.5}]`,
		},
		{
			name: "a rise after another", base: raised, changes: Changes{PayRise: &PayRise{From: july, Percent: "-0.75"}},
			wantRaises: `[{"from":"2022-04-01","percent":1.8},{"from":"2022-07-01","percent":-0.75}]`,
		},
		{
			name: "nothing", base: withDefaults, changes: Changes{},
			wantDefaults:   `{"recruiting":"P4M"}`,
			wantEmployment: []planner.Employment{planner.Fixed, planner.Fixed},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.changes.Variant("v", []byte(tt.base))
			if err != nil {
				t.Fatal(err)
			}
			body, err := Apply([]byte(tt.base), v)
			if err != nil {
				t.Fatalf("patch %s: %v", v.Patch, err)
			}
			o, err := planner.ParseObject(body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantDefaults != "" {
				if got := compact(t, o.Get("defaults")); got != tt.wantDefaults {
					t.Errorf("got defaults %s, want %s", got, tt.wantDefaults)
				}
			}
			if tt.wantRaises != "" {
				if got := compact(t, o.Get("pay_raises")); got != tt.wantRaises {
					t.Errorf("got pay_raises %s, want %s", got, tt.wantRaises)
				}
			}
			s, err := planner.Decode(body)
			if err != nil {
				t.Fatalf("the variant does not decode: %v\n%s", err, body)
			}
			plan, err := s.Plan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tt.wantEmployment {
				if got := plan.Positions[i].Employment; got != want {
					t.Errorf("post %d: got employment %s, want %s", i, got, want)
				}
			}
		})
	}

	// A rise on a date that has one already is the planner's to refuse.
	v, err := Changes{PayRise: &PayRise{From: planner.MustParseDate("2022-04-01"), Percent: "3"}}.Variant("v", []byte(raised))
	if err != nil {
		t.Fatal(err)
	}
	body, err := Apply([]byte(raised), v)
	if err != nil {
		t.Fatal(err)
	}
	var invalid *planner.ValidationError
	if _, err := planner.Decode(body); !errors.As(err, &invalid) || !strings.HasPrefix(invalid.Problems[0].Path, "pay_raises[") {
		t.Errorf("two raises on one date: got %v, want a problem at pay_raises", err)
	}
}

func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return b.String()
}
