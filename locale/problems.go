package locale

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rickb777/date/v2"

	"grantplan/planner"
)

// Problem writes problem p in l: the text of message "problem.CODE" filled
// in with p's arguments in l's formats (dates, numbers and periods as l
// writes them, the kind of a value in words). A problem without a code,
// or with one the catalogs lack, gives its message as it came.
func (l Lang) Problem(p planner.Problem) string {
	if p.Code == "" {
		return p.Message
	}
	text, ok := l.lookup(ProblemID(p.Code))
	if !ok {
		return p.Message
	}
	return fmt.Sprintf(text, l.problemArgs(p.Args)...)
}

// ProblemID is the message id of a problem code's sentence.
func ProblemID(code planner.ProblemCode) string { return "problem." + string(code) }

// Problems writes every problem of v in l, each with its path first as
// Problem.String does: "positions[3].funding: unbekannte Förderquelle …".
func (l Lang) Problems(v *planner.ValidationError) []string {
	out := make([]string, len(v.Problems))
	for i, p := range v.Problems {
		out[i] = p.Path + ": " + l.Problem(p)
	}
	return out
}

// Localized returns a copy of v whose messages are in l, for a reader of
// the JSON API who asked for l.
func (l Lang) Localized(v *planner.ValidationError) *planner.ValidationError {
	out := &planner.ValidationError{Problems: make([]planner.Problem, len(v.Problems))}
	for i, p := range v.Problems {
		p.Message = l.Problem(p)
		out.Problems[i] = p
	}
	return out
}

// problemArgs writes the arguments a language writes its own way; the
// English ones stay as the planner wrote them, so that the English text
// is the planner's message.
func (l Lang) problemArgs(args []any) []any {
	out := make([]any, len(args))
	for i, arg := range args {
		out[i] = l.problemArg(arg)
	}
	return out
}

func (l Lang) problemArg(arg any) any {
	switch v := arg.(type) {
	case planner.ValueKind:
		return l.Text("kind." + string(v))
	case planner.Count:
		return l.Plural("unit."+v.Noun, v.N)
	}
	if l != German {
		return arg
	}
	switch v := arg.(type) {
	case date.Date:
		return l.Date(v)
	case planner.Period:
		return l.Period(v)
	case planner.Number:
		return germanNumber(string(v))
	case float64:
		return germanNumber(strconv.FormatFloat(v, 'g', -1, 64))
	}
	return arg
}

// germanNumber writes a number literal with a decimal comma, grouping the
// thousands of a plain decimal (5.500,5); a literal with an exponent keeps
// its form but for the comma.
func germanNumber(literal string) string {
	if d, ok := plainDecimal(literal); ok {
		return German.Number(d)
	}
	return strings.Replace(literal, ".", ",", 1)
}

// plainDecimal reads a literal of digits with at most one point and an
// optional sign.
func plainDecimal(literal string) (planner.Decimal, bool) {
	digits := strings.TrimPrefix(literal, "-")
	whole, fraction, _ := strings.Cut(digits, ".")
	if whole == "" || len(digits) > 30 || !allDigits(whole) || !allDigits(fraction) {
		return planner.Decimal{}, false
	}
	units, err := strconv.ParseInt(whole+fraction, 10, 64)
	if err != nil {
		return planner.Decimal{}, false
	}
	if strings.HasPrefix(literal, "-") {
		units = -units
	}
	return planner.Decimal{Units: units, Places: uint8(len(fraction))}, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
