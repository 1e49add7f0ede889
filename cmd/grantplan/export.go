package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"grantplan/locale"
	"grantplan/service"
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
	opts := service.ExportOptions{Lang: lang}
	if *withRisk {
		riskOpts, err := c.riskOptions(rf)
		if err != nil {
			return err
		}
		opts.Risk = &riskOpts
	}
	data, err := c.readFile(positional[0])
	if err != nil {
		return err
	}
	// The workbook is dated the county's day and built in memory first,
	// so that a failure leaves no half-written file behind.
	export, err := c.service.Export(c.ctx, service.Posted(data), opts)
	if err != nil {
		return c.reportInvalid(err)
	}
	if *out == "-" {
		_, err := c.stdout.Write(export.Data)
		return err
	}
	return writeFileAtomic(*out, export.Data)
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
