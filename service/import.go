package service

import (
	"bytes"
	"context"
	"errors"

	"grantplan/locale"
	"grantplan/planner"
	"grantplan/workbook"
)

// An ImportFormat is the kind of file Import reads.
type ImportFormat uint8

// The formats Import reads.
const (
	// Workbook is an Excel workbook with an Input sheet: grantplan's
	// export or its template (docs/workbook.md, Input).
	Workbook ImportFormat = iota + 1
	// PostsCSV is a CSV of posts that replaces a base scenario's posts.
	PostsCSV
)

// ImportOptions say how to read a file.
type ImportOptions struct {
	Format ImportFormat
	// Base is the scenario whose posts a CSV replaces; it gives the
	// start, the funding and the defaults.
	Base Source
	// Lang is the language of the problems: their messages, and the lines
	// and columns of a CSV.
	Lang locale.Lang
}

// FormatOf tells a workbook from a CSV by its first bytes: a workbook is
// a zip file.
func FormatOf(data []byte) ImportFormat {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return Workbook
	}
	return PostsCSV
}

// Import reads a workbook or a CSV of posts into a scenario, as canonical
// JSON, storing nothing (the caller may then Create it). Reading is work
// on untrusted input, so it runs under the plan timeout. An invalid file
// is a *planner.ValidationError whose problems name the sheet and cell or
// the CSV's line and column, with messages in opts.Lang.
func (s *Service) Import(ctx context.Context, data []byte, opts ImportOptions) ([]byte, error) {
	if err := s.allow(ctx, ActionPlan, ""); err != nil {
		return nil, err
	}
	if opts.Format == PostsCSV && opts.Base.id != "" {
		if err := s.allow(ctx, ActionRead, opts.Base.id); err != nil {
			return nil, err
		}
	}
	readCtx, cancel := s.withPlanTimeout(ctx)
	defer cancel()
	var body []byte
	var err error
	switch opts.Format {
	case Workbook:
		body, err = workbook.Read(readCtx, data)
	case PostsCSV:
		var base *Planned
		if base, err = s.read(ctx, opts.Base); err != nil {
			return nil, err
		}
		if base.Body == nil {
			return nil, &planner.ValidationError{Problems: []planner.Problem{{Path: "base",
				Message: locale.English.Text("problem.import_no_base"), Code: ProblemNoBase}}}
		}
		body, err = workbook.ReadPostsCSV(readCtx, data, base.Body, opts.Lang)
	default:
		return nil, errors.New("service: import: no format")
	}
	var invalid *planner.ValidationError
	if errors.As(err, &invalid) {
		return nil, opts.Lang.Localized(invalid)
	}
	return body, s.timedOut(ctx, err)
}

// ProblemNoBase is the problem of a CSV of posts without a base scenario.
const ProblemNoBase planner.ProblemCode = "import_no_base"

// Template writes the blank workbook to fill in and import, in lang, dated
// the county's today. It reads and stores nothing.
func (s *Service) Template(ctx context.Context, lang locale.Lang) (*Export, error) {
	if err := s.allow(ctx, ActionPlan, ""); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := workbook.WriteTemplate(&buf, lang, s.today()); err != nil {
		return nil, err
	}
	return &Export{FileName: workbook.TemplateName(lang), Data: buf.Bytes()}, nil
}
