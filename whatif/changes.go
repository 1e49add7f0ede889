package whatif

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/rickb777/date/v2"

	"grantplan/planner"
)

// Changes are the common what-ifs of a planning session as values; the
// web page's controls set them (docs/web.md, What-if). Variant turns them
// into a variant of a scenario.
type Changes struct {
	// Start, unless zero, is the decision date: the scenario's start.
	Start date.Date
	// Ends holds new funding ends by the index of their funding source.
	Ends map[int]date.Date
	// Parallel removes every post's dependencies, so that all are hired
	// at once.
	Parallel bool
	// HRCapacity, when given, is the HR capacity (0: no limit).
	HRCapacity *int
	// RecruitingPercent, unless 0, scales every recruiting period by
	// (100 + RecruitingPercent) % (ScalePeriod): the defaults' (the
	// built-in one if they give none) and each post's own, all three
	// periods of a range.
	RecruitingPercent int
	// Permanent makes every post permanent: employed from filled to the
	// horizon rather than to its funding end (docs/scenario.md, Cost, own
	// share and budget years), so that the plan shows the follow-on cost.
	Permanent bool
	// PayRise, when given, is one more raise of the pay scale.
	PayRise *PayRise
}

// A PayRise is a raise of the pay scale: from From on, every post's pay is
// Percent higher (docs/scenario.md, Cost, own share and budget years).
type PayRise struct {
	From date.Date
	// Percent is a JSON number, so that it stays exact; the planner checks
	// its range and its places.
	Percent json.Number
}

// builtInRecruiting is the recruiting time where neither a post nor the
// defaults give one (docs/scenario.md).
const builtInRecruiting = "P3M"

// Variant returns the variant named name that makes the changes to base,
// a scenario's JSON, as an RFC 6902 JSON Patch. Only the members the
// changes touch are written; the rest of base stays as it was.
func (c Changes) Variant(name string, base []byte) (Variant, error) {
	o, err := planner.ParseObject(base)
	if err != nil {
		return Variant{}, fmt.Errorf("whatif: %w", err)
	}
	var ops []patchOp
	add := func(path string, value any) {
		raw, _ := json.Marshal(value) // strings, numbers and raw JSON
		ops = append(ops, patchOp{Op: "add", Path: path, Value: raw})
	}
	if c.Start != 0 {
		add("/start", c.Start.String())
	}
	for _, i := range slices.Sorted(maps.Keys(c.Ends)) {
		add(fmt.Sprintf("/funding/%d/end", i), c.Ends[i].String())
	}
	positions := o.Objects("positions")
	if c.Parallel {
		for i, p := range positions {
			if p.Has("after") {
				ops = append(ops, patchOp{Op: "remove", Path: fmt.Sprintf("/positions/%d/after", i)})
			}
		}
	}
	if c.HRCapacity != nil {
		add("/hr_capacity", *c.HRCapacity)
	}
	defaults, err := planner.ParseObject(o.Get("defaults"))
	if err != nil && (c.RecruitingPercent != 0 || c.Permanent) {
		// No defaults (or none that can be read): new ones, for the
		// changes below to fill.
		add("/defaults", map[string]json.RawMessage{})
		defaults = planner.Object{}
	}
	if percent := c.RecruitingPercent; percent != 0 {
		// Where the defaults give no recruiting time, the built-in one is
		// scaled.
		recruiting := json.RawMessage(`"` + builtInRecruiting + `"`)
		if raw := defaults.Get("recruiting"); raw != nil {
			recruiting = raw
		}
		add("/defaults/recruiting", scaleSpan(recruiting, percent))
		for i, p := range positions {
			if raw := p.Get("recruiting"); raw != nil {
				add(fmt.Sprintf("/positions/%d/recruiting", i), scaleSpan(raw, percent))
			}
		}
	}
	if c.Permanent {
		add("/defaults/employment", planner.Permanent.String())
		for i, p := range positions {
			if p.Has("employment") {
				add(fmt.Sprintf("/positions/%d/employment", i), planner.Permanent.String())
			}
		}
	}
	if r := c.PayRise; r != nil {
		raise := map[string]any{"from": r.From.String(), "percent": r.Percent}
		var raises []json.RawMessage
		if json.Unmarshal(o.Get("pay_raises"), &raises) == nil && raises != nil {
			add("/pay_raises/-", raise)
		} else {
			add("/pay_raises", []any{raise})
		}
	}
	patch, err := json.Marshal(ops)
	if err != nil {
		return Variant{}, fmt.Errorf("whatif: %w", err)
	}
	return Variant{Name: name, Patch: patch}, nil
}

// patchOp is one operation of an RFC 6902 JSON Patch.
type patchOp struct {
	Op    string          `json:"op"`
	Path  string          `json:"path"`
	Value json.RawMessage `json:"value,omitempty"` // none for "remove"
}

// scaleSpan scales a period, or each period of a range, leaving anything
// it cannot read as it is (the planner then says what is wrong).
func scaleSpan(raw json.RawMessage, percent int) json.RawMessage {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		p, err := planner.ParsePeriod(s)
		if err != nil {
			return raw
		}
		out, _ := json.Marshal(ScalePeriod(p, percent).String())
		return out
	}
	r, err := planner.ParseObject(raw)
	if err != nil {
		return raw
	}
	for _, key := range []string{"min", "likely", "max"} {
		if v := r.Get(key); v != nil {
			r.Set(key, scaleSpan(v, percent))
		}
	}
	out, err := r.MarshalJSON()
	if err != nil {
		return raw
	}
	return out
}

// ScalePeriod returns p × (100 + percent) / 100 by the rule of
// docs/web.md: the months (12 a year) scale as months, and the part of a
// month that results becomes days at 30 days a month; the days (7 a week)
// scale as days; each rounded half up to a whole day. Whole months stay
// calendar months, so P4M +50 % is P6M, and P3M −50 % is P1M15D.
func ScalePeriod(p planner.Period, percent int) planner.Period {
	factor := 100 + percent
	months := (12*p.Years + p.Months) * factor // in hundredths of a month
	days := (7*p.Weeks + p.Days) * factor      // in hundredths of a day
	wholeMonths := months / 100
	extraDays := (months%100*30 + 50) / 100
	return planner.Period{Months: wholeMonths % 12, Years: wholeMonths / 12, Days: extraDays + (days+50)/100}
}
