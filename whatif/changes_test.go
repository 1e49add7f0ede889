package whatif

import (
	"testing"

	"grantplan/planner"
)

func TestScalePeriod(t *testing.T) {
	tests := []struct {
		period  string
		percent int
		want    string
	}{
		{"P4M", 50, "P6M"},
		{"P3M", -50, "P1M15D"},
		{"P4M", 10, "P4M12D"},
		{"P5M", 20, "P6M"},
		{"P6W", 10, "P46D"},
		{"P1Y", 25, "P1Y3M"},
		{"P3M", 0, "P3M"},
		{"P3M", -100, "P0D"},
		{"P1M1D", 50, "P1M17D"}, // 1.5 months = 1 month 15 days, 1.5 days → 2
		{"P2M", 1, "P2M1D"},     // 2.02 months: 0.6 days rounds up
	}
	for _, tt := range tests {
		if got := ScalePeriod(planner.MustParsePeriod(tt.period), tt.percent).String(); got != tt.want {
			t.Errorf("ScalePeriod(%s, %+d %%): got %s, want %s", tt.period, tt.percent, got, tt.want)
		}
	}
}
