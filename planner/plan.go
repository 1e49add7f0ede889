package planner

import (
	"cmp"
	"context"
	"math"
	"math/big"
	"slices"

	"github.com/rickb777/date/v2"
)

// A Plan is the answer for one scenario (docs/scenario.md, The plan
// document). Its JSON form is the document that `grantplan plan --json`
// prints and POST /api/v1/plan returns.
type Plan struct {
	Scenario  string         `json:"scenario"`
	Start     date.Date      `json:"start"`
	Positions []PositionPlan `json:"positions"`
	Flags     []Flag         `json:"flags"`
	Summary   Summary        `json:"summary"`
	// Horizon is the scenario's horizon, the last day of the budget. The
	// JSON document does not carry it.
	Horizon date.Date `json:"-"`
}

// A PositionPlan holds one position's dates, time and money (docs/scenario.md,
// Months and money).
type PositionPlan struct {
	ID                string     `json:"id"`
	Title             *string    `json:"title"`    // null where the scenario gives none
	Group             *string    `json:"group"`    // null for a position in no group
	Location          *string    `json:"location"` // null where the scenario gives none
	FTE               float64    `json:"fte"`
	Funding           string     `json:"funding"`
	Employment        Employment `json:"employment"`
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
	TotalCost         Decimal    `json:"total_cost"`         // the cost of the post while its holder is employed
	OwnShare          Decimal    `json:"own_share"`          // total_cost − funded_cost
	CostAfterFunding  Decimal    `json:"cost_after_funding"` // the cost after the funding end, to the horizon
	LatestHiringStart *date.Date `json:"latest_hiring_start"`
	SlackDays         *int       `json:"slack_days"`
	Flags             []Code     `json:"flags"`
}

// A Summary sums up a plan (docs/scenario.md, The summary).
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
	TotalCost           Decimal          `json:"total_cost"`
	OwnShare            Decimal          `json:"own_share"` // total_cost less what the sources pay within their caps
	CostAfterFunding    Decimal          `json:"cost_after_funding"`
	LatestSafeStart     *date.Date       `json:"latest_safe_start"`
	Funding             []FundingSummary `json:"funding"`
	Budget              []BudgetYear     `json:"budget"` // by calendar year, from the start's to the horizon's
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
// hiring start and the latest safe start look (docs/scenario.md, The searches).
var searchSpan = Period{Years: 10}

// rowValues holds what the rows and flags of a plan point to (a title, a
// latest hiring start, a slack, a flag's days), so that a plan allocates
// each kind once rather than once for every row. Should a slice outgrow
// its room (more flags than rows), append copies it to a new one, and
// every pointer handed out still points at its value in the old one.
type rowValues struct {
	texts  []string
	dates  []date.Date
	counts []int
}

func newRowValues(rows int) *rowValues {
	return &rowValues{texts: make([]string, 0, 3*rows), dates: make([]date.Date, 0, rows), counts: make([]int, 0, 2*rows)}
}

// optional is nil for an empty string.
func (v *rowValues) optional(s string) *string {
	if s == "" {
		return nil
	}
	v.texts = append(v.texts, s)
	return &v.texts[len(v.texts)-1]
}

func (v *rowValues) date(d date.Date) *date.Date {
	v.dates = append(v.dates, d)
	return &v.dates[len(v.dates)-1]
}

func (v *rowValues) count(n int) *int {
	v.counts = append(v.counts, n)
	return &v.counts[len(v.counts)-1]
}

// Plan schedules the scenario and computes its money, flags and summary.
// It fails only when ctx ends first: with HR capacity, the latest safe
// start takes an exhaustive search.
func (s *Scenario) Plan(ctx context.Context) (*Plan, error) {
	return s.plan(ctx, true)
}

// PlanWithoutSearch is Plan without the search for the latest safe start,
// which with HR capacity costs more than all the rest: the plan is Plan's
// but for Summary.LatestSafeStart, which is nil. It is for key figures
// that do not show that date, such as those of a list of scenarios.
func (s *Scenario) PlanWithoutSearch(ctx context.Context) (*Plan, error) {
	return s.plan(ctx, false)
}

func (s *Scenario) plan(ctx context.Context, search bool) (*Plan, error) {
	latestHiring := s.latestHiringStarts()
	var latestSafe *date.Date
	if search {
		var err error
		if latestSafe, err = s.latestSafeStart(ctx, latestHiring); err != nil {
			return nil, err
		}
	}
	times := newScheduler(s, likelyEnds{s}).run(s.Start)
	plan := &Plan{
		Scenario:  s.Name,
		Start:     s.Start,
		Positions: make([]PositionPlan, len(s.Positions)),
		// Room for a few flags, as most plans have.
		Flags:   make([]Flag, 0, min(len(s.Positions), 16)),
		Horizon: s.Horizon,
	}
	l := newLedger(s.prices)
	l.startBudget(s, s.Start)
	values := newRowValues(len(s.Positions))
	for p := range s.Positions {
		position := &s.Positions[p]
		source := &s.Funding[position.Funding]
		price := &s.prices.positions[p]
		t := times[p]
		row := &plan.Positions[p]
		*row = PositionPlan{
			ID: position.ID, Title: values.optional(position.Title), Group: values.optional(position.Group), Location: values.optional(position.Location),
			Funding: source.ID, FundingEnd: source.End,
			Ready: t.Ready, HiringStart: t.HiringStart, Recruited: t.Recruited,
			Filled: t.Filled, Productive: t.Productive,
			Flags: []Code{},
		}
		row.FTE = price.fteFloat
		if t.Productive <= source.End {
			row.ProductiveDays = int(source.End-t.Productive) + 1
		}
		productiveMonths := monthsBetween(t.Productive, source.End)
		row.ProductiveMonths = Decimal{Units: roundInt(productiveMonths*100, monthsDenominator), Places: 2}
		l.positionMoney(s, p, &t, row)
		l.productive.Add(&l.productive, l.times(price.fte, productiveMonths))
		l.potential.Add(&l.potential, l.times(price.fte, monthsBetween(max(s.Start, source.Start), source.End)))
		if price.flat != nil {
			l.available[position.Funding].Add(&l.available[position.Funding], l.times(price.flat, monthsBetween(source.Start, source.End)))
		}

		if latest := latestHiring[p]; latest != 0 {
			row.LatestHiringStart, row.SlackDays = values.date(latest), values.count(int(latest-t.HiringStart))
		}
		plan.Flags = s.positionFlags(plan.Flags, p, t, values)
		plan.Summary.LastFilled = max(plan.Summary.LastFilled, t.Filled)
		plan.Summary.LastProductive = max(plan.Summary.LastProductive, t.Productive)
	}

	summary := &plan.Summary
	summary.Positions = len(s.Positions)
	summary.ProductiveFTEMonths = l.fteMonths(&l.productive)
	summary.PotentialFTEMonths = l.fteMonths(&l.potential)
	summary.Utilization = Decimal{Places: 4}
	if l.potential.Sign() > 0 {
		summary.Utilization = l.round(&l.productive, &l.potential, 4)
	}
	summary.FundedCost = l.money(&l.funded)
	summary.OnboardingCost = l.money(&l.onboarding)
	summary.TotalCost = l.money(&l.cost)
	summary.OwnShare = l.ownShare()
	summary.CostAfterFunding = l.money(&l.afterFunding)
	summary.LatestSafeStart = latestSafe
	var unclaimed big.Int
	for i := range s.Funding {
		fs, exceeded := s.fundingSummary(l, i, &unclaimed)
		summary.Funding = append(summary.Funding, fs)
		if exceeded {
			plan.Flags = append(plan.Flags, s.budgetFlag(i, fs))
		}
	}
	summary.Unclaimed = l.money(&unclaimed)
	summary.Budget = l.budget(s)

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

// fundingSummary compares source i's need with its cap and its flat
// amounts, and adds what it leaves unclaimed to total. It reports whether
// the need exceeds the cap.
func (s *Scenario) fundingSummary(l *ledger, i int, total *big.Int) (FundingSummary, bool) {
	source := &s.Funding[i]
	need := &l.need[i]
	fs := FundingSummary{
		ID: source.ID, Name: source.Name, Start: source.Start, End: source.End,
		Need: l.money(need),
	}
	var available *big.Int
	if source.PerFTEYear != nil {
		available = &l.available[i]
	}
	exceeded := false
	if limit := s.prices.sources[i].cap; limit != nil {
		fs.Cap = new(l.money(limit))
		over := new(big.Int).Sub(need, limit)
		exceeded = over.Sign() > 0
		if !exceeded {
			over.SetInt64(0)
		}
		fs.OverBy = new(l.money(over))
		if available == nil || limit.Cmp(available) < 0 {
			available = limit
		}
	}
	if available != nil {
		fs.Available = new(l.money(available))
		left := new(big.Int).Sub(available, need)
		if left.Sign() < 0 {
			left.SetInt64(0)
		}
		fs.Unclaimed = new(l.money(left))
		total.Add(total, left)
	}
	return fs, exceeded
}

// latestHiringStarts returns each position's latest hiring start, zero
// where there is none. Positions alike in phases, alignment and funding
// end share the answer, which matters for large scenarios.
func (s *Scenario) latestHiringStarts() []date.Date {
	type key struct {
		phases  [phaseCount]Period
		startOn Alignment
		end     date.Date
	}
	known := make(map[key]date.Date)
	latest := make([]date.Date, len(s.Positions))
	for p := range s.Positions {
		position := &s.Positions[p]
		k := key{startOn: position.StartOn, end: s.Funding[position.Funding].End}
		for phase, span := range position.Phases {
			k.phases[phase] = span.Likely
		}
		h, ok := known[k]
		if !ok {
			h = s.latestHiringStart(p)
			known[k] = h
		}
		latest[p] = h
	}
	return latest
}

// latestHiringStart is the latest day from which the position, hired with
// its likely periods and no waiting, is still productive for
// min_productive before its funding ends (docs/scenario.md, The searches);
// zero if there is none.
func (s *Scenario) latestHiringStart(p int) date.Date {
	position := &s.Positions[p]
	end := s.Funding[position.Funding].End
	h, _ := lastTrue(searchSpan.SubtractFrom(end), end, func(h date.Date) bool {
		recruited := position.Phases[Recruiting].Likely.AddTo(h)
		filled := position.StartOn.align(position.Phases[Notice].Likely.AddTo(recruited))
		productive := position.Phases[Onboarding].Likely.AddTo(filled)
		return s.MinProductive.AddTo(productive) <= end+1
	})
	return h
}

// LatestSafeStart returns the latest decision date from which no position
// ends up not filled, not productive or short of min_productive before
// its funding ends, or nil if there is none (docs/scenario.md, The searches).
func (s *Scenario) LatestSafeStart(ctx context.Context) (*date.Date, error) {
	return s.latestSafeStart(ctx, s.latestHiringStarts())
}

// latestSafeStart searches the decision dates between the earliest funding
// end minus ten years and the latest funding end.
//
// A decision can be no later than any position's own latest hiring start,
// since no position starts hiring before the decision; the earliest of
// those bounds the search, and is often the answer itself. Without HR
// capacity every date only moves later with the decision, so a binary
// search below that bound is exact. With capacity it is not monotone; but
// capacity only ever delays, so a day that is unsafe without capacity is
// unsafe with it, and the exhaustive search walks back from the latest day
// that is safe without capacity.
func (s *Scenario) latestSafeStart(ctx context.Context, latestHiring []date.Date) (*date.Date, error) {
	first, last := s.Funding[0].End, s.Funding[0].End
	for _, f := range s.Funding {
		first, last = min(first, f.End), max(last, f.End)
	}
	earliest := searchSpan.SubtractFrom(first)
	bound := last
	deadlines := make([]date.Date, len(latestHiring))
	for p, h := range latestHiring {
		if h == 0 {
			// Not safe from any day of its ten-year window, so only from
			// before it, which can still be in the search's range.
			h = searchSpan.SubtractFrom(s.Funding[s.Positions[p].Funding].End) - 1
		}
		deadlines[p] = h
		bound = min(bound, h)
	}
	unlimited := *s
	unlimited.HRCapacity = 0
	withoutCapacity := newScheduler(&unlimited, likelyEnds{s})
	if bound < earliest {
		return nil, nil
	}
	if !withoutCapacity.safe(bound) {
		var ok bool
		if bound, ok = lastTrue(earliest, bound-1, withoutCapacity.safe); !ok {
			return nil, nil
		}
	}
	if s.HRCapacity == 0 {
		return &bound, nil
	}
	if bound = min(bound, s.capacityBound(latestHiring)); bound < earliest {
		return nil, nil
	}
	withCapacity := newScheduler(s, likelyEnds{s})
	withCapacity.watch = newDeadlineWatch(s, deadlines)
	withCapacity.scheduled = make([]int, len(s.Positions))
	for d := bound; d >= earliest; d-- {
		if (bound-d)%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if withCapacity.safe(d) {
			return &d, nil
		}
	}
	return nil, nil
}

// capacityBound is a date no safe decision can be later than, given that
// at most HRCapacity recruitments run at once. A safe position starts
// hiring between the decision D and its latest hiring start, so its
// recruitment ends by its deadline: latest hiring start ⊕ recruiting.
// The recruitments with deadlines up to T then all run within [D, T) and
// need, at HRCapacity at once, at least their total length / HRCapacity
// days of it: D ≤ T − ⌈length / HRCapacity⌉ for every deadline T.
func (s *Scenario) capacityBound(latestHiring []date.Date) date.Date {
	type recruitment struct {
		deadline date.Date
		days     int64
	}
	recruitments := make([]recruitment, 0, len(s.Positions))
	for p, h := range latestHiring {
		recruiting := s.Positions[p].Phases[Recruiting].Likely
		if recruiting.IsZero() {
			continue // occupies no place
		}
		if h == 0 {
			h = searchSpan.SubtractFrom(s.Funding[s.Positions[p].Funding].End) - 1
		}
		recruitments = append(recruitments, recruitment{deadline: recruiting.AddTo(h), days: recruiting.minDays()})
	}
	slices.SortFunc(recruitments, func(a, b recruitment) int { return cmp.Compare(a.deadline, b.deadline) })
	bound := date.Date(math.MaxInt64)
	var total int64
	capacity := int64(s.HRCapacity)
	for _, r := range recruitments {
		total += r.days
		bound = min(bound, r.deadline-date.Date((total+capacity-1)/capacity))
	}
	return bound
}

// positionSafe reports whether a position with dates t gets no
// NOT_FILLED, NOT_PRODUCTIVE or SHORT flag: it is productive by its
// funding end and for at least min_productive of funded time.
func (s *Scenario) positionSafe(p int, t *Times) bool {
	end := s.Funding[s.Positions[p].Funding].End
	return t.Productive <= end && s.MinProductive.AddTo(t.Productive) <= end+1
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
