package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"grantplan/planner"
)

// flagLabels are the short forms of the flag codes for the report's table.
var flagLabels = map[planner.Code]string{
	planner.NotFilledBeforeExpiry:     "NOT FILLED",
	planner.NotProductiveBeforeExpiry: "NOT PRODUCTIVE",
	planner.ShortProductiveWindow:     "SHORT WINDOW",
	planner.FilledBeforeFunding:       "BEFORE FUNDING",
	planner.CapacityDelay:             "HR DELAY",
}

// writeReport prints a plan for people: a table of the positions, every
// flag as a sentence, and the summary.
func writeReport(w io.Writer, plan *planner.Plan) error {
	var b strings.Builder
	summary := &plan.Summary
	fmt.Fprintf(&b, "%s\nDecision (planning start): %s, %d positions\n\n", plan.Scenario, plan.Start, summary.Positions)

	positions := table{
		header: []string{"POSITION", "HIRING START", "FILLED", "PRODUCTIVE", "PROD. MONTHS", "FUNDED EUR", "SLACK DAYS", "FLAGS"},
		right:  []bool{false, false, false, false, true, true, true, false},
	}
	for _, p := range plan.Positions {
		slack := "–"
		if p.SlackDays != nil {
			slack = fmt.Sprintf("%+d", *p.SlackDays)
		}
		labels := make([]string, len(p.Flags))
		for i, code := range p.Flags {
			labels[i] = flagLabels[code]
		}
		positions.add(p.ID, p.HiringStart.String(), p.Filled.String(), p.Productive.String(),
			p.ProductiveMonths.String(), planner.FormatMoney(p.FundedCost), slack, strings.Join(labels, ", "))
	}
	positions.write(&b)

	if len(plan.Flags) == 0 {
		b.WriteString("\nNo flags: every position is productive for the minimum time before its funding ends.\n")
	} else {
		fmt.Fprintf(&b, "\nFlags: %d critical, %s, %d info\n", summary.Critical, plural(summary.Warnings, "warning"), summary.Infos)
		for _, f := range plan.Flags {
			fmt.Fprintf(&b, "  %-8s  %s\n", f.Severity, f.Message)
		}
	}

	b.WriteString("\nSummary\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  Productive FTE-months\t%s of %s possible (utilisation %s %%)\n",
		summary.ProductiveFTEMonths, summary.PotentialFTEMonths, percent(summary.Utilization))
	fmt.Fprintf(tw, "  Funded cost\t%s EUR\n", planner.FormatMoney(summary.FundedCost))
	fmt.Fprintf(tw, "  of which onboarding\t%s EUR (paid before the holders are productive)\n", planner.FormatMoney(summary.OnboardingCost))
	fmt.Fprintf(tw, "  Unclaimed (lapses)\t%s EUR\n", planner.FormatMoney(summary.Unclaimed))
	fmt.Fprintf(tw, "  Last filled\t%s\n", summary.LastFilled)
	fmt.Fprintf(tw, "  Last productive\t%s\n", summary.LastProductive)
	if safe := summary.LatestSafeStart; safe == nil {
		fmt.Fprintf(tw, "  Latest safe decision\tnone: no decision date gives every position its minimum productive time\n")
	} else if late := int(plan.Start - *safe); late > 0 {
		fmt.Fprintf(tw, "  Latest safe decision\t%s (this plan starts %s later)\n", safe, plural(late, "day"))
	} else if late == 0 {
		fmt.Fprintf(tw, "  Latest safe decision\t%s (this plan's start)\n", safe)
	} else {
		fmt.Fprintf(tw, "  Latest safe decision\t%s (%s after this plan's start)\n", safe, plural(-late, "day"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	b.WriteString("\nFunding sources\n")
	sources := table{
		header: []string{"SOURCE", "WINDOW", "NEED EUR", "AVAILABLE EUR", "UNCLAIMED EUR", "CAP EUR", "OVER CAP EUR"},
		right:  []bool{false, false, true, true, true, true, true},
	}
	for _, f := range summary.Funding {
		sources.add(f.ID, f.Start.String()+" – "+f.End.String(), planner.FormatMoney(f.Need),
			optionalMoney(f.Available), optionalMoney(f.Unclaimed), optionalMoney(f.Cap), optionalMoney(f.OverBy))
	}
	sources.write(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

func optionalMoney(d *planner.Decimal) string {
	if d == nil {
		return "–"
	}
	return planner.FormatMoney(*d)
}

// percent shows a four-place share as a percentage with two places.
func percent(share planner.Decimal) string {
	return planner.Decimal{Units: share.Units, Places: 2}.String()
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
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
