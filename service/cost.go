package service

import (
	"context"
	"fmt"

	"grantplan/planner"
)

// A cost is what a call is estimated to take before it starts, counted
// in position plans (one post scheduled once).
type cost struct {
	// Memory is how many position plans the call holds at once: the posts
	// of every scenario of a what-if, of every trial of a risk run. The
	// call is refused over Limits.MaxWork.
	Memory int64
	// Time is how many it makes: the searches plan again and again. Up
	// to Limits.CheapWork the call is cheap and does not wait for the gate.
	Time int64
	// Field names the request's field that makes the call this big, for
	// the refusal ("trials", "variants").
	Field string
	// What describes the call, for the refusal.
	What string
	// Posts is the size of the scenario.
	Posts int64
}

// Searches multiply the plans. Without HR capacity the latest safe start
// is a binary search over ten years of days (about 13 plans); with it,
// the search walks back day by day, a year's walk taken as typical. A
// risk run's decision search replays the trials at the dates of a binary
// search.
const (
	searchPlans         = 13
	capacitySearchPlans = 365
	decisionSearchRuns  = 13
	// workbookPlans is a workbook's writing per post, in plans.
	workbookPlans = 200
)

// planCost is the cost of planning s, with the search for the latest
// safe start or without it.
func planCost(s *planner.Scenario, search bool) cost {
	posts := int64(len(s.Positions))
	c := cost{Memory: posts, Time: posts, What: fmt.Sprintf("a plan of %d posts", posts), Posts: posts}
	switch {
	case !search:
	case s.HRCapacity > 0:
		c.Time *= 1 + capacitySearchPlans
	default:
		c.Time *= 1 + searchPlans
	}
	return c
}

// riskCost is the cost of a risk run of s with opts.
func riskCost(s *planner.Scenario, opts planner.RiskOptions) cost {
	posts, trials := int64(len(s.Positions)), int64(max(opts.Trials, 1))
	c := cost{Memory: posts * trials, Time: posts * trials, Field: "trials", Posts: posts,
		What: fmt.Sprintf("a risk run of %d posts with %d trials", posts, trials)}
	if opts.Confidence > 0 {
		c.Time *= 1 + decisionSearchRuns
	}
	return c
}

// whatIfCost is the cost of planning s and variants of it.
func whatIfCost(s *planner.Scenario, variants int) cost {
	c := planCost(s, true)
	scenarios := int64(variants + 1)
	c.Memory *= scenarios
	c.Time *= scenarios
	c.Field = "variants"
	c.What = fmt.Sprintf("a what-if of %d posts with %d variants", len(s.Positions), variants)
	return c
}

// plus is the cost of doing c and then d.
func (c cost) plus(d cost) cost {
	c.Memory, c.Time = max(c.Memory, d.Memory), c.Time+d.Time
	if d.Field != "" {
		c.Field, c.What = d.Field, d.What
	}
	return c
}

// A BudgetError refuses a call whose estimate is over the server's limit
// (Limits.MaxWork): invalid input (422) at the request's field that makes
// it big, so that the client can ask for less. It unwraps to a
// *planner.ValidationError with that one problem.
type BudgetError struct {
	Problem planner.Problem
	// AtMost is the most of the field's unit (trials, variants) that fits
	// the limit for this scenario; 0 if none does or it does not apply.
	AtMost int64
}

func (e *BudgetError) Error() string { return e.Problem.String() }

func (e *BudgetError) Unwrap() error {
	return &planner.ValidationError{Problems: []planner.Problem{e.Problem}}
}

// admit checks a call's cost against the limits and, for an expensive
// call, waits for the gate; it returns the function to call when the work
// is done. A service without limits (the command line) admits everything.
func (s *Service) admit(ctx context.Context, c cost) (func(), error) {
	if s.gate == nil {
		return func() {}, nil
	}
	limits := s.gate.limits
	if c.Memory > limits.MaxWork {
		path := c.Field
		if path == "" {
			path = "$"
		}
		return nil, &BudgetError{Problem: planner.Problem{Path: path, Message: fmt.Sprintf(
			"%s would hold %d position plans at once; this server allows %d per request: ask for less%s",
			c.What, c.Memory, limits.MaxWork, c.fewer(limits.MaxWork))}, AtMost: c.atMost(limits.MaxWork)}
	}
	if c.Time <= limits.CheapWork {
		return func() {}, nil
	}
	return s.gate.enter(ctx)
}

// fewer suggests what would fit under maxWork.
func (c cost) fewer(maxWork int64) string {
	if n := c.atMost(maxWork); n > 0 && c.Field == "trials" {
		return fmt.Sprintf(" (at most %d trials for %d posts)", n, c.Posts)
	}
	return ""
}

// atMost is the most trials of a risk run that fit under maxWork.
func (c cost) atMost(maxWork int64) int64 {
	if c.Field == "trials" && c.Posts > 0 {
		return maxWork / c.Posts
	}
	return 0
}

// workbookCost is the time of writing a workbook of s: never cheap, since
// the sheets of even a small scenario take as long as planning a hundred
// posts, and more with every post.
func workbookCost(s *planner.Scenario) int64 {
	return DefaultCheapWork + workbookPlans*int64(len(s.Positions))
}
