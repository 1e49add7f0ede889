package planner

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rickb777/date/v2"
)

// A Period is a calendar length of time: years, months, weeks and days,
// each a whole non-negative number (docs/scenario.md, Dates and periods).
//
// rickb777/period's Period is deliberately not used here: it admits
// fractions, negative parts and time parts that a scenario must refuse, and
// its decimal fields would slow down the scheduler's hot path.
type Period struct {
	Years, Months, Weeks, Days int
}

// maxPeriodPart bounds each part of a period so that no arithmetic on it
// can overflow; ten thousand years is far beyond any hiring phase.
const maxPeriodPart = 120000

// MaxPeriodPart is the most each part of a period may be.
const MaxPeriodPart = maxPeriodPart

// ParsePeriod parses an ISO 8601 period with only Y, M, W and D parts, in
// that order, each a whole non-negative number: P3M, P1Y2M, P6W, P2M2W, P0D.
// Its error is an *InputError.
func ParsePeriod(s string) (Period, error) {
	rest, ok := strings.CutPrefix(s, "P")
	if !ok || rest == "" {
		return Period{}, inputError(ProblemNotPeriod, s)
	}
	var parts [4]int // years, months, weeks and days
	next := 0
	for rest != "" {
		digits := 0
		for digits < len(rest) && rest[digits] >= '0' && rest[digits] <= '9' {
			digits++
		}
		if digits == 0 || digits == len(rest) {
			return Period{}, inputError(ProblemNotPeriod, s)
		}
		designator := rest[digits]
		for next < len(parts) && periodDesignators[next] != designator {
			next++
		}
		if next == len(parts) {
			return Period{}, inputError(ProblemNotPeriod, s)
		}
		n, err := strconv.Atoi(rest[:digits])
		if err != nil || n > maxPeriodPart {
			return Period{}, inputError(ProblemPeriodTooLarge, s, rest[:digits+1])
		}
		parts[next] = n
		next++
		rest = rest[digits+1:]
	}
	return Period{Years: parts[0], Months: parts[1], Weeks: parts[2], Days: parts[3]}, nil
}

// periodDesignators are the letters of a period's parts, in their order.
const periodDesignators = "YMWD"

// MustParsePeriod is ParsePeriod for literals known to be valid.
func MustParsePeriod(s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		panic(fmt.Sprintf("planner: MustParsePeriod(%q): %v", s, err))
	}
	return p
}

// String formats p in the form ParsePeriod reads; the zero period is "P0D".
func (p Period) String() string {
	if p == (Period{}) {
		return "P0D"
	}
	var b strings.Builder
	b.WriteByte('P')
	for _, part := range []struct {
		value      int
		designator byte
	}{{p.Years, 'Y'}, {p.Months, 'M'}, {p.Weeks, 'W'}, {p.Days, 'D'}} {
		if part.value != 0 {
			b.WriteString(strconv.Itoa(part.value))
			b.WriteByte(part.designator)
		}
	}
	return b.String()
}

// IsZero reports whether p is P0D.
func (p Period) IsZero() bool { return p == Period{} }

func (p Period) totalMonths() int { return 12*p.Years + p.Months }
func (p Period) totalDays() int   { return 7*p.Weeks + p.Days }

// AddTo returns d ⊕ p: the months first, keeping the day of the month and
// taking the last day where the target month is shorter (BGB §188(3)), then
// the weeks and days.
func (p Period) AddTo(d date.Date) date.Date {
	return addMonths(d, p.totalMonths()) + date.Date(p.totalDays())
}

// SubtractFrom returns d ⊖ p: the months first, clamped like AddTo, then
// the weeks and days.
func (p Period) SubtractFrom(d date.Date) date.Date {
	return addMonths(d, -p.totalMonths()) - date.Date(p.totalDays())
}

// DaysFrom returns days(p) at d: (d ⊕ p) − d.
func (p Period) DaysFrom(d date.Date) int {
	return int(p.AddTo(d) - d)
}

// daysFrom3 returns days(p1), days(p2) and days(p3) at d, looking up d's
// month once for all three: a ranged phase's draw needs all three.
func daysFrom3(d date.Date, p1, p2, p3 *Period) (int, int, int) {
	i, ok := monthOf(d)
	if !ok {
		return p1.DaysFrom(d), p2.DaysFrom(d), p3.DaysFrom(d)
	}
	return daysInMonths(d, i, p1), daysInMonths(d, i, p2), daysInMonths(d, i, p3)
}

// daysInMonths is p.DaysFrom(d) for d in the table's month i: addMonths'
// arithmetic without the lookup.
func daysInMonths(d date.Date, i int, p *Period) int {
	n := p.totalMonths()
	if n == 0 {
		return p.totalDays()
	}
	target := i + n
	if target >= tableMonths {
		return p.DaysFrom(d)
	}
	length := monthStarts[target+1] - monthStarts[target]
	return int(monthStarts[target]+min(d-monthStarts[i], length-1)-d) + p.totalDays()
}

// minDays is the fewest days p can span from any date: a calendar month
// has at least 28 days, and clamping to a shorter month never makes n
// months shorter than 28·n days (the first month of the span is at least
// as long as the day it starts on).
func (p Period) minDays() int64 {
	return 28*int64(p.totalMonths()) + int64(p.totalDays())
}
