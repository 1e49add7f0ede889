package locale

import (
	"strconv"
	"strings"

	"grantplan/palette"
	"grantplan/planner"
)

// Flag writes flag f as a sentence in l, from its facts: "Case Manager
// Siegen is filled only on 2023-04-01, 91 days after its funding (KIM
// Baustein 2) ends on 2022-12-31."
//
// The sentence of a code is message "flag.CODE.text"; it names the facts
// in braces ({name}, {funding_end}, …, see fact), which Flag writes in
// l's formats. A code without a sentence gives its message as the planner
// left it.
func (l Lang) Flag(f planner.Flag) string {
	text, ok := l.lookup(flagIDs(f.Code).text)
	if !ok {
		return f.Message
	}
	var b strings.Builder
	b.Grow(len(text) + 64)
	for {
		open := strings.IndexByte(text, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(text[open:], '}')
		if end < 0 {
			break
		}
		b.WriteString(text[:open])
		name := text[open+1 : open+end]
		if value, ok := l.fact(&f, name); ok {
			b.WriteString(value)
		} else {
			b.WriteString(text[open : open+end+1])
		}
		text = text[open+end+1:]
	}
	b.WriteString(text)
	return b.String()
}

// fact writes the fact called name of flag f, as a flag sentence names it.
func (l Lang) fact(f *planner.Flag, name string) (string, bool) {
	facts := &f.Facts
	switch name {
	case "name":
		return facts.Name, true
	case "source":
		return facts.Source, true
	case "days":
		if f.Days == nil {
			return "", true
		}
		return l.Count(*f.Days, Day), true
	case "filled":
		return l.Date(facts.Filled), true
	case "productive":
		return l.Date(facts.Productive), true
	case "funding_start":
		return l.Date(facts.FundingStart), true
	case "funding_end":
		return l.Date(facts.FundingEnd), true
	case "ready":
		return l.Date(facts.Ready), true
	case "hiring_start":
		return l.Date(facts.HiringStart), true
	case "productive_months":
		return l.Number(facts.ProductiveMonths), true
	case "min_productive":
		return l.Period(facts.MinProductive), true
	case "hr_capacity":
		return strconv.Itoa(facts.HRCapacity), true
	case "need":
		return l.Money(facts.Need), true
	case "over_by":
		return l.Money(facts.OverBy), true
	case "cap":
		return l.Money(facts.Cap), true
	}
	return "", false
}

// Describe fills in the message of every flag of plan with its sentence in
// l. The plan document carries English messages: whatever produces a plan
// for a reader of JSON (the command line, the API, a what-if) calls
// English.Describe before encoding it.
func (l Lang) Describe(plan *planner.Plan) {
	for i := range plan.Flags {
		plan.Flags[i].Message = l.Flag(plan.Flags[i])
	}
}

// FlagLabel is the short name of a flag code, for a table cell: "not
// filled in time". An unknown code gives the code itself.
func (l Lang) FlagLabel(code planner.Code) string {
	return l.Text(flagIDs(code).label)
}

// Severity is the name of severity s: "Critical", "Warnung".
func (l Lang) Severity(s planner.Severity) string {
	if id, ok := severityIDs[s]; ok {
		return l.Text(id)
	}
	return l.Text("severity." + string(s))
}

// Phase is the name of a phase of a post's bar: "Recruiting",
// "Kündigungsfrist".
func (l Lang) Phase(p palette.Phase) string {
	if int(p) >= 0 && int(p) < len(phaseIDs) {
		return l.Text(phaseIDs[p])
	}
	return l.Text("phase." + p.String())
}

// The message ids of the planner's codes, severities and the palette's
// phases, made once: a page of 500 posts asks for them thousands of times.
var (
	codeIDs     = map[planner.Code]codeID{}
	severityIDs = map[planner.Severity]string{}
	phaseIDs    []string
)

type codeID struct{ label, text string }

func init() {
	for _, code := range planner.Codes() {
		codeIDs[code] = codeID{label: "flag." + string(code) + ".label", text: "flag." + string(code) + ".text"}
	}
	for _, s := range planner.Severities() {
		severityIDs[s] = "severity." + string(s)
	}
	for _, p := range palette.Phases {
		phaseIDs = append(phaseIDs, "phase."+p.String())
	}
}

// flagIDs returns the message ids of code's label and sentence.
func flagIDs(code planner.Code) codeID {
	if ids, ok := codeIDs[code]; ok {
		return ids
	}
	return codeID{label: "flag." + string(code) + ".label", text: "flag." + string(code) + ".text"}
}
