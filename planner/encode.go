package planner

import (
	"strconv"
	"unicode/utf8"

	"github.com/rickb777/date/v2"
)

// The plan's parts write their own JSON: through reflection, every date
// and amount took a MarshalText or MarshalJSON call (dates through fmt),
// and encoding a plan cost twice as much as computing it. The output is
// byte for byte what encoding/json writes for the same fields
// (TestEncodingMatchesReflection).

// objectWriter appends the members of one JSON object.
type objectWriter struct {
	b     []byte
	first bool
}

func newObjectWriter(b []byte) *objectWriter {
	return &objectWriter{b: append(b, '{'), first: true}
}

func (o *objectWriter) key(name string) {
	if !o.first {
		o.b = append(o.b, ',')
	}
	o.first = false
	o.b = append(o.b, '"')
	o.b = append(o.b, name...)
	o.b = append(o.b, '"', ':')
}

func (o *objectWriter) str(name, value string) {
	o.key(name)
	o.b = appendJSONString(o.b, value)
}

func (o *objectWriter) optionalStr(name string, value *string) {
	if value == nil {
		o.null(name)
		return
	}
	o.str(name, *value)
}

func (o *objectWriter) null(name string) {
	o.key(name)
	o.b = append(o.b, "null"...)
}

func (o *objectWriter) int(name string, value int) {
	o.key(name)
	o.b = strconv.AppendInt(o.b, int64(value), 10)
}

func (o *objectWriter) optionalInt(name string, value *int) {
	if value == nil {
		o.null(name)
		return
	}
	o.int(name, *value)
}

func (o *objectWriter) float(name string, value float64) {
	o.key(name)
	o.b = appendJSONFloat(o.b, value)
}

func (o *objectWriter) decimal(name string, value Decimal) {
	o.key(name)
	o.b = value.Append(o.b)
}

func (o *objectWriter) optionalDecimal(name string, value *Decimal) {
	if value == nil {
		o.null(name)
		return
	}
	o.decimal(name, *value)
}

func (o *objectWriter) date(name string, value date.Date) {
	o.key(name)
	o.b = appendJSONDate(o.b, value)
}

func (o *objectWriter) optionalDate(name string, value *date.Date) {
	if value == nil {
		o.null(name)
		return
	}
	o.date(name, *value)
}

func (o *objectWriter) end() []byte { return append(o.b, '}') }

// MarshalJSON writes the position's row of the plan.
func (p PositionPlan) MarshalJSON() ([]byte, error) { return p.appendJSON(nil), nil }

func (p *PositionPlan) appendJSON(b []byte) []byte {
	o := newObjectWriter(b)
	o.str("id", p.ID)
	o.optionalStr("title", p.Title)
	o.optionalStr("group", p.Group)
	o.optionalStr("location", p.Location)
	o.float("fte", p.FTE)
	o.str("funding", p.Funding)
	o.str("employment", p.Employment.String())
	o.date("ready", p.Ready)
	o.date("hiring_start", p.HiringStart)
	o.date("recruited", p.Recruited)
	o.date("filled", p.Filled)
	o.date("productive", p.Productive)
	o.date("funding_end", p.FundingEnd)
	o.int("productive_days", p.ProductiveDays)
	o.decimal("productive_months", p.ProductiveMonths)
	o.decimal("funded_cost", p.FundedCost)
	o.decimal("onboarding_cost", p.OnboardingCost)
	o.decimal("total_cost", p.TotalCost)
	o.decimal("own_share", p.OwnShare)
	o.decimal("cost_after_funding", p.CostAfterFunding)
	o.optionalDate("latest_hiring_start", p.LatestHiringStart)
	o.optionalInt("slack_days", p.SlackDays)
	o.key("flags")
	o.b = appendJSONArray(o.b, p.Flags, func(code *Code, b []byte) []byte { return appendJSONString(b, string(*code)) })
	return o.end()
}

// MarshalJSON writes the flag.
func (f Flag) MarshalJSON() ([]byte, error) { return f.appendJSON(nil), nil }

func (f *Flag) appendJSON(b []byte) []byte {
	o := newObjectWriter(b)
	o.str("code", string(f.Code))
	o.str("severity", string(f.Severity))
	if f.Position != "" {
		o.str("position", f.Position)
	}
	if f.Funding != "" {
		o.str("funding", f.Funding)
	}
	o.optionalInt("days", f.Days)
	o.str("message", f.Message)
	return o.end()
}

// MarshalJSON writes the summary.
func (s Summary) MarshalJSON() ([]byte, error) { return s.appendJSON(nil), nil }

func (s *Summary) appendJSON(b []byte) []byte {
	o := newObjectWriter(b)
	o.int("positions", s.Positions)
	o.int("critical", s.Critical)
	o.int("warnings", s.Warnings)
	o.int("infos", s.Infos)
	o.date("last_filled", s.LastFilled)
	o.date("last_productive", s.LastProductive)
	o.decimal("productive_fte_months", s.ProductiveFTEMonths)
	o.decimal("potential_fte_months", s.PotentialFTEMonths)
	o.decimal("utilization", s.Utilization)
	o.decimal("funded_cost", s.FundedCost)
	o.decimal("onboarding_cost", s.OnboardingCost)
	o.decimal("unclaimed", s.Unclaimed)
	o.decimal("total_cost", s.TotalCost)
	o.decimal("own_share", s.OwnShare)
	o.decimal("cost_after_funding", s.CostAfterFunding)
	o.optionalDate("latest_safe_start", s.LatestSafeStart)
	o.key("funding")
	o.b = appendJSONArray(o.b, s.Funding, (*FundingSummary).appendJSON)
	o.key("budget")
	o.b = appendJSONArray(o.b, s.Budget, (*BudgetYear).appendJSON)
	return o.end()
}

// MarshalJSON writes the budget year.
func (y BudgetYear) MarshalJSON() ([]byte, error) { return y.appendJSON(nil), nil }

func (y *BudgetYear) appendJSON(b []byte) []byte {
	o := newObjectWriter(b)
	o.int("year", y.Year)
	o.decimal("cost", y.Cost)
	o.decimal("funded", y.Funded)
	o.decimal("own_share", y.OwnShare)
	o.key("funding")
	o.b = appendJSONArray(o.b, y.Funding, func(f *YearFunding, b []byte) []byte {
		o := newObjectWriter(b)
		o.str("id", f.ID)
		o.decimal("funded", f.Funded)
		return o.end()
	})
	return o.end()
}

// MarshalJSON writes the source's summary.
func (f FundingSummary) MarshalJSON() ([]byte, error) {
	return f.appendJSON(nil), nil
}

func (f *FundingSummary) appendJSON(b []byte) []byte {
	o := newObjectWriter(b)
	o.str("id", f.ID)
	o.str("name", f.Name)
	o.date("start", f.Start)
	o.date("end", f.End)
	o.optionalDecimal("cap", f.Cap)
	o.decimal("need", f.Need)
	o.optionalDecimal("available", f.Available)
	o.optionalDecimal("over_by", f.OverBy)
	o.optionalDecimal("unclaimed", f.Unclaimed)
	return o.end()
}

// appendJSONDate writes "YYYY-MM-DD" (or date.Date's expanded form for a
// year beyond 0–9999).
func appendJSONDate(b []byte, d date.Date) []byte {
	year, month, day := civil(d)
	if year < 0 || year > 9999 {
		return appendJSONString(b, d.String())
	}
	return append(b, '"',
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+month/10), byte('0'+month%10), '-',
		byte('0'+day/10), byte('0'+day%10), '"')
}

// appendJSONFloat writes a float64 as encoding/json does.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := f
	if abs < 0 {
		abs = -abs
	}
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as encoding/json does by default: HTML
// characters, control characters, U+2028 and U+2029 escaped, invalid
// UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// MarshalJSON writes the plan document (docs/scenario.md, The plan
// document). Callers that write the bytes themselves (the API) avoid
// encoding/json's second pass over them.
func (p *Plan) MarshalJSON() ([]byte, error) {
	o := newObjectWriter(make([]byte, 0, 1024+700*len(p.Positions)+200*len(p.Flags)))
	o.str("scenario", p.Scenario)
	o.date("start", p.Start)
	o.key("positions")
	o.b = appendJSONArray(o.b, p.Positions, (*PositionPlan).appendJSON)
	o.key("flags")
	o.b = appendJSONArray(o.b, p.Flags, (*Flag).appendJSON)
	o.key("summary")
	o.b = p.Summary.appendJSON(o.b)
	return o.end(), nil
}

// appendJSONArray writes items as a JSON array, nil as null (as
// encoding/json does).
func appendJSONArray[T any](b []byte, items []T, appendItem func(*T, []byte) []byte) []byte {
	if items == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendItem(&items[i], b)
	}
	return append(b, ']')
}
