package pages

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"grantplan/form"
	"grantplan/handlers/httperr"
	"grantplan/handlers/web"
	"grantplan/planner"
	"grantplan/service"
)

// The edit form's state and how it reads, changes and merges into the
// stored scenario are form.Edit's (package form).

// editPage is /scenarios/{id}/edit.
type editPage struct {
	web.Frame
	ID, Name string
	Form     *form.Edit
	Scenario []web.Field
	Defaults []web.Field
	Funding  []editRow
	Raises   []editRow
	Posts    []editRow // the posts shown
	// Hidden carries the fields of the posts not shown, written here
	// rather than by the template: a form of 5,000 posts carries tens of
	// thousands.
	Hidden                       template.HTML
	FundingIDs                   []string
	Invalid                      int
	FundingHeaders, PostHeaders  []string
	RaiseHeaders                 []string
	Pages                        []int // the pages of posts, when there is more than one
	Page                         int
	PostColumns                  int
	ShownFrom, ShownTo, Matching int
	TotalPosts                   int
}

// An editRow is a row of the funding or posts table.
type editRow struct {
	Path, List string
	Index      int
	Origin     int
	Label      string // for the row buttons' accessible names
	Fields     []web.Field
	Errors     []string
	// A post's row shows its form.Essentials; the other fields are its
	// details, open when one of them has a problem, and said in brief.
	Details []web.Field
	Open    bool
	Summary string
}

func (p *editPage) field(path string, fd form.Field) web.Field {
	f := p.Form
	out := web.Field{Name: path, Label: p.Lang.Text(fd.Label), Value: f.Values[path], Errors: f.Errors[path], Kind: "text"}
	switch fd.Kind {
	case form.StartOn, form.Employment:
		out.Kind, out.Choices = "select", fd.Choices(p.Lang)
	case form.LongText:
		out.Kind = "textarea"
	}
	return out
}

func (a *Handlers) renderEdit(c *gin.Context, status int, id, name string, f *form.Edit) {
	l := web.Lang(c)
	p := &editPage{ID: id, Name: name, Form: f, PostColumns: form.Essentials + 1}
	p.Lang = l
	p.Title = l.Printf("page.edit.title", name)
	for _, fd := range form.ScenarioFields {
		p.Scenario = append(p.Scenario, p.field(fd.Name, fd))
	}
	for _, fd := range form.DefaultFields {
		p.Defaults = append(p.Defaults, p.field("defaults."+fd.Name, fd))
	}
	row := func(li form.List, i int, r form.Row) editRow {
		er := editRow{Path: r.Path, List: li.Name, Index: i, Origin: r.Origin, Errors: f.Errors[r.Path]}
		er.Label = l.Printf("page.edit.row", i+1)
		if id := f.Values[r.Path+".id"]; id != "" {
			er.Label += " (" + id + ")"
		}
		for _, fd := range li.Fields {
			er.Fields = append(er.Fields, p.field(r.Path+"."+fd.Name, fd))
		}
		return er
	}
	for _, fd := range form.FundingFields {
		p.FundingHeaders = append(p.FundingHeaders, l.Text(fd.Label))
	}
	for _, fd := range form.PositionFields[:form.Essentials] {
		p.PostHeaders = append(p.PostHeaders, l.Text(fd.Label))
	}
	for i, r := range f.Funding {
		p.Funding = append(p.Funding, row(form.FundingList, i, r))
		p.FundingIDs = append(p.FundingIDs, f.Values[r.Path+".id"])
	}
	for _, fd := range form.PayRaiseFields {
		p.RaiseHeaders = append(p.RaiseHeaders, l.Text(fd.Label))
	}
	for i, r := range f.Raises {
		p.Raises = append(p.Raises, row(form.PayRaiseList, i, r))
	}
	a.pagePosts(p, row)
	p.Invalid = f.ProblemCount()
	a.Render(c, status, "edit", p)
}

// pagePosts chooses the posts the page shows — a page of those the filter
// matches, and every post with a problem — and carries the others along
// as hidden fields.
func (a *Handlers) pagePosts(p *editPage, row func(form.List, int, form.Row) editRow) {
	f := p.Form
	p.TotalPosts = len(f.Positions)
	var matching []int
	for i, r := range f.Positions {
		if f.Matches(r.Path) {
			matching = append(matching, i)
		}
	}
	p.Matching = len(matching)
	pages := max(1, (len(matching)+form.PostsPerPage-1)/form.PostsPerPage)
	p.Page = min(max(f.Page, 1), pages)
	f.Page = p.Page
	if pages > 1 {
		for n := 1; n <= pages; n++ {
			p.Pages = append(p.Pages, n)
		}
	}
	shown := map[int]bool{}
	from := (p.Page - 1) * form.PostsPerPage
	to := min(from+form.PostsPerPage, len(matching))
	for _, i := range matching[from:to] {
		shown[i] = true
	}
	if len(matching) > 0 {
		p.ShownFrom, p.ShownTo = from+1, to
	}
	for i, r := range f.Positions {
		if !shown[i] && f.RowHasProblem(r.Path) {
			shown[i] = true
		}
	}
	var hidden strings.Builder
	hide := func(name, value string) {
		hidden.WriteString(`<input type="hidden" name="`)
		hidden.WriteString(template.HTMLEscapeString(name))
		hidden.WriteString(`" value="`)
		hidden.WriteString(template.HTMLEscapeString(value))
		hidden.WriteString("\">\n")
	}
	defer func() { p.Hidden = template.HTML(hidden.String()) }()
	for i, r := range f.Positions {
		if !shown[i] {
			hide(r.Path+".origin", strconv.Itoa(r.Origin))
			for _, fd := range form.PositionList.Fields {
				key := r.Path + "." + fd.Name
				if v := f.Values[key]; v != "" {
					hide(key, v)
				}
			}
			continue
		}
		er := row(form.PositionList, i, r)
		er.Fields, er.Details = er.Fields[:form.Essentials], er.Fields[form.Essentials:]
		var brief []string
		for _, d := range er.Details {
			if len(d.Errors) > 0 {
				er.Open = true
			}
			if d.Value != "" {
				brief = append(brief, d.Label+": "+d.Value)
			}
		}
		er.Summary = strings.Join(brief, " · ")
		p.Posts = append(p.Posts, er)
	}
}

// form.Edit answers GET /scenarios/{id}/edit (?page=N for a page of the
// posts).
func (a *Handlers) Edit(c *gin.Context) {
	l := web.Lang(c)
	if err := a.Service.Check(c.Request.Context(), service.ActionUpdate, c.Param("id")); err != nil {
		a.Fail(c, err)
		return
	}
	sc, err := a.Service.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.Fail(c, err)
		return
	}
	f, err := form.NewEdit(sc.Body, sc.Revision, l)
	if err != nil {
		a.Fail(c, err)
		return
	}
	if page, err := strconv.Atoi(c.Query("page")); err == nil {
		f.Page = page
	}
	f.Filter = strings.TrimSpace(c.Query("filter"))
	a.renderEdit(c, http.StatusOK, sc.ID, sc.Name, f)
}

// SaveEdit answers POST /scenarios/{id}/edit: an action re-renders the
// form changed; "save" validates, and stores a new revision or re-renders
// the form with every problem beside its field. A save against a revision
// that is no longer current keeps the user's input and says so, with the
// status of every stale write (412).
func (a *Handlers) SaveEdit(c *gin.Context) {
	l := web.Lang(c)
	ctx := c.Request.Context()
	if err := a.Service.Check(ctx, service.ActionUpdate, c.Param("id")); err != nil {
		a.Fail(c, err)
		return
	}
	sc, err := a.Service.Get(ctx, c.Param("id"))
	if err != nil {
		a.Fail(c, err)
		return
	}
	if err := c.Request.ParseForm(); err != nil {
		a.ErrorPage(c, http.StatusBadRequest, l.Text("page.edit.form_unreadable"))
		return
	}
	f, err := form.ParseEdit(c.Request.PostForm)
	var fieldErr form.UnreadableField
	if errors.As(err, &fieldErr) {
		a.FormUnreadable(c, string(fieldErr))
		return
	}
	if action := c.PostForm("action"); action != "" && action != "save" {
		if err := f.Apply(action, func(n int) string { return service.ID(l.Printf("blank.post", n)) }); errors.As(err, &fieldErr) {
			a.FormUnreadable(c, string(fieldErr))
			return
		}
		a.renderEdit(c, http.StatusOK, sc.ID, sc.Name, f)
		return
	}
	// The form's rows came from the revision it was loaded from; merging
	// them into another revision would mix two versions.
	base := sc
	if f.Base != sc.Revision {
		old, err := a.Service.Revision(ctx, sc.ID, f.Base)
		if err != nil {
			a.ErrorPage(c, http.StatusBadRequest, l.Text("page.edit.form_unreadable"))
			return
		}
		base = old
	}
	body, problems := f.Build(base.Body, l)
	if len(problems) > 0 {
		// Not saved either way; the planner's problems are shown too.
		var invalid *planner.ValidationError
		if _, err := planner.Decode(body); errors.As(err, &invalid) {
			problems = append(problems, invalid.Problems...)
		}
		f.Place(problems, l)
		a.renderEdit(c, http.StatusUnprocessableEntity, sc.ID, sc.Name, f)
		return
	}
	updated, err := a.Service.Update(ctx, sc.ID, service.IfRevision(f.Revision), body)
	var invalid *planner.ValidationError
	switch {
	case errors.As(err, &invalid):
		f.Place(invalid.Problems, l)
		a.renderEdit(c, http.StatusUnprocessableEntity, sc.ID, sc.Name, f)
	case planner.KindOf(err) == planner.KindPrecondition:
		current, getErr := a.Service.Get(ctx, sc.ID)
		if getErr != nil {
			a.Fail(c, getErr)
			return
		}
		f.Conflict = l.Printf("page.edit.conflict", current.Revision, web.LocalTime(l, current.Updated))
		f.Revision = current.Revision
		a.renderEdit(c, httperr.StatusOf(planner.KindPrecondition), sc.ID, sc.Name, f)
	case err != nil:
		a.Fail(c, err)
	default:
		web.SeeOther(c, fmt.Sprintf("/scenarios/%s?saved=%d", sc.ID, updated.Revision))
	}
}
