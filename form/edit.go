package form

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"grantplan/locale"
	"grantplan/planner"
)

// The edit form of the web pages shows every field of the scenario
// format as a person types it, in the page's language: dates as 31.12.2022 in
// German, amounts as 4.636,5, periods as "3 Monate", a range as "2 Monate
// / 3 Monate / 6 Monate", dependencies as "group:overhead, 2 von
// group:cm@Zusage+2 Wochen"; either language's way and ISO are accepted
// back. Saving does not build the scenario afresh: each row remembers
// which stored object it came from, and only the fields whose text the
// user changed are written into a copy of that object. What the form does
// not know, and how the JSON wrote what it shows, survives (docs/web.md).

// A List is a table of the edit form: the funding sources or the posts. Its
// rows' fields are named "funding[2].end".
type List struct {
	Name   string
	Fields []Field
}

// The edit form's tables.
var (
	FundingList  = List{"funding", FundingFields}
	PayRaiseList = List{"pay_raises", PayRaiseFields}
	PositionList = List{"positions", PositionFields}
)

// Essentials is how many of a post's fields its row shows; the others are
// in the row's details.
const Essentials = 7

// PostsPerPage is how many posts a page of the form shows; the others are
// carried along in hidden fields.
const PostsPerPage = 50

// maxRows bounds the rows a form may post (a scenario has at most
// planner.MaxPositions posts, docs/scenario.md).
const maxRows = planner.MaxPositions + 1

// Edit is the edit page's state: the values as text, keyed by the
// field's path ("start", "defaults.recruiting", "positions[2].after").
type Edit struct {
	// Base is the revision the rows' origins index into; Revision the one
	// a save may replace. They differ after a lost race, when the user
	// chose to keep their version.
	Base     int
	Revision int
	Values   map[string]string
	Funding  []Row
	Raises   []Row
	// RaisesGiven tells that the form holds the pay rises (every form the
	// page writes does).
	RaisesGiven bool
	Positions   []Row
	Errors      map[string][]string // by field path, or by row path for the row
	General     []string
	Conflict    string
	// Page is the page of posts shown, from 1; Filter the text that the
	// posts shown contain (in their id, title, group or location).
	Page   int
	Filter string
}

// A Row is one funding source or post: the index of the stored object
// it started from (-1 for a new row) and its fields' paths.
type Row struct {
	Path   string // "positions[2]"
	Origin int
}

// NewEdit fills the form from a stored body, written in l.
func NewEdit(body []byte, revision int, l locale.Lang) (*Edit, error) {
	o, err := planner.ParseObject(body)
	if err != nil {
		return nil, err
	}
	f := &Edit{Base: revision, Revision: revision, Values: map[string]string{}, Errors: map[string][]string{}, Page: 1}
	for _, fd := range ScenarioFields {
		f.Values[fd.Name] = fd.Text(o.Get(fd.Name), l)
	}
	defaults, _ := planner.ParseObject(o.Get("defaults"))
	for _, fd := range DefaultFields {
		f.Values["defaults."+fd.Name] = fd.Text(defaults.Get(fd.Name), l)
	}
	for i, src := range o.Objects("funding") {
		f.Funding = append(f.Funding, f.rowOf(FundingList, i, i, src, l))
	}
	for i, raise := range o.Objects("pay_raises") {
		f.Raises = append(f.Raises, f.rowOf(PayRaiseList, i, i, raise, l))
	}
	f.RaisesGiven = true
	for i, pos := range o.Objects("positions") {
		f.Positions = append(f.Positions, f.rowOf(PositionList, i, i, pos, l))
	}
	return f, nil
}

func (f *Edit) rowOf(li List, i, origin int, o planner.Object, l locale.Lang) Row {
	row := Row{Path: fmt.Sprintf("%s[%d]", li.Name, i), Origin: origin}
	for _, fd := range li.Fields {
		f.Values[row.Path+"."+fd.Name] = fd.Text(o.Get(fd.Name), l)
	}
	return row
}

// ParseEdit reads a posted form. Rows are numbered as posted. The
// hidden fields the page fills in (the revisions, the row counts) must be
// whole numbers; the name of one that is not comes back as the error.
func ParseEdit(values url.Values) (*Edit, error) {
	f := &Edit{Values: map[string]string{}, Errors: map[string][]string{}, Page: 1}
	var err error
	if f.Revision, err = strconv.Atoi(values.Get("revision")); err != nil {
		return nil, UnreadableField("revision")
	}
	if f.Base, err = strconv.Atoi(values.Get("base")); err != nil {
		return nil, UnreadableField("base")
	}
	if page := values.Get("page"); page != "" {
		if f.Page, err = strconv.Atoi(page); err != nil {
			return nil, UnreadableField("page")
		}
	}
	f.Filter = strings.TrimSpace(values.Get("filter"))
	for _, fd := range ScenarioFields {
		f.Values[fd.Name] = formText(values.Get(fd.Name))
	}
	for _, fd := range DefaultFields {
		f.Values["defaults."+fd.Name] = formText(values.Get("defaults." + fd.Name))
	}
	if f.Funding, err = readRows(f, values, FundingList); err != nil {
		return nil, err
	}
	// A form without the pay rises (one a page wrote before they were
	// in it) leaves the stored ones as they are.
	if f.RaisesGiven = values.Has(PayRaiseList.Name + ".rows"); f.RaisesGiven {
		if f.Raises, err = readRows(f, values, PayRaiseList); err != nil {
			return nil, err
		}
	}
	if f.Positions, err = readRows(f, values, PositionList); err != nil {
		return nil, err
	}
	return f, nil
}

// An UnreadableField names a hidden field of a posted form that is missing
// or not a whole number.
type UnreadableField string

func (e UnreadableField) Error() string { return "form field " + string(e) + " is not a whole number" }

// formText is a submitted field's text with the CRLF line ends browsers
// send for a textarea turned back into LF, so that an untouched
// description compares equal to the stored one.
func formText(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func readRows(f *Edit, values url.Values, li List) ([]Row, error) {
	n, err := strconv.Atoi(values.Get(li.Name + ".rows"))
	if err != nil {
		return nil, UnreadableField(li.Name + ".rows")
	}
	n = min(max(n, 0), maxRows)
	rows := make([]Row, 0, n)
	for i := range n {
		path := li.Name + "[" + strconv.Itoa(i) + "]"
		origin, err := strconv.Atoi(values.Get(path + ".origin"))
		if err != nil {
			origin = -1
		}
		row := Row{Path: path, Origin: origin}
		for _, fd := range li.Fields {
			f.Values[path+"."+fd.Name] = formText(values.Get(path + "." + fd.Name))
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// Apply carries out an action that re-renders the form: a row action
// ("add:positions", "remove:positions:3", "duplicate:positions:3", the
// same for funding and pay_raises, which renumber the rows), a page of the posts
// ("page:2") or the filter ("filter"). An action the form does not offer
// is an error, so that a garbled one never removes the wrong row. A new
// post is given the id newPostID makes of its number.
func (f *Edit) Apply(action string, newPostID func(n int) string) error {
	verb, rest, _ := strings.Cut(action, ":")
	switch verb {
	case "filter":
		f.Page = 1
		return nil
	case "page":
		n, err := strconv.Atoi(rest)
		if err != nil {
			return UnreadableField("action")
		}
		f.Page = n
		return nil
	}
	name, index, hasIndex := strings.Cut(rest, ":")
	i := -1
	if verb != "add" || hasIndex {
		var err error
		if i, err = strconv.Atoi(index); err != nil || verb == "add" {
			return UnreadableField("action")
		}
	}
	rows, li := &f.Positions, PositionList
	switch {
	case verb != "add" && verb != "remove" && verb != "duplicate":
		return UnreadableField("action")
	case name == "funding":
		rows, li = &f.Funding, FundingList
	case name == "pay_raises":
		rows, li = &f.Raises, PayRaiseList
		f.RaisesGiven = true
	case name != "positions":
		return UnreadableField("action")
	}
	type rowValues struct {
		origin int
		values map[string]string
	}
	current := make([]rowValues, len(*rows))
	for j, row := range *rows {
		current[j] = rowValues{origin: row.Origin, values: map[string]string{}}
		for _, fd := range li.Fields {
			current[j].values[fd.Name] = f.Values[row.Path+"."+fd.Name]
			delete(f.Values, row.Path+"."+fd.Name)
		}
	}
	switch {
	case verb == "add" && len(current) < maxRows-1:
		values := map[string]string{}
		if name == "positions" {
			values["id"] = newPostID(len(current) + 1)
			f.Page = len(current)/PostsPerPage + 1 // the new row's page
			f.Filter = ""
		}
		current = append(current, rowValues{origin: -1, values: values})
	case verb == "remove" && i >= 0 && i < len(current):
		current = append(current[:i], current[i+1:]...)
	case verb == "duplicate" && i >= 0 && i < len(current) && len(current) < maxRows-1:
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
		path := li.Name + "[" + strconv.Itoa(j) + "]"
		*rows = append(*rows, Row{Path: path, Origin: rv.origin})
		for _, fd := range li.Fields {
			f.Values[path+"."+fd.Name] = rv.values[fd.Name]
		}
	}
	return nil
}

// Build merges the form into the stored body: each object starts as the
// stored one the row came from, and a field is written only where its text
// differs from the stored value's, as the form wrote it in l. A text that
// does not read (a date that is none) is a problem at its field and
// leaves the stored value in place, so that the planner does not report
// the same field again.
func (f *Edit) Build(stored []byte, l locale.Lang) ([]byte, []planner.Problem) {
	o, err := planner.ParseObject(stored)
	if err != nil {
		o = planner.Object{}
	}
	var problems []planner.Problem
	merge := func(target *planner.Object, original planner.Object, path string, fields []Field) {
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
	merge(&o, o.Clone(), "", ScenarioFields)
	defaults, err := planner.ParseObject(o.Get("defaults"))
	if err != nil {
		defaults = planner.Object{}
	}
	merge(&defaults, defaults.Clone(), "defaults", DefaultFields)
	if raw, err := defaults.MarshalJSON(); err == nil && (len(defaults) > 0 || o.Get("defaults") != nil) {
		o.Set("defaults", raw)
	}
	rows := func(li List, formRows []Row) {
		if len(formRows) == 0 && o.Get(li.Name) == nil {
			return // none stored and none added: the list stays out
		}
		stored := o.Objects(li.Name)
		out := make([]planner.Object, len(formRows))
		for i, row := range formRows {
			var original planner.Object
			if row.Origin >= 0 && row.Origin < len(stored) {
				original = stored[row.Origin]
			}
			out[i] = original.Clone()
			merge(&out[i], original, row.Path, li.Fields)
		}
		raw, err := planner.MarshalObjects(out)
		if err == nil {
			o.Set(li.Name, raw)
		}
	}
	rows(FundingList, f.Funding)
	if f.RaisesGiven {
		rows(PayRaiseList, f.Raises)
	}
	rows(PositionList, f.Positions)
	body, err := o.MarshalJSON()
	if err != nil {
		problems = append(problems, planner.Problem{Path: "$", Message: err.Error()})
	}
	return body, problems
}

// Place puts each problem, written in l, beside its field: the longest
// prefix of its path that is a form field or row, or among the general
// problems. A problem at a field that already has one from the form's own
// reading (a text that is no date) is left out: it is the same problem
// seen again by the planner.
func (f *Edit) Place(problems []planner.Problem, l locale.Lang) {
	rows := map[string]bool{}
	for _, list := range [][]Row{f.Funding, f.Raises, f.Positions} {
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
	return slices.Contains(locale.InputProblemCodes(), code) || slices.Contains(ProblemCodes(), code) ||
		code == planner.ProblemNotCalendarDay || code == planner.ProblemDateOutOfRange || code == planner.ProblemPeriodTooLarge ||
		code == planner.ProblemNotPeriod
}

// ProblemCount is how many problems the form shows: one per message
// beside a field, and the general ones.
func (f *Edit) ProblemCount() int {
	n := len(f.General)
	for _, errs := range f.Errors {
		n += len(errs)
	}
	return n
}

// Matches reports whether the post at path contains the filter.
func (f *Edit) Matches(path string) bool {
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

// RowHasProblem reports whether the row at path or one of its fields has
// a problem.
func (f *Edit) RowHasProblem(path string) bool {
	for key := range f.Errors {
		if key == path || strings.HasPrefix(key, path+".") {
			return true
		}
	}
	return false
}
