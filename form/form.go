// Package form is the scenario format as a person fills it in: every field
// of a scenario (docs/scenario.md) with its kind and its label, how a
// person's text becomes the field's JSON value, and how a stored value is
// written as text again, in English or German. The edit form of the web
// pages, the workbook's Input sheet and the CSV of posts all read and
// write fields through it, so that a date, a number or a period is typed
// the same way everywhere (docs/scenario.md, What people type). Edit is
// the web edit form's state: it reads a stored scenario or a posted form,
// adds, removes and duplicates rows, and merges what the user changed into
// the stored scenario; WhatIfControls are the what-if page's controls and
// the variant they describe.
//
// What the text becomes is canonical: ISO dates, ISO periods, plain
// decimal numbers, the format's own words for start_on and employment.
package form

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"grantplan/locale"
	"grantplan/planner"
)

// A Kind is how a field is typed.
type Kind uint8

// The kinds of fields.
const (
	Text         Kind = iota // any text, trimmed
	LongText                 // text of several lines (a description)
	ID                       // an id: lower-case letters, digits, '.', '_', '-'
	Date                     // a date: 31.12.2022 or 2022-12-31
	Number                   // a number: 4.636,00, 4636.00, 0,5
	Period                   // a period: 3 Monate, P3M
	Span                     // a period or a range MIN / LIKELY / MAX
	StartOn                  // any day, first of a month, first of a quarter
	Employment               // fixed-term or permanent
	Dependencies             // the posts and groups a post waits for
)

// A Field is one member of the scenario format, in one of its places.
type Field struct {
	// Name is the member's name in the JSON ("start", "monthly_cost").
	Name string
	Kind Kind
	// Label is the message id of its label, for this place: the funding
	// sources' start is "Start", the scenario's "Planning start".
	Label string
}

// The fields, in the order the edit form and the Input sheet show them.
var (
	// ScenarioFields are the scenario's own settings.
	ScenarioFields = []Field{
		{"name", Text, "term.name"},
		{"description", LongText, "term.description"},
		{"start", Date, "field.start"},
		{"min_productive", Period, "term.min_productive"},
		{"hr_capacity", Number, "term.hr_capacity"},
		{"horizon", Date, "term.horizon"},
	}
	// DefaultFields are the members of "defaults": what a post leaves
	// out.
	DefaultFields = []Field{
		{"recruiting", Span, "phase.recruiting"},
		{"notice", Span, "phase.notice"},
		{"onboarding", Span, "phase.onboarding"},
		{"start_on", StartOn, "term.start_on"},
		{"monthly_cost", Number, "field.monthly_cost"},
		{"fte", Number, "term.fte"},
		{"funding", ID, "term.funding"},
		{"earliest", Date, "term.earliest"},
		{"location", Text, "term.location"},
		{"employment", Employment, "term.employment"},
	}
	// FundingFields are a funding source's members.
	FundingFields = []Field{
		{"id", ID, "term.id"},
		{"name", Text, "term.name"},
		{"start", Date, "term.start"},
		{"end", Date, "term.end"},
		{"rate", Number, "term.rate"},
		{"per_fte_year", Number, "field.funding.per_fte_year"},
		{"cap", Number, "field.funding.cap"},
	}
	// PositionFields are a post's members; the first ones are the
	// essentials the edit form shows in a post's row.
	PositionFields = []Field{
		{"id", ID, "term.id"},
		{"title", Text, "term.title"},
		{"group", ID, "term.group"},
		{"location", Text, "term.location"},
		{"fte", Number, "term.fte"},
		{"monthly_cost", Number, "field.monthly_cost"},
		{"funding", ID, "term.funding"},
		{"recruiting", Span, "phase.recruiting"},
		{"notice", Span, "phase.notice"},
		{"onboarding", Span, "phase.onboarding"},
		{"start_on", StartOn, "term.start_on"},
		{"earliest", Date, "term.earliest"},
		{"employment", Employment, "term.employment"},
		{"after", Dependencies, "field.after"},
	}
	// PayRaiseFields are a pay raise's members: a raise of the pay scale
	// from a day on, in percent.
	PayRaiseFields = []Field{
		{"from", Date, "field.raise.from"},
		{"percent", Number, "field.raise.percent"},
	}
)

// Lookup returns the field called name among fields.
func Lookup(fields []Field, name string) (Field, bool) {
	for _, f := range fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Value reads text, as a person typed it in l, as the field's JSON value.
// An empty text (only spaces) gives nil: the field is not given. Its
// error is a *planner.InputError saying why the text does not read, in
// the field's terms.
func (f Field) Value(text string, l locale.Lang) (json.RawMessage, error) {
	trimmed := strings.TrimSpace(text)
	if trimmed == "" {
		return nil, nil
	}
	switch f.Kind {
	case LongText:
		return marshal(strings.ReplaceAll(strings.TrimRight(text, " \t\r\n"), "\r\n", "\n")), nil
	case Date:
		d, err := locale.ParseDate(trimmed)
		if err != nil {
			return nil, err
		}
		return marshal(d.String()), nil
	case Number:
		n, err := l.ParseNumber(trimmed)
		if err != nil {
			return nil, err
		}
		return json.RawMessage(n), nil
	case Period:
		p, err := locale.ParsePeriod(trimmed)
		if err != nil {
			return nil, err
		}
		return marshal(p.String()), nil
	case Span:
		low, likely, high, ranged, err := locale.ParseRange(trimmed)
		if err != nil {
			return nil, err
		}
		if !ranged {
			return marshal(likely.String()), nil
		}
		return json.RawMessage(`{"min":"` + low.String() + `","likely":"` + likely.String() + `","max":"` + high.String() + `"}`), nil
	case StartOn:
		return word(trimmed, startOnWords, ProblemStartOn)
	case Employment:
		return word(trimmed, employmentWords, ProblemEmployment)
	case Dependencies:
		return ParseDependencies(trimmed, l)
	}
	return marshal(trimmed), nil
}

// Text writes a stored JSON value of the field as a person would type it
// in l: dates, numbers and periods in l's formats, start_on and
// employment in l's words. A value that is not what the field holds (an
// invalid scenario's) is written as its JSON, so that nothing is lost.
func (f Field) Text(raw json.RawMessage, l locale.Lang) string {
	if raw == nil {
		return ""
	}
	s, isString := jsonString(raw)
	switch {
	case f.Kind == Date && isString:
		if d, err := planner.ParseDate(s); err == nil {
			return l.Date(d)
		}
	case f.Kind == Number && !isString:
		if text, ok := NumberText(string(raw), l); ok {
			return text
		}
	case (f.Kind == Period || f.Kind == Span) && isString:
		if p, err := planner.ParsePeriod(s); err == nil {
			return l.Period(p)
		}
	case f.Kind == Span:
		if text, ok := rangeText(raw, l); ok {
			return text
		}
	case f.Kind == StartOn && isString:
		if id, ok := startOnIDs[s]; ok {
			return l.Text(id)
		}
	case f.Kind == Employment && isString:
		if id, ok := employmentIDs[s]; ok {
			return l.Text(id)
		}
	case f.Kind == Dependencies:
		if text, ok := DependencyText(raw, l); ok {
			return text
		}
	}
	if isString {
		return s
	}
	return string(raw)
}

// NumberText writes a JSON number literal as l writes numbers, with all
// its places: 4636.5 is "4,636.5" in English and "4.636,5" in German. It
// reports false for a literal it cannot write so (too many digits).
func NumberText(literal string, l locale.Lang) (string, bool) {
	canonical, ok := planner.CanonicalNumber(literal)
	if !ok {
		return "", false
	}
	d, ok := decimal(canonical)
	if !ok {
		return "", false
	}
	return l.Number(d), true
}

// decimal reads a plain decimal that fits a planner.Decimal.
func decimal(s string) (planner.Decimal, bool) {
	negative := strings.HasPrefix(s, "-")
	whole, fraction, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	digits := strings.TrimLeft(whole+fraction, "0")
	if len(digits) > 18 || len(fraction) > 255 {
		return planner.Decimal{}, false
	}
	var units int64
	for _, c := range digits {
		units = units*10 + int64(c-'0')
	}
	if negative {
		units = -units
	}
	return planner.Decimal{Units: units, Places: uint8(len(fraction))}, true
}

// rangeText writes {"min", "likely", "max"} as "2 months / 3 months / 6
// months".
func rangeText(raw json.RawMessage, l locale.Lang) (string, bool) {
	var r struct{ Min, Likely, Max string }
	if json.Unmarshal(raw, &r) != nil {
		return "", false
	}
	parts := []string{r.Min, r.Likely, r.Max}
	for i, part := range parts {
		p, err := planner.ParsePeriod(part)
		if err != nil {
			return "", false
		}
		parts[i] = l.Period(p)
	}
	return strings.Join(parts, " / "), true
}

// jsonString reads a JSON string; most have no escapes and are read
// without encoding/json (the edit form reads thousands at once).
func jsonString(raw json.RawMessage) (string, bool) {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' && !bytes.ContainsAny(raw[1:n-1], "\\\"") && utf8.Valid(raw) {
		return string(raw[1 : n-1]), true
	}
	var s string
	return s, json.Unmarshal(raw, &s) == nil
}

func marshal(s string) json.RawMessage {
	raw, _ := json.Marshal(s) // a string always marshals
	return raw
}

// The problem codes of the form's own kinds; their sentences are
// "problem.…" in locale's catalogs.
const (
	ProblemStartOn    planner.ProblemCode = "input_start_on"
	ProblemEmployment planner.ProblemCode = "input_employment"
	ProblemDependency planner.ProblemCode = "input_dependency"
)

// ProblemCodes lists the problem codes of the form's kinds.
func ProblemCodes() []planner.ProblemCode {
	return []planner.ProblemCode{ProblemStartOn, ProblemEmployment, ProblemDependency}
}

func inputError(code planner.ProblemCode, args ...any) *planner.InputError {
	return &planner.InputError{Code: code, Args: args,
		Message: locale.English.Problem(planner.Problem{Code: code, Args: args})}
}

// The words of start_on and employment: the format's own value and the
// message ids of its words in the languages.
var (
	startOnIDs = map[string]string{
		"any": "align.any", "month_start": "align.month_start", "quarter_start": "align.quarter_start",
	}
	employmentIDs = map[string]string{
		"fixed": "term.fixed_term", "permanent": "term.permanent",
	}
	startOnWords    = words(startOnIDs)
	employmentWords = words(employmentIDs)
)

// words maps each value, and its words in every language, in lower case,
// to the value.
func words(ids map[string]string) map[string]string {
	out := map[string]string{}
	for value, id := range ids {
		out[value] = value
		for _, l := range locale.Langs {
			out[strings.ToLower(l.Text(id))] = value
		}
	}
	return out
}

// word reads one of a field's words.
func word(text string, known map[string]string, code planner.ProblemCode) (json.RawMessage, error) {
	if value, ok := known[strings.ToLower(text)]; ok {
		return marshal(value), nil
	}
	return nil, inputError(code, text)
}

// Choices are the words of a field with a fixed set of values, in l, in
// the format's order: for a drop-down list.
func (f Field) Choices(l locale.Lang) []string {
	var ids []string
	switch f.Kind {
	case StartOn:
		ids = []string{"align.any", "align.month_start", "align.quarter_start"}
	case Employment:
		ids = []string{"term.fixed_term", "term.permanent"}
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = l.Text(id)
	}
	return out
}
