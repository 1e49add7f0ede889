package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/rickb777/date/v2"

	"grantplan/planner"
	"grantplan/store"
)

// listPage is the scenario list, /.
type listPage struct {
	pageBase
	Scenarios []listRow
	BlankName string
	Errors    []string // of the upload or the blank scenario
}

type listRow struct {
	ID, Name, Updated      string
	Revision               int
	Critical, Warnings     int
	Utilization, Unclaimed string
	Problem                string // why the scenario cannot be planned
}

// listPage answers GET /: every stored scenario with its key figures.
func (a *api) listPage(c *gin.Context) {
	a.renderList(c, http.StatusOK, &listPage{})
}

func (a *api) renderList(c *gin.Context, status int, p *listPage) {
	l := pageLang(c)
	ctx := c.Request.Context()
	list, _, err := a.scenarios.List(ctx, store.ListOptions{})
	if err != nil {
		a.pageFail(c, err)
		return
	}
	p.Title = tr(l, "Scenarios")
	p.Scenarios = make([]listRow, 0, len(list))
	for _, info := range list {
		row := listRow{ID: info.ID, Name: info.Name, Revision: info.Revision, Updated: localTime(l, info.Updated)}
		sc, err := a.scenarios.Get(ctx, info.ID)
		if planner.KindOf(err) == planner.KindNotFound {
			continue // deleted since the list was read
		}
		if err != nil {
			a.pageFail(c, err)
			return
		}
		plan, err := a.planScenario(ctx, sc.Body)
		if err != nil {
			if ctx.Err() != nil {
				a.pageFail(c, err)
				return
			}
			row.Problem = problemText(l, err)
		} else {
			row.Critical, row.Warnings = plan.Summary.Critical, plan.Summary.Warnings
			row.Utilization = percent(l, plan.Summary.Utilization)
			row.Unclaimed = l.Money(plan.Summary.Unclaimed)
		}
		p.Scenarios = append(p.Scenarios, row)
	}
	switch c.Query("deleted") {
	case "":
	default:
		p.Flash = fmt.Sprintf(tr(l, "Deleted %s."), c.Query("deleted"))
	}
	a.render(c, status, "list", p)
}

// problemText says briefly why a stored scenario cannot be planned.
func problemText(l planner.Lang, err error) string {
	var v *planner.ValidationError
	if errors.As(err, &v) && len(v.Problems) > 0 {
		return fmt.Sprintf(tr(l, "invalid: %s"), v.Problems[0])
	}
	return tr(l, "cannot be planned")
}

// blankScenario is what "create" stores: one post and one funding source
// over two years from today, ready to be edited.
func blankScenario(name string, today date.Date) ([]byte, error) {
	end := planner.Period{Years: 2}.AddTo(today) - 1
	return json.Marshal(map[string]any{
		"name":           name,
		"start":          today.String(),
		"min_productive": "P6M",
		"hr_capacity":    0,
		"defaults":       map[string]any{"recruiting": "P3M", "notice": "P3M", "onboarding": "P3M", "start_on": "month_start", "fte": 1},
		"funding":        []any{map[string]any{"id": "funding", "name": "Funding", "start": today.String(), "end": end.String(), "rate": 1}},
		"positions":      []any{map[string]any{"id": "post-1", "title": "Post 1"}},
	})
}

// createBlank answers POST /scenarios/new: a blank scenario of the given
// name, then its edit form.
func (a *api) createBlank(c *gin.Context) {
	l := pageLang(c)
	name := strings.TrimSpace(c.PostForm("name"))
	if name == "" || len([]rune(name)) > 200 {
		a.renderList(c, http.StatusUnprocessableEntity, &listPage{BlankName: name,
			Errors: []string{tr(l, "Give the new scenario a name of 1 to 200 characters.")}})
		return
	}
	body, err := blankScenario(name, date.NewAt(a.now().In(berlin)))
	if err != nil {
		a.pageFail(c, err)
		return
	}
	sc, err := a.scenarios.CreateUnique(c.Request.Context(), slug(name), name, body)
	if err != nil {
		a.pageFail(c, err)
		return
	}
	seeOther(c, "/scenarios/"+sc.ID+"/edit")
}

// uploadScenario answers POST /scenarios/upload: a scenario JSON file is
// validated and stored; an invalid one re-renders the list with every
// problem.
func (a *api) uploadScenario(c *gin.Context) {
	l := pageLang(c)
	fail := func(messages ...string) {
		a.renderList(c, http.StatusUnprocessableEntity, &listPage{Errors: messages})
	}
	file, _, err := c.Request.FormFile("file")
	if err != nil {
		fail(tr(l, "Choose a scenario file (JSON) to upload."))
		return
	}
	defer file.Close()
	body, err := io.ReadAll(file)
	if err != nil {
		fail(tr(l, "The file could not be read."))
		return
	}
	s, err := planner.Decode(body)
	if err != nil {
		var v *planner.ValidationError
		if errors.As(err, &v) {
			messages := make([]string, len(v.Problems))
			for i, p := range v.Problems {
				messages[i] = p.String()
			}
			fail(messages...)
			return
		}
		fail(err.Error())
		return
	}
	sc, err := a.scenarios.CreateUnique(c.Request.Context(), slug(s.Name), s.Name, body)
	if err != nil {
		a.pageFail(c, err)
		return
	}
	seeOther(c, "/scenarios/"+sc.ID)
}

// duplicateScenario answers POST /scenarios/{id}/duplicate: a copy named
// "… (copy)", stored as a new scenario.
func (a *api) duplicateScenario(c *gin.Context) {
	l := pageLang(c)
	sc, err := a.scenarios.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.pageFail(c, err)
		return
	}
	name := truncateRunes(fmt.Sprintf(tr(l, "%s (copy)"), sc.Name), 200)
	body, err := renamed(sc.Body, name)
	if err != nil {
		a.pageFail(c, err)
		return
	}
	created, err := a.scenarios.CreateUnique(c.Request.Context(), slug(name), name, body)
	if err != nil {
		a.pageFail(c, err)
		return
	}
	seeOther(c, "/scenarios/"+created.ID)
}

// renamed returns the scenario body with another name, all else as it was.
func renamed(body []byte, name string) ([]byte, error) {
	o, err := parseObject(body)
	if err != nil {
		return nil, err
	}
	o.setString("name", name)
	return o.MarshalJSON()
}

// deletePage is the confirmation before a scenario is deleted.
type deletePage struct {
	pageBase
	ID, Name string
	Revision int
}

// confirmDelete answers GET /scenarios/{id}/delete with a question; only
// the POST that answers it deletes.
func (a *api) confirmDelete(c *gin.Context) {
	sc, err := a.scenarios.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.pageFail(c, err)
		return
	}
	p := &deletePage{ID: sc.ID, Name: sc.Name, Revision: sc.Revision}
	p.Title = fmt.Sprintf(tr(pageLang(c), "Delete %s?"), sc.Name)
	a.render(c, http.StatusOK, "delete", p)
}

// deleteScenarioPage answers POST /scenarios/{id}/delete. The revision
// confirmed must still be the current one: a scenario changed since the
// question was asked is not deleted unseen.
func (a *api) deleteScenarioPage(c *gin.Context) {
	id := c.Param("id")
	revision, _ := strconv.Atoi(c.PostForm("revision"))
	sc, err := a.scenarios.Get(c.Request.Context(), id)
	if err != nil {
		a.pageFail(c, err)
		return
	}
	if err := a.scenarios.Delete(c.Request.Context(), id, revision); err != nil {
		a.pageFail(c, err)
		return
	}
	seeOther(c, "/?deleted="+url.QueryEscape(sc.Name))
}

// scenarioPage is /scenarios/{id}: the plan of one scenario.
type scenarioPage struct {
	pageBase
	ID, Name, Description string
	Revision, Current     int
	Updated               string
	Old                   bool
	Plan                  *charts
	WhatIf                *whatIfControls
	RiskForm              riskForm
	Risk                  *riskView // with ?risk=1 and valid options
}

// showScenario answers GET /scenarios/{id} (?rev=N for an older
// revision).
func (a *api) showScenario(c *gin.Context) {
	l := pageLang(c)
	ctx := c.Request.Context()
	id := c.Param("id")
	sc, err := a.scenarios.Get(ctx, id)
	if err != nil {
		a.pageFail(c, err)
		return
	}
	current := sc.Revision
	if rev := c.Query("rev"); rev != "" {
		n, err := strconv.Atoi(rev)
		if err != nil || n < 1 {
			a.errorPage(c, http.StatusNotFound, tr(l, "There is no such revision."))
			return
		}
		if sc, err = a.scenarios.Revision(ctx, id, n); err != nil {
			a.pageFail(c, err)
			return
		}
	}
	plan, err := a.planScenario(ctx, sc.Body)
	if err != nil {
		var v *planner.ValidationError
		if errors.As(err, &v) {
			a.errorPage(c, http.StatusUnprocessableEntity, fmt.Sprintf(tr(l, "This scenario cannot be planned: %s. Edit it to fix this."), v.Problems[0]))
			return
		}
		a.pageFail(c, err)
		return
	}
	p := &scenarioPage{
		ID: sc.ID, Name: sc.Name, Revision: sc.Revision, Current: current, Old: sc.Revision != current,
		Updated: localTime(l, sc.Updated),
	}
	if o, err := parseObject(sc.Body); err == nil {
		p.Description = o.text("description")
	}
	// The risk run, if asked for, comes first: its whiskers may reach past
	// the plan's dates, and the chart's axis must hold them.
	status := http.StatusOK
	form, opts, valid := parseRiskForm(c.Request.URL.Query(), l)
	p.RiskForm = form
	var risk *planner.Risk
	switch {
	case form.Run && !valid:
		status = http.StatusUnprocessableEntity
	case form.Run:
		var s *planner.Scenario
		if s, risk, err = a.runRisk(ctx, sc.Body, opts); err != nil {
			a.pageFail(c, err)
			return
		}
		p.Risk = newRiskView(s, plan, risk, opts, l, "g0-")
	}
	from, to := planSpan(plan)
	if risk != nil {
		for _, r := range risk.Positions {
			to = max(to, r.ProductiveP90)
		}
	}
	p.Plan = newCharts(plan, l, "g0-", from, to)
	if risk != nil {
		p.Plan.Gantt.addWhiskers(plan, risk, l)
	}
	p.Title = sc.Name
	if !p.Old {
		p.WhatIf = newWhatIfControls(sc.Body, l)
	}
	if saved, err := strconv.Atoi(c.Query("saved")); err == nil && saved > 0 {
		p.Flash = fmt.Sprintf(tr(l, "Saved as revision %s."), strconv.Itoa(saved))
	}
	a.render(c, status, "scenario", p)
}

// historyPage lists a scenario's revisions.
type historyPage struct {
	pageBase
	ID, Name  string
	Current   int
	Revisions []historyRow
}

type historyRow struct {
	Revision      int
	Name, Created string
}

// showHistory answers GET /scenarios/{id}/history, newest first.
func (a *api) showHistory(c *gin.Context) {
	l := pageLang(c)
	ctx := c.Request.Context()
	sc, err := a.scenarios.Get(ctx, c.Param("id"))
	if err != nil {
		a.pageFail(c, err)
		return
	}
	revisions, err := a.scenarios.Revisions(ctx, sc.ID)
	if err != nil {
		a.pageFail(c, err)
		return
	}
	p := &historyPage{ID: sc.ID, Name: sc.Name, Current: sc.Revision}
	for i := len(revisions) - 1; i >= 0; i-- {
		r := revisions[i]
		p.Revisions = append(p.Revisions, historyRow{Revision: r.Revision, Name: r.Name, Created: localTime(l, r.Created)})
	}
	p.Title = fmt.Sprintf(tr(l, "History of %s"), sc.Name)
	if restored, err := strconv.Atoi(c.Query("restored")); err == nil && restored > 0 {
		p.Flash = fmt.Sprintf(tr(l, "Restored revision %s as the current one."), strconv.Itoa(restored))
	}
	a.render(c, http.StatusOK, "history", p)
}

// restoreRevision answers POST /scenarios/{id}/restore: the chosen
// revision's body becomes the next revision, if the scenario is still at
// the revision the page showed.
func (a *api) restoreRevision(c *gin.Context) {
	ctx := c.Request.Context()
	id := c.Param("id")
	from, _ := strconv.Atoi(c.PostForm("revision"))
	current, _ := strconv.Atoi(c.PostForm("current"))
	old, err := a.scenarios.Revision(ctx, id, from)
	if err != nil {
		a.pageFail(c, err)
		return
	}
	if _, err := a.scenarios.Update(ctx, id, current, old.Name, old.Body); err != nil {
		a.pageFail(c, err)
		return
	}
	seeOther(c, fmt.Sprintf("/scenarios/%s/history?restored=%d", id, from))
}

func (a *api) now() time.Time {
	if a.clock != nil {
		return a.clock()
	}
	return time.Now()
}
