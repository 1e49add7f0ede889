package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"grantplan/locale"
	"grantplan/planner"
	"grantplan/service"
)

// plan runs `grantplan plan FILE|- [--json | --lang en|de] [--start DATE] [--fail-on SEVERITY]`.
func (c *cli) plan(args []string) error {
	fs := c.newFlagSet("plan", "plan FILE|- [--json | --lang en|de] [--start DATE] [--fail-on critical|warning]")
	asJSON := fs.Bool("json", false, "print the plan document as JSON (docs/scenario.md, The plan document) instead of a report")
	lang := addLangFlag(fs, reportLang)
	start := fs.String("start", "", "plan from this decision `date` (2021-10-01 or 01.10.2021) instead of the scenario's start")
	failOn := fs.String("fail-on", "", "exit with status 3 if a flag of this `severity` (critical or warning) or worse is present")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) != 1 {
		fs.Usage()
		return c.invalid(errors.New("plan needs exactly one scenario file (or - for standard input)"))
	}
	var threshold planner.Severity
	switch *failOn {
	case "", "critical", "warning":
		threshold = planner.Severity(*failOn)
	default:
		return c.invalid(fmt.Errorf("--fail-on: %q is not critical or warning", *failOn))
	}
	data, err := c.readFile(positional[0])
	if err != nil {
		return err
	}
	var opts service.PlanOptions
	if *start != "" {
		d, err := locale.ParseDate(*start)
		if err != nil {
			return c.invalid(fmt.Errorf("--start: %v", err))
		}
		opts.Start = d
	}
	planned, err := c.service.Plan(c.ctx, service.Posted(data), opts)
	if err != nil {
		return c.reportInvalid(err)
	}
	plan := planned.Plan
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(plan); err != nil {
			return err
		}
	} else if err := writeReport(c.stdout, plan, lang.lang); err != nil {
		return err
	}
	if threshold != "" {
		for _, f := range plan.Flags {
			if f.Severity.Rank() <= threshold.Rank() {
				fmt.Fprintf(c.stderr, "grantplan plan: the plan has %s flags (--fail-on %s)\n", f.Severity, threshold)
				return &exitError{code: exitFlagged, err: fmt.Errorf("plan has %s flags", f.Severity)}
			}
		}
	}
	return nil
}
