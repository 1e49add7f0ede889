package planner

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"grantplan/data"
)

// onePost is a scenario with one post whose recruiting takes 30 to 120
// days, most likely 60, and nothing else: its productive date is the start
// plus the drawn days.
const onePost = `{"name": "one", "start": "2022-01-01", "min_productive": "P0D",
	"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-03-31"}],
	"positions": [{"id": "p", "recruiting": {"min": "P30D", "likely": "P60D", "max": "P120D"},
		"notice": "P0D", "onboarding": "P0D", "start_on": "any", "monthly_cost": 1000}]}`

// triangularCDF is P(X ≤ x) for the triangular distribution over [a, b]
// with mode c.
func triangularCDF(x, a, c, b float64) float64 {
	switch {
	case x <= a:
		return 0
	case x <= c:
		return (x - a) * (x - a) / ((b - a) * (c - a))
	case x < b:
		return 1 - (b-x)*(b-x)/((b-a)*(b-c))
	}
	return 1
}

func risk(t testing.TB, s *Scenario, opts RiskOptions) *Risk {
	t.Helper()
	r, err := s.Risk(context.Background(), opts)
	if err != nil {
		t.Fatalf("Risk(%+v): %v", opts, err)
	}
	return r
}

// TestRiskClosedForm checks one triangular post against the formula: a
// drawn x rounds half up to whole days, so the post is productive by the
// end E (89 days after the start) when x < 89.5.
func TestRiskClosedForm(t *testing.T) {
	s := decode(t, onePost)
	const n = 100000
	r := risk(t, s, RiskOptions{Trials: n, Seed: 42})
	a, c, b := 30.0, 60.0, 120.0
	want := triangularCDF(89.5, a, c, b)
	// The standard error of a share of n trials is at most 0.5/√n ≈ 0.0016.
	if got := r.Positions[0].PProductiveByEnd; math.Abs(got-want) > 0.01 {
		t.Errorf("p_productive_by_end = %.4f, want %.4f ± 0.01", got, want)
	}
	if got := r.Summary.PAllSafe; got != r.Positions[0].PMeetsMinProductive || got != r.Positions[0].PProductiveByEnd {
		t.Errorf("p_all_safe %.4f, p_meets_min %.4f, p_by_end %.4f: with P0D minimum and one post they agree",
			got, r.Positions[0].PMeetsMinProductive, r.Positions[0].PProductiveByEnd)
	}
	start := s.Start
	for _, tt := range []struct {
		name string
		got  Date
		q    float64
	}{{"p10", r.Positions[0].ProductiveP10, 0.1}, {"p50", r.Positions[0].ProductiveP50, 0.5}, {"p90", r.Positions[0].ProductiveP90, 0.9}} {
		// The quantile of x, rounded half up; Monte Carlo moves it by less
		// than a day at this n, rounding by at most one more.
		x := triangular(tt.q, a, c, b)
		want := start + Date(math.Floor(x+0.5))
		if d := int(tt.got - want); d < -1 || d > 1 {
			t.Errorf("%s = %s, want %s ± 1 day (x = %.2f days)", tt.name, tt.got, want, x)
		}
	}
	// The median of the triangle is b − √((b−a)(b−c)/2) ≈ 67.57 days.
	if want := start + 68; r.Positions[0].ProductiveP50 < want-1 || r.Positions[0].ProductiveP50 > want+1 {
		t.Errorf("p50 = %s, want about %s", r.Positions[0].ProductiveP50, want)
	}
}

// TestRiskDrawsWithinRange: every drawn date lies between min and max
// taken at the phase's start, month lengths included.
func TestRiskDrawsWithinRange(t *testing.T) {
	s := decode(t, `{"name": "months", "start": "2022-01-31", "min_productive": "P0D",
		"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31"}],
		"positions": [{"id": "p", "recruiting": {"min": "P1M", "likely": "P2M", "max": "P3M"},
			"notice": "P0D", "onboarding": "P0D", "start_on": "any", "monthly_cost": 1000}]}`)
	r := risk(t, s, RiskOptions{Trials: 5000, Seed: 1})
	low, high := mustDate(t, "2022-02-28"), mustDate(t, "2022-04-30")
	for _, d := range []Date{r.Positions[0].ProductiveP10, r.Positions[0].ProductiveP50, r.Positions[0].ProductiveP90} {
		if d < low || d > high {
			t.Errorf("percentile %s outside [%s, %s]", d, low, high)
		}
	}
	if r.Positions[0].ProductiveP10 >= r.Positions[0].ProductiveP90 {
		t.Errorf("p10 %s not before p90 %s: nothing was drawn", r.Positions[0].ProductiveP10, r.Positions[0].ProductiveP90)
	}
}

// TestRiskWithoutRanges: a scenario without ranges gives the plan in every
// trial: probabilities 0 or 1 that match the plan's flags, percentiles that
// are the plan's dates, and the decision date at any confidence is the
// plan's latest safe start.
func TestRiskWithoutRanges(t *testing.T) {
	scenarios := map[string]string{
		"demo":     string(data.Demo),
		"capacity": largeScenario(60, 2),
		"gates":    largeScenario(120, 0),
	}
	for name, scenario := range scenarios {
		t.Run(name, func(t *testing.T) {
			s := decode(t, scenario)
			plan, err := s.Plan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			r := risk(t, s, RiskOptions{Trials: 50, Seed: 3, Confidence: 0.8})
			allSafe := 1.0
			for p, pp := range plan.Positions {
				pr := r.Positions[p]
				critical, short := false, false
				for _, code := range pp.Flags {
					critical = critical || code == NotFilledBeforeExpiry || code == NotProductiveBeforeExpiry
					short = short || code == ShortProductiveWindow
				}
				wantByEnd, wantMeets := 1.0, 1.0
				if critical {
					wantByEnd, wantMeets = 0, 0
				}
				if short {
					wantMeets = 0
				}
				if wantMeets == 0 {
					allSafe = 0
				}
				if pr.ID != pp.ID || pr.PProductiveByEnd != wantByEnd || pr.PMeetsMinProductive != wantMeets {
					t.Errorf("%s: by end %v, meets min %v; want %v, %v (flags %v)", pp.ID, pr.PProductiveByEnd, pr.PMeetsMinProductive, wantByEnd, wantMeets, pp.Flags)
				}
				if pr.ProductiveP10 != pp.Productive || pr.ProductiveP50 != pp.Productive || pr.ProductiveP90 != pp.Productive {
					t.Errorf("%s: percentiles %s %s %s, want the plan's %s", pp.ID, pr.ProductiveP10, pr.ProductiveP50, pr.ProductiveP90, pp.Productive)
				}
			}
			if r.Summary.PAllSafe != allSafe {
				t.Errorf("p_all_safe = %v, want %v", r.Summary.PAllSafe, allSafe)
			}
			for _, got := range []Decimal{r.Summary.ProductiveFTEMonthsP10, r.Summary.ProductiveFTEMonthsP50, r.Summary.ProductiveFTEMonthsP90} {
				if got != plan.Summary.ProductiveFTEMonths {
					t.Errorf("productive FTE-months percentile %s, want the plan's %s", got, plan.Summary.ProductiveFTEMonths)
				}
			}
			if !reflect.DeepEqual(r.LatestDecision, plan.Summary.LatestSafeStart) {
				t.Errorf("latest decision %v, want the plan's latest safe start %v", r.LatestDecision, plan.Summary.LatestSafeStart)
			}
		})
	}
}

// TestRiskDeterministic: the seed and the trials fix the answer, whatever
// the number of workers or GOMAXPROCS; another seed gives another answer.
func TestRiskDeterministic(t *testing.T) {
	s := decode(t, string(data.Demo))
	spread := Spread{Recruiting: {Min: 0.8, Max: 1.5}, Notice: {Min: 0.5, Max: 1.2}, Onboarding: {Min: 0.8, Max: 1.5}}
	opts := RiskOptions{Trials: 3000, Seed: 7, Confidence: 0.8, Spread: spread, Workers: 1}
	want := risk(t, s, opts)
	for _, workers := range []int{2, 3, 8} {
		opts.Workers = workers
		if got := risk(t, s, opts); !reflect.DeepEqual(got, want) {
			t.Errorf("workers=%d: answer differs from workers=1:\n got %+v\nwant %+v", workers, got, want)
		}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	opts.Workers = 0
	if got := risk(t, s, opts); !reflect.DeepEqual(got, want) {
		t.Errorf("GOMAXPROCS=1: answer differs")
	}
	opts.Seed = 8
	if got := risk(t, s, opts); reflect.DeepEqual(got.Positions, want.Positions) && got.Summary == want.Summary {
		t.Errorf("seed 8 gives the same answer as seed 7: the seed is not used")
	}
}

// TestRiskSpread: a spread makes fixed periods uncertain within its
// factors, and leaves P0D alone.
func TestRiskSpread(t *testing.T) {
	s := decode(t, `{"name": "spread", "start": "2022-01-01", "min_productive": "P0D",
		"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31"}],
		"positions": [{"id": "p", "recruiting": "P100D", "notice": "P0D", "onboarding": "P0D", "start_on": "any", "monthly_cost": 1000}]}`)
	if s.IsUncertain(Spread{}) {
		t.Fatal("IsUncertain without ranges or spread")
	}
	spread := Spread{Recruiting: {Min: 0.8, Max: 1.5}, Notice: {Min: 0.5, Max: 2}}
	if !s.IsUncertain(spread) {
		t.Fatal("not IsUncertain with a spread on recruiting")
	}
	r := risk(t, s, RiskOptions{Trials: 20000, Seed: 5, Spread: spread})
	p := r.Positions[0]
	start := s.Start
	if p.ProductiveP10 < start+80 || p.ProductiveP90 > start+150 || p.ProductiveP10 >= p.ProductiveP90 {
		t.Errorf("percentiles %s … %s, want spread within [start+80, start+150]", p.ProductiveP10, p.ProductiveP90)
	}
	x := triangular(0.5, 80, 100, 150)
	if want := start + Date(math.Floor(x+0.5)); p.ProductiveP50 < want-1 || p.ProductiveP50 > want+1 {
		t.Errorf("p50 = %s, want %s ± 1", p.ProductiveP50, want)
	}
}

func TestRiskOptionsInvalid(t *testing.T) {
	s := decode(t, onePost)
	tests := []struct {
		name   string
		change func(o *RiskOptions)
		want   []string
	}{
		{"zero trials", func(o *RiskOptions) { o.Trials = 0 }, []string{"trials: 0 is out of range"}},
		{"negative trials", func(o *RiskOptions) { o.Trials = -1 }, []string{"trials: -1 is out of range"}},
		{"too many trials", func(o *RiskOptions) { o.Trials = MaxTrials + 1 }, []string{"trials: 100001 is out of range"}},
		{"seed", func(o *RiskOptions) { o.Seed = MaxSeed + 1 }, []string{"seed: 9007199254740992 is out of range"}},
		{"confidence one", func(o *RiskOptions) { o.Confidence = 1 }, []string{"confidence: 1 is out of range"}},
		{"confidence negative", func(o *RiskOptions) { o.Confidence = -0.5 }, []string{"confidence: -0.5 is out of range"}},
		{"confidence NaN", func(o *RiskOptions) { o.Confidence = math.NaN() }, []string{"confidence: NaN is out of range"}},
		{"spread", func(o *RiskOptions) { o.Spread = Spread{Notice: {Min: 1.2, Max: 0.5}} },
			[]string{"spread.notice.min: 1.2 is out of range", "spread.notice.max: 0.5 is out of range"}},
		{"spread 0:0", func(o *RiskOptions) { o.Spread = Spread{Recruiting: {}} }, []string{"spread.recruiting.max: 0 is out of range"}},
		{"all at once", func(o *RiskOptions) { o.Trials, o.Confidence = -1, 2 }, []string{"trials:", "confidence:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := DefaultRiskOptions()
			tt.change(&opts)
			_, err := s.Risk(context.Background(), opts)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			if len(ve.Problems) != len(tt.want) {
				t.Fatalf("problems %v, want %d", ve.Problems, len(tt.want))
			}
			for i, want := range tt.want {
				if got := ve.Problems[i].String(); !strings.HasPrefix(got, want) {
					t.Errorf("problem %d = %q, want it to start with %q", i, got, want)
				}
			}
		})
	}
	if err := DefaultRiskOptions().Validate(); err != nil {
		t.Errorf("the default options are invalid: %v", err)
	}
}

// TestRiskLatestDecision: at the answer the share of safe trials reaches
// the confidence and a day later it does not (no capacity: exact).
func TestRiskLatestDecision(t *testing.T) {
	s := decode(t, onePost)
	opts := RiskOptions{Trials: 4000, Seed: 11, Confidence: 0.8}
	r := risk(t, s, opts)
	if r.LatestDecision == nil {
		t.Fatal("no latest decision")
	}
	run := newRiskRun(s, &opts)
	trials := []*trial{run.newTrial()}
	need := required(0.8, 4000)
	ctx := context.Background()
	if ok, _ := run.enoughSafe(ctx, trials, *r.LatestDecision, need, false); !ok {
		t.Errorf("at %s fewer than %d trials are safe", *r.LatestDecision, need)
	}
	if ok, _ := run.enoughSafe(ctx, trials, *r.LatestDecision+1, need, false); ok {
		t.Errorf("a day after %s still %d trials are safe: not the latest", *r.LatestDecision, need)
	}
	// The 80th percentile of x is 120 − √(0.2·90·60) ≈ 87.1 days: decide
	// about 87 days before the end of March.
	end := mustDate(t, "2022-03-31")
	if d := int(end - *r.LatestDecision); d < 86 || d > 88 {
		t.Errorf("latest decision %s is %d days before the end, want 87 ± 1", *r.LatestDecision, d)
	}
}

func TestRequired(t *testing.T) {
	for _, tt := range []struct {
		c    float64
		n    int
		want int
	}{{0.8, 2000, 1600}, {0.8, 3, 3}, {0.5, 1, 1}, {0.1, 10, 1}, {0.7, 10, 7}, {0.999, 100000, 99900}} {
		if got := required(tt.c, tt.n); got != tt.want {
			t.Errorf("required(%v, %d) = %d, want %d", tt.c, tt.n, got, tt.want)
		}
	}
}

func TestRiskHonoursContext(t *testing.T) {
	s := decode(t, largeScenario(200, 0))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Risk(ctx, RiskOptions{Trials: MaxTrials, Confidence: 0.8}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestRiskTrialDoesNotAllocate: after warming up, a trial allocates
// nothing, on the int64 path.
func TestRiskTrialDoesNotAllocate(t *testing.T) {
	s := decode(t, largeScenario(100, 2))
	opts := RiskOptions{Trials: 1000, Spread: Spread{Recruiting: {Min: 0.8, Max: 1.5}}}
	run := newRiskRun(s, &opts)
	tr := run.newTrial()
	var tl tally
	tl.byEnd, tl.meetsMin = make([]int, 100), make([]int, 100)
	for i := range 200 {
		tr.run(i, &tl)
	}
	i := 0
	allocs := testing.AllocsPerRun(100, func() {
		tr.run(i%200, &tl)
		if tr.buffer.hold(tr.sched.times) {
			tr.buffer.held = 0
		}
		i++
	})
	if allocs != 0 {
		t.Errorf("a trial allocates %v times", allocs)
	}
}

// TestRiskJSON pins the document's shape and, for seed 7, its figures: a
// change to the random streams shows up here, deliberately.
func TestRiskJSON(t *testing.T) {
	s := decode(t, onePost)
	for _, tt := range []struct {
		name string
		opts RiskOptions
		want string
	}{
		{"plain", RiskOptions{Trials: 10, Seed: 7},
			`{"trials":10,"seed":7,"positions":[{"id":"p","p_productive_by_end":0.8,"p_meets_min_productive":0.8,"productive_p10":"2022-02-13","productive_p50":"2022-03-05","productive_p90":"2022-04-23"}],"summary":{"p_all_safe":0.8,"productive_fte_months_p10":0.00,"productive_fte_months_p50":0.58,"productive_fte_months_p90":1.46,"own_share_p10":0.00,"own_share_p50":0.00,"own_share_p90":0.00}}`},
		{"with a confidence", RiskOptions{Trials: 10, Seed: 7, Confidence: 0.8},
			`{"trials":10,"seed":7,"positions":[{"id":"p","p_productive_by_end":0.8,"p_meets_min_productive":0.8,"productive_p10":"2022-02-13","productive_p50":"2022-03-05","productive_p90":"2022-04-23"}],"summary":{"p_all_safe":0.8,"productive_fte_months_p10":0.00,"productive_fte_months_p50":0.58,"productive_fte_months_p90":1.46,"own_share_p10":0.00,"own_share_p50":0.00,"own_share_p90":0.00},"confidence":0.8,"latest_decision":"2022-01-09"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(risk(t, s, tt.opts))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	r := risk(t, s, RiskOptions{Trials: 10, Seed: 7, Confidence: 0.999999})
	got, _ := json.Marshal(r)
	if !strings.HasSuffix(string(got), `"confidence":0.999999,"latest_decision":"`+r.LatestDecision.String()+`"}`) {
		t.Errorf("with a confidence: %s", got)
	}
}

func TestParseSpread(t *testing.T) {
	tests := []struct {
		text string
		want Spread
		err  string
	}{
		{text: "0.8:1.5", want: Spread{{0.8, 1.5}, {0.8, 1.5}, {0.8, 1.5}}},
		{text: "recruiting=0.8:1.5", want: Spread{Recruiting: {0.8, 1.5}}},
		{text: "0.9:1.1, onboarding = 1:2", want: Spread{{0.9, 1.1}, {0.9, 1.1}, {1, 2}}},
		{text: "hiring=0.8:1.5", err: `"hiring" is not a phase`},
		{text: "0.8", err: `"0.8" is not MIN:MAX`},
		{text: "a:1", err: `"a" is not a number`},
	}
	for _, tt := range tests {
		got, err := ParseSpread(tt.text)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseSpread(%q) error %v, want %q", tt.text, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseSpread(%q) = %v, %v; want %v", tt.text, got.String(), err, tt.want.String())
		}
		if again, err := ParseSpread(got.String()); err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("round trip of %q via %q: %v, %v", tt.text, got.String(), again, err)
		}
	}
}

// TestUncertainDemo: the uncertain demo's likely values are the demo's, so
// it plans the same dates; and its risk run is not the plan.
func TestUncertainDemo(t *testing.T) {
	demo := planOf(t, string(data.Demo))
	s := decode(t, string(data.DemoUncertain))
	uncertain, err := s.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range demo.Positions {
		a, b := demo.Positions[i], uncertain.Positions[i]
		if a.HiringStart != b.HiringStart || a.Filled != b.Filled || a.Productive != b.Productive {
			t.Errorf("%s: uncertain demo plans %s/%s/%s, the demo %s/%s/%s", a.ID, b.HiringStart, b.Filled, b.Productive, a.HiringStart, a.Filled, a.Productive)
		}
	}
	r := risk(t, s, RiskOptions{Trials: 2000})
	if p := r.Positions[0]; p.ProductiveP10 >= p.ProductiveP90 {
		t.Errorf("%s: p10 %s, p90 %s: nothing uncertain", p.ID, p.ProductiveP10, p.ProductiveP90)
	}
}

// TestRiskWideDatesStaySmall: periods may be absurd (120,000 years), and a
// spread of 0 to 10 scatters the productive dates over a million years;
// the risk run must still keep about one entry a trial, not a counter a
// day.
func TestRiskWideDatesStaySmall(t *testing.T) {
	s := decode(t, `{"name": "absurd", "start": "2022-01-01", "min_productive": "P0D",
		"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31"}],
		"positions": [{"id": "a", "recruiting": "P120000Y", "notice": "P120000M", "onboarding": "P120000W", "monthly_cost": 1},
		              {"id": "b", "recruiting": "P120000Y", "notice": "P0D", "onboarding": "P0D", "monthly_cost": 1}]}`)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := risk(t, s, RiskOptions{Trials: 2000, Spread: Spread{{0, 10}, {0, 10}, {0, 10}}})
	runtime.ReadMemStats(&after)
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 64<<20 {
		t.Errorf("the run allocated %d MB, want well under 64 MB", allocated>>20)
	}
	if p := r.Positions[0]; !(p.ProductiveP10 < p.ProductiveP50 && p.ProductiveP50 < p.ProductiveP90) {
		t.Errorf("percentiles %d %d %d not in order", p.ProductiveP10, p.ProductiveP50, p.ProductiveP90)
	}
}
