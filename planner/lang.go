package planner

import (
	"fmt"
	"strings"

	"github.com/rickb777/date/v2"
)

// A Lang is a language for the texts people read: flag messages, dates,
// amounts. The JSON documents stay in English with ISO dates whatever the
// language; the workbook and the web pages render in either.
type Lang string

// The languages.
const (
	English Lang = "en"
	German  Lang = "de"
)

// Langs lists the languages, English first.
var Langs = []Lang{English, German}

// ParseLang reads "en" or "de" (any case, a region like "de-DE" allowed).
func ParseLang(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if base, _, ok := strings.Cut(s, "-"); ok {
		s = base
	}
	switch Lang(s) {
	case English, German:
		return Lang(s), true
	}
	return "", false
}

// Date formats d: 2022-12-31 in English, 31.12.2022 in German.
func (l Lang) Date(d date.Date) string {
	if l != German {
		return d.String()
	}
	y, m, day := civil(d)
	return fmt.Sprintf("%02d.%02d.%04d", day, int(m), y)
}

// Number formats d with grouped thousands: 174,166.67 in English,
// 174.166,67 in German.
func (l Lang) Number(d Decimal) string {
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

// Money formats an amount in euros: "174,166.67 EUR", "174.166,67 €".
func (l Lang) Money(d Decimal) string {
	if l == German {
		return l.Number(d) + " €"
	}
	return l.Number(d) + " EUR"
}

// Count writes n with a unit word in singular or plural; unit is one of
// "day", "month", "week", "year".
func (l Lang) Count(n int, unit string) string {
	word := unit
	if l == German {
		names := germanUnits[unit]
		word = names[0]
		if n != 1 {
			word = names[1]
		}
	} else if n != 1 {
		word += "s"
	}
	return fmt.Sprintf("%d %s", n, word)
}

var germanUnits = map[string][2]string{
	"day":   {"Tag", "Tage"},
	"week":  {"Woche", "Wochen"},
	"month": {"Monat", "Monate"},
	"year":  {"Jahr", "Jahre"},
}

// Period writes p in words: "1 year 3 months", "2 Wochen"; "0 days" when
// it is zero.
func (l Lang) Period(p Period) string {
	var parts []string
	for _, part := range []struct {
		n    int
		unit string
	}{{p.Years, "year"}, {p.Months, "month"}, {p.Weeks, "week"}, {p.Days, "day"}} {
		if part.n != 0 {
			parts = append(parts, l.Count(part.n, part.unit))
		}
	}
	if len(parts) == 0 {
		return l.Count(0, "day")
	}
	return strings.Join(parts, " ")
}

// Text renders the flag's message in language l. The English text is the
// flag's Message.
func (f Flag) Text(l Lang) string {
	a := &f.args
	if l != German {
		l = English
	}
	days := ""
	if f.Days != nil {
		days = l.Count(*f.Days, "day")
	}
	d := l.Date
	switch f.Code {
	case NotFilledBeforeExpiry:
		if l == German {
			return fmt.Sprintf("%s wird erst am %s besetzt, %s nach dem Ende der Förderung (%s) am %s.",
				a.name, d(a.filled), days, a.source, d(a.end))
		}
		return fmt.Sprintf("%s is filled only on %s, %s after its funding (%s) ends on %s.",
			a.name, d(a.filled), days, a.source, d(a.end))
	case NotProductiveBeforeExpiry:
		if l == German {
			return fmt.Sprintf("%s wird am %s besetzt, ist aber erst am %s produktiv, %s nach dem Ende der Förderung (%s) am %s.",
				a.name, d(a.filled), d(a.productive), days, a.source, d(a.end))
		}
		return fmt.Sprintf("%s is filled on %s but productive only on %s, %s after its funding (%s) ends on %s.",
			a.name, d(a.filled), d(a.productive), days, a.source, d(a.end))
	case ShortProductiveWindow:
		months := l.Number(monthsDecimal(a.months))
		if l == German {
			return fmt.Sprintf("%s ist ab %s produktiv, aber die Förderung (%s) endet am %s: %s Monate produktive Arbeit, %s weniger als die Mindestzeit (%s).",
				a.name, d(a.productive), a.source, d(a.end), months, days, l.Period(a.minimum))
		}
		return fmt.Sprintf("%s is productive from %s, but its funding (%s) ends on %s: %s months of productive work, %s short of the minimum of %s.",
			a.name, d(a.productive), a.source, d(a.end), months, days, l.Period(a.minimum))
	case FilledBeforeFunding:
		if l == German {
			return fmt.Sprintf("%s wird am %s besetzt, %s vor dem Beginn der Förderung (%s) am %s; diese Zeit ist nicht gefördert.",
				a.name, d(a.filled), days, a.source, d(a.start))
		}
		return fmt.Sprintf("%s is filled on %s, %s before its funding (%s) starts on %s; that time is not funded.",
			a.name, d(a.filled), days, a.source, d(a.start))
	case CapacityDelay:
		if l == German {
			return fmt.Sprintf("%s könnte am %s mit der Suche beginnen, doch mit höchstens %d Besetzungsverfahren gleichzeitig beginnt sie am %s, %s später.",
				a.name, d(a.ready), a.capacity, d(a.hiring), days)
		}
		return fmt.Sprintf("%s could start hiring on %s, but with at most %d recruitments at once it starts on %s, %s later.",
			a.name, d(a.ready), a.capacity, d(a.hiring), days)
	case BudgetExceeded:
		if l == German {
			return fmt.Sprintf("Die von %s geförderten Stellen benötigen %s, %s mehr als die Obergrenze von %s.",
				a.source, l.Money(a.need), l.Money(a.overBy), l.Money(a.cap))
		}
		return fmt.Sprintf("The posts funded by %s need %s, %s more than its cap of %s.",
			a.source, l.Money(a.need), l.Money(a.overBy), l.Money(a.cap))
	}
	return f.Message
}
