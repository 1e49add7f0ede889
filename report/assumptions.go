package report

import (
	"bytes"
	"encoding/json"
	"math/big"
	"strconv"
	"strings"

	"grantplan/locale"
	"grantplan/planner"
)

// writeAssumptions writes the fifth section: every input of the plan, so
// that it can be checked — the scenario's settings, the funding sources,
// the defaults and every post with its defaults resolved.
func (d *document) writeAssumptions() {
	l, sc := d.lang, d.opts.Scenario
	d.heading(d.t("report.section.assumptions"), true, 40)

	settings := &table{size: tableSize, maxWidth: 0.75 * d.width()}
	settings.add(d.t("term.name"), sc.Name)
	if sc.Description != "" {
		settings.add(d.t("term.description"), sc.Description)
	}
	settings.add(d.t("term.planning_start"), l.Date(sc.Start))
	settings.add(d.t("term.min_productive"), l.Period(sc.MinProductive))
	capacity := strconv.Itoa(sc.HRCapacity)
	if sc.HRCapacity == 0 {
		capacity = d.t("report.unlimited")
	}
	settings.add(d.t("term.hr_capacity"), capacity)
	if sc.Horizon != 0 {
		settings.add(d.t("term.horizon"), l.Date(sc.Horizon))
	}
	rises := d.t("common.none")
	if len(sc.PayRaises) > 0 {
		var parts []string
		for _, r := range sc.PayRaises {
			parts = append(parts, l.Printf("report.pay_rise", l.Date(r.From), ratSigned(l, r.Percent)))
		}
		rises = strings.Join(parts, "; ")
	}
	settings.add(d.t("term.pay_rises"), rises)
	if d.opts.Source != nil {
		// The defaults as one row: what a post takes where it leaves a
		// field out, the scenario's own or built in.
		var parts []string
		for _, row := range d.defaultRows(d.opts.Source) {
			parts = append(parts, row[0]+": "+row[1])
		}
		settings.add(d.t("report.defaults"), strings.Join(parts, "; "))
	}
	settings.draw(d)

	sources := &table{
		title:    d.t("term.funding_sources"),
		headings: []string{d.t("term.id"), d.t("term.name"), d.t("term.start"), d.t("term.end"), d.t("term.rate"), d.t("term.per_fte_year"), d.t("term.cap")},
		right:    []bool{false, false, true, true, true, true, true},
		size:     tableSize,
	}
	for _, f := range sc.Funding {
		sources.add(f.ID, f.Name, l.Date(f.Start), l.Date(f.End), ratPercent(l, f.Rate), ratMoney(l, f.PerFTEYear), ratMoney(l, f.Cap))
	}
	sources.draw(d)

	posts := &table{
		title: d.t("term.posts"),
		headings: []string{d.t("term.id"), d.t("term.title"), d.t("report.group_id"), d.t("term.location"), d.t("term.fte"),
			d.t("term.monthly_cost"), d.t("report.funding_id"), d.t("phase.recruiting"), d.t("phase.notice"), d.t("phase.onboarding"),
			d.t("term.start_on"), d.t("term.earliest"), d.t("term.employment"), d.t("term.after")},
		right: []bool{false, false, false, false, true, true, false, false, false, false, false, true, false, false},
		size:  tableSize - 1,
	}
	for i := range sc.Positions {
		p := &sc.Positions[i]
		earliest := ""
		if p.Earliest != 0 {
			earliest = l.Date(p.Earliest)
		}
		posts.add(p.ID, p.Title, p.Group, p.Location, ratNumber(l, p.FTE), ratMoney(l, p.MonthlyCost), sc.Funding[p.Funding].ID,
			l.Span(p.Phases[planner.Recruiting]), l.Span(p.Phases[planner.Notice]), l.Span(p.Phases[planner.Onboarding]),
			l.Align(p.StartOn), earliest, l.Employment(p.Employment), l.Afters(p.After))
	}
	posts.draw(d)
}

// defaultRows are the fields a post may leave out, each with the value
// the scenario's defaults give it or the built-in one, marked as such
// (docs/scenario.md).
func (d *document) defaultRows(source []byte) [][2]string {
	l := d.lang
	var doc struct {
		Defaults map[string]json.RawMessage `json:"defaults"`
	}
	// The scenario decoded from source; a document it accepted is JSON.
	_ = json.Unmarshal(source, &doc)
	builtIn := map[string]string{
		"recruiting":   l.Period(planner.Period{Months: 3}),
		"notice":       l.Period(planner.Period{Months: 3}),
		"onboarding":   l.Period(planner.Period{Months: 3}),
		"start_on":     l.Align(planner.AlignMonthStart),
		"monthly_cost": l.Money(planner.Decimal{Places: 2}),
		"fte":          "1",
		"funding":      d.opts.Scenario.Funding[0].ID,
		"earliest":     d.t("common.none"),
		"location":     d.t("common.none"),
		"employment":   l.Employment(planner.Fixed),
	}
	var rows [][2]string
	for _, field := range locale.DefaultFields {
		raw, given := doc.Defaults[field]
		if !given || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			rows = append(rows, [2]string{l.Field(field), l.Printf("report.built_in", builtIn[field])})
			continue
		}
		rows = append(rows, [2]string{l.Field(field), defaultValue(l, field, raw)})
	}
	return rows
}

// defaultValue writes one value of the defaults: periods and ranges in
// words, dates and amounts in the language's formats.
func defaultValue(l locale.Lang, field string, raw json.RawMessage) string {
	var text string
	var number json.Number
	var span struct{ Min, Likely, Max string }
	switch {
	case json.Unmarshal(raw, &text) == nil:
		if p, err := planner.ParsePeriod(text); err == nil {
			return l.Period(p)
		}
		if day, err := planner.ParseDate(text); err == nil {
			return l.Date(day)
		}
		for _, a := range []planner.Alignment{planner.AlignAny, planner.AlignMonthStart, planner.AlignQuarterStart} {
			if a.String() == text {
				return l.Align(a)
			}
		}
		for _, e := range []planner.Employment{planner.Fixed, planner.Permanent} {
			if e.String() == text {
				return l.Employment(e)
			}
		}
		return text
	case json.Unmarshal(raw, &number) == nil:
		r, ok := new(big.Rat).SetString(number.String())
		if !ok {
			return number.String()
		}
		if field == "monthly_cost" {
			return ratMoney(l, r)
		}
		return ratNumber(l, r)
	case json.Unmarshal(raw, &span) == nil:
		low, errLow := planner.ParsePeriod(span.Min)
		likely, errLikely := planner.ParsePeriod(span.Likely)
		high, errHigh := planner.ParsePeriod(span.Max)
		if errLow == nil && errLikely == nil && errHigh == nil {
			return l.Span(planner.Span{Min: low, Likely: likely, Max: high, Ranged: true})
		}
	}
	return string(raw)
}

// ratMoney writes an exact amount in euros, rounded to the cent; "–" for
// none.
func ratMoney(l locale.Lang, r *big.Rat) string {
	if r == nil {
		return "–"
	}
	return l.Money(ratDecimal(r, 2))
}

// ratNumber writes an exact number with up to four places, as few as it
// needs: 1, 0.5.
func ratNumber(l locale.Lang, r *big.Rat) string {
	d := ratDecimal(r, 4)
	for d.Places > 0 && d.Units%10 == 0 {
		d.Units /= 10
		d.Places--
	}
	return l.Number(d)
}

// ratSigned writes a percentage with its sign: "+1.8 %".
func ratSigned(l locale.Lang, r *big.Rat) string {
	sign := "+"
	if r.Sign() < 0 {
		sign = "−"
		r = new(big.Rat).Neg(r)
	}
	return sign + ratNumber(l, r) + " %"
}

// ratPercent writes a rate (0.8) as a percentage: 80 %.
func ratPercent(l locale.Lang, r *big.Rat) string {
	if r == nil {
		return "–"
	}
	return ratNumber(l, new(big.Rat).Mul(r, big.NewRat(100, 1))) + " %"
}

// ratDecimal rounds r half away from zero to places.
func ratDecimal(r *big.Rat, places uint8) planner.Decimal {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	num := new(big.Int).Mul(r.Num(), scale)
	den := r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2)).Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return planner.Decimal{Units: q.Int64(), Places: places}
}
