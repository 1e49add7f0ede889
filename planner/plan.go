package planner

import (
	"context"
	"math/big"

	"github.com/rickb777/date/v2"
)

// A Plan is the answer for one scenario (SPEC §7). Its JSON form is the
// document that `grantplan plan --json` prints and POST /api/v1/plan returns.
type Plan struct {
	Scenario  string         `json:"scenario"`
	Start     date.Date      `json:"start"`
	Positions []PositionPlan `json:"positions"`
	Flags     []Flag         `json:"flags"`
	Summary   Summary        `json:"summary"`
}

// A PositionPlan holds one position's dates, time and money (SPEC §5).
type PositionPlan struct {
	ID                string     `json:"id"`
	Title             string     `json:"title"`
	Group             string     `json:"group"`
	Location          string     `json:"location"`
	FTE               float64    `json:"fte"`
	Funding           string     `json:"funding"`
	Ready             date.Date  `json:"ready"`
	HiringStart       date.Date  `json:"hiring_start"`
	Recruited         date.Date  `json:"recruited"`
	Filled            date.Date  `json:"filled"`
	Productive        date.Date  `json:"productive"`
	FundingEnd        date.Date  `json:"funding_end"`
	ProductiveDays    int        `json:"productive_days"`
	ProductiveMonths  Decimal    `json:"productive_months"`
	FundedCost        Decimal    `json:"funded_cost"`
	OnboardingCost    Decimal    `json:"onboarding_cost"`
	LatestHiringStart *date.Date `json:"latest_hiring_start"`
	SlackDays         *int       `json:"slack_days"`
	Flags             []Code     `json:"flags"`
}

// A Summary sums up a plan (SPEC §5).
type Summary struct {
	Positions           int              `json:"positions"`
	Critical            int              `json:"critical"`
	Warnings            int              `json:"warnings"`
	Infos               int              `json:"infos"`
	LastFilled          date.Date        `json:"last_filled"`
	LastProductive      date.Date        `json:"last_productive"`
	ProductiveFTEMonths Decimal          `json:"productive_fte_months"`
	PotentialFTEMonths  Decimal          `json:"potential_fte_months"`
	Utilization         Decimal          `json:"utilization"`
	FundedCost          Decimal          `json:"funded_cost"`
	OnboardingCost      Decimal          `json:"onboarding_cost"`
	Unclaimed           Decimal          `json:"unclaimed"`
	LatestSafeStart     *date.Date       `json:"latest_safe_start"`
	Funding             []FundingSummary `json:"funding"`
}

// A FundingSummary is one source's need against what it makes available.
type FundingSummary struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Start     date.Date `json:"start"`
	End       date.Date `json:"end"`
	Cap       *Decimal  `json:"cap"`
	Need      Decimal   `json:"need"`
	Available *Decimal  `json:"available"`
	OverBy    *Decimal  `json:"over_by"`
	Unclaimed *Decimal  `json:"unclaimed"`
}

// searchSpan is how far before a funding end the searches for the latest
// hiring start and the latest safe start look (SPEC §5).
var searchSpan = Period{Years: 10}

// Plan schedules the scenario and computes its money, flags and summary.
// It fails only when ctx ends first: with HR capacity, the latest safe
// start takes an exhaustive search.
func (s *Scenario) Plan(ctx context.Context) (*Plan, error) {
	latestSafe, err := s.LatestSafeStart(ctx)
	if err != nil {
		return nil, err
	}
	times := newScheduler(s, likelyEnds{s}).run(s.Start)
	plan := &Plan{
		Scenario:  s.Name,
		Start:     s.Start,
		Positions: make([]PositionPlan, len(s.Positions)),
		Flags:     []Flag{},
	}
	var sums struct{ funded, onboarding, productive, potential big.Rat }
	need := make([]big.Rat, len(s.Funding))
	perFTEYearSum := make([]big.Rat, len(s.Funding))
	for p := range s.Positions {
		position := &s.Positions[p]
		source := &s.Funding[position.Funding]
		t := times[p]
		row := &plan.Positions[p]
		*row = PositionPlan{
			ID: position.ID, Title: position.Title, Group: position.Group, Location: position.Location,
			Funding: source.ID, FundingEnd: source.End,
			Ready: t.Ready, HiringStart: t.HiringStart, Recruited: t.Recruited,
			Filled: t.Filled, Productive: t.Productive,
			Flags: []Code{},
		}
		row.FTE, _ = position.FTE.Float64()
		if t.Productive <= source.End {
			row.ProductiveDays = int(source.End-t.Productive) + 1
		}
		productiveMonths := monthsBetween(t.Productive, source.End)
		row.ProductiveMonths = Decimal{Units: roundInt(productiveMonths*100, monthsDenominator), Places: 2}

		rate := position.fundedPerMonth(source)
		paidFrom := max(t.Filled, source.Start)
		funded := monthsOf(rate, monthsBetween(paidFrom, source.End))
		onboarding := monthsOf(rate, monthsBetween(paidFrom, min(t.Productive-1, source.End)))
		row.FundedCost, row.OnboardingCost = roundRat(funded, 2), roundRat(onboarding, 2)
		sums.funded.Add(&sums.funded, funded)
		sums.onboarding.Add(&sums.onboarding, onboarding)
		need[position.Funding].Add(&need[position.Funding], funded)
		sums.productive.Add(&sums.productive, monthsOf(position.FTE, productiveMonths))
		sums.potential.Add(&sums.potential, monthsOf(position.FTE, monthsBetween(max(s.Start, source.Start), source.End)))
		if source.PerFTEYear != nil {
			perMonth := new(big.Rat).Mul(source.PerFTEYear, position.FTE)
			perMonth.Quo(perMonth, ratTwelve)
			sum := &perFTEYearSum[position.Funding]
			sum.Add(sum, monthsOf(perMonth, monthsBetween(source.Start, source.End)))
		}

		if latest, ok := s.latestHiringStart(p); ok {
			slack := int(latest - t.HiringStart)
			row.LatestHiringStart, row.SlackDays = &latest, &slack
		}
		plan.Flags = s.positionFlags(plan.Flags, p, t)
		plan.Summary.LastFilled = max(plan.Summary.LastFilled, t.Filled)
		plan.Summary.LastProductive = max(plan.Summary.LastProductive, t.Productive)
	}

	summary := &plan.Summary
	summary.Positions = len(s.Positions)
	summary.ProductiveFTEMonths = roundRat(&sums.productive, 2)
	summary.PotentialFTEMonths = roundRat(&sums.potential, 2)
	summary.Utilization = Decimal{Places: 4}
	if sums.potential.Sign() > 0 {
		summary.Utilization = roundRat(new(big.Rat).Quo(&sums.productive, &sums.potential), 4)
	}
	summary.FundedCost = roundRat(&sums.funded, 2)
	summary.OnboardingCost = roundRat(&sums.onboarding, 2)
	summary.LatestSafeStart = latestSafe
	var unclaimed big.Rat
	for i := range s.Funding {
		fs := s.fundingSummary(i, &need[i], &perFTEYearSum[i], &unclaimed)
		summary.Funding = append(summary.Funding, fs.summary)
		if fs.exceeded {
			plan.Flags = append(plan.Flags, s.budgetFlag(i, fs.summary))
		}
	}
	summary.Unclaimed = roundRat(&unclaimed, 2)

	sortFlags(plan.Flags)
	for _, f := range plan.Flags {
		if f.position >= 0 {
			row := &plan.Positions[f.position]
			row.Flags = append(row.Flags, f.Code)
		}
		switch f.Severity {
		case Critical:
			summary.Critical++
		case Warning:
			summary.Warnings++
		default:
			summary.Infos++
		}
	}
	return plan, nil
}

var ratTwelve = big.NewRat(12, 1)

// fundedPerMonth is what the source pays for the position per full month:
// min(rate · monthly_cost, per_fte_year / 12) · fte.
func (p *Position) fundedPerMonth(source *Funding) *big.Rat {
	rate := new(big.Rat).Mul(source.Rate, p.MonthlyCost)
	if source.PerFTEYear != nil {
		flat := new(big.Rat).Quo(source.PerFTEYear, ratTwelve)
		if flat.Cmp(rate) < 0 {
			rate = flat
		}
	}
	return rate.Mul(rate, p.FTE)
}

// monthsOf returns perMonth · months, months given in 1/monthsDenominator.
func monthsOf(perMonth *big.Rat, months int64) *big.Rat {
	r := new(big.Rat).SetFrac64(months, monthsDenominator)
	return r.Mul(r, perMonth)
}

type sourceResult struct {
	summary  FundingSummary
	exceeded bool
}

// fundingSummary compares a source's need with its cap and its flat
// amounts, and adds what it leaves unclaimed to total.
func (s *Scenario) fundingSummary(i int, need, perFTEYearSum, total *big.Rat) sourceResult {
	source := &s.Funding[i]
	out := sourceResult{summary: FundingSummary{
		ID: source.ID, Name: source.Name, Start: source.Start, End: source.End,
		Need: roundRat(need, 2),
	}}
	var available *big.Rat
	if source.PerFTEYear != nil {
		available = perFTEYearSum
	}
	if source.Cap != nil {
		out.summary.Cap = new(roundRat(source.Cap, 2))
		over := new(big.Rat).Sub(need, source.Cap)
		out.exceeded = over.Sign() > 0
		if !out.exceeded {
			over.SetInt64(0)
		}
		out.summary.OverBy = new(roundRat(over, 2))
		if available == nil || source.Cap.Cmp(available) < 0 {
			available = source.Cap
		}
	}
	if available != nil {
		out.summary.Available = new(roundRat(available, 2))
		left := new(big.Rat).Sub(available, need)
		if left.Sign() < 0 {
			left.SetInt64(0)
		}
		out.summary.Unclaimed = new(roundRat(left, 2))
		total.Add(total, left)
	}
	return out
}

// latestHiringStart is the latest day from which the position, hired with
// its likely periods and no waiting, is still productive for
// min_productive before its funding ends (SPEC §5).
func (s *Scenario) latestHiringStart(p int) (date.Date, bool) {
	position := &s.Positions[p]
	end := s.Funding[position.Funding].End
	return lastTrue(searchSpan.SubtractFrom(end), end, func(h date.Date) bool {
		recruited := position.Phases[Recruiting].Likely.AddTo(h)
		filled := position.StartOn.align(position.Phases[Notice].Likely.AddTo(recruited))
		productive := position.Phases[Onboarding].Likely.AddTo(filled)
		return s.MinProductive.AddTo(productive) <= end+1
	})
}

// LatestSafeStart returns the latest decision date from which no position
// ends up not filled, not productive or short of min_productive before
// its funding ends, or nil if there is none (SPEC §5).
//
// Without HR capacity every date only moves later with the decision, so a
// binary search is exact. With capacity it is not monotone; but capacity
// only ever delays, so a day that is unsafe without capacity is unsafe
// with it, and the exhaustive search walks back from the latest day that
// is safe without capacity.
func (s *Scenario) LatestSafeStart(ctx context.Context) (*date.Date, error) {
	first, last := s.Funding[0].End, s.Funding[0].End
	for _, f := range s.Funding {
		first, last = min(first, f.End), max(last, f.End)
	}
	earliest := searchSpan.SubtractFrom(first)
	unlimited := *s
	unlimited.HRCapacity = 0
	withoutCapacity := newScheduler(&unlimited, likelyEnds{s})
	bound, ok := lastTrue(earliest, last, func(d date.Date) bool {
		return s.safe(withoutCapacity.run(d))
	})
	if !ok {
		return nil, nil
	}
	if s.HRCapacity == 0 {
		return &bound, nil
	}
	withCapacity := newScheduler(s, likelyEnds{s})
	for d := bound; d >= earliest; d-- {
		if (bound-d)%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if s.safe(withCapacity.run(d)) {
			return &d, nil
		}
	}
	return nil, nil
}

// safe reports whether no position has a NOT_FILLED, NOT_PRODUCTIVE or
// SHORT flag: each is productive by its funding end and for at least
// min_productive of funded time.
func (s *Scenario) safe(times []Times) bool {
	for p := range s.Positions {
		end := s.Funding[s.Positions[p].Funding].End
		if times[p].Productive > end || s.MinProductive.AddTo(times[p].Productive) > end+1 {
			return false
		}
	}
	return true
}

// lastTrue returns the last day in [low, high] for which ok holds, where ok
// holds up to some day and not after it; false if it fails on low.
func lastTrue(low, high date.Date, ok func(date.Date) bool) (date.Date, bool) {
	if !ok(low) {
		return 0, false
	}
	for low < high {
		mid := low + (high-low+1)/2
		if ok(mid) {
			low = mid
		} else {
			high = mid - 1
		}
	}
	return low, true
}
