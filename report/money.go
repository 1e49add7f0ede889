package report

import (
	"strconv"

	"grantplan/planner"
)

// writeMoney writes the fourth section: the budget by year — what the
// posts cost, what the sources pay and what the county pays itself, and
// the draw-down of each source — then what each funding source makes
// available against what the posts draw from it, and what lapses.
func (d *document) writeMoney() {
	l, s := d.lang, &d.plan.Summary
	d.heading(d.t("report.section.money"), true, 40)
	if len(s.Budget) > 0 {
		d.writeBudget()
	}
	sources := &table{
		title: d.t("term.funding_sources"),
		headings: []string{d.t("term.source"), d.t("report.period"), d.t("term.need"), d.t("term.available"),
			d.t("term.unclaimed"), d.t("term.cap"), d.t("term.over_by")},
		right: []bool{false, false, true, true, true, true, true},
		size:  tableSize,
	}
	money := func(v *planner.Decimal) string {
		if v == nil {
			return "–"
		}
		return l.Money(*v)
	}
	available := planner.Decimal{Places: 2}
	allKnown := true
	for _, f := range s.Funding {
		sources.add(f.Name, l.Date(f.Start)+" – "+l.Date(f.End), l.Money(f.Need), money(f.Available),
			money(f.Unclaimed), money(f.Cap), money(f.OverBy))
		if f.Available == nil {
			allKnown = false
		} else {
			available.Units += f.Available.Units
		}
	}
	if len(s.Funding) > 1 {
		total := "–"
		if allKnown {
			total = l.Money(available)
		}
		sources.addStrong(d.t("report.total"), "", l.Money(s.FundedCost), total, l.Money(s.Unclaimed), "", "")
	}
	sources.draw(d)
	d.paragraph(l.Printf("report.money_note", l.Money(s.FundedCost), l.Money(s.OnboardingCost)), smallSize, muted)
}

// writeBudget writes the budget years: one row a year from the plan's
// start to the horizon, the total below.
func (d *document) writeBudget() {
	l, s := d.lang, &d.plan.Summary
	names := make(map[string]string, len(s.Funding))
	for _, f := range s.Funding {
		names[f.ID] = f.Name
	}
	budget := &table{
		title:    l.Printf("report.budget_title", l.Date(d.plan.Horizon)),
		headings: []string{d.t("term.budget_year"), d.t("term.total_cost"), d.t("report.funded"), d.t("term.own_share")},
		right:    []bool{false, true, true, true},
		size:     tableSize,
	}
	for _, f := range s.Budget[0].Funding {
		budget.headings = append(budget.headings, l.Printf("report.draw_down", names[f.ID]))
		budget.right = append(budget.right, true)
	}
	sum := func(get func(y *planner.BudgetYear) planner.Decimal) planner.Decimal {
		total := planner.Decimal{Places: 2}
		for i := range s.Budget {
			total.Units += get(&s.Budget[i]).Units
		}
		return total
	}
	for i := range s.Budget {
		y := &s.Budget[i]
		row := []string{strconv.Itoa(y.Year), l.Money(y.Cost), l.Money(y.Funded), l.Money(y.OwnShare)}
		for _, f := range y.Funding {
			row = append(row, l.Money(f.Funded))
		}
		budget.add(row...)
	}
	if len(s.Budget) > 1 {
		total := []string{d.t("report.total"),
			l.Money(sum(func(y *planner.BudgetYear) planner.Decimal { return y.Cost })),
			l.Money(sum(func(y *planner.BudgetYear) planner.Decimal { return y.Funded })),
			l.Money(sum(func(y *planner.BudgetYear) planner.Decimal { return y.OwnShare }))}
		for j := range s.Budget[0].Funding {
			total = append(total, l.Money(sum(func(y *planner.BudgetYear) planner.Decimal { return y.Funding[j].Funded })))
		}
		budget.addStrong(total...)
	}
	budget.draw(d)
	d.paragraph(l.Text("report.budget_note"), smallSize, muted)
}
