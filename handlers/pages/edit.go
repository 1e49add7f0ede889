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

	"grantplan/handlers/httperr"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/service"
)

// The edit form shows every field of the scenario format as text: periods
// as ISO text (a range as "MIN/LIKELY/MAX"), dependencies as a list such
// as "group:overhead, 2 of group:cm@recruited+P2W". Saving does not build
// the scenario afresh: each row remembers which stored object it came
// from, and only the fields whose text the user changed are written into
// a copy of that object. What the form does not know, and how the user
// wrote what it shows, survives (docs/web.md).

// Form fields of the scenario, of a funding source and of a post, in the
// order the form shows them. Their names are the scenario's JSON members,
// so that the planner's problem paths name the form fields.
var (
	scenarioFields = []string{"name", "description", "start", "min_productive", "hr_capacity"}
	defaultFields  = []string{"recruiting", "notice", "onboarding", "start_on", "monthly_cost", "fte"}
	fundingFields  = []string{"id", "name", "start", "end", "rate", "per_fte_year", "cap"}
	positionFields = []string{"id", "title", "group", "location", "fte", "monthly_cost", "recruiting", "notice", "onboarding", "start_on", "earliest", "after", "funding"}
)

// numberFields hold JSON numbers; periodFields periods or ranges.
var (
	numberFields = map[string]bool{"hr_capacity": true, "monthly_cost": true, "fte": true, "rate": true, "per_fte_year": true, "cap": true}
	periodFields = map[string]bool{"min_productive": true, "recruiting": true, "notice": true, "onboarding": true}
)

// maxFormRows bounds the rows a form may post (a scenario has at most
// planner.MaxPositions posts, docs/scenario.md).
const maxFormRows = planner.MaxPositions + 1

// editForm is the edit page's state: the values as text, keyed by the
// field's path ("start", "defaults.recruiting", "positions[2].after").
type editForm struct {
	// Base is the revision the rows' origins index into; Revision the one
	// a save may replace. They differ after a lost race, when the user
	// chose to keep their version.
	Base      int
	Revision  int
	Values    map[string]string
	Funding   []formRow
	Positions []formRow
	Errors    map[string][]string // by field path, or by row path for the row
	General   []string
	Conflict  string
}

// A formRow is one funding source or post: the index of the stored object
// it started from (-1 for a new row) and its fields' paths.
type formRow struct {
	Path   string // "positions[2]"
	Origin int
}

// field is a form field as the template draws it.
type field struct {
	Name, Label, Value, Hint, Kind string
	Errors                         []string
}

// textOf renders a stored JSON value as the form's text.
func textOf(raw json.RawMessage, name string) string {
	if raw == nil {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	switch {
	case name == "after":
		return dependencyText(raw)
	case periodFields[name]:
		r, err := planner.ParseObject(raw)
		if err == nil {
			return r.Text("min") + "/" + r.Text("likely") + "/" + r.Text("max")
		}
	}
	return string(raw)
}

// dependencyText writes a dependency list as text.
func dependencyText(raw json.RawMessage) string {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return string(raw)
	}
	parts := make([]string, len(items))
	for i, item := range items {
		var s string
		if json.Unmarshal(item, &s) == nil {
			parts[i] = s
			continue
		}
		o, err := planner.ParseObject(item)
		if err != nil {
			parts[i] = string(item)
			continue
		}
		text := o.Text("ref")
		if e := o.Text("event"); e != "" {
			text += "@" + e
		}
		if lag := o.Text("lag"); lag != "" {
			text += "+" + lag
		}
		if count := o.Get("count"); count != nil {
			text = string(count) + " of " + text
		}
		parts[i] = text
	}
	return strings.Join(parts, ", ")
}

var countPrefix = regexp.MustCompile(`^(\d+)\s+(?:of|von)\s+(.+)$`)

// dependencyJSON reads the dependency text back: each item is
// [N of ]REF[@EVENT][+LAG], a plain string when it is only a REF.
func dependencyJSON(text string) json.RawMessage {
	var items []any
	for _, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		dep := map[string]any{}
		if m := countPrefix.FindStringSubmatch(part); m != nil {
			n, _ := strconv.Atoi(m[1])
			dep["count"] = n
			part = m[2]
		}
		if ref, lag, ok := strings.Cut(part, "+"); ok {
			dep["lag"] = strings.TrimSpace(lag)
			part = ref
		}
		if ref, event, ok := strings.Cut(part, "@"); ok {
			dep["event"] = strings.TrimSpace(event)
			part = ref
		}
		dep["ref"] = strings.TrimSpace(part)
		if len(dep) == 1 {
			items = append(items, dep["ref"])
		} else {
			items = append(items, dep)
		}
	}
	raw, _ := json.Marshal(items)
	return raw
}

// valueJSON turns a field's text into its JSON value; ok is false for a
// number that is not one.
func valueJSON(name, text string) (json.RawMessage, bool) {
	switch {
	case name == "after":
		return dependencyJSON(text), true
	case numberFields[name]:
		n := strings.ReplaceAll(strings.TrimSpace(text), " ", "")
		if strings.Contains(n, ",") && !strings.Contains(n, ".") {
			n = strings.Replace(n, ",", ".", 1) // a German decimal comma
		}
		var number json.Number
		if json.Unmarshal([]byte(n), &number) != nil {
			raw, _ := json.Marshal(text)
			return raw, false
		}
		return json.RawMessage(n), true
	case periodFields[name] && strings.Count(text, "/") == 2:
		parts := strings.Split(text, "/")
		raw, _ := json.Marshal(map[string]string{"min": strings.TrimSpace(parts[0]), "likely": strings.TrimSpace(parts[1]), "max": strings.TrimSpace(parts[2])})
		return raw, true
	}
	raw, _ := json.Marshal(strings.TrimSpace(text))
	return raw, true
}

// newEditForm fills the form from a stored body.
func newEditForm(body []byte, revision int) (*editForm, error) {
	o, err := planner.ParseObject(body)
	if err != nil {
		return nil, err
	}
	f := &editForm{Base: revision, Revision: revision, Values: map[string]string{}, Errors: map[string][]string{}}
	for _, name := range scenarioFields {
		f.Values[name] = textOf(o.Get(name), name)
	}
	defaults, _ := planner.ParseObject(o.Get("defaults"))
	for _, name := range defaultFields {
		f.Values["defaults."+name] = textOf(defaults.Get(name), name)
	}
	for i, src := range o.Objects("funding") {
		f.Funding = append(f.Funding, f.rowOf("funding", i, i, src, fundingFields))
	}
	for i, pos := range o.Objects("positions") {
		f.Positions = append(f.Positions, f.rowOf("positions", i, i, pos, positionFields))
	}
	return f, nil
}

func (f *editForm) rowOf(list string, i, origin int, o planner.Object, names []string) formRow {
	row := formRow{Path: fmt.Sprintf("%s[%d]", list, i), Origin: origin}
	for _, name := range names {
		f.Values[row.Path+"."+name] = textOf(o.Get(name), name)
	}
	return row
}

// parseEditForm reads a posted form. Rows are numbered as posted. The
// hidden fields the page fills in (the revisions, the row counts) must be
// whole numbers; the name of one that is not comes back as the error.
func parseEditForm(values url.Values) (*editForm, error) {
	f := &editForm{Values: map[string]string{}, Errors: map[string][]string{}}
	var err error
	if f.Revision, err = strconv.Atoi(values.Get("revision")); err != nil {
		return nil, formFieldError("revision")
	}
	if f.Base, err = strconv.Atoi(values.Get("base")); err != nil {
		return nil, formFieldError("base")
	}
	for _, name := range scenarioFields {
		f.Values[name] = formText(values.Get(name))
	}
	for _, name := range defaultFields {
		f.Values["defaults."+name] = formText(values.Get("defaults." + name))
	}
	if f.Funding, err = readRows(f, values, "funding", fundingFields); err != nil {
		return nil, err
	}
	if f.Positions, err = readRows(f, values, "positions", positionFields); err != nil {
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

func readRows(f *editForm, values url.Values, list string, names []string) ([]formRow, error) {
	n, err := strconv.Atoi(values.Get(list + ".rows"))
	if err != nil {
		return nil, formFieldError(list + ".rows")
	}
	n = min(max(n, 0), maxFormRows)
	rows := make([]formRow, 0, n)
	for i := range n {
		path := fmt.Sprintf("%s[%d]", list, i)
		origin, err := strconv.Atoi(values.Get(path + ".origin"))
		if err != nil {
			origin = -1
		}
		row := formRow{Path: path, Origin: origin}
		for _, name := range names {
			f.Values[path+"."+name] = formText(values.Get(path + "." + name))
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// apply carries out a row action ("add:positions", "remove:positions:3",
// "duplicate:positions:3", the same for funding) and renumbers the rows.
// An action the form does not offer is an error, so that a garbled one
// never removes the wrong row.
func (f *editForm) apply(action string) error {
	verb, rest, _ := strings.Cut(action, ":")
	list, index, hasIndex := strings.Cut(rest, ":")
	i := -1
	if verb != "add" || hasIndex {
		var err error
		if i, err = strconv.Atoi(index); err != nil || verb == "add" {
			return formFieldError("action")
		}
	}
	rows, names := &f.Positions, positionFields
	switch {
	case list == "funding":
		rows, names = &f.Funding, fundingFields
	case list != "positions", verb != "add" && verb != "remove" && verb != "duplicate":
		return formFieldError("action")
	}
	type rowValues struct {
		origin int
		values map[string]string
	}
	current := make([]rowValues, len(*rows))
	for j, row := range *rows {
		current[j] = rowValues{origin: row.Origin, values: map[string]string{}}
		for _, name := range names {
			current[j].values[name] = f.Values[row.Path+"."+name]
			delete(f.Values, row.Path+"."+name)
		}
	}
	switch {
	case verb == "add" && len(current) < maxFormRows-1:
		values := map[string]string{}
		if list == "positions" {
			values["id"] = fmt.Sprintf("post-%d", len(current)+1)
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
		path := fmt.Sprintf("%s[%d]", list, j)
		*rows = append(*rows, formRow{Path: path, Origin: rv.origin})
		for _, name := range names {
			f.Values[path+"."+name] = rv.values[name]
		}
	}
	return nil
}

// build merges the form into the stored body: each object starts as the
// stored one the row came from, and a field is written only where its text
// differs from the stored value's. It returns the problems of fields that
// are not even the right kind of value (a number that is none).
func (f *editForm) build(stored []byte, l locale.Lang) ([]byte, []planner.Problem) {
	o, err := planner.ParseObject(stored)
	if err != nil {
		o = planner.Object{}
	}
	var problems []planner.Problem
	merge := func(target *planner.Object, original planner.Object, path string, names []string) {
		for _, name := range names {
			key := name
			if path != "" {
				key = path + "." + name
			}
			text := f.Values[key]
			if original != nil && strings.TrimSpace(text) == strings.TrimSpace(textOf(original.Get(name), name)) {
				continue // unchanged: keep the stored value exactly
			}
			if strings.TrimSpace(text) == "" {
				target.Remove(name)
				continue
			}
			raw, ok := valueJSON(name, text)
			if !ok {
				problems = append(problems, planner.Problem{Path: key, Message: l.Text("page.edit.number_invalid")})
			}
			target.Set(name, raw)
		}
	}
	merge(&o, o.Clone(), "", scenarioFields)
	defaults, err := planner.ParseObject(o.Get("defaults"))
	if err != nil {
		defaults = planner.Object{}
	}
	merge(&defaults, defaults.Clone(), "defaults", defaultFields)
	if raw, err := defaults.MarshalJSON(); err == nil && (len(defaults) > 0 || o.Get("defaults") != nil) {
		o.Set("defaults", raw)
	}
	rows := func(list string, formRows []formRow, names []string) {
		stored := o.Objects(list)
		out := make([]planner.Object, len(formRows))
		for i, row := range formRows {
			var original planner.Object
			if row.Origin >= 0 && row.Origin < len(stored) {
				original = stored[row.Origin]
			}
			out[i] = original.Clone()
			merge(&out[i], original, row.Path, names)
		}
		raw, err := planner.MarshalObjects(out)
		if err == nil {
			o.Set(list, raw)
		}
	}
	rows("funding", f.Funding, fundingFields)
	rows("positions", f.Positions, positionFields)
	body, err := o.MarshalJSON()
	if err != nil {
		problems = append(problems, planner.Problem{Path: "$", Message: err.Error()})
	}
	return body, problems
}

// place puts each problem beside its field: the longest prefix of its
// path that is a form field or row, or among the general problems.
func (f *editForm) place(problems []planner.Problem) {
	rows := map[string]bool{}
	for _, r := range f.Funding {
		rows[r.Path] = true
	}
	for _, r := range f.Positions {
		rows[r.Path] = true
	}
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
			f.General = append(f.General, p.String())
			continue
		}
		if !slices.Contains(f.Errors[path], p.Message) {
			f.Errors[path] = append(f.Errors[path], p.Message)
		}
	}
}

// editPage is /scenarios/{id}/edit.
type editPage struct {
	pageBase
	ID, Name                        string
	Form                            *editForm
	Scenario                        []field
	Defaults                        []field
	Funding                         []editRow
	Positions                       []editRow
	FundingIDs                      []string
	Invalid                         int
	FundingHeaders, PositionHeaders []string
}

// An editRow is a row of the funding or posts table.
type editRow struct {
	Path, List string
	Index      int
	Origin     int
	Label      string // for the row buttons' accessible names
	Fields     []field
	Errors     []string
}

// fieldLabels are the message ids of the fields' labels, by the field's
// name in the scenario format.
var fieldLabels = map[string]string{
	"name": "term.name", "description": "term.description", "start": "page.edit.field.start",
	"min_productive": "term.min_productive", "hr_capacity": "page.whatif.hr_capacity",
	"recruiting": "phase.recruiting", "notice": "page.edit.field.notice", "onboarding": "phase.onboarding", "start_on": "page.edit.field.start_on",
	"monthly_cost": "page.edit.field.monthly_cost", "fte": "term.fte", "id": "term.id", "end": "term.end",
	"rate": "term.rate", "per_fte_year": "page.edit.field.per_fte_year", "cap": "page.edit.field.cap",
	"title": "term.title", "group": "term.group", "location": "term.location", "earliest": "term.earliest",
	"after": "page.edit.field.after", "funding": "term.funding",
}

func (p *editPage) field(path, name string) field {
	f := p.Form
	fd := field{Name: path, Label: p.Lang.Text(fieldLabels[name]), Value: f.Values[path], Errors: f.Errors[path], Kind: "text"}
	switch {
	case name == "start_on":
		fd.Kind = "start_on"
	case name == "description":
		fd.Kind = "textarea"
	case periodFields[name]:
		fd.Hint = periodHint(p.Lang, fd.Value)
	}
	return fd
}

// periodHint says a period in words: "P3M = 3 months"; a range each part.
func periodHint(l locale.Lang, text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	var words []string
	for _, part := range strings.Split(text, "/") {
		period, err := planner.ParsePeriod(strings.TrimSpace(part))
		if err != nil {
			return ""
		}
		words = append(words, l.Period(period))
	}
	return text + " = " + strings.Join(words, " / ")
}

func (a *Handlers) renderEdit(c *gin.Context, status int, id, name string, f *editForm) {
	l := pageLang(c)
	p := &editPage{ID: id, Name: name, Form: f}
	p.Lang = l
	p.Title = l.Printf("page.edit.title", name)
	for _, n := range scenarioFields {
		p.Scenario = append(p.Scenario, p.field(n, n))
	}
	for _, n := range defaultFields {
		p.Defaults = append(p.Defaults, p.field("defaults."+n, n))
	}
	row := func(list string, i int, r formRow, names []string) editRow {
		er := editRow{Path: r.Path, List: list, Index: i, Origin: r.Origin, Errors: f.Errors[r.Path]}
		er.Label = l.Printf("page.edit.row", i+1)
		if id := f.Values[r.Path+".id"]; id != "" {
			er.Label += " (" + id + ")"
		}
		for _, n := range names {
			er.Fields = append(er.Fields, p.field(r.Path+"."+n, n))
		}
		return er
	}
	for _, n := range fundingFields {
		p.FundingHeaders = append(p.FundingHeaders, l.Text(fieldLabels[n]))
	}
	for _, n := range positionFields {
		p.PositionHeaders = append(p.PositionHeaders, l.Text(fieldLabels[n]))
	}
	for i, r := range f.Funding {
		p.Funding = append(p.Funding, row("funding", i, r, fundingFields))
		p.FundingIDs = append(p.FundingIDs, f.Values[r.Path+".id"])
	}
	for i, r := range f.Positions {
		p.Positions = append(p.Positions, row("positions", i, r, positionFields))
	}
	for _, errs := range f.Errors {
		p.Invalid += len(errs)
	}
	p.Invalid += len(f.General)
	a.render(c, status, "edit", p)
}

// Edit answers GET /scenarios/{id}/edit.
func (a *Handlers) Edit(c *gin.Context) {
	if err := a.service.Check(c.Request.Context(), service.ActionUpdate, c.Param("id")); err != nil {
		a.pageFail(c, err)
		return
	}
	sc, err := a.service.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.pageFail(c, err)
		return
	}
	f, err := newEditForm(sc.Body, sc.Revision)
	if err != nil {
		a.pageFail(c, err)
		return
	}
	a.renderEdit(c, http.StatusOK, sc.ID, sc.Name, f)
}

// SaveEdit answers POST /scenarios/{id}/edit: a row action re-renders the
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
	var field formFieldError
	if errors.As(err, &field) {
		a.formUnreadable(c, string(field))
		return
	}
	if action := c.PostForm("action"); action != "" && action != "save" {
		if err := f.apply(action); errors.As(err, &field) {
			a.formUnreadable(c, string(field))
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
		f.place(problems)
		a.renderEdit(c, http.StatusUnprocessableEntity, sc.ID, sc.Name, f)
		return
	}
	updated, err := a.service.Update(ctx, sc.ID, service.IfRevision(f.Revision), body)
	var invalid *planner.ValidationError
	switch {
	case errors.As(err, &invalid):
		f.place(invalid.Problems)
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
