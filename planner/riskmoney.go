package planner

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/rickb777/date/v2"
)

// The own share of a risk trial (docs/risk.md, The own share): the posts'
// cost while their holders are employed less what the sources pay within
// their caps, from the trial's filled dates, exactly as the plan computes
// it (docs/scenario.md, Cost, own share and budget years). A post's cost
// and funding depend on its filled date alone: the cost runs from filled
// to the funding end (to the horizon for a permanent post) and the
// funding from filled, or the source's start, to its end.
//
// Almost every scenario takes a fast path: every post's amounts, in the
// plan's exact unit (1/moneyDen EUR), fit an int64, so that a post's cost
// and funding are a few integer operations on the pay table's sums, and
// the trial's sums are kept in 128 bits. A scenario whose amounts could
// leave int64 takes the ledger's big.Int arithmetic, as the plan does,
// which costs some three times as much.

// riskMoney is what every trial of a run shares to compute own shares.
type riskMoney struct {
	s *Scenario
	// fast is nil when the scenario's amounts could leave int64, or when
	// the budget has no years (the plan's start is after its horizon:
	// nothing is employed, the own share is 0).
	fast *fastMoney
	// none is true when the budget has no years.
	none bool
}

// fastMoney holds the pay table and the posts' prices as int64, in the
// plan's units.
type fastMoney struct {
	bounds          []date.Date // the pay table's cuts
	weighted, plain []int64     // the months before each cut
	factor          []int64     // each piece's pay factor, in 1/D
	posts           []fastPost
	caps            []int64 // by source; -1 where there is none
	den             int64   // prices.moneyDen
}

// A fastPost is one post's prices as int64.
type fastPost struct {
	pay        int64     // monthly pay · fte, before any raise
	employedTo date.Date // the funding end, or the horizon for a permanent post
	costEnd    int64     // pay · the weighted months before employedTo + 1
	source     int
	paidFrom   date.Date // the source's start
	paidTo     date.Date // the source's end
	runs       []fastRun
}

// A fastRun is a fundingRun over [from, to] with its amounts: end is the
// months (weighted or plain) before to + 1, tail what the runs after it
// pay in full.
type fastRun struct {
	from, to date.Date
	price    int64
	weighted bool
	end      int64
	tail     int64
}

// fastLimit bounds every amount of one post on the fast path.
const fastLimit = 1 << 62

func newRiskMoney(s *Scenario) *riskMoney {
	m := &riskMoney{s: s}
	t := s.prices.table
	if t == nil {
		m.none = true
		return m
	}
	m.fast = newFastMoney(s, t)
	return m
}

// newFastMoney returns the fast path's tables, or nil when a post's amount
// could leave int64: the bound is the post employed and funded over the
// whole table.
func newFastMoney(s *Scenario, t *payTable) *fastMoney {
	pr := s.prices
	if !pr.moneyDen.IsInt64() {
		return nil
	}
	f := &fastMoney{bounds: t.bounds, den: pr.moneyDen.Int64(), caps: make([]int64, len(s.Funding))}
	var amount big.Int
	fits := func(x *big.Int) bool { return x.IsInt64() && x.CmpAbs(big.NewInt(fastLimit)) < 0 }
	small := func(x *big.Int) (int64, bool) {
		if !fits(x) {
			return 0, false
		}
		return x.Int64(), true
	}
	f.weighted = make([]int64, len(t.weighted))
	f.plain = make([]int64, len(t.plain))
	for i := range t.weighted {
		var ok1, ok2 bool
		f.weighted[i], ok1 = small(&t.weighted[i])
		f.plain[i], ok2 = small(&t.plain[i])
		if !ok1 || !ok2 {
			return nil
		}
	}
	f.factor = make([]int64, len(t.segment))
	for i, k := range t.segment {
		factor := big.NewInt(1)
		if !pr.pay.none {
			factor = &pr.pay.factor[k]
		}
		var ok bool
		if f.factor[i], ok = small(factor); !ok {
			return nil
		}
	}
	for k := range s.Funding {
		f.caps[k] = -1
		if limit := pr.sources[k].cap; limit != nil {
			var ok bool
			if f.caps[k], ok = small(limit); !ok {
				return nil
			}
		}
	}
	whole := f.weighted[len(f.weighted)-1]
	l := newLedger(pr)
	f.posts = make([]fastPost, len(s.Positions))
	for p := range s.Positions {
		position := &s.Positions[p]
		source := &s.Funding[position.Funding]
		price := &pr.positions[p]
		pay, ok := small(price.pay)
		if !ok {
			return nil
		}
		post := fastPost{pay: pay, employedTo: source.End, source: position.Funding, paidFrom: source.Start, paidTo: source.End}
		if position.Employment == Permanent {
			post.employedTo = s.Horizon
		}
		// The most the post can cost: employed over the whole table.
		if !fits(amount.Mul(price.pay, big.NewInt(whole))) {
			return nil
		}
		// A post whose employment ends before the plan's start costs
		// nothing, whenever it is filled.
		if post.employedTo >= s.Start {
			post.costEnd = pay * f.at(post.employedTo+1, true)
		}
		// The source's runs over its whole period within the table: a post
		// is never funded before the plan's start.
		if from := max(source.Start, s.Start); from <= source.End {
			runs := l.fundingRuns(price, from, source.End, nil)
			post.runs = make([]fastRun, len(runs))
			var tail int64
			for i := len(runs) - 1; i >= 0; i-- {
				run := runs[i]
				runPrice, ok := small(run.price)
				if !ok {
					return nil
				}
				fr := fastRun{from: run.from, to: run.to, price: runPrice, weighted: run.weighted, tail: tail}
				fr.end = f.at(run.to+1, run.weighted)
				if !fits(amount.Mul(run.price, big.NewInt(fr.end-f.at(run.from, run.weighted)))) {
					return nil
				}
				if tail += amount.Int64(); tail >= fastLimit {
					return nil
				}
				post.runs[i] = fr
			}
		}
		f.posts[p] = post
	}
	return f
}

// piece returns the piece of the table that day d is in.
func (f *fastMoney) piece(d date.Date) int {
	low, high := 0, len(f.bounds)
	for low < high {
		mid := (low + high) / 2
		if f.bounds[mid] <= d {
			low = mid + 1
		} else {
			high = mid
		}
	}
	return low - 1
}

// at returns the months (weighted by the pay factor, or plain) over the
// days from the table's first day to the day before d; d is within the
// table or the day after the horizon.
func (f *fastMoney) at(d date.Date, weighted bool) int64 {
	i := f.piece(d)
	if weighted {
		if d == f.bounds[i] {
			return f.weighted[i]
		}
		return f.weighted[i] + monthsBetween(f.bounds[i], d-1)*f.factor[i]
	}
	if d == f.bounds[i] {
		return f.plain[i]
	}
	return f.plain[i] + monthsBetween(f.bounds[i], d-1)
}

// both returns at(d, true) and at(d, false).
func (f *fastMoney) both(d date.Date) (weighted, plain int64) {
	i := f.piece(d)
	if d == f.bounds[i] {
		return f.weighted[i], f.plain[i]
	}
	months := monthsBetween(f.bounds[i], d-1)
	return f.weighted[i] + months*f.factor[i], f.plain[i] + months
}

// ownShare returns the own share of a trial's times in cents, and false
// where the 128-bit sums cannot give it (which the limits on a scenario's
// amounts rule out); need is scratch of one entry per source.
func (f *fastMoney) ownShare(times []Times, need []u128) (int64, bool) {
	clear(need)
	var cost u128
	for p := range f.posts {
		post := &f.posts[p]
		filled := times[p].Filled
		if filled > post.employedTo {
			continue // then it is not paid for either: paidTo ≤ employedTo
		}
		// The months before filled, weighted and plain, serve the cost
		// and, where the source pays from filled on, the funding.
		weighted, plain := f.both(filled)
		cost.add(uint64(post.costEnd - post.pay*weighted))
		paidFrom := max(filled, post.paidFrom)
		if paidFrom > post.paidTo {
			continue
		}
		for i := range post.runs {
			run := &post.runs[i]
			if paidFrom > run.to {
				continue
			}
			if from := max(paidFrom, run.from); from != filled {
				weighted, plain = f.both(from)
			}
			before := plain
			if run.weighted {
				before = weighted
			}
			need[post.source].add(uint64(run.tail + run.price*(run.end-before)))
			break
		}
	}
	own := cost
	for k, n := range need {
		if limit := f.caps[k]; limit >= 0 && (n.hi > 0 || n.lo > uint64(limit)) {
			n = u128{lo: uint64(limit)}
		}
		var ok bool
		if own, ok = own.sub(n); !ok {
			return 0, false
		}
	}
	return own.cents(uint64(f.den))
}

// A u128 is an unsigned 128-bit number: a trial's sums of amounts.
type u128 struct{ hi, lo uint64 }

func (a *u128) add(x uint64) {
	var carry uint64
	a.lo, carry = bits.Add64(a.lo, x, 0)
	a.hi += carry
}

// sub returns a − b, and false when b is more than a.
func (a u128) sub(b u128) (u128, bool) {
	lo, borrow := bits.Sub64(a.lo, b.lo, 0)
	hi, borrow := bits.Sub64(a.hi, b.hi, borrow)
	return u128{hi, lo}, borrow == 0
}

// cents returns a/den in hundredths, rounded half up, and false when that
// does not fit an int64.
func (a u128) cents(den uint64) (int64, bool) {
	high, low := bits.Mul64(a.lo, 100)
	carry, top := bits.Mul64(a.hi, 100)
	high, c := bits.Add64(high, top, 0)
	if carry != 0 || c != 0 || high >= den {
		return 0, false
	}
	q, r := bits.Div64(high, low, den)
	if r >= den-r { // 2r ≥ den without overflow
		q++
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	return int64(q), true
}

// ownShare returns the own share of a trial's times in cents through the
// ledger's big.Int arithmetic, as the plan computes it.
func (l *ledger) ownShareOf(s *Scenario, times []Times) int64 {
	l.cost.SetInt64(0)
	for k := range l.need {
		l.need[k].SetInt64(0)
	}
	for p := range s.Positions {
		position := &s.Positions[p]
		source := &s.Funding[position.Funding]
		price := &l.prices.positions[p]
		filled := times[p].Filled
		employedTo := source.End
		if position.Employment == Permanent {
			employedTo = s.Horizon
		}
		if filled <= employedTo {
			l.spread(price.pay, true, filled, employedTo, &l.cost, nil)
		}
		if paidFrom := max(filled, source.Start); paidFrom <= source.End {
			l.runs = l.fundingRuns(price, paidFrom, source.End, l.runs[:0])
			for _, run := range l.runs {
				l.spread(run.price, run.weighted, run.from, run.to, &l.need[position.Funding], nil)
			}
		}
	}
	return l.ownShare().Units
}

// trialOwnShare returns the own share of a trial's times in cents.
func (m *riskMoney) trialOwnShare(times []Times, l *ledger, need []u128) int64 {
	switch {
	case m.none:
		return 0
	case m.fast != nil:
		if cents, ok := m.fast.ownShare(times, need); ok {
			return cents
		}
	}
	if l.table == nil {
		l.table = m.s.prices.table
	}
	return l.ownShareOf(m.s, times)
}

// riskMoneyBytes bounds what newRiskMoney allocates for s, garbage
// included: per post its prices and a run per pay piece (twice over, for
// the runs the ledger makes first), and the table's sums.
func (s *Scenario) riskMoneyBytes() int64 {
	pieces := int64(1)
	if t := s.prices.table; t != nil {
		pieces = int64(len(t.bounds))
	}
	return int64(len(s.Positions))*(128+2*64*pieces) + pieces*64 + 1024
}
