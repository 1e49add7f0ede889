package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"
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
	// At most 40 year lines (the chart's maxYearTicks) per chart, a few charts.
	if lines := strings.Count(rec.Body.String(), "<line"); lines > 4*40+50 {
		t.Errorf("the page draws %d lines, want a bounded grid", lines)
	}
}
