package planner

import (
	"math/bits"
	"runtime"
)

// A RiskCost is what a risk run will take, estimated from the scenario's
// size and the options before the run starts, so that a server can refuse
// a run beyond its budget with a clear message instead of starting it
// (docs/risk.md, "Cost and limits").
//
// The work is counted in position schedules: one post planned in one
// trial at one decision date, some 50 to 250 ns on one core of the
// development machine, spread over the run's workers. A pass plans every
// post in every trial once.
type RiskCost struct {
	Positions, Trials, Workers int
	// Passes is how many passes a run makes when its percentiles need no
	// replay, the case of every real scenario, and, with a confidence,
	// the search for the decision date evaluates every candidate of its
	// binary search in full (it usually stops early) and, under HR
	// capacity, finds the date on the first day it walks back.
	Passes int
	// MaxPasses bounds the passes: with every replay the percentiles can
	// need (maxReplays, for dates spread over millennia), with a
	// confidence the search's sample (a binary search each, at most a
	// pass a candidate), its bound schedules before the first candidate
	// (two a trial) and beside every trial a candidate plans (two), the
	// capacity bound, and, under HR capacity, a walk back over every day
	// of the search range.
	MaxPasses int
	// Bytes bounds what the run allocates beyond the scenario, garbage
	// included, so its peak as well. It does not depend on how far the
	// dates spread; it grows with the trials by 32 bytes each, 68 with a
	// confidence, 76 under HR capacity.
	Bytes int64
}

// Schedules is the position schedules of one pass: trials × positions.
func (c RiskCost) Schedules() int64 { return int64(c.Trials) * int64(c.Positions) }

// Work is the position schedules of a run of Passes passes.
func (c RiskCost) Work() int64 { return c.Schedules() * int64(c.Passes) }

// MaxWork bounds the position schedules of the run.
func (c RiskCost) MaxWork() int64 { return c.Schedules() * int64(c.MaxPasses) }

// maxReplays bounds the replays the percentiles can take. Productive
// dates spread over less than 2^44 days: a period has at most 120,000
// years, months, weeks and days (under 2^26 days, ten times that with a
// spread), a chain of dependencies at most 5,000 posts of three phases and
// a lag, and HR capacity can delay a post by at most every other
// recruitment. Each replay divides the range by at least
// minRefineBuckets = 2^6, so ⌈44/6⌉ replays get down to a day.
const maxReplays = 8

// RiskCost estimates a risk run of s with opts; the options are not
// checked (Risk does that).
func (s *Scenario) RiskCost(opts RiskOptions) RiskCost {
	positions, trials := len(s.Positions), max(opts.Trials, 1)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, (trials+chunkSize-1)/chunkSize))
	c := RiskCost{Positions: positions, Trials: trials, Workers: workers, Passes: 1, MaxPasses: 1 + maxReplays}
	var days int
	if opts.Confidence > 0 {
		earliest, last := s.decisionRange()
		days = int(last-earliest) + 1
		probes := 1 + bits.Len(uint(days))
		c.Passes += probes
		c.MaxPasses += probes + 2 + 3*probes
		if s.HRCapacity > 0 {
			c.Passes++
			c.MaxPasses += 1 + days
		}
	}

	p := int64(positions)
	// The first pass's windows, grown by doubling, and spills.
	windows := p * (2*4*int64(windowDays(positions)) + 2*8*spillDates + 128)
	// The replays' counters and lists, allocated once, and their queries.
	ranks := int64(len(percentileTenths))
	replays := min(8*refineCounters, ranks*p*8*maxRefineBuckets) + ranks*p*128 + p*24
	// The answers, the FTE-months and the own share of every trial and
	// their sorted copies, the tables of the own share, the result.
	results := ranks*p*8 + 32*int64(trials) + p*96 + s.riskMoneyBytes()
	// Each worker: two schedulers, the draws, the buffer of dates, the
	// tally, and the money scratch.
	worker := 2*s.schedulerBytes() + 3*8*p + 8*max(p, bufferDates) + 2*8*p + 8*int64(len(s.Funding)) + 4096
	var search int64
	if opts.Confidence > 0 {
		// A certificate per trial and the order of planning them, the
		// counting sort's counters, the sample of last safe dates, the
		// phases' day ranges and slack, the positions' latest productive
		// dates, and per worker the bound schedulers (riskbounds.go).
		search = (32+4)*int64(trials) + 4*int64(days+3) + 8*int64(sampleSize(trials)) + 3*p*(64+48+8) + 8*p
		worker += 2 * s.schedulerBytes()
		if s.HRCapacity > 0 {
			// The capacity bound: the certificates' dates sorted, the
			// fixed phases' fewest days, and per worker the recruitments.
			search += 8*int64(trials) + 3*p*(8+64)
			worker += 2 * 16 * p
		}
	}
	c.Bytes = windows + replays + results + search + s.phaseDaysBytes(&opts.Spread, opts.Confidence) + int64(workers)*worker + 64<<10
	return c
}

// schedulerBytes bounds the scratch space of a scheduler of s, with room
// for the growth of its slices: per position the dates, the queue, the
// timeline's points and runs, the lists of roots; and the sorted dates of
// every group gate.
func (s *Scenario) schedulerBytes() int64 {
	bytes := 512 * int64(len(s.Positions))
	seen := make([]bool, s.gateSlots)
	for p := range s.Positions {
		for _, dep := range s.Positions[p].After {
			if dep.slot >= 0 && !seen[dep.slot] {
				seen[dep.slot] = true
				bytes += 64 + 16*int64(len(dep.Members))
			}
		}
	}
	return bytes
}
