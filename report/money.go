package report

import (
	"grantplan/planner"
)

// writeMoney writes the fourth section: what each funding source makes
// available against what the posts draw from it, and what lapses.
func (d *document) writeMoney() {
	l, s := d.lang, &d.plan.Summary
	d.heading(d.t("report.section.money"), true, 40)
	sources := &table{
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
