// This file holds an independent reference implementation ("oracle") of the rules of
// docs/scenario.md, written from those rules alone without reading the planner's own code,
// and a randomized differential test that compares the planner's plan JSON with the
// oracle's, field by field, to the day and to the cent.
//
// The oracle is naive on purpose, so that it is obviously right rather than fast:
//
//   - dates are day numbers into a calendar built by counting days from 1890 on; months are
//     added by hand with BGB §188(3) clamping, days by integer addition, and alignment steps
//     from one first-of-month to the next;
//   - months(a, b) counts the days of the range month by month, one day at a time;
//   - positions are scheduled one at a time as the HR capacity rule says, and with HR
//     capacity the oracle tries t = ready, ready+1, … and counts, for every day u of
//     [t, t ⊕ recruiting), the recruitments already running on u;
//   - latest_hiring_start and latest_safe_start are found by scanning downwards one day at a
//     time from the upper bound, which is exact with and without hr_capacity;
//   - money is exact (math/big.Rat from the JSON number literals) and rounded half away from
//     zero only when written, after summing unrounded values;
//   - every amount of money (funded, onboarding and total cost, cost after the funding, the
//     budget years) is summed one day at a time: the day's pay factor is the product of the
//     raises in force, found by looking at every raise, and the day adds the monthly amount
//     over its month's days; employment, horizon, caps and the draw-down by year follow the
//     rules as written, with no shared code or tables.
//
// Numbers are compared as exact decimals (both literals parsed with big.Rat), never as floats.
// Flag messages are free text and are not compared.
//
// A failing random case prints its seed; rerun it alone with
//
//	go test ./planner/ -run TestOracleRandomScenarios -oracle.seed=N -v
//
// and run a long campaign with -oracle.cases=N.
package planner_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"grantplan/internal/scenariotest"
	"grantplan/planner"
)

var (
	oracleCases = flag.Int("oracle.cases", 400, "number of random scenarios TestOracleRandomScenarios compares")
	oracleSeed  = flag.Int64("oracle.seed", -1, "run only the random scenario with this seed")
)

// ---------------------------------------------------------------------------------------
// Civil dates and periods (docs/scenario.md, Dates and periods).

// oDay is a civil date as the number of days since 1890-01-01.
type oDay int

type civilDate struct {
	year  int
	month time.Month
	day   int
}

// calendar lists every day from 1890-01-01 to 2299-12-31, built by counting days one at a
// time, so that converting between day numbers and civil dates is a table look-up.
var calendar = buildCalendar()

func buildCalendar() (cal struct {
	dates      []civilDate
	monthFirst []oDay // by months since January 1890, with one extra entry for 2300-01-01
}) {
	c := civilDate{1890, time.January, 1}
	for {
		if c.day == 1 {
			cal.monthFirst = append(cal.monthFirst, oDay(len(cal.dates)))
		}
		if c.year == 2300 {
			break
		}
		cal.dates = append(cal.dates, c)
		c.day++
		if c.day > daysInMonth(c.year, c.month) {
			c.day = 1
			c.month++
			if c.month > time.December {
				c.month = time.January
				c.year++
			}
		}
	}
	return cal
}

func mkDay(y int, m time.Month, d int) oDay {
	monthFirst := calendar.monthFirst
	i := (y-1890)*12 + int(m) - 1
	if i < 0 || i+1 >= len(monthFirst) || d < 1 || oDay(d) > monthFirst[i+1]-monthFirst[i] {
		panic(fmt.Sprintf("oracle: date %04d-%02d-%02d out of range", y, int(m), d))
	}
	return monthFirst[i] + oDay(d-1)
}

// monthLength is the number of days in a month, from the calendar.
func monthLength(y int, m time.Month) int {
	monthFirst := calendar.monthFirst
	i := (y-1890)*12 + int(m) - 1
	return int(monthFirst[i+1] - monthFirst[i])
}

func (d oDay) civil() (int, time.Month, int) {
	c := calendar.dates[d]
	return c.year, c.month, c.day
}

func (d oDay) String() string {
	y, m, dd := d.civil()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

func parseDay(s string) (oDay, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, err
	}
	return mkDay(t.Date()), nil
}

// daysInMonth uses time.Date only to find a month's last day (day 0 of the next month).
func daysInMonth(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

type oPeriod struct{ years, months, weeks, days int }

var periodPattern = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$`)

func parsePeriod(s string) (oPeriod, error) {
	m := periodPattern.FindStringSubmatch(s)
	if m == nil || s == "P" {
		return oPeriod{}, fmt.Errorf("bad period %q", s)
	}
	n := func(x string) int {
		if x == "" {
			return 0
		}
		v, _ := strconv.Atoi(x)
		return v
	}
	return oPeriod{n(m[1]), n(m[2]), n(m[3]), n(m[4])}, nil
}

// shiftMonths moves d by n months keeping the day of month, clamped to the target month's end.
func shiftMonths(d oDay, n int) oDay {
	if n == 0 {
		return d
	}
	y, m, dd := d.civil()
	total := y*12 + int(m) - 1 + n
	ny, nm := total/12, time.Month(total%12+1)
	if last := monthLength(ny, nm); dd > last {
		dd = last
	}
	return mkDay(ny, nm, dd)
}

// plus is d ⊕ p: months first (clamped), then 7·W + D days.
func plus(d oDay, p oPeriod) oDay {
	return shiftMonths(d, 12*p.years+p.months) + oDay(7*p.weeks+p.days)
}

// minus is d ⊖ p: months first (clamped), then 7·W + D days.
func minus(d oDay, p oPeriod) oDay {
	return shiftMonths(d, -(12*p.years+p.months)) - oDay(7*p.weeks+p.days)
}

func align(d oDay, startOn string) oDay {
	if startOn == "any" {
		return d
	}
	for {
		y, m, dd := d.civil()
		if dd == 1 && (startOn == "month_start" || m == 1 || m == 4 || m == 7 || m == 10) {
			return d
		}
		d += oDay(monthLength(y, m) - dd + 1) // the first of the next month
	}
}

// monthsBetween is the months of [a, b] (docs/scenario.md, Months and money), counted one day at a time.
func monthsBetween(a, b oDay) *big.Rat {
	sum := new(big.Rat)
	if a > b {
		return sum
	}
	type ym struct {
		y int
		m time.Month
	}
	count := map[ym]int64{}
	var order []ym
	for d := a; d <= b; d++ {
		y, m, _ := d.civil()
		k := ym{y, m}
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	for _, k := range order {
		sum.Add(sum, big.NewRat(count[k], int64(monthLength(k.y, k.m))))
	}
	return sum
}

// ---------------------------------------------------------------------------------------
// The scenario as the oracle reads it (docs/scenario.md, A scenario), decoded from generic JSON.

type oSource struct {
	id, name   string
	start, end oDay
	rate       *big.Rat
	perFTEYear *big.Rat // nil: null
	budgetCap  *big.Rat // nil: null
}

type oDependency struct {
	members []int // the referenced position, or the group's members without the position itself
	event   string
	lag     oPeriod
	count   int
}

type oPosition struct {
	id, title, location string
	group               string // "" when it has none
	fte, monthlyCost    *big.Rat
	recruiting, notice  oPeriod
	onboarding          oPeriod
	startOn             string
	earliest            *oDay
	after               []oDependency
	source              int
	employment          string // "fixed" or "permanent"
}

type oScenario struct {
	name          string
	start         oDay
	minProductive oPeriod
	hrCapacity    int
	sources       []oSource
	positions     []oPosition
	horizon       oDay
	raises        []oRaise // in the order of the input
	// factors remembers the pay factor of each set of raises in force (bit i: raises[i]).
	factors map[uint64]*big.Rat
}

// oRaise is a pay raise: from that day on, pay is percent higher.
type oRaise struct {
	from    oDay
	percent *big.Rat
}

type oracleParseError struct{ msg string }

func oracleFail(format string, args ...any) {
	panic(oracleParseError{fmt.Sprintf(format, args...)})
}

func asRat(v any) *big.Rat {
	n, ok := v.(json.Number)
	if !ok {
		oracleFail("not a number: %v", v)
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		oracleFail("bad number %q", n)
	}
	return r
}

func asDay(v any) oDay {
	s, _ := v.(string)
	d, err := parseDay(s)
	if err != nil {
		oracleFail("bad date %v", v)
	}
	return d
}

func asPeriod(v any) oPeriod {
	s, _ := v.(string)
	p, err := parsePeriod(s)
	if err != nil {
		oracleFail("%v", err)
	}
	return p
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

// parseOracleScenario reads a scenario the way docs/scenario.md describes it, applying the position,
// scenario and built-in defaults in that order. It assumes a valid scenario.
func parseOracleScenario(data []byte) (sc *oScenario, err error) {
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(oracleParseError)
			if !ok {
				panic(r)
			}
			err = errors.New(pe.msg)
		}
	}()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	sc = &oScenario{name: asString(doc["name"]), start: asDay(doc["start"])}
	sc.minProductive = oPeriod{months: 6}
	if v, ok := doc["min_productive"]; ok {
		sc.minProductive = asPeriod(v)
	}
	if v, ok := doc["hr_capacity"]; ok {
		n, _ := strconv.Atoi(string(v.(json.Number)))
		sc.hrCapacity = n
	}
	builtIn := map[string]any{
		"recruiting": "P3M", "notice": "P3M", "onboarding": "P3M",
		"start_on": "month_start", "monthly_cost": json.Number("0"), "fte": json.Number("1"),
		"employment": "fixed",
	}
	defaults, _ := doc["defaults"].(map[string]any)
	field := func(p map[string]any, key string) any { // null is the same as leaving the field out
		if v, ok := p[key]; ok && v != nil {
			return v
		}
		if v, ok := defaults[key]; ok && v != nil {
			return v
		}
		return builtIn[key]
	}
	sourceIndex := map[string]int{}
	for i, raw := range doc["funding"].([]any) {
		f := raw.(map[string]any)
		src := oSource{
			id: asString(f["id"]), name: asString(f["name"]),
			start: asDay(f["start"]), end: asDay(f["end"]), rate: big.NewRat(1, 1),
		}
		if v, ok := f["rate"]; ok {
			src.rate = asRat(v)
		}
		if v := f["per_fte_year"]; v != nil {
			src.perFTEYear = asRat(v)
		}
		if v := f["cap"]; v != nil {
			src.budgetCap = asRat(v)
		}
		sourceIndex[src.id] = i
		sc.sources = append(sc.sources, src)
	}
	// The horizon: as given, else 31 December of the year of the latest funding end.
	if v := doc["horizon"]; v != nil {
		sc.horizon = asDay(v)
	} else {
		latest := sc.sources[0].end
		for _, src := range sc.sources {
			latest = maxDay(latest, src.end)
		}
		y, _, _ := latest.civil()
		sc.horizon = mkDay(y, time.December, 31)
	}
	raises, _ := doc["pay_raises"].([]any)
	for _, raw := range raises {
		r := raw.(map[string]any)
		sc.raises = append(sc.raises, oRaise{from: asDay(r["from"]), percent: asRat(r["percent"])})
	}
	if len(sc.raises) > 64 {
		oracleFail("more than 64 pay raises")
	}
	sc.factors = map[uint64]*big.Rat{}

	rawPositions := doc["positions"].([]any)
	positionIndex := map[string]int{}
	groupMembers := map[string][]int{}
	for i, raw := range rawPositions {
		p := raw.(map[string]any)
		id := asString(p["id"])
		positionIndex[id] = i
		if g, ok := p["group"].(string); ok {
			groupMembers[g] = append(groupMembers[g], i)
		}
	}
	for i, raw := range rawPositions {
		p := raw.(map[string]any)
		pos := oPosition{
			id: asString(p["id"]), title: asString(p["title"]), location: asString(p["location"]),
			fte: asRat(field(p, "fte")), monthlyCost: asRat(field(p, "monthly_cost")),
			recruiting: asPeriod(field(p, "recruiting")), notice: asPeriod(field(p, "notice")),
			onboarding: asPeriod(field(p, "onboarding")), startOn: asString(field(p, "start_on")),
			employment: asString(field(p, "employment")),
		}
		pos.group, _ = p["group"].(string)
		if v, ok := p["earliest"]; ok && v != nil {
			d := asDay(v)
			pos.earliest = &d
		}
		if v, ok := p["funding"].(string); ok {
			pos.source = sourceIndex[v]
		}
		after, _ := p["after"].([]any)
		for _, rawDep := range after {
			dep := oDependency{event: "filled"}
			var ref string
			switch d := rawDep.(type) {
			case string:
				ref = d
			case map[string]any:
				ref = asString(d["ref"])
				if v, ok := d["event"]; ok {
					dep.event = asString(v)
				}
				if v, ok := d["lag"]; ok {
					dep.lag = asPeriod(v)
				}
				if v, ok := d["count"]; ok {
					n, _ := strconv.Atoi(string(v.(json.Number)))
					dep.count = n
				}
			default:
				oracleFail("bad dependency %v", rawDep)
			}
			if g, ok := strings.CutPrefix(ref, "group:"); ok {
				for _, m := range groupMembers[g] {
					if m != i {
						dep.members = append(dep.members, m)
					}
				}
				if dep.count == 0 {
					dep.count = len(dep.members)
				}
			} else {
				j, ok := positionIndex[ref]
				if !ok {
					oracleFail("unknown position %q", ref)
				}
				dep.members = []int{j}
				dep.count = 1
			}
			if len(dep.members) == 0 || dep.count < 1 || dep.count > len(dep.members) {
				oracleFail("bad dependency %v", rawDep)
			}
			pos.after = append(pos.after, dep)
		}
		sc.positions = append(sc.positions, pos)
	}
	return sc, nil
}

// ---------------------------------------------------------------------------------------
// The schedule (docs/scenario.md, The schedule and HR capacity).

type oTimes struct {
	ready, hiringStart, recruited, filled, productive oDay
}

func (tm oTimes) event(name string) oDay {
	switch name {
	case "hiring_start":
		return tm.hiringStart
	case "recruited":
		return tm.recruited
	case "filled":
		return tm.filled
	case "productive":
		return tm.productive
	}
	panic("unknown event " + name)
}

// chain gives the dates that follow from hiring p at hiringStart.
func (p *oPosition) chain(hiringStart oDay) oTimes {
	tm := oTimes{hiringStart: hiringStart}
	tm.recruited = plus(hiringStart, p.recruiting)
	tm.filled = align(plus(tm.recruited, p.notice), p.startOn)
	tm.productive = plus(tm.filled, p.onboarding)
	return tm
}

// schedule plans every position with the given planning start. Positions are taken one at a
// time (HR capacity); without capacity the order does not matter, since hiring_start = ready.
func (sc *oScenario) schedule(start oDay) []oTimes {
	n := len(sc.positions)
	done := make([]bool, n)
	times := make([]oTimes, n)
	// The recruitments scheduled so far, each running on the days [from, to).
	type recruitment struct{ from, to oDay }
	var running []recruitment
	busy := func(u oDay) int {
		count := 0
		for i := range running {
			if running[i].from <= u && u < running[i].to {
				count++
			}
		}
		return count
	}
	for range n {
		best, bestReady := -1, oDay(0)
		for i := range n {
			if done[i] {
				continue
			}
			p := &sc.positions[i]
			ready, ok := start, true
			if p.earliest != nil && *p.earliest > ready {
				ready = *p.earliest
			}
			for _, dep := range p.after {
				var events []oDay
				for _, m := range dep.members {
					if !done[m] {
						ok = false
					}
					events = append(events, times[m].event(dep.event))
				}
				if !ok {
					break
				}
				slices.Sort(events)
				if gate := plus(events[dep.count-1], dep.lag); gate > ready {
					ready = gate
				}
			}
			if ok && (best < 0 || ready < bestReady) {
				best, bestReady = i, ready
			}
		}
		if best < 0 {
			panic("oracle: dependency cycle in a generated scenario")
		}
		p := &sc.positions[best]
		hiringStart := bestReady
		if sc.hrCapacity > 0 {
			for t := bestReady; ; t++ {
				free := true
				for u, end := t, plus(t, p.recruiting); u < end; u++ {
					if busy(u) >= sc.hrCapacity {
						free = false
						break
					}
				}
				if free {
					hiringStart = t
					break
				}
			}
			running = append(running, recruitment{hiringStart, plus(hiringStart, p.recruiting)})
		}
		times[best] = p.chain(hiringStart)
		times[best].ready = bestReady
		done[best] = true
	}
	return times
}

// ---------------------------------------------------------------------------------------
// Flags (docs/scenario.md, Flags).

type oFlag struct {
	code     string
	severity int // 0 critical, 1 warning, 2 info
	position int // position index; for BUDGET_EXCEEDED, len(positions) + source index
	source   int // -1 for position flags
	days     int64
}

var severityNames = []string{"critical", "warning", "info"}

func (sc *oScenario) positionFlags(i int, tm oTimes) []oFlag {
	p := &sc.positions[i]
	src := sc.sources[p.source]
	end := src.end
	var flags []oFlag
	add := func(code string, severity int, days oDay) {
		flags = append(flags, oFlag{code: code, severity: severity, position: i, source: -1, days: int64(days)})
	}
	switch {
	case tm.filled > end:
		add("NOT_FILLED_BEFORE_EXPIRY", 0, tm.filled-end)
	case tm.productive > end:
		add("NOT_PRODUCTIVE_BEFORE_EXPIRY", 0, tm.productive-end)
	case plus(tm.productive, sc.minProductive) > end+1:
		add("SHORT_PRODUCTIVE_WINDOW", 1, plus(tm.productive, sc.minProductive)-(end+1))
	}
	if tm.filled < src.start {
		add("FILLED_BEFORE_FUNDING", 1, src.start-tm.filled)
	}
	if tm.hiringStart > tm.ready {
		add("CAPACITY_DELAY", 2, tm.hiringStart-tm.ready)
	}
	return flags
}

// unsafe reports whether any position has a NOT_FILLED, NOT_PRODUCTIVE or SHORT flag.
func (sc *oScenario) unsafe(times []oTimes) bool {
	for i, tm := range times {
		for _, f := range sc.positionFlags(i, tm) {
			switch f.code {
			case "NOT_FILLED_BEFORE_EXPIRY", "NOT_PRODUCTIVE_BEFORE_EXPIRY", "SHORT_PRODUCTIVE_WINDOW":
				return true
			}
		}
	}
	return false
}

func sortFlags(flags []oFlag) {
	sort.SliceStable(flags, func(a, b int) bool {
		fa, fb := flags[a], flags[b]
		if fa.severity != fb.severity {
			return fa.severity < fb.severity
		}
		if fa.position != fb.position {
			return fa.position < fb.position
		}
		return fa.code < fb.code
	})
}

// ---------------------------------------------------------------------------------------
// Money and the expected plan document (docs/scenario.md, Months and money to The plan document).

// roundHalfAway rounds x to the given number of decimals, half away from zero.
func roundHalfAway(x *big.Rat, places int) *big.Rat {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	y := new(big.Rat).Mul(x, new(big.Rat).SetInt(scale))
	num := new(big.Int).Abs(y.Num())
	q, r := new(big.Int).QuoRem(num, y.Denom(), new(big.Int))
	if new(big.Int).Mul(r, big.NewInt(2)).Cmp(y.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if y.Sign() < 0 {
		q.Neg(q)
	}
	return new(big.Rat).SetFrac(q, scale)
}

func money(x *big.Rat) *big.Rat { return roundHalfAway(x, 2) }

func ratMul(xs ...*big.Rat) *big.Rat {
	r := big.NewRat(1, 1)
	for _, x := range xs {
		r.Mul(r, x)
	}
	return r
}

func minDay(a, b oDay) oDay {
	if a < b {
		return a
	}
	return b
}

func maxDay(a, b oDay) oDay {
	if a > b {
		return a
	}
	return b
}

// payFactor is Π (1 + percent/100) over the raises in force on day u (those from ≤ u), in
// any order (docs/scenario.md, Cost, own share and budget years).
func (sc *oScenario) payFactor(u oDay) *big.Rat {
	var set uint64
	for i, r := range sc.raises {
		if r.from <= u {
			set |= 1 << i
		}
	}
	if f, ok := sc.factors[set]; ok {
		return f
	}
	f := big.NewRat(1, 1)
	for i, r := range sc.raises {
		if set&(1<<i) != 0 {
			f.Mul(f, new(big.Rat).Add(big.NewRat(1, 1), new(big.Rat).Quo(r.percent, big.NewRat(100, 1))))
		}
	}
	sc.factors[set] = f
	return f
}

// overDays returns, per calendar year, Σ over the days u of [a, b] of monthly(the pay factor
// on u) / (the number of days of u's month), walking the range one day at a time. Days of
// the same year, month length and pay factor are counted together before the exact sum.
func (sc *oScenario) overDays(a, b oDay, monthly func(factor *big.Rat) *big.Rat) map[int]*big.Rat {
	type key struct {
		year, monthDays int
		factor          *big.Rat
	}
	count := map[key]int64{}
	for u := a; u <= b; u++ {
		y, m, _ := u.civil()
		count[key{y, monthLength(y, m), sc.payFactor(u)}]++
	}
	sums := map[int]*big.Rat{}
	for k, n := range count {
		if sums[k.year] == nil {
			sums[k.year] = new(big.Rat)
		}
		sums[k.year].Add(sums[k.year], ratMul(monthly(k.factor), big.NewRat(n, int64(k.monthDays))))
	}
	return sums
}

// sumYears adds up amounts by year.
func sumYears(byYear map[int]*big.Rat) *big.Rat {
	sum := new(big.Rat)
	for _, v := range byYear {
		sum.Add(sum, v)
	}
	return sum
}

// addYears adds the amounts by year of from to into.
func addYears(into, from map[int]*big.Rat) {
	for y, v := range from {
		if into[y] == nil {
			into[y] = new(big.Rat)
		}
		into[y].Add(into[y], v)
	}
}

func ratOrZero(r *big.Rat) *big.Rat {
	if r == nil {
		return new(big.Rat)
	}
	return r
}

// anyMessage marks a flag message: it must be a string but is not compared
// (the planner leaves it empty; package locale writes it and tests it).
type anyMessage struct{}

// optionalText is how the plan writes an optional text (a position's title, group or
// location): null when missing or empty (docs/scenario.md, The plan).
func optionalText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// expectedPlan computes the whole plan document. Values are strings, nil, *big.Rat (exact
// numbers), []any, map[string]any or anyMessage.
func (sc *oScenario) expectedPlan() map[string]any {
	times := sc.schedule(sc.start)
	n := len(sc.positions)
	var flags []oFlag
	for i, tm := range times {
		flags = append(flags, sc.positionFlags(i, tm)...)
	}

	need := make([]*big.Rat, len(sc.sources))
	perFTEMonths := make([]*big.Rat, len(sc.sources)) // Σ per_fte_year/12 · fte · months(S, E)
	for k := range sc.sources {
		need[k], perFTEMonths[k] = new(big.Rat), new(big.Rat)
	}
	sumFunded, sumOnboarding := new(big.Rat), new(big.Rat)
	sumCost, sumAfterFunding := new(big.Rat), new(big.Rat)
	costByYear := map[int]*big.Rat{}
	fundedByYear := make([]map[int]*big.Rat, len(sc.sources)) // per source, before its cap
	for k := range sc.sources {
		fundedByYear[k] = map[int]*big.Rat{}
	}
	sumProductive, sumPotential := new(big.Rat), new(big.Rat)
	var lastFilled, lastProductive oDay
	positions := make([]any, 0, n)
	for i := range n {
		p := &sc.positions[i]
		tm := times[i]
		src := sc.sources[p.source]
		if src.perFTEYear != nil {
			perFTEMonths[p.source].Add(perFTEMonths[p.source],
				ratMul(src.perFTEYear, big.NewRat(1, 12), p.fte, monthsBetween(src.start, src.end)))
		}
		// Per month in force: the pay (monthly_cost · fte · the raises' factor), and what the
		// source pays: the smaller of rate · the pay and per_fte_year / 12 (never raised),
		// times fte.
		pay := func(factor *big.Rat) *big.Rat { return ratMul(p.monthlyCost, p.fte, factor) }
		fundedPerMonth := func(factor *big.Rat) *big.Rat {
			m := ratMul(src.rate, p.monthlyCost, factor)
			if src.perFTEYear != nil {
				if flat := new(big.Rat).Quo(src.perFTEYear, big.NewRat(12, 1)); flat.Cmp(m) < 0 {
					m = flat
				}
			}
			return ratMul(m, p.fte)
		}
		paidFrom := maxDay(tm.filled, src.start)
		fundedYears := sc.overDays(paidFrom, src.end, fundedPerMonth)
		fundedCost := sumYears(fundedYears)
		onboardingCost := sumYears(sc.overDays(paidFrom, minDay(tm.productive-1, src.end), fundedPerMonth))
		addYears(fundedByYear[p.source], fundedYears)
		// Employed from filled to E (fixed) or to the horizon (permanent).
		employedTo := src.end
		if p.employment == "permanent" {
			employedTo = sc.horizon
		}
		costYears := sc.overDays(tm.filled, employedTo, pay)
		totalCost := sumYears(costYears)
		addYears(costByYear, costYears)
		afterFunding := sumYears(sc.overDays(maxDay(tm.filled, src.end+1), employedTo, pay))
		ownShare := new(big.Rat).Sub(totalCost, fundedCost)
		if ownShare.Sign() < 0 {
			panic(fmt.Sprintf("oracle: %s is funded %s, more than its cost %s", p.id, fundedCost.RatString(), totalCost.RatString()))
		}
		sumCost.Add(sumCost, totalCost)
		sumAfterFunding.Add(sumAfterFunding, afterFunding)
		need[p.source].Add(need[p.source], fundedCost)
		sumFunded.Add(sumFunded, fundedCost)
		sumOnboarding.Add(sumOnboarding, onboardingCost)
		productiveMonths := monthsBetween(tm.productive, src.end)
		sumProductive.Add(sumProductive, ratMul(p.fte, productiveMonths))
		sumPotential.Add(sumPotential, ratMul(p.fte, monthsBetween(maxDay(sc.start, src.start), src.end)))
		if i == 0 || tm.filled > lastFilled {
			lastFilled = tm.filled
		}
		if i == 0 || tm.productive > lastProductive {
			lastProductive = tm.productive
		}

		productiveDays := int64(0)
		if tm.productive <= src.end {
			productiveDays = int64(src.end - tm.productive + 1)
		}
		var latestHiring, slack any
		for h, lo := src.end, minus(src.end, oPeriod{years: 10}); h >= lo; h-- {
			if plus(p.chain(h).productive, sc.minProductive) <= src.end+1 {
				latestHiring = h.String()
				slack = big.NewRat(int64(h-tm.hiringStart), 1)
				break
			}
		}
		codes := []any{}
		own := sc.positionFlags(i, tm)
		sortFlags(own)
		for _, f := range own {
			codes = append(codes, f.code)
		}
		positions = append(positions, map[string]any{
			"id": p.id, "title": optionalText(p.title), "group": optionalText(p.group), "location": optionalText(p.location),
			"fte": p.fte, "funding": src.id,
			"ready": tm.ready.String(), "hiring_start": tm.hiringStart.String(),
			"recruited": tm.recruited.String(), "filled": tm.filled.String(),
			"productive": tm.productive.String(), "funding_end": src.end.String(),
			"productive_days": big.NewRat(productiveDays, 1), "productive_months": money(productiveMonths),
			"funded_cost": money(fundedCost), "onboarding_cost": money(onboardingCost),
			"employment": p.employment, "total_cost": money(totalCost), "own_share": money(ownShare),
			"cost_after_funding":  money(afterFunding),
			"latest_hiring_start": latestHiring, "slack_days": slack, "flags": codes,
		})
	}

	// The county's own share: the cost less what every source pays, at most its cap.
	ownShare := new(big.Rat).Set(sumCost)
	for k, src := range sc.sources {
		paid := need[k]
		if src.budgetCap != nil && src.budgetCap.Cmp(paid) < 0 {
			paid = src.budgetCap
		}
		ownShare.Sub(ownShare, paid)
	}

	// The budget years, from the start's year to the horizon's; each source's amounts drawn
	// in year order until its cap is used up.
	budget := []any{}
	firstYear, _, _ := sc.start.civil()
	lastYear, _, _ := sc.horizon.civil()
	for y := range costByYear {
		if y < firstYear || y > lastYear || sc.start > sc.horizon {
			panic(fmt.Sprintf("oracle: a cost in %d, outside the budget years", y))
		}
	}
	if sc.start <= sc.horizon {
		left := make([]*big.Rat, len(sc.sources))
		for k, src := range sc.sources {
			if src.budgetCap != nil {
				left[k] = new(big.Rat).Set(src.budgetCap)
			}
		}
		for y := firstYear; y <= lastYear; y++ {
			cost := ratOrZero(costByYear[y])
			funded := new(big.Rat)
			entries := []any{}
			for k, src := range sc.sources {
				amount := new(big.Rat).Set(ratOrZero(fundedByYear[k][y]))
				if left[k] != nil {
					if amount.Cmp(left[k]) > 0 {
						amount.Set(left[k])
					}
					left[k].Sub(left[k], amount)
				}
				funded.Add(funded, amount)
				entries = append(entries, map[string]any{"id": src.id, "funded": money(amount)})
			}
			budget = append(budget, map[string]any{
				"year": big.NewRat(int64(y), 1), "cost": money(cost), "funded": money(funded),
				"own_share": money(new(big.Rat).Sub(cost, funded)), "funding": entries,
			})
		}
	}

	funding := []any{}
	sumUnclaimed := new(big.Rat)
	for k, src := range sc.sources {
		var available *big.Rat
		switch {
		case src.budgetCap != nil && src.perFTEYear != nil:
			available = src.budgetCap
			if perFTEMonths[k].Cmp(available) < 0 {
				available = perFTEMonths[k]
			}
		case src.budgetCap != nil:
			available = src.budgetCap
		case src.perFTEYear != nil:
			available = perFTEMonths[k]
		}
		entry := map[string]any{
			"id": src.id, "name": src.name, "start": src.start.String(), "end": src.end.String(),
			"cap": nil, "need": money(need[k]), "available": nil, "over_by": nil, "unclaimed": nil,
		}
		if src.budgetCap != nil {
			entry["cap"] = money(src.budgetCap)
			over := new(big.Rat).Sub(need[k], src.budgetCap)
			if over.Sign() < 0 {
				over = new(big.Rat)
			}
			entry["over_by"] = money(over)
			if need[k].Cmp(src.budgetCap) > 0 {
				flags = append(flags, oFlag{code: "BUDGET_EXCEEDED", severity: 1, position: n + k, source: k})
			}
		}
		if available != nil {
			entry["available"] = money(available)
			unclaimed := new(big.Rat).Sub(available, need[k])
			if unclaimed.Sign() < 0 {
				unclaimed = new(big.Rat)
			}
			entry["unclaimed"] = money(unclaimed)
			sumUnclaimed.Add(sumUnclaimed, unclaimed)
		}
		funding = append(funding, entry)
	}

	sortFlags(flags)
	flagList := []any{}
	counts := [3]int64{}
	for _, f := range flags {
		counts[f.severity]++
		obj := map[string]any{"code": f.code, "severity": severityNames[f.severity], "message": anyMessage{}}
		if f.source >= 0 {
			obj["funding"] = sc.sources[f.source].id
			obj["days"] = nil
		} else {
			obj["position"] = sc.positions[f.position].id
			obj["days"] = big.NewRat(f.days, 1)
		}
		flagList = append(flagList, obj)
	}

	utilization := new(big.Rat)
	if sumPotential.Sign() != 0 {
		utilization.Quo(sumProductive, sumPotential)
	}

	var latestSafe any
	minEnd, maxEnd := sc.sources[0].end, sc.sources[0].end
	for _, src := range sc.sources {
		minEnd, maxEnd = minDay(minEnd, src.end), maxDay(maxEnd, src.end)
	}
	for d, lo := maxEnd, minus(minEnd, oPeriod{years: 10}); d >= lo; d-- {
		if !sc.unsafe(sc.schedule(d)) {
			latestSafe = d.String()
			break
		}
	}

	return map[string]any{
		"scenario":  sc.name,
		"start":     sc.start.String(),
		"positions": positions,
		"flags":     flagList,
		"summary": map[string]any{
			"positions":             big.NewRat(int64(n), 1),
			"critical":              big.NewRat(counts[0], 1),
			"warnings":              big.NewRat(counts[1], 1),
			"infos":                 big.NewRat(counts[2], 1),
			"last_filled":           lastFilled.String(),
			"last_productive":       lastProductive.String(),
			"productive_fte_months": money(sumProductive),
			"potential_fte_months":  money(sumPotential),
			"utilization":           roundHalfAway(utilization, 4),
			"funded_cost":           money(sumFunded),
			"onboarding_cost":       money(sumOnboarding),
			"unclaimed":             money(sumUnclaimed),
			"total_cost":            money(sumCost),
			"own_share":             money(ownShare),
			"cost_after_funding":    money(sumAfterFunding),
			"latest_safe_start":     latestSafe,
			"funding":               funding,
			"budget":                budget,
		},
	}
}

// ---------------------------------------------------------------------------------------
// Comparison.

// compareJSON walks want and got together and reports every difference by its path.
func compareJSON(path string, want, got any, report func(path string, got, want any)) {
	switch w := want.(type) {
	case anyMessage:
		if _, ok := got.(string); !ok {
			report(path, got, "a message")
		}
	case nil:
		if got != nil {
			report(path, got, nil)
		}
	case string:
		if g, ok := got.(string); !ok || g != w {
			report(path, got, w)
		}
	case *big.Rat:
		g, ok := got.(json.Number)
		if !ok {
			report(path, got, ratString(w))
			return
		}
		r, ok := new(big.Rat).SetString(string(g))
		if !ok || r.Cmp(w) != 0 {
			report(path, got, ratString(w))
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			report(path, got, fmt.Sprintf("an array of %d", len(w)))
			return
		}
		if len(g) != len(w) {
			report(path+".length", len(g), len(w))
		}
		for i := range min(len(g), len(w)) {
			compareJSON(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], report)
		}
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			report(path, got, "an object")
			return
		}
		for _, k := range sortedKeys(w) {
			gv, present := g[k]
			if !present {
				report(path+"."+k, "(missing)", w[k])
				continue
			}
			compareJSON(path+"."+k, w[k], gv, report)
		}
		for _, k := range sortedKeys(g) {
			if _, expected := w[k]; !expected {
				report(path+"."+k, g[k], "(no such field)")
			}
		}
	default:
		panic(fmt.Sprintf("oracle: unexpected want type %T", want))
	}
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.RatString()
	}
	return strings.TrimRight(r.FloatString(10), "0")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// diffAgainstOracle plans the scenario with the planner and the oracle and returns the
// differences, one "path: got X, want Y" line each.
func diffAgainstOracle(t *testing.T, scenario []byte) []string {
	t.Helper()
	s, err := planner.Decode(scenario)
	if err != nil {
		return []string{fmt.Sprintf("planner.Decode: got error %v, want a valid scenario", err)}
	}
	// A planner that never returns must still name the scenario, so the plan runs aside.
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		plan, err := s.Plan(context.Background())
		if err != nil {
			done <- result{nil, fmt.Errorf("Plan: got error %v, want a plan", err)}
			return
		}
		out, err := json.Marshal(plan)
		if err != nil {
			err = fmt.Errorf("json.Marshal(plan): got error %v", err)
		}
		done <- result{out, err}
	}()
	var out []byte
	select {
	case r := <-done:
		if r.err != nil {
			return []string{r.err.Error()}
		}
		out = r.out
	case <-time.After(time.Minute):
		return []string{"Plan: got no answer within a minute, want a plan"}
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var got any
	if err := dec.Decode(&got); err != nil {
		return []string{fmt.Sprintf("plan JSON: got error %v", err)}
	}
	sc, err := parseOracleScenario(scenario)
	if err != nil {
		t.Fatalf("oracle cannot read the scenario: %v\n%s", err, scenario)
	}
	var diffs []string
	compareJSON("plan", sc.expectedPlan(), got, func(path string, g, w any) {
		if r, ok := w.(*big.Rat); ok {
			w = ratString(r)
		}
		diffs = append(diffs, fmt.Sprintf("%s: got %v, want %v", path, g, w))
	})
	return diffs
}

// ---------------------------------------------------------------------------------------
// The tests.

func TestOracleDemoScenario(t *testing.T) {
	data, err := os.ReadFile("../data/kim-siegen-wittgenstein.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffAgainstOracle(t, data) {
		t.Error(d)
	}

	// The oracle itself must reproduce the demo's published reference figures.
	sc, err := parseOracleScenario(data)
	if err != nil {
		t.Fatal(err)
	}
	summary := sc.expectedPlan()["summary"].(map[string]any)
	want := map[string]string{
		"critical": "6", "warnings": "1", "productive_fte_months": "25", "potential_fte_months": "150",
		"utilization": "0.1667", "funded_cost": "174166.67", "unclaimed": "925833.33",
	}
	for _, k := range sortedKeys(want) {
		w, _ := new(big.Rat).SetString(want[k])
		if g := summary[k].(*big.Rat); g.Cmp(w) != 0 {
			t.Errorf("oracle summary.%s: got %s, want %s", k, ratString(g), want[k])
		}
	}
	if g := summary["latest_safe_start"]; g != "2020-09-01" {
		t.Errorf("oracle summary.latest_safe_start: got %v, want 2020-09-01", g)
	}
}

// TestOracleEdgeScenarios compares hand-made scenarios that random ones rarely reach, and
// checks the oracle's own answer for them against figures worked out by hand from the rules.
func TestOracleEdgeScenarios(t *testing.T) {
	tests := []struct {
		name     string
		scenario string
		want     map[string]string // path in the plan document → value ("null" for null)
	}{
		{
			name: "half cents round away from zero after summing; need equal to cap",
			// Each post is funded 1000.01 · 0.5 · 1 month = 500.005, written 500.01; the sum is
			// 1000.01, not 1000.02, and it does not exceed the cap of 1000.01.
			scenario: `{"name": "ties", "start": "2022-12-01", "min_productive": "P0D",
				"defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P0D", "fte": 0.5, "monthly_cost": 1000.01},
				"funding": [{"id": "f", "name": "F", "start": "2022-01-01", "end": "2022-12-31", "cap": 1000.01},
				            {"id": "unused", "name": "U", "start": "2022-01-01", "end": "2022-12-31", "per_fte_year": 12000}],
				"positions": [{"id": "a", "title": "A", "location": "X"}, {"id": "b", "title": "B", "location": "X"}]}`,
			want: map[string]string{
				"positions.0.funded_cost": "500.01", "summary.funded_cost": "1000.01",
				"summary.funding.0.need": "1000.01", "summary.funding.0.over_by": "0",
				"summary.funding.0.unclaimed": "0", "summary.funding.1.available": "0",
				"summary.warnings": "0", "summary.utilization": "1",
			},
		},
		{
			name: "ten years back from February 29 is February 28",
			// E ⊖ P10Y = 2014-02-28. Hiring on 2014-02-28 makes the post productive on
			// 2024-02-28, and P1D later is still ≤ E + 1 day; hiring a day later is too late.
			scenario: `{"name": "leap", "start": "2020-01-01", "min_productive": "P1D",
				"defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P10Y", "start_on": "any"},
				"funding": [{"id": "f", "name": "F", "start": "2010-01-01", "end": "2024-02-29"}],
				"positions": [{"id": "a", "title": "A", "location": "X"}]}`,
			want: map[string]string{
				"positions.0.latest_hiring_start": "2014-02-28", "positions.0.slack_days": "-2133",
				"summary.latest_safe_start": "2014-02-28",
			},
		},
		{
			name: "the ten-year bound leaves no date",
			scenario: `{"name": "leap", "start": "2020-01-01", "min_productive": "P3D",
				"defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P10Y", "start_on": "any"},
				"funding": [{"id": "f", "name": "F", "start": "2010-01-01", "end": "2024-02-29"}],
				"positions": [{"id": "a", "title": "A", "location": "X"}]}`,
			want: map[string]string{
				"positions.0.latest_hiring_start": "null", "positions.0.slack_days": "null",
				"summary.latest_safe_start": "null",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, d := range diffAgainstOracle(t, []byte(tt.scenario)) {
				t.Error(d)
			}
			sc, err := parseOracleScenario([]byte(tt.scenario))
			if err != nil {
				t.Fatal(err)
			}
			plan := sc.expectedPlan()
			for _, path := range sortedKeys(tt.want) {
				if got := lookupPath(t, plan, path); got != tt.want[path] {
					t.Errorf("oracle %s: got %s, want %s", path, got, tt.want[path])
				}
			}
		})
	}
}

// lookupPath finds a value in an expected plan by a dotted path and writes it as text.
func lookupPath(t *testing.T, doc any, path string) string {
	t.Helper()
	for _, part := range strings.Split(path, ".") {
		switch d := doc.(type) {
		case map[string]any:
			doc = d[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i >= len(d) {
				t.Fatalf("no %s in the plan", path)
			}
			doc = d[i]
		default:
			t.Fatalf("no %s in the plan", path)
		}
	}
	switch v := doc.(type) {
	case nil:
		return "null"
	case *big.Rat:
		return ratString(v)
	case string:
		return v
	}
	return fmt.Sprint(doc)
}

// TestOracleRandomScenarios compares the planner with the oracle on the
// random scenarios of package scenariotest (valid by construction: a
// position depends only on earlier positions and on groups whose other
// members all come earlier).
func TestOracleRandomScenarios(t *testing.T) {
	first, last := int64(1), int64(*oracleCases)
	if *oracleSeed >= 0 {
		first, last = *oracleSeed, *oracleSeed
	}
	failed := 0
	for seed := first; seed <= last; seed++ {
		scenario := scenariotest.Random(seed, scenariotest.Options{})
		diffs := diffAgainstOracle(t, scenario)
		if len(diffs) == 0 {
			continue
		}
		failed++
		if failed <= 3 {
			if len(diffs) > 20 {
				diffs = append(diffs[:20], fmt.Sprintf("… and %d more", len(diffs)-20))
			}
			t.Errorf("seed %d (rerun: -run TestOracleRandomScenarios -oracle.seed=%d)\nscenario: %s\n%s",
				seed, seed, scenario, strings.Join(diffs, "\n"))
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d random scenarios differ from the oracle", failed, last-first+1)
	}
}
