package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"grantplan/locale"
	"grantplan/service"
)

// export runs `grantplan export FILE|- -o OUT.xlsx [--lang en|de]
// [--start DATE] [--risk [--trials N] [--seed N] [--confidence C]
// [--spread S]]`: the plan as an Excel workbook.
func (c *cli) export(args []string) error {
	return c.writeDocument("export", "OUT.xlsx", "workbook", args, c.service.Export)
}

// report runs `grantplan report FILE|- -o OUT.pdf [--lang en|de]
// [--start DATE] [--risk …]` with the options of export: the plan as a
// PDF for a council paper (docs/report.md).
func (c *cli) report(args []string) error {
	return c.writeDocument("report", "OUT.pdf", "report", args, c.service.Report)
}

// writeDocument reads the flags of export and report, asks the service
// for the document and writes it to the file -o names, or to standard
// output for "-o -".
func (c *cli) writeDocument(command, out, what string, args []string,
	write func(context.Context, service.Source, service.ExportOptions) (*service.Export, error)) error {
	fs := c.newFlagSet(command, command+" FILE|- -o "+out+" [--lang en|de] [--start DATE] [--risk [--trials N] [--seed N] [--confidence 0.8] [--spread MIN:MAX]]")
	path := fs.String("o", "", "write the "+what+" to this `file` (- for standard output)")
	langName := fs.String("lang", "en", "the "+what+"'s `language`: en or de")
	start := fs.String("start", "", "plan from this decision `date` (2021-10-01 or 01.10.2021) instead of the scenario's start")
	withRisk := fs.Bool("risk", false, "add the risk run with the options below")
	rf := addRiskFlags(fs)
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) != 1 {
		fs.Usage()
		return c.invalid(fmt.Errorf("%s needs exactly one scenario file (or - for standard input)", command))
	}
	if *path == "" {
		fs.Usage()
		return c.invalid(fmt.Errorf("%s needs -o %s, the file to write the %s to", command, out, what))
	}
	lang, ok := locale.ParseLang(*langName)
	if !ok {
		return c.invalid(fmt.Errorf("--lang: %q is not a language of the %s: want en or de", *langName, what))
	}
	opts := service.ExportOptions{Lang: lang}
	if *start != "" {
		if opts.Start, err = locale.ParseDate(*start); err != nil {
			return c.invalid(fmt.Errorf("--start: %v", err))
		}
	}
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
	// The document is dated the county's day and built in memory first,
	// so that a failure leaves no half-written file behind.
	doc, err := write(c.ctx, service.Posted(data), opts)
	if err != nil {
		return c.reportInvalid(err)
	}
	if *path == "-" {
		_, err := c.stdout.Write(doc.Data)
		return err
	}
	return writeFileAtomic(*path, doc.Data)
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it into place, so that path holds either the old or the new document.
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
