package pages

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/rickb777/date/v2"

	"grantplan/handlers/view"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/service"
	"grantplan/whatif"
)

// The what-if of a planning session re-plans the stored scenario with a
// few assumptions changed, without saving anything: the controls are a
// GET form, so a what-if is a link one can bookmark or send. Only "save as
// new scenario" is a POST. The rules are in docs/web.md.

// Limits of the what-if controls.
const (
	minRecruitingPercent = -100
	maxRecruitingPercent = 500
	maxWhatIfCapacity    = 1000
)

// whatIfControls are the what-if form's fields, as the user gave them (or
// the scenario's own values), with an error beside each that is wrong.
type whatIfControls struct {
	Start           string
	Ends            []whatIfEnd
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

// whatIfEnd is the control for one funding source's end.
type whatIfEnd struct {
	Field, ID, Name, End string
}

// newWhatIfControls fills the controls with the scenario's own values.
func newWhatIfControls(body []byte, l locale.Lang) *whatIfControls {
	o, err := planner.ParseObject(body)
	if err != nil {
		return nil
	}
	w := &whatIfControls{Start: o.Text("start"), HRCapacity: "0", Recruiting: "0", RaiseFrom: o.Text("start"), Errors: map[string]string{}}
	if raw := o.Get("hr_capacity"); raw != nil {
		w.HRCapacity = string(raw)
	}
	for i, f := range o.Objects("funding") {
		w.Ends = append(w.Ends, whatIfEnd{Field: "end" + strconv.Itoa(i), ID: f.Text("id"), Name: f.Text("name"), End: f.Text("end")})
	}
	for _, p := range o.Objects("positions") {
		if p.Get("after") != nil {
			w.HasDependencies = true
		}
	}
	return w
}

// A whatIf is the variant the controls describe and, in words, what it
// changes.
type whatIf struct {
	variant whatif.Variant
	changes []string
}

// buildWhatIf reads the controls in values against the base scenario. It
// reports false, with the errors in the returned controls, when a control
// is wrong.
func buildWhatIf(base []byte, values url.Values, l locale.Lang) (*whatIf, *whatIfControls, bool) {
	w := newWhatIfControls(base, l)
	if w == nil {
		return nil, &whatIfControls{Errors: map[string]string{}, General: []string{l.Text("page.whatif.unreadable")}}, false
	}
	v := &whatIf{}
	var changes whatif.Changes
	if start := strings.TrimSpace(values.Get("start")); start != "" && start != w.Start {
		if d, err := locale.ParseDate(start); err != nil {
			w.Errors["start"] = l.Text("page.whatif.start_invalid")
		} else if d.String() != w.Start {
			v.changes = append(v.changes, l.Printf("page.whatif.start_changed", l.Date(d), dateOrRaw(l, w.Start)))
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
			v.changes = append(v.changes, l.Printf("page.whatif.end_changed", end.Name, l.Date(d), dateOrRaw(l, end.End)))
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
			v.changes = append(v.changes, l.Text("page.whatif.parallel_changed"))
		}
	}
	if hr := strings.TrimSpace(values.Get("hr")); hr != "" && hr != w.HRCapacity {
		n, ok := wholeNumber(hr)
		if !ok || n < 0 || n > maxWhatIfCapacity {
			w.Errors["hr"] = l.Printf("page.whatif.hr_capacity_invalid", maxWhatIfCapacity)
		} else {
			if n == 0 {
				v.changes = append(v.changes, l.Text("page.whatif.hr_capacity_unlimited"))
			} else {
				v.changes = append(v.changes, l.Printf("page.whatif.hr_capacity_changed", n))
			}
			changes.HRCapacity = &n
		}
		w.HRCapacity = hr
	}
	if pct := strings.TrimSpace(values.Get("recruiting")); pct != "" && pct != "0" {
		n, ok := wholeNumber(strings.TrimSpace(strings.TrimSuffix(pct, "%")))
		if !ok || n < minRecruitingPercent || n > maxRecruitingPercent {
			w.Errors["recruiting"] = l.Printf("page.whatif.recruiting_invalid", minRecruitingPercent, maxRecruitingPercent)
		} else {
			changes.RecruitingPercent = n
			v.changes = append(v.changes, l.Printf("page.whatif.recruiting_changed", strconv.Itoa(100+n)))
		}
		w.Recruiting = pct
	}
	if values.Get("permanent") != "" {
		w.Permanent = true
		changes.Permanent = true
		v.changes = append(v.changes, l.Text("page.whatif.permanent_changed"))
	}
	if rise, ok := readPayRise(w, values, l); ok && rise != nil {
		changes.PayRise = rise
		v.changes = append(v.changes, l.Printf("page.whatif.raise_changed", l.Number(percentDecimal(rise.Percent)), l.Date(rise.From)))
	}
	if len(w.Errors) > 0 {
		return nil, w, false
	}
	variant, err := changes.Variant("what-if", base)
	if err != nil {
		w.General = append(w.General, err.Error())
		return nil, w, false
	}
	v.variant = variant
	return v, w, true
}

// readPayRise reads the pay rise controls: a percentage, written as the
// page's language writes numbers (1,8 in German) or as a browser sends
// them, and the day it takes effect (31.12.2022 or ISO). No percentage,
// or 0, is no rise. It reports false, with the errors in w, when a control
// is wrong; the planner checks the percentage's range and places.
func readPayRise(w *whatIfControls, values url.Values, l locale.Lang) (*whatif.PayRise, bool) {
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

// wholeNumber reads a whole number from a number control, which a browser
// sends plain ("1500", "-20"), by locale.ParseNumber's rule in English, so
// that a hand-typed "+20" or "1,500" reads too.
func wholeNumber(text string) (int, bool) {
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

// whatIfPage is /scenarios/{id}/whatif: the plan before and after.
type whatIfPage struct {
	pageBase
	ID, Name      string
	Controls      *whatIfControls
	Changes       []string
	KPIs          view.KPITable
	Before, After *view.Charts
	Hidden        []hiddenField
	SaveName      string
	SaveError     string
}

type hiddenField struct{ Name, Value string }

// whatIfControlNames are the query parameters of the what-if form.
var whatIfControlNames = regexp.MustCompile(`^(start|end[0-9]+|parallel|hr|recruiting|permanent|raise|raise_from)$`)

// fundingEndPath is the path of a funding source's end, whose problems
// the what-if shows beside that source's control.
var fundingEndPath = regexp.MustCompile(`^funding\[(\d+)\]\.end$`)

// WhatIf answers GET /scenarios/{id}/whatif: the scenario planned as
// stored and with the controls' changes, side by side.
func (a *Handlers) WhatIf(c *gin.Context) {
	a.renderWhatIf(c, c.Request.URL.Query(), "", "", http.StatusOK)
}

// SaveWhatIf answers POST /scenarios/{id}/whatif: the variant the
// controls describe, stored as a new scenario.
func (a *Handlers) SaveWhatIf(c *gin.Context) {
	l := pageLang(c)
	_ = c.Request.ParseForm()
	values := c.Request.PostForm
	name := strings.TrimSpace(values.Get("name"))
	if !service.ValidName(name) {
		a.renderWhatIf(c, values, name, l.Text("page.list.name_needed"), http.StatusUnprocessableEntity)
		return
	}
	sc, err := a.service.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.pageFail(c, err)
		return
	}
	v, _, ok := buildWhatIf(sc.Body, values, l)
	if !ok {
		a.renderWhatIf(c, values, name, "", http.StatusUnprocessableEntity)
		return
	}
	description := ""
	if len(v.changes) > 0 {
		description = l.Printf("page.whatif.description", sc.Name, sc.Revision, strings.Join(v.changes, " "))
	}
	created, err := a.service.CreateVariant(c.Request.Context(), service.Stored(sc.ID, sc.Revision), v.variant, name, description)
	if planner.KindOf(err) == planner.KindInvalid {
		a.renderWhatIf(c, values, name, "", http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		a.pageFail(c, err)
		return
	}
	seeOther(c, "/scenarios/"+created.ID)
}

func (a *Handlers) renderWhatIf(c *gin.Context, values url.Values, saveName, saveError string, status int) {
	l := pageLang(c)
	ctx := c.Request.Context()
	sc, err := a.service.Get(ctx, c.Param("id"))
	if err != nil {
		a.pageFail(c, err)
		return
	}
	p := &whatIfPage{ID: sc.ID, Name: sc.Name, SaveName: saveName, SaveError: saveError}
	p.Title = l.Printf("page.whatif.title", sc.Name)
	if p.SaveName == "" {
		p.SaveName = view.Truncate(l.Printf("page.whatif.default_name", sc.Name), service.MaxNameLength)
	}
	base := service.Stored(sc.ID, sc.Revision)
	v, controls, ok := buildWhatIf(sc.Body, values, l)
	p.Controls = controls
	var cmp *service.Comparison
	if ok {
		p.Changes = v.changes
		if cmp, err = a.service.Compare(ctx, base, v.variant); err != nil {
			a.pageFail(c, err)
			return
		}
		if cmp.Invalid != nil {
			placeWhatIfProblems(controls, cmp.Invalid, l)
			ok = false
		}
	}
	if !ok {
		if status == http.StatusOK {
			status = http.StatusUnprocessableEntity
		}
		var plan *planner.Plan
		if cmp != nil {
			plan = cmp.Base.Plan
		} else {
			planned, err := a.service.Plan(ctx, base, service.PlanOptions{})
			if err != nil {
				a.pageFail(c, err)
				return
			}
			plan = planned.Plan
		}
		p.Before = view.NewCharts(plan, l, "g0-", view.NewAxis(l, plan))
		p.KPIs = view.NewKPITable(l, l.Text("term.key_figures"), []string{l.Text("page.whatif.as_stored")}, []*planner.Plan{plan}, nil)
		a.render(c, status, "whatif", p)
		return
	}
	before, after := cmp.Base.Plan, cmp.Variant.Plan
	axis := view.NewAxis(l, before, after)
	p.Before = view.NewCharts(before, l, "g0-", axis)
	p.After = view.NewCharts(after, l, "g1-", axis)
	p.KPIs = view.NewKPITable(l, l.Text("page.whatif.kpi_caption"), []string{l.Text("page.whatif.as_stored"), l.Text("page.whatif.column")}, []*planner.Plan{before, after}, &cmp.Delta)
	if len(p.Changes) == 0 {
		p.Changes = []string{l.Text("page.whatif.unchanged")}
	}
	for key, vs := range values {
		if whatIfControlNames.MatchString(key) && len(vs) > 0 {
			p.Hidden = append(p.Hidden, hiddenField{Name: key, Value: vs[0]})
		}
	}
	slices.SortFunc(p.Hidden, func(a, b hiddenField) int { return strings.Compare(a.Name, b.Name) })
	a.render(c, status, "whatif", p)
}

// placeWhatIfProblems puts the variant's problems beside the controls
// that cause them.
func placeWhatIfProblems(w *whatIfControls, v *planner.ValidationError, l locale.Lang) {
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

// comparePage is /compare: stored scenarios side by side.
type comparePage struct {
	pageBase
	Choices []compareChoice
	KPIs    *view.KPITable
	Charts  []*namedCharts
	Message string
}

type compareChoice struct {
	ID, Name string
	Checked  bool
}

type namedCharts struct {
	ID, Name string
	Plan     *view.Charts
}

// maxCompared bounds how many scenarios one comparison shows.
const maxCompared = 6

// Compare answers GET /compare?id=a&id=b…
func (a *Handlers) Compare(c *gin.Context) {
	l := pageLang(c)
	ctx := c.Request.Context()
	ids := c.QueryArray("id")
	p := &comparePage{}
	p.Title = l.Text("page.compare.title")
	list, err := a.service.List(ctx)
	if err != nil {
		a.pageFail(c, err)
		return
	}
	chosen := map[string]bool{}
	for _, id := range ids {
		chosen[id] = true
	}
	for _, sc := range list {
		p.Choices = append(p.Choices, compareChoice{ID: sc.ID, Name: sc.Name, Checked: chosen[sc.ID]})
	}
	var unique []string
	for _, id := range ids {
		if chosen[id] {
			unique = append(unique, id)
			chosen[id] = false
		}
	}
	switch {
	case len(unique) < 2:
		p.Message = l.Text("page.compare.too_few")
		a.render(c, http.StatusOK, "compare", p)
		return
	case len(unique) > maxCompared:
		p.Message = l.Printf("page.compare.too_many", maxCompared)
		a.render(c, http.StatusUnprocessableEntity, "compare", p)
		return
	}
	plans := make([]*planner.Plan, len(unique))
	names := make([]string, len(unique))
	for i, id := range unique {
		planned, err := a.service.Plan(ctx, service.Stored(id, 0), service.PlanOptions{})
		if err != nil {
			var v *planner.ValidationError
			if errors.As(err, &v) {
				name := id
				if sc, err := a.service.Get(ctx, id); err == nil {
					name = sc.Name
				}
				a.errorPage(c, http.StatusUnprocessableEntity, l.Printf("page.compare.cannot_plan", name, l.Problems(v)[0]))
				return
			}
			a.pageFail(c, err)
			return
		}
		plans[i], names[i] = planned.Plan, planned.Record.Name
	}
	axis := view.NewAxis(l, plans...)
	table := view.NewKPITable(l, l.Text("term.key_figures"), names, plans, nil)
	p.KPIs = &table
	for i, plan := range plans {
		p.Charts = append(p.Charts, &namedCharts{ID: unique[i], Name: names[i], Plan: view.NewCharts(plan, l, fmt.Sprintf("g%d-", i), axis)})
	}
	a.render(c, http.StatusOK, "compare", p)
}
