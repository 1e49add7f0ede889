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
