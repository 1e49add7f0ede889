package workbook

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
)

// TestRiskSheet writes the uncertain demo with its risk run and reads the
// Risk sheet back: the chances are numbers formatted as percentages, the
// percentile dates are dates, in both languages.
func TestRiskSheet(t *testing.T) {
	s, plan := planOf(t, data.DemoUncertain)
	risk, err := s.Risk(context.Background(), planner.RiskOptions{Trials: 500, Seed: 3, Confidence: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang   locale.Lang
		sheet  string
		sheets []string
	}{
		{locale.English, "Risk", []string{"Gantt", "Summary", "Budget", "Flags", "Assumptions", "Risk"}},
		{locale.German, "Risiko", []string{"Zeitplan", "Übersicht", "Haushalt", "Hinweise", "Annahmen", "Risiko"}},
	} {
		t.Run(string(tt.lang), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, plan, Options{Lang: tt.lang, Scenario: s, Exported: exportDate, Risk: risk}); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); !slicesEqual(got, tt.sheets) {
				t.Fatalf("got sheets %q, want %q", got, tt.sheets)
			}
			// Rows: title, trials, seed, decision, all safe, FTE-months,
			// own share, blank, heading (9), then one row per post.
			if got := raw(t, f, tt.sheet, "B2"); got != "500" {
				t.Errorf("trials cell = %q, want 500", got)
			}
			if kind(t, f, tt.sheet, "B4") != "n" {
				t.Errorf("the decision date is not a number (an Excel date)")
			}
			for col, want := range []planner.Decimal{risk.Summary.OwnShareP10, risk.Summary.OwnShareP50, risk.Summary.OwnShareP90} {
				ref := cell(2+col, 7)
				if got := raw(t, f, tt.sheet, ref); !sameAmount(got, want.String()) || want.Units == 0 {
					t.Errorf("%s: own share %q, want %s", ref, got, want)
				}
				if st := styleOf(t, f, tt.sheet, ref); st.CustomNumFmt == nil || !strings.Contains(*st.CustomNumFmt, "#,##0.00") {
					t.Errorf("%s: number format %v, want euros", ref, st.CustomNumFmt)
				}
			}
			for i, p := range risk.Positions {
				row := 10 + i
				if got := raw(t, f, tt.sheet, cell(1, row)); got != postName(&plan.Positions[i]) {
					t.Errorf("row %d: post %q, want %q", row, got, postName(&plan.Positions[i]))
				}
				for col, want := range map[int]float64{3: p.PProductiveByEnd, 4: p.PMeetsMinProductive} {
					ref := cell(col, row)
					if kind(t, f, tt.sheet, ref) != "n" {
						t.Errorf("%s: a chance stored as %s, want a number", ref, kind(t, f, tt.sheet, ref))
					}
					if got := raw(t, f, tt.sheet, ref); got != strconv.FormatFloat(want, 'f', -1, 64) {
						t.Errorf("%s = %s, want %v", ref, got, want)
					}
					if st := styleOf(t, f, tt.sheet, ref); st.CustomNumFmt == nil || !strings.HasSuffix(*st.CustomNumFmt, "]0.00%") {
						t.Errorf("%s: number format %v, want 0.00%% in the workbook's language", ref, st.CustomNumFmt)
					}
				}
				for col := 5; col <= 7; col++ {
					if kind(t, f, tt.sheet, cell(col, row)) != "n" {
						t.Errorf("%s: a percentile date that is not an Excel date", cell(col, row))
					}
				}
			}
		})
	}
	var buf bytes.Buffer
	wrong := *risk
	wrong.Positions = wrong.Positions[:3]
	if err := Write(&buf, plan, Options{Risk: &wrong, Exported: exportDate}); err == nil {
		t.Error("a risk run of another scenario was written without an error")
	}
}
