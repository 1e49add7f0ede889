package handlers

import (
	"regexp"
	"strings"
	"testing"
)

// TestScenarioBudget: a scenario's page shows the total cost and the own
// share as key figures, and the budget years as a chart and as a table
// with the same figures, in English and German.
func TestScenarioBudget(t *testing.T) {
	pc := newPageClient(t)
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{
			`data-kpi="total-cost">210,370.63 EUR</span><span class="kpi-note">to the horizon 2024-12-31</span>`,
			`data-kpi="own-share">36,203.97 EUR</span><span class="kpi-note">what the county pays itself</span>`,
			`<h2 id="budget-heading">Budget years</h2>`,
			`<figure class="chart budget">`, `<title id="g0-budget-title">Cost per budget year: funded and own share</title>`,
			"the highest cost is 210,370.63 EUR in 2022",
			"<title>2022: cost 210,370.63 EUR, funded 174,166.67 EUR, own share 36,203.97 EUR</title>",
			"<caption>Cost, funding and own share per budget year, to the horizon 2024-12-31</caption>",
			`<th scope="col">Draw-down: KIM Baustein 1: strategische Steuerung</th>`,
			`<tr><th scope="row">2022</th><td class="num">210,370.63 EUR</td><td class="num">174,166.67 EUR</td><td class="num">36,203.97 EUR</td><td class="num">165,000.00 EUR</td><td class="num">9,166.67 EUR</td></tr>`,
			`<tr><th scope="row">2024</th><td class="num">0.00 EUR</td>`,
			`<tfoot><tr><th scope="row">Total</th><td class="num">210,370.63 EUR</td>`,
			// The posts' table gives each post's total cost and own share.
			`<td class="num">27,500.00 EUR</td><td class="num">38,840.77 EUR</td><td class="num">11,340.77 EUR</td>`,
		}},
		{"de", []string{
			`data-kpi="total-cost">210.370,63 €</span><span class="kpi-note">bis zum Planungshorizont 31.12.2024</span>`,
			`data-kpi="own-share">36.203,97 €</span>`,
			`<h2 id="budget-heading">Haushaltsjahre</h2>`,
			`<th scope="col">Haushaltsjahr</th>`, `<th scope="col">Mittelabruf: KIM Baustein 2: Case Management</th>`,
			`<tfoot><tr><th scope="row">Summe</th><td class="num">210.370,63 €</td><td class="num">174.166,67 €</td><td class="num">36.203,97 €</td>`,
			"Eigenanteil: was der Kreis selbst trägt",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			rec := pc.get(demoPath + "?lang=" + tt.lang)
			wantPage(t, tt.lang, rec, 200, tt.want...)
			body := rec.Body.String()
			// A bar a year, each with its tooltip, and the table's rows.
			if bars, rows := strings.Count(body, `<g class="year">`), len(budgetRow.FindAllString(body, -1)); bars != 4 || rows != 4 {
				t.Errorf("got %d bars and %d rows of years, want 4 of each (2021 to 2024)", bars, rows)
			}
			if strings.Contains(body, "g0-budget-title") && strings.Count(body, `id="g0-p-own-share"`) != 1 {
				t.Errorf("the own share's pattern is defined %d times", strings.Count(body, `id="g0-p-own-share"`))
			}
		})
	}
}

var budgetRow = regexp.MustCompile(`<tr><th scope="row">20\d\d</th>`)
