package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"grantplan/locale"
	"grantplan/planner"
	"grantplan/workbook"
)

// export runs `grantplan export FILE|- -o OUT.xlsx [--lang en|de]
// [--risk [--trials N] [--seed N] [--confidence C] [--spread S]]`.
func (c *cli) export(args []string) error {
	fs := c.newFlagSet("export", "export FILE|- -o OUT.xlsx [--lang en|de] [--risk [--trials N] [--seed N] [--confidence 0.8] [--spread MIN:MAX]]")
	out := fs.String("o", "", "write the workbook to this `file` (- for standard output)")
	langName := fs.String("lang", "en", "the workbook's `language`: en or de")
	withRisk := fs.Bool("risk", false, "add a Risk sheet: the risk run with the options below")
	rf := addRiskFlags(fs)
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) != 1 {
		fs.Usage()
		return c.invalid(errors.New("export needs exactly one scenario file (or - for standard input)"))
	}
	if *out == "" {
		fs.Usage()
		return c.invalid(errors.New("export needs -o OUT.xlsx, the file to write the workbook to"))
	}
	lang, ok := locale.ParseLang(*langName)
	if !ok {
		return c.invalid(fmt.Errorf("--lang: %q is not a language of the workbook: want en or de", *langName))
	}
	var riskOpts planner.RiskOptions
	if *withRisk {
		if riskOpts, err = c.riskOptions(rf); err != nil {
			return err
		}
	}
	s, source, err := c.readScenario(positional[0])
	if err != nil {
		return err
	}
	plan, err := s.Plan(c.ctx)
	if err != nil {
		return err
	}
	// The workbook is built in memory first, so that a failure leaves no
	// half-written file behind.
	opts := workbook.Options{Lang: lang, Scenario: s, Source: source}
	if *withRisk {
		if opts.Risk, err = s.Risk(c.ctx, riskOpts); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, plan, opts); err != nil {
		return err
	}
	if *out == "-" {
		_, err := c.stdout.Write(buf.Bytes())
		return err
	}
	return writeFileAtomic(*out, buf.Bytes())
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it into place, so that path holds either the old or the new workbook.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
