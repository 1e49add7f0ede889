package handlers

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"grantplan/service"
)

// textsOutside lists every text of the budget charts on the page whose box,
// as the browser sets it in its own font, reaches outside its SVG's view
// box, and counts the texts it looked at.
const textsOutside = `(() => {
	const out = [];
	let seen = 0;
	for (const svg of document.querySelectorAll("figure.chart.budget svg")) {
		const vb = svg.viewBox.baseVal;
		for (const t of svg.querySelectorAll("text")) {
			seen++;
			const b = t.getBBox();
			if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y + b.height > vb.y + vb.height + 0.5) {
				out.push(t.textContent + " at " + [b.x, b.y, b.width, b.height].map(Math.round).join(","));
			}
		}
	}
	return [String(seen)].concat(out);
})()`

// TestBrowserBudget: in a real browser, no text of the budget chart is cut
// off, in German (the wider amounts) or English; the what-if controls make
// every post permanent by a click (the page re-plans on its own) and add a
// pay rise typed with a German comma.
func TestBrowserBudget(t *testing.T) {
	ctx := browser(t)
	pc := newPageClientAs(t, "", "")
	addUser(t, pc.deps, "anna", service.RolePlanner)
	srv := httptest.NewServer(pc.handler)
	defer srv.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/login"), signIn("anna"), chromedp.WaitVisible(chromedp.CSS(`table.list`))); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"de", "en"} {
		var outside []string
		err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein?lang="+lang),
			chromedp.WaitVisible(chromedp.CSS(`figure.chart.budget svg`)),
			into(chromedp.Evaluate[[]string](textsOutside), &outside),
		)
		if err != nil {
			t.Fatal(err)
		}
		if len(outside) == 0 || outside[0] == "0" {
			t.Fatalf("%s: found no text in the budget chart", lang)
		}
		for _, text := range outside[1:] {
			t.Errorf("%s: the budget chart cuts %s", lang, text)
		}
	}

	var changes, kpis string
	var raise, raiseFrom string
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein?lang=de"),
		chromedp.WaitVisible(chromedp.CSS(`#wi-permanent`)),
		chromedp.Click(chromedp.CSS(`#wi-permanent`)),
		chromedp.WaitVisible(chromedp.CSS(`#after-heading`)),
		// Set without a change event, so that only the button sends the form.
		into(chromedp.Evaluate[string](`document.getElementById("wi-raise").value = "2,5"`), &raise),
		into(chromedp.Evaluate[string](`document.getElementById("wi-raise-from").value = "2022-07-01"`), &raiseFrom),
		chromedp.Click(chromedp.CSS(`#whatif-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#wi-raise[value="2,5"]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.changes`)),
		into(chromedp.Text(chromedp.CSS(`ul.changes`)), &changes),
		into(chromedp.Text(chromedp.CSS(`table.kpitable`)), &kpis),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Jede Stelle ist unbefristet", "Die Entgelte steigen um 2,5 % ab dem 01.07.2022."} {
		if !strings.Contains(changes, want) {
			t.Errorf("the changes lack %q:\n%s", want, changes)
		}
	}
	for _, want := range []string{"Folgekosten", "Eigenanteil", "Gesamtkosten"} {
		if !strings.Contains(kpis, want) {
			t.Errorf("the key figures lack %q:\n%s", want, kpis)
		}
	}
}
