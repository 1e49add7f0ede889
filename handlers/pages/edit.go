package pages

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"grantplan/form"
	"grantplan/handlers/httperr"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/service"
)

// The edit form shows every field of the scenario format as a person
// types it, in the page's language (package form): dates as 31.12.2022 in
// German, amounts as 4.636,5, periods as "3 Monate", a range as "2 Monate
// / 3 Monate / 6 Monate", dependencies as "group:overhead, 2 von
// group:cm@Zusage+2 Wochen"; either language's way and ISO are accepted
// back. Saving does not build the scenario afresh: each row remembers
// which stored object it came from, and only the fields whose text the
// user changed are written into a copy of that object. What the form does
// not know, and how the JSON wrote what it shows, survives (docs/web.md).

// A list is a table of the form: the funding sources or the posts. Its
// rows' fields are named "funding[2].end".
type list struct {
	name   string
	fields []form.Field
}

var (
	fundingList  = list{"funding", form.FundingFields}
	raisesList   = list{"pay_raises", form.PayRaiseFields}
	positionList = list{"positions", form.PositionFields}
)

// essentials is how many of a post's fields its row shows; the others are
// in the row's details.
const essentials = 7

// postsPerPage is how many posts a page of the form shows; the others are
// carried along in hidden fields.
const postsPerPage = 50

// maxFormRows bounds the rows a form may post (a scenario has at most
// planner.MaxPositions posts, docs/scenario.md).
const maxFormRows = planner.MaxPositions + 1

// editForm is the edit page's state: the values as text, keyed by the
// field's path ("start", "defaults.recruiting", "positions[2].after").
type editForm struct {
	// Base is the revision the rows' origins index into; Revision the one
	// a save may replace. They differ after a lost race, when the user
	// chose to keep their version.
	Base     int
	Revision int
	Values   map[string]string
	Funding  []formRow
	Raises   []formRow
	// RaisesGiven tells that the form holds the pay rises (every form the
	// page writes does).
	RaisesGiven bool
	Positions   []formRow
	Errors      map[string][]string // by field path, or by row path for the row
	General     []string
	Conflict    string
	// Page is the page of posts shown, from 1; Filter the text that the
	// posts shown contain (in their id, title, group or location).
	Page   int
	Filter string
}

// A formRow is one funding source or post: the index of the stored object
// it started from (-1 for a new row) and its fields' paths.
type formRow struct {
	Path   string // "positions[2]"
	Origin int
}

// field is a form field as the template draws it.
type field struct {
	Name, Label, Value, Kind string
	Choices                  []string // of a drop-down list
	Errors                   []string
}

// newEditForm fills the form from a stored body, written in l.
func newEditForm(body []byte, revision int, l locale.Lang) (*editForm, error) {
	o, err := planner.ParseObject(body)
	if err != nil {
		return nil, err
	}
	f := &editForm{Base: revision, Revision: revision, Values: map[string]string{}, Errors: map[string][]string{}, Page: 1}
	for _, fd := range form.ScenarioFields {
		f.Values[fd.Name] = fd.Text(o.Get(fd.Name), l)
	}
	defaults, _ := planner.ParseObject(o.Get("defaults"))
	for _, fd := range form.DefaultFields {
		f.Values["defaults."+fd.Name] = fd.Text(defaults.Get(fd.Name), l)
	}
	for i, src := range o.Objects("funding") {
		f.Funding = append(f.Funding, f.rowOf(fundingList, i, i, src, l))
	}
	for i, raise := range o.Objects("pay_raises") {
		f.Raises = append(f.Raises, f.rowOf(raisesList, i, i, raise, l))
	}
	f.RaisesGiven = true
	for i, pos := range o.Objects("positions") {
		f.Positions = append(f.Positions, f.rowOf(positionList, i, i, pos, l))
	}
	return f, nil
}

func (f *editForm) rowOf(li list, i, origin int, o planner.Object, l locale.Lang) formRow {
	row := formRow{Path: fmt.Sprintf("%s[%d]", li.name, i), Origin: origin}
	for _, fd := range li.fields {
		f.Values[row.Path+"."+fd.Name] = fd.Text(o.Get(fd.Name), l)
	}
	return row
}

// parseEditForm reads a posted form. Rows are numbered as posted. The
// hidden fields the page fills in (the revisions, the row counts) must be
// whole numbers; the name of one that is not comes back as the error.
func parseEditForm(values url.Values) (*editForm, error) {
	f := &editForm{Values: map[string]string{}, Errors: map[string][]string{}, Page: 1}
	var err error
	if f.Revision, err = strconv.Atoi(values.Get("revision")); err != nil {
		return nil, formFieldError("revision")
	}
	if f.Base, err = strconv.Atoi(values.Get("base")); err != nil {
		return nil, formFieldError("base")
	}
	if page := values.Get("page"); page != "" {
		if f.Page, err = strconv.Atoi(page); err != nil {
			return nil, formFieldError("page")
		}
	}
	f.Filter = strings.TrimSpace(values.Get("filter"))
	for _, fd := range form.ScenarioFields {
		f.Values[fd.Name] = formText(values.Get(fd.Name))
	}
	for _, fd := range form.DefaultFields {
		f.Values["defaults."+fd.Name] = formText(values.Get("defaults." + fd.Name))
	}
	if f.Funding, err = readRows(f, values, fundingList); err != nil {
		return nil, err
	}
	// A form without the pay rises (one a page wrote before they were
	// in it) leaves the stored ones as they are.
	if f.RaisesGiven = values.Has(raisesList.name + ".rows"); f.RaisesGiven {
		if f.Raises, err = readRows(f, values, raisesList); err != nil {
			return nil, err
		}
	}
	if f.Positions, err = readRows(f, values, positionList); err != nil {
		return nil, err
	}
	return f, nil
}

// A formFieldError names a hidden field of a posted form that is missing
// or not a whole number.
type formFieldError string

func (e formFieldError) Error() string { return "form field " + string(e) + " is not a whole number" }

// formText is a submitted field's text with the CRLF line ends browsers
// send for a textarea turned back into LF, so that an untouched
// description compares equal to the stored one.
func formText(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func readRows(f *editForm, values url.Values, li list) ([]formRow, error) {
	n, err := strconv.Atoi(values.Get(li.name + ".rows"))
	if err != nil {
		return nil, formFieldError(li.name + ".rows")
	}
	n = min(max(n, 0), maxFormRows)
	rows := make([]formRow, 0, n)
	for i := range n {
		path := li.name + "[" + strconv.Itoa(i) + "]"
		origin, err := strconv.Atoi(values.Get(path + ".origin"))
		if err != nil {
			origin = -1
		}
		row := formRow{Path: path, Origin: origin}
		for _, fd := range li.fields {
			f.Values[path+"."+fd.Name] = formText(values.Get(path + "." + fd.Name))
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// apply carries out an action that re-renders the form: a row action
// ("add:positions", "remove:positions:3", "duplicate:positions:3", the
// same for funding and pay_raises, which renumber the rows), a page of the posts
// ("page:2") or the filter ("filter"). An action the form does not offer
// is an error, so that a garbled one never removes the wrong row.
func (f *editForm) apply(action string, l locale.Lang) error {
	verb, rest, _ := strings.Cut(action, ":")
	switch verb {
	case "filter":
		f.Page = 1
		return nil
	case "page":
		n, err := strconv.Atoi(rest)
		if err != nil {
			return formFieldError("action")
		}
		f.Page = n
		return nil
	}
	name, index, hasIndex := strings.Cut(rest, ":")
	i := -1
	if verb != "add" || hasIndex {
		var err error
		if i, err = strconv.Atoi(index); err != nil || verb == "add" {
			return formFieldError("action")
		}
	}
	rows, li := &f.Positions, positionList
	switch {
	case verb != "add" && verb != "remove" && verb != "duplicate":
		return formFieldError("action")
	case name == "funding":
		rows, li = &f.Funding, fundingList
	case name == "pay_raises":
		rows, li = &f.Raises, raisesList
		f.RaisesGiven = true
	case name != "positions":
		return formFieldError("action")
	}
	type rowValues struct {
		origin int
		values map[string]string
	}
	current := make([]rowValues, len(*rows))
	for j, row := range *rows {
		current[j] = rowValues{origin: row.Origin, values: map[string]string{}}
		for _, fd := range li.fields {
			current[j].values[fd.Name] = f.Values[row.Path+"."+fd.Name]
			delete(f.Values, row.Path+"."+fd.Name)
		}
	}
	switch {
	case verb == "add" && len(current) < maxFormRows-1:
		values := map[string]string{}
		if name == "positions" {
			values["id"] = service.ID(l.Printf("blank.post", len(current)+1))
			f.Page = len(current)/postsPerPage + 1 // the new row's page
			f.Filter = ""
		}
		current = append(current, rowValues{origin: -1, values: values})
	case verb == "remove" && i >= 0 && i < len(current):
		current = append(current[:i], current[i+1:]...)
	case verb == "duplicate" && i >= 0 && i < len(current) && len(current) < maxFormRows-1:
		copied := rowValues{origin: current[i].origin, values: map[string]string{}}
		for k, v := range current[i].values {
			copied.values[k] = v
		}
		if id := copied.values["id"]; id != "" {
			copied.values["id"] = id + "-copy"
		}
		current = append(current[:i+1], append([]rowValues{copied}, current[i+1:]...)...)
	}
	*rows = (*rows)[:0]
	for j, rv := range current {
		path := li.name + "[" + strconv.Itoa(j) + "]"
		*rows = append(*rows, formRow{Path: path, Origin: rv.origin})
		for _, fd := range li.fields {
			f.Values[path+"."+fd.Name] = rv.values[fd.Name]
		}
	}
	return nil
}

// build merges the form into the stored body: each object starts as the
// stored one the row came from, and a field is written only where its text
// differs from the stored value's, as the form wrote it in l. A text that
// does not read (a date that is none) is a problem at its field and
// leaves the stored value in place, so that the planner does not report
// the same field again.
func (f *editForm) build(stored []byte, l locale.Lang) ([]byte, []planner.Problem) {
	o, err := planner.ParseObject(stored)
	if err != nil {
		o = planner.Object{}
	}
	var problems []planner.Problem
	merge := func(target *planner.Object, original planner.Object, path string, fields []form.Field) {
		for _, fd := range fields {
			key := fd.Name
			if path != "" {
				key = path + "." + fd.Name
			}
			text := f.Values[key]
			if original != nil && strings.TrimSpace(text) == strings.TrimSpace(fd.Text(original.Get(fd.Name), l)) {
				continue // unchanged: keep the stored value exactly
			}
			raw, err := fd.Value(text, l)
			var invalid *planner.InputError
			switch {
			case errors.As(err, &invalid):
				problems = append(problems, invalid.Problem(key))
			case raw == nil:
				target.Remove(fd.Name)
			default:
				target.Set(fd.Name, raw)
			}
		}
	}
	merge(&o, o.Clone(), "", form.ScenarioFields)
	defaults, err := planner.ParseObject(o.Get("defaults"))
	if err != nil {
		defaults = planner.Object{}
	}
	merge(&defaults, defaults.Clone(), "defaults", form.DefaultFields)
	if raw, err := defaults.MarshalJSON(); err == nil && (len(defaults) > 0 || o.Get("defaults") != nil) {
		o.Set("defaults", raw)
	}
	rows := func(li list, formRows []formRow) {
		if len(formRows) == 0 && o.Get(li.name) == nil {
			return // none stored and none added: the list stays out
		}
		stored := o.Objects(li.name)
		out := make([]planner.Object, len(formRows))
		for i, row := range formRows {
			var original planner.Object
			if row.Origin >= 0 && row.Origin < len(stored) {
				original = stored[row.Origin]
			}
			out[i] = original.Clone()
			merge(&out[i], original, row.Path, li.fields)
		}
		raw, err := planner.MarshalObjects(out)
		if err == nil {
			o.Set(li.name, raw)
		}
	}
	rows(fundingList, f.Funding)
	if f.RaisesGiven {
		rows(raisesList, f.Raises)
	}
	rows(positionList, f.Positions)
	body, err := o.MarshalJSON()
	if err != nil {
		problems = append(problems, planner.Problem{Path: "$", Message: err.Error()})
	}
	return body, problems
}

// place puts each problem, written in l, beside its field: the longest
// prefix of its path that is a form field or row, or among the general
// problems. A problem at a field that already has one from the form's own
// reading (a text that is no date) is left out: it is the same problem
// seen again by the planner.
func (f *editForm) place(problems []planner.Problem, l locale.Lang) {
	rows := map[string]bool{}
	for _, list := range [][]formRow{f.Funding, f.Raises, f.Positions} {
		for _, r := range list {
			rows[r.Path] = true
		}
	}
	unreadable := map[string]bool{}
	for _, p := range problems {
		path := p.Path
		for path != "" {
			if _, isField := f.Values[path]; isField || rows[path] {
				break
			}
			cut := strings.LastIndexAny(path, ".[")
			if cut <= 0 {
				path = ""
				break
			}
			path = path[:cut]
		}
		if path == "" {
			f.General = append(f.General, p.Path+": "+l.Problem(p))
			continue
		}
		if unreadable[path] {
			continue
		}
		if isInputProblem(p.Code) {
			unreadable[path] = true
		}
		message := l.Problem(p)
		if !slices.Contains(f.Errors[path], message) {
			f.Errors[path] = append(f.Errors[path], message)
		}
	}
}

// isInputProblem reports whether code is the problem of a text that does
// not read (a date that is none), which the form reports before the
// planner sees anything.
func isInputProblem(code planner.ProblemCode) bool {
	return slices.Contains(locale.InputProblemCodes(), code) || slices.Contains(form.ProblemCodes(), code) ||
		code == planner.ProblemNotCalendarDay || code == planner.ProblemDateOutOfRange || code == planner.ProblemPeriodTooLarge ||
		code == planner.ProblemNotPeriod
}

// problemCount is how many problems the form shows: one per message
// beside a field, and the general ones.
func (f *editForm) problemCount() int {
	n := len(f.General)
	for _, errs := range f.Errors {
		n += len(errs)
	}
	return n
}

// editPage is /scenarios/{id}/edit.
type editPage struct {
	pageBase
	ID, Name string
	Form     *editForm
	Scenario []field
	Defaults []field
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
	Fields     []field
	Errors     []string
	// A post's row shows its essentials; the other fields are its
	// details, open when one of them has a problem, and said in brief.
	Details []field
	Open    bool
	Summary string
}

func (p *editPage) field(path string, fd form.Field) field {
	f := p.Form
	out := field{Name: path, Label: p.Lang.Text(fd.Label), Value: f.Values[path], Errors: f.Errors[path], Kind: "text"}
	switch fd.Kind {
	case form.StartOn, form.Employment:
		out.Kind, out.Choices = "select", fd.Choices(p.Lang)
	case form.LongText:
		out.Kind = "textarea"
	}
	return out
}

// Selected reports whether a drop-down's choice is its value.
func (f field) Selected(choice string) bool { return strings.EqualFold(f.Value, choice) }

// matches reports whether the post at path contains the filter.
func (f *editForm) matches(path string) bool {
	if f.Filter == "" {
		return true
	}
	needle := strings.ToLower(f.Filter)
	for _, name := range []string{"id", "title", "group", "location"} {
		if strings.Contains(strings.ToLower(f.Values[path+"."+name]), needle) {
			return true
		}
	}
	return false
}

func (a *Handlers) renderEdit(c *gin.Context, status int, id, name string, f *editForm) {
	l := pageLang(c)
	p := &editPage{ID: id, Name: name, Form: f, PostColumns: essentials + 1}
	p.Lang = l
	p.Title = l.Printf("page.edit.title", name)
	for _, fd := range form.ScenarioFields {
		p.Scenario = append(p.Scenario, p.field(fd.Name, fd))
	}
	for _, fd := range form.DefaultFields {
		p.Defaults = append(p.Defaults, p.field("defaults."+fd.Name, fd))
	}
	row := func(li list, i int, r formRow) editRow {
		er := editRow{Path: r.Path, List: li.name, Index: i, Origin: r.Origin, Errors: f.Errors[r.Path]}
		er.Label = l.Printf("page.edit.row", i+1)
		if id := f.Values[r.Path+".id"]; id != "" {
			er.Label += " (" + id + ")"
		}
		for _, fd := range li.fields {
			er.Fields = append(er.Fields, p.field(r.Path+"."+fd.Name, fd))
		}
		return er
	}
	for _, fd := range form.FundingFields {
		p.FundingHeaders = append(p.FundingHeaders, l.Text(fd.Label))
	}
	for _, fd := range form.PositionFields[:essentials] {
		p.PostHeaders = append(p.PostHeaders, l.Text(fd.Label))
	}
	for i, r := range f.Funding {
		p.Funding = append(p.Funding, row(fundingList, i, r))
		p.FundingIDs = append(p.FundingIDs, f.Values[r.Path+".id"])
	}
	for _, fd := range form.PayRaiseFields {
		p.RaiseHeaders = append(p.RaiseHeaders, l.Text(fd.Label))
	}
	for i, r := range f.Raises {
		p.Raises = append(p.Raises, row(raisesList, i, r))
	}
	a.pagePosts(p, row)
	p.Invalid = f.problemCount()
	a.render(c, status, "edit", p)
}

// pagePosts chooses the posts the page shows — a page of those the filter
// matches, and every post with a problem — and carries the others along
// as hidden fields.
func (a *Handlers) pagePosts(p *editPage, row func(list, int, formRow) editRow) {
	f := p.Form
	p.TotalPosts = len(f.Positions)
	var matching []int
	for i, r := range f.Positions {
		if f.matches(r.Path) {
			matching = append(matching, i)
		}
	}
	p.Matching = len(matching)
	pages := max(1, (len(matching)+postsPerPage-1)/postsPerPage)
	p.Page = min(max(f.Page, 1), pages)
	f.Page = p.Page
	if pages > 1 {
		for n := 1; n <= pages; n++ {
			p.Pages = append(p.Pages, n)
		}
	}
	shown := map[int]bool{}
	from := (p.Page - 1) * postsPerPage
	to := min(from+postsPerPage, len(matching))
	for _, i := range matching[from:to] {
		shown[i] = true
	}
	if len(matching) > 0 {
		p.ShownFrom, p.ShownTo = from+1, to
	}
	for i, r := range f.Positions {
		if !shown[i] && f.rowHasProblem(r.Path) {
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
			for _, fd := range positionList.fields {
				key := r.Path + "." + fd.Name
				if v := f.Values[key]; v != "" {
					hide(key, v)
				}
			}
			continue
		}
		er := row(positionList, i, r)
		er.Fields, er.Details = er.Fields[:essentials], er.Fields[essentials:]
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

// rowHasProblem reports whether the row at path or one of its fields has
// a problem.
func (f *editForm) rowHasProblem(path string) bool {
	for key := range f.Errors {
		if key == path || strings.HasPrefix(key, path+".") {
			return true
		}
	}
	return false
}

// Edit answers GET /scenarios/{id}/edit (?page=N for a page of the
// posts).
func (a *Handlers) Edit(c *gin.Context) {
	l := pageLang(c)
	if err := a.service.Check(c.Request.Context(), service.ActionUpdate, c.Param("id")); err != nil {
		a.pageFail(c, err)
		return
	}
	sc, err := a.service.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.pageFail(c, err)
		return
	}
	f, err := newEditForm(sc.Body, sc.Revision, l)
	if err != nil {
		a.pageFail(c, err)
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
	l := pageLang(c)
	ctx := c.Request.Context()
	if err := a.service.Check(ctx, service.ActionUpdate, c.Param("id")); err != nil {
		a.pageFail(c, err)
		return
	}
	sc, err := a.service.Get(ctx, c.Param("id"))
	if err != nil {
		a.pageFail(c, err)
		return
	}
	if err := c.Request.ParseForm(); err != nil {
		a.errorPage(c, http.StatusBadRequest, l.Text("page.edit.form_unreadable"))
		return
	}
	f, err := parseEditForm(c.Request.PostForm)
	var fieldErr formFieldError
	if errors.As(err, &fieldErr) {
		a.formUnreadable(c, string(fieldErr))
		return
	}
	if action := c.PostForm("action"); action != "" && action != "save" {
		if err := f.apply(action, l); errors.As(err, &fieldErr) {
			a.formUnreadable(c, string(fieldErr))
			return
		}
		a.renderEdit(c, http.StatusOK, sc.ID, sc.Name, f)
		return
	}
	// The form's rows came from the revision it was loaded from; merging
	// them into another revision would mix two versions.
	base := sc
	if f.Base != sc.Revision {
		old, err := a.service.Revision(ctx, sc.ID, f.Base)
		if err != nil {
			a.errorPage(c, http.StatusBadRequest, l.Text("page.edit.form_unreadable"))
			return
		}
		base = old
	}
	body, problems := f.build(base.Body, l)
	if len(problems) > 0 {
		// Not saved either way; the planner's problems are shown too.
		var invalid *planner.ValidationError
		if _, err := planner.Decode(body); errors.As(err, &invalid) {
			problems = append(problems, invalid.Problems...)
		}
		f.place(problems, l)
		a.renderEdit(c, http.StatusUnprocessableEntity, sc.ID, sc.Name, f)
		return
	}
	updated, err := a.service.Update(ctx, sc.ID, service.IfRevision(f.Revision), body)
	var invalid *planner.ValidationError
	switch {
	case errors.As(err, &invalid):
		f.place(invalid.Problems, l)
		a.renderEdit(c, http.StatusUnprocessableEntity, sc.ID, sc.Name, f)
	case planner.KindOf(err) == planner.KindPrecondition:
		current, getErr := a.service.Get(ctx, sc.ID)
		if getErr != nil {
			a.pageFail(c, getErr)
			return
		}
		f.Conflict = l.Printf("page.edit.conflict", current.Revision, localTime(l, current.Updated))
		f.Revision = current.Revision
		a.renderEdit(c, httperr.StatusOf(planner.KindPrecondition), sc.ID, sc.Name, f)
	case err != nil:
		a.pageFail(c, err)
	default:
		seeOther(c, fmt.Sprintf("/scenarios/%s?saved=%d", sc.ID, updated.Revision))
	}
}
