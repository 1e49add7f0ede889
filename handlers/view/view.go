// Package view computes what the web pages show from plans: the Gantt
// chart's and the FTE chart's geometry (server-rendered SVG: every
// position computed here, the templates only draw), the risk panel's bars
// and whiskers, the KPI cards and tables, the flags as sentences and the
// tables beside the charts, all in the page's language. It is pure: it
// knows neither Gin nor the store, and takes plans, not requests.
package view

import (
	"fmt"
	"strings"

	"github.com/rickb777/date/v2"

	"grantplan/chart"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/whatif"
)

// KPIs holds a plan's key figures, formatted.
type KPIs struct {
	Utilization    string
	Productive     string
	Potential      string
	Funded         string
	Unclaimed      string
	TotalCost      string
	OwnShare       string
	OwnShareNote   string
	AfterFunding   string
	Horizon        string
	LatestSafe     string
	LatestSafeNote string
	Critical       int
	Warnings       int
	Infos          int
}

func newKPIs(plan *planner.Plan, l locale.Lang) KPIs {
	s := &plan.Summary
	k := KPIs{
		Utilization:  Percent(l, s.Utilization),
		Productive:   l.Number(s.ProductiveFTEMonths),
		Potential:    l.Number(s.PotentialFTEMonths),
		Funded:       l.Money(s.FundedCost),
		Unclaimed:    l.Money(s.Unclaimed),
		TotalCost:    l.Money(s.TotalCost),
		OwnShare:     l.Money(s.OwnShare),
		AfterFunding: l.Money(s.CostAfterFunding),
		Horizon:      l.Date(plan.Horizon),
		Critical:     s.Critical, Warnings: s.Warnings, Infos: s.Infos,
	}
	k.OwnShareNote = l.Text("page.kpi.own_share_note")
	if s.CostAfterFunding.Units != 0 {
		k.OwnShareNote = l.Printf("page.kpi.own_share_after", k.AfterFunding, l.Date(plan.Horizon))
	}
	k.LatestSafe, k.LatestSafeNote = decisionDate(l, plan.Start, s.LatestSafeStart,
		l.Text("page.kpi.no_safe_decision"))
	return k
}

// decisionDate writes a latest decision date and a note on how it stands
// to the plan's start; without a date, "none" and the note given.
func decisionDate(l locale.Lang, start date.Date, latest *date.Date, noneNote string) (string, string) {
	if latest == nil {
		return l.Text("common.none"), noneNote
	}
	switch days := int(start - *latest); {
	case days > 0:
		return l.Date(*latest), l.Printf("page.kpi.before_start", l.Count(days, locale.Day))
	case days < 0:
		return l.Date(*latest), l.Printf("page.kpi.after_start", l.Count(-days, locale.Day))
	}
	return l.Date(*latest), l.Text("page.kpi.at_start")
}

// Percent writes a ratio of four places as a percentage: 0.1667 → 16.67 %.
func Percent(l locale.Lang, ratio planner.Decimal) string {
	return l.Number(planner.Decimal{Units: ratio.Units, Places: ratio.Places - 2}) + " %"
}

// A KPITable compares the key figures of several plans, one column each.
// Where funding differs between them, what is available stands beside
// what is needed and what lapses, and utilisation beside its basis, so
// that more funding never reads as worse: more may lapse of more.
type KPITable struct {
	Caption string
	Columns []string
	Rows    []kpiRow
}

type kpiRow struct {
	Label string
	Note  string // what the row's figures mean, under its label
	Cells []kpiCell
}

// A kpiCell is one plan's figure, with its basis or share beneath.
type kpiCell struct {
	Value, Basis string
}

// money is a plan's money for the table: what its sources make
// available in all (unlimited when a source has neither a cap nor a flat
// amount), need and leave unclaimed.
type money struct {
	available planner.Decimal
	unlimited bool
	need      planner.Decimal
	unclaimed planner.Decimal
}

func moneyOf(plan *planner.Plan) money {
	m := money{available: planner.Decimal{Places: 2}, need: plan.Summary.FundedCost, unclaimed: plan.Summary.Unclaimed}
	for _, f := range plan.Summary.Funding {
		if f.Available == nil {
			m.unlimited = true
			continue
		}
		m.available.Units += f.Available.Units
	}
	return m
}

// share writes part of whole as a percentage with one place.
func share(l locale.Lang, part, whole planner.Decimal) string {
	if whole.Units == 0 {
		return "–"
	}
	return l.Percent(float64(part.Units) / float64(whole.Units))
}

// NewKPITable lays the plans' figures side by side; with a delta (of two
// plans, from whatif.Compare), a last column says how the second plan
// differs from the first.
func NewKPITable(l locale.Lang, caption string, columns []string, plans []*planner.Plan, delta *whatif.Delta) KPITable {
	t := KPITable{Caption: caption, Columns: columns}
	kpis := make([]KPIs, len(plans))
	moneys := make([]money, len(plans))
	for i, p := range plans {
		kpis[i] = newKPIs(p, l)
		moneys[i] = moneyOf(p)
	}
	row := func(id, note string, cell func(i int) kpiCell, change func(d *whatif.Delta) string) {
		r := kpiRow{Label: l.Text(id), Note: note}
		for i := range plans {
			r.Cells = append(r.Cells, cell(i))
		}
		if delta != nil {
			r.Cells = append(r.Cells, kpiCell{Value: change(delta)})
		}
		t.Rows = append(t.Rows, r)
	}
	if delta != nil {
		t.Columns = append(t.Columns, l.Text("page.kpi.change"))
	}
	row("term.critical_flags", "", func(i int) kpiCell { return kpiCell{Value: fmt.Sprint(kpis[i].Critical)} },
		func(d *whatif.Delta) string { return signedInt(d.Critical) })
	row("term.warnings", "", func(i int) kpiCell { return kpiCell{Value: fmt.Sprint(kpis[i].Warnings)} },
		func(d *whatif.Delta) string { return signedInt(d.Warnings) })
	row("term.productive_fte_months", l.Text("page.kpi.productive_note"), func(i int) kpiCell {
		return kpiCell{Value: kpis[i].Productive, Basis: l.Printf("page.kpi.of_possible", kpis[i].Potential)}
	}, func(d *whatif.Delta) string {
		return signed(l.Number(d.ProductiveFTEMonths), d.ProductiveFTEMonths.Units)
	})
	row("term.utilisation", l.Text("page.kpi.utilisation_note"), func(i int) kpiCell {
		return kpiCell{Value: kpis[i].Utilization, Basis: l.Printf("page.kpi.basis", kpis[i].Productive, kpis[i].Potential)}
	}, func(d *whatif.Delta) string {
		u := d.Utilization
		change := signed(l.Number(planner.Decimal{Units: u.Units, Places: u.Places - 2}), u.Units) + " " + l.Text("page.kpi.points")
		if d.PotentialFTEMonths.Units != 0 {
			change += "; " + l.Printf("page.kpi.basis_change", signed(l.Number(d.PotentialFTEMonths), d.PotentialFTEMonths.Units))
		}
		return change
	})
	row("term.available", l.Text("page.kpi.available_note"), func(i int) kpiCell {
		if moneys[i].unlimited {
			return kpiCell{Value: l.Text("page.kpi.unlimited")}
		}
		return kpiCell{Value: l.Money(moneys[i].available)}
	}, func(*whatif.Delta) string {
		first, last := moneys[0], moneys[len(moneys)-1]
		if first.unlimited || last.unlimited {
			return "–"
		}
		change := last.available.Sub(first.available)
		return signed(l.Money(change), change.Units)
	})
	row("term.need", l.Text("page.kpi.need_note"), func(i int) kpiCell {
		c := kpiCell{Value: kpis[i].Funded}
		if !moneys[i].unlimited {
			c.Basis = l.Printf("page.kpi.of_available", share(l, moneys[i].need, moneys[i].available))
		}
		return c
	}, func(d *whatif.Delta) string { return signed(l.Money(d.FundedCost), d.FundedCost.Units) })
	row("page.kpi.unclaimed", l.Text("page.kpi.lapses"), func(i int) kpiCell {
		c := kpiCell{Value: kpis[i].Unclaimed}
		if !moneys[i].unlimited {
			c.Basis = l.Printf("page.kpi.of_available", share(l, moneys[i].unclaimed, moneys[i].available))
		}
		return c
	}, func(d *whatif.Delta) string { return signed(l.Money(d.Unclaimed), d.Unclaimed.Units) })
	row("term.total_cost", "", func(i int) kpiCell {
		return kpiCell{Value: kpis[i].TotalCost, Basis: l.Printf("page.kpi.total_cost_note", kpis[i].Horizon)}
	}, func(d *whatif.Delta) string { return signed(l.Money(d.TotalCost), d.TotalCost.Units) })
	row("term.own_share", l.Text("page.kpi.own_share_note"), func(i int) kpiCell {
		return kpiCell{Value: kpis[i].OwnShare}
	}, func(d *whatif.Delta) string { return signed(l.Money(d.OwnShare), d.OwnShare.Units) })
	row("term.cost_after_funding", "", func(i int) kpiCell {
		return kpiCell{Value: kpis[i].AfterFunding}
	}, func(d *whatif.Delta) string { return signed(l.Money(d.CostAfterFunding), d.CostAfterFunding.Units) })
	row("term.latest_safe_decision", "", func(i int) kpiCell {
		return kpiCell{Value: kpis[i].LatestSafe, Basis: kpis[i].LatestSafeNote}
	}, func(d *whatif.Delta) string {
		if d.LatestSafeStart == nil {
			return "–"
		}
		days := *d.LatestSafeStart
		return signed(l.Count(abs(days), locale.Day), int64(days))
	})
	return t
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// signed puts a sign before a formatted magnitude: "+3", "−2", "±0".
func signed(formatted string, sign int64) string {
	formatted = strings.TrimPrefix(formatted, "-")
	switch {
	case sign > 0:
		return "+" + formatted
	case sign < 0:
		return "−" + formatted
	}
	return "±" + formatted
}

func signedInt(n int) string { return signed(fmt.Sprint(abs(n)), int64(n)) }

// A flagView is a flag as a sentence, linked to its post's row.
type flagView struct {
	Severity string // for the style
	Word     string // the severity in words
	Text     string
	Href     string // "" for a funding source's flag
}

func newFlagViews(plan *planner.Plan, l locale.Lang, prefix string) []flagView {
	views := make([]flagView, len(plan.Flags))
	for i, f := range plan.Flags {
		views[i] = flagView{Severity: string(f.Severity), Word: l.Severity(f.Severity), Text: l.Flag(f)}
		if f.Position != "" {
			views[i].Href = "#" + prefix + "row-" + f.Position
		}
	}
	return views
}

// A scheduleRow is one post in the table beside the Gantt chart.
type scheduleRow struct {
	Anchor                                   string
	ID, Name, Group, Location                string
	HiringStart, Filled, Productive, Funding string
	FundingEnd                               string
	ProductiveMonths, FundedCost             string
	TotalCost, OwnShare                      string
	Slack                                    string
	Flags                                    string
	Severity                                 string
}

func newScheduleRows(plan *planner.Plan, l locale.Lang, prefix string) []scheduleRow {
	worst := chart.WorstFlags(plan)
	rows := make([]scheduleRow, len(plan.Positions))
	for i := range plan.Positions {
		p := &plan.Positions[i]
		words := make([]string, len(p.Flags))
		for j, code := range p.Flags {
			words[j] = l.FlagLabel(code)
		}
		row := scheduleRow{
			Anchor: prefix + "post-" + p.ID, ID: p.ID, Name: positionName(p),
			Group: deref(p.Group), Location: deref(p.Location),
			HiringStart: l.Date(p.HiringStart), Filled: l.Date(p.Filled), Productive: l.Date(p.Productive),
			Funding: p.Funding, FundingEnd: l.Date(p.FundingEnd),
			ProductiveMonths: l.Number(p.ProductiveMonths), FundedCost: l.Money(p.FundedCost),
			TotalCost: l.Money(p.TotalCost), OwnShare: l.Money(p.OwnShare),
			Slack: "–", Flags: strings.Join(words, ", "), Severity: string(worst[p.ID]),
		}
		if p.SlackDays != nil {
			row.Slack = signedInt(*p.SlackDays)
		}
		rows[i] = row
	}
	return rows
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// A fundingRow is one funding source's need against what it offers.
type fundingRow struct {
	ID, Name, From, To, Need, Available, Unclaimed string
}

func newFundingRows(plan *planner.Plan, l locale.Lang) []fundingRow {
	rows := make([]fundingRow, len(plan.Summary.Funding))
	for i, f := range plan.Summary.Funding {
		rows[i] = fundingRow{
			ID: f.ID, Name: f.Name, From: l.Date(f.Start), To: l.Date(f.End),
			Need: l.Money(f.Need), Available: optionalMoney(l, f.Available), Unclaimed: optionalMoney(l, f.Unclaimed),
		}
	}
	return rows
}

func optionalMoney(l locale.Lang, d *planner.Decimal) string {
	if d == nil {
		return "–"
	}
	return l.Money(*d)
}

// Charts is a plan drawn: its Gantt chart, FTE chart, flags and table.
// IDs inside start with Prefix, so that several plans can share a page.
type Charts struct {
	Prefix   string
	Gantt    *Gantt
	FTE      *FTEChart
	Flags    []flagView
	Rows     []scheduleRow
	Funding  []fundingRow
	Budget   *Budget
	KPIs     KPIs
	Subtitle string
}

// NewCharts draws plan in language l on axis (NewAxis of the plan, or of
// the plans to be compared, so that their charts line up).
func NewCharts(plan *planner.Plan, l locale.Lang, prefix string, axis chart.Axis) *Charts {
	gantt := newGantt(plan, l, prefix, axis)
	return &Charts{
		Prefix:  prefix,
		Gantt:   gantt,
		FTE:     newFTEChart(plan, l, prefix, gantt),
		Flags:   newFlagViews(plan, l, prefix),
		Rows:    newScheduleRows(plan, l, prefix),
		Funding: newFundingRows(plan, l),
		Budget:  newBudget(plan, l, prefix),
		KPIs:    newKPIs(plan, l),
	}
}
