package planner

import (
	"math/big"
)

// Money is exact. Every amount a plan sums is price · months, where a price
// comes from the scenario's decimal inputs and months(a, b) is a whole
// number of 1/monthsDenominator months. Decode turns each price into a
// whole number over one common denominator, so planning only multiplies
// and adds integers (big.Int, reusing its storage: a plan allocates
// almost nothing for money) and divides once, when it rounds.

// prices holds a scenario's prices as whole numbers over common
// denominators.
type prices struct {
	positions []positionPrices
	sources   []sourcePrices
	// moneyDen is the denominator of an amount of EUR: U · monthsDenominator,
	// where every position's prices are whole numbers of 1/U EUR a month.
	moneyDen big.Int
	// fteMonthsDen is the denominator of FTE-months: F · monthsDenominator,
	// where every fte is a whole number of 1/F.
	fteMonthsDen big.Int
}

// positionPrices are one position's prices; positions with equal prices
// share the values, which must not be modified.
type positionPrices struct {
	funded *big.Int // what the source pays a month: min(rate · monthly_cost, per_fte_year / 12) · fte, in 1/U EUR
	flat   *big.Int // per_fte_year / 12 · fte in 1/U EUR; nil when the source has no per_fte_year
	fte    *big.Int // fte in 1/F
	// fteFloat is fte for display.
	fteFloat float64
}

type sourcePrices struct {
	cap *big.Int // cap in 1/moneyDen EUR; nil without a cap
}

// setPrices computes the scenario's prices from its decoded inputs.
func (s *Scenario) setPrices() {
	flatPerMonth := make([]*big.Rat, len(s.Funding)) // per_fte_year / 12, per source
	for i, f := range s.Funding {
		if f.PerFTEYear != nil {
			flatPerMonth[i] = new(big.Rat).Quo(f.PerFTEYear, ratTwelve)
		}
	}
	funded := make([]*big.Rat, len(s.Positions))
	flat := make([]*big.Rat, len(s.Positions))
	var unit, fte lcm
	for i := range s.Positions {
		p := &s.Positions[i]
		perMonth := flatPerMonth[p.Funding]
		funded[i] = p.fundedPerMonth(&s.Funding[p.Funding], perMonth)
		unit.add(funded[i])
		if perMonth != nil {
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
	pr := &prices{positions: make([]positionPrices, len(s.Positions)), sources: make([]sourcePrices, len(s.Funding))}
	months := big.NewInt(monthsDenominator)
	pr.moneyDen.Mul(unit.value(), months)
	pr.fteMonthsDen.Mul(fte.value(), months)
	// Most positions share a few prices (the same *big.Rat: a default, a
	// flat rate, a literal the decoder has seen before); scale each once.
	inUnits := make(map[*big.Rat]*big.Int)
	inFTE := make(map[*big.Rat]*big.Int)
	scaled := func(known map[*big.Rat]*big.Int, l *lcm, r *big.Rat) *big.Int {
		z, ok := known[r]
		if !ok {
			z = l.scale(new(big.Int), r)
			known[r] = z
		}
		return z
	}
	for i := range s.Positions {
		pp := &pr.positions[i]
		pp.funded = scaled(inUnits, &unit, funded[i])
		if flat[i] != nil {
			pp.flat = scaled(inUnits, &unit, flat[i])
		}
		pp.fte = scaled(inFTE, &fte, s.Positions[i].FTE)
		pp.fteFloat = 1
		if s.Positions[i].FTE != ratOne {
			pp.fteFloat, _ = s.Positions[i].FTE.Float64()
		}
	}
	for i, f := range s.Funding {
		if f.Cap != nil {
			pr.sources[i].cap = unit.scale(new(big.Int), f.Cap)
			pr.sources[i].cap.Mul(pr.sources[i].cap, months)
		}
	}
	s.prices = pr
}

// fundedPerMonth is what the source pays for the position per full month:
// min(rate · monthly_cost, per_fte_year / 12) · fte, given the source's
// per_fte_year / 12 (nil without one). The result may be shared with the
// inputs and must not be modified.
func (p *Position) fundedPerMonth(source *Funding, flatPerMonth *big.Rat) *big.Rat {
	rate := product(source.Rate, p.MonthlyCost)
	if flatPerMonth != nil && flatPerMonth.Cmp(rate) < 0 {
		rate = flatPerMonth
	}
	return product(rate, p.FTE)
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
	need, available                           []big.Int
	amount, months, scaled, quotient, rest    big.Int
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
	l.scaled.Mul(num, powersOfTenBig[places])
	negative := l.scaled.Sign() < 0
	l.scaled.Abs(&l.scaled)
	l.quotient.QuoRem(&l.scaled, den, &l.rest)
	units := l.quotient.Int64()
	if l.rest.Lsh(&l.rest, 1).Cmp(den) >= 0 {
		units++
	}
	if negative {
		units = -units
	}
	return Decimal{Units: units, Places: places}
}

func (l *ledger) money(num *big.Int) Decimal { return l.round(num, &l.prices.moneyDen, 2) }

func (l *ledger) fteMonths(num *big.Int) Decimal { return l.round(num, &l.prices.fteMonthsDen, 2) }
