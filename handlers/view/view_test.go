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

// planOf decodes and plans a scenario.
func planOf(t testing.TB, scenario []byte) (*planner.Scenario, *planner.Plan) {
	t.Helper()
	s, err := planner.Decode(scenario)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s, plan
}

// TestGanttGolden renders the demo's Gantt chart and compares it with
// testdata/demo-gantt.svg.html.
func TestGanttGolden(t *testing.T) {
	_, plan := planOf(t, data.Demo)
	var b strings.Builder
	partials := template.Must(template.New("partials.html").Funcs(templates.Funcs).ParseFS(templates.FS, "partials.html"))
	if err := partials.ExecuteTemplate(&b, "gantt", newGantt(plan, locale.English, "g0-", NewAxis(locale.English, plan))); err != nil {
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
	_, plan := planOf(t, data.Demo)
	g := newGantt(plan, locale.German, "x-", NewAxis(locale.German, plan))
	if len(g.Rows) != 10 || g.Compact {
		t.Fatalf("got %d rows (compact %v), want 10 full rows", len(g.Rows), g.Compact)
	}
	// Every bar of a row follows the one before it, inside the chart.
	for _, row := range g.Rows {
		last := g.LabelWidth
		for _, bar := range row.Bars {
			if bar.X < last-0.11 || bar.X+bar.W > g.ChartRight+0.5 {
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
	// No name of the demo is shortened: the label column takes their width.
	for i, row := range g.Rows {
		if name := positionName(&plan.Positions[i]); row.Label != name {
			t.Errorf("row %d: got label %q, want the whole name %q", i, row.Label, name)
		}
	}
	if len(g.Lines) != 2 || len(g.Lines[1].Texts) != 1 || g.Lines[1].Texts[0].Text != "Förderende 31.12.2022: KIM Baustein 1: strategische Steuerung, KIM Baustein 2: Case Management" {
		t.Errorf("got lines %+v", g.Lines)
	}
	if g.Rows[0].Bars[0].Title != "KIM-Gesamtkoordination (E 12): Personalsuche vom 01.10.2021 bis 01.02.2022" {
		t.Errorf("got title %q", g.Rows[0].Bars[0].Title)
	}
}

// TestSharedAxis: charts of plans to be compared share one axis, so that
// the same day is at the same x in each, one above the other.
func TestSharedAxis(t *testing.T) {
	_, before := planOf(t, data.Demo)
	extended := strings.Replace(string(data.Demo), `"end": "2022-12-31"`, `"end": "2023-12-31"`, 2)
	_, after := planOf(t, []byte(extended))
	axis := NewAxis(locale.English, before, after)
	g1 := NewCharts(before, locale.English, "g0-", axis)
	g2 := NewCharts(after, locale.English, "g1-", axis)
	if g1.Gantt.LabelWidth != g2.Gantt.LabelWidth || g1.Gantt.ChartRight != g2.Gantt.ChartRight || g1.Gantt.Width != g2.Gantt.Width {
		t.Fatalf("the charts' axes differ: %v–%v and %v–%v", g1.Gantt.LabelWidth, g1.Gantt.ChartRight, g2.Gantt.LabelWidth, g2.Gantt.ChartRight)
	}
	if g1.Gantt.Rows[0].Bars[0].X != g2.Gantt.Rows[0].Bars[0].X {
		t.Errorf("the first bar starts at %v and %v", g1.Gantt.Rows[0].Bars[0].X, g2.Gantt.Rows[0].Bars[0].X)
	}
	if g1.FTE.Left != g1.Gantt.LabelWidth || g2.FTE.Right != g2.Gantt.ChartRight {
		t.Errorf("the FTE chart's axis %v–%v is not the Gantt's", g1.FTE.Left, g1.FTE.Right)
	}
}
