package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/planner"
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

// TestWhatIfPermanentAndRaise: the what-if controls make every post
// permanent or add a pay rise, and the key figures show how the total
// cost, the own share and the cost after the funding move; bad values
// come back beside their control.
func TestWhatIfPermanentAndRaise(t *testing.T) {
	pc := newPageClient(t)
	tests := []struct {
		name, query string
		status      int
		want        []string
	}{
		{"permanent", "permanent=1", 200, []string{
			"Every post is permanent: the county keeps it after its funding ends, to the horizon.",
			`name="permanent" value="1" checked`,
			`<input type="hidden" name="permanent" value="1">`,
		}},
		{"no rise", "raise=0&raise_from=2022-07-01", 200, []string{"Nothing is changed yet"}},
		{"not a number", "raise=viel", 422, []string{`id="wi-raise-error"`, "Give a percentage such as 1.8"}},
		{"too many places", "raise=1.234&raise_from=2022-07-01", 422, []string{`id="wi-raise-error"`, "2 decimals"}},
		{"no date", "raise=1&raise_from=soon", 422, []string{`id="wi-raise-from-error"`, "Give the date from which the pay rises"}},
		{"on the demo's date", "raise=3&raise_from=2022-04-01", 422, []string{`id="wi-raise-from-error"`}},
		{"raise in German", "lang=de&raise=2,5&raise_from=2022-07-01", 200, []string{
			"Die Entgelte steigen um 2,5 % ab dem 01.07.2022.",
			`name="raise" inputmode="decimal" value="2,5"`, `name="raise_from" value="2022-07-01"`,
		}},
		{"raise with a German date", "lang=de&raise=-0,5&raise_from=01.01.2023", 200, []string{
			"Die Entgelte steigen um -0,5 % ab dem 01.01.2023.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantPage(t, tt.query, pc.get(demoPath+"/whatif?"+tt.query), tt.status, tt.want...)
		})
	}

	// The key figures before and after and the change: the follow-on
	// cost of 2023 and 2024 is all the county's.
	body := pc.get(demoPath + "/whatif?lang=en&permanent=1").Body.String()
	for label, want := range map[string][]string{
		"Cost after the funding": {"0.00 EUR", "1,220,983.09 EUR", "&#43;1,220,983.09 EUR"},
		"Own share":              {"36,203.97 EUR", "1,257,187.06 EUR", "&#43;1,220,983.09 EUR"},
		"Total cost":             {"210,370.63 EUR", "1,431,353.73 EUR", "&#43;1,220,983.10 EUR"},
		"Need":                   {"174,166.67 EUR", "174,166.67 EUR", "±0.00 EUR"},
	} {
		if got := kpiCells(body, label); strings.Join(got, " | ") != strings.Join(want, " | ") {
			t.Errorf("permanent: %s: got %q, want %q", label, got, want)
		}
	}
	// The flat amounts do not rise with the pay, so the own share grows,
	// and nothing falls after the funding.
	body = pc.get(demoPath + "/whatif?lang=de&raise=2,5&raise_from=2022-07-01").Body.String()
	if got := kpiCells(body, "Eigenanteil"); len(got) != 3 || !strings.HasPrefix(got[2], "&#43;") {
		t.Errorf("raise: own share %q, want it to grow", got)
	}
	if got := kpiCells(body, "Folgekosten"); strings.Join(got, " | ") != "0,00 € | 0,00 € | ±0,00 €" {
		t.Errorf("raise: cost after the funding %q, want none", got)
	}

	// Saved as a new scenario, the variant keeps both changes.
	rec := pc.post(demoPath+"/whatif", url.Values{"permanent": {"1"}, "raise": {"1,5"}, "raise_from": {"2023-01-01"}, "name": {"KIM kept"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save: got %d, want 303", rec.Code)
	}
	s, err := planner.Decode(pc.current("kim-kept").Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range s.Positions {
		if p.Employment != planner.Permanent {
			t.Errorf("saved variant: %s is %s, want permanent", p.ID, p.Employment)
		}
	}
	if len(s.PayRaises) != 2 || s.PayRaises[1].From != planner.MustParseDate("2023-01-01") || s.PayRaises[1].Percent.FloatString(2) != "1.50" {
		t.Errorf("saved variant: raises %+v, want the demo's and +1.5 %% from 2023-01-01", s.PayRaises)
	}
}

// kpiCells returns the values of the key figures' row labelled label:
// each plan's, then the change.
func kpiCells(page, label string) []string {
	row := regexp.MustCompile(`<tr><th scope="row">` + regexp.QuoteMeta(label) + `(?:<br><small>[^<]*</small>)?</th>(.*?)</tr>`).FindStringSubmatch(page)
	if row == nil {
		return nil
	}
	var cells []string
	for _, m := range kpiValue.FindAllStringSubmatch(row[1], -1) {
		cells = append(cells, m[1])
	}
	return cells
}

var kpiValue = regexp.MustCompile(`<span class="value">([^<]*)</span>`)

// TestEditBudgetFields: the German edit form shows the demo's horizon,
// pay rise and employment in German, an untouched save keeps the stored
// body as it was, the planner's problems with them come back beside their
// fields (a percentage with three places, two rises on one day, a horizon
// before the funding end), and a rise removed leaves the scenario without
// it. (TestEditBudget adds a rise and saves German input.)
func TestEditBudgetFields(t *testing.T) {
	pc := newPageClient(t)
	rec := pc.get(demoPath + "/edit?lang=de")
	wantPage(t, "German form", rec, 200,
		`name="horizon" value="31.12.2024"`, `name="pay_raises[0].from" value="01.04.2022"`, `name="pay_raises[0].percent" value="1,8"`,
		`name="pay_raises.rows" value="1"`, `<select id="f-defaults.employment" name="defaults.employment">`,
		`<option value="unbefristet">unbefristet</option>`, `<select id="f-positions[9].employment" name="positions[9].employment">`,
		`value="remove:pay_raises:0"`)

	// Untouched, the body stays as stored.
	form := formValues(t, rec.Body.String())
	form.Set("action", "save")
	if rec := pc.post(demoPath+"/edit", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("untouched save: got %d\n%s", rec.Code, truncate(rec.Body.String()))
	}
	if got := pc.current(data.DemoID); !jsonEqual(t, got.Body, data.Demo) {
		t.Errorf("an untouched save changed the body:\n%s", got.Body)
	}

	// Problems beside their fields, nothing saved.
	before := pc.current(data.DemoID).Revision
	form = pc.editForm(data.DemoID)
	form.Set("action", "add:pay_raises")
	form = formValues(t, pc.post(demoPath+"/edit", form).Body.String())
	form.Set("pay_raises[0].percent", "1,234")
	form.Set("pay_raises[1].from", "01.04.2022")
	form.Set("pay_raises[1].percent", "3")
	form.Set("horizon", "30.06.2022")
	form.Set("action", "save")
	rec = pc.post(demoPath+"/edit", form)
	wantPage(t, "invalid", rec, http.StatusUnprocessableEntity, `id="f-pay_raises[0].percent-error"`, `id="f-horizon-error"`)
	if body := rec.Body.String(); !strings.Contains(body, `id="f-pay_raises[1].from-error"`) && !strings.Contains(body, `id="f-pay_raises[0].from-error"`) {
		t.Errorf("two raises on one date: no error beside a raise's date")
	}
	if got := pc.current(data.DemoID).Revision; got != before {
		t.Errorf("got revision %d after an invalid save, want %d", got, before)
	}

	// The rise removed: the scenario has none.
	form = pc.editForm(data.DemoID)
	form.Set("action", "remove:pay_raises:0")
	form = formValues(t, pc.post(demoPath+"/edit", form).Body.String())
	form.Set("action", "save")
	if rec := pc.post(demoPath+"/edit", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("save without raises: got %d\n%s", rec.Code, truncate(rec.Body.String()))
	}
	s, err := planner.Decode(pc.current(data.DemoID).Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.PayRaises) != 0 {
		t.Errorf("the raises stayed: %+v", s.PayRaises)
	}
}

// jsonEqual reports whether two JSON documents hold the same values.
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

// TestRiskPanelOwnShare: the risk panel gives the P10, P50 and P90 of the
// trials' own share beside the FTE-months.
func TestRiskPanelOwnShare(t *testing.T) {
	pc := newPageClient(t)
	rec := pc.get(demoPath + "?risk=1&trials=500&seed=4&confidence=80&spread=0.8:1.5&lang=en")
	wantPage(t, "risk", rec, 200, "Own share P10 / P50 / P90", "what the county pays itself, across the trials")
	card := riskOwnShare.FindStringSubmatch(rec.Body.String())
	if card == nil {
		t.Fatalf("no own share card:\n%s", truncate(rec.Body.String()))
	}
	if strings.Count(card[1], " EUR") != 3 {
		t.Errorf("got own share card %q, want three amounts", card[1])
	}
}

var riskOwnShare = regexp.MustCompile(`data-kpi="risk-own-share">([^<]*)<`)
