package planner

import (
	"time"

	"github.com/rickb777/date/v2"
)

// The scheduler converts between day numbers and calendar dates millions
// of times in a search; date.Date's own conversions go through time.Time,
// so these use Howard Hinnant's integer algorithms ("chrono-compatible
// low-level date algorithms") on date.Date's day numbering instead.

// unixOffset is date.Date's day number of 1970-01-01.
const unixOffset = date.ZeroOffset

// civil returns the year, month and day of d.
func civil(d date.Date) (year int, month time.Month, day int) {
	z := int64(d) - unixOffset + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	dayOfEra := z - era*146097
	yearOfEra := (dayOfEra - dayOfEra/1460 + dayOfEra/36524 - dayOfEra/146096) / 365
	dayOfYear := dayOfEra - (365*yearOfEra + yearOfEra/4 - yearOfEra/100)
	shifted := (5*dayOfYear + 2) / 153 // months from March
	day = int(dayOfYear - (153*shifted+2)/5 + 1)
	month = time.Month(shifted + 3)
	if shifted >= 10 {
		month = time.Month(shifted - 9)
	}
	year = int(yearOfEra + era*400)
	if month <= time.February {
		year++
	}
	return year, month, day
}

// fromCivil returns the day number of a valid calendar date.
func fromCivil(year int, month time.Month, day int) date.Date {
	y := int64(year)
	if month <= time.February {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yearOfEra := y - era*400
	m := int64(month)
	if m > 2 {
		m -= 3
	} else {
		m += 9
	}
	dayOfYear := (153*m+2)/5 + int64(day) - 1
	dayOfEra := yearOfEra*365 + yearOfEra/4 - yearOfEra/100 + dayOfYear
	return date.Date(era*146097 + dayOfEra - 719468 + unixOffset)
}

// The schedule's month arithmetic runs on a table of the first day of
// every month from tableFirstYear on: finding a date's month is then an
// estimate and a step, and adding months two lookups. Dates outside the
// table fall back to civil and fromCivil.
const (
	tableFirstYear = 1800
	tableMonths    = 800 * 12
)

// monthStarts[i] is the day number of the first day of month i, counted
// from January tableFirstYear; the last entry closes the final month.
var monthStarts = func() []date.Date {
	starts := make([]date.Date, tableMonths+1)
	for i := range starts {
		starts[i] = fromCivil(tableFirstYear+i/12, time.Month(i%12+1), 1)
	}
	return starts
}()

// monthOf returns the table index of d's month, or false if d is outside
// the table.
func monthOf(d date.Date) (int, bool) {
	first := monthStarts[0]
	if d < first || d >= monthStarts[tableMonths] {
		return 0, false
	}
	// 146097 days make 4800 months; the estimate is off by at most one.
	i := int(int64(d-first) * 4800 / 146097)
	for monthStarts[i] > d {
		i--
	}
	for monthStarts[i+1] <= d {
		i++
	}
	return i, true
}
