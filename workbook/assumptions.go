package workbook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/rickb777/date/v2"
	"github.com/xuri/excelize/v2"

	"grantplan/locale"
	"grantplan/planner"
)

// writeAssumptions lists the inputs of the plan so that a council member
// can audit them: the scenario's own settings, the funding sources, the
// defaults, and every post with its defaults resolved. Fields are named
// in words; the columns that hold ids (of posts, groups and sources) say
// so in their headings.
func (b *book) writeAssumptions() error {
	sheet := b.t("workbook.sheet.assumptions")
	l := b.lang
	sc := b.opts.Scenario
	s := &b.styles

	// The rows, as cells and as the texts they show, so that the columns
	// can be sized before the stream writer writes them.
	type line struct {
		cells   []any
		shown   []string
		wrap    []bool // the cells that may wrap at their words
		bold    bool
		heading bool
	}
	var rows []line
	add := func(bold bool, pairs ...any) {
		var r line
		r.bold = bold
		for i := 0; i < len(pairs); i += 3 {
			r.cells = append(r.cells, pairs[i])
			r.shown = append(r.shown, pairs[i+1].(string))
			r.wrap = append(r.wrap, pairs[i+2].(bool))
		}
		rows = append(rows, r)
	}
	label := func(id string) []any { return []any{text(b.t(id), s.boldWrap), b.t(id), true} }
	plain := func(v string) []any { return []any{text(v, s.text), v, false} }
	wrapped := func(v string) []any { return []any{text(v, s.wrap), v, true} }
	heading := func(ids ...string) {
		var r line
		r.heading = true
		for i, id := range ids {
			style := s.heading
			if i > 0 && rightHeadings[id] {
				style = s.headingRight
			}
			r.cells = append(r.cells, text(b.t(id), style))
			r.shown = append(r.shown, b.t(id))
			r.wrap = append(r.wrap, true)
		}
		rows = append(rows, r)
	}
	blank := func() { rows = append(rows, line{}) }

	add(true, text(b.t("term.scenario"), s.title), b.t("term.scenario"), false)
	add(false, append(label("term.name"), wrapped(sc.Name)...)...)
	if sc.Description != "" {
		add(false, append(label("term.description"), wrapped(sc.Description)...)...)
	}
	add(false, append(label("term.planning_start"), b.dateCell(sc.Start, s.date), l.Date(sc.Start), false)...)
	add(false, append(label("term.min_productive"), plain(l.Period(sc.MinProductive))...)...)
	capacity := append(label("term.hr_capacity"), excelize.Cell{StyleID: s.integer, Value: sc.HRCapacity}, strconv.Itoa(sc.HRCapacity), false)
	if sc.HRCapacity == 0 {
		capacity = append(capacity, plain(b.t("workbook.unlimited"))...)
	}
	add(false, capacity...)
	if sc.Horizon != 0 {
		add(false, append(label("term.horizon"), b.dateCell(sc.Horizon, s.date), l.Date(sc.Horizon), false)...)
	}
	rises := b.t("common.none")
	if len(sc.PayRaises) > 0 {
		parts := make([]string, len(sc.PayRaises))
		for i, r := range sc.PayRaises {
			percent := ratFloat(r.Percent)
			parts[i] = l.Printf("workbook.pay_rise", l.Date(r.From), l.Number(planner.Decimal{Units: int64(math.Round(percent * 100)), Places: 2}))
		}
		rises = strings.Join(parts, "; ")
	}
	add(false, append(label("term.pay_rises"), wrapped(rises)...)...)
	blank()

	add(true, text(b.t("term.funding_sources"), s.bold), b.t("term.funding_sources"), false)
	heading("term.id", "term.name", "term.start", "term.end", "term.rate", "term.per_fte_year", "term.cap")
	for _, f := range sc.Funding {
		add(false, plain(f.ID)[0], f.ID, false, text(f.Name, s.wrap), f.Name, true,
			b.dateCell(f.Start, s.date), l.Date(f.Start), false, b.dateCell(f.End, s.date), l.Date(f.End), false,
			excelize.Cell{StyleID: s.percent, Value: ratFloat(f.Rate)}, "100.00%", false,
			b.moneyCell(f.PerFTEYear), ratMoney(l, f.PerFTEYear), false, b.moneyCell(f.Cap), ratMoney(l, f.Cap), false)
	}
	blank()

	if b.opts.Source != nil {
		defaults, err := b.defaultRows(b.opts.Source)
		if err != nil {
			return err
		}
		add(true, text(b.t("workbook.defaults"), s.bold), b.t("workbook.defaults"), false)
		heading("workbook.field", "workbook.value", "workbook.origin")
		for _, d := range defaults {
			add(false, d...)
		}
		blank()
	}

	add(true, text(b.t("term.posts"), s.bold), b.t("term.posts"), false)
	postsHeading := len(rows) + 1
	heading("term.id", "term.title", "workbook.group_id", "term.location", "term.fte", "workbook.monthly_cost", "workbook.funding_id",
		"phase.recruiting", "phase.notice", "phase.onboarding", "term.start_on", "term.earliest", "term.employment", "workbook.after_ids")
	for i := range sc.Positions {
		p := &sc.Positions[i]
		earliest, earliestText := excelize.Cell{StyleID: s.date}, ""
		if p.Earliest != 0 {
			earliest, earliestText = b.dateCell(p.Earliest, s.date), l.Date(p.Earliest)
		}
		after := l.Afters(p.After)
		add(false, plain(p.ID)[0], p.ID, false, text(p.Title, s.wrap), p.Title, true, plain(p.Group)[0], p.Group, false,
			text(p.Location, s.wrap), p.Location, true,
			excelize.Cell{StyleID: s.fte, Value: ratFloat(p.FTE)}, "0.0000", false, b.moneyCell(p.MonthlyCost), ratMoney(l, p.MonthlyCost), false,
			plain(sc.Funding[p.Funding].ID)[0], sc.Funding[p.Funding].ID, false,
			wrapped(l.Span(p.Phases[planner.Recruiting]))[0], l.Span(p.Phases[planner.Recruiting]), true,
			wrapped(l.Span(p.Phases[planner.Notice]))[0], l.Span(p.Phases[planner.Notice]), true,
			wrapped(l.Span(p.Phases[planner.Onboarding]))[0], l.Span(p.Phases[planner.Onboarding]), true,
			plain(l.Align(p.StartOn))[0], l.Align(p.StartOn), false, earliest, earliestText, false,
			plain(l.Employment(p.Employment))[0], l.Employment(p.Employment), false,
			text(after, s.wrap), after, true)
	}

	// Column widths from every text in the column; a long text wraps.
	var cols columns
	for _, r := range rows {
		for i, shown := range r.shown {
			switch {
			case i == 0 && r.bold:
				// A section's title runs over the empty cells beside it.
			case r.heading:
				cols.at(i + 1).heading(shown)
			case r.wrap[i]:
				cols.at(i+1).wrapping(shown, r.cells[i].(excelize.Cell).StyleID == s.boldWrap)
			default:
				cols.at(i+1).text(shown, false)
			}
		}
	}
	widths := make([]float64, len(cols))
	for i := range cols {
		widths[i] = cols[i].width(8, 30)
	}
	widths[1] = cols[1].width(12, 50) // names, titles and the description
	if last := len(widths) - 1; last > 1 {
		widths[last] = cols[last].width(8, 44) // the dependencies
	}

	if err := b.printSetup(sheet, true, postsHeading, postsHeading); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := setWidths(sw, widthsFrom(1, widths...)); err != nil {
		return err
	}
	for i, r := range rows {
		n := 1
		for c, shown := range r.shown {
			if r.wrap[c] && c < len(widths) {
				bold := r.heading || r.cells[c].(excelize.Cell).StyleID == s.boldWrap
				n = max(n, lines(shown, widths[c], bold))
			}
		}
		if r.cells == nil {
			continue
		}
		if err := sw.SetRow(cell(1, i+1), r.cells, excelize.RowOpts{Height: rowHeight(n)}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// rightHeadings are the headings of columns of numbers and dates.
var rightHeadings = map[string]bool{
	"term.start": true, "term.end": true, "term.rate": true, "term.per_fte_year": true, "term.cap": true,
	"term.fte": true, "workbook.monthly_cost": true, "term.earliest": true,
}

// defaultRows are the fields a post may take from the scenario's
// "defaults" object, each named in words with the value the object gives
// it, or the built-in value marked so (docs/scenario.md): as cells, the
// texts they show and whether they wrap.
func (b *book) defaultRows(source []byte) ([][]any, error) {
	var doc struct {
		Defaults map[string]json.RawMessage `json:"defaults"`
	}
	// The scenario has been decoded already; a document it accepted is
	// JSON, so this fails only for a caller's mismatched Source.
	if err := json.Unmarshal(source, &doc); err != nil {
		return nil, fmt.Errorf("read the defaults of the scenario's JSON: %w", err)
	}
	l := b.lang
	s := &b.styles
	builtIn := map[string]func() (excelize.Cell, string){
		"recruiting": func() (excelize.Cell, string) {
			return text(l.Period(planner.Period{Months: 3}), s.text), l.Period(planner.Period{Months: 3})
		},
		"notice": func() (excelize.Cell, string) {
			return text(l.Period(planner.Period{Months: 3}), s.text), l.Period(planner.Period{Months: 3})
		},
		"onboarding": func() (excelize.Cell, string) {
			return text(l.Period(planner.Period{Months: 3}), s.text), l.Period(planner.Period{Months: 3})
		},
		"start_on": func() (excelize.Cell, string) {
			return text(l.Align(planner.AlignMonthStart), s.text), l.Align(planner.AlignMonthStart)
		},
		"monthly_cost": func() (excelize.Cell, string) { return excelize.Cell{StyleID: s.money, Value: 0}, "0.00 EUR" },
		"fte":          func() (excelize.Cell, string) { return excelize.Cell{StyleID: s.fte, Value: 1}, "1.0000" },
		"funding": func() (excelize.Cell, string) {
			return text(b.opts.Scenario.Funding[0].ID, s.text), b.opts.Scenario.Funding[0].ID
		},
		"earliest": func() (excelize.Cell, string) { return excelize.Cell{}, "" },
		"location": func() (excelize.Cell, string) { return excelize.Cell{}, "" },
		"employment": func() (excelize.Cell, string) {
			return text(l.Employment(planner.Fixed), s.text), l.Employment(planner.Fixed)
		},
	}
	var rows [][]any
	for _, field := range locale.DefaultFields {
		name := l.Field(field)
		raw, given := doc.Defaults[field]
		if !given || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			value, shown := builtIn[field]()
			rows = append(rows, []any{text(name, s.text), name, false, value, shown, false,
				text(b.t("workbook.built_in"), s.text), b.t("workbook.built_in"), false})
			continue
		}
		value := b.defaultValue(field, raw)
		var shown string
		switch v := value.Value.(type) {
		case string:
			shown = v
		case float64:
			shown = strconv.FormatFloat(v, 'f', 4, 64)
			if field == "monthly_cost" {
				shown = l.Money(planner.Decimal{Units: int64(math.Round(v * 100)), Places: 2})
			}
		case int64: // a date's serial number
			shown = l.Date(date.New(2000, 12, 31))
		}
		rows = append(rows, []any{text(name, s.text), name, false, value, shown, false})
	}
	return rows, nil
}

// defaultValue renders one value of the defaults object: periods in
// words, dates as dates, amounts as numbers, names as text.
func (b *book) defaultValue(name string, raw json.RawMessage) excelize.Cell {
	s := &b.styles
	var str string
	var number float64
	var span struct{ Min, Likely, Max string }
	switch {
	case json.Unmarshal(raw, &str) == nil:
		if p, err := planner.ParsePeriod(str); err == nil {
			return text(b.lang.Period(p), s.text)
		}
		if d, err := planner.ParseDate(str); err == nil {
			return b.dateCell(d, s.date)
		}
		for _, alignment := range []planner.Alignment{planner.AlignAny, planner.AlignMonthStart, planner.AlignQuarterStart} {
			if alignment.String() == str {
				return text(b.lang.Align(alignment), s.text)
			}
		}
		for _, e := range []planner.Employment{planner.Fixed, planner.Permanent} {
			if e.String() == str {
				return text(b.lang.Employment(e), s.text)
			}
		}
		return text(str, s.text)
	case json.Unmarshal(raw, &number) == nil:
		style := s.fte
		if name == "monthly_cost" {
			style = s.money
		}
		return excelize.Cell{StyleID: style, Value: number}
	case json.Unmarshal(raw, &span) == nil:
		low, errLow := planner.ParsePeriod(span.Min)
		likely, errLikely := planner.ParsePeriod(span.Likely)
		high, errHigh := planner.ParsePeriod(span.Max)
		if errLow == nil && errLikely == nil && errHigh == nil {
			return text(b.lang.Span(planner.Span{Min: low, Likely: likely, Max: high, Ranged: true}), s.text)
		}
	}
	return text(string(raw), s.text)
}

// moneyCell is an amount in euros, empty for nil.
func (b *book) moneyCell(r *big.Rat) excelize.Cell {
	if r == nil {
		return excelize.Cell{StyleID: b.styles.money}
	}
	return excelize.Cell{StyleID: b.styles.money, Value: ratFloat(r)}
}

// ratMoney writes an exact amount as the workbook shows it, for a
// column's width; "" for none.
func ratMoney(l locale.Lang, r *big.Rat) string {
	if r == nil {
		return ""
	}
	return l.Money(planner.Decimal{Units: int64(ratFloat(r) * 100), Places: 2})
}

// ratFloat is the float64 nearest to r.
func ratFloat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}
