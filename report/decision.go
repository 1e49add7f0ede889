package report

import (
	"strconv"
	"strings"

	"github.com/rickb777/date/v2"

	"grantplan/locale"
	"grantplan/palette"
	"grantplan/planner"
)

// writeDecision writes the first page's title and the first section: the
// decision in one paragraph — what is planned, what goes wrong, by when
// the council must decide — and the key figures.
func (d *document) writeDecision() {
	l, plan, pdf := d.lang, d.plan, d.pdf
	d.addPage(false)
	d.setFont(true, titleSize)
	d.textColour(ink)
	pdf.MultiCell(d.width(), titleSize*ptToMM*1.25, plan.Scenario, "", "L", false)
	d.paragraph(l.Printf("report.subtitle", l.Date(plan.Start), d.footerState()), smallSize, muted)
	pdf.Ln(2)

	d.heading(d.t("report.section.decision"), false, 40)
	d.paragraph(d.decisionText(), bodySize, ink)
	pdf.Ln(3)

	d.setFont(true, bodySize)
	d.textColour(ink)
	pdf.SetX(d.left())
	pdf.CellFormat(d.width(), 6, d.t("term.key_figures"), "", 1, "L", false, 0, "")
	figures := &table{size: bodySize - 0.5, right: []bool{false, true, false}}
	for _, f := range d.keyFigures() {
		figures.add(f.label, f.value, f.note)
	}
	figures.draw(d)
}

// decisionText is the decision in one paragraph: the plan, what goes
// wrong and what it costs, and by when the council must decide.
func (d *document) decisionText() string {
	l, plan := d.lang, d.plan
	s := &plan.Summary
	var sentences []string

	ends := planEnds(plan)
	if len(ends) == 1 || ends[0] == ends[len(ends)-1] {
		sentences = append(sentences, l.Printf("report.decision.plan", l.Plural("report.posts", s.Positions), l.Date(plan.Start), l.Date(ends[0])))
	} else {
		sentences = append(sentences, l.Printf("report.decision.plan_ends", l.Plural("report.posts", s.Positions), l.Date(plan.Start), l.Date(ends[0]), l.Date(ends[len(ends)-1])))
	}

	counts := map[planner.Code]int{}
	for _, f := range plan.Flags {
		counts[f.Code]++
	}
	var problems []string
	for _, p := range []struct {
		code planner.Code
		id   string
	}{
		{planner.NotFilledBeforeExpiry, "report.problem.not_filled"},
		{planner.NotProductiveBeforeExpiry, "report.problem.not_productive"},
		{planner.ShortProductiveWindow, "report.problem.short"},
		{planner.BudgetExceeded, "report.problem.over_cap"},
	} {
		if n := counts[p.code]; n > 0 {
			problems = append(problems, l.Plural(p.id, n))
		}
	}
	if len(problems) == 0 {
		sentences = append(sentences, l.Printf("report.decision.ok", minProductive(d)))
	} else {
		sentences = append(sentences, sentence(strings.Join(problems, "; ")))
	}
	utilisation := percent(l, s.Utilization)
	if s.Unclaimed.Units > 0 {
		sentences = append(sentences, l.Printf("report.decision.money", l.Number(s.ProductiveFTEMonths), l.Number(s.PotentialFTEMonths), utilisation, l.Money(s.Unclaimed)))
	} else {
		sentences = append(sentences, l.Printf("report.decision.money_all", l.Number(s.ProductiveFTEMonths), l.Number(s.PotentialFTEMonths), utilisation))
	}

	horizon := d.plan.Horizon
	if horizon != 0 {
		sentences = append(sentences, l.Printf("report.decision.cost", l.Money(s.TotalCost), l.Date(horizon), l.Money(s.OwnShare)))
		if s.CostAfterFunding.Units > 0 {
			sentences = append(sentences, l.Printf("report.decision.after_funding", l.Money(s.CostAfterFunding)))
		}
	}

	switch latest := s.LatestSafeStart; {
	case latest == nil:
		sentences = append(sentences, l.Text("report.decision.latest_none"))
	case *latest < plan.Start:
		sentences = append(sentences, l.Printf("report.decision.latest_passed", l.Date(*latest), l.Count(int(plan.Start-*latest), locale.Day)))
	case *latest > plan.Start:
		sentences = append(sentences, l.Printf("report.decision.latest_ahead", l.Date(*latest), l.Count(int(*latest-plan.Start), locale.Day)))
	default:
		sentences = append(sentences, l.Printf("report.decision.latest_now", l.Date(*latest)))
	}
	if r := d.opts.Risk; r != nil && r.Confidence > 0 {
		if r.LatestDecision != nil {
			sentences = append(sentences, l.Printf("report.decision.risk", share(l, r.Confidence), l.Date(*r.LatestDecision), strconv.Itoa(r.Trials)))
		} else {
			sentences = append(sentences, l.Printf("report.decision.risk_none", share(l, r.Confidence), strconv.Itoa(r.Trials)))
		}
	}
	return strings.Join(sentences, " ")
}

// sentence makes a clause a sentence: a capital first letter and a stop.
func sentence(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[:1])) + string(r[1:]) + "."
}

// planEnds are the funding ends of the plan's sources, earliest first.
func planEnds(plan *planner.Plan) []date.Date {
	var first, last date.Date
	for i, f := range plan.Summary.Funding {
		if i == 0 || f.End < first {
			first = f.End
		}
		if i == 0 || f.End > last {
			last = f.End
		}
	}
	return []date.Date{first, last}
}

// minProductive is the scenario's minimum productive time in words, or
// as the plan's flags state it.
func minProductive(d *document) string {
	if d.opts.Scenario != nil {
		return d.lang.Period(d.opts.Scenario.MinProductive)
	}
	for _, f := range d.plan.Flags {
		if f.Code == planner.ShortProductiveWindow {
			return d.lang.Period(f.Facts.MinProductive)
		}
	}
	return d.t("report.min_productive_unknown")
}

// A figure is one key figure: its name, value and a note.
type figure struct{ label, value, note string }

// keyFigures are the plan's key figures, and the risk run's when there
// is one.
func (d *document) keyFigures() []figure {
	l, plan := d.lang, d.plan
	s := &plan.Summary
	figures := []figure{
		{l.Text("term.productive_fte_months"), l.Number(s.ProductiveFTEMonths),
			l.Printf("report.figure.of_possible", l.Number(s.PotentialFTEMonths), percent(l, s.Utilization))},
	}
	if plan.Horizon != 0 {
		figures = append(figures, figure{l.Text("term.total_cost"), l.Money(s.TotalCost), l.Printf("report.figure.total_cost", l.Date(plan.Horizon))})
	}
	figures = append(figures, figure{l.Text("term.funded_cost"), l.Money(s.FundedCost), l.Printf("report.figure.onboarding", l.Money(s.OnboardingCost))})
	if plan.Horizon != 0 {
		figures = append(figures, figure{l.Text("term.own_share"), l.Money(s.OwnShare), l.Printf("report.figure.own_share", percentOf(l, s.OwnShare, s.TotalCost))})
		if s.CostAfterFunding.Units > 0 {
			figures = append(figures, figure{l.Text("term.cost_after_funding"), l.Money(s.CostAfterFunding), l.Text("report.figure.cost_after_funding")})
		}
	}
	figures = append(figures, figure{l.Text("term.unclaimed"), l.Money(s.Unclaimed), l.Text("report.figure.unclaimed")})
	latest := figure{label: l.Text("term.latest_safe_decision"), value: l.Text("common.none"), note: l.Text("report.figure.no_safe_decision")}
	if s.LatestSafeStart != nil {
		latest.value, latest.note = l.Date(*s.LatestSafeStart), relative(l, plan.Start, *s.LatestSafeStart)
	}
	figures = append(figures, latest,
		figure{l.Text("term.flags"), l.Printf("report.figure.flags", s.Critical, l.Plural("report.warnings", s.Warnings), s.Infos), ""})
	if r := d.opts.Risk; r != nil {
		if r.Confidence > 0 {
			f := figure{label: l.Printf("report.figure.risk_decision", share(l, r.Confidence)), value: l.Text("common.none"), note: l.Text("report.figure.risk_no_decision")}
			if r.LatestDecision != nil {
				f.value, f.note = l.Date(*r.LatestDecision), relative(l, plan.Start, *r.LatestDecision)
			}
			figures = append(figures, f)
		}
		figures = append(figures,
			figure{l.Text("term.p_all_safe"), share(l, r.Summary.PAllSafe), l.Printf("report.figure.trials", strconv.Itoa(r.Trials), strconv.FormatUint(r.Seed, 10))},
			figure{l.Text("report.figure.fte_months_percentiles"), l.Number(r.Summary.ProductiveFTEMonthsP10) + " / " +
				l.Number(r.Summary.ProductiveFTEMonthsP50) + " / " + l.Number(r.Summary.ProductiveFTEMonthsP90), ""})
	}
	return figures
}

// relative says how a day stands to the plan's start.
func relative(l locale.Lang, start, day date.Date) string {
	switch days := int(start - day); {
	case days > 0:
		return l.Printf("report.figure.before_start", l.Count(days, locale.Day))
	case days < 0:
		return l.Printf("report.figure.after_start", l.Count(-days, locale.Day))
	}
	return l.Text("report.figure.at_start")
}

// percent writes a ratio of four places as a percentage: 0.1667 → 16.67 %.
func percent(l locale.Lang, ratio planner.Decimal) string {
	return l.Number(planner.Decimal{Units: ratio.Units, Places: ratio.Places - 2}) + " %"
}

// percentOf writes part as a percentage of whole with one place; "–" when
// whole is nothing.
func percentOf(l locale.Lang, part, whole planner.Decimal) string {
	if whole.Units == 0 {
		return "–"
	}
	return l.Percent(float64(part.Units) / float64(whole.Units))
}

// share writes a share (0.8) as a percentage with one place: 80.0 %.
func share(l locale.Lang, p float64) string {
	return l.Number(planner.Decimal{Units: int64(p*1000 + 0.5), Places: 1}) + " %"
}

// writeFlags writes the second section: every flag as a sentence, worst
// first, its severity in words and colour.
func (d *document) writeFlags() {
	l, pdf := d.lang, d.pdf
	d.heading(d.t("term.flags"), false, 20)
	if len(d.plan.Flags) == 0 {
		d.paragraph(d.t("report.no_flags"), bodySize, ink)
		return
	}
	lineHeight := bodySize * ptToMM * 1.45
	indent := 4.0
	for _, f := range d.plan.Flags {
		if d.room() < 2*lineHeight {
			d.addPage(false)
		}
		colours := palette.Severity(f.Severity)
		y := pdf.GetY()
		d.fillColour(hexColour(string(colours.Ink)))
		pdf.Rect(d.left(), y+1.3, 1.6, lineHeight-2.2, "F")
		left, top, right, _ := pdf.GetMargins()
		pdf.SetLeftMargin(left + indent)
		pdf.SetX(left + indent)
		d.setFont(true, bodySize)
		d.textColour(hexColour(string(colours.Ink)))
		pdf.Write(lineHeight, l.Severity(f.Severity)+": ")
		d.setFont(false, bodySize)
		d.textColour(ink)
		pdf.Write(lineHeight, l.Flag(f))
		pdf.Ln(lineHeight + 1.2)
		pdf.SetMargins(left, top, right)
	}
}
