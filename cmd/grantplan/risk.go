package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"grantplan/locale"
	"grantplan/planner"
	"grantplan/service"
)

// risk runs `grantplan risk FILE|- [--trials N] [--seed N] [--confidence C]
// [--spread SPREAD] [--json | --lang en|de]`.
func (c *cli) risk(args []string) error {
	const synopsis = "risk FILE|- [--trials N] [--seed N] [--confidence 0.8] [--spread MIN:MAX | PHASE=MIN:MAX …] [--json | --lang en|de]"
	fs := c.newFlagSet("risk", synopsis)
	rf := addRiskFlags(fs)
	asJSON := fs.Bool("json", false, "print the result as JSON (docs/risk.md)")
	lang := addLangFlag(fs, reportLang)
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) != 1 {
		fs.Usage()
		return c.invalid(errors.New("risk needs exactly one scenario file (or - for standard input)"))
	}
	opts, err := c.riskOptions(rf)
	if err != nil {
		return err
	}
	data, err := c.readFile(positional[0])
	if err != nil {
		return err
	}
	if *asJSON {
		risk, err := c.service.Risk(c.ctx, service.Posted(data), opts)
		if err != nil {
			return c.reportInvalid(err)
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(risk)
	}
	planned, err := c.service.Plan(c.ctx, service.Posted(data), service.PlanOptions{Risk: &opts})
	if err != nil {
		return c.reportInvalid(err)
	}
	return writeRisk(c.stdout, planned.Scenario.IsUncertain(opts.Spread), planned.Plan, planned.Risk, lang.lang)
}

// riskFlags are the options of a risk run on the command line, shared by
// risk and export --risk.
type riskFlags struct {
	trials     *int
	seed       *uint64
	confidence *float64
	spread     spreadFlag
}

func addRiskFlags(fs *flag.FlagSet) *riskFlags {
	rf := &riskFlags{
		trials:     fs.Int("trials", planner.DefaultTrials, fmt.Sprintf("number of trials (1 to %d)", planner.MaxTrials)),
		seed:       fs.Uint64("seed", 0, "random `seed`: the same seed gives the same answer"),
		confidence: fs.Float64("confidence", planner.DefaultConfidence, "find the latest decision date at which every post is safe with this probability (between 0 and 1; 0 skips the search)"),
	}
	fs.Var(&rf.spread, "spread", "make fixed periods uncertain: `MIN:MAX` factors for every phase (0.8:1.5 or 0,8:1,5), or PHASE=MIN:MAX (recruiting, notice, onboarding); repeatable")
	return rf
}

// riskOptions checks the flags; each bad one is a line on stderr and
// exit status 2.
func (c *cli) riskOptions(rf *riskFlags) (planner.RiskOptions, error) {
	opts := planner.RiskOptions{Trials: *rf.trials, Seed: *rf.seed, Confidence: *rf.confidence, Spread: rf.spread.spread}
	if err := opts.Validate(); err != nil {
		return opts, c.reportOptions(err)
	}
	return opts, nil
}

// reportOptions writes the options' problems as flag errors, one a line.
func (c *cli) reportOptions(err error) error {
	var v *planner.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	for _, p := range v.Problems {
		message := p.Message
		name, detail, _ := strings.Cut(p.Path, ".")
		if detail != "" {
			message = strings.ReplaceAll(detail, ".", " ") + " factor " + message
		}
		fmt.Fprintf(c.stderr, "--%s: %s\n", name, message)
	}
	return &exitError{code: exitInvalid, err: err}
}

// writeRisk prints a risk run for people in language l: per post the
// chances and the spread of productive dates, then the scenario's.
func writeRisk(w io.Writer, uncertain bool, plan *planner.Plan, risk *planner.Risk, l locale.Lang) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n", plan.Scenario, l.Printf("cli.risk_heading", risk.Trials, risk.Seed, l.Date(plan.Start)))
	if !uncertain {
		fmt.Fprintf(&b, "%s\n", l.Text("cli.risk_certain"))
	}
	b.WriteString("\n")
	positions := table{
		header: append(headings(l, "term.post", "term.funding_end", "cli.p_by_end", "cli.p_min_time", "cli.productive_p10"), "P50", "P90"),
		right:  []bool{false, false, true, true, false, false, false},
	}
	for i, p := range risk.Positions {
		positions.add(p.ID, l.Date(plan.Positions[i].FundingEnd), l.Percent(p.PProductiveByEnd), l.Percent(p.PMeetsMinProductive),
			l.Date(p.ProductiveP10), l.Date(p.ProductiveP50), l.Date(p.ProductiveP90))
	}
	positions.write(&b)
	fmt.Fprintf(&b, "\n%s\n", l.Printf("cli.all_safe", l.Percent(risk.Summary.PAllSafe)))
	fmt.Fprintf(&b, "%s\n", l.Printf("cli.fte_months",
		l.Number(risk.Summary.ProductiveFTEMonthsP10), l.Number(risk.Summary.ProductiveFTEMonthsP50), l.Number(risk.Summary.ProductiveFTEMonthsP90),
		l.Number(plan.Summary.ProductiveFTEMonths), l.Number(plan.Summary.PotentialFTEMonths)))
	fmt.Fprintf(&b, "%s\n", l.Printf("cli.own_share_percentiles",
		l.Money(risk.Summary.OwnShareP10), l.Money(risk.Summary.OwnShareP50), l.Money(risk.Summary.OwnShareP90), l.Money(plan.Summary.OwnShare)))
	if risk.Confidence > 0 {
		if risk.LatestDecision == nil {
			fmt.Fprintf(&b, "%s\n", l.Printf("cli.no_latest_decision", l.Percent(risk.Confidence)))
		} else {
			b.WriteString(l.Printf("cli.latest_decision", l.Percent(risk.Confidence), l.Date(*risk.LatestDecision)))
			if late := int(plan.Start - *risk.LatestDecision); late > 0 {
				b.WriteString(l.Printf("cli.decides_later", l.Count(late, locale.Day)))
			}
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// spreadFlag is --spread: the parts of a spread as a person types them
// (locale.ParseSpread, a decimal point or comma), a later part for a phase
// winning over an earlier one.
type spreadFlag struct{ spread planner.Spread }

func (f *spreadFlag) String() string { return f.spread.String() }

func (f *spreadFlag) Set(text string) error {
	parsed, err := locale.English.ParseSpread(text)
	if err != nil {
		return err
	}
	for phase, r := range parsed {
		if r != nil {
			f.spread[phase] = r
		}
	}
	return nil
}
