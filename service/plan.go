package service

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"

	"github.com/rickb777/date/v2"

	"grantplan/locale"
	"grantplan/planner"
	"grantplan/report"
	"grantplan/store"
	"grantplan/whatif"
	"grantplan/workbook"
)

// A Source is the scenario a call works on: posted with the request (or
// read from a file), or stored.
type Source struct {
	body     []byte
	id       string
	revision int
}

// Posted is a scenario given as its JSON.
func Posted(body []byte) Source { return Source{body: body} }

// Stored is the stored scenario id at revision; 0 is the current one.
func Stored(id string, revision int) Source { return Source{id: id, revision: revision} }

// A Planned is a scenario read, decoded and planned.
type Planned struct {
	// Record is the stored revision, nil for a posted scenario.
	Record *store.Scenario
	// Current is the stored scenario's current revision when it was read,
	// which Record may be older than; 0 for a posted scenario.
	Current  int
	Body     []byte
	Scenario *planner.Scenario
	Plan     *planner.Plan
	// Risk is the risk run, when PlanOptions asked for one.
	Risk *planner.Risk
	// cached is the kept plan that Scenario and Plan come from, if any.
	cached *cachedPlan
}

// PlanOptions say what Plan computes besides the plan.
type PlanOptions struct {
	// Start, unless zero, is the decision date to plan from instead of
	// the scenario's start.
	Start date.Date
	// Risk, when given, asks for a risk run of the same scenario.
	Risk *planner.RiskOptions
	// workbook says that a workbook is written of the plan, while the
	// call holds the gate.
	workbook bool
}

// Plan reads and decodes the scenario src and plans it (and runs its risk,
// if asked) under the plan timeout, once the call is admitted (an
// expensive one may wait, or be refused as busy or as too big). A stored
// scenario was valid when it was stored; a later, stricter planner may
// still refuse it, and then the error says why (a
// *planner.ValidationError).
func (s *Service) Plan(ctx context.Context, src Source, opts PlanOptions) (*Planned, error) {
	if err := s.allow(ctx, ActionPlan, src.id); err != nil {
		return nil, err
	}
	p, err := s.read(ctx, src)
	if err != nil {
		return nil, err
	}
	if err := s.plan(ctx, p, opts); err != nil {
		return nil, err
	}
	return p, nil
}

// plan decodes p.Body and, once admitted, plans it (and runs its risk, if
// asked) under the plan timeout. It returns with the gate left, unless
// keep is given: then *keep is the function that leaves it, for a caller
// with more work (a workbook).
func (s *Service) plan(ctx context.Context, p *Planned, opts PlanOptions, keep ...*func()) error {
	cacheable := opts.Start == 0 && opts.Risk == nil
	var key planKey
	if cacheable {
		key = s.plans.key(p.Body)
		if c := s.plans.get(key); c != nil {
			p.Scenario, p.Plan, p.cached = c.scenario, c.plan, c
			if !opts.workbook {
				return nil
			}
			done, err := s.admit(ctx, cost{Work: workbookCost(p.Scenario)})
			if err != nil {
				return err
			}
			if len(keep) > 0 {
				*keep[0] = done
			} else {
				done()
			}
			return nil
		}
	}
	var err error
	if p.Scenario, err = planner.Decode(p.Body); err != nil {
		return err
	}
	if opts.Start != 0 {
		p.Scenario = p.Scenario.WithStart(opts.Start)
	}
	c := planCost(p.Scenario, true)
	if opts.Risk != nil {
		c = c.plus(riskCost(p.Scenario, *opts.Risk))
	}
	if opts.workbook {
		c.Work += workbookCost(p.Scenario)
	}
	done, err := s.admit(ctx, c)
	if err != nil {
		return err
	}
	if len(keep) > 0 {
		*keep[0] = done
	} else {
		defer done()
	}
	planCtx, cancel := s.withPlanTimeout(ctx)
	defer cancel()
	if p.Plan, err = p.Scenario.Plan(planCtx); err != nil {
		return s.timedOut(ctx, err)
	}
	describe(p.Plan.Flags)
	if cacheable {
		p.cached = s.plans.put(key, p.Body, p.Scenario, p.Plan)
	}
	if opts.Risk != nil {
		if p.Risk, err = p.Scenario.Risk(planCtx, *opts.Risk); err != nil {
			return s.timedOut(ctx, err)
		}
	}
	return nil
}

// describe writes the English sentence of every flag into its message:
// the plan and what-if documents carry English messages whoever asks
// (the command line, the API, a page), so every plan the service makes
// goes through here. Pages and reports in another language write the
// sentences themselves (locale.Lang.Flag). The sentences are written one
// after the other into one string, and each message is a part of it.
func describe(flags []planner.Flag) {
	if len(flags) == 0 {
		return
	}
	b := make([]byte, 0, 160*len(flags))
	ends := make([]int, len(flags))
	for i := range flags {
		b = locale.English.AppendFlag(b, &flags[i])
		ends[i] = len(b)
	}
	all, start := string(b), 0
	for i := range flags {
		flags[i].Message, start = all[start:ends[i]], ends[i]
	}
}

// Risk runs the risk of the scenario src under the plan timeout, without
// planning it otherwise, once the call is admitted.
func (s *Service) Risk(ctx context.Context, src Source, opts planner.RiskOptions) (*planner.Risk, error) {
	if err := s.allow(ctx, ActionPlan, src.id); err != nil {
		return nil, err
	}
	p, err := s.read(ctx, src)
	if err != nil {
		return nil, err
	}
	scenario, err := planner.Decode(p.Body)
	if err != nil {
		return nil, err
	}
	done, err := s.admit(ctx, riskCost(scenario, opts))
	if err != nil {
		return nil, err
	}
	defer done()
	riskCtx, cancel := s.withPlanTimeout(ctx)
	defer cancel()
	risk, err := scenario.Risk(riskCtx, opts)
	return risk, s.timedOut(ctx, err)
}

// read returns the body of src and, for a stored scenario, its record.
func (s *Service) read(ctx context.Context, src Source) (*Planned, error) {
	if src.id == "" {
		return &Planned{Body: src.body}, nil
	}
	if err := s.allowRevision(ctx, src.id, src.revision); err != nil {
		return nil, err
	}
	st, err := s.stored()
	if err != nil {
		return nil, err
	}
	sc, err := st.Get(ctx, src.id)
	if err != nil {
		return nil, err
	}
	current := sc.Revision
	if src.revision != 0 && src.revision != current {
		if src.revision < 1 {
			return nil, noRevision(src.id, src.revision)
		}
		if sc, err = st.Revision(ctx, src.id, src.revision); err != nil {
			return nil, err
		}
	}
	return &Planned{Record: &sc, Current: current, Body: sc.Body}, nil
}

// WhatIf plans the scenario src and each variant side by side under the
// plan timeout (whatif.Run says how problems are named), once the call is
// admitted.
func (s *Service) WhatIf(ctx context.Context, src Source, variants []whatif.Variant) (*whatif.Result, error) {
	if err := s.allow(ctx, ActionPlan, src.id); err != nil {
		return nil, err
	}
	p, err := s.read(ctx, src)
	if err != nil {
		return nil, err
	}
	// A base that does not decode costs nothing: whatif.Run says what is
	// wrong with it, in its own words.
	var c cost
	if base, err := planner.Decode(p.Body); err == nil {
		c = whatIfCost(base, len(variants))
	}
	done, err := s.admit(ctx, c)
	if err != nil {
		return nil, err
	}
	defer done()
	runCtx, cancel := s.withPlanTimeout(ctx)
	defer cancel()
	result, err := whatif.Run(runCtx, p.Body, variants)
	if err != nil {
		return nil, s.timedOut(ctx, err)
	}
	describe(result.Base.Flags)
	for i := range result.Variants {
		describe(result.Variants[i].Flags)
	}
	return result, nil
}

// A Comparison is a scenario and one variant of it, both planned.
type Comparison struct {
	Base *Planned
	// Variant is the variant planned, nil when it cannot be: Invalid then
	// says why, with paths into the changed scenario.
	Variant *Planned
	Invalid *planner.ValidationError
	Delta   whatif.Delta
}

// Compare plans the scenario src and variant v of it side by side under
// the plan timeout. A variant that does not apply or gives an invalid
// scenario is not an error but the Comparison's Invalid.
func (s *Service) Compare(ctx context.Context, src Source, v whatif.Variant) (*Comparison, error) {
	if err := s.allow(ctx, ActionPlan, src.id); err != nil {
		return nil, err
	}
	base, err := s.read(ctx, src)
	if err != nil {
		return nil, err
	}
	variant := &Planned{Record: base.Record, Current: base.Current}
	variant.Body, err = whatif.Apply(base.Body, v)
	if err != nil {
		return s.compareInvalid(ctx, base, variantProblem(err))
	}
	var c cost
	if scenario, err := planner.Decode(base.Body); err == nil {
		c = whatIfCost(scenario, 1)
	}
	done, err := s.admit(ctx, c)
	if err != nil {
		return nil, err
	}
	defer done()
	planCtx, cancel := s.withPlanTimeout(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var errs [2]error
	for i, p := range []*Planned{base, variant} {
		wg.Go(func() {
			if p.Scenario, errs[i] = planner.Decode(p.Body); errs[i] == nil {
				if p.Plan, errs[i] = p.Scenario.Plan(planCtx); errs[i] == nil {
					describe(p.Plan.Flags)
				}
			}
		})
	}
	wg.Wait()
	if errs[0] != nil {
		return nil, s.timedOut(ctx, errs[0])
	}
	var invalid *planner.ValidationError
	if errors.As(errs[1], &invalid) {
		return &Comparison{Base: base, Invalid: invalid}, nil
	}
	if errs[1] != nil {
		return nil, s.timedOut(ctx, errs[1])
	}
	return &Comparison{Base: base, Variant: variant, Delta: whatif.Compare(&base.Plan.Summary, &variant.Plan.Summary)}, nil
}

// compareInvalid plans the base of a variant that cannot be planned.
func (s *Service) compareInvalid(ctx context.Context, base *Planned, invalid *planner.ValidationError) (*Comparison, error) {
	if err := s.plan(ctx, base, PlanOptions{}); err != nil {
		return nil, err
	}
	return &Comparison{Base: base, Invalid: invalid}, nil
}

// CreateVariant stores variant v of the scenario src as a new scenario
// named name with description (the changes in words; "" for none, not
// the base's description), if it gives a valid scenario.
func (s *Service) CreateVariant(ctx context.Context, src Source, v whatif.Variant, name, description string) (store.Scenario, error) {
	if err := s.allow(ctx, ActionCreate, ""); err != nil {
		return store.Scenario{}, err
	}
	if src.id != "" {
		if err := s.allow(ctx, ActionRead, src.id); err != nil {
			return store.Scenario{}, err
		}
	}
	name = strings.TrimSpace(name)
	if err := checkName(name); err != nil {
		return store.Scenario{}, err
	}
	base, err := s.read(ctx, src)
	if err != nil {
		return store.Scenario{}, err
	}
	body, err := whatif.Apply(base.Body, v)
	if err != nil {
		return store.Scenario{}, variantProblem(err)
	}
	if body, err = renamed(body, name, description); err != nil {
		return store.Scenario{}, err
	}
	scenario, err := planner.Decode(body)
	if err != nil {
		return store.Scenario{}, err
	}
	return s.create(ctx, name, body, scenario)
}

// variantProblem is the problem of a variant that does not apply.
func variantProblem(err error) *planner.ValidationError {
	return &planner.ValidationError{Problems: []planner.Problem{{Path: "$", Message: "the variant " + err.Error()}}}
}

// ExportOptions say how to write a workbook or a report.
type ExportOptions struct {
	Lang locale.Lang
	// Start, unless zero, is the decision date to plan from instead of
	// the scenario's start.
	Start date.Date
	// Risk, when given, adds the risk run: a Risk sheet to a workbook, its
	// figures and whiskers to a report.
	Risk *planner.RiskOptions
}

// An Export is a plan written as an Excel workbook or a PDF report.
type Export struct {
	FileName string // for the download or the file
	Data     []byte
	// Revision is the stored revision written, 0 for a posted scenario.
	Revision int
}

// Export plans the scenario src (and its risk, if asked) under the plan
// timeout and writes the plan as a workbook dated the county's today,
// which says the revision it is of. The workbook is written to memory,
// so that a failure leaves no half-written file or answer behind.
func (s *Service) Export(ctx context.Context, src Source, opts ExportOptions) (*Export, error) {
	return s.document(ctx, src, opts, workbook.FileName, func(w io.Writer, p *Planned, d documentDates) error {
		return workbook.Write(w, p.Plan, workbook.Options{
			Lang: opts.Lang, Scenario: p.Scenario, Source: p.Body, Exported: d.exported, Risk: p.Risk,
			Revision: d.revision, Saved: d.saved,
		})
	})
}

// Report plans the scenario src (and its risk, if asked) under the plan
// timeout and writes the plan as a PDF report for a council paper, dated
// the county's today and stating the revision it is of (docs/report.md).
// Like a workbook, it is written to memory first.
func (s *Service) Report(ctx context.Context, src Source, opts ExportOptions) (*Export, error) {
	return s.document(ctx, src, opts, report.FileName, func(w io.Writer, p *Planned, d documentDates) error {
		return report.Write(w, p.Plan, report.Options{
			Lang: opts.Lang, Scenario: p.Scenario, Source: p.Body, Exported: d.exported, Risk: p.Risk,
			Revision: d.revision, Saved: d.saved,
		})
	})
}

// documentDates are what a document says of when it was made: the day it
// was exported, and the stored revision it is of with the day that was
// saved (0 and no day for a posted scenario).
type documentDates struct {
	exported date.Date
	revision int
	saved    date.Date
}

// document plans the scenario src for a document and writes it to memory
// with write, under the file name fileName gives it.
func (s *Service) document(ctx context.Context, src Source, opts ExportOptions,
	fileName func(scenario string, exported date.Date) string,
	write func(w io.Writer, p *Planned, d documentDates) error) (*Export, error) {
	p, done, err := s.planDocument(ctx, src, opts)
	if err != nil {
		return nil, err
	}
	defer done()
	d := documentDates{exported: s.today()}
	d.revision, d.saved = p.revision()
	var buf bytes.Buffer
	if err := write(&buf, p, d); err != nil {
		return nil, err
	}
	return &Export{FileName: fileName(p.Plan.Scenario, d.exported), Data: buf.Bytes(), Revision: d.revision}, nil
}

// planDocument reads and plans the scenario src for a document (a
// workbook, a report) and returns with the gate held: the document is
// written while the call holds it, since writing takes longer than the
// plan and its memory grows with the posts. done leaves the gate.
func (s *Service) planDocument(ctx context.Context, src Source, opts ExportOptions) (p *Planned, done func(), err error) {
	if err := s.allow(ctx, ActionPlan, src.id); err != nil {
		return nil, nil, err
	}
	if p, err = s.read(ctx, src); err != nil {
		return nil, nil, err
	}
	done = func() {}
	if err := s.plan(ctx, p, PlanOptions{Start: opts.Start, Risk: opts.Risk, workbook: true}, &done); err != nil {
		done()
		return nil, nil, err
	}
	return p, done, nil
}

// revision is the stored revision p was read from and the county's day it
// was saved on; 0 and no day for a posted scenario.
func (p *Planned) revision() (int, date.Date) {
	if p.Record == nil {
		return 0, 0
	}
	return p.Record.Revision, date.NewAt(p.Record.Updated.In(Zone))
}
