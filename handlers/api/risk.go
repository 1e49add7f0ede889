package api

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"grantplan/planner"
	"grantplan/service"
)

// Risk answers POST /api/v1/risk: {"scenario" or "scenario_id", "trials",
// "seed", "confidence", "spread"} → the risk run (docs/risk.md), with the
// latest decision date at the confidence (default 0.8).
func (a *Handlers) Risk(c *gin.Context) {
	body, err := readJSON(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	var ps problemList
	members, ok := ps.object("$", body, "scenario", "scenario_id", "trials", "seed", "confidence", "spread")
	if !ok {
		a.Fail(c, malformedOr(body, ps.err()))
		return
	}
	scenario, id := decodeBase(&ps, members)
	opts := decodeRiskOptions(&ps, members)
	if err := ps.err(); err != nil {
		a.Fail(c, err)
		return
	}
	risk, err := a.service.Risk(c.Request.Context(), source(scenario, id), opts)
	// The scenario's problems are at paths inside it; a run too big for
	// the server is at the request's trials.
	var invalid *planner.ValidationError
	var budget *service.BudgetError
	if id == "" && !errors.As(err, &budget) && errors.As(err, &invalid) {
		err = invalid.Prefixed("scenario")
	}
	if err != nil {
		a.Fail(c, err)
		return
	}
	a.writeJSON(c, http.StatusOK, risk)
}

// RiskStored answers GET /api/v1/scenarios/{id}/risk[?trials=&seed=
// &confidence=&spread=] for the scenario's current revision.
func (a *Handlers) RiskStored(c *gin.Context) {
	opts, err := queryRiskOptions(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	risk, err := a.service.Risk(c.Request.Context(), service.Stored(c.Param("id"), 0), opts)
	if err != nil {
		a.Fail(c, err)
		return
	}
	a.writeJSON(c, http.StatusOK, risk)
}

// queryRiskOptions reads a risk run's options from the query string:
// trials, seed, confidence (default 0.8) and spread in its text form. Each
// bad one is a problem at its name (422).
func queryRiskOptions(c *gin.Context) (planner.RiskOptions, error) {
	var ps problemList
	opts := planner.DefaultRiskOptions()
	query := c.Request.URL.Query()
	for _, name := range []string{"trials", "seed", "confidence", "spread"} {
		values, given := query[name]
		if !given {
			continue
		}
		value := values[len(values)-1]
		var err error
		switch name {
		case "trials":
			opts.Trials, err = strconv.Atoi(value)
		case "seed":
			opts.Seed, err = strconv.ParseUint(value, 10, 64)
		case "confidence":
			opts.Confidence, err = strconv.ParseFloat(value, 64)
		case "spread":
			opts.Spread, err = planner.ParseSpread(value)
		}
		if err != nil {
			ps.add(name, "%q is not a valid %s", value, name)
		}
	}
	if err := ps.err(); err != nil {
		return opts, err
	}
	return opts, opts.Validate()
}

// decodeRiskOptions decodes the options of a risk request, adding their
// problems to ps; planner.RiskOptions.Validate checks the ranges.
func decodeRiskOptions(ps *problemList, members map[string]json.RawMessage) planner.RiskOptions {
	opts := planner.DefaultRiskOptions()
	if raw, given := members["trials"]; given {
		if n, ok := wholeNumber(ps, "trials", raw); ok {
			opts.Trials = int(max(-1, min(n, planner.MaxTrials+1)))
			if n < -1 || n > planner.MaxTrials+1 {
				// Out of range either way; say so with the number given.
				ps.add("trials", "%d is out of range: a risk run has 1 to %d trials", n, planner.MaxTrials)
				opts.Trials = planner.DefaultTrials
			}
		}
	}
	if raw, given := members["seed"]; given {
		if n, ok := wholeNumber(ps, "seed", raw); ok {
			if n < 0 {
				ps.add("seed", "%d is out of range: a seed is a whole number from 0 to %d", n, uint64(planner.MaxSeed))
			} else {
				opts.Seed = uint64(n)
			}
		}
	}
	if raw, given := members["confidence"]; given {
		if kindOf(raw) != "a number" || json.Unmarshal(raw, &opts.Confidence) != nil {
			ps.add("confidence", "want a number between 0 and 1, got %s", kindOf(raw))
		}
	}
	if raw, given := members["spread"]; given {
		opts.Spread = decodeSpread(ps, raw)
	}
	if err := opts.Validate(); err != nil {
		var invalid *planner.ValidationError
		if errors.As(err, &invalid) {
			ps.problems = append(ps.problems, invalid.Problems...)
		}
	}
	// The problems found here and by Validate, in the request's order.
	order := []string{"scenario", "scenario_id", "trials", "seed", "confidence", "spread"}
	slices.SortStableFunc(ps.problems, func(a, b planner.Problem) int {
		field := func(p planner.Problem) int {
			top, _, _ := strings.Cut(p.Path, ".")
			return slices.Index(order, top) // unknown fields (-1) first, as reported
		}
		return cmp.Compare(field(a), field(b))
	})
	return opts
}

// decodeSpread decodes {"recruiting": {"min", "max"}, …}; where it finds a
// problem it reports it and returns no spread, so that Validate does not
// report the same factor again.
func decodeSpread(ps *problemList, raw json.RawMessage) planner.Spread {
	var spread planner.Spread
	before := len(ps.problems)
	phases, ok := ps.object("spread", raw, "recruiting", "notice", "onboarding")
	for phase, name := range []string{"recruiting", "notice", "onboarding"} {
		raw, given := phases[name]
		if !ok || !given {
			continue
		}
		path := "spread." + name
		factors, ok := ps.object(path, raw, "min", "max")
		if !ok {
			continue
		}
		r := new(planner.SpreadRange)
		spread[phase] = r
		for _, f := range []struct {
			key, what string
			target    *float64
		}{{"min", "shortest", &r.Min}, {"max", "longest", &r.Max}} {
			raw, given := factors[f.key]
			if !given {
				ps.add(path+"."+f.key, "required: the factor for the %s time", f.what)
			} else if kindOf(raw) != "a number" || json.Unmarshal(raw, f.target) != nil {
				ps.add(path+"."+f.key, "want a number, got %s", kindOf(raw))
			}
		}
	}
	if len(ps.problems) > before {
		return planner.Spread{}
	}
	return spread
}

// wholeNumber decodes a JSON integer; a fraction, a string or a number
// beyond int64 is a problem at path.
func wholeNumber(ps *problemList, path string, raw json.RawMessage) (int64, bool) {
	var n json.Number
	if kindOf(raw) != "a number" || json.Unmarshal(raw, &n) != nil {
		ps.add(path, "want a whole number, got %s", kindOf(raw))
		return 0, false
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		ps.add(path, "want a whole number written without fraction or exponent, got %s", fmt.Sprint(n))
		return 0, false
	}
	return i, true
}
