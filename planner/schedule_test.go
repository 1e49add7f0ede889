package planner

import (
	"fmt"
	"strings"
	"testing"
)

// scenarioJSON wraps positions in a scenario decided on start, with one
// funding source f for 2020–2022 and defaults that make every phase
// explicit: no notice, no onboarding, no alignment.
func scenarioJSON(start string, hrCapacity int, positions ...string) string {
	return fmt.Sprintf(`{"name": "test", "start": %q, "hr_capacity": %d, "min_productive": "P0D",
		"defaults": {"recruiting": "P10D", "notice": "P0D", "onboarding": "P0D", "start_on": "any", "monthly_cost": 1000},
		"funding": [{"id": "f", "start": "2020-01-01", "end": "2022-12-31"}],
		"positions": [%s]}`, start, hrCapacity, strings.Join(positions, ","))
}

type wantDates struct {
	id                                                string
	ready, hiringStart, recruited, filled, productive string
}

func checkDates(t *testing.T, plan *Plan, want []wantDates) {
	t.Helper()
	for _, w := range want {
		p := positionByID(t, plan, w.id)
		for _, c := range []struct {
			name, got, want string
		}{
			{"ready", p.Ready.String(), w.ready},
			{"hiring_start", p.HiringStart.String(), w.hiringStart},
			{"recruited", p.Recruited.String(), w.recruited},
			{"filled", p.Filled.String(), w.filled},
			{"productive", p.Productive.String(), w.productive},
		} {
			if c.want != "" && c.got != c.want {
				t.Errorf("%s.%s = %s, want %s", w.id, c.name, c.got, c.want)
			}
		}
	}
}

func TestSchedulePhases(t *testing.T) {
	plan := planOf(t, scenarioJSON("2021-01-31", 0,
		`{"id": "month-end", "recruiting": "P1M", "notice": "P1M1D", "onboarding": "P3M"}`,
		`{"id": "quarter", "recruiting": "P4M", "notice": "P6W", "start_on": "quarter_start", "onboarding": "P3M"}`,
		`{"id": "month", "recruiting": "P3M", "notice": "P4W", "start_on": "month_start", "onboarding": "P2M"}`,
		`{"id": "on-the-first", "earliest": "2021-03-01", "recruiting": "P1M", "start_on": "month_start"}`,
		`{"id": "later", "earliest": "2021-06-15"}`,
	))
	checkDates(t, plan, []wantDates{
		// 2021-01-31 + P1M = 02-28 (clamped); + P1M1D = 03-28 + 1 = 03-29.
		{id: "month-end", ready: "2021-01-31", hiringStart: "2021-01-31", recruited: "2021-02-28", filled: "2021-03-29", productive: "2021-06-29"},
		// 01-31 + P4M = 05-31; + 6 weeks = 07-12; next quarter 10-01.
		{id: "quarter", recruited: "2021-05-31", filled: "2021-10-01", productive: "2022-01-01"},
		// 01-31 + P3M = 04-30; + 4 weeks = 05-28; next month 06-01.
		{id: "month", recruited: "2021-04-30", filled: "2021-06-01", productive: "2021-08-01"},
		// Already on the first of a month: alignment keeps it.
		{id: "on-the-first", ready: "2021-03-01", recruited: "2021-04-01", filled: "2021-04-01"},
		{id: "later", ready: "2021-06-15", hiringStart: "2021-06-15", recruited: "2021-06-25"},
	})
}

func TestGateEventsAndLags(t *testing.T) {
	// q: hiring_start 2021-01-04, recruited 01-14, filled 02-01 (month
	// start after a P1W notice), productive 03-01.
	q := `{"id": "q", "recruiting": "P10D", "notice": "P1W", "start_on": "month_start", "onboarding": "P1M"}`
	tests := []struct {
		event, lag string
		want       string
	}{
		{event: "hiring_start", lag: "P0D", want: "2021-01-04"},
		{event: "hiring_start", lag: "P2W", want: "2021-01-18"},
		{event: "recruited", lag: "P0D", want: "2021-01-14"},
		{event: "recruited", lag: "P1M", want: "2021-02-14"},
		{event: "filled", lag: "P0D", want: "2021-02-01"},
		{event: "filled", lag: "P1M1D", want: "2021-03-02"},
		{event: "productive", lag: "P0D", want: "2021-03-01"},
		{event: "productive", lag: "P1Y", want: "2022-03-01"},
	}
	for _, tt := range tests {
		t.Run(tt.event+"+"+tt.lag, func(t *testing.T) {
			p := fmt.Sprintf(`{"id": "p", "after": [{"ref": "q", "event": %q, "lag": %q}]}`, tt.event, tt.lag)
			plan := planOf(t, scenarioJSON("2021-01-04", 0, p, q))
			checkDates(t, plan, []wantDates{{id: "p", ready: tt.want, hiringStart: tt.want}})
		})
	}
	t.Run("default event is filled", func(t *testing.T) {
		plan := planOf(t, scenarioJSON("2021-01-04", 0, `{"id": "p", "after": ["q"]}`, q))
		checkDates(t, plan, []wantDates{{id: "p", ready: "2021-02-01"}})
	})
	t.Run("start and earliest still bound a gate", func(t *testing.T) {
		plan := planOf(t, scenarioJSON("2021-01-04", 0,
			`{"id": "p", "earliest": "2021-05-01", "after": ["q"]}`, q))
		checkDates(t, plan, []wantDates{{id: "p", ready: "2021-05-01"}})
	})
}

func TestGroupGates(t *testing.T) {
	// Members of group g are filled on 01-11, 01-21 and 01-31.
	members := []string{
		`{"id": "g1", "group": "g", "recruiting": "P10D"}`,
		`{"id": "g2", "group": "g", "recruiting": "P20D"}`,
		`{"id": "g3", "group": "g", "recruiting": "P30D"}`,
	}
	tests := []struct {
		name, dependency, want string
	}{
		{name: "all members by default", dependency: `"group:g"`, want: "2021-01-31"},
		{name: "count 1 is the first", dependency: `{"ref": "group:g", "count": 1}`, want: "2021-01-11"},
		{name: "count 2 is the second", dependency: `{"ref": "group:g", "count": 2}`, want: "2021-01-21"},
		{name: "count 3 is the last", dependency: `{"ref": "group:g", "count": 3}`, want: "2021-01-31"},
		{name: "k of n with lag", dependency: `{"ref": "group:g", "count": 2, "lag": "P1M"}`, want: "2021-02-21"},
		{name: "k of n on another event", dependency: `{"ref": "group:g", "event": "recruited", "count": 2}`, want: "2021-01-21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fmt.Sprintf(`{"id": "p", "after": [%s]}`, tt.dependency)
			plan := planOf(t, scenarioJSON("2021-01-01", 0, append([]string{p}, members...)...))
			checkDates(t, plan, []wantDates{{id: "p", ready: tt.want}})
		})
	}
	t.Run("a member waiting for its own group skips itself", func(t *testing.T) {
		plan := planOf(t, scenarioJSON("2021-01-01", 0, append(members,
			`{"id": "lead", "group": "g", "recruiting": "P5D", "after": ["group:g"]}`)...))
		checkDates(t, plan, []wantDates{{id: "lead", ready: "2021-01-31", filled: "2021-02-05"}})
	})
	t.Run("tied dates", func(t *testing.T) {
		plan := planOf(t, scenarioJSON("2021-01-01", 0,
			`{"id": "a", "group": "t"}`, `{"id": "b", "group": "t"}`, `{"id": "c", "group": "t", "recruiting": "P1M"}`,
			`{"id": "p", "after": [{"ref": "group:t", "count": 2}]}`))
		checkDates(t, plan, []wantDates{{id: "p", ready: "2021-01-11"}})
	})
}

// TestLargeGroupGate exercises the shared gate slots: a large group
// waited for by many positions with different counts and events.
func TestLargeGroupGate(t *testing.T) {
	var positions []string
	for i := range 100 {
		positions = append(positions, fmt.Sprintf(`{"id": "m%d", "group": "big", "recruiting": "P%dD"}`, i, 100-i))
	}
	for k := 1; k <= 100; k += 33 {
		positions = append(positions, fmt.Sprintf(`{"id": "w%d", "after": [{"ref": "group:big", "count": %d}]}`, k, k))
		positions = append(positions, fmt.Sprintf(`{"id": "x%d", "after": [{"ref": "group:big", "count": %d, "event": "hiring_start"}]}`, k, k))
	}
	plan := planOf(t, scenarioJSON("2021-01-01", 0, positions...))
	start := mustDate(t, "2021-01-01")
	for k := 1; k <= 100; k += 33 {
		// The k-th earliest recruited date is start + k days.
		if got, want := positionByID(t, plan, fmt.Sprintf("w%d", k)).Ready, start+Date(k); got != want {
			t.Errorf("w%d.ready = %s, want %s", k, got, want)
		}
		if got := positionByID(t, plan, fmt.Sprintf("x%d", k)).Ready; got != start {
			t.Errorf("x%d.ready = %s, want %s", k, got, start)
		}
	}
}

func TestCapacity(t *testing.T) {
	tests := []struct {
		name      string
		capacity  int
		positions []string
		want      []wantDates
		delays    map[string]int
	}{
		{
			name:     "ties go by input order",
			capacity: 1,
			positions: []string{
				`{"id": "b"}`, `{"id": "a"}`, `{"id": "c", "recruiting": "P5D"}`,
			},
			want: []wantDates{
				{id: "b", hiringStart: "2021-01-01", recruited: "2021-01-11"},
				{id: "a", hiringStart: "2021-01-11", recruited: "2021-01-21"},
				{id: "c", hiringStart: "2021-01-21", recruited: "2021-01-26"},
			},
			delays: map[string]int{"a": 10, "c": 20},
		},
		{
			name:     "earlier ready goes first whatever the input order",
			capacity: 1,
			positions: []string{
				`{"id": "late", "earliest": "2021-01-02"}`, `{"id": "early"}`,
			},
			want: []wantDates{
				{id: "early", hiringStart: "2021-01-01"},
				{id: "late", ready: "2021-01-02", hiringStart: "2021-01-11"},
			},
			delays: map[string]int{"late": 9},
		},
		{
			name:     "a place is free again on the recruited day",
			capacity: 2,
			positions: []string{
				`{"id": "a"}`, `{"id": "b", "recruiting": "P20D"}`, `{"id": "c"}`, `{"id": "d"}`,
			},
			want: []wantDates{
				{id: "c", hiringStart: "2021-01-11"},
				{id: "d", hiringStart: "2021-01-21"},
			},
			delays: map[string]int{"c": 10, "d": 20},
		},
		{
			// a runs [01-01, 01-11), b [01-16, 01-26). c becomes
			// schedulable only after both but is ready on 01-01: it fits
			// the gap [01-11, 01-16) exactly.
			name:     "a gap that fits",
			capacity: 1,
			positions: []string{
				`{"id": "a", "group": "ab"}`,
				`{"id": "b", "group": "ab", "earliest": "2021-01-16"}`,
				`{"id": "c", "recruiting": "P5D", "after": [{"ref": "group:ab", "event": "hiring_start", "count": 1}]}`,
			},
			want: []wantDates{
				{id: "b", hiringStart: "2021-01-16"},
				{id: "c", ready: "2021-01-01", hiringStart: "2021-01-11", recruited: "2021-01-16"},
			},
			delays: map[string]int{"c": 10},
		},
		{
			// Six days do not fit the five-day gap, so c waits for b.
			name:     "a gap one day too short",
			capacity: 1,
			positions: []string{
				`{"id": "a", "group": "ab"}`,
				`{"id": "b", "group": "ab", "earliest": "2021-01-16"}`,
				`{"id": "c", "recruiting": "P6D", "after": [{"ref": "group:ab", "event": "hiring_start", "count": 1}]}`,
			},
			want: []wantDates{
				{id: "c", ready: "2021-01-01", hiringStart: "2021-01-26", recruited: "2021-02-01"},
			},
			delays: map[string]int{"c": 25},
		},
		{
			name:     "P0D recruiting occupies nothing",
			capacity: 1,
			positions: []string{
				`{"id": "a"}`, `{"id": "instant", "recruiting": "P0D"}`, `{"id": "b"}`,
			},
			want: []wantDates{
				{id: "instant", hiringStart: "2021-01-01", recruited: "2021-01-01"},
				{id: "b", hiringStart: "2021-01-11"},
			},
			delays: map[string]int{"b": 10},
		},
		{
			// Recruiting P1M from 01-31 ends on 02-28; from 02-28 on 03-28.
			name:     "month periods measured from each candidate day",
			capacity: 1,
			positions: []string{
				`{"id": "a", "recruiting": "P1M"}`, `{"id": "b", "recruiting": "P1M"}`,
			},
			want: []wantDates{
				{id: "a", hiringStart: "2021-01-31", recruited: "2021-02-28"},
				{id: "b", hiringStart: "2021-02-28", recruited: "2021-03-28"},
			},
			delays: map[string]int{"b": 28},
		},
		{
			name:     "dependencies still order the hiring",
			capacity: 3,
			positions: []string{
				`{"id": "a"}`, `{"id": "b", "after": ["a"]}`, `{"id": "c"}`,
			},
			want: []wantDates{
				{id: "b", ready: "2021-01-11", hiringStart: "2021-01-11"},
				{id: "c", hiringStart: "2021-01-01"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := "2021-01-01"
			if strings.HasPrefix(tt.name, "month periods") {
				start = "2021-01-31"
			}
			plan := planOf(t, scenarioJSON(start, tt.capacity, tt.positions...))
			checkDates(t, plan, tt.want)
			for _, p := range plan.Positions {
				got := 0
				for _, f := range plan.Flags {
					if f.Position == p.ID && f.Code == CapacityDelay {
						got = *f.Days
					}
				}
				if got != tt.delays[p.ID] {
					t.Errorf("%s: CAPACITY_DELAY days = %d, want %d", p.ID, got, tt.delays[p.ID])
				}
			}
		})
	}
}

func TestTimeline(t *testing.T) {
	var tl timeline
	d := mustDate(t, "2021-01-01")
	tl.add(d, d+10)
	tl.add(d+5, d+15)
	tl.add(d+20, d+20) // empty
	if got, full := tl.lastFullDay(d, d+30, 2); !full || got != d+9 {
		t.Errorf("lastFullDay(cap 2) = %s, %v; want %s, true", got, full, d+9)
	}
	if got, full := tl.lastFullDay(d, d+30, 1); !full || got != d+14 {
		t.Errorf("lastFullDay(cap 1) = %s, %v; want %s, true", got, full, d+14)
	}
	if _, full := tl.lastFullDay(d+15, d+30, 1); full {
		t.Errorf("lastFullDay after the last recruitment reports a full day")
	}
	if _, full := tl.lastFullDay(d-10, d, 1); full {
		t.Errorf("lastFullDay before the first recruitment reports a full day")
	}
	// From d+3 the three-day windows hit full days up to d+9.
	if got := tl.earliestStart(d+3, 2, func(t Date) Date { return t + 3 }); got != d+10 {
		t.Errorf("earliestStart = %s, want %s", got, d+10)
	}
	if got := tl.earliestStart(d, 2, func(t Date) Date { return t + 3 }); got != d {
		t.Errorf("earliestStart = %s, want %s", got, d)
	}
}

// TestCapacityInstantRecruitmentWhileFull is a regression test: a P0D
// recruitment ready while every place is taken used to hang the search.
func TestCapacityInstantRecruitmentWhileFull(t *testing.T) {
	plan := planOf(t, scenarioJSON("2021-01-01", 1,
		`{"id": "a"}`, `{"id": "instant", "recruiting": "P0D", "earliest": "2021-01-05"}`))
	checkDates(t, plan, []wantDates{{id: "instant", ready: "2021-01-05", hiringStart: "2021-01-05"}})
	var tl timeline
	d := mustDate(t, "2021-01-01")
	tl.add(d, d+10)
	if _, full := tl.lastFullDay(d+5, d+5, 1); full {
		t.Errorf("lastFullDay of an empty range reports a full day")
	}
}
