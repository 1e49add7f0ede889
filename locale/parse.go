package locale

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rickb777/date/v2"

	"grantplan/planner"
)

// The parsers below read what a person types, in either language, and
// give what a scenario stores: ISO dates, ISO periods and plain decimal
// numbers (docs/scenario.md, What people type). They invert the formats
// above: a date or number the pages show reads back as itself.

// The problem codes of what people type; their sentences are "problem.…"
// in both catalogs, like the planner's.
const (
	ProblemInputDate   planner.ProblemCode = "input_date"
	ProblemInputNumber planner.ProblemCode = "input_number"
	ProblemInputPeriod planner.ProblemCode = "input_period"
	ProblemInputRange  planner.ProblemCode = "input_range"
	ProblemInputSpread planner.ProblemCode = "input_spread"
)

// InputProblemCodes lists the problem codes of what people type.
func InputProblemCodes() []planner.ProblemCode {
	return []planner.ProblemCode{ProblemInputDate, ProblemInputNumber, ProblemInputPeriod, ProblemInputRange, ProblemInputSpread}
}

// inputError is the problem with a value a person typed, its English
// sentence from the catalog.
func inputError(code planner.ProblemCode, args ...any) *planner.InputError {
	return &planner.InputError{Code: code, Args: args,
		Message: English.Problem(planner.Problem{Code: code, Args: args})}
}

// maxInput bounds the text the parsers look at: nothing they read is
// longer, and a longer text is refused before any work.
const maxInput = 200

// ParseDate reads a date as ISO 8601 (2022-12-31) or as German writes it
// (31.12.2022, 1.2.2022; four-digit years only), in either language, and
// checks that it is a calendar day in the range a scenario allows. Its
// error is a *planner.InputError.
func ParseDate(text string) (date.Date, error) {
	s := strings.TrimSpace(text)
	if len(s) > maxInput {
		return 0, inputError(ProblemInputDate, truncate(s))
	}
	if len(s) == 10 && s[4] == '-' {
		return planner.ParseDate(s)
	}
	day, rest, ok1 := strings.Cut(s, ".")
	month, year, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || !isDigits(day, 1, 2) || !isDigits(month, 1, 2) || !isDigits(year, 4, 4) {
		return 0, inputError(ProblemInputDate, s)
	}
	d, _ := strconv.Atoi(day)
	m, _ := strconv.Atoi(month)
	y, _ := strconv.Atoi(year)
	return planner.DateOf(s, y, time.Month(m), d)
}

func isDigits(s string, least, most int) bool {
	if len(s) < least || len(s) > most {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// truncate shortens an overlong text for a message.
func truncate(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:39]) + "…"
}

// ParseNumber reads a number as a person types it in l and returns it as
// a plain decimal ("4636", "0.5", "-12.25"). The rule, the same for every
// field:
//
//   - A sign may lead (+, -, −); "€" or "EUR" may lead or follow; spaces
//     (also no-break and narrow ones) may group the thousands.
//   - With both '.' and ',' the one that comes last is the decimal point,
//     once; the other groups the thousands: 4.636,00 and 4,636.00 are
//     4636 in either language.
//   - One kind of separator, more than once, groups the thousands:
//     1.234.567 and 1,234,567.
//   - One separator, once, is the decimal point (0,5, 4636.00, 12,25) —
//     except when exactly three digits follow it and one to three digits
//     (not starting with 0) precede it: then l decides, as it writes
//     numbers: in German '.' groups and ',' is the point (1.500 is
//     fifteen hundred, 1,500 one and a half), in English the other way
//     round.
//   - A JSON number (5.5e3) is always read as one.
//
// Groups of thousands have three digits each (the first one to three).
// Its error is a *planner.InputError.
func (l Lang) ParseNumber(text string) (string, error) {
	s := strings.TrimSpace(text)
	if len(s) > maxInput {
		return "", inputError(ProblemInputNumber, truncate(s))
	}
	literal, ok := l.numberLiteral(s)
	if !ok {
		return "", inputError(ProblemInputNumber, s)
	}
	canonical, ok := planner.CanonicalNumber(literal)
	if !ok {
		return "", inputError(ProblemInputNumber, s)
	}
	return canonical, nil
}

// ParseFloat is ParseNumber's number as a float64.
func (l Lang) ParseFloat(text string) (float64, error) {
	n, err := l.ParseNumber(text)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, inputError(ProblemInputNumber, strings.TrimSpace(text))
	}
	return f, nil
}

var jsonNumber = regexp.MustCompile(`^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$`)

// numberLiteral turns s into a JSON number literal by the rule of
// ParseNumber.
func (l Lang) numberLiteral(s string) (string, bool) {
	for _, unit := range []string{"€", "EUR", "eur", "Eur"} {
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, unit), unit))
	}
	sign := ""
	switch {
	case strings.HasPrefix(s, "-"), strings.HasPrefix(s, "+"):
		sign, s = s[:1], s[1:]
	case strings.HasPrefix(s, "−"): // U+2212 MINUS SIGN
		sign, s = "-", s[len("−"):]
	}
	if sign == "+" {
		sign = ""
	}
	if strings.ContainsAny(s, "eE") {
		literal := sign + s
		return literal, jsonNumber.MatchString(literal)
	}
	if !strings.ContainsAny(s, "0123456789") {
		return "", false
	}
	// Spaces only ever group.
	var b strings.Builder
	spaces := false
	for _, r := range s {
		switch {
		case r == ' ' || r == '\u00a0' || r == '\u202f':
			spaces = true
			b.WriteByte(' ')
		case r == '.' || r == ',' || r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	s = b.String()
	lastDot, lastComma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	point := byte(0) // the decimal point, 0 for none
	switch {
	case dots > 0 && commas > 0:
		point = '.'
		if lastComma > lastDot {
			point = ','
		}
	case dots == 1 || commas == 1:
		point = '.'
		if commas == 1 {
			point = ','
		}
		i := strings.IndexByte(s, point)
		before, after := s[:i], s[i+1:]
		if len(after) == 3 && !spaces && isDigits(before, 1, 3) && before[0] != '0' && point != l.decimalPoint() {
			point = 0 // groups, as l writes them
		}
	}
	whole, fraction := s, ""
	if point != 0 {
		i := strings.LastIndexByte(s, point)
		whole, fraction = s[:i], s[i+1:]
		if strings.IndexByte(whole, point) >= 0 || fraction == "" || !isDigits(fraction, 1, maxInput) {
			return "", false
		}
	}
	digits, ok := ungroup(whole)
	if !ok {
		return "", false
	}
	if fraction != "" {
		digits += "." + fraction
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" || digits[0] == '.' {
		digits = "0" + digits
	}
	return sign + digits, true
}

// decimalPoint is the decimal point l writes.
func (l Lang) decimalPoint() byte {
	if l == German {
		return ','
	}
	return '.'
}

// ungroup reads the whole part of a number: digits, or digits grouped in
// threes by one kind of separator ('.', ',' or a space); "" is 0 (",5").
func ungroup(s string) (string, bool) {
	if s == "" {
		return "0", true
	}
	separator := -1
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			separator = i
			break
		}
	}
	if separator < 0 {
		return s, true
	}
	groups := strings.Split(s, s[separator:separator+1])
	if !isDigits(groups[0], 1, 3) {
		return "", false
	}
	for _, g := range groups[1:] {
		if !isDigits(g, 3, 3) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

// periodUnits are the words (and abbreviations) of the units of a
// period, English and German, lower case and without a final dot.
var periodUnits = map[string]Unit{
	"y": Year, "yr": Year, "yrs": Year, "year": Year, "years": Year,
	"j": Year, "jahr": Year, "jahre": Year, "jahren": Year,
	"m": Month, "mo": Month, "mon": Month, "mons": Month, "month": Month, "months": Month,
	"mt": Month, "mte": Month, "monat": Month, "monate": Month, "monaten": Month,
	"w": Week, "wk": Week, "wks": Week, "week": Week, "weeks": Week,
	"wo": Week, "woche": Week, "wochen": Week,
	"d": Day, "day": Day, "days": Day,
	"t": Day, "tg": Day, "tag": Day, "tage": Day, "tagen": Day,
}

// periodOnes are the words for one that may stand for the number.
var periodOnes = map[string]bool{"a": true, "an": true, "one": true, "ein": true, "eine": true, "einen": true, "einem": true}

// periodConnectives may stand between the parts of a period.
var periodConnectives = map[string]bool{"and": true, "und": true, "plus": true, "+": true, ",": true}

// ParsePeriod reads a period as ISO 8601 (P3M, P1Y2M, also in lower case)
// or in words, English or German: "3 Monate", "6 Wochen", "3 Monate 2
// Wochen", "1 Jahr und 2 Monate", "3 months", "a year", "2 wk", "10d".
// Each unit at most once, whole numbers only. Its error is a
// *planner.InputError.
func ParsePeriod(text string) (planner.Period, error) {
	s := strings.TrimSpace(text)
	if len(s) > maxInput {
		return planner.Period{}, inputError(ProblemInputPeriod, truncate(s))
	}
	if len(s) > 1 && (s[0] == 'P' || s[0] == 'p') && s[1] >= '0' && s[1] <= '9' {
		return planner.ParsePeriod(strings.ToUpper(s))
	}
	tokens := periodTokens(strings.ToLower(s))
	var p planner.Period
	given := map[Unit]bool{}
	n := -1 // the number waiting for its unit
	for _, tok := range tokens {
		switch {
		case isDigits(tok, 1, maxInput) && n < 0:
			if len(tok) > 6 {
				return planner.Period{}, inputError(ProblemInputPeriod, s)
			}
			n, _ = strconv.Atoi(tok)
		case periodOnes[tok] && n < 0:
			n = 1
		case periodConnectives[tok] && n < 0:
		default:
			unit, ok := periodUnits[strings.TrimSuffix(tok, ".")]
			if !ok || n < 0 || given[unit] {
				return planner.Period{}, inputError(ProblemInputPeriod, s)
			}
			if n > planner.MaxPeriodPart {
				return planner.Period{}, &planner.InputError{Code: planner.ProblemPeriodTooLarge,
					Args: []any{s, strconv.Itoa(n) + " " + tok}, Message: ""}
			}
			given[unit] = true
			switch unit {
			case Year:
				p.Years = n
			case Month:
				p.Months = n
			case Week:
				p.Weeks = n
			case Day:
				p.Days = n
			}
			n = -1
		}
	}
	if len(given) == 0 || n >= 0 {
		return planner.Period{}, inputError(ProblemInputPeriod, s)
	}
	return p, nil
}

// periodTokens splits a period in words into numbers, words and
// connectives: "3Monate,2 Wochen" gives 3, monate, ",", 2, wochen.
func periodTokens(s string) []string {
	var tokens []string
	start := -1
	kind := 0 // 1 digits, 2 letters
	flush := func(i int) {
		if start >= 0 {
			tokens = append(tokens, s[start:i])
			start = -1
		}
	}
	for i, r := range s {
		k := 0
		switch {
		case r >= '0' && r <= '9':
			k = 1
		case unicode.IsLetter(r) || r == '.' && kind == 2:
			k = 2
		}
		if k == 0 {
			flush(i)
			kind = 0
			if r == ',' || r == '+' {
				tokens = append(tokens, string(r))
			} else if !unicode.IsSpace(r) {
				tokens = append(tokens, string(r)) // never a unit: refused
			}
			continue
		}
		if k != kind {
			flush(i)
			start, kind = i, k
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(s))
	return tokens
}

// ParseRange reads a phase's length: a period, or a range of three as
// "MIN / LIKELY / MAX" (each as ParsePeriod reads it). ranged says which.
func ParseRange(text string) (low, likely, high planner.Period, ranged bool, err error) {
	parts := strings.Split(text, "/")
	switch len(parts) {
	case 1:
		p, err := ParsePeriod(text)
		return p, p, p, false, err
	case 3:
		var errs [3]error
		low, errs[0] = ParsePeriod(parts[0])
		likely, errs[1] = ParsePeriod(parts[1])
		high, errs[2] = ParsePeriod(parts[2])
		for _, e := range errs {
			if e != nil {
				return low, likely, high, true, e
			}
		}
		return low, likely, high, true, nil
	}
	return low, likely, high, false, inputError(ProblemInputRange, truncate(strings.TrimSpace(text)))
}

// spreadPart is one part of a spread: an optional phase and two factors.
var spreadPart = regexp.MustCompile(`^\s*(?:([^=:;,]+?)\s*=\s*)?([0-9]+(?:[.,][0-9]+)*)\s*:\s*([0-9]+(?:[.,][0-9]+)*)\s*(?:[,;]|$)`)

// ParseSpread reads a spread of the risk run as a person types it in l:
// "0,8:1,5" (German) or "0.8:1.5" for every phase, or per phase
// "recruiting=0.8:1.5; notice=1:1.3" (the phase's name in either
// language, or its field name); parts are separated by ';' or ','. Its
// error is a *planner.InputError; the factors' ranges are
// planner.RiskOptions.Validate's to check.
func (l Lang) ParseSpread(text string) (planner.Spread, error) {
	var spread planner.Spread
	s := strings.TrimSpace(text)
	fail := func() (planner.Spread, error) {
		return planner.Spread{}, inputError(ProblemInputSpread, truncate(s))
	}
	if s == "" || len(s) > maxInput {
		return fail()
	}
	for rest := s; strings.TrimSpace(rest) != ""; {
		m := spreadPart.FindStringSubmatchIndex(rest)
		if m == nil {
			return fail()
		}
		phases := []planner.Phase{planner.Recruiting, planner.Notice, planner.Onboarding}
		if m[2] >= 0 {
			phase, ok := parsePhase(rest[m[2]:m[3]])
			if !ok {
				return fail()
			}
			phases = []planner.Phase{phase}
		}
		low, err1 := l.ParseFloat(rest[m[4]:m[5]])
		high, err2 := l.ParseFloat(rest[m[6]:m[7]])
		if err1 != nil || err2 != nil {
			return fail()
		}
		r := &planner.SpreadRange{Min: low, Max: high}
		for _, phase := range phases {
			spread[phase] = r
		}
		rest = rest[m[1]:]
	}
	return spread, nil
}

// parsePhase reads a phase's field name or its name in either language.
func parsePhase(name string) (planner.Phase, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, phase := range []planner.Phase{planner.Recruiting, planner.Notice, planner.Onboarding} {
		if name == phase.String() {
			return phase, true
		}
		for _, l := range Langs {
			if name == strings.ToLower(l.Text("phase."+phase.String())) {
				return phase, true
			}
		}
	}
	return 0, false
}
