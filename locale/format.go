package locale

import (
	"strconv"
	"strings"

	"github.com/rickb777/date/v2"

	"grantplan/planner"
)

// Date writes d: 2022-12-31 in English (ISO, as the documents do),
// 31.12.2022 in German.
func (l Lang) Date(d date.Date) string {
	if l != German {
		return d.String()
	}
	y, m, day := d.Date()
	b := make([]byte, 0, 10)
	b = appendTwoDigits(b, day)
	b = append(b, '.')
	b = appendTwoDigits(b, int(m))
	b = append(b, '.')
	if y >= 0 && y < 1000 {
		b = append(b, "000"[:4-len(strconv.Itoa(y))]...)
	}
	b = strconv.AppendInt(b, int64(y), 10)
	return string(b)
}

func appendTwoDigits(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

// Number writes d with grouped thousands and all its places: 174,166.67
// in English, 174.166,67 in German.
func (l Lang) Number(d planner.Decimal) string {
	group, point := ",", "."
	if l == German {
		group, point = ".", ","
	}
	s := d.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, fraction, _ := strings.Cut(s, ".")
	var b strings.Builder
	b.Grow(len(s) + len(s)/3 + 1)
	b.WriteString(sign)
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	if fraction != "" {
		b.WriteString(point)
		b.WriteString(fraction)
	}
	return b.String()
}

// Money writes an amount in euros: "174,166.67 EUR", "174.166,67 €".
func (l Lang) Money(d planner.Decimal) string {
	return l.Number(d) + l.Text("unit.currency")
}

// A Unit is a unit of time that Count writes.
type Unit string

// The units.
const (
	Day   Unit = "day"
	Week  Unit = "week"
	Month Unit = "month"
	Year  Unit = "year"
)

// Count writes n with its unit in singular or plural: "1 day", "3 Tage".
func (l Lang) Count(n int, unit Unit) string {
	return l.Plural("unit."+string(unit), n)
}

// Period writes p in words: "1 year 3 months", "2 Wochen"; "0 days" when
// it is zero.
func (l Lang) Period(p planner.Period) string {
	var parts []string
	for _, part := range []struct {
		n    int
		unit Unit
	}{{p.Years, Year}, {p.Months, Month}, {p.Weeks, Week}, {p.Days, Day}} {
		if part.n != 0 {
			parts = append(parts, l.Count(part.n, part.unit))
		}
	}
	if len(parts) == 0 {
		return l.Count(0, Day)
	}
	return strings.Join(parts, " ")
}

// Percent writes a share (0.837) as a percentage with one place: "83.7 %"
// in English, "83,7 %" in German.
func (l Lang) Percent(share float64) string {
	s := strconv.FormatFloat(100*share, 'f', 1, 64)
	if l == German {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " %"
}
