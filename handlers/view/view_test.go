package view

import (
	"context"
	"flag"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestYearTicks: a long axis labels every year, or every k-th of at
// most maxYearTicks.
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

// TestGanttGolden renders the demo's Gantt chart and compares it with
// testdata/demo-gantt.svg.
func TestGanttGolden(t *testing.T) {
	s, err := planner.Decode(data.Demo)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	from, to := PlanSpan(plan)
	var b strings.Builder
	partials := template.Must(template.New("partials.html").Funcs(templates.Funcs).ParseFS(templates.FS, "partials.html"))
	if err := partials.ExecuteTemplate(&b, "gantt", newGantt(plan, locale.English, "g0-", from, to)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "demo-gantt.svg.html")
	if *update {
		_ = os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("the demo's Gantt chart differs from %s (go test -update rewrites it)", path)
	}
}

func TestGantt(t *testing.T) {
	s, _ := planner.Decode(data.Demo)
	plan, _ := s.Plan(context.Background())
	from, to := PlanSpan(plan)
	g := newGantt(plan, locale.German, "x-", from, to)
	if len(g.Rows) != 10 || g.Compact {
		t.Fatalf("got %d rows (compact %v), want 10 full rows", len(g.Rows), g.Compact)
	}
	// Every bar of a row follows the one before it, inside the chart.
	for _, row := range g.Rows {
		last := float64(ganttLabelWidth)
		for _, bar := range row.Bars {
			if bar.X < last-0.11 || bar.X+bar.W > float64(g.ChartRight)+0.5 {
				t.Errorf("%s: bar %s at %v+%v, after %v", row.Anchor, bar.Phase, bar.X, bar.W, last)
			}
			last = bar.X + bar.W
		}
	}
	wantPhases := "recruiting notice onboarding productive"
	var got []string
	for _, bar := range g.Rows[0].Bars {
		got = append(got, bar.Phase)
	}
	if strings.Join(got, " ") != wantPhases {
		t.Errorf("got phases %v, want %s", got, wantPhases)
	}
	if g.Rows[4].Severity != "critical" || g.Rows[4].Marker != "Kritisch" || g.Rows[4].Bars[0].Phase != "waiting" {
		t.Errorf("got row 4 %+v", g.Rows[4])
	}
	if len(g.Lines) != 2 || g.Lines[1].Label != "Förderende 31.12.2022: KIM Baustein 1: strategische Steuerung, KIM Baustein 2: Case Management" {
		t.Errorf("got lines %+v", g.Lines)
	}
	if g.Rows[0].Bars[0].Title != "KIM-Gesamtkoordination (E 12): Personalsuche vom 01.10.2021 bis 01.02.2022" {
		t.Errorf("got title %q", g.Rows[0].Bars[0].Title)
	}
}
