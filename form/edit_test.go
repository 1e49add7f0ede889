package form

import (
	"errors"
	"net/url"
	"strconv"
	"testing"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
)

// postValues is the form a page of the demo would post, unchanged.
func postValues(t *testing.T, l locale.Lang) url.Values {
	t.Helper()
	f, err := NewEdit(data.Demo, 3, l)
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{"revision": {"3"}, "base": {"3"}}
	for key, value := range f.Values {
		v.Set(key, value)
	}
	for _, table := range []struct {
		list List
		rows []Row
	}{{FundingList, f.Funding}, {PayRaiseList, f.Raises}, {PositionList, f.Positions}} {
		v.Set(table.list.Name+".rows", strconv.Itoa(len(table.rows)))
		for _, r := range table.rows {
			v.Set(r.Path+".origin", strconv.Itoa(r.Origin))
		}
	}
	return v
}

func TestEditUnchangedKeepsTheStoredBody(t *testing.T) {
	for _, l := range []locale.Lang{locale.English, locale.German} {
		f, err := ParseEdit(postValues(t, l))
		if err != nil {
			t.Fatal(err)
		}
		body, problems := f.Build(data.Demo, l)
		if len(problems) > 0 {
			t.Fatalf("%s: problems %v", l, problems)
		}
		want, _ := planner.ParseObject(data.Demo)
		got, _ := planner.ParseObject(body)
		wantJSON, _ := want.MarshalJSON()
		gotJSON, _ := got.MarshalJSON()
		if string(gotJSON) != string(wantJSON) {
			t.Errorf("%s: an unchanged form changed the scenario:\n%s\nwant\n%s", l, gotJSON, wantJSON)
		}
	}
}

func TestEditApply(t *testing.T) {
	v := postValues(t, locale.German)
	f, err := ParseEdit(v)
	if err != nil {
		t.Fatal(err)
	}
	posts := len(f.Positions)
	first := f.Values["positions[0].id"]
	if err := f.Apply("duplicate:positions:0", nil); err != nil {
		t.Fatal(err)
	}
	if len(f.Positions) != posts+1 || f.Values["positions[1].id"] != first+"-copy" || f.Positions[1].Origin != 0 {
		t.Errorf("duplicate: %d posts, second %q from %d", len(f.Positions), f.Values["positions[1].id"], f.Positions[1].Origin)
	}
	if err := f.Apply("add:positions", func(n int) string { return "neu" + strconv.Itoa(n) }); err != nil {
		t.Fatal(err)
	}
	last := f.Positions[len(f.Positions)-1]
	if last.Origin != -1 || f.Values[last.Path+".id"] != "neu"+strconv.Itoa(posts+2) {
		t.Errorf("add: last row %+v with id %q", last, f.Values[last.Path+".id"])
	}
	if err := f.Apply("remove:positions:1", nil); err != nil {
		t.Fatal(err)
	}
	if len(f.Positions) != posts+1 || f.Values["positions[1].id"] == first+"-copy" {
		t.Errorf("remove: %d posts, second %q", len(f.Positions), f.Values["positions[1].id"])
	}
	for _, bad := range []string{"remove:positions:x", "add:positions:2", "burn:positions:1", "add:secrets", "page:zwei"} {
		var unreadable UnreadableField
		if err := f.Apply(bad, nil); !errors.As(err, &unreadable) || unreadable != "action" {
			t.Errorf("Apply(%q) = %v, want the action unreadable", bad, err)
		}
	}
}

func TestEditPlacesProblems(t *testing.T) {
	v := postValues(t, locale.German)
	v.Set("positions[1].recruiting", "bald")
	v.Set("start", "31.02.2021")
	f, err := ParseEdit(v)
	if err != nil {
		t.Fatal(err)
	}
	_, problems := f.Build(data.Demo, locale.German)
	if len(problems) != 2 {
		t.Fatalf("problems %v, want the start and the recruiting time", problems)
	}
	f.Place(problems, locale.German)
	if len(f.Errors["start"]) != 1 || len(f.Errors["positions[1].recruiting"]) != 1 || f.ProblemCount() != 2 {
		t.Errorf("errors %v, general %v", f.Errors, f.General)
	}
	if !f.RowHasProblem("positions[1]") || f.RowHasProblem("positions[0]") {
		t.Errorf("the rows with problems are wrong: %v", f.Errors)
	}
}

func TestParseEditRefusesGarbledHiddenFields(t *testing.T) {
	for _, field := range []string{"revision", "base", "positions.rows"} {
		v := postValues(t, locale.English)
		v.Set(field, "drei")
		var unreadable UnreadableField
		if _, err := ParseEdit(v); !errors.As(err, &unreadable) || string(unreadable) != field {
			t.Errorf("%s garbled: %v", field, err)
		}
	}
}
