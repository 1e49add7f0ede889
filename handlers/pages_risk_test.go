package handlers

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/planner"
)

// TestRiskPanel runs the risk analysis from the scenario page: the form
// is there without a run; with ?risk=1 the page shows the decision date
// at the confidence, a bar pair and a table row per post, and a whisker
// per Gantt row, with the figures of the planner's risk run.
func TestRiskPanel(t *testing.T) {
	pc := newPageClient(t)
	rec := pc.get(demoPath)
	wantPage(t, "without a run", rec, http.StatusOK, `id="rk-trials"`, `name="risk" value="1"`, "Run the risk analysis")
	if strings.Contains(rec.Body.String(), `data-kpi="risk-decision"`) || strings.Contains(rec.Body.String(), `class="whisker"`) {
		t.Error("the page shows a risk run nobody asked for")
	}

	rec = pc.get(demoPath + "?risk=1&trials=1000&seed=4&confidence=80&spread=0.8:1.5")
	s, err := planner.Decode(data.Demo)
	if err != nil {
		t.Fatal(err)
	}
	spread, _ := planner.ParseSpread("0.8:1.5")
	want, err := s.Risk(context.Background(), planner.RiskOptions{Trials: 1000, Seed: 4, Confidence: 0.8, Spread: spread})
	if err != nil {
		t.Fatal(err)
	}
	wantPage(t, "with a run", rec, http.StatusOK,
		`data-kpi="risk-decision">`+want.LatestDecision.String(),
		"Latest decision at 80.0 % confidence",
		`data-kpi="risk-all-safe">0.0 %`,
		"1000 trials, seed 4",
		`<caption>Risk per post</caption>`,
	)
	body := rec.Body.String()
	if got := strings.Count(body, `<g class="whisker">`); got != len(want.Positions) {
		t.Errorf("got %d whiskers, want one per post (%d)", got, len(want.Positions))
	}
	if got := strings.Count(body, `<g class="risk-row">`); got != len(want.Positions) {
		t.Errorf("got %d bar pairs, want %d", got, len(want.Positions))
	}
	first := want.Positions[0]
	row := fmt.Sprintf(`<td class="date">%s</td><td class="date">%s</td><td class="date">%s</td></tr>`, first.ProductiveP10, first.ProductiveP50, first.ProductiveP90)
	if !strings.Contains(body, row) {
		t.Errorf("the table lacks the first post's percentiles %q", row)
	}
	if strings.Contains(body, "every trial is the plan") {
		t.Error("says nothing is uncertain although a spread was given")
	}

	rec = pc.get(demoPath + "?risk=1&trials=50")
	wantPage(t, "no ranges, no spread", rec, http.StatusOK, "every trial is the plan", `data-kpi="risk-decision">2020-09-01`)
}

// TestRiskPanelGerman: German labels, dates and percentages.
func TestRiskPanelGerman(t *testing.T) {
	pc := newPageClient(t)
	rec := pc.get(demoPath + "?lang=de&risk=1&trials=200&spread=recruiting=0.8:1.5")
	wantPage(t, "German", rec, http.StatusOK, "Risiko, die Frist zu verpassen", "Spätester Beschluss bei 80,0 % Sicherheit", "Risiko je Stelle",
		`placeholder="0,8:1,5"`)
	if !regexp.MustCompile(`data-kpi="risk-decision">\d\d\.\d\d\.\d{4}`).MatchString(rec.Body.String()) {
		t.Error("the decision date is not dd.mm.yyyy")
	}
}

// TestRiskPanelErrors: bad options re-render the form with the user's
// input and each error beside its field, without running anything.
func TestRiskPanelErrors(t *testing.T) {
	pc := newPageClient(t)
	rec := pc.get(demoPath + "?risk=1&trials=0&seed=-1&confidence=100&spread=fast")
	wantPage(t, "bad options", rec, http.StatusUnprocessableEntity,
		`id="rk-trials-error"`, `id="rk-seed-error"`, `id="rk-confidence-error"`, `id="rk-spread-error"`,
		`value="fast"`, `value="100"`)
	if strings.Contains(rec.Body.String(), `data-kpi="risk-decision"`) {
		t.Error("a risk run was shown despite bad options")
	}
	rec = pc.get("/scenarios/nope?risk=1")
	wantPage(t, "unknown scenario", rec, http.StatusNotFound)
}

// TestRiskWhiskersInsideTheAxis: a P90 after the plan's last date widens
// the chart, so the whisker ends at its date and not at the edge.
func TestRiskWhiskersInsideTheAxis(t *testing.T) {
	pc := newPageClient(t)
	rec := pc.get(demoPath + "?risk=1&trials=500&spread=0.8:1.5")
	wantPage(t, "risk", rec, http.StatusOK)
	right := fmt.Sprintf(`x2="%d"`, 280+900) // the chart's right edge: label width + chart width (package view)
	for _, whisker := range regexp.MustCompile(`<g class="whisker">.*?</g>`).FindAllString(rec.Body.String(), -1) {
		first := whisker[:strings.Index(whisker, "/>")]
		if strings.Contains(first, right) {
			t.Errorf("a whisker is cut at the chart's right edge: %s", whisker)
		}
	}
}

// TestPlurals: one warning is "1 warning", in both languages.
func TestPlurals(t *testing.T) {
	pc := newPageClient(t)
	wantPage(t, "English", pc.get(demoPath), http.StatusOK, `data-kpi="flags">6 critical, 1 warning<`)
	wantPage(t, "German", pc.get(demoPath+"?lang=de"), http.StatusOK, `data-kpi="flags">6 kritisch, 1 Warnung<`)
}
