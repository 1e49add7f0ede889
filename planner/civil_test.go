package planner

import (
	"testing"
	"time"

	"github.com/rickb777/date/v2"
)

// TestCivilMatchesDateLibrary compares the integer conversions with
// rickb777/date's for every day from 1600 to 2600, which covers every
// century rule and far more than a scenario's dates.
func TestCivilMatchesDateLibrary(t *testing.T) {
	first, last := date.New(1600, 1, 1), date.New(2600, 12, 31)
	for d := first; d <= last; d++ {
		year, month, day := d.Date()
		gotYear, gotMonth, gotDay := civil(d)
		if gotYear != year || gotMonth != month || gotDay != day {
			t.Fatalf("civil(%s) = %d-%d-%d, want %d-%d-%d", d, gotYear, gotMonth, gotDay, year, month, day)
		}
		if got := fromCivil(year, month, day); got != d {
			t.Fatalf("fromCivil(%d, %d, %d) = %s, want %s", year, month, day, got, d)
		}
	}
}

// TestMonthTable checks the table-driven month arithmetic against the
// integer algorithm for every day in and around the table's range.
func TestMonthTable(t *testing.T) {
	slowAdd := func(d date.Date, n int) date.Date {
		year, month, day := civil(d)
		index := year*12 + int(month-1) + n
		year, month = floorDiv(index, 12), time.Month(floorMod(index, 12)+1)
		return fromCivil(year, month, min(day, daysIn(year, month)))
	}
	slowAlign := func(a Alignment, d date.Date) date.Date {
		for {
			_, month, day := civil(d)
			if a == AlignAny || day == 1 && (a == AlignMonthStart || (month-1)%3 == 0) {
				return d
			}
			d++
		}
	}
	first, last := date.New(tableFirstYear, 1, 1)-40, date.New(tableFirstYear+800, 1, 1)+40
	for d := first; d <= last; d++ {
		for _, n := range []int{-13, -1, 1, 2, 3, 11, 12, 25, 120} {
			if got, want := addMonths(d, n), slowAdd(d, n); got != want {
				t.Fatalf("addMonths(%s, %d) = %s, want %s", d, n, got, want)
			}
		}
		for _, a := range []Alignment{AlignMonthStart, AlignQuarterStart} {
			if got, want := a.align(d), slowAlign(a, d); got != want {
				t.Fatalf("%s.align(%s) = %s, want %s", a, d, got, want)
			}
		}
	}
}

// TestMonthsBetweenTable checks the table-driven months() against a
// day-by-day sum over ranges in and around the table.
func TestMonthsBetweenTable(t *testing.T) {
	slow := func(a, b date.Date) int64 {
		var total int64
		for d := a; d <= b; d++ {
			year, month, _ := civil(d)
			total += monthsDenominator / int64(daysIn(year, month))
		}
		return total
	}
	edges := []date.Date{
		date.New(tableFirstYear, 1, 1) - 35, date.New(tableFirstYear, 1, 1),
		date.New(2020, 2, 15), date.New(2020, 2, 29), date.New(2021, 1, 31), date.New(2021, 3, 1),
		date.New(2022, 12, 31), date.New(2024, 2, 29), date.New(tableFirstYear+800, 1, 1) + 20,
	}
	for _, a := range edges {
		for _, b := range edges {
			for _, shift := range []date.Date{-1, 0, 1, 17} {
				if got, want := monthsBetween(a, b+shift), slow(a, b+shift); got != want {
					t.Errorf("monthsBetween(%s, %s) = %d, want %d", a, b+shift, got, want)
				}
			}
		}
	}
}
