package planner

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
)

// validScenario is a small valid scenario; tests replace parts of it.
const validScenario = `{
  "name": "valid",
  "start": "2021-09-08",
  "defaults": {"recruiting": "P3M", "notice": "P3M", "onboarding": "P3M"},
  "funding": [{"id": "f", "name": "Fund", "start": "2020-01-01", "end": "2022-12-31", "rate": 1, "cap": null}],
  "positions": [
    {"id": "a", "title": "A", "group": "g"},
    {"id": "b", "title": "B", "group": "g"},
    {"id": "c", "title": "C", "after": ["group:g"]}
  ]
}`

func TestDecodeValid(t *testing.T) {
	s := decode(t, validScenario)
	c := s.Positions[2]
	if c.Phases[Recruiting].Likely != (Period{Months: 3}) || c.StartOn != AlignMonthStart || c.FTE.Cmp(ratOne) != 0 || c.MonthlyCost.Sign() != 0 {
		t.Errorf("defaults not applied: %+v", c)
	}
	if s.MinProductive != (Period{Months: 6}) || s.HRCapacity != 0 {
		t.Errorf("built-in defaults: min_productive %s, hr_capacity %d", s.MinProductive, s.HRCapacity)
	}
	if len(c.After) != 1 || c.After[0].Count != 2 || c.After[0].Event != Filled {
		t.Errorf("group dependency resolved to %+v, want count 2 on filled", c.After)
	}
}

func TestDecodeProblems(t *testing.T) {
	tests := []struct {
		name     string
		scenario string
		want     []string // each "path: message fragment", in order
	}{
		{
			name:     "unknown field with a suggestion",
			scenario: strings.Replace(validScenario, `"title": "A"`, `"titel": "A"`, 1),
			want:     []string{`positions[0].titel: unknown field (did you mean "title"?)`},
		},
		{
			name: "bidirectional controls in names",
			scenario: strings.NewReplacer(`"title": "A"`, `"title": "A\u202Egnp.exe"`,
				`"title": "B"`, `"title": "B", "location": "\u2066Siegen\u2069"`).Replace(validScenario),
			want: []string{`positions[0].title: holds the invisible bidirectional control character U+202E at character 2`,
				`positions[1].location: holds the invisible bidirectional control character U+2066 at character 1`},
		},
		{
			name:     "unknown top-level field",
			scenario: strings.Replace(validScenario, `"name"`, `"nmae": "x", "name"`, 1),
			want:     []string{`nmae: unknown field (did you mean "name"?)`},
		},
		{
			name:     "duplicate key",
			scenario: strings.Replace(validScenario, `"title": "A"`, `"title": "A", "title": "A2"`, 1),
			want:     []string{`positions[0].title: duplicate field`},
		},
		{
			name: "a key after its null, a key three times, an unknown key twice",
			scenario: strings.NewReplacer(`"title": "A"`, `"title": null, "title": "A"`,
				`"title": "B"`, `"titel": 1, "title": "B", "titel": 2, "title": "B2", "title": "B3"`).Replace(validScenario),
			want: []string{`positions[0].title: duplicate field`,
				`positions[1].titel: unknown field (did you mean "title"?)`, `positions[1].titel: unknown field (did you mean "title"?)`,
				`positions[1].title: duplicate field`, `positions[1].title: duplicate field`},
		},
		{
			name: "malformed and out-of-range dates",
			scenario: strings.NewReplacer(`"start": "2021-09-08"`, `"start": "2021-9-8"`,
				`"end": "2022-12-31"`, `"end": "2200-01-01"`).Replace(validScenario),
			want: []string{`start: "2021-9-8" is not a date`, `funding[0].end: 2200-01-01 is out of range`},
		},
		{
			name:     "not a calendar day",
			scenario: strings.Replace(validScenario, `"start": "2021-09-08"`, `"start": "2021-02-29"`, 1),
			want:     []string{`start: "2021-02-29" is not a calendar day`},
		},
		{
			name: "bad periods",
			scenario: strings.NewReplacer(`"recruiting": "P3M"`, `"recruiting": "P3X"`, `"notice": "P3M"`, `"notice": "PT5H"`,
				`"onboarding": "P3M"`, `"onboarding": "P-1M"`).Replace(validScenario),
			want: []string{`defaults.recruiting: "P3X" is not a period`, `defaults.notice: "PT5H" is not a period`, `defaults.onboarding: "P-1M" is not a period`},
		},
		{
			name: "fractional and empty periods",
			scenario: strings.NewReplacer(`"title": "A"`, `"title": "A", "notice": "P1.5M"`,
				`"title": "B"`, `"title": "B", "lag": "P"`).Replace(validScenario),
			want: []string{`positions[0].notice: "P1.5M" is not a period`, `positions[1].lag: unknown field`},
		},
		{
			name:     "duplicate id",
			scenario: strings.Replace(validScenario, `"id": "b"`, `"id": "a"`, 1),
			want:     []string{`positions[1].id: duplicate id "a" (first at positions[0])`},
		},
		{
			name:     "bad slug",
			scenario: strings.Replace(validScenario, `"id": "b"`, `"id": "B b"`, 1),
			want:     []string{`positions[1].id: "B b" is not a valid id`},
		},
		{
			name:     "fte out of range",
			scenario: strings.NewReplacer(`"title": "A"`, `"title": "A", "fte": 0`, `"title": "B"`, `"title": "B", "fte": 1.01`).Replace(validScenario),
			want:     []string{`positions[0].fte: 0 is out of range`, `positions[1].fte: 1.01 is out of range`},
		},
		{
			name:     "negative money",
			scenario: strings.NewReplacer(`"title": "A"`, `"title": "A", "monthly_cost": -1`, `"cap": null`, `"cap": -0.01`).Replace(validScenario),
			want:     []string{`funding[0].cap: -0.01 is negative`, `positions[0].monthly_cost: -1 is negative`},
		},
		{
			name:     "unknown funding id",
			scenario: strings.Replace(validScenario, `"title": "A"`, `"title": "A", "funding": "nope"`, 1),
			want:     []string{`positions[0].funding: unknown funding source "nope"`},
		},
		{
			name:     "unknown reference",
			scenario: strings.Replace(validScenario, `"after": ["group:g"]`, `"after": ["group:g", "xyz"]`, 1),
			want:     []string{`positions[2].after[1]: unknown position "xyz"`},
		},
		{
			name:     "unknown group",
			scenario: strings.Replace(validScenario, `"after": ["group:g"]`, `"after": [{"ref": "group:h"}]`, 1),
			want:     []string{`positions[2].after[0].ref: unknown group "h"`},
		},
		{
			name:     "empty group: only the position itself",
			scenario: strings.Replace(validScenario, `"title": "C"`, `"title": "C", "group": "solo"`, 1),
			want:     nil, // still valid: c waits for g, not for solo
		},
		{
			name: "empty group",
			scenario: strings.Replace(validScenario, `"title": "C", "after": ["group:g"]`,
				`"title": "C", "group": "solo", "after": ["group:solo"]`, 1),
			want: []string{`positions[2].after[0]: group "solo" has no members other than c itself`},
		},
		{
			name:     "count out of range",
			scenario: strings.Replace(validScenario, `"after": ["group:g"]`, `"after": [{"ref": "group:g", "count": 3}, {"ref": "group:g", "count": 0}]`, 1),
			want:     []string{`positions[2].after[1].count: 0 is out of range`, `positions[2].after[0].count: 3 is out of range: group "g" has 2 members`},
		},
		{
			name:     "count on a position",
			scenario: strings.Replace(validScenario, `"after": ["group:g"]`, `"after": [{"ref": "a", "count": 1}]`, 1),
			want:     []string{`positions[2].after[0].count: count applies only to a group dependency`},
		},
		{
			name:     "range min above likely",
			scenario: strings.Replace(validScenario, `"title": "A"`, `"title": "A", "recruiting": {"min": "P4M", "likely": "P3M", "max": "P6M"}`, 1),
			want:     []string{`positions[0].recruiting: min P4M is longer than likely P3M`},
		},
		{
			name:     "range likely above max",
			scenario: strings.Replace(validScenario, `"recruiting": "P3M"`, `"recruiting": {"min": "P2M", "likely": "P3M", "max": "P80D"}`, 1),
			want:     []string{`defaults.recruiting: likely P3M is longer than max P80D`},
		},
		{
			// From 2021-09-08, P3M (91 days) and P13W (91 days) are equal.
			name:     "range compared at the start date",
			scenario: strings.Replace(validScenario, `"recruiting": "P3M"`, `"recruiting": {"min": "P13W", "likely": "P3M", "max": "P91D"}`, 1),
		},
		{
			name:     "range with a missing part",
			scenario: strings.Replace(validScenario, `"recruiting": "P3M"`, `"recruiting": {"min": "P2M", "likely": "P3M", "mx": "P4M"}`, 1),
			want:     []string{`defaults.recruiting.mx: unknown field (did you mean "max"?)`, `defaults.recruiting.max: required`},
		},
		{
			name:     "funding end before start",
			scenario: strings.Replace(validScenario, `"end": "2022-12-31"`, `"end": "2019-12-31"`, 1),
			want:     []string{`funding[0].end: 2019-12-31 is before the source's start 2020-01-01`},
		},
		{
			name:     "funding rate out of range",
			scenario: strings.Replace(validScenario, `"rate": 1`, `"rate": 0`, 1),
			want:     []string{`funding[0].rate: 0 is out of range`},
		},
		{
			name: "dependency cycle",
			scenario: strings.NewReplacer(`"title": "A", "group": "g"`, `"title": "A", "after": ["c"]`,
				`"title": "B", "group": "g"`, `"title": "B", "group": "g", "after": ["b"]`).Replace(validScenario),
			// a only leads into the cycle, so the cycle is b's alone.
			want: []string{`positions[1].after[0]: dependency cycle: b -> b`},
		},
		{
			name:     "two-step cycle through a group",
			scenario: strings.NewReplacer(`"title": "A", "group": "g"`, `"title": "A", "group": "g", "after": ["c"]`).Replace(validScenario),
			want:     []string{`positions[0].after[0]: dependency cycle: a -> c -> a`},
		},
		{
			name:     "missing required fields",
			scenario: `{"funding": [{"id": "f"}], "positions": [{"title": "x"}]}`,
			want:     []string{`funding[0].start: required`, `funding[0].end: required`, `positions[0].id: required`, `name: required`, `start: required`},
		},
		{
			name:     "wrong types",
			scenario: `{"name": 5, "start": 20210908, "hr_capacity": "3", "funding": {}, "positions": "a"}`,
			want:     []string{`name: want a string, got a number`, `start: want a date string`, `hr_capacity: want a number, got a string`, `funding: want an array`, `positions: want an array`},
		},
		{
			name:     "negative or fractional capacity",
			scenario: strings.Replace(validScenario, `"start": "2021-09-08"`, `"start": "2021-09-08", "hr_capacity": -1`, 1),
			want:     []string{`hr_capacity: -1 is out of range`},
		},
		{
			name:     "huge exponent",
			scenario: strings.Replace(validScenario, `"rate": 1`, `"rate": 1e999999999`, 1),
			want:     []string{`funding[0].rate: 1e999999999 is out of range`},
		},
		{
			name:     "no positions",
			scenario: `{"name": "x", "start": "2021-01-01", "funding": [{"id": "f", "start": "2021-01-01", "end": "2021-12-31"}], "positions": []}`,
			want:     []string{`positions: must hold at least one position`},
		},
		{
			name: "horizon, pay raises and employment: every problem at once",
			scenario: strings.NewReplacer(
				`"start": "2021-09-08"`, `"start": "2021-09-08", "horizon": "2022-06-30", "pay_raises": [
					{"from": "2022-04-01", "percent": 101}, {"from": "2022-04-01", "percent": 1.234},
					{"from": "2023-01-01", "percent": 2, "note": "x"}, {"percent": -50.5}, "x", {"from": "2024-01-01", "percent": 150.001}]`,
				`"onboarding": "P3M"}`, `"onboarding": "P3M", "employment": "temporary"}`,
				`"title": "A"`, `"title": "A", "employment": 1`,
				`"title": "B"`, `"title": "B", "employment": "Permanent"`,
			).Replace(validScenario),
			want: []string{
				`pay_raises[0].percent: 101 is out of range (-50 to 100)`,
				`pay_raises[1].percent: 1.234 has more than 2 decimals`,
				`pay_raises[1].from: duplicate date 2022-04-01 (first at pay_raises[0])`,
				`pay_raises[2].note: unknown field`,
				`pay_raises[3].percent: -50.5 is out of range (-50 to 100)`,
				`pay_raises[3].from: required`,
				`pay_raises[4]: want an object, got a string`,
				`pay_raises[5].percent: 150.001 is out of range (-50 to 100)`,
				`pay_raises[5].percent: 150.001 has more than 2 decimals`,
				`defaults.employment: "temporary" is not one of "fixed", "permanent"`,
				`positions[0].employment: want a string, got a number`,
				`positions[1].employment: "Permanent" is not one of "fixed", "permanent"`,
				`horizon: 2022-06-30 is before the latest funding end 2022-12-31 (funding[0].end)`,
			},
		},
		{
			name: "valid raises: bounds, hundredths, exponents, null",
			scenario: strings.Replace(validScenario, `"start": "2021-09-08"`, `"start": "2021-09-08", "horizon": null, "pay_raises": [
				{"from": "2022-04-01", "percent": -50}, {"from": "2021-04-01", "percent": 100}, {"from": "2023-04-01", "percent": 1.50},
				{"from": "2024-04-01", "percent": 1.2e-1}, {"from": "2025-04-01", "percent": 0}]`, 1),
		},
		{
			name:     "a raise given in thousandths through an exponent",
			scenario: strings.Replace(validScenario, `"start": "2021-09-08"`, `"start": "2021-09-08", "pay_raises": [{"from": "2022-04-01", "percent": 1e-3}]`, 1),
			want:     []string{`pay_raises[0].percent: 1e-3 has more than 2 decimals`},
		},
		{
			name:     "pay raises not a list, horizon not a date",
			scenario: strings.Replace(validScenario, `"start": "2021-09-08"`, `"start": "2021-09-08", "pay_raises": {"from": "2022-04-01"}, "horizon": 2030`, 1),
			want:     []string{`pay_raises: want an array of pay raises, got an object`, `horizon: want a date string`},
		},
		{
			name:     "a horizon on the latest funding end",
			scenario: strings.Replace(validScenario, `"start": "2021-09-08"`, `"start": "2021-09-08", "horizon": "2022-12-31"`, 1),
		},
		{
			name:     "not JSON",
			scenario: `{"name": "x",}`,
			want:     []string{`$: invalid JSON at line 1, column 14`},
		},
		{
			name:     "trailing data",
			scenario: validScenario + `{}`,
			want:     []string{`$: invalid JSON`},
		},
		{
			name:     "not an object",
			scenario: `[]`,
			want:     []string{`$: want an object, got an array`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.scenario))
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Decode: %v, want no error", err)
				}
				return
			}
			var v *ValidationError
			if !errors.As(err, &v) {
				t.Fatalf("Decode error = %v, want a *ValidationError", err)
			}
			if len(v.Problems) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(v.Problems), len(tt.want), problemList(v))
			}
			for i, want := range tt.want {
				if got := v.Problems[i].String(); !strings.HasPrefix(got, want) {
					t.Errorf("problem %d = %q, want it to start with %q", i, got, want)
				}
				p := v.Problems[i]
				if p.Code == "" || fmt.Sprintf(ProblemText(p.Code), p.Args...) != p.Message {
					t.Errorf("problem %d: code %q with %v does not give %q", i, p.Code, p.Args, p.Message)
				}
			}
		})
	}
}

func problemList(v *ValidationError) string {
	var b strings.Builder
	for _, p := range v.Problems {
		fmt.Fprintln(&b, p)
	}
	return b.String()
}

func TestDecodeHorizonDefault(t *testing.T) {
	tests := []struct {
		name, funding, want string
	}{
		{"one source", `{"id": "f", "start": "2020-01-01", "end": "2022-03-31"}`, "2022-12-31"},
		{"the latest of several, used or not", `{"id": "f", "start": "2020-01-01", "end": "2022-12-31"}, {"id": "g", "start": "2020-01-01", "end": "2023-01-01"}`, "2023-12-31"},
		{"a year's last day", `{"id": "f", "start": "2020-01-01", "end": "2199-12-31"}`, "2199-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := decode(t, fmt.Sprintf(`{"name": "h", "start": "2021-01-01", "funding": [%s], "positions": [{"id": "a", "funding": "f"}]}`, tt.funding))
			if got := s.Horizon.String(); got != tt.want {
				t.Errorf("horizon %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDecodePayRaisesInDateOrder(t *testing.T) {
	s := decode(t, strings.Replace(validScenario, `"start": "2021-09-08"`, `"start": "2021-09-08", "pay_raises": [
		{"from": "2023-04-01", "percent": 3}, {"from": "2021-04-01", "percent": -1.5}, {"from": "2022-04-01", "percent": 2}]`, 1))
	var got []string
	for _, r := range s.PayRaises {
		got = append(got, r.From.String()+" "+r.Percent.FloatString(2))
	}
	if want := "2021-04-01 -1.50, 2022-04-01 2.00, 2023-04-01 3.00"; strings.Join(got, ", ") != want {
		t.Errorf("raises %s, want %s", strings.Join(got, ", "), want)
	}
	if s.Positions[0].Employment != Fixed {
		t.Errorf("employment %s, want fixed by default", s.Positions[0].Employment)
	}
}

func TestTooManyPayRaises(t *testing.T) {
	var raises []string
	for i := range maxPayRaises + 1 {
		raises = append(raises, fmt.Sprintf(`{"from": %q, "percent": 0.01}`, MinDate+Date(i)))
	}
	_, err := Decode([]byte(strings.Replace(validScenario, `"start": "2021-09-08"`, `"start": "2021-09-08", "pay_raises": [`+strings.Join(raises, ",")+`]`, 1)))
	var v *ValidationError
	if !errors.As(err, &v) || len(v.Problems) != 1 || !strings.HasPrefix(v.Problems[0].String(), "pay_raises: holds 1001 pay raises, at most 1000") {
		t.Errorf("Decode of %d raises: %v", maxPayRaises+1, err)
	}
}

// payrollScenario is one permanent post of 10 million EUR a month over
// three centuries, doubled by each of n raises, one a year from 1901.
func payrollScenario(n int) string {
	var raises []string
	for i := range n {
		raises = append(raises, fmt.Sprintf(`{"from": "%d-01-01", "percent": 100}`, 1901+i))
	}
	return fmt.Sprintf(`{"name": "payroll", "start": "1900-01-01", "horizon": "2199-12-31", "pay_raises": [%s],
		"funding": [{"id": "f", "start": "1900-01-01", "end": "2199-12-31", "rate": 0.5}],
		"positions": [{"id": "a", "monthly_cost": 10000000, "employment": "permanent", "recruiting": "P0D", "notice": "P0D"}]}`,
		strings.Join(raises, ","))
}

// TestLargestPayroll plans the most pay the limit allows, to the cent, and
// refuses more.
func TestLargestPayroll(t *testing.T) {
	plan := planOf(t, payrollScenario(19)) // ×524,288: 5.2 · 10^12 EUR a month
	want := new(big.Rat)
	for year := 1900; year <= 2199; year++ {
		want.Add(want, big.NewRat(12*10000000<<min(year-1900, 19), 1))
	}
	if got := plan.Summary.TotalCost.String(); got != want.FloatString(2) {
		t.Errorf("total_cost %s, want %s", got, want.FloatString(2))
	}
	want.Quo(want, big.NewRat(2, 1))
	if got := plan.Summary.OwnShare.String(); got != want.FloatString(2) {
		t.Errorf("own_share %s, want %s", got, want.FloatString(2))
	}

	_, err := Decode([]byte(payrollScenario(21)))
	var v *ValidationError
	if !errors.As(err, &v) || len(v.Problems) != 1 || !strings.HasPrefix(v.Problems[0].String(), "pay_raises: the raises multiply pay by up to 2097152.00") {
		t.Errorf("Decode with raises to ×2^21: %v", err)
	}
}

func TestTooManyPositions(t *testing.T) {
	var positions []string
	for i := range MaxPositions + 1 {
		positions = append(positions, fmt.Sprintf(`{"id": "p%d"}`, i))
	}
	_, err := Decode([]byte(scenarioJSON("2021-01-01", 0, positions...)))
	var v *ValidationError
	if !errors.As(err, &v) || len(v.Problems) != 1 || !strings.HasPrefix(v.Problems[0].String(), "positions: holds 5001 positions, at most 5000") {
		t.Errorf("Decode of %d positions: %v", MaxPositions+1, err)
	}
}

func TestCycleReportsAreBounded(t *testing.T) {
	// Every position waits for the one group they all belong to through a
	// second group: many cycles, each a different path.
	var positions []string
	for i := range 200 {
		positions = append(positions, fmt.Sprintf(`{"id": "p%d", "group": "g", "after": ["p%d"]}`, i, (i+1)%200))
	}
	_, err := Decode([]byte(scenarioJSON("2021-01-01", 0, positions...)))
	var v *ValidationError
	if !errors.As(err, &v) || len(v.Problems) != 1 || !strings.Contains(v.Problems[0].Message, "dependency cycle: p0 -> p1 -> p2") {
		t.Fatalf("Decode: %v", err)
	}
}

func TestPrefixed(t *testing.T) {
	v := &ValidationError{Problems: []Problem{{Path: "$", Message: "bad"}, {Path: "positions[0].id", Message: "bad"}}}
	got := v.Prefixed("scenario")
	if got.Problems[0].Path != "scenario" || got.Problems[1].Path != "scenario.positions[0].id" {
		t.Errorf("Prefixed = %+v", got.Problems)
	}
}
