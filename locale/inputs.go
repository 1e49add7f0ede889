package locale

import (
	"strings"

	"grantplan/planner"
)

// The words for a scenario's inputs, where the workbook and the report
// list them: a post's fields by name and its dependencies.

// fieldIDs are the message ids of the fields a post may take from the
// scenario's defaults (docs/scenario.md), by their JSON names.
var fieldIDs = map[string]string{
	"recruiting":   "phase.recruiting",
	"notice":       "phase.notice",
	"onboarding":   "phase.onboarding",
	"start_on":     "term.start_on",
	"monthly_cost": "term.monthly_cost",
	"fte":          "term.fte",
	"funding":      "term.funding",
	"earliest":     "term.earliest",
	"location":     "term.location",
	"employment":   "term.employment",
}

// Field names a post's field, given by its JSON name ("start_on"), in
// words: "Starts on", "Beginn am". A field without words keeps its name.
func (l Lang) Field(name string) string {
	if id, ok := fieldIDs[name]; ok {
		return l.Text(id)
	}
	return name
}

// DefaultFields lists the fields a post may take from the defaults, in
// the order the workbook and the report list them.
var DefaultFields = []string{"recruiting", "notice", "onboarding", "start_on", "monthly_cost", "fte", "funding", "earliest", "location", "employment"}

// After writes a dependency of a post in words: "ovh-1 (filled)",
// "group overhead (filled + 2 weeks, 2 of 4)", "Gruppe overhead
// (Besetzung)". The post and group are named by their ids, as the
// scenario names them.
func (l Lang) After(d planner.Dependency) string {
	var b strings.Builder
	if group, ok := strings.CutPrefix(d.Ref, "group:"); ok {
		b.WriteString(l.Printf("after.group", group))
	} else {
		b.WriteString(d.Ref)
	}
	b.WriteString(" (")
	b.WriteString(l.Text("event." + d.Event.String()))
	if !d.Lag.IsZero() {
		b.WriteString(" + ")
		b.WriteString(l.Period(d.Lag))
	}
	members := len(d.Members)
	if d.Self >= 0 {
		members--
	}
	if strings.HasPrefix(d.Ref, "group:") && d.Count != members {
		b.WriteString(", ")
		b.WriteString(l.Printf("after.count", d.Count, members))
	}
	b.WriteString(")")
	return b.String()
}

// Span writes a phase's length: "4 months", or for a range "3 months
// (range 2 months to 6 months)".
func (l Lang) Span(s planner.Span) string {
	likely := l.Period(s.Likely)
	if !s.Ranged {
		return likely
	}
	return likely + " (" + l.Printf("span.range", l.Period(s.Min), l.Period(s.Max)) + ")"
}

// Afters writes all of a post's dependencies, separated by semicolons.
func (l Lang) Afters(after []planner.Dependency) string {
	parts := make([]string, len(after))
	for i, d := range after {
		parts[i] = l.After(d)
	}
	return strings.Join(parts, "; ")
}

// Align writes when a holder may start: "first of a month".
func (l Lang) Align(a planner.Alignment) string {
	return l.Text("align." + a.String())
}

// Employment writes how long a post's holder is employed: "fixed-term",
// "unbefristet".
func (l Lang) Employment(e planner.Employment) string {
	if e == planner.Permanent {
		return l.Text("term.permanent")
	}
	return l.Text("term.fixed_term")
}
