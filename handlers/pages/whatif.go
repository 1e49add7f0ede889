package pages

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"grantplan/form"
	"grantplan/handlers/view"
	"grantplan/handlers/web"
	"grantplan/planner"
	"grantplan/service"
)

// The what-if page is a GET form, so that a what-if is a link one can
// bookmark or send; only "save as new scenario" is a POST. Its controls
// and how they become a whatif.Variant are form.WhatIfControls'
// (docs/web.md).

// whatIfPage is /scenarios/{id}/whatif: the plan before and after.
type whatIfPage struct {
	web.Frame
	ID, Name      string
	Controls      *form.WhatIfControls
	Changes       []string
	KPIs          view.KPITable
	Before, After *view.Charts
	Hidden        []hiddenField
	SaveName      string
	SaveError     string
}

type hiddenField struct{ Name, Value string }

// WhatIf answers GET /scenarios/{id}/whatif: the scenario planned as
// stored and with the controls' changes, side by side.
func (a *Handlers) WhatIf(c *gin.Context) {
	a.renderWhatIf(c, c.Request.URL.Query(), "", "", http.StatusOK)
}

// SaveWhatIf answers POST /scenarios/{id}/whatif: the variant the
// controls describe, stored as a new scenario.
func (a *Handlers) SaveWhatIf(c *gin.Context) {
	l := web.Lang(c)
	_ = c.Request.ParseForm()
	values := c.Request.PostForm
	name := strings.TrimSpace(values.Get("name"))
	if !service.ValidName(name) {
		a.renderWhatIf(c, values, name, l.Text("page.list.name_needed"), http.StatusUnprocessableEntity)
		return
	}
	sc, err := a.Service.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.Fail(c, err)
		return
	}
	v, _, ok := form.ReadWhatIf(sc.Body, values, l)
	if !ok {
		a.renderWhatIf(c, values, name, "", http.StatusUnprocessableEntity)
		return
	}
	description := ""
	if len(v.Changes) > 0 {
		description = l.Printf("page.whatif.description", sc.Name, sc.Revision, strings.Join(v.Changes, " "))
	}
	created, err := a.Service.CreateVariant(c.Request.Context(), service.Stored(sc.ID, sc.Revision), v.Variant, name, description)
	if planner.KindOf(err) == planner.KindInvalid {
		a.renderWhatIf(c, values, name, "", http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		a.Fail(c, err)
		return
	}
	web.SeeOther(c, "/scenarios/"+created.ID)
}

func (a *Handlers) renderWhatIf(c *gin.Context, values url.Values, saveName, saveError string, status int) {
	l := web.Lang(c)
	ctx := c.Request.Context()
	sc, err := a.Service.Get(ctx, c.Param("id"))
	if err != nil {
		a.Fail(c, err)
		return
	}
	p := &whatIfPage{ID: sc.ID, Name: sc.Name, SaveName: saveName, SaveError: saveError}
	p.Title = l.Printf("page.whatif.title", sc.Name)
	if p.SaveName == "" {
		p.SaveName = view.Truncate(l.Printf("page.whatif.default_name", sc.Name), service.MaxNameLength)
	}
	base := service.Stored(sc.ID, sc.Revision)
	v, controls, ok := form.ReadWhatIf(sc.Body, values, l)
	p.Controls = controls
	var cmp *service.Comparison
	if ok {
		p.Changes = v.Changes
		if cmp, err = a.Service.Compare(ctx, base, v.Variant); err != nil {
			a.Fail(c, err)
			return
		}
		if cmp.Invalid != nil {
			controls.Place(cmp.Invalid, l)
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
			planned, err := a.Service.Plan(ctx, base, service.PlanOptions{})
			if err != nil {
				a.Fail(c, err)
				return
			}
			plan = planned.Plan
		}
		p.Before = view.NewCharts(plan, l, "g0-", view.NewAxis(l, plan))
		p.KPIs = view.NewKPITable(l, l.Text("term.key_figures"), []string{l.Text("page.whatif.as_stored")}, []*planner.Plan{plan}, nil)
		a.Render(c, status, "whatif", p)
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
		if form.IsWhatIfControl(key) && len(vs) > 0 {
			p.Hidden = append(p.Hidden, hiddenField{Name: key, Value: vs[0]})
		}
	}
	slices.SortFunc(p.Hidden, func(a, b hiddenField) int { return strings.Compare(a.Name, b.Name) })
	a.Render(c, status, "whatif", p)
}

// comparePage is /compare: stored scenarios side by side.
type comparePage struct {
	web.Frame
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
	l := web.Lang(c)
	ctx := c.Request.Context()
	ids := c.QueryArray("id")
	p := &comparePage{}
	p.Title = l.Text("page.compare.title")
	list, err := a.Service.List(ctx)
	if err != nil {
		a.Fail(c, err)
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
		a.Render(c, http.StatusOK, "compare", p)
		return
	case len(unique) > maxCompared:
		p.Message = l.Printf("page.compare.too_many", maxCompared)
		a.Render(c, http.StatusUnprocessableEntity, "compare", p)
		return
	}
	plans := make([]*planner.Plan, len(unique))
	names := make([]string, len(unique))
	for i, id := range unique {
		planned, err := a.Service.Plan(ctx, service.Stored(id, 0), service.PlanOptions{})
		if err != nil {
			var v *planner.ValidationError
			if errors.As(err, &v) {
				name := id
				if sc, err := a.Service.Get(ctx, id); err == nil {
					name = sc.Name
				}
				a.ErrorPage(c, http.StatusUnprocessableEntity, l.Printf("page.compare.cannot_plan", name, l.Problems(v)[0]))
				return
			}
			a.Fail(c, err)
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
	a.Render(c, http.StatusOK, "compare", p)
}
