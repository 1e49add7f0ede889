package planner_test

import (
	"context"
	"errors"
	"fmt"

	"grantplan/locale"
	"grantplan/planner"
)

// A scenario is decoded and validated in one step; every problem is
// reported with its JSON path.
func ExampleDecode() {
	_, err := planner.Decode([]byte(`{
		"name": "Broken",
		"start": "2022-13-01",
		"funding": [{"id": "kim", "start": "2022-01-01", "end": "2022-12-31"}],
		"positions": [{"id": "a", "titel": "Coordination", "after": ["b"]}]
	}`))
	var invalid *planner.ValidationError
	if errors.As(err, &invalid) {
		for _, p := range invalid.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// start: "2022-13-01" is not a calendar day
	// positions[0].titel: unknown field (did you mean "title"?)
	// positions[0].after[0]: unknown position "b"
}

// Planning gives each post its dates, money and flags; package locale
// writes the flags as sentences.
func ExampleScenario_Plan() {
	s, err := planner.Decode([]byte(`{
		"name": "Two posts",
		"start": "2022-01-10",
		"defaults": {"recruiting": "P3M", "notice": "P1M", "onboarding": "P2M", "monthly_cost": 5000},
		"funding": [{"id": "kim", "name": "KIM", "start": "2022-01-01", "end": "2022-12-31"}],
		"positions": [
			{"id": "lead", "title": "Coordination"},
			{"id": "cm", "title": "Case manager", "after": ["lead"]}
		]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := s.Plan(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range plan.Positions {
		fmt.Printf("%s: hiring %s, filled %s, productive %s, funded %s EUR\n",
			p.ID, p.HiringStart, p.Filled, p.Productive, p.FundedCost)
	}
	for _, f := range plan.Flags {
		fmt.Printf("%s %s: %s\n", f.Severity, f.Code, locale.English.Flag(f))
	}
	// Output:
	// lead: hiring 2022-01-10, filled 2022-06-01, productive 2022-08-01, funded 35000.00 EUR
	// cm: hiring 2022-06-01, filled 2022-10-01, productive 2022-12-01, funded 15000.00 EUR
	// warning SHORT_PRODUCTIVE_WINDOW: Coordination is productive from 2022-08-01, but its funding (KIM) ends on 2022-12-31: 5.00 months of productive work, 31 days short of the minimum of 6 months.
	// warning SHORT_PRODUCTIVE_WINDOW: Case manager is productive from 2022-12-01, but its funding (KIM) ends on 2022-12-31: 1.00 months of productive work, 151 days short of the minimum of 6 months.
}
