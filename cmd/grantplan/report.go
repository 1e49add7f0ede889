package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"grantplan/locale"
	"grantplan/planner"
)

// writeReport prints a plan for people in language l: a table of the
// posts, every flag as a sentence, and the summary. The severity column
// shows the severity as --fail-on names it.
func writeReport(w io.Writer, plan *planner.Plan, l locale.Lang) error {
	var b strings.Builder
	summary := &plan.Summary
	fmt.Fprintf(&b, "%s\n%s\n\n", plan.Scenario, l.Printf("cli.decision", l.Date(plan.Start), l.Plural("cli.posts", summary.Positions)))

	positions := table{
		header: headings(l, "term.post", "term.hiring_start", "term.filled", "term.productive", "cli.prod_months", "cli.funded_eur", "cli.slack_days", "term.flags"),
		right:  []bool{false, false, false, false, true, true, true, false},
	}
	for _, p := range plan.Positions {
		slack := "–"
		if p.SlackDays != nil {
			slack = fmt.Sprintf("%+d", *p.SlackDays)
		}
		labels := make([]string, len(p.Flags))
		for i, code := range p.Flags {
			labels[i] = l.FlagLabel(code)
		}
		positions.add(p.ID, l.Date(p.HiringStart), l.Date(p.Filled), l.Date(p.Productive),
			l.Number(p.ProductiveMonths), l.Number(p.FundedCost), slack, strings.Join(labels, ", "))
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
	_, err := io.WriteString(w, b.String())
	return err
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
