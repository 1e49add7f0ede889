package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"grantplan/locale"
	"grantplan/planner"
	"grantplan/service"
	"grantplan/whatif"

	"github.com/rickb777/date/v2"
)

// variantFlags collects repeated --variant NAME=PATCHFILE flags.
type variantFlags []string

func (v *variantFlags) String() string     { return strings.Join(*v, ", ") }
func (v *variantFlags) Set(s string) error { *v = append(*v, s); return nil }

// whatif runs `grantplan whatif FILE|- --variant NAME=PATCHFILE … [--json | --lang en|de]`.
func (c *cli) whatif(args []string) error {
	fs := c.newFlagSet("whatif", "whatif FILE|- --variant NAME=PATCHFILE … [--json | --lang en|de]")
	var specs variantFlags
	fs.Var(&specs, "variant", "a variant `NAME=PATCHFILE`: a JSON array is an RFC 6902 JSON Patch, an object an RFC 7386 merge patch (repeatable)")
	asJSON := fs.Bool("json", false, "print the comparison as JSON (as POST /api/v1/whatif answers)")
	lang := addLangFlag(fs, reportLang)
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) != 1 {
		fs.Usage()
		return c.invalid(errors.New("whatif needs exactly one scenario file (or - for standard input)"))
	}
	if len(specs) == 0 {
		fs.Usage()
		return c.invalid(errors.New("whatif needs at least one --variant NAME=PATCHFILE"))
	}
	variants := make([]whatif.Variant, len(specs))
	for i, spec := range specs {
		if variants[i], err = readVariant(spec); err != nil {
			return c.invalid(fmt.Errorf("--variant %s: %v", spec, err))
		}
	}
	// The base is checked on its own first, so that its problems have
	// its own paths, not those of the what-if ("scenario.…").
	if _, base, err := c.readScenario(positional[0]); err != nil {
		return err
	} else if result, err := c.service.WhatIf(c.ctx, service.Posted(base), variants); err != nil {
		return c.reportInvalid(err)
	} else if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(result)
	} else {
		return writeComparison(c.stdout, result, lang.lang)
	}
}

// readVariant reads NAME=PATCHFILE.
func readVariant(spec string) (whatif.Variant, error) {
	name, file, ok := strings.Cut(spec, "=")
	if !ok || name == "" || file == "" {
		return whatif.Variant{}, errors.New("want NAME=PATCHFILE")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return whatif.Variant{}, err
	}
	data = bytes.TrimSpace(data)
	switch {
	case !json.Valid(data):
		return whatif.Variant{}, fmt.Errorf("%s is not JSON", file)
	case bytes.HasPrefix(data, []byte("[")):
		return whatif.Variant{Name: name, Patch: data}, nil
	case bytes.HasPrefix(data, []byte("{")):
		return whatif.Variant{Name: name, Merge: data}, nil
	}
	return whatif.Variant{}, fmt.Errorf("%s is neither a JSON Patch (an array) nor a merge patch (an object)", file)
}

// writeComparison prints, in language l, one row per summary figure and
// one column per scenario; each variant's cell carries its change from
// the base.
func writeComparison(w io.Writer, result *whatif.Result, l locale.Lang) error {
	header := []string{"", strings.ToUpper(l.Text("cli.base"))}
	right := []bool{false, true}
	for _, v := range result.Variants {
		header = append(header, strings.ToUpper(v.Name))
		right = append(right, true)
	}
	t := table{header: header, right: right}
	base := &result.Base.Summary
	row := func(id string, value func(*planner.Summary) string, change func(*whatif.Delta) string) {
		cells := []string{l.Text(id), value(base)}
		for _, v := range result.Variants {
			cell := value(&v.Summary)
			if c := change(&v.Delta); c != "" {
				cell += " (" + c + ")"
			}
			cells = append(cells, cell)
		}
		t.add(cells...)
	}
	count := func(n int) string { return fmt.Sprint(n) }
	countChange := func(n int) string {
		if n == 0 {
			return ""
		}
		return fmt.Sprintf("%+d", n)
	}
	number := func(d planner.Decimal) string { return l.Number(d) }
	numberChange := func(d planner.Decimal) string {
		if d.Units == 0 {
			return ""
		}
		if d.Units > 0 {
			return "+" + l.Number(d)
		}
		return l.Number(d)
	}
	days := func(n *int) string {
		if n == nil || *n == 0 {
			return ""
		}
		return l.Printf("cli.days_change", *n)
	}
	date := func(d date.Date) string { return l.Date(d) }
	row("term.critical_flags", func(s *planner.Summary) string { return count(s.Critical) }, func(d *whatif.Delta) string { return countChange(d.Critical) })
	row("term.warnings", func(s *planner.Summary) string { return count(s.Warnings) }, func(d *whatif.Delta) string { return countChange(d.Warnings) })
	row("term.infos", func(s *planner.Summary) string { return count(s.Infos) }, func(d *whatif.Delta) string { return countChange(d.Infos) })
	row("term.productive_fte_months", func(s *planner.Summary) string { return number(s.ProductiveFTEMonths) }, func(d *whatif.Delta) string { return numberChange(d.ProductiveFTEMonths) })
	row("term.potential_fte_months", func(s *planner.Summary) string { return number(s.PotentialFTEMonths) }, func(d *whatif.Delta) string { return numberChange(d.PotentialFTEMonths) })
	row("cli.utilisation_percent", func(s *planner.Summary) string { return percent(l, s.Utilization) }, func(d *whatif.Delta) string {
		return numberChange(planner.Decimal{Units: d.Utilization.Units, Places: 2})
	})
	row("cli.funded_eur", func(s *planner.Summary) string { return number(s.FundedCost) }, func(d *whatif.Delta) string { return numberChange(d.FundedCost) })
	row("cli.unclaimed_eur", func(s *planner.Summary) string { return number(s.Unclaimed) }, func(d *whatif.Delta) string { return numberChange(d.Unclaimed) })
	row("cli.total_eur", func(s *planner.Summary) string { return number(s.TotalCost) }, func(d *whatif.Delta) string { return numberChange(d.TotalCost) })
	row("cli.own_share_eur", func(s *planner.Summary) string { return number(s.OwnShare) }, func(d *whatif.Delta) string { return numberChange(d.OwnShare) })
	row("cli.after_funding_eur", func(s *planner.Summary) string { return number(s.CostAfterFunding) }, func(d *whatif.Delta) string { return numberChange(d.CostAfterFunding) })
	row("term.last_filled", func(s *planner.Summary) string { return date(s.LastFilled) }, func(d *whatif.Delta) string { return days(&d.LastFilled) })
	row("term.last_productive", func(s *planner.Summary) string { return date(s.LastProductive) }, func(d *whatif.Delta) string { return days(&d.LastProductive) })
	row("term.latest_safe_decision", func(s *planner.Summary) string {
		if s.LatestSafeStart == nil {
			return l.Text("common.none")
		}
		return date(*s.LatestSafeStart)
	}, func(d *whatif.Delta) string { return days(d.LatestSafeStart) })
	var b strings.Builder
	t.write(&b)
	_, err := io.WriteString(w, b.String())
	return err
}
