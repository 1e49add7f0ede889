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
	return string(l.appendSentence(make([]byte, 0, len(text)+64), text, &f))
}

// AppendFlag appends Flag(*f) to b: a plan's sentences written one after
// the other into one buffer take one allocation rather than several for
// every flag.
func (l Lang) AppendFlag(b []byte, f *planner.Flag) []byte {
	text, ok := l.lookup(flagIDs(f.Code).text)
	if !ok {
		return append(b, f.Message...)
	}
	return l.appendSentence(b, text, f)
}

// appendSentence appends text with the facts of f in braces filled in.
func (l Lang) appendSentence(b []byte, text string, f *planner.Flag) []byte {
	for {
		open := strings.IndexByte(text, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(text[open:], '}')
		if end < 0 {
			break
		}
		b = append(b, text[:open]...)
		name := text[open+1 : open+end]
		if value, ok := l.appendFact(b, f, name); ok {
			b = value
		} else {
			b = append(b, text[open:open+end+1]...)
		}
		text = text[open+end+1:]
	}
	return append(b, text...)
}

// appendFact appends the fact called name of flag f, as a flag sentence
// names it; false, with b as it was, for a name that is no fact.
func (l Lang) appendFact(b []byte, f *planner.Flag, name string) ([]byte, bool) {
	facts := &f.Facts
	switch name {
	case "name":
		return append(b, facts.Name...), true
	case "source":
		return append(b, facts.Source...), true
	case "days":
		if f.Days == nil {
			return b, true
		}
		return l.appendCount(b, *f.Days, Day), true
	case "filled":
		return l.appendDate(b, facts.Filled), true
	case "productive":
		return l.appendDate(b, facts.Productive), true
	case "funding_start":
		return l.appendDate(b, facts.FundingStart), true
	case "funding_end":
		return l.appendDate(b, facts.FundingEnd), true
	case "ready":
		return l.appendDate(b, facts.Ready), true
	case "hiring_start":
		return l.appendDate(b, facts.HiringStart), true
	case "productive_months":
		return l.appendNumber(b, facts.ProductiveMonths), true
	case "min_productive":
		return l.appendPeriod(b, facts.MinProductive), true
	case "hr_capacity":
		return strconv.AppendInt(b, int64(facts.HRCapacity), 10), true
	case "need":
		return l.appendMoney(b, facts.Need), true
	case "over_by":
		return l.appendMoney(b, facts.OverBy), true
	case "cap":
		return l.appendMoney(b, facts.Cap), true
	}
	return b, false
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
