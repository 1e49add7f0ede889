package locale

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/rickb777/date/v2"

	"grantplan/planner"
)

// Date writes d: 2022-12-31 in English (ISO, as the documents do),
// 31.12.2022 in German.
func (l Lang) Date(d date.Date) string {
	return string(l.appendDate(make([]byte, 0, 10), d))
}

func (l Lang) appendDate(b []byte, d date.Date) []byte {
	y, m, day := d.Date()
	if l != German {
		if y < 0 || y > 9999 {
			return append(b, d.String()...) // the expanded form, +10000-01-01
		}
		b = appendFourDigits(b, y)
		b = append(b, '-')
		b = appendTwoDigits(b, int(m))
		b = append(b, '-')
		return appendTwoDigits(b, day)
	}
	b = appendTwoDigits(b, day)
	b = append(b, '.')
	b = appendTwoDigits(b, int(m))
	b = append(b, '.')
	if y >= 0 && y < 1000 {
		b = append(b, "000"[:4-len(strconv.Itoa(y))]...)
	}
	return strconv.AppendInt(b, int64(y), 10)
}

func appendTwoDigits(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

// appendFourDigits appends 0 ≤ n ≤ 9999 with leading zeros.
func appendFourDigits(b []byte, n int) []byte {
	return append(b, byte('0'+n/1000), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
}

// Number writes d with grouped thousands and all its places: 174,166.67
// in English, 174.166,67 in German.
func (l Lang) Number(d planner.Decimal) string {
	return string(l.appendNumber(make([]byte, 0, 24), d))
}

func (l Lang) appendNumber(b []byte, d planner.Decimal) []byte {
	group, point := byte(','), byte('.')
	if l == German {
		group, point = '.', ','
	}
	var digits [24]byte
	s := d.Append(digits[:0])
	if len(s) > 0 && s[0] == '-' {
		b = append(b, '-')
		s = s[1:]
	}
	whole, fraction := s, []byte(nil)
	if i := bytes.IndexByte(s, '.'); i >= 0 {
		whole, fraction = s[:i], s[i+1:]
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b = append(b, group)
		}
		b = append(b, c)
	}
	if len(fraction) > 0 {
		b = append(b, point)
		b = append(b, fraction...)
	}
	return b
}

// Money writes an amount in euros: "174,166.67 EUR", "174.166,67 €".
func (l Lang) Money(d planner.Decimal) string {
	return string(l.appendMoney(make([]byte, 0, 32), d))
}

func (l Lang) appendMoney(b []byte, d planner.Decimal) []byte {
	return append(l.appendNumber(b, d), l.Text("unit.currency")...)
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

// appendCount appends Count(n, unit). The units' texts are a number and a
// word ("%d days"), which it writes without fmt; any other text goes
// through Plural.
func (l Lang) appendCount(b []byte, n int, unit Unit) []byte {
	ids := unitIDs[unit]
	id := ids.other
	if n == 1 {
		id = ids.one
	}
	text := l.Text(id)
	if rest, ok := strings.CutPrefix(text, "%d"); ok && !strings.Contains(rest, "%") && ids.one != "" {
		return append(strconv.AppendInt(b, int64(n), 10), rest...)
	}
	return append(b, l.Count(n, unit)...)
}

// unitIDs are the message ids of each unit's two forms.
var unitIDs = map[Unit]struct{ one, other string }{
	Day: {"unit.day.one", "unit.day.other"}, Week: {"unit.week.one", "unit.week.other"},
	Month: {"unit.month.one", "unit.month.other"}, Year: {"unit.year.one", "unit.year.other"},
}

// Period writes p in words: "1 year 3 months", "2 Wochen"; "0 days" when
// it is zero.
func (l Lang) Period(p planner.Period) string {
	return string(l.appendPeriod(nil, p))
}

func (l Lang) appendPeriod(b []byte, p planner.Period) []byte {
	first := true
	for _, part := range [...]struct {
		n    int
		unit Unit
	}{{p.Years, Year}, {p.Months, Month}, {p.Weeks, Week}, {p.Days, Day}} {
		if part.n != 0 {
			if !first {
				b = append(b, ' ')
			}
			first = false
			b = l.appendCount(b, part.n, part.unit)
		}
	}
	if first {
		return l.appendCount(b, 0, Day)
	}
	return b
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
