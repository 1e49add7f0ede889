package reference

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"
)

// generator makes random valid scenarios for the comparison with
// reference.py. It is its own, not the planner's test scenarios: it leans
// on what the rules make hard — month ends, Feb 29, quarter starts, posts
// filled before their source starts or after it ends, planning starts
// after the horizon, permanent posts filled after the horizon, raises
// before the start, after the horizon, negative and compounding, caps that
// run out in a later year, flat amounts per post just below and above the
// raised pay, HR capacity, dependencies on events with lags and counts,
// and a minimum productive time of zero.
type generator struct {
	r *rand.Rand
	// long makes some phases last years, so that no day of a search's
	// ten years suffices.
	long bool
}

func newGenerator(seed uint64) *generator {
	return &generator{r: rand.New(rand.NewPCG(seed, 0x5eed_2e7e_2e9ce))}
}

func (g *generator) intn(n int) int           { return g.r.IntN(n) }
func (g *generator) chance(p float64) bool    { return g.r.Float64() < p }
func (g *generator) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func civil(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func daysIn(y int, m time.Month) int { return civil(y, m+1, 0).Day() }

func iso(t time.Time) string { return t.Format("2006-01-02") }

// day picks a day of the month, favouring the days the rules treat apart:
// the first, the last, the 28th to 31st, Feb 29 of a nearby leap year,
// the first day of a quarter and the day before it.
func (g *generator) day(y int, m time.Month) time.Time {
	n := daysIn(y, m)
	switch g.intn(8) {
	case 0:
		return civil(y, m, 1)
	case 1:
		return civil(y, m, n)
	case 2:
		return civil(y, m, min(28+g.intn(4), n))
	case 3:
		ly := y - y%4
		if ly%100 == 0 && ly%400 != 0 {
			ly -= 4
		}
		return civil(ly, 2, 29)
	case 4:
		q := civil(y, m-(m-1)%3, 1)
		if g.chance(0.5) {
			return q.AddDate(0, 0, -1)
		}
		return q
	}
	return civil(y, m, 1+g.intn(n))
}

// near picks a day in a month up to months before or after center's.
func (g *generator) near(center time.Time, months int) time.Time {
	first := civil(center.Year(), center.Month()+time.Month(g.intn(2*months+1)-months), 1)
	return g.day(first.Year(), first.Month())
}

// after picks a day in a month lo to hi months after from's, not before from.
func (g *generator) after(from time.Time, lo, hi int) time.Time {
	first := civil(from.Year(), from.Month()+time.Month(lo+g.intn(hi-lo+1)), 1)
	d := g.day(first.Year(), first.Month())
	if d.Before(from) {
		return from
	}
	return d
}

// decimal writes units/10^places as a JSON number.
func decimal(units int64, places int) json.Number {
	sign := ""
	if units < 0 {
		sign, units = "-", -units
	}
	if places == 0 {
		return json.Number(fmt.Sprintf("%s%d", sign, units))
	}
	p := int64(1)
	for range places {
		p *= 10
	}
	return json.Number(fmt.Sprintf("%s%d.%0*d", sign, units/p, places, units%p))
}

// period returns a period or, now and then, a range of periods whose
// bounds keep their order from any date (months with months, days with days).
func (g *generator) period(plain []string, ranged [][3]string) any {
	if g.long {
		if g.chance(0.3) {
			return g.pick(longs...)
		}
	}
	if len(ranged) > 0 && g.chance(0.06) {
		r := ranged[g.intn(len(ranged))]
		return map[string]any{"min": r[0], "likely": r[1], "max": r[2]}
	}
	return g.pick(plain...)
}

var (
	recruitings = []string{"P0D", "P1M", "P2M", "P3M", "P3M", "P4M", "P5M", "P6W", "P10D", "P1M15D", "P1Y", "P2M2W", "P31D"}
	notices     = []string{"P0D", "P0D", "P1M", "P2M", "P3M", "P4W", "P6W", "P1M1D", "P13W"}
	onboardings = []string{"P0D", "P1M", "P2M", "P3M", "P6M", "P2M2W", "P45D", "P1Y"}
	// longs reach past the ten years the searches look back.
	longs       = []string{"P10Y", "P9Y6M", "P119M", "P3650D", "P5Y", "P8Y2W"}
	ranges      = [][3]string{{"P1M", "P2M", "P4M"}, {"P2M", "P3M", "P6M"}, {"P10D", "P20D", "P40D"}, {"P0D", "P1M", "P1M"}, {"P3M", "P3M", "P3M"}}
	sourceNames = []string{"kim-b2", "kim-b1", "esf", "land.nrw", "bund_2"}
	postNames   = []string{"ovh-1", "cm-siegen", "a", "z9", "cm-2", "cm-10", "koordination", "b.assist", "0-first"}
	startOns    = []string{"any", "month_start", "quarter_start"}
	events      = []string{"hiring_start", "recruited", "filled", "productive"}
)

// scenario returns a random valid scenario.
func (g *generator) scenario() map[string]any {
	g.long = g.chance(0.06)
	base := civil(2018+g.intn(10), time.Month(1+g.intn(12)), 1)
	start := g.near(base, 3)
	sc := map[string]any{"name": "reference", "start": iso(start)}

	// The pay level of the scenario, in cents a month: flat amounts and
	// caps are drawn around it.
	pay := int64(300000 + g.intn(400000))
	if g.chance(0.05) { // a few cents: half cents to round
		pay = int64(1 + g.intn(9))
	}

	var sources []map[string]any
	var ids []string
	offset := g.intn(len(sourceNames))
	var latestEnd time.Time
	for i := range 1 + g.intn(3) {
		var s, e time.Time
		switch {
		case g.chance(0.15): // starts well after the planning start: posts filled before it
			s = g.after(start, 6, 30)
			e = g.after(s, 3, 30)
		case g.chance(0.08): // over before the planning start
			s = g.near(start, 4).AddDate(-3, 0, 0)
			e = g.after(s, 3, 30)
		case g.chance(0.08): // a single day
			s = g.near(start, 12)
			e = s
		case g.long: // far apart ends, so the searches' windows differ
			s = g.near(start, 18)
			e = g.after(s, 3, 150)
		default:
			s = g.near(start, 18)
			e = g.after(s, 3, 48)
		}
		if e.After(latestEnd) {
			latestEnd = e
		}
		id := sourceNames[(i+offset)%len(sourceNames)]
		ids = append(ids, id)
		src := map[string]any{"id": id, "name": "Source " + id, "start": iso(s), "end": iso(e)}
		rate := int64(1000)
		if g.chance(0.5) {
			rate = int64([]int{1000, 800, 900, 500, 950, 333, 750, 1}[g.intn(8)])
			src["rate"] = decimal(rate, 3)
		}
		switch {
		case g.chance(0.45):
			if g.chance(0.2) {
				src["per_fte_year"] = nil
			}
		case g.chance(0.6): // near the rate's share of the pay: raises cross it
			yearly := pay * 12 * rate / 1000 * int64(900+g.intn(250)) / 1000
			src["per_fte_year"] = decimal(yearly, 2)
		default:
			src["per_fte_year"] = decimal([]int64{0, 3000000, 5500000, 12000000, 1234567}[g.intn(5)], 2)
		}
		switch {
		case g.chance(0.5):
			if g.chance(0.2) {
				src["cap"] = nil
			}
		case g.chance(0.1):
			src["cap"] = decimal(0, 0)
		default: // from a month's pay to two and a half years of it
			src["cap"] = decimal(pay*int64(1+g.intn(30))*int64(500+g.intn(1000))/1000, 2)
		}
		sources = append(sources, src)
	}
	sc["funding"] = sources

	horizon := time.Time{}
	switch {
	case g.chance(0.35):
	case g.chance(0.1):
		sc["horizon"] = nil
	case g.chance(0.25):
		horizon = latestEnd
	case g.chance(0.5):
		horizon = civil(latestEnd.Year()+g.intn(4), 12, 31)
	default:
		horizon = g.after(latestEnd, 0, 40)
	}
	if !horizon.IsZero() {
		sc["horizon"] = iso(horizon)
	} else {
		horizon = civil(latestEnd.Year(), 12, 31)
	}
	if g.chance(0.06) { // planning starts after the horizon
		start = g.after(horizon, 0, 18).AddDate(0, 0, 1)
		sc["start"] = iso(start)
	}

	if !g.chance(0.35) {
		var raises []map[string]any
		used := map[string]bool{}
		for range 1 + g.intn(3) {
			var from time.Time
			switch {
			case g.chance(0.2): // before the planning start
				from = g.near(start, 12).AddDate(-1, 0, 0)
			case g.chance(0.15): // after the horizon
				from = g.after(horizon, 0, 12).AddDate(0, 0, 1)
			default:
				from = g.near(start, 30)
			}
			if used[iso(from)] {
				continue
			}
			used[iso(from)] = true
			var percent json.Number
			switch {
			case g.chance(0.1):
				percent = json.Number(g.pick("-50", "100", "0", "-0.01", "0.01", "33.33", "-12.5"))
			case g.chance(0.25): // negative
				percent = decimal(-int64(1+g.intn(1000)), 2)
			default:
				percent = decimal(int64(1+g.intn(800)), 2)
			}
			raises = append(raises, map[string]any{"from": iso(from), "percent": percent})
		}
		sc["pay_raises"] = raises
	} else if g.chance(0.2) {
		sc["pay_raises"] = []any{}
	}

	if g.long && g.chance(0.3) {
		sc["min_productive"] = g.pick(longs...)
	} else if !g.chance(0.3) {
		sc["min_productive"] = g.pick("P6M", "P0D", "P1M", "P3M", "P10D", "P2W", "P1Y", "P5M15D", "P12M", "P6M")
	}
	capacity := 0
	if g.chance(0.45) {
		capacity = 1 + g.intn(3)
		sc["hr_capacity"] = capacity
	} else if g.chance(0.2) {
		sc["hr_capacity"] = 0
	}

	money := func() json.Number {
		if g.chance(0.05) {
			return decimal(0, 0)
		}
		m := pay * int64(800+g.intn(400)) / 1000
		if g.chance(0.5) && m > 100 {
			m -= m % 100
		}
		if m >= 10000 && m%10000 == 0 && g.chance(0.2) { // still a JSON number
			return json.Number(fmt.Sprintf("%de2", m/10000))
		}
		return decimal(max(m, 1), 2)
	}
	ftes := []string{"1", "0.5", "0.75", "0.8", "0.33", "0.25", "0.01"}

	if g.chance(0.8) {
		def := map[string]any{}
		if g.chance(0.5) {
			def["recruiting"] = g.period(recruitings, ranges)
		}
		if g.chance(0.5) {
			def["notice"] = g.period(notices, ranges)
		}
		if g.chance(0.5) {
			def["onboarding"] = g.period(onboardings, ranges)
		}
		if g.chance(0.5) {
			def["start_on"] = g.pick(startOns...)
		}
		if g.chance(0.6) {
			def["monthly_cost"] = money()
		}
		if g.chance(0.3) {
			def["fte"] = json.Number(g.pick(ftes...))
		}
		if g.chance(0.3) {
			def["employment"] = g.pick("fixed", "permanent")
		}
		if g.chance(0.1) {
			def["earliest"] = iso(g.near(start, 12))
		}
		if len(ids) > 1 && g.chance(0.2) {
			def["funding"] = ids[g.intn(len(ids))]
		}
		sc["defaults"] = def
	}

	n := 1 + g.intn(6)
	if capacity > 0 && g.chance(0.5) {
		n = 2 + g.intn(4)
	}
	// rank is each post's place in an order the dependencies follow: a
	// post depends only on posts of lower rank, and on a group only when
	// every other member of it has a lower rank.
	rank := g.r.Perm(n)
	// Post names in an order of their own: ties go by the input's order,
	// never by name.
	names := make([]string, n)
	for i, j := range g.r.Perm(len(postNames))[:n] {
		names[i] = postNames[j]
	}
	groups := make([]string, n)
	for i := range groups {
		groups[i] = []string{"", "overhead", "cm"}[g.intn(3)]
	}
	positions := make([]map[string]any, n)
	for i := range n {
		p := map[string]any{"id": names[i], "title": "Post " + names[i]}
		if groups[i] != "" {
			p["group"] = groups[i]
		}
		if g.chance(0.5) {
			p["recruiting"] = g.period(recruitings, ranges)
		}
		if g.chance(0.5) {
			p["notice"] = g.period(notices, ranges)
		}
		if g.chance(0.5) {
			p["onboarding"] = g.period(onboardings, ranges)
		}
		if g.chance(0.5) {
			p["start_on"] = g.pick(startOns...)
		}
		if g.chance(0.7) {
			p["monthly_cost"] = money()
		}
		if g.chance(0.4) {
			p["fte"] = json.Number(g.pick(ftes...))
		}
		if g.chance(0.4) {
			p["employment"] = g.pick("fixed", "permanent")
		}
		if g.chance(0.25) {
			p["earliest"] = iso(g.near(start, 12))
		}
		if len(ids) > 1 && g.chance(0.8) {
			p["funding"] = ids[g.intn(len(ids))]
		}
		// null is the same as leaving a field out.
		for _, field := range []string{"earliest", "funding", "fte", "monthly_cost", "employment", "after"} {
			if _, ok := p[field]; !ok && g.chance(0.03) {
				p[field] = nil
			}
		}
		var after []any
		seen := map[string]bool{}
		for range g.intn(3) {
			dep := g.dependency(i, rank, groups, names)
			if dep == nil {
				continue
			}
			key := fmt.Sprint(dep)
			if seen[key] {
				continue
			}
			seen[key] = true
			after = append(after, dep)
		}
		if len(after) > 0 {
			p["after"] = after
		}
		positions[i] = p
	}
	sc["positions"] = positions
	return sc
}

// dependency returns a dependency of post i on a post or group of lower
// rank, or nil when there is none.
func (g *generator) dependency(i int, rank []int, groups, names []string) any {
	if g.chance(0.5) {
		var members []string
		for _, group := range []string{"overhead", "cm"}[g.intn(2):] {
			members = members[:0]
			ok := true
			for j, gj := range groups {
				if j == i || gj != group {
					continue
				}
				if rank[j] >= rank[i] {
					ok = false
					break
				}
				members = append(members, gj)
			}
			if !ok || len(members) == 0 {
				continue
			}
			ref := "group:" + group
			if g.chance(0.4) {
				return ref
			}
			dep := map[string]any{"ref": ref}
			g.dependencyFields(dep)
			if g.chance(0.5) {
				dep["count"] = 1 + g.intn(len(members))
			}
			return dep
		}
	}
	var earlier []int
	for j := range rank {
		if rank[j] < rank[i] {
			earlier = append(earlier, j)
		}
	}
	if len(earlier) == 0 {
		return nil
	}
	ref := names[earlier[g.intn(len(earlier))]]
	if g.chance(0.4) {
		return ref
	}
	dep := map[string]any{"ref": ref}
	g.dependencyFields(dep)
	return dep
}

func (g *generator) dependencyFields(dep map[string]any) {
	if g.chance(0.8) {
		dep["event"] = g.pick(events...)
	}
	if g.chance(0.6) {
		dep["lag"] = g.pick("P0D", "P2W", "P1M", "P10D", "P1M1D", "P3M")
	}
}
