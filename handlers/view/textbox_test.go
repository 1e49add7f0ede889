package view

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
)

// A box is where a text of a chart is drawn, computed from the view
// model: its x range from its anchor and its width (TextWidth, the
// conservative measure), its y range from its baseline and size.
type box struct {
	what             string
	left, right      float64
	top, bottom      float64
	maxRight, maxBot float64 // what it must stay within
}

// textBox is the box of text drawn at x, y with an SVG text-anchor.
func textBox(what, text string, x, y, size float64, bold bool, anchor string) box {
	w := TextWidth(text, size, bold)
	b := box{what: what + " " + fmt.Sprintf("%q", text), top: y - size, bottom: y + 0.25*size}
	switch anchor {
	case "end":
		b.left, b.right = x-w, x
	case "middle":
		b.left, b.right = x-w/2, x+w/2
	default:
		b.left, b.right = x, x+w
	}
	return b
}

// ganttBoxes lists every text of a Gantt chart.
func ganttBoxes(g *Gantt) []box {
	var boxes []box
	add := func(b box, right float64) {
		b.maxRight, b.maxBot = right, g.Height
		boxes = append(boxes, b)
	}
	for _, m := range g.Months {
		if m.Label != "" {
			add(textBox("month", m.Label, m.LabelX, 33, g.MonthSize, false, "start"), g.Width)
		}
	}
	for _, y := range g.Years {
		if y.Label != "" {
			add(textBox("year", y.Label, y.LabelX, 14, g.YearSize, false, "start"), g.Width)
		}
	}
	for _, r := range g.Rows {
		b := textBox("label", r.Label, g.TextX, r.TextY, g.LabelSize, false, "start")
		if r.Marker != "" {
			// "Critical:" in bold, a space, then the name.
			marker := TextWidth(r.Marker+": ", g.LabelSize, true)
			b.right += marker
		}
		add(b, g.LabelWidth) // the name must not run into the bars
	}
	for _, line := range g.Lines {
		for _, text := range line.Texts {
			add(textBox("line", text.Text, line.X, text.Y, g.LineSize, true, line.Anchor), g.Width)
		}
	}
	return boxes
}

// fteBoxes lists every text of an FTE chart.
func fteBoxes(c *FTEChart) []box {
	var boxes []box
	add := func(b box) {
		b.maxRight, b.maxBot = c.Width, c.Height
		boxes = append(boxes, b)
	}
	add(textBox("maximum", c.MaxLabel, c.Left-6, c.MaxY+4, c.TextSize, false, "end"))
	add(textBox("zero", "0", c.Left-6, c.Bottom+4, c.TextSize, false, "end"))
	for _, y := range c.Years {
		if y.Label != "" {
			add(textBox("year", y.Label, y.LabelX, c.Bottom+14, c.TextSize, false, "start"))
		}
	}
	for _, line := range c.Lines {
		for _, text := range line.Texts {
			add(textBox("line", text.Text, line.X, text.Y, c.TextSize, true, line.Anchor))
		}
	}
	return boxes
}

// riskBoxes lists every text of a risk chart.
func riskBoxes(c *riskChart) []box {
	var boxes []box
	add := func(b box, right float64) {
		b.maxRight, b.maxBot = right, c.Height
		boxes = append(boxes, b)
	}
	for _, tick := range c.Ticks {
		add(textBox("tick", tick.Label, tick.X, c.TickY, c.TextSize, false, "middle"), c.Width)
	}
	for _, r := range c.Rows {
		add(textBox("label", r.Label, c.TextX, r.TextY, c.TextSize, false, "start"), c.Left)
		add(textBox("value", r.ByEndText+" / "+r.MinimumText, c.ValueX, r.TextY, c.TextSize, false, "start"), c.Width)
	}
	return boxes
}

// longNames is a scenario whose every name is as long as may be: a name,
// titles, funding sources and locations of 200 characters, with flags on
// every post.
func longNames(posts int) []byte {
	long := func(prefix string) string {
		s := prefix + strings.Repeat(" Koordination der Integrationsarbeit im Kreis", 10)
		return s[:200]
	}
	var b strings.Builder
	fmt.Fprintf(&b, `{"name": %q, "start": "2021-10-01", "min_productive": "P6M",
		"funding": [{"id": "a", "name": %q, "start": "2021-01-01", "end": "2022-12-31", "rate": 1},
			{"id": "b", "name": %q, "start": "2021-01-01", "end": "2022-12-31", "rate": 1},
			{"id": "c", "name": %q, "start": "2021-01-01", "end": "2021-12-31", "rate": 1}],
		"positions": [`, long("Szenario"), long("Förderung A"), long("Förderung B"), long("Förderung C"))
	for i := range posts {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id": "p%d", "title": %q, "location": %q, "monthly_cost": 5000, "recruiting": "P%dM", "funding": %q}`,
			i, long(fmt.Sprintf("Stelle %d", i)), long("Ort"), 2+i%9, []string{"a", "b", "c"}[i%3])
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// TestTextInside: every text of every chart lies inside its SVG, and a
// post's name inside the label column, by the conservative measure: for
// the demo (with a risk run, whose figures stand beside the bars), for
// names of the longest length, and for a compact chart of many posts, in
// both languages.
func TestTextInside(t *testing.T) {
	scenarios := []struct {
		name     string
		scenario []byte
	}{
		{"demo", data.Demo},
		{"uncertain demo", data.DemoUncertain},
		{"long names", longNames(12)},
		{"many posts", longNames(90)},
	}
	for _, sc := range scenarios {
		for _, l := range locale.Langs {
			t.Run(sc.name+"/"+string(l), func(t *testing.T) {
				s, plan := planOf(t, sc.scenario)
				risk, err := s.Risk(context.Background(), planner.RiskOptions{Trials: 50, Seed: 1, Confidence: 0.8})
				if err != nil {
					t.Fatal(err)
				}
				axis := NewAxis(l, plan)
				for _, r := range risk.Positions {
					axis.Extend(r.ProductiveP90)
				}
				c := NewCharts(plan, l, "g0-", axis)
				c.Gantt.AddWhiskers(plan, risk, l)
				rv := NewRiskView(s, plan, risk, planner.DefaultRiskOptions(), l, "g0-")
				boxes := append(ganttBoxes(c.Gantt), fteBoxes(c.FTE)...)
				boxes = append(boxes, riskBoxes(&rv.Chart)...)
				if len(boxes) < 3*len(plan.Positions) {
					t.Fatalf("only %d texts", len(boxes))
				}
				for _, b := range boxes {
					if b.left < 0 || b.right > b.maxRight || b.top < 0 || b.bottom > b.maxBot {
						t.Errorf("%s: x %.1f–%.1f, y %.1f–%.1f is outside 0–%.1f, 0–%.1f", b.what, b.left, b.right, b.top, b.bottom, b.maxRight, b.maxBot)
					}
				}
			})
		}
	}
}

// TestTextWidth: the measure is at least as wide as the fonts it was
// made from, and counts a character it does not know as wide.
func TestTextWidth(t *testing.T) {
	tests := []struct {
		text string
		bold bool
		min  float64 // at 1000 units: the width in DejaVu Sans
	}{
		{"W", false, 989},
		{"W", true, 1108},
		{"Förderende 31.12.2022", false, 11900},
		{"漢", false, 1000},
	}
	for _, tt := range tests {
		if got := TextWidth(tt.text, 1000, tt.bold); got < tt.min {
			t.Errorf("TextWidth(%q, bold %v) = %.0f, want at least %.0f", tt.text, tt.bold, got, tt.min)
		}
	}
}
