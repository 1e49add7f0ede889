package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"grantplan/planner"
)

// TestGanttCenturies: periods may be 120,000 years long; the charts then
// thin their grid to a bounded number of lines instead of one a month.
func TestGanttCenturies(t *testing.T) {
	body := []byte(`{"name": "absurd", "start": "2022-01-01", "min_productive": "P0D",
		"funding": [{"id": "f", "start": "2022-01-01", "end": "2022-12-31"}],
		"positions": [{"id": "a", "recruiting": "P120000Y", "notice": "P120000M", "onboarding": "P120000W", "monthly_cost": 1}]}`)
	pc := newPageClient(t)
	if _, err := pc.store.Create(context.Background(), "absurd", "absurd", body); err != nil {
		t.Fatal(err)
	}
	rec := pc.get("/scenarios/absurd")
	wantPage(t, "absurd", rec, http.StatusOK, "absurd")
	if n := rec.Body.Len(); n > 200<<10 {
		t.Errorf("the page is %d KB, want under 200 KB", n>>10)
	}
	if lines := strings.Count(rec.Body.String(), "<line"); lines > 4*maxYearTicks+50 {
		t.Errorf("the page draws %d lines, want a bounded grid", lines)
	}
}

func TestYearTicks(t *testing.T) {
	tests := []struct {
		from, to string
		want     []string
	}{
		{"2022-01-01", "2024-06-30", []string{"2022", "2023", "2024"}},
		{"2021-10-01", "2023-12-31", []string{"2022", "2023"}},
		{"1900-03-01", "2199-12-31", []string{"1901", "1909", "1917"}}, // every 8th of 300 years
	}
	for _, tt := range tests {
		tl := newTimeline(planner.MustParseDate(tt.from), planner.MustParseDate(tt.to), 0, 1000)
		ticks := yearTicks(tl)
		if len(ticks) > maxYearTicks {
			t.Errorf("%s–%s: %d ticks, want at most %d", tt.from, tt.to, len(ticks), maxYearTicks)
		}
		for i, want := range tt.want {
			if i >= len(ticks) || ticks[i].Label != want {
				t.Errorf("%s–%s: ticks %v, want them to begin %v", tt.from, tt.to, ticks, tt.want)
				break
			}
		}
	}
}
