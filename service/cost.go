package service

import (
	"context"
	"fmt"
	"runtime"

	"grantplan/planner"
)

// A cost is what a call is estimated to take before it starts. Work is
// counted in position schedules (one post planned once), as
// planner.RiskCost counts it.
type cost struct {
	// Pass is the work of one pass over the call's scenarios: the posts
	// of every scenario of a what-if, posts × trials of a risk run. Over
	// Limits.MaxWork the call is refused: one pass alone would take longer
	// than a request may.
	Pass int64
	// Work is the estimated work in all, the searches included. Up to
	// Limits.CheapWork the call is cheap and does not wait for the gate.
	Work int64
	// Bytes bounds what the call allocates; over Limits.MaxBytes it is
	// refused.
	Bytes int64
	// Field names the request's field that makes the call this big, for
	// the refusal ("trials", "variants"); "" for the scenario itself.
	Field string
	// What describes the call, for the refusal.
	What string
	// Posts is the size of the scenario.
	Posts int64
}

// Searches multiply the plans. Without HR capacity the latest safe start
// is a binary search over ten years of days (about 13 plans); with it,
// the search walks back day by day, a year's walk taken as typical.
const (
	searchPlans         = 13
	capacitySearchPlans = 365
	// workbookPlans is a workbook's writing per post, in plans.
	workbookPlans = 200
	// planBytesPerPost is what planning allocates per post, garbage
	// included (the demo's plan route: 99 KB for 10 posts), and
	// keptBytesPerPost what a finished plan keeps.
	planBytesPerPost = 10 << 10
	keptBytesPerPost = 2 << 10
)

// planCost is the cost of planning s, with the search for the latest
// safe start or without it.
func planCost(s *planner.Scenario, search bool) cost {
	posts := int64(len(s.Positions))
	c := cost{Pass: posts, Work: posts, Bytes: posts * planBytesPerPost, What: fmt.Sprintf("a plan of %d posts", posts), Posts: posts}
	switch {
	case !search:
	case s.HRCapacity > 0:
		c.Work *= 1 + capacitySearchPlans
	default:
		c.Work *= 1 + searchPlans
	}
	return c
}

// riskCost is the cost of a risk run of s with opts, from the planner's
// own estimate (docs/risk.md, Cost and limits).
func riskCost(s *planner.Scenario, opts planner.RiskOptions) cost {
	rc := s.RiskCost(opts)
	return cost{Pass: rc.Schedules(), Work: rc.Work(), Bytes: rc.Bytes, Field: "trials", Posts: int64(rc.Positions),
		What: fmt.Sprintf("a risk run of %d posts with %d trials", rc.Positions, rc.Trials)}
}

// whatIfCost is the cost of planning s and variants of it; whatif.Run
// plans as many at once as there are CPUs.
func whatIfCost(s *planner.Scenario, variants int) cost {
	c := planCost(s, true)
	scenarios := int64(variants + 1)
	c.Pass *= scenarios
	c.Work *= scenarios
	c.Bytes = c.Posts * (planBytesPerPost*min(scenarios, int64(runtime.GOMAXPROCS(0))) + keptBytesPerPost*scenarios)
	c.Field = "variants"
	c.What = fmt.Sprintf("a what-if of %d posts with %d variants", len(s.Positions), variants)
	return c
}

// plus is the cost of doing c and then d, keeping what c made.
func (c cost) plus(d cost) cost {
	c.Pass, c.Work, c.Bytes = max(c.Pass, d.Pass), c.Work+d.Work, c.Bytes+d.Bytes
	if d.Field != "" {
		c.Field, c.What = d.Field, d.What
	}
	return c
}

// workbookCost is the work of writing a workbook of s: never cheap, since
// the sheets of even a small scenario take as long as planning a hundred
// posts, and more with every post.
func workbookCost(s *planner.Scenario) int64 {
	return DefaultCheapWork + workbookPlans*int64(len(s.Positions))
}

// importCost is reading a workbook or CSV of size bytes: never cheap,
// more with every byte; its memory the file unpacked (a workbook is a
// zip of XML, which unpacks to some ten times its size) and read.
func importCost(size int) cost {
	n := int64(size)
	return cost{Work: DefaultCheapWork + 1 + n/64, Bytes: 20 * n, What: fmt.Sprintf("an import of %d bytes", n)}
}

// A BudgetError refuses a call whose estimate is over the server's limits
// (Limits.MaxWork, Limits.MaxBytes): invalid input (422) at the request's
// field that makes it big, so that the client can ask for less. It
// unwraps to a *planner.ValidationError with that one problem.
type BudgetError struct {
	Problem planner.Problem
	// AtMost is the most of the field's unit (trials) that fits the limit
	// for this scenario; 0 if none does or it does not apply.
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
	path := c.Field
	if path == "" {
		path = "$"
	}
	switch {
	case c.Pass > limits.MaxWork:
		return nil, &BudgetError{Problem: planner.Problem{Path: path, Message: fmt.Sprintf(
			"%s plans %d posts in one pass; this server allows %d per request: ask for less%s",
			c.What, c.Pass, limits.MaxWork, c.fewer(limits.MaxWork))}, AtMost: c.atMost(limits.MaxWork)}
	case c.Bytes > limits.MaxBytes:
		return nil, &BudgetError{Problem: planner.Problem{Path: path, Message: fmt.Sprintf(
			"%s would take up to %d MiB of memory; this server allows %d MiB per request: ask for less",
			c.What, c.Bytes>>20, limits.MaxBytes>>20)}}
	}
	if c.Work <= limits.CheapWork {
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
