package planner

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRankFinder: the dates of every rank asked for agree with sorting
// all the dates, for dates close together, spread over a window's width,
// over centuries and over a billion years, with outliers few enough for
// the spill and too many for it, in any order of arrival; and the finder
// needs few replays.
func TestRankFinder(t *testing.T) {
	const n = 3000
	rng := rand.New(rand.NewPCG(5, 6))
	shapes := []struct {
		name string
		date func(i int) Date
	}{
		{"one day", func(int) Date { return 700000 }},
		{"a year", func(int) Date { return 700000 + Date(rng.IntN(365)) }},
		{"a window and a bit", func(int) Date { return 700000 + Date(rng.IntN(maxWindowDays+300)) }},
		{"centuries", func(int) Date { return 700000 + Date(rng.IntN(100*365)) }},
		{"a billion years", func(int) Date { return Date(rng.Int64N(1<<40)) - 1<<39 }},
		{"few outliers", func(i int) Date {
			if i%100 == 7 {
				return 700000 + Date(rng.IntN(1<<30))
			}
			return 700000 + Date(rng.IntN(90))
		}},
		{"many outliers on both sides", func(i int) Date {
			switch i % 5 {
			case 0:
				return 700000 - 20000 - Date(rng.IntN(1<<25))
			case 1:
				return 700000 + 20000 + Date(rng.IntN(1<<25))
			}
			return 700000 + Date(rng.IntN(200))
		}},
		{"two clusters", func(i int) Date { return 700000 + Date(i%2)*50000 + Date(rng.IntN(30)) }},
	}
	ranks := []int{1, 2, nearestRank(1, n), nearestRank(5, n), nearestRank(9, n), n - 1, n}
	for _, shape := range shapes {
		for _, order := range []string{"as drawn", "ascending", "descending"} {
			t.Run(fmt.Sprintf("%s/%s", shape.name, order), func(t *testing.T) {
				// Three positions with dates of the same shape.
				dates := make([][]Date, 3)
				for p := range dates {
					for i := range n {
						dates[p] = append(dates[p], shape.date(i))
					}
					switch order {
					case "ascending":
						slices.Sort(dates[p])
					case "descending":
						slices.Sort(dates[p])
						slices.Reverse(dates[p])
					}
				}
				f := newRankFinder(len(dates), ranks)
				for i := range n {
					for p := range dates {
						f.add(p, dates[p][i])
					}
				}
				replays := 0
				for f.settle() {
					replays++
					for i := range n {
						for p := range dates {
							if f.wanted(p) {
								f.feed(p, dates[p][i])
							}
						}
					}
				}
				if replays > 7 {
					t.Errorf("%d replays", replays)
				}
				for p := range dates {
					sorted := slices.Sorted(slices.Values(dates[p]))
					for j, k := range ranks {
						if got := f.answer(p, j); got != sorted[k-1] {
							t.Errorf("position %d: rank %d = %d, want %d (%d replays)", p, k, got, sorted[k-1], replays)
						}
					}
				}
			})
		}
	}
}
