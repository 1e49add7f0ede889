package chart

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
)

// monospace measures every character as wide as size: simple to reason
// about in tests.
func monospace(text string, size float64, bold bool) float64 {
	w := float64(utf8.RuneCountInString(text)) * size
	if bold {
		w *= 1.1
	}
	return w
}

func testStyle(width float64) *Style {
	return &Style{Width: width, LabelMin: 50, LabelMax: 300, RightPad: 10, Pad: 2,
		LabelSize: 5, TickSize: 4, LineSize: 5, Measure: monospace}
}

func demoPlan(t *testing.T) *planner.Plan {
	t.Helper()
	s, err := planner.Decode(data.Demo)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

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
		ticks := YearTicks(testStyle(10000), planner.MustParseDate(tt.from), planner.MustParseDate(tt.to), 0, 10000)
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

// TestLabelColumn: the label column is as wide as the longest label with
// its marker needs, within the style's bounds; a name is shortened only
// when the bound is reached.
func TestLabelColumn(t *testing.T) {
	plan := demoPlan(t)
	longest := 0.0
	worst := WorstFlags(plan)
	for i := range plan.Positions {
		p := &plan.Positions[i]
		w := monospace(Name(p), 5, false)
		if worst[p.ID] != "" {
			w += monospace(locale.English.Severity(worst[p.ID])+": ", 5, true)
		}
		longest = max(longest, w)
	}
	tests := []struct {
		name      string
		labelMax  float64
		wantWidth float64
		cut       bool
	}{
		{"room enough", 1000, longest + 4, false},
		{"bounded", 150, 150, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := testStyle(2000)
			st.LabelMax = tt.labelMax
			axis := NewAxis(st, locale.English, plan)
			if axis.LabelWidth != tt.wantWidth {
				t.Errorf("got label width %v, want %v", axis.LabelWidth, tt.wantWidth)
			}
			g := NewGantt(plan, locale.English, st, axis)
			cut := false
			for _, row := range g.Rows {
				w := monospace(row.Label, 5, false)
				if row.Marker != "" {
					w += monospace(row.Marker+": ", 5, true)
				}
				if w > g.LabelWidth-2*st.Pad+1e-9 {
					t.Errorf("%s: label %q is %v wide, more than the column's %v", row.ID, row.Label, w, g.LabelWidth)
				}
				cut = cut || strings.HasSuffix(row.Label, "…")
			}
			if cut != tt.cut {
				t.Errorf("got labels shortened %v, want %v", cut, tt.cut)
			}
		})
	}
}

// TestMonthLabels: months are named where the name fits, numbered where
// only the number does, and left blank where not even that.
func TestMonthLabels(t *testing.T) {
	plan := demoPlan(t) // 25 months
	tests := []struct {
		width float64
		want  string // the first month's label
	}{
		{100 + 25*(3*4+4), "Oct"},
		{100 + 25*(2*4+4), "10"},
		{100 + 25*6, ""},
	}
	for _, tt := range tests {
		st := testStyle(tt.width)
		st.LabelMax, st.LabelMin, st.RightPad = 100, 100, 0
		g := NewGantt(plan, locale.English, st, NewAxis(st, locale.English, plan))
		if got := g.Months[0].Label; got != tt.want {
			t.Errorf("width %v: got first month %q, want %q", tt.width, got, tt.want)
		}
	}
}

// TestPlaceLabel: a line's label goes after the line where it fits, else
// before it, else broken into lines on the roomier side; it never leaves
// the picture.
func TestPlaceLabel(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		x          float64
		wantLines  []string
		wantAnchor string
	}{
		{"after", "abc def", 10, []string{"abc def"}, "start"},
		{"before", "abc def", 95, []string{"abc def"}, "end"},
		{"broken", "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn", 60,
			[]string{"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll", "mmmm nnnn"}, "end"},
		{"shortened", "abcdefghijklmnopqrstuvwxyz", 50, nil, "start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.text
			if tt.name == "shortened" {
				text = strings.Repeat(text, 2)
			}
			lines, anchor := PlaceLabel(text, tt.x, 0, 100, 1, false, 1, monospace)
			for _, line := range lines {
				w := monospace(line, 1, false)
				if anchor == "start" && tt.x+w > 99 || anchor == "end" && tt.x-w < 1 {
					t.Errorf("%q at %v (%s) leaves the picture", line, tt.x, anchor)
				}
			}
			if tt.name == "shortened" {
				if len(lines) != 1 || !strings.HasSuffix(lines[0], "…") {
					t.Errorf("got %q, want one shortened line", lines)
				}
				return
			}
			if !slices.Equal(lines, tt.wantLines) || anchor != tt.wantAnchor {
				t.Errorf("got %q %s, want %q %s", lines, anchor, tt.wantLines, tt.wantAnchor)
			}
		})
	}
}

// TestBars: every bar follows the one before it on the axis, and a day
// has one x in every row.
func TestBars(t *testing.T) {
	plan := demoPlan(t)
	st := testStyle(1000)
	g := NewGantt(plan, locale.German, st, NewAxis(st, locale.German, plan))
	for _, row := range g.Rows {
		last := g.Left
		for _, bar := range row.Bars {
			if bar.X < last-0.011 || bar.X+bar.W > g.Right+0.5 {
				t.Errorf("%s: bar %s at %v+%v, after %v", row.ID, bar.Phase, bar.X, bar.W, last)
			}
			if bar.X != g.X(bar.From) {
				t.Errorf("%s: bar %s at %v, its day at %v", row.ID, bar.Phase, bar.X, g.X(bar.From))
			}
			last = bar.X + bar.W
		}
	}
	if len(g.Lines) != 2 || g.Lines[1].Label != "Förderende 31.12.2022: KIM Baustein 1: strategische Steuerung, KIM Baustein 2: Case Management" {
		t.Errorf("got lines %+v", g.Lines)
	}
	if g.Lines[1].X != g.X(planner.MustParseDate("2023-01-01")) {
		t.Errorf("the funding end's line is at %v, not at the start of the day after", g.Lines[1].X)
	}
}
