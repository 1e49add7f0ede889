package form

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/rickb777/date/v2"

	"grantplan/locale"
	"grantplan/planner"
	"grantplan/whatif"
)

// The what-if of a planning session (the web pages) re-plans the stored scenario with a
// few assumptions changed, without saving anything: the controls are a
// GET form, so a what-if is a link one can bookmark or send. Only "save as
// new scenario" is a POST. The rules are in docs/web.md.

// Limits of the what-if controls.
const (
	minRecruitingPercent = -100
	maxRecruitingPercent = 500
	maxWhatIfCapacity    = 1000
)

// WhatIfControls are the what-if form's fields, as the user gave them (or
// the scenario's own values), with an error beside each that is wrong.
type WhatIfControls struct {
	Start           string
	Ends            []WhatIfEnd
	Parallel        bool
	HasDependencies bool
	HRCapacity      string
	Recruiting      string
	Permanent       bool
	Raise           string // the pay rise in percent, "" for none
	RaiseFrom       string // the day it takes effect
	Errors          map[string]string
	General         []string
}

// WhatIfEnd is the control for one funding source's end.
type WhatIfEnd struct {
	Field, ID, Name, End string
}

// NewWhatIfControls fills the controls with the scenario's own values.
func NewWhatIfControls(body []byte, l locale.Lang) *WhatIfControls {
	o, err := planner.ParseObject(body)
	if err != nil {
		return nil
	}
	w := &WhatIfControls{Start: o.Text("start"), HRCapacity: "0", Recruiting: "0", RaiseFrom: o.Text("start"), Errors: map[string]string{}}
	if raw := o.Get("hr_capacity"); raw != nil {
		w.HRCapacity = string(raw)
	}
	for i, f := range o.Objects("funding") {
		w.Ends = append(w.Ends, WhatIfEnd{Field: "end" + strconv.Itoa(i), ID: f.Text("id"), Name: f.Text("name"), End: f.Text("end")})
	}
	for _, p := range o.Objects("positions") {
		if p.Get("after") != nil {
			w.HasDependencies = true
		}
	}
	return w
}

// A WhatIf is the variant the controls describe and, in words, what it
// changes.
type WhatIf struct {
	Variant whatif.Variant
	Changes []string
}

// ReadWhatIf reads the controls in values against the base scenario. It
// reports false, with the errors in the returned controls, when a control
// is wrong.
func ReadWhatIf(base []byte, values url.Values, l locale.Lang) (*WhatIf, *WhatIfControls, bool) {
	w := NewWhatIfControls(base, l)
	if w == nil {
		return nil, &WhatIfControls{Errors: map[string]string{}, General: []string{l.Text("page.whatif.unreadable")}}, false
	}
	v := &WhatIf{}
	var changes whatif.Changes
	if start := strings.TrimSpace(values.Get("start")); start != "" && start != w.Start {
		if d, err := locale.ParseDate(start); err != nil {
			w.Errors["start"] = l.Text("page.whatif.start_invalid")
		} else if d.String() != w.Start {
			v.Changes = append(v.Changes, l.Printf("page.whatif.start_changed", l.Date(d), dateOrRaw(l, w.Start)))
			changes.Start = d
		}
		w.Start = start
	}
	for i := range w.Ends {
		end := &w.Ends[i]
		given := strings.TrimSpace(values.Get(end.Field))
		if given == "" || given == end.End {
			continue
		}
		if d, err := locale.ParseDate(given); err != nil {
			w.Errors[end.Field] = l.Text("page.whatif.end_invalid")
		} else if d.String() != end.End {
			v.Changes = append(v.Changes, l.Printf("page.whatif.end_changed", end.Name, l.Date(d), dateOrRaw(l, end.End)))
			if changes.Ends == nil {
				changes.Ends = map[int]date.Date{}
			}
			changes.Ends[i] = d
		}
		end.End = given
	}
	if values.Get("parallel") != "" {
		w.Parallel = true
		changes.Parallel = true
		if w.HasDependencies {
			v.Changes = append(v.Changes, l.Text("page.whatif.parallel_changed"))
		}
	}
	if hr := strings.TrimSpace(values.Get("hr")); hr != "" && hr != w.HRCapacity {
		n, ok := WholeNumber(hr)
		if !ok || n < 0 || n > maxWhatIfCapacity {
			w.Errors["hr"] = l.Printf("page.whatif.hr_capacity_invalid", maxWhatIfCapacity)
		} else {
			if n == 0 {
				v.Changes = append(v.Changes, l.Text("page.whatif.hr_capacity_unlimited"))
			} else {
				v.Changes = append(v.Changes, l.Printf("page.whatif.hr_capacity_changed", n))
			}
			changes.HRCapacity = &n
		}
		w.HRCapacity = hr
	}
	if pct := strings.TrimSpace(values.Get("recruiting")); pct != "" && pct != "0" {
		n, ok := WholeNumber(strings.TrimSpace(strings.TrimSuffix(pct, "%")))
		if !ok || n < minRecruitingPercent || n > maxRecruitingPercent {
			w.Errors["recruiting"] = l.Printf("page.whatif.recruiting_invalid", minRecruitingPercent, maxRecruitingPercent)
		} else {
			changes.RecruitingPercent = n
			v.Changes = append(v.Changes, l.Printf("page.whatif.recruiting_changed", strconv.Itoa(100+n)))
		}
		w.Recruiting = pct
	}
	if values.Get("permanent") != "" {
		w.Permanent = true
		changes.Permanent = true
		v.Changes = append(v.Changes, l.Text("page.whatif.permanent_changed"))
	}
	if rise, ok := readPayRise(w, values, l); ok && rise != nil {
		changes.PayRise = rise
		v.Changes = append(v.Changes, l.Printf("page.whatif.raise_changed", l.Number(percentDecimal(rise.Percent)), l.Date(rise.From)))
	}
	if len(w.Errors) > 0 {
		return nil, w, false
	}
	variant, err := changes.Variant("what-if", base)
	if err != nil {
		w.General = append(w.General, err.Error())
		return nil, w, false
	}
	v.Variant = variant
	return v, w, true
}

// readPayRise reads the pay rise controls: a percentage, written as the
// page's language writes numbers (1,8 in German) or as a browser sends
// them, and the day it takes effect (31.12.2022 or ISO). No percentage,
// or 0, is no rise. It reports false, with the errors in w, when a control
// is wrong; the planner checks the percentage's range and places.
func readPayRise(w *WhatIfControls, values url.Values, l locale.Lang) (*whatif.PayRise, bool) {
	if from := strings.TrimSpace(values.Get("raise_from")); from != "" {
		w.RaiseFrom = from
	}
	text := strings.TrimSpace(values.Get("raise"))
	w.Raise = text
	if text == "" {
		return nil, true
	}
	number, err := l.ParseNumber(strings.TrimSpace(strings.TrimSuffix(text, "%")))
	if err != nil {
		w.Errors["raise"] = l.Text("page.whatif.raise_invalid")
		return nil, false
	}
	if strings.Trim(number, "-0.") == "" {
		return nil, true // 0 %: no rise
	}
	from, err := locale.ParseDate(w.RaiseFrom)
	if err != nil {
		w.Errors["raise_from"] = l.Text("page.whatif.raise_from_invalid")
		return nil, false
	}
	return &whatif.PayRise{From: from, Percent: json.Number(number)}, true
}

// percentDecimal is a percentage's canonical text as a Decimal, for
// writing it in the page's language.
func percentDecimal(n json.Number) planner.Decimal {
	whole, fraction, _ := strings.Cut(string(n), ".")
	units, _ := strconv.ParseInt(whole+fraction, 10, 64)
	return planner.Decimal{Units: units, Places: uint8(len(fraction))}
}

// WholeNumber reads a whole number from a number control, which a browser
// sends plain ("1500", "-20"), by locale.ParseNumber's rule in English, so
// that a hand-typed "+20" or "1,500" reads too.
func WholeNumber(text string) (int, bool) {
	n, err := locale.English.ParseNumber(text)
	if err != nil {
		return 0, false
	}
	i, err := strconv.Atoi(n)
	return i, err == nil
}

func dateOrRaw(l locale.Lang, s string) string {
	if d, err := planner.ParseDate(s); err == nil {
		return l.Date(d)
	}
	return s
}

// fundingEndPath is the path of a funding source's end, whose problems
// the what-if shows beside that source's control.
var fundingEndPath = regexp.MustCompile(`^funding\[(\d+)\]\.end$`)

// whatIfControlNames are the query parameters of the what-if form.
var whatIfControlNames = regexp.MustCompile(`^(start|end[0-9]+|parallel|hr|recruiting|permanent|raise|raise_from)$`)

// IsWhatIfControl reports whether a query parameter is one of the what-if
// form's.
func IsWhatIfControl(name string) bool { return whatIfControlNames.MatchString(name) }

// Place puts the variant's problems beside the controls
// that cause them.
func (w *WhatIfControls) Place(v *planner.ValidationError, l locale.Lang) {
	for _, p := range v.Problems {
		message := l.Problem(p)
		switch {
		case p.Path == "start":
			w.Errors["start"] = message
		case p.Path == "hr_capacity":
			w.Errors["hr"] = message
		case fundingEndPath.MatchString(p.Path):
			w.Errors["end"+fundingEndPath.FindStringSubmatch(p.Path)[1]] = message
		case strings.HasSuffix(p.Path, "recruiting") || strings.Contains(p.Path, "recruiting."):
			w.Errors["recruiting"] = message
		case strings.HasPrefix(p.Path, "pay_raises[") && strings.HasSuffix(p.Path, ".percent"):
			w.Errors["raise"] = message
		case strings.HasPrefix(p.Path, "pay_raises"):
			w.Errors["raise_from"] = message
		default:
			w.General = append(w.General, l.Printf("page.whatif.invalid", p.Path+": "+message))
		}
	}
}
