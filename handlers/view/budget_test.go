package view

import (
	"html/template"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"grantplan/locale"
	"grantplan/planner"
	"grantplan/templates"
)

// budgetExample is the example of docs/scenario.md, Cost, own share and
// budget years: raises, a permanent post and a source whose cap is used
// up in the first year.
const budgetExample = `{"name": "Budget example", "start": "2022-01-01", "horizon": "2024-12-31",
 "pay_raises": [{"from": "2022-04-01", "percent": 1.8}, {"from": "2023-03-01", "percent": 5}],
 "defaults": {"recruiting": "P0D", "notice": "P0D", "onboarding": "P3M", "start_on": "any"},
 "funding": [{"id": "kim", "name": "KIM", "start": "2021-01-01", "end": "2022-12-31", "per_fte_year": 55000},
             {"id": "land", "name": "Land", "start": "2022-01-01", "end": "2022-12-31", "rate": 0.5, "cap": 10000}],
 "positions": [{"id": "ovh-1", "monthly_cost": 6359, "employment": "permanent", "funding": "kim"},
               {"id": "cm-1", "monthly_cost": 4500, "funding": "kim"},
               {"id": "cm-2", "monthly_cost": 4500, "funding": "land", "fte": 0.5}]}`

// budgetPlan plans a scenario given as text.
func budgetPlan(t *testing.T, scenario string) *planner.Plan {
	t.Helper()
	_, plan := planOf(t, []byte(scenario))
	return plan
}

// TestBudgetTable: the table of docs/scenario.md's example holds its
// figures year by year, the capped source's draw-down, and totals that add
// the rounded years with a note where they differ from the plan's.
func TestBudgetTable(t *testing.T) {
	b := newBudget(budgetPlan(t, budgetExample), locale.English, "g0-")
	want := [][]string{
		{"2022", "159,431.66 EUR", "119,729.00 EUR", "39,702.66 EUR", "109,729.00 EUR", "10,000.00 EUR"},
		{"2023", "80,918.28 EUR", "0.00 EUR", "80,918.28 EUR", "0.00 EUR", "0.00 EUR"},
		{"2024", "81,565.62 EUR", "0.00 EUR", "81,565.62 EUR", "0.00 EUR", "0.00 EUR"},
		{"Total", "321,915.56 EUR", "119,729.00 EUR", "202,186.56 EUR", "109,729.00 EUR", "10,000.00 EUR"},
	}
	rows := append(b.Rows, b.Total)
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d", len(rows), len(want))
	}
	for i, r := range rows {
		got := append([]string{r.Year, r.Cost, r.Funded, r.OwnShare}, r.Draws...)
		if strings.Join(got, " | ") != strings.Join(want[i], " | ") {
			t.Errorf("row %d: got %q, want %q", i, got, want[i])
		}
	}
	if got, want := strings.Join(b.Sources, ", "), "Draw-down: KIM, Draw-down: Land"; got != want {
		t.Errorf("got headings %q, want %q", got, want)
	}
	// The plan's own totals are a cent lower: 321,915.55 and 202,186.55.
	if !strings.Contains(b.Note, "321,915.55 EUR") || !strings.Contains(b.Note, "202,186.55 EUR") {
		t.Errorf("got note %q, want the plan's totals in it", b.Note)
	}
	if b.Empty != "" || b.Chart == nil || b.Caption != "Cost, funding and own share per budget year, to the horizon 2024-12-31" {
		t.Errorf("got empty %q, chart %v, caption %q", b.Empty, b.Chart != nil, b.Caption)
	}

	de := newBudget(budgetPlan(t, budgetExample), locale.German, "g0-")
	if got := de.Rows[0].Cost; got != "159.431,66 €" {
		t.Errorf("German cost %q, want 159.431,66 €", got)
	}
}

// TestBudgetEmpty: a plan that starts after the horizon has no budget
// year, and the page says why instead of drawing an empty chart.
func TestBudgetEmpty(t *testing.T) {
	plan := budgetPlan(t, strings.Replace(budgetExample, `"start": "2022-01-01"`, `"start": "2025-02-01"`, 1))
	b := newBudget(plan, locale.German, "g0-")
	if b.Chart != nil || len(b.Rows) != 0 || b.Empty != "Kein Haushaltsjahr: Der Plan beginnt am 01.02.2025, nach dem Planungshorizont 31.12.2024." {
		t.Errorf("got chart %v, %d rows, empty %q", b.Chart != nil, len(b.Rows), b.Empty)
	}
}

// TestBudgetChartBars: each bar is as high as its year's cost, split at
// what the sources pay; the highest reaches no higher than the top tick,
// and the ticks are round amounts.
func TestBudgetChartBars(t *testing.T) {
	plan := budgetPlan(t, budgetExample)
	c := newBudgetChart(plan, locale.English, "g0-")
	scale := (c.Ticks[0].Y - c.Ticks[len(c.Ticks)-1].Y) / tickAmount(t, c.Ticks[len(c.Ticks)-1].Label)
	for i, y := range plan.Summary.Budget {
		bar := c.Bars[i]
		cost := float64(y.Cost.Units) / 100
		funded := float64(y.Funded.Units) / 100
		if got := bar.FundedH + bar.OwnShareH; math.Abs(got-cost*scale) > 0.25 {
			t.Errorf("%d: bar height %v, want %v", y.Year, got, cost*scale)
		}
		if math.Abs(bar.FundedH-funded*scale) > 0.15 || math.Abs(bar.OwnShareY+bar.OwnShareH-bar.FundedY) > 0.15 {
			t.Errorf("%d: funded part %v at %v, own share %v at %v; want %v below the own share", y.Year, bar.FundedH, bar.FundedY, bar.OwnShareH, bar.OwnShareY, funded*scale)
		}
		if bar.OwnShareY < c.Top-0.05 || bar.FundedY+bar.FundedH > c.Bottom+0.05 {
			t.Errorf("%d: bar from %v to %v leaves the plot %v–%v", y.Year, bar.OwnShareY, bar.FundedY+bar.FundedH, c.Top, c.Bottom)
		}
		if !strings.Contains(bar.Title, strconv.Itoa(y.Year)) || !strings.Contains(bar.Title, "own share") {
			t.Errorf("%d: tooltip %q", y.Year, bar.Title)
		}
	}
	for i, tick := range c.Ticks {
		amount := tickAmount(t, tick.Label)
		if i > 0 && amount != tickAmount(t, c.Ticks[1].Label)*float64(i) {
			t.Errorf("ticks %v are not evenly spaced", c.Ticks)
		}
	}
	if got, want := c.Ticks[len(c.Ticks)-1].Label, "200,000"; got != want {
		t.Errorf("top tick %q, want %q (the highest year costs 159,431.66)", got, want)
	}
}

func tickAmount(t *testing.T, label string) float64 {
	t.Helper()
	n, err := strconv.ParseFloat(strings.ReplaceAll(label, ",", ""), 64)
	if err != nil {
		t.Fatalf("tick label %q: %v", label, err)
	}
	return n
}

// TestNiceStep: the ticks' steps are 1, 2, 2.5 or 5 times a power of ten.
func TestNiceStep(t *testing.T) {
	for _, tt := range []struct{ n, want int64 }{
		{0, 1}, {1, 1}, {3, 5}, {7, 10}, {11, 20}, {21, 25}, {26, 50}, {31886, 50000}, {1e15, 1e15}, {math.MaxInt64 / 20, 5e17},
	} {
		if got := niceStep(tt.n); got != tt.want {
			t.Errorf("niceStep(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

// TestBudgetChartTexts renders the budget chart of several plans and
// checks that every text lies inside the SVG, measured as TextWidth
// measures every chart's text, and that the years' labels do not
// overlap: a short budget, three centuries of years, hundreds of millions
// a year, in English and German.
func TestBudgetChartTexts(t *testing.T) {
	centuries := strings.NewReplacer(`"start": "2022-01-01"`, `"start": "1900-01-01"`, `"horizon": "2024-12-31"`, `"horizon": "2199-12-31"`,
		`"start": "2021-01-01"`, `"start": "1900-01-01"`).Replace(budgetExample)
	millions := strings.Replace(budgetExample, `"monthly_cost": 6359`, `"monthly_cost": 9999999`, 1)
	partials := template.Must(template.New("partials.html").Funcs(templates.Funcs).ParseFS(templates.FS, "partials.html"))
	for name, scenario := range map[string]string{"example": budgetExample, "centuries": centuries, "millions": millions} {
		for _, l := range locale.Langs {
			t.Run(name+"/"+string(l), func(t *testing.T) {
				plan := budgetPlan(t, scenario)
				charts := &Charts{Prefix: "g0-", Budget: newBudget(plan, l, "g0-")}
				var b strings.Builder
				args := budgetArgs{charts, l}
				if err := partials.ExecuteTemplate(&b, "budget", args); err != nil {
					t.Fatal(err)
				}
				svg := b.String()[strings.Index(b.String(), "<svg"):strings.Index(b.String(), "</svg>")]
				checkTexts(t, svg, charts.Budget.Chart)
				var last float64 = -1
				for _, bar := range charts.Budget.Chart.Bars {
					if bar.Label == "" {
						continue
					}
					half := TextWidth(bar.Label, budgetFontSize, false) / 2
					if last >= 0 && bar.LabelX-half < last+budgetLabelGap-0.5 {
						t.Errorf("year %s at %v overlaps the one before, which ends at %v", bar.Label, bar.LabelX, last)
					}
					last = bar.LabelX + half
				}
			})
		}
	}
}

// budgetArgs is what the "budget" template reads, as the pages give it.
type budgetArgs struct {
	C    *Charts
	lang locale.Lang
}

func (a budgetArgs) T(id string) string { return a.lang.Text(id) }

var svgText = regexp.MustCompile(`<text ([^>]*)>([^<]*)</text>`)
var svgAttr = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)

// checkTexts holds every <text> of svg inside the chart: its extent
// along x by its anchor and TextWidth, and its baseline with room for the
// font's ascent above it and descent below.
func checkTexts(t *testing.T, svg string, c *BudgetChart) {
	t.Helper()
	texts := svgText.FindAllStringSubmatch(svg, -1)
	if len(texts) < 3 {
		t.Fatalf("found %d texts in the chart", len(texts))
	}
	for _, m := range texts {
		attrs := map[string]string{}
		for _, a := range svgAttr.FindAllStringSubmatch(m[1], -1) {
			attrs[a[1]] = a[2]
		}
		number := func(name string) float64 {
			if attrs[name] == "" {
				return 0
			}
			v, err := strconv.ParseFloat(attrs[name], 64)
			if err != nil {
				t.Fatalf("%s=%q: %v", name, attrs[name], err)
			}
			return v
		}
		x, y := number("x")+number("dx"), number("y")+number("dy")
		width := TextWidth(htmlText(m[2]), budgetFontSize, false)
		left := x
		switch attrs["text-anchor"] {
		case "middle":
			left = x - width/2
		case "end":
			left = x - width
		}
		if left < 0 || left+width > float64(c.Width) || y-budgetFontSize < 0 || y+0.3*budgetFontSize > float64(c.Height) {
			t.Errorf("text %q spans x %.1f–%.1f at y %.1f, outside the chart of %d × %d", m[2], left, left+width, y, c.Width, c.Height)
		}
	}
}

func htmlText(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#39;", "'", "&#34;", `"`).Replace(s)
}
