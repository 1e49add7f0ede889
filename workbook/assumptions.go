package workbook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/xuri/excelize/v2"

	"grantplan/planner"
)

// writeAssumptions lists the inputs of the plan so that a council member
// can audit them: the scenario's own settings, the funding sources, the
// defaults, and every post with its defaults resolved.
func (b *book) writeAssumptions() error {
	sheet := b.t("workbook.sheet.assumptions")
	if err := b.printSetup(sheet, 0); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := setWidths(sw, widthsFrom(1, 26, 40, 18, 18, 12, 16, 16, 22, 22, 22, 18, 12, 44)); err != nil {
		return err
	}
	a := &assumptions{b: b, sw: sw, row: 1}
	sc := b.opts.Scenario
	s := &b.styles

	a.add(text(b.t("term.scenario"), s.title))
	a.add(text(b.t("term.name"), s.bold), text(sc.Name, s.text))
	if sc.Description != "" {
		a.add(text(b.t("term.description"), s.bold), text(sc.Description, s.wrap))
	}
	a.add(text(b.t("term.planning_start"), s.bold), b.dateCell(sc.Start, s.date))
	a.add(text(b.t("term.min_productive"), s.bold), text(b.lang.Period(sc.MinProductive), s.text))
	capacity := []any{text(b.t("term.hr_capacity"), s.bold), excelize.Cell{StyleID: s.integer, Value: sc.HRCapacity}}
	if sc.HRCapacity == 0 {
		capacity = append(capacity, text(b.t("workbook.unlimited"), s.text))
	}
	a.add(capacity...)
	a.row++

	a.add(text(b.t("term.funding_sources"), s.bold))
	a.add(text(b.t("term.id"), s.heading), text(b.t("term.name"), s.heading), text(b.t("term.start"), s.headingRight), text(b.t("term.end"), s.headingRight),
		text(b.t("term.rate"), s.headingRight), text(b.t("term.per_fte_year"), s.headingRight), text(b.t("term.cap"), s.headingRight))
	for _, f := range sc.Funding {
		a.add(text(f.ID, s.text), text(f.Name, s.text), b.dateCell(f.Start, s.date), b.dateCell(f.End, s.date),
			excelize.Cell{StyleID: s.percent, Value: ratFloat(f.Rate)},
			b.moneyCell(f.PerFTEYear), b.moneyCell(f.Cap))
	}
	a.row++

	if b.opts.Source != nil {
		if err := a.defaults(b.opts.Source); err != nil {
			return err
		}
		a.row++
	}

	a.add(text(b.t("term.posts"), s.bold))
	a.add(text(b.t("term.id"), s.heading), text(b.t("term.title"), s.heading), text(b.t("term.group"), s.heading), text(b.t("term.location"), s.heading),
		text(b.t("term.fte"), s.headingRight), text(b.t("workbook.monthly_cost"), s.headingRight), text(b.t("term.funding"), s.heading),
		text(b.t("phase.recruiting"), s.heading), text(b.t("phase.notice"), s.heading), text(b.t("phase.onboarding"), s.heading),
		text(b.t("term.start_on"), s.heading), text(b.t("term.earliest"), s.headingRight), text(b.t("term.after"), s.heading))
	for i := range sc.Positions {
		p := &sc.Positions[i]
		earliest := excelize.Cell{StyleID: s.date}
		if p.Earliest != 0 {
			earliest = b.dateCell(p.Earliest, s.date)
		}
		a.add(text(p.ID, s.text), text(p.Title, s.text), text(p.Group, s.text), text(p.Location, s.text),
			excelize.Cell{StyleID: s.fte, Value: ratFloat(p.FTE)}, b.moneyCell(p.MonthlyCost),
			text(sc.Funding[p.Funding].ID, s.text),
			text(b.span(p.Phases[planner.Recruiting]), s.text), text(b.span(p.Phases[planner.Notice]), s.text),
			text(b.span(p.Phases[planner.Onboarding]), s.text),
			text(b.t("align."+p.StartOn.String()), s.text), earliest, text(b.dependencies(p.After), s.wrap))
	}
	if a.err != nil {
		return a.err
	}
	return sw.Flush()
}

// assumptions writes the Assumptions sheet's rows one after another.
type assumptions struct {
	b   *book
	sw  *excelize.StreamWriter
	row int
	err error
}

func (a *assumptions) add(cells ...any) {
	if a.err == nil {
		a.err = a.sw.SetRow(cell(1, a.row), cells)
	}
	a.row++
}

// defaults writes the scenario's "defaults" object field by field, with
// the built-in value for each field it leaves out (docs/scenario.md).
func (a *assumptions) defaults(source []byte) error {
	var doc struct {
		Defaults map[string]json.RawMessage `json:"defaults"`
	}
	// The scenario has been decoded already; a document it accepted is
	// JSON, so this fails only for a caller's mismatched Source.
	if err := json.Unmarshal(source, &doc); err != nil {
		return fmt.Errorf("read the defaults of the scenario's JSON: %w", err)
	}
	b := a.b
	s := &b.styles
	a.add(text(b.t("workbook.defaults"), s.bold))
	a.add(text(b.t("workbook.field"), s.heading), text(b.t("workbook.value"), s.heading), text("", s.heading))
	for _, field := range []struct {
		name    string
		builtIn func() excelize.Cell
	}{
		{"recruiting", func() excelize.Cell { return text(b.lang.Period(planner.Period{Months: 3}), s.text) }},
		{"notice", func() excelize.Cell { return text(b.lang.Period(planner.Period{Months: 3}), s.text) }},
		{"onboarding", func() excelize.Cell { return text(b.lang.Period(planner.Period{Months: 3}), s.text) }},
		{"start_on", func() excelize.Cell { return text(b.t("align."+planner.AlignMonthStart.String()), s.text) }},
		{"monthly_cost", func() excelize.Cell { return excelize.Cell{StyleID: s.money, Value: 0} }},
		{"fte", func() excelize.Cell { return excelize.Cell{StyleID: s.fte, Value: 1} }},
		{"funding", func() excelize.Cell { return text(b.opts.Scenario.Funding[0].ID, s.text) }},
		{"earliest", func() excelize.Cell { return excelize.Cell{} }},
		{"location", func() excelize.Cell { return excelize.Cell{} }},
	} {
		raw, given := doc.Defaults[field.name]
		if !given || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			a.add(text(field.name, s.text), field.builtIn(), text(b.t("workbook.built_in"), s.text))
			continue
		}
		a.add(text(field.name, s.text), b.defaultValue(field.name, raw))
	}
	return a.err
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
				return text(b.t("align."+str), s.text)
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
			return text(b.span(planner.Span{Min: low, Likely: likely, Max: high, Ranged: true}), s.text)
		}
	}
	return text(string(raw), s.text)
}

// span writes a phase's length: "4 months", or for a range "3 months
// (range 2 months to 6 months)".
func (b *book) span(s planner.Span) string {
	likely := b.lang.Period(s.Likely)
	if !s.Ranged {
		return likely
	}
	return likely + " (" + fmt.Sprintf(b.t("workbook.range_of"), b.lang.Period(s.Min), b.lang.Period(s.Max)) + ")"
}

// dependencies writes a post's gates: "group:overhead (filled)", with a
// lag "+ 2 weeks" and, for a group that need not be complete, "2 of 4".
func (b *book) dependencies(after []planner.Dependency) string {
	parts := make([]string, len(after))
	for i, d := range after {
		var part strings.Builder
		part.WriteString(d.Ref)
		part.WriteString(" (")
		part.WriteString(b.t("event." + d.Event.String()))
		if !d.Lag.IsZero() {
			part.WriteString(" + ")
			part.WriteString(b.lang.Period(d.Lag))
		}
		members := len(d.Members)
		if d.Self >= 0 {
			members--
		}
		if strings.HasPrefix(d.Ref, "group:") && d.Count != members {
			part.WriteString(", ")
			fmt.Fprintf(&part, b.t("workbook.dependency_of"), d.Count, members)
		}
		part.WriteString(")")
		parts[i] = part.String()
	}
	return strings.Join(parts, "; ")
}

// moneyCell is an amount in euros, empty for nil.
func (b *book) moneyCell(r *big.Rat) excelize.Cell {
	if r == nil {
		return excelize.Cell{StyleID: b.styles.money}
	}
	return excelize.Cell{StyleID: b.styles.money, Value: ratFloat(r)}
}

// ratFloat is the float64 nearest to r.
func ratFloat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}
