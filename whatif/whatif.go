// Package whatif plans a scenario side by side with variants of it: "the
// council decides two months later", "hire the case managers in
// parallel", "the state extends the funding". A variant is an RFC 6902
// JSON Patch or an RFC 7386 merge patch of the scenario's JSON, so any
// field can change, and the answer says how each summary figure moves.
package whatif

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	jsonpatch "github.com/evanphx/json-patch/v5"

	"grantplan/planner"
)

// MaxVariants is the most variants one comparison may hold.
const MaxVariants = 20

// maxCopyGrowth bounds how much a patch's "copy" operations may grow the
// scenario, so a small patch cannot build a huge document.
const maxCopyGrowth = 1 << 20

// A Variant changes the base scenario by an RFC 6902 JSON Patch (Patch, a
// JSON array) or an RFC 7386 merge patch (Merge, a JSON object); exactly
// one is set.
type Variant struct {
	Name  string          `json:"name"`
	Patch json.RawMessage `json:"patch,omitempty"`
	Merge json.RawMessage `json:"merge,omitempty"`
}

// An Outcome is what a plan says in brief.
type Outcome struct {
	Summary planner.Summary `json:"summary"`
	Flags   []planner.Flag  `json:"flags"`
}

// A VariantOutcome is a variant's outcome and how it differs from the
// base's.
type VariantOutcome struct {
	Name string `json:"name"`
	Outcome
	Delta Delta `json:"delta"`
}

// A Result compares the base with its variants, in the variants' order.
type Result struct {
	Base     Outcome          `json:"base"`
	Variants []VariantOutcome `json:"variants"`
}

// Delta holds, per summary number, variant − base and, per summary date,
// the difference in days (nil where either date is null). The budget years
// are not compared: the variants' own lists say it year by year.
type Delta struct {
	Positions           int             `json:"positions"`
	Critical            int             `json:"critical"`
	Warnings            int             `json:"warnings"`
	Infos               int             `json:"infos"`
	LastFilled          int             `json:"last_filled"`
	LastProductive      int             `json:"last_productive"`
	ProductiveFTEMonths planner.Decimal `json:"productive_fte_months"`
	PotentialFTEMonths  planner.Decimal `json:"potential_fte_months"`
	Utilization         planner.Decimal `json:"utilization"`
	FundedCost          planner.Decimal `json:"funded_cost"`
	OnboardingCost      planner.Decimal `json:"onboarding_cost"`
	Unclaimed           planner.Decimal `json:"unclaimed"`
	TotalCost           planner.Decimal `json:"total_cost"`
	OwnShare            planner.Decimal `json:"own_share"`
	CostAfterFunding    planner.Decimal `json:"cost_after_funding"`
	LatestSafeStart     *int            `json:"latest_safe_start"`
}

// Compare returns the delta from base to variant.
func Compare(base, variant *planner.Summary) Delta {
	d := Delta{
		Positions:           variant.Positions - base.Positions,
		Critical:            variant.Critical - base.Critical,
		Warnings:            variant.Warnings - base.Warnings,
		Infos:               variant.Infos - base.Infos,
		LastFilled:          int(variant.LastFilled - base.LastFilled),
		LastProductive:      int(variant.LastProductive - base.LastProductive),
		ProductiveFTEMonths: variant.ProductiveFTEMonths.Sub(base.ProductiveFTEMonths),
		PotentialFTEMonths:  variant.PotentialFTEMonths.Sub(base.PotentialFTEMonths),
		Utilization:         variant.Utilization.Sub(base.Utilization),
		FundedCost:          variant.FundedCost.Sub(base.FundedCost),
		OnboardingCost:      variant.OnboardingCost.Sub(base.OnboardingCost),
		Unclaimed:           variant.Unclaimed.Sub(base.Unclaimed),
		TotalCost:           variant.TotalCost.Sub(base.TotalCost),
		OwnShare:            variant.OwnShare.Sub(base.OwnShare),
		CostAfterFunding:    variant.CostAfterFunding.Sub(base.CostAfterFunding),
	}
	if base.LatestSafeStart != nil && variant.LatestSafeStart != nil {
		days := int(*variant.LatestSafeStart - *base.LatestSafeStart)
		d.LatestSafeStart = &days
	}
	return d
}

// Apply returns the scenario JSON that variant v makes of base.
func Apply(base []byte, v Variant) ([]byte, error) {
	switch {
	case len(v.Patch) > 0 && len(v.Merge) > 0:
		return nil, fmt.Errorf("has both a patch and a merge patch; give one")
	case len(v.Patch) > 0:
		patch, err := jsonpatch.DecodePatch(v.Patch)
		if err != nil {
			return nil, fmt.Errorf("is not an RFC 6902 JSON Patch: %v", err)
		}
		options := jsonpatch.NewApplyOptions()
		options.SupportNegativeIndices = false // not in RFC 6902
		options.AccumulatedCopySizeLimit = maxCopyGrowth
		// The strings the patch does not touch stay as written: "A & B"
		// is not rewritten as "A \u0026 B".
		options.EscapeHTML = false
		out, err := patch.ApplyWithOptions(base, options)
		if err != nil {
			return nil, fmt.Errorf("patch does not apply: %v", err)
		}
		return out, nil
	case len(v.Merge) > 0:
		out, err := jsonpatch.MergePatch(base, v.Merge)
		if err != nil {
			return nil, fmt.Errorf("is not an RFC 7386 merge patch: %v", err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("has neither a patch nor a merge patch")
}

// Run decodes base, applies each variant to it, and plans them all
// concurrently. An invalid base or variant gives a
// *planner.ValidationError: problems with the base have paths starting
// with "scenario", a variant's problems the path "variants[i]" and a
// message that names the variant.
func Run(ctx context.Context, base []byte, variants []Variant) (*Result, error) {
	var problems []planner.Problem
	if len(variants) > MaxVariants {
		problems = append(problems, planner.Problem{Path: "variants", Message: fmt.Sprintf("holds %d variants, at most %d allowed", len(variants), MaxVariants)})
	}
	names := make(map[string]int, len(variants))
	for i, v := range variants {
		path := fmt.Sprintf("variants[%d]", i)
		if v.Name == "" {
			problems = append(problems, planner.Problem{Path: path + ".name", Message: "required"})
		} else if first, dup := names[v.Name]; dup {
			problems = append(problems, planner.Problem{Path: path + ".name", Message: fmt.Sprintf("duplicate name %q (first at variants[%d])", v.Name, first)})
		} else {
			names[v.Name] = i
		}
	}
	if len(problems) > 0 {
		return nil, &planner.ValidationError{Problems: problems}
	}

	baseScenario, err := planner.Decode(base)
	if err != nil {
		return nil, describe(0, variants, err)
	}
	plans := make([]*planner.Plan, len(variants)+1)
	errs := make([]error, len(variants)+1)
	var wg sync.WaitGroup
	limit := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range plans {
		wg.Go(func() {
			limit <- struct{}{}
			defer func() { <-limit }()
			s := baseScenario
			if i > 0 {
				patched, err := Apply(base, variants[i-1])
				if err == nil {
					s, err = planner.Decode(patched)
				}
				if err != nil {
					errs[i] = err
					return
				}
			}
			plans[i], errs[i] = s.Plan(ctx)
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	for i, err := range errs {
		if err != nil {
			problems = append(problems, describe(i, variants, err).Problems...)
		}
	}
	if len(problems) > 0 {
		return nil, &planner.ValidationError{Problems: problems}
	}

	result := &Result{Base: outcome(plans[0]), Variants: make([]VariantOutcome, len(variants))}
	for i, v := range variants {
		result.Variants[i] = VariantOutcome{
			Name:    v.Name,
			Outcome: outcome(plans[i+1]),
			Delta:   Compare(&plans[0].Summary, &plans[i+1].Summary),
		}
	}
	return result, nil
}

// describe turns the failure of the base (i = 0) or of variant i−1 into
// problems.
func describe(i int, variants []Variant, err error) *planner.ValidationError {
	v, isValidation := err.(*planner.ValidationError)
	if i == 0 {
		if isValidation {
			return v.Prefixed("scenario")
		}
		return &planner.ValidationError{Problems: []planner.Problem{{Path: "scenario", Message: err.Error()}}}
	}
	path, name := fmt.Sprintf("variants[%d]", i-1), variants[i-1].Name
	if !isValidation {
		return &planner.ValidationError{Problems: []planner.Problem{{Path: path, Message: fmt.Sprintf("variant %q %v", name, err)}}}
	}
	problems := make([]planner.Problem, len(v.Problems))
	for j, p := range v.Problems {
		problems[j] = planner.Problem{Path: path, Message: fmt.Sprintf("variant %q gives an invalid scenario: %s", name, p)}
	}
	return &planner.ValidationError{Problems: problems}
}

func outcome(p *planner.Plan) Outcome {
	return Outcome{Summary: p.Summary, Flags: p.Flags}
}
