package planner

import (
	"context"
	"testing"

	"grantplan/internal/scenariotest"
)

func TestCanonicalNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"5500", "5500"}, {"5500.00", "5500"}, {"0.50", "0.5"}, {"-0.0", "0"}, {"4.6360E3", "4636"},
		{"5.5e3", "5500"}, {"1e-2", "0.01"}, {"12E+1", "120"}, {"0", "0"}, {"-12.250", "-12.25"},
		{"1e39", "1" + "0000000000" + "0000000000" + "0000000000" + "000000000"},
		{"1e-38", "0." + "0000000000" + "0000000000" + "0000000000" + "0000000" + "1"},
		{"1e40", ""}, {"1e-39", ""}, {"-1e40", ""},
		{"00", ""}, {"1.", ""}, {".5", ""}, {"1e", ""}, {"1e41", ""}, {"1e+-2", ""}, {"+1", ""}, {"", ""}, {"x", ""},
	}
	for _, tt := range tests {
		if tt.want != "" {
			// What it writes, it reads again as itself.
			if again, ok := CanonicalNumber(tt.want); !ok || again != tt.want {
				t.Errorf("CanonicalNumber(%q) = %q, %v; want it to read as itself", tt.want, again, ok)
			}
		}
		got, ok := CanonicalNumber(tt.in)
		if tt.want == "" && ok || tt.want != "" && got != tt.want {
			t.Errorf("CanonicalNumber(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

// TestCanonicalShapes: the canonical writer knows every member the
// decoder accepts, so that no given member is lost.
func TestCanonicalShapes(t *testing.T) {
	names := func(s *shape) map[string]bool {
		out := map[string]bool{}
		for _, m := range s.members {
			out[m.name] = true
		}
		return out
	}
	check := func(what string, s *shape, fields []string) {
		t.Helper()
		have := names(s)
		for _, f := range fields {
			if !have[f] {
				t.Errorf("%s: the canonical shape lacks %q", what, f)
			}
		}
		if len(have) != len(fields) {
			t.Errorf("%s: the shape has %d members, the decoder %d", what, len(have), len(fields))
		}
	}
	fieldNames := func(n int, name func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = name(i)
		}
		return out
	}
	check("scenario", scenarioShape, fieldNames(len(scenarioFields), func(i int) string { return scenarioFields[i].name }))
	check("defaults", defaultsShape, fieldNames(len(defaultableFields), func(i int) string { return defaultableFields[i].name }))
	check("position", positionShape, fieldNames(len(positionFieldTable), func(i int) string { return positionFieldTable[i].name }))
	check("funding", fundingShape, fieldNames(len(fundingFields), func(i int) string { return fundingFields[i].name }))
	check("dependency", dependencyShape, fieldNames(len(dependencyFields), func(i int) string { return dependencyFields[i].name }))
	check("range", spanShape, fieldNames(len(spanFields), func(i int) string { return spanFields[i].name }))
	check("pay raise", payRaiseShape, fieldNames(len(payRaiseFields), func(i int) string { return payRaiseFields[i].name }))
}

func TestCanonical(t *testing.T) {
	in := `{"positions": [{"after": [{"ref": "b"}, "b", {"ref": "b", "lag": "P0Y2W", "event": null}], "title": "", "fte": 1.0, "id": "a",
	   "recruiting": {"max": "P6M", "likely": "P3M", "min": "P0Y2M"}},
	 {"id": "b", "monthly_cost": 5.5e3, "location": "Siegen", "after": []}],
	 "funding": [{"end": "2022-12-31", "id": "f", "name": "", "start": "2021-01-01", "cap": null, "rate": 1.00}],
	 "defaults": {"notice": "P12M", "fte": 0.50}, "hr_capacity": 0, "description": "", "start": "2021-01-01", "name": "x"}`
	want := `{"name":"x","start":"2021-01-01","hr_capacity":0,"defaults":{"fte":0.5,"notice":"P12M"},` +
		`"funding":[{"id":"f","start":"2021-01-01","end":"2022-12-31","rate":1}],` +
		`"positions":[{"id":"a","fte":1,"recruiting":{"min":"P2M","likely":"P3M","max":"P6M"},"after":["b","b",{"ref":"b","lag":"P2W"}]},` +
		`{"id":"b","location":"Siegen","monthly_cost":5500}]}`
	got, err := Canonical([]byte(in))
	if err != nil || string(got) != want {
		t.Fatalf("got %s, %v\nwant %s", got, err, want)
	}
	got, err = Canonical([]byte(`{"name": "x", "start": "2021-01-01", "defaults": {"fte": null},
	  "funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}], "positions": [{"id": "a", "after": []}]}`))
	if want := `{"name":"x","start":"2021-01-01","funding":[{"id":"f","start":"2021-01-01","end":"2022-12-31"}],"positions":[{"id":"a"}]}`; err != nil || string(got) != want {
		t.Errorf("got %s, %v\nwant %s", got, err, want)
	}
	if _, err := Canonical([]byte(`{"name": "x"}`)); err == nil {
		t.Error("an invalid scenario has a canonical form")
	}
}

// TestCanonicalPlansTheSame: the canonical form of the demo and of random
// scenarios plans exactly as the scenario does, and is its own canonical
// form.
func TestCanonicalPlansTheSame(t *testing.T) {
	scenarios := [][]byte{[]byte(readDemo(t))}
	for seed := int64(1); seed <= 200; seed++ {
		scenarios = append(scenarios, scenariotest.Random(seed, scenariotest.Options{Ranges: true, Texts: true}))
	}
	for i, sc := range scenarios {
		canonical, err := Canonical(sc)
		if err != nil {
			t.Fatalf("scenario %d: %v", i, err)
		}
		again, err := Canonical(canonical)
		if err != nil || string(again) != string(canonical) {
			t.Fatalf("scenario %d: canonical twice gives\n%s\nonce\n%s", i, again, canonical)
		}
		if got, want := planJSON(t, canonical), planJSON(t, sc); got != want {
			t.Fatalf("scenario %d: the canonical form plans differently\n%s\n%s", i, sc, canonical)
		}
	}
}

func planJSON(t *testing.T, scenario []byte) string {
	t.Helper()
	s, err := Decode(scenario)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, err := plan.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
