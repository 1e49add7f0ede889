package tj3

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rickb777/date/v2"

	"grantplan/planner"
)

// handWritten is the KIM programme of data/ in weeks and days: four
// overhead posts, one of them waiting for another's hiring start and
// recruitment at once, then case managers gated on the whole overhead
// group, on a single post with a lag, and on an earliest date.
const handWritten = `{
  "name": "KIM in weeks and days",
  "start": "2021-10-01",
  "defaults": {"recruiting": "P17W", "notice": "P6W", "onboarding": "P13W", "start_on": "any"},
  "funding": [
    {"id": "kim-b1", "start": "2021-01-01", "end": "2022-12-31", "per_fte_year": 55000},
    {"id": "kim-b2", "start": "2021-01-01", "end": "2022-12-31", "per_fte_year": 55000}
  ],
  "positions": [
    {"id": "ovh-gesamtkoordination", "group": "overhead", "notice": "P13W"},
    {"id": "ovh-strategie", "group": "overhead",
     "after": [{"ref": "ovh-gesamtkoordination", "event": "hiring_start", "lag": "P2W"}]},
    {"id": "ovh-kreisraum", "group": "overhead",
     "after": [{"ref": "ovh-strategie", "event": "hiring_start", "lag": "P30W"},
               {"ref": "ovh-strategie", "event": "recruited"}]},
    {"id": "ovh-assistenz", "group": "overhead", "recruiting": "P13W", "notice": "P0D", "onboarding": "P9W"},
    {"id": "cm-wittgenstein", "group": "case-management", "recruiting": "P22W", "onboarding": "P26W",
     "after": ["group:overhead"], "funding": "kim-b2"},
    {"id": "cm-siegen-1", "group": "case-management", "recruiting": "P22W", "notice": "P4W",
     "after": [{"ref": "group:overhead", "event": "recruited", "lag": "P1W3D"}], "funding": "kim-b2"},
    {"id": "cm-siegen-2", "group": "case-management", "recruiting": "P0D", "notice": "P0D", "onboarding": "P0D",
     "after": [{"ref": "cm-siegen-1", "event": "productive", "lag": "P10D"}, "cm-siegen-1"], "funding": "kim-b2"},
    {"id": "cm-kreuztal", "group": "case-management", "earliest": "2023-01-16",
     "after": [{"ref": "group:case-management", "event": "hiring_start"}], "funding": "kim-b2"}
  ]
}`

// randomScenario returns a scenario of 1–20 positions that TaskJuggler can
// express: weeks-and-days phases and lags, start_on "any", dependencies on
// positions and whole groups with every event, earliest dates and several
// funding sources. The input order is shuffled against the dependency
// order, so that the planner cannot rely on them agreeing.
func randomScenario(r *rand.Rand, name string) []byte {
	period := func(maxWeeks int) string {
		switch r.IntN(6) {
		case 0:
			return "P0D"
		case 1:
			return fmt.Sprintf("P%dD", 1+r.IntN(40))
		case 2:
			return fmt.Sprintf("P%dW", 1+r.IntN(maxWeeks))
		}
		return fmt.Sprintf("P%dW%dD", r.IntN(maxWeeks+1), 1+r.IntN(6))
	}
	// Start years leave room for 20 chained positions before 2035, and a
	// narrow range keeps tj3's time frame, and so its run time, short.
	start := date.New(2000+r.IntN(12), 1, 1) + date.Date(r.IntN(365))

	n := 1 + r.IntN(20)
	rank := r.Perm(n) // rank[i]: position i's place in the dependency order
	groups := make([]string, n)
	members := make(map[string][]int)
	for i := range n {
		if r.IntN(4) > 0 {
			groups[i] = fmt.Sprintf("g%d", r.IntN(4))
			members[groups[i]] = append(members[groups[i]], i)
		}
	}
	events := []string{"hiring_start", "recruited", "filled", "productive"}

	fundings := make([]map[string]any, 1+r.IntN(3))
	for f := range fundings {
		from := start - date.Date(r.IntN(400))
		fundings[f] = map[string]any{
			"id": fmt.Sprintf("f%d", f), "start": from.String(),
			"end": (from + date.Date(365+r.IntN(2000))).String(),
		}
	}
	positions := make([]map[string]any, n)
	for i := range n {
		p := map[string]any{"id": fmt.Sprintf("pos-%d", i)}
		if groups[i] != "" {
			p["group"] = groups[i]
		}
		for _, phase := range []string{"recruiting", "notice", "onboarding"} {
			if r.IntN(4) > 0 {
				p[phase] = period(16)
			}
		}
		if r.IntN(3) == 0 {
			p["earliest"] = (start - 60 + date.Date(r.IntN(300))).String()
		}
		if r.IntN(2) == 0 {
			p["funding"] = fmt.Sprintf("f%d", r.IntN(len(fundings)))
		}
		var after []any
		for range r.IntN(4) {
			var ref string
			if r.IntN(3) == 0 {
				// A group whose every other member comes earlier.
				g := fmt.Sprintf("g%d", r.IntN(4))
				ok := false
				for _, m := range members[g] {
					if m != i {
						ok = true
					}
					if m != i && rank[m] > rank[i] {
						ok = false
						break
					}
				}
				if !ok {
					continue
				}
				ref = "group:" + g
			} else {
				var earlier []int
				for q := range n {
					if rank[q] < rank[i] {
						earlier = append(earlier, q)
					}
				}
				if len(earlier) == 0 {
					continue
				}
				ref = fmt.Sprintf("pos-%d", earlier[r.IntN(len(earlier))])
			}
			if r.IntN(4) == 0 {
				after = append(after, ref)
				continue
			}
			dep := map[string]any{"ref": ref, "event": events[r.IntN(len(events))]}
			if r.IntN(2) == 0 {
				dep["lag"] = period(4)
			}
			after = append(after, dep)
		}
		if len(after) > 0 {
			p["after"] = after
		}
		positions[i] = p
	}
	data, err := json.Marshal(map[string]any{
		"name":      name,
		"start":     start.String(),
		"defaults":  map[string]any{"start_on": "any", "recruiting": period(16), "notice": period(8), "onboarding": period(12)},
		"funding":   fundings,
		"positions": positions,
	})
	if err != nil {
		panic(err)
	}
	return data
}

// requireTJ3 skips the test where tj3 is missing, except on CI, where the
// cross-check must run.
func requireTJ3(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tj3"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tj3 not installed; .ci/run must install it")
		}
		t.Skip("tj3 not installed (apt-get install tj3)")
	}
}

func decode(t testing.TB, data []byte) *planner.Scenario {
	t.Helper()
	s, err := planner.Decode(data)
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, data)
	}
	return s
}

// randomScenarios is how many random scenarios the cross-check runs; the
// default keeps the test at a few seconds, -tj3.random=2000 checks more
// thoroughly.
var randomScenarios = flag.Int("tj3.random", 100, "random scenarios to cross-check against tj3")

// randomSeed varies the random scenarios; the default keeps the test
// deterministic.
var randomSeed = flag.Uint64("tj3.seed", 2024, "seed of the random scenarios")

// batchSize is how many scenarios share one tj3 project. tj3's time grows
// faster than the size of the project (25 random scenarios take 2 s, 100
// take 12 s, 200 take 33 s), so the cross-check runs small projects, as
// many at once as there are CPUs.
const batchSize = 25

// TestAgainstTaskJuggler plans the hand-written scenario, many random ones
// and a generated programme of 150 posts with the planner and with tj3,
// batchSize scenarios to a TaskJuggler project, and compares every
// position's four dates to the day.
func TestAgainstTaskJuggler(t *testing.T) {
	requireTJ3(t)
	inputs := [][]byte{[]byte(handWritten), Generate(150, 7)}
	r := rand.New(rand.NewPCG(*randomSeed, 11))
	for k := range *randomScenarios {
		inputs = append(inputs, randomScenario(r, fmt.Sprintf("random %d", k)))
	}
	scenarios := make([]*planner.Scenario, len(inputs))
	for k, data := range inputs {
		scenarios[k] = decode(t, data)
	}

	got := runBatches(t, scenarios)

	positions := 0
	for k, s := range scenarios {
		plan, err := s.Plan(context.Background())
		if err != nil {
			t.Fatalf("scenario %d: plan: %v", k, err)
		}
		failed := false
		for i, p := range plan.Positions {
			positions++
			want := got[k][i]
			for _, field := range []struct {
				name         string
				planner, tj3 date.Date
			}{
				{"hiring_start", p.HiringStart, want.HiringStart},
				{"recruited", p.Recruited, want.Recruited},
				{"filled", p.Filled, want.Filled},
				{"productive", p.Productive, want.Productive},
			} {
				if field.planner != field.tj3 {
					t.Errorf("%s: %s: %s: planner %s, tj3 %s", s.Name, p.ID, field.name, field.planner, field.tj3)
					failed = true
				}
			}
		}
		if failed {
			t.Logf("%s:\n%s", s.Name, inputs[k])
		}
	}
	t.Logf("compared %d scenarios, %d positions, 4 dates each", len(scenarios), positions)
}

// runBatches schedules the scenarios with tj3 in projects of batchSize
// and returns their dates, indexed like the scenarios.
func runBatches(t *testing.T, scenarios []*planner.Scenario) [][]Dates {
	t.Helper()
	ctx := context.Background()
	if deadline, ok := t.Deadline(); ok {
		// End tj3 before the test binary panics, so that no tj3 outlives it.
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-5*time.Second))
		defer cancel()
	}
	dates := make([][]Dates, len(scenarios))
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		errs    []error
		running = make(chan struct{}, runtime.GOMAXPROCS(0))
	)
	for from := 0; from < len(scenarios); from += batchSize {
		to := min(from+batchSize, len(scenarios))
		dir := t.TempDir()
		wg.Go(func() {
			running <- struct{}{}
			defer func() { <-running }()
			got, err := Run(ctx, dir, scenarios[from:to])
			if err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("scenarios %d to %d: %w", from, to-1, err))
				mu.Unlock()
				return
			}
			copy(dates[from:to], got)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return dates
}

func TestWriteRefuses(t *testing.T) {
	tests := []struct {
		name     string
		scenario string
		want     string // in the error
	}{
		{
			name:     "months",
			scenario: `"positions": [{"id": "a", "recruiting": "P3M"}]`,
			want:     "positions[0] (a): recruiting P3M: TaskJuggler's months and years",
		},
		{
			name:     "years",
			scenario: `"positions": [{"id": "a", "onboarding": "P1Y"}]`,
			want:     "positions[0] (a): onboarding P1Y",
		},
		{
			name:     "lag in months",
			scenario: `"positions": [{"id": "a"}, {"id": "b", "after": [{"ref": "a", "lag": "P1M"}]}]`,
			want:     "positions[1] (b): after[0]: lag P1M",
		},
		{
			name:     "month start",
			scenario: `"positions": [{"id": "a", "start_on": "month_start"}]`,
			want:     `positions[0] (a): start_on "month_start"`,
		},
		{
			name:     "quarter start",
			scenario: `"positions": [{"id": "a", "start_on": "quarter_start"}]`,
			want:     `start_on "quarter_start"`,
		},
		{
			name:     "k of n",
			scenario: `"positions": [{"id": "a", "group": "g"}, {"id": "b", "group": "g"}, {"id": "c", "after": [{"ref": "group:g", "count": 1}]}]`,
			want:     "positions[2] (c): after[0]: group:g with count 1 of 2",
		},
		{
			name:     "capacity",
			scenario: `"hr_capacity": 2, "positions": [{"id": "a"}]`,
			want:     "hr_capacity 2",
		},
		{
			name:     "after 2035",
			scenario: `"positions": [{"id": "a", "earliest": "2035-12-01", "recruiting": "P8W"}]`,
			want:     "outside TaskJuggler's calendar",
		},
		{
			name:     "before 1970",
			scenario: `"start": "1969-12-31", "positions": [{"id": "a"}]`,
			want:     "outside TaskJuggler's calendar",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := decode(t, scenarioJSON(tt.scenario))
			err := Write(new(bytes.Buffer), s)
			if err == nil {
				t.Fatalf("got no error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "tj3: ") {
				t.Errorf("got %q, want a tj3: error containing %q", err, tt.want)
			}
		})
	}
}

// scenarioJSON completes the given top-level members into a scenario
// whose defaults TaskJuggler can express; a given "start" wins over the
// default one, because Decode refuses duplicate members.
func scenarioJSON(members string) []byte {
	start := `"start": "2024-01-01", `
	if strings.Contains(members, `"start"`) {
		start = ""
	}
	return []byte(`{"name": "t", ` + start +
		`"defaults": {"recruiting": "P12W", "notice": "P4W", "onboarding": "P8W", "start_on": "any"},
		"funding": [{"id": "f", "start": "2024-01-01", "end": "2026-12-31"}], ` + members + `}`)
}

func TestWriteDependencies(t *testing.T) {
	tests := []struct {
		name     string
		scenario string
		want     string // the recruiting line of the last position
	}{
		{
			name:     "filled without lag",
			scenario: `"positions": [{"id": "a"}, {"id": "b", "after": ["a"]}]`,
			want:     `task rec "recruiting" { depends s0.decision, s0.p0.not duration 84d }`,
		},
		{
			name:     "hiring start with lag",
			scenario: `"positions": [{"id": "a"}, {"id": "b", "after": [{"ref": "a", "event": "hiring_start", "lag": "P1W2D"}]}]`,
			want:     `task rec "recruiting" { depends s0.decision, s0.p0.rec { onstart gapduration 9d } duration 84d }`,
		},
		{
			name:     "group without the position itself",
			scenario: `"positions": [{"id": "a", "group": "g"}, {"id": "b", "group": "g"}, {"id": "c", "group": "g", "after": [{"ref": "group:g", "event": "productive"}]}]`,
			want:     `task rec "recruiting" { depends s0.decision, s0.p0.onb, s0.p1.onb duration 84d }`,
		},
		{
			name:     "same task twice keeps the longer lag",
			scenario: `"positions": [{"id": "a", "group": "g"}, {"id": "b", "after": ["group:g", {"ref": "a", "lag": "P3D"}]}]`,
			want:     `task rec "recruiting" { depends s0.decision, s0.p0.not { gapduration 3d } duration 84d }`,
		},
		{
			name:     "start and end of the same task",
			scenario: `"positions": [{"id": "a"}, {"id": "b", "after": [{"ref": "a", "event": "recruited", "lag": "P1D"}, {"ref": "a", "event": "hiring_start", "lag": "P2W"}]}]`,
			want:     `task rec "recruiting" { depends s0.decision, s0.p0.rec { onstart gapduration 85d } duration 84d }`,
		},
		{
			name:     "earliest after the start",
			scenario: `"positions": [{"id": "a", "earliest": "2024-02-01", "recruiting": "P0D"}]`,
			want:     `task rec "recruiting" { depends s0.decision, s0.p0.earliest milestone }`,
		},
		{
			name:     "earliest before the start",
			scenario: `"positions": [{"id": "a", "earliest": "2023-02-01"}]`,
			want:     `task rec "recruiting" { depends s0.decision duration 84d }`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := Write(&out, decode(t, scenarioJSON(tt.scenario))); err != nil {
				t.Fatal(err)
			}
			var got string
			for line := range strings.Lines(out.String()) {
				if strings.Contains(line, `task rec "recruiting"`) {
					got = strings.TrimSpace(line)
				}
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestReadReport(t *testing.T) {
	s := decode(t, scenarioJSON(`"positions": [{"id": "a"}]`))
	const header = "\"Id\";\"Start\";\"End\"\n\"s0\";\"2024-01-01 00:00\";\"2024-05-20 00:00\"\n" +
		"\"s0.decision\";\"2024-01-01 00:00\";\"2024-01-01 00:00\"\n"
	tests := []struct {
		name   string
		report string
		want   Dates
		err    string
	}{
		{
			name: "complete",
			report: header + "\"s0.p0.rec\";\"2024-01-01 00:00\";\"2024-03-25 00:00\"\n" +
				"\"s0.p0.not\";\"2024-03-25 00:00\";\"2024-04-22 00:00\"\n" +
				"\"s0.p0.onb\";\"2024-04-22 00:00\";\"2024-06-17 00:00\"\n",
			want: Dates{
				HiringStart: planner.MustParseDate("2024-01-01"),
				Recruited:   planner.MustParseDate("2024-03-25"),
				Filled:      planner.MustParseDate("2024-04-22"),
				Productive:  planner.MustParseDate("2024-06-17"),
			},
		},
		{
			name: "missing task",
			report: header + "\"s0.p0.rec\";\"2024-01-01 00:00\";\"2024-03-25 00:00\"\n" +
				"\"s0.p0.onb\";\"2024-04-22 00:00\";\"2024-06-17 00:00\"\n",
			err: "tj3: report: task s0.p0.not is missing",
		},
		{
			name:   "not midnight",
			report: header + "\"s0.p0.rec\";\"2024-01-01 00:00\";\"2024-03-25 09:00\"\n",
			err:    "2024-03-25 09:00 is not midnight",
		},
		{
			name:   "unknown position",
			report: header + "\"s0.p1.rec\";\"2024-01-01 00:00\";\"2024-03-25 00:00\"\n",
			err:    "task s0.p1.rec is not in the scenarios",
		},
		{
			name:   "other columns",
			report: "\"Id\";\"Name\";\"Start\"\n",
			err:    "header",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadReport(strings.NewReader(tt.report), []*planner.Scenario{s})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got[0][0] != tt.want {
				t.Errorf("got %+v, want %+v", got[0][0], tt.want)
			}
		})
	}
}

func TestGenerate(t *testing.T) {
	tests := []struct {
		n    int
		seed uint64
	}{{1, 1}, {2, 1}, {51, 3}, {1000, 1}, {5000, 2}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d posts, seed %d", tt.n, tt.seed), func(t *testing.T) {
			data := Generate(tt.n, tt.seed)
			if again := Generate(tt.n, tt.seed); !bytes.Equal(data, again) {
				t.Fatal("got different scenarios for the same n and seed")
			}
			s := decode(t, data)
			if got := len(s.Positions); got != tt.n {
				t.Errorf("got %d positions, want %d", got, tt.n)
			}
			if err := Write(new(bytes.Buffer), s); err != nil {
				t.Errorf("got %v, want a scenario TaskJuggler can express", err)
			}
		})
	}
}

// BenchmarkPlan1000 decodes and plans the generated 1,000-post scenario
// that scripts/compare-tj3.sh times against tj3.
func BenchmarkPlan1000(b *testing.B) {
	data := Generate(1000, 1)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		s, err := planner.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Plan(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
