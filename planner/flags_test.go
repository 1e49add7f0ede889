package planner

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// boundaryScenario has one position that is filled on filled and
// productive on productive (start_on any, no recruiting or notice), funded
// by a source for [fundingStart, fundingEnd], with min_productive P6M.
func boundaryScenario(filled, productive, fundingStart, fundingEnd string) string {
	return fmt.Sprintf(`{"name": "boundary", "start": "2000-01-01", "min_productive": "P6M",
		"funding": [{"id": "f", "start": %q, "end": %q}],
		"positions": [{"id": "p", "earliest": %q, "recruiting": "P0D", "notice": "P0D", "start_on": "any",
			"onboarding": "P%dD", "monthly_cost": 1000}]}`,
		fundingStart, fundingEnd, filled, int(MustParseDate(productive)-MustParseDate(filled)))
}

func TestFlagBoundaries(t *testing.T) {
	type flag struct {
		code Code
		days int
	}
	tests := []struct {
		name                 string
		filled, productive   string
		fundingStart, ending string
		want                 []flag
	}{
		{name: "exactly six months is a full window", filled: "2022-07-01", productive: "2022-07-01",
			fundingStart: "2020-01-01", ending: "2022-12-31"},
		{name: "one day later is short by one day", filled: "2022-07-02", productive: "2022-07-02",
			fundingStart: "2020-01-01", ending: "2022-12-31", want: []flag{{ShortProductiveWindow, 1}}},
		{name: "productive on the last funded day", filled: "2022-12-01", productive: "2022-12-31",
			fundingStart: "2020-01-01", ending: "2022-12-31", want: []flag{{ShortProductiveWindow, 180}}},
		{name: "productive the day after funding ends", filled: "2022-12-31", productive: "2023-01-01",
			fundingStart: "2020-01-01", ending: "2022-12-31", want: []flag{{NotProductiveBeforeExpiry, 1}}},
		{name: "filled on the last funded day", filled: "2022-12-31", productive: "2023-03-31",
			fundingStart: "2020-01-01", ending: "2022-12-31", want: []flag{{NotProductiveBeforeExpiry, 90}}},
		{name: "filled the day after funding ends", filled: "2023-01-01", productive: "2023-01-01",
			fundingStart: "2020-01-01", ending: "2022-12-31", want: []flag{{NotFilledBeforeExpiry, 1}}},
		// With a February end, P6M clamps: 2022-09-01 ⊕ P6M = 2023-03-01 = E + 1.
		{name: "clamped month end: full", filled: "2022-09-01", productive: "2022-09-01",
			fundingStart: "2020-01-01", ending: "2023-02-28"},
		{name: "clamped month end: short", filled: "2022-09-02", productive: "2022-09-02",
			fundingStart: "2020-01-01", ending: "2023-02-28", want: []flag{{ShortProductiveWindow, 1}}},
		{name: "filled the day before funding starts", filled: "2021-12-31", productive: "2021-12-31",
			fundingStart: "2022-01-01", ending: "2022-12-31", want: []flag{{FilledBeforeFunding, 1}}},
		{name: "filled the day funding starts", filled: "2022-01-01", productive: "2022-01-01",
			fundingStart: "2022-01-01", ending: "2022-12-31"},
		{name: "before funding and short", filled: "2021-12-01", productive: "2022-08-01",
			fundingStart: "2022-01-01", ending: "2022-12-31",
			want: []flag{{FilledBeforeFunding, 31}, {ShortProductiveWindow, 31}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := planOf(t, boundaryScenario(tt.filled, tt.productive, tt.fundingStart, tt.ending))
			var got []flag
			for _, f := range plan.Flags {
				got = append(got, flag{f.Code, *f.Days})
				if f.Facts.Name != "p" || f.Position != "p" || f.Severity != severities[f.Code] {
					t.Errorf("flag %+v: want the facts of position p and severity %s", f, severities[f.Code])
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("flags = %v, want %v", got, tt.want)
			}
			if p := plan.Positions[0]; p.Filled.String() != tt.filled || p.Productive.String() != tt.productive {
				t.Fatalf("scenario gives filled %s, productive %s; the test wants %s, %s", p.Filled, p.Productive, tt.filled, tt.productive)
			}
		})
	}
}

func TestBudgetExceeded(t *testing.T) {
	// One post at 1000 EUR a month, funded for six months: a need of 6000.
	scenario := func(cap string) string {
		return fmt.Sprintf(`{"name": "budget", "start": "2022-07-01", "min_productive": "P0D",
			"funding": [{"id": "f", "name": "Fund", "start": "2022-01-01", "end": "2022-12-31", "cap": %s},
			            {"id": "g", "start": "2022-01-01", "end": "2022-12-31", "cap": 1}],
			"positions": [{"id": "p", "recruiting": "P0D", "notice": "P0D", "onboarding": "P0D", "monthly_cost": 1000},
			              {"id": "q", "recruiting": "P0D", "notice": "P0D", "onboarding": "P0D", "monthly_cost": 0, "funding": "g"}]}`, cap)
	}
	tests := []struct {
		cap      string
		exceeded bool
		overBy   string
	}{
		{cap: "6000", overBy: "0.00"},
		{cap: "5999.99", exceeded: true, overBy: "0.01"},
		{cap: "0", exceeded: true, overBy: "6000.00"},
	}
	for _, tt := range tests {
		t.Run(tt.cap, func(t *testing.T) {
			plan := planOf(t, scenario(tt.cap))
			f := plan.Summary.Funding[0]
			if f.Need.String() != "6000.00" || f.OverBy.String() != tt.overBy {
				t.Errorf("need %s, over_by %s; want 6000.00, %s", f.Need, f.OverBy, tt.overBy)
			}
			exceeded := slices.ContainsFunc(plan.Flags, func(f Flag) bool {
				return f.Code == BudgetExceeded && f.Funding == "f" && f.Position == "" && f.Days == nil
			})
			if exceeded != tt.exceeded {
				t.Errorf("BUDGET_EXCEEDED for f: %v, want %v (flags %+v)", exceeded, tt.exceeded, plan.Flags)
			}
			if plan.Summary.Warnings != len(plan.Flags) {
				t.Errorf("warnings = %d, want %d", plan.Summary.Warnings, len(plan.Flags))
			}
		})
	}
}

func TestFlagOrder(t *testing.T) {
	// a: filled before its funding starts and short (two warnings); b: not
	// filled (critical); c: delayed by HR behind a (info); source f over
	// its cap (warning, after the positions' warnings).
	plan := planOf(t, `{"name": "order", "start": "2021-06-01", "hr_capacity": 1, "min_productive": "P6M",
		"defaults": {"notice": "P0D", "onboarding": "P0D", "start_on": "any", "monthly_cost": 1000},
		"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31", "cap": 1},
		            {"id": "g", "start": "2020-01-01", "end": "2022-12-31"}],
		"positions": [
			{"id": "a", "recruiting": "P1M", "onboarding": "P15M"},
			{"id": "b", "recruiting": "P20M", "earliest": "2022-06-01"},
			{"id": "c", "recruiting": "P1M", "funding": "g"}]}`)
	var got []string
	for _, f := range plan.Flags {
		got = append(got, string(f.Code)+"@"+f.Position+f.Funding)
	}
	want := []string{
		"NOT_FILLED_BEFORE_EXPIRY@b",
		"FILLED_BEFORE_FUNDING@a", "SHORT_PRODUCTIVE_WINDOW@a", "BUDGET_EXCEEDED@f",
		"CAPACITY_DELAY@c",
	}
	if !slices.Equal(got, want) {
		t.Errorf("flags = %v\nwant %v", got, want)
	}
	s := plan.Summary
	if s.Critical != 1 || s.Warnings != 3 || s.Infos != 1 {
		t.Errorf("counts = %d/%d/%d, want 1/3/1", s.Critical, s.Warnings, s.Infos)
	}
	if got := positionByID(t, plan, "a").Flags; !slices.Equal(got, []Code{FilledBeforeFunding, ShortProductiveWindow}) {
		t.Errorf("a.flags = %v", got)
	}
}

func TestMoney(t *testing.T) {
	// fte 0.5 at 5000 a month, rate 0.8 → 2000 a month; per_fte_year 36000
	// → 3000 · 0.5 = 1500 a month, the smaller. Filled 2022-02-15 with one
	// month of onboarding; funding 2022-01-01..2022-12-31.
	plan := planOf(t, `{"name": "money", "start": "2022-01-15", "min_productive": "P0D",
		"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31", "rate": 0.8, "per_fte_year": 36000, "cap": 100000}],
		"positions": [{"id": "p", "fte": 0.5, "monthly_cost": 5000, "recruiting": "P1M", "notice": "P0D",
			"start_on": "any", "onboarding": "P1M"}]}`)
	p := plan.Positions[0]
	// Funded from 02-15: 14/28 of February + 10 months = 10.5 months.
	if p.FundedCost.String() != "15750.00" {
		t.Errorf("funded_cost = %s, want 15750.00", p.FundedCost)
	}
	// Onboarding 02-15..03-14: 14/28 + 14/31 months.
	if want := "1427.42"; p.OnboardingCost.String() != want { // 1500 · (0.5 + 14/31) = 1427.419…
		t.Errorf("onboarding_cost = %s, want %s", p.OnboardingCost, want)
	}
	if p.ProductiveMonths.String() != "9.55" || p.ProductiveDays != 292 { // 17/31 + 9
		t.Errorf("productive = %s months, %d days; want 9.55, 292", p.ProductiveMonths, p.ProductiveDays)
	}
	s := plan.Summary
	// productive FTE-months 0.5 · 9.548… ; potential 0.5 · (17/31 + 11).
	if s.ProductiveFTEMonths.String() != "4.77" || s.PotentialFTEMonths.String() != "5.77" {
		t.Errorf("FTE-months %s of %s, want 4.77 of 5.77", s.ProductiveFTEMonths, s.PotentialFTEMonths)
	}
	if s.Utilization.String() != "0.8268" { // (17/31 + 9) / (17/31 + 11)
		t.Errorf("utilization = %s, want 0.8268", s.Utilization)
	}
	f := s.Funding[0]
	// Available: min(cap 100000, 36000/12 · 0.5 · 12 months) = 18000.
	if f.Available.String() != "18000.00" || f.Unclaimed.String() != "2250.00" || s.Unclaimed.String() != "2250.00" {
		t.Errorf("available %s, unclaimed %s (total %s); want 18000.00, 2250.00", f.Available, f.Unclaimed, s.Unclaimed)
	}
}

func TestUnclaimedWithoutFlatRate(t *testing.T) {
	tests := []struct {
		name, funding     string
		available, unused string // "" for null
	}{
		{name: "neither cap nor flat rate", funding: `"cap": null`},
		{name: "cap only", funding: `"cap": 10000`, available: "10000.00", unused: "4000.00"},
		{name: "cap below need", funding: `"cap": 5000`, available: "5000.00", unused: "0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := planOf(t, fmt.Sprintf(`{"name": "u", "start": "2022-07-01",
				"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31", %s}],
				"positions": [{"id": "p", "monthly_cost": 1000, "recruiting": "P0D", "notice": "P0D", "onboarding": "P0D"}]}`, tt.funding))
			f := plan.Summary.Funding[0]
			if got := decimalOrEmpty(f.Available); got != tt.available {
				t.Errorf("available = %q, want %q", got, tt.available)
			}
			if got := decimalOrEmpty(f.Unclaimed); got != tt.unused {
				t.Errorf("unclaimed = %q, want %q", got, tt.unused)
			}
		})
	}
}

func decimalOrEmpty(d *Decimal) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func TestLatestHiringStart(t *testing.T) {
	// Recruiting P3M, productive on recruiting's end: safe while
	// H ⊕ P3M ⊕ P6M ≤ 2023-01-01, so H ≤ 2022-04-01.
	plan := planOf(t, `{"name": "lhs", "start": "2022-01-01",
		"funding": [{"id": "f", "start": "2020-01-01", "end": "2022-12-31"}],
		"positions": [
			{"id": "p", "recruiting": "P3M", "notice": "P0D", "onboarding": "P0D", "start_on": "any"},
			{"id": "never", "recruiting": "P3M", "notice": "P0D", "onboarding": "P11Y", "start_on": "any"}]}`)
	p := positionByID(t, plan, "p")
	if p.LatestHiringStart == nil || p.LatestHiringStart.String() != "2022-04-01" || *p.SlackDays != 90 {
		t.Errorf("latest_hiring_start %v, slack %v; want 2022-04-01, 90", p.LatestHiringStart, p.SlackDays)
	}
	never := positionByID(t, plan, "never")
	if never.LatestHiringStart != nil || never.SlackDays != nil {
		t.Errorf("a post that can never be productive in time: latest_hiring_start %v, slack %v; want null", never.LatestHiringStart, never.SlackDays)
	}
}

func TestLatestSafeStart(t *testing.T) {
	t.Run("demo: safe on the day, unsafe a day later", func(t *testing.T) {
		s := decode(t, readDemo(t))
		checkLatestSafeStart(t, s, "2020-09-01")
	})
	t.Run("none", func(t *testing.T) {
		plan := planOf(t, `{"name": "none", "start": "2022-01-01",
			"funding": [{"id": "f", "start": "2020-01-01", "end": "2022-12-31"}],
			"positions": [{"id": "p", "onboarding": "P11Y"}]}`)
		if plan.Summary.LatestSafeStart != nil {
			t.Errorf("latest_safe_start = %s, want null", plan.Summary.LatestSafeStart)
		}
	})
	t.Run("the latest of several sources' ends bounds the search", func(t *testing.T) {
		s := decode(t, `{"name": "two", "start": "2022-01-01", "min_productive": "P0D",
			"defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P0D", "start_on": "any"},
			"funding": [{"id": "f", "start": "2020-01-01", "end": "2022-12-31"}, {"id": "g", "start": "2020-01-01", "end": "2030-06-30"}],
			"positions": [{"id": "p", "funding": "g"}]}`)
		checkLatestSafeStart(t, s, "2030-06-30")
	})
	t.Run("with capacity, where safety is not monotone", func(t *testing.T) {
		// One HR place. B may start only from 2022-06-01 and needs 3 months
		// before 2022-12-31; A needs 5 months before 2023-06-30. Decided
		// before May, A goes first and B still fits; decided in May, A
		// still goes first and pushes B too late; from June B is ready
		// first (input order breaks the tie) and both fit until B's own
		// deadline, 2022-09-30.
		s := decode(t, `{"name": "capacity", "start": "2022-01-01", "hr_capacity": 1, "min_productive": "P0D",
			"defaults": {"notice": "P0D", "onboarding": "P0D", "start_on": "any"},
			"funding": [{"id": "short", "start": "2020-01-01", "end": "2022-12-31"},
			            {"id": "long", "start": "2020-01-01", "end": "2023-06-30"}],
			"positions": [{"id": "b", "earliest": "2022-06-01", "recruiting": "P3M", "funding": "short"},
			              {"id": "a", "recruiting": "P5M", "funding": "long"}]}`)
		checkLatestSafeStart(t, s, "2022-09-30")
		for day, want := range map[string]bool{"2022-04-30": true, "2022-05-01": false, "2022-05-31": false, "2022-06-01": true} {
			plan, err := s.WithStart(mustDate(t, day)).Plan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got := plan.Summary.Critical == 0; got != want {
				t.Errorf("decided on %s: safe = %v, want %v", day, got, want)
			}
		}
	})
}

// checkLatestSafeStart checks the answer and that it is what it claims:
// safe on the day and unsafe on the next.
func checkLatestSafeStart(t *testing.T, s *Scenario, want string) {
	t.Helper()
	got, err := s.LatestSafeStart(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || got.String() != want {
		t.Fatalf("latest_safe_start = %v, want %s", got, want)
	}
	for _, c := range []struct {
		day  Date
		safe bool
	}{{*got, true}, {*got + 1, false}} {
		plan, err := s.WithStart(c.day).Plan(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		unsafe := slices.ContainsFunc(plan.Flags, func(f Flag) bool {
			return f.Code == NotFilledBeforeExpiry || f.Code == NotProductiveBeforeExpiry || f.Code == ShortProductiveWindow
		})
		if unsafe == c.safe {
			t.Errorf("decided on %s: unsafe = %v, want %v", c.day, unsafe, !c.safe)
		}
	}
}

func TestLatestSafeStartHonoursContext(t *testing.T) {
	// b may start hiring with a, but HR has one place: the exhaustive
	// search has work to do, and must stop for a cancelled context.
	s := decode(t, `{"name": "capacity", "start": "2019-01-01", "hr_capacity": 1,
		"funding": [{"id": "f", "start": "2020-01-01", "end": "2022-12-31"}],
		"positions": [{"id": "a", "recruiting": "P1Y"},
		              {"id": "b", "recruiting": "P1Y", "after": [{"ref": "a", "event": "hiring_start"}]}]}`)
	if _, err := s.Plan(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Plan(ctx); err != context.Canceled {
		t.Errorf("Plan with a cancelled context: err = %v, want context.Canceled", err)
	}
}

func TestCapacityBound(t *testing.T) {
	// Three places, 30 one-day recruitments that must all end by their
	// deadline: at least ten days are needed before it.
	var positions []string
	for i := range 30 {
		positions = append(positions, fmt.Sprintf(`{"id": "p%d", "recruiting": "P1D"}`, i))
	}
	s := decode(t, scenarioJSON("2021-01-01", 3, positions...))
	latest := s.latestHiringStarts()
	deadline := latest[0] + 1
	if got, want := s.capacityBound(latest), deadline-10; got != want {
		t.Errorf("capacityBound = %s, want %s", got, want)
	}
	// The bound is a day loose here: with min_productive P0D, the latest
	// hiring start lets a post be productive the day after funding ends,
	// which safety does not.
	checkLatestSafeStart(t, s, (deadline - 11).String())
}
