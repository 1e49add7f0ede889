package planner

import (
	"time"

	"github.com/rickb777/date/v2"
)

// The range of dates a scenario may contain (docs/scenario.md, A scenario).
var (
	MinDate = date.New(1900, time.January, 1)
	MaxDate = date.New(2199, time.December, 31)
)

// ParseDate parses a YYYY-MM-DD date and checks that it is a real calendar
// day between MinDate and MaxDate. Its error is an *InputError.
func ParseDate(s string) (date.Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, inputError(ProblemNotDate, s)
	}
	var ymd [3]int
	for i, field := range []string{s[0:4], s[5:7], s[8:10]} {
		for _, c := range field {
			if c < '0' || c > '9' {
				return 0, inputError(ProblemNotDate, s)
			}
			ymd[i] = ymd[i]*10 + int(c-'0')
		}
	}
	return DateOf(s, ymd[0], time.Month(ymd[1]), ymd[2])
}

// DateOf returns the date year-month-day, which text (as the user wrote
// it) names, checking that it is a real calendar day between MinDate and
// MaxDate. Its error is an *InputError quoting text.
func DateOf(text string, year int, month time.Month, day int) (date.Date, error) {
	if month < time.January || month > time.December || day < 1 || day > daysIn(year, month) {
		return 0, inputError(ProblemNotCalendarDay, text)
	}
	d := fromCivil(year, month, day)
	if d < MinDate || d > MaxDate {
		return 0, inputError(ProblemDateOutOfRange, text, MinDate, MaxDate)
	}
	return d, nil
}

// MustParseDate is ParseDate for literals known to be valid.
func MustParseDate(s string) date.Date {
	d, err := ParseDate(s)
	if err != nil {
		panic("planner: " + err.Error())
	}
	return d
}

// daysIn returns the number of days of a month.
func daysIn(year int, month time.Month) int {
	switch month {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// addMonths moves d by n calendar months, keeping the day of the month and
// clamping it to the target month's last day (BGB §188(3)). date.AddDate
// normalises instead (Oct 31 + 1 month = Dec 1), so it is not used here.
func addMonths(d date.Date, n int) date.Date {
	if n == 0 {
		return d
	}
	if i, ok := monthOf(d); ok && i+n >= 0 && i+n < tableMonths {
		target := i + n
		length := monthStarts[target+1] - monthStarts[target]
		return monthStarts[target] + min(d-monthStarts[i], length-1)
	}
	year, month, day := civil(d)
	index := year*12 + int(month-1) + n
	year, month = floorDiv(index, 12), time.Month(floorMod(index, 12)+1)
	return fromCivil(year, month, min(day, daysIn(year, month)))
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - b*floorDiv(a, b) }

// Alignment is the rule for the day a new hire may start (start_on).
type Alignment uint8

// The alignments of start_on (docs/scenario.md, The schedule).
const (
	AlignAny Alignment = iota
	AlignMonthStart
	AlignQuarterStart
)

var alignmentNames = [...]string{"any", "month_start", "quarter_start"}

func (a Alignment) String() string { return alignmentNames[a] }

func parseAlignment(s string) (Alignment, bool) {
	for i, name := range alignmentNames {
		if s == name {
			return Alignment(i), true
		}
	}
	return 0, false
}

// align returns the first day on or after d that a is satisfied by.
func (a Alignment) align(d date.Date) date.Date {
	if a == AlignAny {
		return d
	}
	if i, ok := monthOf(d); ok && i+3 < tableMonths {
		if a == AlignMonthStart {
			if d == monthStarts[i] {
				return d
			}
			return monthStarts[i+1]
		}
		quarter := i - i%3 // the table starts in January
		if d == monthStarts[quarter] {
			return d
		}
		return monthStarts[quarter+3]
	}
	year, month, day := civil(d)
	if day == 1 && (a == AlignMonthStart || (month-1)%3 == 0) {
		return d
	}
	next := month + 1
	if a == AlignQuarterStart {
		next = month + 3 - (month-1)%3
	}
	if next > time.December {
		year, next = year+1, next-12
	}
	return fromCivil(year, next, 1)
}

// monthsDenominator is the least common multiple of 28, 29, 30 and 31, so a
// day of any month is a whole number of 1/monthsDenominator months.
const monthsDenominator = 28 * 29 * 15 * 31

// monthsBetween returns the months of [a, b] (docs/scenario.md, Months
// and money) as a whole number of
// 1/monthsDenominator months: for each calendar month the range [a, b]
// touches, the days of the range in it over the days of the month.
func monthsBetween(a, b date.Date) int64 {
	if a > b {
		return 0
	}
	if first, ok := monthOf(a); ok {
		if last, ok := monthOf(b); ok {
			perDay := func(month int) int64 {
				return monthsDenominator / int64(monthStarts[month+1]-monthStarts[month])
			}
			if first == last {
				return int64(b-a+1) * perDay(first)
			}
			return int64(monthStarts[first+1]-a)*perDay(first) +
				int64(last-first-1)*monthsDenominator +
				int64(b-monthStarts[last]+1)*perDay(last)
		}
	}
	var total int64
	year, month, day := civil(a)
	for {
		length := daysIn(year, month)
		monthEnd := a + date.Date(length-day)
		last := min(monthEnd, b)
		total += int64(last-a+1) * (monthsDenominator / int64(length))
		if last == b {
			return total
		}
		a, day = last+1, 1
		if month == time.December {
			year, month = year+1, time.January
		} else {
			month++
		}
	}
}

// monthsDecimal rounds a month count over monthsDenominator to 2 places.
func monthsDecimal(months int64) Decimal {
	return Decimal{Units: roundInt(months*100, monthsDenominator), Places: 2}
}
