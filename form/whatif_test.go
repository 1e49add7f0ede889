package form

import (
	"net/url"
	"testing"

	"grantplan/locale"
	"grantplan/planner"
	"grantplan/whatif"
)

func TestWhatIfRecruiting(t *testing.T) {
	body := []byte(`{"name":"x","defaults":{"fte":1},"positions":[{"id":"a","recruiting":"P4M"},{"id":"b","recruiting":{"min":"P2M","likely":"P3M","max":"P6M"}},{"id":"c"}]}`)
	v, w, ok := ReadWhatIf(body, url.Values{"recruiting": {"50"}}, locale.English)
	if !ok {
		t.Fatalf("got errors %v", w.Errors)
	}
	changed, err := whatif.Apply(body, v.Variant)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"x","defaults":{"fte":1,"recruiting":"P4M15D"},"positions":[{"id":"a","recruiting":"P6M"},{"id":"b","recruiting":{"min":"P3M","likely":"P4M15D","max":"P9M"}},{"id":"c"}]}`
	if string(changed) != want {
		t.Errorf("got\n%s\nwant\n%s", changed, want)
	}
}

func TestWhatIfControlsRead(t *testing.T) {
	body := []byte(`{"name":"x","start":"2021-09-01","hr_capacity":2,"funding":[{"id":"kim","name":"KIM","end":"2022-12-31"}],"positions":[{"id":"a"},{"id":"b","after":["a"]}]}`)
	tests := []struct {
		values  url.Values
		errors  []string // the controls with an error
		changes int
	}{
		{url.Values{}, nil, 0},
		{url.Values{"start": {"01.10.2021"}, "end0": {"30.06.2023"}, "hr": {"3"}, "parallel": {"on"}}, nil, 4},
		{url.Values{"start": {"31.02.2021"}, "end0": {"bald"}, "hr": {"-1"}, "recruiting": {"900"}}, []string{"start", "end0", "hr", "recruiting"}, 0},
		{url.Values{"raise": {"2,5"}, "raise_from": {"01.01.2022"}}, nil, 1},
		{url.Values{"raise": {"viel"}}, []string{"raise"}, 0},
		{url.Values{"raise": {"2,5"}, "raise_from": {"Neujahr"}}, []string{"raise_from"}, 0},
	}
	for _, tt := range tests {
		v, w, ok := ReadWhatIf(body, tt.values, locale.German)
		if ok != (len(tt.errors) == 0) {
			t.Errorf("%v: ok %v, errors %v", tt.values, ok, w.Errors)
			continue
		}
		for _, name := range tt.errors {
			if w.Errors[name] == "" {
				t.Errorf("%v: no error at %s (errors %v)", tt.values, name, w.Errors)
			}
		}
		if ok && len(v.Changes) != tt.changes {
			t.Errorf("%v: changes %q, want %d", tt.values, v.Changes, tt.changes)
		}
	}
}

func TestWhatIfControlsPlaceProblems(t *testing.T) {
	w := NewWhatIfControls([]byte(`{"name":"x","funding":[{"id":"a","end":"2022-12-31"},{"id":"b","end":"2023-12-31"}]}`), locale.English)
	w.Place(&planner.ValidationError{Problems: []planner.Problem{
		{Path: "funding[1].end", Message: "before its start"},
		{Path: "hr_capacity", Message: "too large"},
		{Path: "positions[0].title", Message: "too long"},
	}}, locale.English)
	if w.Errors["end1"] == "" || w.Errors["hr"] == "" || len(w.General) != 1 {
		t.Errorf("errors %v, general %v", w.Errors, w.General)
	}
}
