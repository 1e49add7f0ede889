package reference

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"grantplan/planner"
)

var (
	count      = flag.Int("reference.n", 300, "random scenarios to compare with reference.py")
	seed       = flag.Uint64("reference.seed", 1, "the first scenario's seed; scenario i has seed+i")
	exhaustive = flag.Bool("reference.exhaustive", false, "reference.py tries every date for the latest safe start")
	workers    = flag.Int("reference.workers", 2, "reference.py processes at once")
	file       = flag.String("reference.file", "", "compare the scenarios of this file (a JSON array) instead of random ones")
	dump       = flag.String("reference.dump", "", "write the scenarios, a JSON array, to this file")
)

// python returns the python3 to run reference.py with; without one the
// test skips, or fails when CI is set.
func python(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 is needed for the comparison with reference.py: %v", err)
		}
		t.Skipf("python3 not found (%v): the plans are not compared with reference.py", err)
	}
	return path
}

// runReference plans the scenarios with reference.py and returns its
// plans, each as decoded JSON with numbers kept as written.
func runReference(py string, scenarios [][]byte) ([]any, error) {
	var in bytes.Buffer
	in.WriteString("[")
	for i, s := range scenarios {
		if i > 0 {
			in.WriteString(",\n")
		}
		in.Write(s)
	}
	in.WriteString("]")
	args := []string{"reference.py"}
	if *exhaustive {
		args = append(args, "--exhaustive")
	}
	cmd := exec.Command(py, args...)
	cmd.Stdin = &in
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("reference.py: %v\n%s", err, stderr.String())
	}
	var plans []any
	dec := json.NewDecoder(&out)
	dec.UseNumber()
	if err := dec.Decode(&plans); err != nil {
		return nil, fmt.Errorf("reading reference.py's plans: %v", err)
	}
	if len(plans) != len(scenarios) {
		return nil, fmt.Errorf("reference.py planned %d scenarios of %d", len(plans), len(scenarios))
	}
	return plans, nil
}

// planned plans a scenario as `grantplan plan --json` does.
func planned(t *testing.T, scenario []byte) (any, error) {
	t.Helper()
	s, err := planner.Decode(scenario)
	if err != nil {
		return nil, err
	}
	p, err := s.Plan(context.Background())
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	return doc, nil
}

var decimalText = regexp.MustCompile(`^-?[0-9]+\.[0-9]+$`)

// compare appends to diffs every place where got differs from want,
// reference.py's value. It walks want: the fields the reference fixes.
// Decimals (strings in want, numbers in got) compare as exact values,
// so 25.0 and 25.00 agree.
func compare(path string, want, got any, diffs *[]string) {
	differ := func() {
		*diffs = append(*diffs, fmt.Sprintf("%s: grantplan %s, reference %s", path, show(got), show(want)))
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			differ()
			return
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			gv, ok := g[k]
			if !ok {
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: missing in grantplan's plan", path, k))
				continue
			}
			compare(path+"."+k, w[k], gv, diffs)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			differ()
			return
		}
		for i := range w {
			compare(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], diffs)
		}
	case string:
		if decimalText.MatchString(w) {
			n, ok := got.(json.Number)
			if !ok || !sameNumber(w, string(n)) {
				differ()
			}
			return
		}
		if g, ok := got.(string); !ok || g != w {
			differ()
		}
	case json.Number:
		n, ok := got.(json.Number)
		if !ok || !sameNumber(string(w), string(n)) {
			differ()
		}
	case nil:
		if got != nil {
			differ()
		}
	default:
		panic(fmt.Sprintf("%s: unexpected %T in reference.py's plan", path, want))
	}
}

func sameNumber(a, b string) bool {
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	return ok1 && ok2 && x.Cmp(y) == 0
}

func show(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(data) > 200 {
		return string(data[:200]) + "…"
	}
	return string(data)
}

// TestPlansAgreeWithReference plans random scenarios with the planner
// and with reference.py and compares every figure of the plans.
func TestPlansAgreeWithReference(t *testing.T) {
	py := python(t)
	n := *count
	if testing.Short() {
		n = min(n, 50)
	}
	scenarios := make([][]byte, n)
	for i := range scenarios {
		data, err := json.Marshal(newGenerator(*seed + uint64(i)).scenario())
		if err != nil {
			t.Fatal(err)
		}
		scenarios[i] = data
	}
	if *file != "" {
		data, err := os.ReadFile(*file)
		if err != nil {
			t.Fatal(err)
		}
		var list []json.RawMessage
		if err := json.Unmarshal(data, &list); err != nil {
			t.Fatalf("%s: %v", *file, err)
		}
		n = len(list)
		scenarios = make([][]byte, n)
		for i, s := range list {
			scenarios[i] = s
		}
	}

	if *dump != "" {
		if err := os.WriteFile(*dump, append(append([]byte("["), bytes.Join(scenarios, []byte(",\n"))...), ']', '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// reference.py is slow: it runs in a few processes on parts of the
	// scenarios while the planner plans them all.
	parts := max(1, *workers)
	want := make([]any, n)
	refErrs := make([]error, parts)
	var wg sync.WaitGroup
	for w := range parts {
		lo, hi := w*n/parts, (w+1)*n/parts
		wg.Go(func() {
			var plans []any
			plans, refErrs[w] = runReference(py, scenarios[lo:hi])
			copy(want[lo:hi], plans)
		})
	}
	got := make([]any, n)
	errs := make([]error, n)
	for i, s := range scenarios {
		got[i], errs[i] = planned(t, s)
	}
	wg.Wait()
	for _, err := range refErrs {
		if err != nil {
			t.Fatal(err)
		}
	}

	failed := 0
	for i := range scenarios {
		if errs[i] != nil {
			t.Errorf("seed %d: the planner refuses the scenario: %v\n%s", *seed+uint64(i), errs[i], scenarios[i])
			failed++
			continue
		}
		var diffs []string
		compare("plan", want[i], got[i], &diffs)
		if len(diffs) == 0 {
			continue
		}
		failed++
		if failed <= 5 {
			if len(diffs) > 12 {
				diffs = append(diffs[:12], fmt.Sprintf("… %d more", len(diffs)-12))
			}
			t.Errorf("seed %d: the plans differ:\n  %s\nscenario: %s", *seed+uint64(i), strings.Join(diffs, "\n  "), scenarios[i])
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d scenarios differ", failed, n)
	} else {
		t.Logf("%d scenarios agree", n)
	}
}

// edgeScenarios are written by hand for what random scenarios rarely
// meet; they are compared with reference.py like the random ones.
var edgeScenarios = map[string]string{
	// The post on the later source is safe only from a start more than
	// ten years before its end, within ten years of the earlier end.
	"safe start before the later end's window": `{"name": "e", "start": "2015-01-01", "min_productive": "P1Y",
		"defaults": {"start_on": "any", "notice": "P0D", "onboarding": "P0D"},
		"funding": [{"id": "a", "start": "2010-01-01", "end": "2020-12-31"}, {"id": "b", "start": "2010-01-01", "end": "2030-12-31"}],
		"positions": [{"id": "x", "recruiting": "P10Y", "funding": "b"}, {"id": "y", "recruiting": "P1M", "funding": "a"}]}`,
	// Productive on the day after the funding end with no minimum:
	// latest_hiring_start allows it, the flags do not.
	"productive the day after the end": `{"name": "e", "start": "2022-01-01", "min_productive": "P0D",
		"defaults": {"start_on": "any", "recruiting": "P0D", "notice": "P0D", "onboarding": "P1Y"},
		"funding": [{"id": "a", "start": "2022-01-01", "end": "2022-12-31"}],
		"positions": [{"id": "x", "monthly_cost": 1000}]}`,
	// Month ends clamp, quarter starts, Feb 29.
	"month ends": `{"name": "e", "start": "2024-01-31", "min_productive": "P1M",
		"defaults": {"recruiting": "P1M", "notice": "P1M1D", "onboarding": "P1M", "start_on": "any"},
		"funding": [{"id": "a", "start": "2024-02-29", "end": "2025-02-28"}],
		"positions": [{"id": "x", "monthly_cost": 3000},
			{"id": "y", "start_on": "quarter_start", "notice": "P0D", "recruiting": "P11M", "monthly_cost": 3000},
			{"id": "z", "earliest": "2024-12-31", "start_on": "month_start", "recruiting": "P0D", "notice": "P0D", "monthly_cost": 3000}]}`,
	// One HR place: ties go by the scenario's order, not by id.
	"capacity ties": `{"name": "e", "start": "2022-01-01", "hr_capacity": 1,
		"defaults": {"recruiting": "P2M", "notice": "P0D", "onboarding": "P1M", "start_on": "any"},
		"funding": [{"id": "a", "start": "2022-01-01", "end": "2023-06-30"}],
		"positions": [{"id": "z", "monthly_cost": 1}, {"id": "m", "monthly_cost": 2}, {"id": "a", "monthly_cost": 3, "recruiting": "P0D"},
			{"id": "b", "after": [{"ref": "z", "event": "hiring_start", "lag": "P1M"}], "monthly_cost": 4}]}`,
	// A cap used up in the second year, a negative raise before the start,
	// compounding raises, one after the horizon.
	"cap over years": `{"name": "e", "start": "2022-03-15", "horizon": "2025-06-30",
		"pay_raises": [{"from": "2021-01-01", "percent": -3.5}, {"from": "2023-06-16", "percent": 100}, {"from": "2024-02-29", "percent": -50}, {"from": "2026-01-01", "percent": 7}],
		"defaults": {"recruiting": "P1M", "notice": "P0D", "onboarding": "P2M", "employment": "permanent"},
		"funding": [{"id": "a", "start": "2022-01-01", "end": "2024-12-31", "rate": 0.9, "per_fte_year": 60000, "cap": 70000.005}],
		"positions": [{"id": "x", "monthly_cost": 5000.01, "fte": 0.75}, {"id": "y", "monthly_cost": 6000, "employment": "fixed"}]}`,
	// Permanent posts filled after the horizon and after the funding end;
	// a fixed post filled before its source starts.
	"employment edges": `{"name": "e", "start": "2022-01-01", "horizon": "2023-12-31", "min_productive": "P1Y",
		"defaults": {"start_on": "any", "notice": "P0D", "onboarding": "P1M"},
		"funding": [{"id": "a", "start": "2022-06-01", "end": "2023-03-31"}],
		"positions": [{"id": "late", "recruiting": "P2Y", "employment": "permanent", "monthly_cost": 4000},
			{"id": "after-end", "recruiting": "P1Y6M", "employment": "permanent", "monthly_cost": 4000},
			{"id": "early", "recruiting": "P1M", "monthly_cost": 4000}]}`,
	// Starting after the horizon leaves the budget empty.
	"start after horizon": `{"name": "e", "start": "2024-01-01",
		"funding": [{"id": "a", "start": "2021-01-01", "end": "2022-12-31", "cap": 0}],
		"positions": [{"id": "x", "monthly_cost": 4000, "employment": "permanent"}]}`,
	// A flat amount crossed by a raise mid-month.
	"flat amount crossed": `{"name": "e", "start": "2022-01-01", "pay_raises": [{"from": "2022-06-16", "percent": 2.5}],
		"defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P0D", "start_on": "any"},
		"funding": [{"id": "a", "start": "2022-01-01", "end": "2022-12-31", "per_fte_year": 61500}],
		"positions": [{"id": "x", "monthly_cost": 5000}]}`,
	// Group gates with counts, events and lags.
	"group gates": `{"name": "e", "start": "2022-01-01",
		"defaults": {"start_on": "any", "notice": "P1M", "onboarding": "P1M"},
		"funding": [{"id": "a", "start": "2022-01-01", "end": "2024-12-31"}],
		"positions": [{"id": "o1", "group": "o", "recruiting": "P3M"}, {"id": "o2", "group": "o", "recruiting": "P1M"},
			{"id": "o3", "group": "o", "recruiting": "P2M", "after": [{"ref": "group:o", "count": 1, "event": "recruited", "lag": "P2W"}]},
			{"id": "c1", "after": [{"ref": "group:o", "count": 2, "event": "productive", "lag": "P10D"}, "o1"]},
			{"id": "c2", "after": ["group:o", {"ref": "c1", "event": "hiring_start"}]}]}`,
	// Half cents to round away from zero.
	"half cents": `{"name": "e", "start": "2022-01-01", "defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P1M", "start_on": "any"},
		"funding": [{"id": "a", "start": "2022-01-01", "end": "2022-03-31", "rate": 0.5}],
		"positions": [{"id": "x", "monthly_cost": 0.01, "fte": 0.5}, {"id": "y", "monthly_cost": 0.03}]}`,
}

func TestEdgeScenariosAgreeWithReference(t *testing.T) {
	py := python(t)
	names := make([]string, 0, len(edgeScenarios))
	for name := range edgeScenarios {
		names = append(names, name)
	}
	sort.Strings(names)
	scenarios := make([][]byte, len(names))
	for i, name := range names {
		scenarios[i] = []byte(edgeScenarios[name])
	}
	want, err := runReference(py, scenarios)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range names {
		t.Run(name, func(t *testing.T) {
			got, err := planned(t, scenarios[i])
			if err != nil {
				t.Fatal(err)
			}
			var diffs []string
			compare("plan", want[i], got, &diffs)
			if len(diffs) > 0 {
				t.Errorf("the plans differ:\n  %s", strings.Join(diffs, "\n  "))
			}
		})
	}
}
