package service

import (
	"context"
	"encoding/json"
	"errors"

	"grantplan/planner"
	"grantplan/store"
)

// The key figures of the list of scenarios take a plan to compute. The
// service computes them when it stores a revision, and for a revision
// stored without them (by an earlier program, or when computing them
// failed) when the list first shows it, and stores them beside the
// revision (store.Figures), so that the list plans nothing it has planned
// before. They skip the search for the latest safe start, which the list
// does not show.

// figuresVersion is the version of the stored figures: a change to what
// they hold or to how they are computed (a new flag rule that changes the
// counts) takes the next number, and every revision's figures are then
// computed anew when the list shows it.
const figuresVersion = 1

// Figures are the key figures of a stored revision that the list of
// scenarios shows.
type Figures struct {
	Critical, Warnings     int
	Utilization, Unclaimed planner.Decimal
	// Invalid, when set, is the first problem of a revision the planner
	// refuses (a later, stricter planner than the one that stored it);
	// the other figures are then zero.
	Invalid *planner.Problem
}

// figuresRecord is how Figures are stored: exact decimals, named members.
type figuresRecord struct {
	Critical    int              `json:"critical"`
	Warnings    int              `json:"warnings"`
	Utilization decimalRecord    `json:"utilization"`
	Unclaimed   decimalRecord    `json:"unclaimed"`
	Invalid     *planner.Problem `json:"invalid,omitempty"`
}

type decimalRecord struct {
	Units  int64 `json:"units"`
	Places uint8 `json:"places"`
}

// An Overview is a stored scenario (without its body) with the key
// figures of its current revision.
type Overview struct {
	store.Scenario
	Figures *Figures
	// Problem, when Figures is nil, says why they could not be computed
	// (planning took too long); the list says the scenario cannot be
	// planned.
	Problem error
}

// ListOptions choose the scenarios Overviews returns.
type ListOptions struct {
	// Query keeps the scenarios whose id or name contains it, ignoring
	// case.
	Query string
	// Offset skips that many; Limit returns at most that many after them,
	// 0 meaning all.
	Offset, Limit int
}

// Overviews lists the stored scenarios that opts choose, ordered by id,
// with the key figures of their current revisions, and the number of all
// that match. Figures stored for a revision are read, not computed; those
// missing are computed and stored. A scenario deleted while the list is
// made is left out.
func (s *Service) Overviews(ctx context.Context, opts ListOptions) ([]Overview, int, error) {
	if err := s.allow(ctx, ActionRead, ""); err != nil {
		return nil, 0, err
	}
	st, err := s.stored()
	if err != nil {
		return nil, 0, err
	}
	page, total, err := st.List(ctx, store.ListOptions{
		Query: opts.Query, Offset: opts.Offset, Limit: opts.Limit, FiguresVersion: figuresVersion,
	})
	if err != nil {
		return nil, 0, err
	}
	overviews := make([]Overview, 0, len(page))
	for _, sc := range page {
		if f, ok := decodeFigures(sc.Figures); ok {
			overviews = append(overviews, Overview{Scenario: sc, Figures: f})
			continue
		}
		current, err := st.Get(ctx, sc.ID)
		if planner.KindOf(err) == planner.KindNotFound {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		o := Overview{Scenario: current}
		o.Body = nil
		if o.Figures, o.Problem = s.figuresOf(ctx, current.Body, nil); o.Problem != nil {
			if ctx.Err() != nil {
				return nil, 0, o.Problem
			}
		} else {
			// Derived data: if storing them fails, the next list computes
			// them again.
			_ = s.putFigures(ctx, current.ID, current.Revision, o.Figures)
		}
		overviews = append(overviews, o)
	}
	return overviews, total, nil
}

// figuresOf computes the key figures of a scenario body (decoded already,
// when scenario is not nil) under the plan timeout. A body the planner
// refuses has figures that say why; an error is a failure that need not
// last, such as the timeout.
func (s *Service) figuresOf(ctx context.Context, body []byte, scenario *planner.Scenario) (*Figures, error) {
	if scenario == nil {
		var err error
		if scenario, err = planner.Decode(body); err != nil {
			var invalid *planner.ValidationError
			if errors.As(err, &invalid) && len(invalid.Problems) > 0 {
				return &Figures{Invalid: &invalid.Problems[0]}, nil
			}
			return nil, err
		}
	}
	planCtx, cancel := s.withPlanTimeout(ctx)
	defer cancel()
	plan, err := scenario.PlanWithoutSearch(planCtx)
	if err != nil {
		return nil, s.timedOut(ctx, err)
	}
	sum := &plan.Summary
	return &Figures{Critical: sum.Critical, Warnings: sum.Warnings, Utilization: sum.Utilization, Unclaimed: sum.Unclaimed}, nil
}

// putFigures stores f as the figures of revision of scenario id.
func (s *Service) putFigures(ctx context.Context, id string, revision int, f *Figures) error {
	body, err := json.Marshal(figuresRecord{
		Critical: f.Critical, Warnings: f.Warnings,
		Utilization: decimalRecord{f.Utilization.Units, f.Utilization.Places},
		Unclaimed:   decimalRecord{f.Unclaimed.Units, f.Unclaimed.Places},
		Invalid:     f.Invalid,
	})
	if err != nil {
		return err
	}
	return s.store.PutFigures(ctx, id, revision, store.Figures{Version: figuresVersion, Body: body})
}

// decodeFigures reads stored figures; false if there are none, or none
// this program can read.
func decodeFigures(stored *store.Figures) (*Figures, bool) {
	if stored == nil || stored.Version != figuresVersion {
		return nil, false
	}
	var r figuresRecord
	if err := json.Unmarshal(stored.Body, &r); err != nil {
		return nil, false
	}
	return &Figures{
		Critical: r.Critical, Warnings: r.Warnings,
		Utilization: planner.Decimal{Units: r.Utilization.Units, Places: r.Utilization.Places},
		Unclaimed:   planner.Decimal{Units: r.Unclaimed.Units, Places: r.Unclaimed.Places},
		Invalid:     r.Invalid,
	}, true
}

// saved computes and stores the figures of sc, a revision just stored
// with body (decoded already, when scenario is not nil). The revision is
// stored whatever happens here: if the figures cannot be computed or
// stored, the list computes them when it first shows the revision.
func (s *Service) saved(ctx context.Context, sc store.Scenario, body []byte, scenario *planner.Scenario) {
	if f, err := s.figuresOf(ctx, body, scenario); err == nil {
		_ = s.putFigures(ctx, sc.ID, sc.Revision, f)
	}
}
