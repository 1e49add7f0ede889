package planner

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestDayRange: the fewest and most days of a period agree with days(p)
// at every day of a 400-year cycle.
func TestDayRange(t *testing.T) {
	first := MustParseDate("2000-03-01")
	for _, text := range []string{"P0D", "P5D", "P2W", "P1M", "P2M", "P3M", "P5M", "P8M", "P11M", "P1Y", "P13M", "P1Y1M2W3D", "P4Y", "P100Y", "P399Y11M", "P400Y1M", "P120000M"} {
		p := MustParsePeriod(text)
		lo, hi := p.dayRange()
		wantLo, wantHi := p.DaysFrom(first), p.DaysFrom(first)
		for d := first; d < first+146097; d++ {
			days := p.DaysFrom(d)
			wantLo, wantHi = min(wantLo, days), max(wantHi, days)
		}
		if lo != wantLo || hi != wantHi {
			t.Errorf("%s: range %d…%d, want %d…%d", text, lo, hi, wantLo, wantHi)
		}
	}
}

// TestDaysFrom3: three periods' days with one month lookup are the
// periods' own DaysFrom, near the table's ends too.
func TestDaysFrom3(t *testing.T) {
	periods := []Period{MustParsePeriod("P0D"), MustParsePeriod("P1M"), MustParsePeriod("P2M2W"), MustParsePeriod("P13M1D"), MustParsePeriod("P800Y")}
	rng := rand.New(rand.NewPCG(7, 7))
	for range 20000 {
		d := monthStarts[0] - 400 + Date(rng.IntN(int(monthStarts[tableMonths]-monthStarts[0])+800))
		p1, p2, p3 := &periods[rng.IntN(5)], &periods[rng.IntN(5)], &periods[rng.IntN(5)]
		a, b, c := daysFrom3(d, p1, p2, p3)
		if a != p1.DaysFrom(d) || b != p2.DaysFrom(d) || c != p3.DaysFrom(d) {
			t.Fatalf("daysFrom3(%s, %s, %s, %s) = %d, %d, %d; want %d, %d, %d", d, p1, p2, p3, a, b, c, p1.DaysFrom(d), p2.DaysFrom(d), p3.DaysFrom(d))
		}
	}
}

// TestCertificatesHold: what a certificate settles holds at every
// decision date around the one it was made at, and what the widest one
// settles holds for every trial: planned without HR capacity, a trial is
// safe on and before safeUntil and not from unsafeFrom on (with HR
// capacity either). Scenarios with month-long ranges, month and quarter
// alignment and spreads, where phases do end a day earlier from a later
// start.
func TestCertificatesHold(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 4))
	settled, checked := 0, 0
	for c := range 30 {
		scenario := uncertainScenario(rng, 1+rng.IntN(10))
		s := decode(t, scenario)
		opts := RiskOptions{Trials: 40, Seed: rng.Uint64N(MaxSeed), Confidence: 0.5}
		if rng.IntN(2) == 0 {
			opts.Spread = Spread{Recruiting: {Min: 0.5, Max: 3}, Notice: {Min: 1, Max: 2}, Onboarding: {Min: 0, Max: 10}}
		}
		r := newRiskRun(s, &opts)
		tr := r.newTrial()
		ranges := r.phaseRanges()
		r.prepareBounds(ranges)
		tr.prepareBounds()
		first, last := s.Funding[0].End, s.Funding[0].End
		for _, f := range s.Funding {
			first, last = min(first, f.End), max(last, f.End)
		}
		earliest := searchSpan.SubtractFrom(first)
		widest := r.widestCertificate(ranges, earliest, last)
		for i := range opts.Trials {
			tr.draw(i)
			at := earliest + Date(rng.IntN(int(last-earliest)+1))
			below, above := at-Date(rng.IntN(300)), at+Date(rng.IntN(300))
			cert := widest
			tr.certify(at, [2]Date{above, at + Date(rng.IntN(300))}, [2]Date{below, at - Date(rng.IntN(300))}, &cert)
			for d := at - 500; d <= at+500; d += Date(1 + rng.IntN(3)) {
				tr.draw(i)
				safe := tr.free.safe(d)
				capacitySafe := s.HRCapacity == 0 || tr.sched.safe(d)
				checked++
				where := fmt.Sprintf("case %d, trial %d, certified at %s for %s…%s (%+v), decision %s", c, i, at, below, above, cert, d)
				if d <= cert.safeUntil && d >= earliest {
					settled++
					if !safe {
						t.Fatalf("%s: certified safe, but not safe\n%s", where, scenario)
					}
				}
				if d >= cert.unsafeFrom {
					settled++
					if safe || capacitySafe && s.HRCapacity > 0 {
						t.Fatalf("%s: certified not safe, but safe\n%s", where, scenario)
					}
				}
			}
		}
	}
	if settled < checked/2 {
		t.Errorf("certificates settle %d of %d checks: they hardly bound anything", settled, checked)
	}
}

// TestPhaseSlack: a drawn phase never ends more than its slack earlier
// from a later start, for ranges of periods in days, weeks, months and
// years (out of order ones too) and for spreads over fixed periods, over
// years of starts and near the ends of months: the property the lower and
// upper schedules rest on.
func TestPhaseSlack(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 5))
	periods := []string{"P0D", "P1D", "P30D", "P31D", "P6W", "P1M", "P1M1D", "P2M", "P3M", "P2M2W", "P5M", "P8M", "P1Y", "P13M", "P2Y1M3D"}
	pick := func() string { return periods[rng.IntN(len(periods))] }
	checked := 0
	for c := range 300 {
		// In order at the scenario's start, as a scenario must have them;
		// from other days they may be out of order.
		three := []Period{MustParsePeriod(pick()), MustParsePeriod(pick()), MustParsePeriod(pick())}
		start := MustParseDate("2024-01-01")
		slices.SortFunc(three, func(a, b Period) int { return int(a.AddTo(start) - b.AddTo(start)) })
		recruiting := fmt.Sprintf(`{"min": %q, "likely": %q, "max": %q}`, three[0], three[1], three[2])
		var spread Spread
		if c%3 == 0 {
			recruiting = fmt.Sprintf("%q", pick())
			spread[Recruiting] = &SpreadRange{Min: rng.Float64(), Max: 1 + 9*rng.Float64()*rng.Float64()}
		}
		scenario := fmt.Sprintf(`{"name": "slack", "start": "2024-01-01",
			"funding": [{"id": "f", "start": "2024-01-01", "end": "2030-12-31"}],
			"positions": [{"id": "p", "recruiting": %s, "notice": "P0D", "onboarding": "P0D", "monthly_cost": 1000}]}`, recruiting)
		s := decode(t, scenario)
		opts := RiskOptions{Trials: 1, Spread: spread}
		r := newRiskRun(s, &opts)
		if r.variables == 0 {
			continue
		}
		slack := r.slacks(r.phaseRanges())[0]
		tr := r.newTrial()
		first := MustParseDate("2023-11-20") + Date(rng.IntN(400))
		for range 20 {
			tr.ends.u[0] = rng.Float64()
			latest := Date(math.MinInt32) // the latest end from an earlier start
			for d := first; d < first+1200; d++ {
				end := tr.ends.end(0, Recruiting, d)
				if end < latest-Date(slack) {
					t.Fatalf("recruiting %s (spread %+v), u %v: from %s it ends %s, from an earlier start on %s; slack %d",
						recruiting, spread[Recruiting], tr.ends.u[0], d, end, latest, slack)
				}
				latest = max(latest, end)
				checked++
			}
		}
	}
	if checked < 1000000 {
		t.Errorf("checked %d ends", checked)
	}
}

// TestCertificatesAfterSearch: after a search for the latest decision,
// every trial's certificate holds over the search range, with the
// certificates that sampling where the answer lies, planning trials at
// candidates, the bound schedules and, under HR capacity, the capacity
// bound made: planned at every date within 60 days of the certificate's
// and every seventh further away, a trial is safe on and before safeUntil
// without HR capacity, and not safe from unsafeFrom on (with HR capacity,
// when the scenario has it).
func TestCertificatesAfterSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 7))
	settled, checked := 0, 0
	for c := range 12 {
		scenario := uncertainScenario(rng, 1+rng.IntN(6))
		if c%3 == 0 {
			scenario = rangedScenario(8, 0)
		}
		s := decode(t, scenario)
		opts := RiskOptions{Trials: 100 + rng.IntN(300), Seed: rng.Uint64N(MaxSeed), Confidence: []float64{0.2, 0.5, 0.8, 0.95}[rng.IntN(4)]}
		if rng.IntN(2) == 0 {
			opts.Spread = Spread{Recruiting: {Min: 0.5, Max: 3}, Notice: {Min: 1, Max: 2}, Onboarding: {Min: 0, Max: 10}}
		}
		r := newRiskRun(s, &opts)
		if err := r.runTrials(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := r.latestDecision(context.Background(), opts.Confidence); err != nil {
			t.Fatal(err)
		}
		tr := r.newTrial()
		for i, cert := range r.certs {
			tr.draw(i)
			for d := r.window[0]; d <= r.window[1]; d++ {
				if d > cert.safeUntil && d < cert.unsafeFrom {
					continue
				}
				settled++
				// Every date within 60 days of the certificate's, a few
				// of the rest.
				if d < cert.safeUntil-60 && d%7 != 0 || d > cert.unsafeFrom+60 && d%7 != 0 {
					continue
				}
				if d <= cert.safeUntil && !tr.free.safe(d) {
					t.Fatalf("case %d, trial %d, decision %s: not safe, but certified %+v\n%s", c, i, d, cert, scenario)
				}
				// Under HR capacity the search ends with the walk back,
				// which knows unsafeFrom as not safe with it.
				if d >= cert.unsafeFrom && (tr.sched.safe(d) || s.HRCapacity == 0 && tr.free.safe(d)) {
					t.Fatalf("case %d, trial %d, decision %s: safe, but certified %+v\n%s", c, i, d, cert, scenario)
				}
			}
			checked += int(r.window[1]-r.window[0]) + 1
		}
	}
	if settled < checked/2 {
		t.Errorf("certificates settle %d of %d dates", settled, checked)
	}
}

// TestPhaseDays: with the tables of days a trial plans exactly the dates
// it plans working the days out from the calendar, for ranges and spreads
// over days, weeks, months and years, decisions inside the tables'
// window and far outside it, with and without a confidence (whose
// search widens the window).
func TestPhaseDays(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 8))
	for c := range 40 {
		scenario := uncertainScenario(rng, 1+rng.IntN(12))
		if c%4 == 0 {
			scenario = rangedScenario(30, 0)
		}
		s := decode(t, scenario)
		opts := RiskOptions{Trials: 100}
		if c%2 == 0 {
			opts.Confidence = 0.8
		}
		if rng.IntN(2) == 0 {
			opts.Spread = Spread{Recruiting: {Min: 0.5, Max: 3}, Notice: {Min: 1, Max: 2}, Onboarding: {Min: 0, Max: 10}}
		}
		r := newRiskRun(s, &opts)
		if r.days == nil || len(r.days.rows) == 0 {
			t.Fatalf("case %d: no tables", c)
		}
		with, without := r.newTrial(), r.newTrial()
		without.ends.days = nil
		first, last := s.phaseDaysWindow(opts.Confidence)
		for i := range 30 {
			with.draw(i)
			without.draw(i)
			for _, d := range []Date{first, first + Date(rng.IntN(int(last-first))), last - 300, last + 1, first - 1 - Date(rng.IntN(20000)), last + Date(rng.IntN(20000))} {
				got, want := with.free.run(d), without.free.run(d)
				if !slices.Equal(got, want) {
					t.Fatalf("case %d, trial %d, decision %s: with the tables %+v, without %+v\n%s", c, i, d, got, want, scenario)
				}
			}
		}
	}
}

// TestCapacityUnsafeFrom: a trial is not safe with HR capacity from the
// date the capacity bound gives on, at any decision date up to years
// later, on scenarios whose capacity lets most posts wait, and the bound
// settles most trials there.
func TestCapacityUnsafeFrom(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 9))
	bounded, checked := 0, 0
	for c := range 12 {
		scenario := rangedScenario(20+rng.IntN(40), 1+rng.IntN(3))
		if c%2 == 0 {
			scenario = uncertainScenario(rng, 8+rng.IntN(20))
		}
		s := decode(t, scenario)
		if s.HRCapacity == 0 {
			continue
		}
		opts := RiskOptions{Trials: 30, Seed: rng.Uint64N(MaxSeed), Confidence: 0.5}
		if rng.IntN(2) == 0 {
			opts.Spread = Spread{Recruiting: {Min: 0.5, Max: 3}, Notice: {Min: 1, Max: 2}}
		}
		r := newRiskRun(s, &opts)
		r.prepareBounds(r.phaseRanges())
		lowest := r.fixedLowest()
		tr := r.newTrial()
		earliest, last := s.decisionRange()
		for i := range opts.Trials {
			tr.draw(i)
			from := tr.capacityUnsafeFrom(lowest)
			checked++
			if from > last {
				continue
			}
			bounded++
			for d := max(from, earliest-2000); d <= max(from, earliest)+2000; d += Date(1 + rng.IntN(30)) {
				if tr.sched.safe(d) {
					t.Fatalf("case %d, trial %d: not safe from %s on, but safe at %s\n%s", c, i, from, d, scenario)
				}
			}
		}
	}
	if bounded < checked/3 {
		t.Errorf("the bound settles %d of %d trials", bounded, checked)
	}
	// Recruitments of 30 days that fill the capacity from the decision on:
	// the bound is the first date not safe.
	for _, tt := range []struct{ posts, capacity int }{{1, 1}, {7, 1}, {8, 2}, {12, 3}} {
		var b strings.Builder
		fmt.Fprintf(&b, `{"name": "full", "start": "2024-01-01", "hr_capacity": %d, "min_productive": "P0D",
			"funding": [{"id": "f", "start": "2024-01-01", "end": "2026-12-31"}], "positions": [`, tt.capacity)
		for i := range tt.posts {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id": "p%d", "recruiting": "P30D", "notice": "P0D", "onboarding": "P0D", "start_on": "any", "monthly_cost": 1000}`, i)
		}
		b.WriteString("]}")
		s := decode(t, b.String())
		opts := RiskOptions{Trials: 1, Confidence: 0.5}
		r := newRiskRun(s, &opts)
		r.prepareBounds(r.phaseRanges())
		tr := r.newTrial()
		tr.draw(0)
		from := tr.capacityUnsafeFrom(r.fixedLowest())
		rounds := (tt.posts + tt.capacity - 1) / tt.capacity
		if want := MustParseDate("2026-12-31") - Date(30*rounds) + 1; from != want || !tr.sched.safe(from-1) || tr.sched.safe(from) {
			t.Errorf("%d posts, capacity %d: not safe from %s (safe the day before: %v, on it: %v), want %s",
				tt.posts, tt.capacity, from, tr.sched.safe(from-1), tr.sched.safe(from), want)
		}
	}
}
