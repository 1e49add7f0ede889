package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"

	"grantplan/service"
)

// importFile runs `grantplan import FILE.xlsx|FILE.csv|- -o OUT.json
// [--base SCENARIO.json] [--lang en|de]`: a workbook grantplan exported
// (or its template, filled in) back into its scenario, or a CSV of posts
// into the base scenario's place of its posts.
func (c *cli) importFile(args []string) error {
	const synopsis = "import FILE.xlsx|FILE.csv|- -o OUT.json [--base SCENARIO.json] [--lang en|de]"
	fs := c.newFlagSet("import", synopsis)
	out := fs.String("o", "", "write the scenario to this `file` (- for standard output)")
	base := fs.String("base", "", "for a CSV of posts: the `scenario` whose start, funding and defaults it keeps")
	lang := addLangFlag(fs, "the `language` of the problems' messages: en or de")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) != 1 {
		fs.Usage()
		return c.invalid(errors.New("import needs exactly one workbook or CSV file (or - for standard input)"))
	}
	if *out == "" {
		fs.Usage()
		return c.invalid(errors.New("import needs -o OUT.json, the file to write the scenario to"))
	}
	data, err := c.readFile(positional[0])
	if err != nil {
		return err
	}
	opts := service.ImportOptions{Format: importFormat(positional[0], data), Lang: lang.lang}
	if opts.Format == service.PostsCSV {
		if *base == "" {
			fs.Usage()
			return c.invalid(errors.New("import of a CSV of posts needs --base SCENARIO.json, which gives the start, the funding and the defaults"))
		}
		baseData, err := c.readFile(*base)
		if err != nil {
			return err
		}
		opts.Base = service.Posted(baseData)
	}
	scenario, err := c.service.Import(c.ctx, data, opts)
	if err != nil {
		return c.reportInvalid(err)
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, scenario, "", "  "); err != nil {
		return err
	}
	indented.WriteByte('\n')
	if *out == "-" {
		_, err := c.stdout.Write(indented.Bytes())
		return err
	}
	return writeFileAtomic(*out, indented.Bytes())
}

// importFormat tells a workbook from a CSV by the file's name, or, for
// standard input or another name, by its first bytes.
func importFormat(name string, data []byte) service.ImportFormat {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return service.Workbook
	case ".csv", ".txt", ".tsv":
		return service.PostsCSV
	}
	return service.FormatOf(data)
}

// template runs `grantplan template -o OUT.xlsx [--lang en|de]`.
func (c *cli) template(args []string) error {
	fs := c.newFlagSet("template", "template -o OUT.xlsx [--lang en|de]")
	out := fs.String("o", "", "write the template to this `file` (- for standard output)")
	lang := addLangFlag(fs, "the template's `language`: en or de")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) != 0 || *out == "" {
		fs.Usage()
		return c.invalid(errors.New("template takes no file, and needs -o OUT.xlsx, the file to write it to"))
	}
	template, err := c.service.Template(c.ctx, lang.lang)
	if err != nil {
		return err
	}
	if *out == "-" {
		_, err := c.stdout.Write(template.Data)
		return err
	}
	return writeFileAtomic(*out, template.Data)
}
