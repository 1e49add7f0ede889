package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"grantplan/planner"
	"grantplan/store"
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
	Errors          map[string]string
	General         []string
}

// whatIfEnd is the control for one funding source's end.
type whatIfEnd struct {
	Field, ID, Name, End string
}

// newWhatIfControls fills the controls with the scenario's own values.
func newWhatIfControls(body []byte, l planner.Lang) *whatIfControls {
	o, err := parseObject(body)
	if err != nil {
		return nil
	}
	w := &whatIfControls{Start: o.text("start"), HRCapacity: "0", Recruiting: "0", Errors: map[string]string{}}
	if raw := o.get("hr_capacity"); raw != nil {
		w.HRCapacity = string(raw)
	}
	for i, f := range o.objects("funding") {
		w.Ends = append(w.Ends, whatIfEnd{Field: "end" + strconv.Itoa(i), ID: f.text("id"), Name: f.text("name"), End: f.text("end")})
	}
	for _, p := range o.objects("positions") {
		if p.get("after") != nil {
			w.HasDependencies = true
		}
	}
	return w
}

// A whatIf is a variant built from the controls: its body and, in words,
// what it changes.
type whatIf struct {
	body    []byte
	changes []string
}

// buildWhatIf applies the controls in values to the base scenario. It
// reports false, with the errors in the returned controls, when a control
// is wrong.
func buildWhatIf(base []byte, values url.Values, l planner.Lang) (*whatIf, *whatIfControls, bool) {
	w := newWhatIfControls(base, l)
	o, err := parseObject(base)
	if w == nil || err != nil {
		return nil, &whatIfControls{Errors: map[string]string{}, General: []string{tr(l, "The stored scenario cannot be read.")}}, false
	}
	v := &whatIf{}
	if start := strings.TrimSpace(values.Get("start")); start != "" && start != w.Start {
		if d, err := planner.ParseDate(start); err != nil {
			w.Errors["start"] = tr(l, "Give a date such as 2021-10-01.")
		} else {
			v.changes = append(v.changes, fmt.Sprintf(tr(l, "Decision on %s instead of %s."), l.Date(d), dateOrRaw(l, w.Start)))
			o.setString("start", d.String())
		}
		w.Start = start
	}
	funding := o.objects("funding")
	for i := range w.Ends {
		end := &w.Ends[i]
		given := strings.TrimSpace(values.Get(end.Field))
		if given == "" || given == end.End {
			continue
		}
		if d, err := planner.ParseDate(given); err != nil {
			w.Errors[end.Field] = tr(l, "Give a date such as 2023-12-31.")
		} else {
			v.changes = append(v.changes, fmt.Sprintf(tr(l, "%s ends on %s instead of %s."), end.Name, l.Date(d), dateOrRaw(l, end.End)))
			funding[i].setString("end", d.String())
		}
		end.End = given
	}
	if values.Get("parallel") != "" {
		w.Parallel = true
		positions := o.objects("positions")
		for i := range positions {
			positions[i].remove("after")
		}
		if w.HasDependencies {
			v.changes = append(v.changes, tr(l, "All posts are hired at once: no post waits for another."))
		}
		setObjects(&o, "positions", positions)
	}
	if hr := strings.TrimSpace(values.Get("hr")); hr != "" && hr != w.HRCapacity {
		n, err := strconv.Atoi(hr)
		if err != nil || n < 0 || n > maxWhatIfCapacity {
			w.Errors["hr"] = fmt.Sprintf(tr(l, "Give a whole number from 0 (no limit) to %d."), maxWhatIfCapacity)
		} else {
			if n == 0 {
				v.changes = append(v.changes, tr(l, "HR runs any number of recruitments at once."))
			} else {
				v.changes = append(v.changes, fmt.Sprintf(tr(l, "HR runs at most %d recruitments at once."), n))
			}
			o.set("hr_capacity", json.RawMessage(strconv.Itoa(n)))
		}
		w.HRCapacity = hr
	}
	if pct := strings.TrimSpace(values.Get("recruiting")); pct != "" && pct != "0" {
		n, err := strconv.Atoi(strings.TrimPrefix(pct, "+"))
		if err != nil || n < minRecruitingPercent || n > maxRecruitingPercent {
			w.Errors["recruiting"] = fmt.Sprintf(tr(l, "Give a whole number of percent from %d to +%d."), minRecruitingPercent, maxRecruitingPercent)
		} else {
			scaleRecruiting(&o, n)
			v.changes = append(v.changes, fmt.Sprintf(tr(l, "Every recruiting time is %s %% of what it was."), strconv.Itoa(100+n)))
		}
		w.Recruiting = pct
	}
	setObjects(&o, "funding", funding)
	if len(w.Errors) > 0 {
		return nil, w, false
	}
	body, err := o.MarshalJSON()
	if err != nil {
		w.General = append(w.General, err.Error())
		return nil, w, false
	}
	v.body = body
	return v, w, true
}

func dateOrRaw(l planner.Lang, s string) string {
	if d, err := planner.ParseDate(s); err == nil {
		return l.Date(d)
	}
	return s
}

// setObjects replaces member key with list, when o has that member.
func setObjects(o *jsonObject, key string, list []jsonObject) {
	if o.get(key) == nil {
		return
	}
	raw, err := objectArray(list)
	if err == nil {
		o.set(key, raw)
	}
}

// builtInRecruiting is the recruiting time where neither a post nor the
// defaults give one (SPEC §2).
const builtInRecruiting = "P3M"

// scaleRecruiting scales the defaults' and every post's recruiting time
// by (100 + percent) %, ranges in all three of their periods.
func scaleRecruiting(o *jsonObject, percent int) {
	defaults, _ := parseObject(o.get("defaults"))
	if o.get("defaults") == nil {
		defaults = jsonObject{}
	}
	if defaults.get("recruiting") == nil {
		defaults.setString("recruiting", builtInRecruiting)
	}
	defaults.set("recruiting", scaleSpan(defaults.get("recruiting"), percent))
	if raw, err := defaults.MarshalJSON(); err == nil {
		o.set("defaults", raw)
	}
	positions := o.objects("positions")
	for i := range positions {
		if raw := positions[i].get("recruiting"); raw != nil {
			positions[i].set("recruiting", scaleSpan(raw, percent))
		}
	}
	setObjects(o, "positions", positions)
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
		out, _ := json.Marshal(scalePeriod(p, percent).String())
		return out
	}
	r, err := parseObject(raw)
	if err != nil {
		return raw
	}
	for _, key := range []string{"min", "likely", "max"} {
		if v := r.get(key); v != nil {
			r.set(key, scaleSpan(v, percent))
		}
	}
	out, err := r.MarshalJSON()
	if err != nil {
		return raw
	}
	return out
}

// scalePeriod returns p × (100 + percent) / 100 by the rule of
// docs/web.md: the months (12 a year) scale as months, and the part of a
// month that results becomes days at 30 days a month; the days (7 a week)
// scale as days; each rounded half up to a whole day. Whole months stay
// calendar months, so P4M +50 % is P6M, and P3M −50 % is P1M15D.
func scalePeriod(p planner.Period, percent int) planner.Period {
	factor := 100 + percent
	months := (12*p.Years + p.Months) * factor // in hundredths of a month
	days := (7*p.Weeks + p.Days) * factor      // in hundredths of a day
	wholeMonths := months / 100
	extraDays := (months%100*30 + 50) / 100
	out := planner.Period{Months: wholeMonths % 12, Years: wholeMonths / 12, Days: extraDays + (days+50)/100}
	return out
}

// whatIfPage is /scenarios/{id}/whatif: the plan before and after.
type whatIfPage struct {
	pageBase
	ID, Name      string
	Controls      *whatIfControls
	Changes       []string
	KPIs          kpiTable
	Before, After *charts
	Hidden        []hiddenField
	SaveName      string
	SaveError     string
}

type hiddenField struct{ Name, Value string }

// whatIfControlNames are the query parameters of the what-if form.
var whatIfControlNames = regexp.MustCompile(`^(start|end[0-9]+|parallel|hr|recruiting)$`)

// showWhatIf answers GET /scenarios/{id}/whatif: the scenario planned as
// stored and with the controls' changes, side by side.
func (a *api) showWhatIf(c *gin.Context) {
	a.renderWhatIf(c, c.Request.URL.Query(), "", "", http.StatusOK)
}

// saveWhatIf answers POST /scenarios/{id}/whatif: the variant the
// controls describe, stored as a new scenario.
func (a *api) saveWhatIf(c *gin.Context) {
	l := pageLang(c)
	_ = c.Request.ParseForm()
	values := c.Request.PostForm
	name := strings.TrimSpace(values.Get("name"))
	if name == "" || len([]rune(name)) > 200 {
		a.renderWhatIf(c, values, name, tr(l, "Give the new scenario a name of 1 to 200 characters."), http.StatusUnprocessableEntity)
		return
	}
	sc, err := a.scenarios.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.pageFail(c, err)
		return
	}
	v, _, ok := buildWhatIf(sc.Body, values, l)
	if !ok {
		a.renderWhatIf(c, values, name, "", http.StatusUnprocessableEntity)
		return
	}
	body, err := renamed(v.body, name)
	if err == nil {
		_, err = planner.Decode(body)
	}
	if err != nil {
		a.renderWhatIf(c, values, name, "", http.StatusUnprocessableEntity)
		return
	}
	created, err := a.scenarios.CreateUnique(c.Request.Context(), slug(name), name, body)
	if err != nil {
		a.pageFail(c, err)
		return
	}
	seeOther(c, "/scenarios/"+created.ID)
}

func (a *api) renderWhatIf(c *gin.Context, values url.Values, saveName, saveError string, status int) {
	l := pageLang(c)
	ctx := c.Request.Context()
	sc, err := a.scenarios.Get(ctx, c.Param("id"))
	if err != nil {
		a.pageFail(c, err)
		return
	}
	p := &whatIfPage{ID: sc.ID, Name: sc.Name, SaveName: saveName, SaveError: saveError}
	p.Title = fmt.Sprintf(tr(l, "What if: %s"), sc.Name)
	if p.SaveName == "" {
		p.SaveName = truncateRunes(fmt.Sprintf(tr(l, "%s (what-if)"), sc.Name), 200)
	}
	v, controls, ok := buildWhatIf(sc.Body, values, l)
	p.Controls = controls
	var plans [2]*planner.Plan
	var errs [2]error
	if ok {
		p.Changes = v.changes
		var wg sync.WaitGroup
		for i, body := range [][]byte{sc.Body, v.body} {
			wg.Go(func() { plans[i], errs[i] = a.planScenario(ctx, body) })
		}
		wg.Wait()
		if errs[0] != nil {
			a.pageFail(c, errs[0])
			return
		}
		var invalid *planner.ValidationError
		if errors.As(errs[1], &invalid) {
			placeWhatIfProblems(controls, invalid, l)
			ok = false
		} else if errs[1] != nil {
			a.pageFail(c, errs[1])
			return
		}
	}
	if !ok {
		if status == http.StatusOK {
			status = http.StatusUnprocessableEntity
		}
		base, err := a.planScenario(ctx, sc.Body)
		if err != nil {
			a.pageFail(c, err)
			return
		}
		from, to := planSpan(base)
		p.Before = newCharts(base, l, "g0-", from, to)
		p.KPIs = newKPITable(l, tr(l, "Key figures"), []string{tr(l, "As stored")}, []*planner.Plan{base}, false)
		a.render(c, status, "whatif", p)
		return
	}
	from1, to1 := planSpan(plans[0])
	from2, to2 := planSpan(plans[1])
	from, to := min(from1, from2), max(to1, to2)
	p.Before = newCharts(plans[0], l, "g0-", from, to)
	p.After = newCharts(plans[1], l, "g1-", from, to)
	p.KPIs = newKPITable(l, tr(l, "Key figures before and after"), []string{tr(l, "As stored"), tr(l, "What-if")}, plans[:], true)
	if len(p.Changes) == 0 {
		p.Changes = []string{tr(l, "Nothing is changed yet: set the controls and press Re-plan.")}
	}
	for key, vs := range values {
		if whatIfControlNames.MatchString(key) && len(vs) > 0 {
			p.Hidden = append(p.Hidden, hiddenField{Name: key, Value: vs[0]})
		}
	}
	sortHidden(p.Hidden)
	a.render(c, status, "whatif", p)
}

func sortHidden(h []hiddenField) {
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && h[j].Name < h[j-1].Name; j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
}

// placeWhatIfProblems puts the variant's problems beside the controls
// that cause them.
func placeWhatIfProblems(w *whatIfControls, v *planner.ValidationError, l planner.Lang) {
	fundingEnd := regexp.MustCompile(`^funding\[(\d+)\]\.end$`)
	for _, p := range v.Problems {
		switch {
		case p.Path == "start":
			w.Errors["start"] = p.Message
		case p.Path == "hr_capacity":
			w.Errors["hr"] = p.Message
		case fundingEnd.MatchString(p.Path):
			w.Errors["end"+fundingEnd.FindStringSubmatch(p.Path)[1]] = p.Message
		case strings.HasSuffix(p.Path, "recruiting") || strings.Contains(p.Path, "recruiting."):
			w.Errors["recruiting"] = p.Message
		default:
			w.General = append(w.General, fmt.Sprintf(tr(l, "The changed scenario is invalid: %s"), p))
		}
	}
}

// comparePage is /compare: stored scenarios side by side.
type comparePage struct {
	pageBase
	Choices []compareChoice
	KPIs    *kpiTable
	Charts  []*namedCharts
	Message string
}

type compareChoice struct {
	ID, Name string
	Checked  bool
}

type namedCharts struct {
	ID, Name string
	Plan     *charts
}

// maxCompared bounds how many scenarios one comparison shows.
const maxCompared = 6

// showCompare answers GET /compare?id=a&id=b…
func (a *api) showCompare(c *gin.Context) {
	l := pageLang(c)
	ctx := c.Request.Context()
	ids := c.QueryArray("id")
	p := &comparePage{}
	p.Title = tr(l, "Compare scenarios")
	list, _, err := a.scenarios.List(ctx, store.ListOptions{})
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
		p.Message = tr(l, "Choose two or more scenarios to compare.")
		a.render(c, http.StatusOK, "compare", p)
		return
	case len(unique) > maxCompared:
		p.Message = fmt.Sprintf(tr(l, "Choose at most %d scenarios."), maxCompared)
		a.render(c, http.StatusUnprocessableEntity, "compare", p)
		return
	}
	plans := make([]*planner.Plan, len(unique))
	names := make([]string, len(unique))
	for i, id := range unique {
		sc, err := a.scenarios.Get(ctx, id)
		if err != nil {
			a.pageFail(c, err)
			return
		}
		plan, err := a.planScenario(ctx, sc.Body)
		if err != nil {
			var v *planner.ValidationError
			if errors.As(err, &v) {
				a.errorPage(c, http.StatusUnprocessableEntity, fmt.Sprintf(tr(l, "%s cannot be planned: %s"), sc.Name, v.Problems[0]))
				return
			}
			a.pageFail(c, err)
			return
		}
		plans[i], names[i] = plan, sc.Name
	}
	from, to := planSpan(plans[0])
	for _, plan := range plans[1:] {
		f, t := planSpan(plan)
		from, to = min(from, f), max(to, t)
	}
	table := newKPITable(l, tr(l, "Key figures"), names, plans, false)
	p.KPIs = &table
	for i, plan := range plans {
		p.Charts = append(p.Charts, &namedCharts{ID: unique[i], Name: names[i], Plan: newCharts(plan, l, fmt.Sprintf("g%d-", i), from, to)})
	}
	a.render(c, http.StatusOK, "compare", p)
}
