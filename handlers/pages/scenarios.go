package pages

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"grantplan/form"
	"grantplan/handlers/view"
	"grantplan/handlers/web"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/service"
)

// List is the scenario list, /.
type listPage struct {
	web.Frame
	Scenarios []listRow
	BlankName string
	Errors    []string // of the upload or the blank scenario
	// Query is the search; Page the page shown, of Pages; Total the
	// scenarios that match.
	Query              string
	Page, Pages, Total int
	Previous, Next     string // links to the neighbouring pages, "" for none
	// Base is the scenario chosen as the base of a CSV of posts.
	Base string
}

type listRow struct {
	ID, Name, Updated      string
	Revision               int
	Critical, Warnings     int
	Utilization, Unclaimed string
	Problem                string // why the scenario cannot be planned
	Pending                bool   // its figures are being computed
}

// ListPageSize is how many scenarios one page of the list shows.
const ListPageSize = 50

// List answers GET /[?q=SEARCH][&page=N]: a page of the stored scenarios
// whose id or name contains the search, with their key figures.
func (a *Handlers) List(c *gin.Context) {
	a.renderList(c, http.StatusOK, &listPage{})
}

func (a *Handlers) renderList(c *gin.Context, status int, p *listPage) {
	l := web.Lang(c)
	p.Query = strings.TrimSpace(c.Query("q"))
	p.Page = 1
	if raw := c.Query("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			a.ErrorPage(c, http.StatusBadRequest, l.Printf("page.list.no_page", raw))
			return
		}
		p.Page = n
	}
	overviews, total, err := a.Service.Overviews(c.Request.Context(), service.ListOptions{
		Query: p.Query, Offset: (p.Page - 1) * ListPageSize, Limit: ListPageSize,
	})
	if err != nil {
		a.Fail(c, err)
		return
	}
	p.Total, p.Pages = total, max(1, (total+ListPageSize-1)/ListPageSize)
	if p.Page > 1 {
		p.Previous = listURL(p.Query, p.Page-1)
	}
	if p.Page < p.Pages {
		p.Next = listURL(p.Query, p.Page+1)
	}
	p.Title = l.Text("page.nav.scenarios")
	p.Scenarios = make([]listRow, len(overviews))
	for i, o := range overviews {
		row := listRow{ID: o.ID, Name: o.Name, Revision: o.Revision, Updated: web.LocalTime(l, o.Updated)}
		switch {
		case o.Pending:
			row.Pending = true
		case o.Problem != nil:
			row.Problem = l.Text("page.list.cannot_plan")
		case o.Figures.Invalid != nil:
			row.Problem = l.Printf("page.list.invalid", *o.Figures.Invalid)
		default:
			row.Critical, row.Warnings = o.Figures.Critical, o.Figures.Warnings
			row.Utilization = view.Percent(l, o.Figures.Utilization)
			row.Unclaimed = l.Money(o.Figures.Unclaimed)
		}
		p.Scenarios[i] = row
	}
	switch c.Query("deleted") {
	case "":
	default:
		p.Flash = l.Printf("page.list.deleted", c.Query("deleted"))
	}
	a.Render(c, status, "list", p)
}

// listURL is the list's page n for the search query.
func listURL(query string, n int) string {
	v := url.Values{}
	if query != "" {
		v.Set("q", query)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/"
	}
	return "/?" + v.Encode()
}

// CreateBlank answers POST /scenarios/new: a blank scenario of the given
// name, then its edit form.
func (a *Handlers) CreateBlank(c *gin.Context) {
	l := web.Lang(c)
	name := strings.TrimSpace(c.PostForm("name"))
	if !service.ValidName(name) {
		a.renderList(c, http.StatusUnprocessableEntity, &listPage{BlankName: name,
			Errors: []string{l.Text("page.list.name_needed")}})
		return
	}
	sc, err := a.Service.CreateBlank(c.Request.Context(), name, l)
	if err != nil {
		a.Fail(c, err)
		return
	}
	web.SeeOther(c, "/scenarios/"+sc.ID+"/edit")
}

// Upload answers POST /scenarios/upload: a scenario's JSON, a workbook
// (grantplan's export or its template, filled in) or a CSV of posts on a
// stored base scenario is read, validated and stored; a file with
// problems re-renders the list with every problem, in the page's
// language, and stores nothing.
func (a *Handlers) Upload(c *gin.Context) {
	l := web.Lang(c)
	ctx := c.Request.Context()
	fail := func(messages ...string) {
		a.renderList(c, http.StatusUnprocessableEntity, &listPage{Errors: messages, Base: c.PostForm("base")})
	}
	file, header, err := c.Request.FormFile("file")
	if err != nil {
		fail(l.Text("page.list.file_needed"))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		fail(l.Text("page.list.file_unreadable"))
		return
	}
	body := data
	switch uploadFormat(header.Filename, data) {
	case service.Workbook:
		body, err = a.Service.Import(ctx, data, service.ImportOptions{Format: service.Workbook, Lang: l})
	case service.PostsCSV:
		base := c.PostForm("base")
		if base == "" {
			fail(l.Text("page.list.base_needed"))
			return
		}
		body, err = a.Service.Import(ctx, data, service.ImportOptions{Format: service.PostsCSV, Base: service.Stored(base, 0), Lang: l})
	}
	var v *planner.ValidationError
	switch {
	case errors.As(err, &v):
		fail(l.Problems(v)...)
		return
	case planner.KindOf(err) == planner.KindNotFound:
		fail(l.Text("page.list.base_needed"))
		return
	case err != nil:
		a.Fail(c, err)
		return
	}
	sc, err := a.Service.Create(ctx, body)
	if errors.As(err, &v) {
		fail(l.Problems(v)...)
		return
	}
	if err != nil {
		a.Fail(c, err)
		return
	}
	web.SeeOther(c, "/scenarios/"+sc.ID)
}

// uploadFormat tells an uploaded file's kind by its name, or else by its
// first bytes: a workbook is a zip, a scenario starts with "{"; 0 is a
// scenario's JSON.
func uploadFormat(name string, data []byte) service.ImportFormat {
	switch strings.ToLower(path.Ext(name)) {
	case ".json":
		return 0
	case ".xlsx", ".xlsm":
		return service.Workbook
	case ".csv", ".txt", ".tsv":
		return service.PostsCSV
	}
	if trimmed := bytes.TrimSpace(data); bytes.HasPrefix(trimmed, []byte("{")) {
		return 0
	}
	return service.FormatOf(data)
}

// Duplicate answers POST /scenarios/{id}/duplicate: a copy named
// "… (copy)", stored as a new scenario.
func (a *Handlers) Duplicate(c *gin.Context) {
	created, err := a.Service.Duplicate(c.Request.Context(), c.Param("id"), web.Lang(c).Text("page.list.copy_name"))
	if err != nil {
		a.Fail(c, err)
		return
	}
	web.SeeOther(c, "/scenarios/"+created.ID)
}

// deletePage is the confirmation before a scenario is deleted.
type deletePage struct {
	web.Frame
	ID, Name string
	Revision int
}

// ConfirmDelete answers GET /scenarios/{id}/delete with a question; only
// the POST that answers it deletes.
func (a *Handlers) ConfirmDelete(c *gin.Context) {
	if err := a.Service.Check(c.Request.Context(), service.ActionDelete, c.Param("id")); err != nil {
		a.Fail(c, err)
		return
	}
	sc, err := a.Service.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.Fail(c, err)
		return
	}
	p := &deletePage{ID: sc.ID, Name: sc.Name, Revision: sc.Revision}
	p.Title = web.Lang(c).Printf("page.delete.title", sc.Name)
	a.Render(c, http.StatusOK, "delete", p)
}

// Delete answers POST /scenarios/{id}/delete. The revision
// confirmed must still be the current one: a scenario changed since the
// question was asked is not deleted unseen.
func (a *Handlers) Delete(c *gin.Context) {
	ctx := c.Request.Context()
	id := c.Param("id")
	revision, err := strconv.Atoi(c.PostForm("revision"))
	if err != nil {
		a.FormUnreadable(c, "revision")
		return
	}
	sc, err := a.Service.Get(ctx, id)
	if err != nil {
		a.Fail(c, err)
		return
	}
	if err := a.Service.Delete(ctx, id, service.IfRevision(revision)); err != nil {
		a.Fail(c, err)
		return
	}
	web.SeeOther(c, "/?deleted="+url.QueryEscape(sc.Name))
}

// scenarioPage is /scenarios/{id}: the plan of one scenario.
type scenarioPage struct {
	web.Frame
	ID, Name, Description string
	Revision, Current     int
	Updated               string
	Old                   bool
	Plan                  *view.Charts
	WhatIf                *form.WhatIfControls
	RiskForm              riskForm
	Risk                  *view.RiskView // with ?risk=1 and valid options
	Downloads             []download
}

// A download is a link to a file of the page's scenario.
type download struct {
	Label, URL string
	Name       string // the file name the browser saves under, if the link says
}

// Scenario answers GET /scenarios/{id} (?rev=N for an older
// revision).
func (a *Handlers) Scenario(c *gin.Context) {
	revision, ok := a.revisionQuery(c)
	if !ok {
		return
	}
	a.showScenario(c, c.Param("id"), revision)
}

// revisionQuery reads ?rev=N, 0 without one; a bad one is answered with
// a 404 page and false.
func (a *Handlers) revisionQuery(c *gin.Context) (int, bool) {
	rev := c.Query("rev")
	if rev == "" {
		return 0, true
	}
	n, err := strconv.Atoi(rev)
	if err != nil || n < 1 {
		a.ErrorPage(c, http.StatusNotFound, web.Lang(c).Text("page.scenario.no_revision"))
		return 0, false
	}
	return n, true
}

// showScenario renders the scenario page of revision (0: the current one)
// of the stored scenario id: for a share link read-only, with neither the
// what-if nor the risk controls.
func (a *Handlers) showScenario(c *gin.Context, id string, revision int) {
	l := web.Lang(c)
	shared := web.Shared(c)
	status := http.StatusOK
	riskControls, opts, valid := parseRiskForm(c.Request.URL.Query(), l)
	var planOpts service.PlanOptions
	switch {
	case shared != "":
		riskControls = riskForm{}
	case riskControls.Run && !valid:
		status = http.StatusUnprocessableEntity
	case riskControls.Run:
		planOpts.Risk = &opts
	}
	planned, err := a.Service.Plan(c.Request.Context(), service.Stored(id, revision), planOpts)
	var budget *service.BudgetError
	if errors.As(err, &budget) {
		// Too big a risk run for this server: the plan without it, and
		// the form says how many trials fit.
		riskControls.Errors["trials"] = l.Printf("page.risk.too_large", riskControls.Trials, budget.AtMost)
		status, planOpts.Risk = http.StatusUnprocessableEntity, nil
		planned, err = a.Service.Plan(c.Request.Context(), service.Stored(id, revision), planOpts)
	}
	if err != nil {
		var v *planner.ValidationError
		if errors.As(err, &v) {
			a.ErrorPage(c, http.StatusUnprocessableEntity, l.Printf("page.scenario.cannot_plan", l.Problems(v)[0]))
			return
		}
		a.Fail(c, err)
		return
	}
	sc, plan, risk := planned.Record, planned.Plan, planned.Risk
	p := &scenarioPage{
		ID: sc.ID, Name: sc.Name, Revision: sc.Revision, Current: planned.Current, Old: sc.Revision != planned.Current,
		Updated: web.LocalTime(l, sc.Updated), RiskForm: riskControls,
	}
	if o, err := planner.ParseObject(sc.Body); err == nil {
		p.Description = o.Text("description")
	}
	// The risk run's whiskers may reach past the plan's dates, and the
	// chart's axis must hold them.
	axis := view.NewAxis(l, plan)
	if risk != nil {
		p.Risk = view.NewRiskView(planned.Scenario, plan, risk, opts, l, "g0-")
		for _, r := range risk.Positions {
			axis.Extend(r.ProductiveP90)
		}
	}
	p.Plan = view.NewCharts(plan, l, "g0-", axis)
	if risk != nil {
		p.Plan.Gantt.AddWhiskers(plan, risk, l)
	}
	p.Title = sc.Name
	if !p.Old && shared == "" {
		p.WhatIf = form.NewWhatIfControls(sc.Body, l)
	}
	var riskOpts *planner.RiskOptions
	if risk != nil {
		riskOpts = &opts
	}
	p.Downloads = scenarioDownloads(l, sc.ID, sc.Revision, shared, riskOpts)
	if saved, err := strconv.Atoi(c.Query("saved")); err == nil && saved > 0 {
		p.Flash = l.Printf("page.scenario.saved", strconv.Itoa(saved))
	}
	if c.Query("undeleted") != "" {
		p.Flash = l.Text("page.scenario.undeleted")
	}
	a.Render(c, status, "scenario", p)
}

// scenarioDownloads are the files of a scenario page: the PDF report and
// the workbook in either language, and, for users, the scenario and its
// plan as JSON. Every link of a user's page names the revision the page
// shows (the current one too), so that what is downloaded is what the
// page shows even when the page is of an old revision or someone saves
// meanwhile; with a risk run on the page, the report and the workbook
// carry its options. Under a share link (shared, its path) only the
// report and the workbook, which the link's own routes serve at the
// link's revision.
func scenarioDownloads(l locale.Lang, id string, revision int, shared string, risk *planner.RiskOptions) []download {
	base := "/scenarios/" + url.PathEscape(id)
	query := func(lang locale.Lang) string {
		q := url.Values{"lang": {string(lang)}}
		if shared != "" {
			return "?" + q.Encode()
		}
		q.Set("rev", strconv.Itoa(revision))
		if risk != nil {
			q.Set("risk", "true")
			q.Set("trials", strconv.Itoa(risk.Trials))
			q.Set("seed", strconv.FormatUint(risk.Seed, 10))
			q.Set("confidence", strconv.FormatFloat(risk.Confidence, 'f', -1, 64))
			if spread := risk.Spread.String(); spread != "" {
				q.Set("spread", spread)
			}
		}
		return "?" + q.Encode()
	}
	if shared != "" {
		base = shared
	}
	downloads := []download{
		{Label: l.Text("page.scenario.pdf_en"), URL: base + "/report.pdf" + query(locale.English)},
		{Label: l.Text("page.scenario.pdf_de"), URL: base + "/report.pdf" + query(locale.German)},
		{Label: l.Text("page.scenario.excel_en"), URL: base + "/export.xlsx" + query(locale.English)},
		{Label: l.Text("page.scenario.excel_de"), URL: base + "/export.xlsx" + query(locale.German)},
	}
	if shared != "" {
		return downloads
	}
	rev := "?rev=" + strconv.Itoa(revision)
	saveAs := id + "-" + strconv.Itoa(revision)
	return append(downloads,
		download{Label: l.Text("page.scenario.scenario_json"), URL: base + "/scenario.json" + rev, Name: saveAs + ".json"},
		download{Label: l.Text("page.scenario.plan_json"), URL: base + "/plan.json" + rev, Name: saveAs + ".plan.json"})
}

// historyPage lists a scenario's revisions.
type historyPage struct {
	web.Frame
	ID, Name  string
	Current   int
	Revisions []historyRow
}

type historyRow struct {
	Revision              int
	Name, Created, Author string
}

// History answers GET /scenarios/{id}/history, newest first.
func (a *Handlers) History(c *gin.Context) {
	l := web.Lang(c)
	ctx := c.Request.Context()
	sc, err := a.Service.Get(ctx, c.Param("id"))
	if err != nil {
		a.Fail(c, err)
		return
	}
	revisions, err := a.Service.Revisions(ctx, sc.ID)
	if err != nil {
		a.Fail(c, err)
		return
	}
	p := &historyPage{ID: sc.ID, Name: sc.Name, Current: sc.Revision}
	for i := len(revisions) - 1; i >= 0; i-- {
		r := revisions[i]
		p.Revisions = append(p.Revisions, historyRow{Revision: r.Revision, Name: r.Name, Created: web.LocalTime(l, r.Created), Author: r.Author})
	}
	p.Title = l.Printf("page.history.title", sc.Name)
	if restored, err := strconv.Atoi(c.Query("restored")); err == nil && restored > 0 {
		p.Flash = l.Printf("page.history.restored", strconv.Itoa(restored))
	}
	a.Render(c, http.StatusOK, "history", p)
}

// Restore answers POST /scenarios/{id}/restore: the chosen
// revision's body becomes the next revision, if the scenario is still at
// the revision the page showed.
func (a *Handlers) Restore(c *gin.Context) {
	id := c.Param("id")
	from, err := strconv.Atoi(c.PostForm("revision"))
	if err != nil {
		a.FormUnreadable(c, "revision")
		return
	}
	current, err := strconv.Atoi(c.PostForm("current"))
	if err != nil {
		a.FormUnreadable(c, "current")
		return
	}
	if _, err := a.Service.Restore(c.Request.Context(), id, from, service.IfRevision(current)); err != nil {
		a.Fail(c, err)
		return
	}
	web.SeeOther(c, fmt.Sprintf("/scenarios/%s/history?restored=%d", id, from))
}
