package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"grantplan/locale"
	"grantplan/planner"
)

// writeReport prints a plan for people in language l: a table of the
// posts, every flag as a sentence, the summary, the funding sources and
// the budget years. The severity column shows the severity as --fail-on
// names it.
func writeReport(w io.Writer, plan *planner.Plan, l locale.Lang) error {
	var b strings.Builder
	summary := &plan.Summary
	fmt.Fprintf(&b, "%s\n%s\n\n", plan.Scenario, l.Printf("cli.decision", l.Date(plan.Start), l.Plural("cli.posts", summary.Positions)))

	// The cost after the funding is a column where a post is permanent:
	// a fixed post's is always 0 (docs/scenario.md, Cost, own share and
	// budget years).
	permanent := slices.ContainsFunc(plan.Positions, func(p planner.PositionPlan) bool { return p.Employment == planner.Permanent })
	positions := table{
		header: headings(l, "term.post", "term.hiring_start", "term.filled", "term.productive", "cli.prod_months", "cli.funded_eur", "cli.total_eur", "cli.own_share_eur"),
		right:  []bool{false, false, false, false, true, true, true, true},
	}
	if permanent {
		positions.header = append(positions.header, headings(l, "cli.after_funding_eur")...)
		positions.right = append(positions.right, true)
	}
	positions.header = append(positions.header, headings(l, "cli.slack_days", "term.flags")...)
	positions.right = append(positions.right, true, false)
	for _, p := range plan.Positions {
		slack := "–"
		if p.SlackDays != nil {
			slack = fmt.Sprintf("%+d", *p.SlackDays)
		}
		labels := make([]string, len(p.Flags))
		for i, code := range p.Flags {
			labels[i] = l.FlagLabel(code)
		}
		cells := []string{p.ID, l.Date(p.HiringStart), l.Date(p.Filled), l.Date(p.Productive),
			l.Number(p.ProductiveMonths), l.Number(p.FundedCost), l.Number(p.TotalCost), l.Number(p.OwnShare)}
		if permanent {
			cells = append(cells, l.Number(p.CostAfterFunding))
		}
		positions.add(append(cells, slack, strings.Join(labels, ", "))...)
	}
	positions.write(&b)

	if len(plan.Flags) == 0 {
		fmt.Fprintf(&b, "\n%s\n", l.Text("cli.no_flags"))
	} else {
		fmt.Fprintf(&b, "\n%s\n", l.Printf("cli.flag_counts", summary.Critical, l.Plural("cli.warnings", summary.Warnings), summary.Infos))
		for _, f := range plan.Flags {
			fmt.Fprintf(&b, "  %-8s  %s\n", f.Severity, l.Flag(f))
		}
	}

	fmt.Fprintf(&b, "\n%s\n", l.Text("cli.summary"))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	line := func(label, value string) { fmt.Fprintf(tw, "  %s\t%s\n", label, value) }
	line(l.Text("term.productive_fte_months"),
		l.Printf("cli.of_possible", l.Number(summary.ProductiveFTEMonths), l.Number(summary.PotentialFTEMonths), percent(l, summary.Utilization)))
	line(l.Text("term.funded_cost"), l.Money(summary.FundedCost))
	line(l.Text("cli.of_which_onboarding"), l.Printf("cli.onboarding_note", l.Money(summary.OnboardingCost)))
	line(l.Text("term.total_cost"), l.Money(summary.TotalCost))
	line(l.Text("term.own_share"), l.Printf("cli.own_share_note", l.Money(summary.OwnShare)))
	line(l.Text("term.cost_after_funding"), l.Printf("cli.after_funding_note", l.Money(summary.CostAfterFunding), l.Date(plan.Horizon)))
	line(l.Text("term.unclaimed"), l.Money(summary.Unclaimed))
	line(l.Text("term.last_filled"), l.Date(summary.LastFilled))
	line(l.Text("term.last_productive"), l.Date(summary.LastProductive))
	var safe string
	switch latest := summary.LatestSafeStart; {
	case latest == nil:
		safe = l.Text("cli.no_safe_decision")
	case plan.Start > *latest:
		safe = l.Printf("cli.starts_later", l.Date(*latest), l.Count(int(plan.Start-*latest), locale.Day))
	case plan.Start == *latest:
		safe = l.Printf("cli.plan_start", l.Date(*latest))
	default:
		safe = l.Printf("cli.after_start", l.Date(*latest), l.Count(int(*latest-plan.Start), locale.Day))
	}
	line(l.Text("term.latest_safe_decision"), safe)
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(&b, "\n%s\n", l.Text("term.funding_sources"))
	sources := table{
		header: headings(l, "term.source", "cli.window", "cli.need_eur", "cli.available_eur", "cli.unclaimed_eur", "cli.cap_eur", "cli.over_cap_eur"),
		right:  []bool{false, false, true, true, true, true, true},
	}
	for _, f := range summary.Funding {
		sources.add(f.ID, l.Date(f.Start)+" – "+l.Date(f.End), l.Number(f.Need),
			optionalMoney(l, f.Available), optionalMoney(l, f.Unclaimed), optionalMoney(l, f.Cap), optionalMoney(l, f.OverBy))
	}
	sources.write(&b)

	writeBudget(&b, plan, l)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeBudget prints the budget years: a row a year with the cost, what
// the sources pay, the own share and each source's draw-down, and a row of
// their sums. The sums add the rounded years, so they may differ from the
// summary's totals, rounded from the exact amounts, by a cent
// (docs/scenario.md, Cost, own share and budget years).
func writeBudget(b *strings.Builder, plan *planner.Plan, l locale.Lang) {
	fmt.Fprintf(b, "\n%s\n", l.Printf("cli.budget_years", l.Date(plan.Horizon)))
	budget := plan.Summary.Budget
	if len(budget) == 0 {
		fmt.Fprintf(b, "%s\n", l.Printf("cli.budget_empty", l.Date(plan.Start), l.Date(plan.Horizon)))
		return
	}
	years := table{
		header: headings(l, "cli.year", "cli.cost_eur", "cli.funded_eur", "cli.own_share_eur"),
		right:  []bool{false, true, true, true},
	}
	for _, f := range plan.Summary.Funding {
		years.header = append(years.header, strings.ToUpper(l.Printf("cli.draw_down_eur", f.ID)))
		years.right = append(years.right, true)
	}
	var totals []planner.Decimal
	for _, y := range budget {
		amounts := []planner.Decimal{y.Cost, y.Funded, y.OwnShare}
		for _, f := range y.Funding {
			amounts = append(amounts, f.Funded)
		}
		// Each amount becomes the sum of its column so far.
		cells := []string{strconv.Itoa(y.Year)}
		for i, a := range amounts {
			cells = append(cells, l.Number(a))
			if totals != nil {
				a = totals[i].Add(a)
			}
			amounts[i] = a
		}
		totals = amounts
		years.add(cells...)
	}
	cells := []string{l.Text("cli.total")}
	for _, a := range totals {
		cells = append(cells, l.Number(a))
	}
	years.add(cells...)
	years.write(b)
	if totals[0] != plan.Summary.TotalCost || totals[2] != plan.Summary.OwnShare {
		fmt.Fprintf(b, "%s\n", l.Text("cli.budget_rounding"))
	}
}

// headings are the texts of message ids in capitals, as the tables'
// column headings.
func headings(l locale.Lang, ids ...string) []string {
	texts := make([]string, len(ids))
	for i, id := range ids {
		texts[i] = strings.ToUpper(l.Text(id))
	}
	return texts
}

// optionalMoney writes an amount without its currency, "–" for none.
func optionalMoney(l locale.Lang, d *planner.Decimal) string {
	if d == nil {
		return "–"
	}
	return l.Number(*d)
}

// percent shows a four-place share as a percentage with two places.
func percent(l locale.Lang, share planner.Decimal) string {
	return l.Number(planner.Decimal{Units: share.Units, Places: 2})
}

// table lays out rows in columns, text left-aligned and numbers
// right-aligned, which text/tabwriter cannot do per column.
type table struct {
	header []string
	right  []bool
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(b *strings.Builder) {
	widths := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range append([][]string{t.header}, t.rows...) {
		var line strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if i > 0 {
				line.WriteString("  ")
			}
			if t.right[i] {
				line.WriteString(pad + cell)
			} else {
				line.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
}
