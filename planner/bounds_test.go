package planner

import (
	"fmt"
	"math/rand/v2"
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
		tr.prepareBounds(ranges)
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
