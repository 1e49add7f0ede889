package planner

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/rickb777/date/v2"
)

// Money is exact. Every amount a plan sums is a monthly price times months,
// where a price comes from the scenario's decimal inputs, the pay in force
// is monthly_cost times a factor that the pay raises set, and months(a, b)
// is a whole number of 1/monthsDenominator months. Decode turns each price
// and each pay factor into a whole number over a common denominator, so
// planning only multiplies and adds integers (big.Int, reusing its storage:
// a plan allocates little for money) and divides once, when it rounds.
// docs/scenario.md, "Cost, own share and budget years", states the rules.

// prices holds a scenario's prices as whole numbers over common
// denominators.
type prices struct {
	positions []positionPrices
	sources   []sourcePrices
	pay       payScale
	// moneyDen is the denominator of an amount of EUR: U · D ·
	// monthsDenominator, where every position's prices are whole numbers of
	// 1/U EUR a month and every pay factor a whole number of 1/D.
	moneyDen big.Int
	// fteMonthsDen is the denominator of FTE-months: F · monthsDenominator,
	// where every fte is a whole number of 1/F.
	fteMonthsDen big.Int
	// table is the pay table from the scenario's own start to its horizon;
	// nil when the start is after the horizon.
	table *payTable
}

// positionPrices are one position's prices; positions with equal prices
// share the values, which must not be modified.
type positionPrices struct {
	pay   *big.Int // monthly_cost · fte in 1/U EUR a month, before any raise
	rated *big.Int // rate · monthly_cost · fte in 1/U EUR a month, before any raise
	// flat is per_fte_year / 12 · fte in 1/(U·D) EUR a month, never raised;
	// nil when the source has no per_fte_year.
	flat *big.Int
	fte  *big.Int // fte in 1/F
	// fteFloat is fte for display.
	fteFloat float64
}

type sourcePrices struct {
	cap *big.Int // cap in 1/moneyDen EUR; nil without a cap
}

// A payScale is how pay moves with the raises: segment k runs from
// raises[k-1] (from the earliest day for k = 0) to the day before
// raises[k], and pays factor[k]/D times monthly_cost.
type payScale struct {
	raises []date.Date // the days pay changes on, up to the horizon, in order
	factor []big.Int   // len(raises) + 1 factors in 1/D
	// none is true when there are no raises: D and the one factor are 1,
	// and multiplying by it can be skipped.
	none bool
}

// segment returns the index of the pay segment that day d is in: the
// number of raises on or before d.
func (ps *payScale) segment(d date.Date) int {
	low, high := 0, len(ps.raises)
	for low < high {
		mid := (low + high) / 2
		if ps.raises[mid] <= d {
			low = mid + 1
		} else {
			high = mid
		}
	}
	return low
}

// payFactors returns the pay factor of every segment the raises up to the
// horizon make: 1 before the first, then the product of (1 + percent/100)
// over the raises so far. raises must be in date order.
func payFactors(raises []PayRaise, horizon date.Date) []*big.Rat {
	factors := []*big.Rat{ratOne}
	for _, r := range raises {
		if r.From > horizon {
			break // applies to no day the plan looks at
		}
		step := new(big.Rat).Quo(r.Percent, ratHundred)
		step.Add(step, ratOne)
		factors = append(factors, step.Mul(step, factors[len(factors)-1]))
	}
	return factors
}

// setPrices computes the scenario's prices from its decoded inputs and
// its pay factors (payFactors).
func (s *Scenario) setPrices(factors []*big.Rat) {
	pr := &prices{positions: make([]positionPrices, len(s.Positions)), sources: make([]sourcePrices, len(s.Funding))}
	var factorDen lcm
	for _, f := range factors {
		factorDen.add(f)
	}
	pr.pay.none = len(factors) == 1
	pr.pay.factor = make([]big.Int, len(factors))
	for k, f := range factors {
		factorDen.scale(&pr.pay.factor[k], f)
		if k > 0 {
			pr.pay.raises = append(pr.pay.raises, s.PayRaises[k-1].From)
		}
	}

	flatPerMonth := make([]*big.Rat, len(s.Funding)) // per_fte_year / 12, per source
	for i, f := range s.Funding {
		if f.PerFTEYear != nil {
			flatPerMonth[i] = new(big.Rat).Quo(f.PerFTEYear, ratTwelve)
		}
	}
	pay := make([]*big.Rat, len(s.Positions))
	rated := make([]*big.Rat, len(s.Positions))
	flat := make([]*big.Rat, len(s.Positions))
	var unit, fte lcm
	for i := range s.Positions {
		p := &s.Positions[i]
		pay[i] = product(p.MonthlyCost, p.FTE)
		rated[i] = product(s.Funding[p.Funding].Rate, pay[i])
		unit.add(pay[i])
		unit.add(rated[i])
		if perMonth := flatPerMonth[p.Funding]; perMonth != nil {
			flat[i] = product(perMonth, p.FTE)
			unit.add(flat[i])
		}
		fte.add(p.FTE)
	}
	for _, f := range s.Funding {
		if f.Cap != nil {
			unit.add(f.Cap)
		}
	}
	months := big.NewInt(monthsDenominator)
	pr.moneyDen.Mul(unit.value(), factorDen.value())
	pr.moneyDen.Mul(&pr.moneyDen, months)
	pr.fteMonthsDen.Mul(fte.value(), months)
	// Most positions share a few prices (the same *big.Rat: a default, a
	// flat rate, a literal the decoder has seen before); scale each once.
	inUnits := make(map[*big.Rat]*big.Int)
	inFlatUnits := make(map[*big.Rat]*big.Int)
	inFTE := make(map[*big.Rat]*big.Int)
	scaled := func(known map[*big.Rat]*big.Int, l *lcm, r *big.Rat, times *big.Int) *big.Int {
		z, ok := known[r]
		if !ok {
			z = l.scale(new(big.Int), r)
			if times != nil {
				z.Mul(z, times)
			}
			known[r] = z
		}
		return z
	}
	for i := range s.Positions {
		pp := &pr.positions[i]
		pp.pay = scaled(inUnits, &unit, pay[i], nil)
		pp.rated = scaled(inUnits, &unit, rated[i], nil)
		if flat[i] != nil {
			pp.flat = scaled(inFlatUnits, &unit, flat[i], factorDen.value())
		}
		pp.fte = scaled(inFTE, &fte, s.Positions[i].FTE, nil)
		pp.fteFloat = 1
		if s.Positions[i].FTE != ratOne {
			pp.fteFloat, _ = s.Positions[i].FTE.Float64()
		}
	}
	for i, f := range s.Funding {
		if f.Cap != nil {
			c := unit.scale(new(big.Int), f.Cap)
			c.Mul(c, factorDen.value())
			pr.sources[i].cap = c.Mul(c, months)
		}
	}
	pr.table = newPayTable(&pr.pay, s.Start, s.Horizon)
	s.prices = pr
}

// product returns a · b, sharing an operand where the other is exactly one
// (the decoder gives every literal 1 the value ratOne), as most rates and
// fte are. The result must not be modified.
func product(a, b *big.Rat) *big.Rat {
	switch {
	case a == ratOne:
		return b
	case b == ratOne:
		return a
	}
	return new(big.Rat).Mul(a, b)
}

var ratTwelve = big.NewRat(12, 1)

// lcm accumulates the least common multiple of fractions' denominators.
type lcm struct {
	den, rest big.Int
}

func (l *lcm) add(r *big.Rat) {
	if l.den.Sign() == 0 {
		l.den.SetInt64(1)
	}
	d := r.Denom()
	if l.rest.Rem(&l.den, d).Sign() == 0 {
		return // the usual case: every input has the same few decimals
	}
	gcd := new(big.Int).GCD(nil, nil, &l.den, d)
	l.den.Mul(&l.den, new(big.Int).Quo(d, gcd))
}

func (l *lcm) value() *big.Int {
	if l.den.Sign() == 0 {
		l.den.SetInt64(1)
	}
	return &l.den
}

// scale sets z to r · the common denominator, a whole number.
func (l *lcm) scale(z *big.Int, r *big.Rat) *big.Int {
	z.Quo(l.value(), r.Denom())
	return z.Mul(z, r.Num())
}

// A ledger sums a plan's money and FTE-months; its scratch values are
// reused, so one ledger per plan allocates only while the numbers grow.
type ledger struct {
	prices                                    *prices
	funded, onboarding, productive, potential big.Int
	cost, afterFunding                        big.Int
	need, available                           []big.Int
	amount, months, scaled, quotient, rest    big.Int

	// The budget years: the pay table from the plan's start to the
	// horizon (nil when the start is after it), the cost of each year and
	// what each source pays in it, before its cap.
	table      *payTable
	yearCost   *yearly
	yearFunded []*yearly // by source
	// Scratch values for one position's money.
	lo, hi, piece, check                             big.Int
	positionCost, positionFunded, positionOnboarding big.Int
	positionAfter, positionOwn                       big.Int
	runs                                             []fundingRun
}

func newLedger(pr *prices) *ledger {
	return &ledger{
		prices:    pr,
		need:      make([]big.Int, len(pr.sources)),
		available: make([]big.Int, len(pr.sources)),
	}
}

// times sets the ledger's amount to price · months and returns it; it is
// valid until the next call.
func (l *ledger) times(price *big.Int, months int64) *big.Int {
	l.months.SetInt64(months)
	return l.amount.Mul(price, &l.months)
}

var powersOfTenBig = [...]*big.Int{big.NewInt(1), big.NewInt(10), big.NewInt(100), big.NewInt(1000), big.NewInt(10000)}

// round returns num/den rounded half away from zero to places decimals.
// The limits on a scenario's amounts keep every result inside int64.
func (l *ledger) round(num, den *big.Int, places uint8) Decimal {
	if num.Sign() == 0 {
		return Decimal{Places: places}
	}
	l.scaled.Mul(num, powersOfTenBig[places])
	negative := l.scaled.Sign() < 0
	l.scaled.Abs(&l.scaled)
	var units int64
	var up bool
	if q, r, ok := divideWords(&l.scaled, den); ok {
		units, up = int64(q), r >= den.Uint64()-r // 2r ≥ den without overflow
	} else {
		l.quotient.QuoRem(&l.scaled, den, &l.rest)
		units, up = l.quotient.Int64(), l.rest.Lsh(&l.rest, 1).Cmp(den) >= 0
	}
	if up {
		units++
	}
	if negative {
		units = -units
	}
	return Decimal{Units: units, Places: places}
}

// divideWords divides n ≥ 0 by d in machine words where d fits in one
// word, n in two and the quotient in an int64, as they do unless many pay
// raises make the denominators long; ok is false otherwise. big.Int's own
// division of two words is several times slower, and a plan rounds five
// amounts a post.
func divideWords(n, d *big.Int) (quotient, remainder uint64, ok bool) {
	if bits.UintSize != 64 || !d.IsUint64() || d.Sign() == 0 {
		return 0, 0, false
	}
	divisor := d.Uint64()
	var high, low uint64
	switch words := n.Bits(); len(words) {
	case 0:
	case 1:
		low = uint64(words[0])
	case 2:
		low, high = uint64(words[0]), uint64(words[1])
	default:
		return 0, 0, false
	}
	if high >= divisor {
		return 0, 0, false
	}
	quotient, remainder = bits.Div64(high, low, divisor)
	return quotient, remainder, quotient <= math.MaxInt64
}

func (l *ledger) money(num *big.Int) Decimal { return l.round(num, &l.prices.moneyDen, 2) }

func (l *ledger) fteMonths(num *big.Int) Decimal { return l.round(num, &l.prices.fteMonthsDen, 2) }
