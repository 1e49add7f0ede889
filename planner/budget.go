package planner

import (
	"math/big"
	"time"

	"github.com/rickb777/date/v2"
)

// The cost of the posts, the county's own share and the budget years
// (docs/scenario.md, "Cost, own share and budget years"). Every amount is a
// sum over days of the monthly amount in force on the day over the days of
// its month. Rather than loop over days, a pay table cuts the days from the
// first budget year's 1 January to the horizon into pieces at every new
// year and every pay raise, and knows for each cut the months before it,
// plain and weighted by the pay factor; the amount over any range is then
// a price times the difference of two such sums.

// A BudgetYear is what a calendar year (the county's budget year) carries:
// the cost of the posts employed in it, what the sources pay for it and
// what the county pays itself.
type BudgetYear struct {
	Year     int           `json:"year"`
	Cost     Decimal       `json:"cost"`
	Funded   Decimal       `json:"funded"`
	OwnShare Decimal       `json:"own_share"`
	Funding  []YearFunding `json:"funding"`
}

// A YearFunding is what one source pays in a budget year: the amount to
// draw down, within what is left of its cap.
type YearFunding struct {
	ID     string  `json:"id"`
	Funded Decimal `json:"funded"`
}

// A payTable covers the days from 1 January of the first budget year to
// the horizon. Piece i is [bounds[i], bounds[i+1]); pieces end at every
// new year and every raise.
type payTable struct {
	pay       *payScale
	firstYear int
	bounds    []date.Date // the last entry is the day after the horizon
	segment   []int       // the pay segment of each piece
	// weighted[i] is Σ factor · months over the days before bounds[i], in
	// 1/(D·monthsDenominator); plain[i] the months, in 1/monthsDenominator.
	weighted, plain []big.Int
	newYear         []int // newYear[y] is the piece that begins year firstYear + y
}

// newPayTable builds the table from start's year to the horizon, or
// returns nil when start is after the horizon: the budget has no years.
func newPayTable(pay *payScale, start, horizon date.Date) *payTable {
	if start > horizon {
		return nil
	}
	firstYear, _, _ := civil(start)
	lastYear, _, _ := civil(horizon)
	t := &payTable{pay: pay, firstYear: firstYear}
	next := pay.segment(fromCivil(firstYear, time.January, 1)) // the first raise after that day
	for year := firstYear; year <= lastYear; year++ {
		newYear := fromCivil(year, time.January, 1)
		end := horizon + 1
		if year < lastYear {
			end = fromCivil(year+1, time.January, 1)
		}
		t.newYear = append(t.newYear, len(t.bounds))
		t.bounds = append(t.bounds, newYear)
		for ; next < len(pay.raises) && pay.raises[next] < end; next++ {
			if pay.raises[next] > newYear { // a raise on 1 January cuts nothing new
				t.bounds = append(t.bounds, pay.raises[next])
			}
		}
	}
	t.bounds = append(t.bounds, horizon+1)
	pieces := len(t.bounds) - 1
	t.segment = make([]int, pieces)
	t.plain = make([]big.Int, pieces+1)
	var months big.Int
	for i := range pieces {
		t.segment[i] = pay.segment(t.bounds[i])
		months.SetInt64(monthsBetween(t.bounds[i], t.bounds[i+1]-1))
		t.plain[i+1].Add(&t.plain[i], &months)
	}
	t.weighted = t.plain // without raises, the factor is 1
	if !pay.none {
		t.weighted = make([]big.Int, pieces+1)
		for i := range pieces {
			t.weighted[i+1].Sub(&t.plain[i+1], &t.plain[i])
			t.weighted[i+1].Mul(&t.weighted[i+1], &pay.factor[t.segment[i]])
			t.weighted[i+1].Add(&t.weighted[i+1], &t.weighted[i])
		}
	}
	return t
}

// piece returns the piece that day d is in; the day after the horizon is
// the last cut.
func (t *payTable) piece(d date.Date) int {
	low, high := 0, len(t.bounds)
	for low < high {
		mid := (low + high) / 2
		if t.bounds[mid] <= d {
			low = mid + 1
		} else {
			high = mid
		}
	}
	return low - 1
}

// year returns the budget year of day d, counted from the first.
func (t *payTable) year(d date.Date) int {
	year, _, _ := civil(d)
	return year - t.firstYear
}

// at returns the months (weighted or plain) over the days from the
// table's first day to the day before d, which must be within the table
// or the day after the horizon. The result is z or one of the table's
// values, which must not be modified.
func (t *payTable) at(z *big.Int, d date.Date, weighted bool) *big.Int {
	i := t.piece(d)
	base := &t.plain[i]
	if weighted {
		base = &t.weighted[i]
	}
	if d == t.bounds[i] {
		return base
	}
	z.SetInt64(monthsBetween(t.bounds[i], d-1))
	if weighted && !t.pay.none {
		z.Mul(z, &t.pay.factor[t.segment[i]])
	}
	return z.Add(z, base)
}

// between sets z to the months (weighted or plain) over [a, b], a ≤ b,
// and returns it; scratch is overwritten.
func (t *payTable) between(z, scratch *big.Int, a, b date.Date, weighted bool) *big.Int {
	if i := t.piece(a); b+1 < t.bounds[i+1] {
		// Within one piece: one pay factor, no table sums needed.
		z.SetInt64(monthsBetween(a, b))
		if weighted && !t.pay.none {
			z.Mul(z, &t.pay.factor[t.segment[i]])
		}
		return z
	}
	return z.Sub(t.at(scratch, b+1, weighted), t.at(z, a, weighted))
}

// atNewYear is at for 1 January of budget year y (y > 0).
func (t *payTable) atNewYear(y int, weighted bool) *big.Int {
	if weighted {
		return &t.weighted[t.newYear[y]]
	}
	return &t.plain[t.newYear[y]]
}

// startBudget prepares the ledger for the budget years of a plan from
// start.
func (l *ledger) startBudget(s *Scenario, start date.Date) {
	// The scenario's table serves every start in the year of its own.
	l.table = s.prices.table
	if start > s.Horizon {
		l.table = nil
	} else if year, _, _ := civil(start); l.table == nil || l.table.firstYear != year {
		l.table = newPayTable(&s.prices.pay, start, s.Horizon)
	}
	if l.table == nil {
		return
	}
	years := len(l.table.newYear)
	all := make([]big.Int, 3*years*(1+len(s.Funding)))
	next := func() []big.Int {
		part := all[:years:years]
		all = all[years:]
		return part
	}
	newYearly := func() *yearly { return &yearly{amount: next(), wholeWeighted: next(), wholePlain: next()} }
	l.yearCost = newYearly()
	l.yearFunded = make([]*yearly, len(s.Funding))
	for k := range l.yearFunded {
		l.yearFunded[k] = newYearly()
	}
}

// A yearly sums amounts by budget year. A range that covers whole years
// between its first and its last adds its price for them to a difference
// array (from the first whole year on, up to the last year), so that a
// post's cost takes the same few steps over two years or ten; close
// multiplies the running sums out by each year's months.
type yearly struct {
	amount                    []big.Int
	wholeWeighted, wholePlain []big.Int
}

// close adds the whole years to the amounts.
func (y *yearly) close(t *payTable, scratch *big.Int) {
	for _, whole := range [...]struct {
		prices   []big.Int
		weighted bool
	}{{y.wholeWeighted, true}, {y.wholePlain, false}} {
		var running big.Int
		// A whole year is never the last: ranges end there.
		for year := 0; year+1 < len(y.amount); year++ {
			running.Add(&running, &whole.prices[year])
			if running.Sign() == 0 {
				continue
			}
			scratch.Sub(t.atNewYear(year+1, whole.weighted), t.atNewYear(year, whole.weighted))
			scratch.Mul(scratch, &running)
			y.amount[year].Add(&y.amount[year], scratch)
		}
	}
}

// spread adds price · months over [a, b] to total, and to years by budget
// year unless years is nil. The months are weighted by the pay factor or
// plain; a ≤ b, both within the table.
func (l *ledger) spread(price *big.Int, weighted bool, a, b date.Date, total *big.Int, years *yearly) {
	t := l.table
	first, last := 0, 0
	if years != nil {
		first, last = t.year(a), t.year(b)
	}
	if first == last {
		l.piece.Mul(t.between(&l.lo, &l.hi, a, b, weighted), price)
		total.Add(total, &l.piece)
		if years != nil {
			years.amount[first].Add(&years.amount[first], &l.piece)
		}
		return
	}
	low, high := t.at(&l.lo, a, weighted), t.at(&l.hi, b+1, weighted)
	l.piece.Sub(high, low)
	l.piece.Mul(&l.piece, price)
	total.Add(total, &l.piece)
	l.piece.Sub(t.atNewYear(first+1, weighted), low)
	l.piece.Mul(&l.piece, price)
	years.amount[first].Add(&years.amount[first], &l.piece)
	l.piece.Sub(high, t.atNewYear(last, weighted))
	l.piece.Mul(&l.piece, price)
	years.amount[last].Add(&years.amount[last], &l.piece)
	if first+1 < last {
		whole := years.wholePlain
		if weighted {
			whole = years.wholeWeighted
		}
		whole[first+1].Add(&whole[first+1], price)
		whole[last].Sub(&whole[last], price)
	}
}

// positionMoney computes position p's cost, funding and own share from
// its dates t, writes them to row and adds them to the plan's sums.
func (l *ledger) positionMoney(s *Scenario, p int, t *Times, row *PositionPlan) {
	position := &s.Positions[p]
	source := &s.Funding[position.Funding]
	price := &l.prices.positions[p]
	l.positionCost.SetInt64(0)
	l.positionAfter.SetInt64(0)
	l.positionFunded.SetInt64(0)
	l.positionOnboarding.SetInt64(0)

	// The holder is paid from filled to the funding end, or to the horizon
	// for a permanent post; by the county where no source pays.
	employedTo := source.End
	if position.Employment == Permanent {
		employedTo = s.Horizon
	}
	if t.Filled <= employedTo {
		l.spread(price.pay, true, t.Filled, employedTo, &l.positionCost, l.yearCost)
		if afterFunding := max(t.Filled, source.End+1); afterFunding <= employedTo {
			l.spread(price.pay, true, afterFunding, employedTo, &l.positionAfter, nil)
		}
	}

	// The source pays from filled (or its start) to its end.
	if paidFrom := max(t.Filled, source.Start); paidFrom <= source.End {
		onboardingTo := min(t.Productive-1, source.End)
		l.runs = l.fundingRuns(price, paidFrom, source.End, l.runs[:0])
		for _, run := range l.runs {
			l.spread(run.price, run.weighted, run.from, run.to, &l.positionFunded, l.yearFunded[position.Funding])
			if run.from <= onboardingTo {
				l.spread(run.price, run.weighted, run.from, min(run.to, onboardingTo), &l.positionOnboarding, nil)
			}
		}
	}

	l.positionOwn.Sub(&l.positionCost, &l.positionFunded)
	row.Employment = position.Employment
	row.FundedCost = l.money(&l.positionFunded)
	row.OnboardingCost = l.money(&l.positionOnboarding)
	row.TotalCost = l.money(&l.positionCost)
	row.OwnShare = l.money(&l.positionOwn)
	row.CostAfterFunding = l.money(&l.positionAfter)
	l.cost.Add(&l.cost, &l.positionCost)
	l.afterFunding.Add(&l.afterFunding, &l.positionAfter)
	l.funded.Add(&l.funded, &l.positionFunded)
	l.need[position.Funding].Add(&l.need[position.Funding], &l.positionFunded)
	l.onboarding.Add(&l.onboarding, &l.positionOnboarding)
}

// A fundingRun is a stretch of days in which a source pays a position
// one price a month: rate · pay, weighted by the pay factor, or the flat
// amount, which no raise changes.
type fundingRun struct {
	from, to date.Date
	price    *big.Int
	weighted bool
}

// fundingRuns appends to runs the stretches of [from, to] in which the
// source pays the position one price: per day the smaller of rate · the
// pay in force and the flat amount, so the price changes where a raise
// carries rate · pay across the flat amount.
func (l *ledger) fundingRuns(price *positionPrices, from, to date.Date, runs []fundingRun) []fundingRun {
	pay := &l.prices.pay
	first, last := pay.segment(from), pay.segment(to)
	runFrom, capped := from, l.capped(price, first)
	for k := first; k <= last; k++ {
		next := false
		if k < last {
			if next = l.capped(price, k+1); next == capped {
				continue // the run goes on
			}
		}
		runTo := to
		if k < last {
			runTo = pay.raises[k] - 1
		}
		run := fundingRun{from: runFrom, to: runTo, price: price.rated, weighted: true}
		if capped {
			run.price, run.weighted = price.flat, false
		}
		runs = append(runs, run)
		runFrom, capped = runTo+1, next
	}
	return runs
}

// capped reports whether the flat amount is what the source pays for a
// position in pay segment k: whether it is at most rate · the pay then.
func (l *ledger) capped(price *positionPrices, k int) bool {
	switch {
	case price.flat == nil:
		return false
	case l.prices.pay.none:
		return price.flat.Cmp(price.rated) <= 0
	}
	l.check.Mul(price.rated, &l.prices.pay.factor[k])
	return price.flat.Cmp(&l.check) <= 0
}

// ownShare is the plan's total cost less what the sources pay within
// their caps.
func (l *ledger) ownShare() Decimal {
	l.amount.Set(&l.cost)
	for k := range l.need {
		paid := &l.need[k]
		if limit := l.prices.sources[k].cap; limit != nil && limit.Cmp(paid) < 0 {
			paid = limit
		}
		l.amount.Sub(&l.amount, paid)
	}
	return l.money(&l.amount)
}

// budget returns the budget years: each year's cost, and what each source
// pays in it, drawn in year order until its cap is used up.
func (l *ledger) budget(s *Scenario) []BudgetYear {
	if l.table == nil {
		return []BudgetYear{}
	}
	years := make([]BudgetYear, len(l.table.newYear))
	funding := make([]YearFunding, len(years)*len(s.Funding))
	left := make([]*big.Int, len(s.Funding)) // what is left of each cap; nil without one
	for k := range left {
		if limit := l.prices.sources[k].cap; limit != nil {
			left[k] = new(big.Int).Set(limit)
		}
	}
	var funded, draw big.Int
	l.yearCost.close(l.table, &draw)
	for _, source := range l.yearFunded {
		source.close(l.table, &draw)
	}
	for y := range years {
		year := &years[y]
		year.Year = l.table.firstYear + y
		year.Cost = l.money(&l.yearCost.amount[y])
		year.Funding = funding[y*len(s.Funding) : (y+1)*len(s.Funding)]
		funded.SetInt64(0)
		for k := range s.Funding {
			draw.Set(&l.yearFunded[k].amount[y])
			if left[k] != nil {
				if left[k].Cmp(&draw) < 0 {
					draw.Set(left[k])
				}
				left[k].Sub(left[k], &draw)
			}
			year.Funding[k] = YearFunding{ID: s.Funding[k].ID, Funded: l.money(&draw)}
			funded.Add(&funded, &draw)
		}
		year.Funded = l.money(&funded)
		funded.Sub(&l.yearCost.amount[y], &funded)
		year.OwnShare = l.money(&funded)
	}
	return years
}
