package handlers

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser starts a headless Chromium for a test, or skips the test when
// there is none; in CI (CI=true), where .ci/run installs Debian's
// chromium, a missing browser fails the test instead.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no chromium found: CI must run the browser tests (.ci/run installs Debian's chromium)")
		}
		t.Skip("no chromium found; install it (apt-get install chromium) to run the browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.WindowSize(1400, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// TestBrowser plays a planning session in a real browser: open the demo,
// change a post's recruiting time and save, see its bar move and its flag
// change, try a what-if, switch to German.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	pc := newPageClient(t)
	srv := httptest.NewServer(pc.handler)
	defer srv.Close()

	const row = `#g0-row-cm-wittgenstein`
	var (
		widthBefore, widthAfter string
		flagsBefore, flagsAfter string
		flash                   string
	)
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	run("open the demo",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.Click(chromedp.CSS(`a[href="/scenarios/kim-siegen-wittgenstein"]`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.gantt`)),
		attr(chromedp.CSS(row+` rect.bar.recruiting`), "width", &widthBefore),
		into(chromedp.Text(chromedp.CSS(`ol.flags`)), &flagsBefore),
	)
	if !strings.Contains(flagsBefore, "Case Manager Wittgenstein (S 12) is filled only on 2023-04-01") {
		t.Fatalf("got flags before\n%s", flagsBefore)
	}

	run("change a recruiting time and save",
		chromedp.Click(chromedp.CSS(`nav.actions a.button`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="positions[4].recruiting"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="positions[4].recruiting"]`), "P1M"),
		chromedp.Click(chromedp.CSS(`.toolbar button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
		into(chromedp.Text(chromedp.CSS(`p.flash`)), &flash),
		attr(chromedp.CSS(row+` rect.bar.recruiting`), "width", &widthAfter),
		into(chromedp.Text(chromedp.CSS(`ol.flags`)), &flagsAfter),
	)
	if flash != "Saved as revision 2." {
		t.Errorf("got flash %q", flash)
	}
	if widthAfter == widthBefore {
		t.Errorf("the recruiting bar kept its width %s", widthBefore)
	}
	if !strings.Contains(flagsAfter, "Case Manager Wittgenstein (S 12) is filled on 2022-10-01 but productive only on 2023-04-01") {
		t.Errorf("got flags after\n%s", flagsAfter)
	}

	var kpis, afterTitle string
	run("what-if: hire in parallel",
		chromedp.Click(chromedp.CSS(`#wi-parallel`)),
		chromedp.Click(chromedp.CSS(`#whatif-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#after-heading`)),
		into(chromedp.Text(chromedp.CSS(`table.kpitable`)), &kpis),
		into(chromedp.Text(chromedp.CSS(`#after-heading`)), &afterTitle),
	)
	for _, want := range []string{"As stored", "What-if", "Change", "Utilisation"} {
		if !strings.Contains(kpis, want) {
			t.Errorf("the what-if KPIs lack %q:\n%s", want, kpis)
		}
	}

	var lang, flagsGerman, listLang string
	run("switch to German",
		chromedp.Click(chromedp.CSS(`nav.lang a[lang="de"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="de"]`)),
		attr(chromedp.CSS(`html`), "lang", &lang),
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein"),
		chromedp.WaitVisible(chromedp.CSS(`ol.flags`)),
		into(chromedp.Text(chromedp.CSS(`ol.flags`)), &flagsGerman),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`table.list`)),
		attr(chromedp.CSS(`html`), "lang", &listLang),
	)
	if lang != "de" || listLang != "de" {
		t.Errorf("got languages %q and %q, want de remembered", lang, listLang)
	}
	if !strings.Contains(flagsGerman, "Kritisch:") || !strings.Contains(flagsGerman, "31.12.2022") {
		t.Errorf("got German flags\n%s", flagsGerman)
	}
}

// TestBrowserRisk runs the risk analysis from the scenario page: a spread
// typed into the form, the run's decision date in its card and a whisker
// on a Gantt row.
func TestBrowserRisk(t *testing.T) {
	ctx := browser(t)
	pc := newPageClient(t)
	srv := httptest.NewServer(pc.handler)
	defer srv.Close()
	var decision, whiskerX, share string
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein"),
		chromedp.WaitVisible(chromedp.CSS(`#rk-spread`)),
		chromedp.SendKeys(chromedp.CSS(`#rk-spread`), "0.8:1.5"),
		chromedp.SetValue(chromedp.CSS(`#rk-trials`), "500"),
		chromedp.Click(chromedp.CSS(`.risk-controls button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-kpi="risk-decision"]`)),
		into(chromedp.Text(chromedp.CSS(`[data-kpi="risk-decision"]`)), &decision),
		into(chromedp.Text(chromedp.CSS(`[data-kpi="risk-all-safe"]`)), &share),
		attr(chromedp.CSS(`#g0-row-cm-wittgenstein g.whisker line`), "x1", &whiskerX),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(decision, "20") || len(decision) != 10 {
		t.Errorf("got decision %q, want a date", decision)
	}
	if share != "0.0 %" || whiskerX == "" {
		t.Errorf("got all-safe %q and whisker x %q", share, whiskerX)
	}
}

// TestBrowserKeyboard checks that the what-if form can be used by
// keyboard alone: tabbing reaches its controls and Enter submits.
func TestBrowserKeyboard(t *testing.T) {
	ctx := browser(t)
	pc := newPageClient(t)
	srv := httptest.NewServer(pc.handler)
	defer srv.Close()
	var title string
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein"),
		chromedp.WaitVisible(chromedp.CSS(`#wi-hr`)),
		chromedp.Focus(chromedp.CSS(`#wi-hr`)),
		chromedp.SetValue(chromedp.CSS(`#wi-hr`), ""),
		chromedp.SendKeys(chromedp.CSS(`#wi-hr`), "2\r"),
		chromedp.WaitVisible(chromedp.CSS(`#after-heading`)),
		into(chromedp.Title(), &title),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(title, "What if:") {
		t.Errorf("got title %q", title)
	}
}

// into runs an action that reads a value and keeps the value in dst, so
// that a session reads as one list of steps.
func into[T any](a chromedp.Action[T], dst *T) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		v, err := a(ctx, t)
		if err == nil {
			*dst = v
		}
		return chromedp.Void{}, err
	}
}

// attr reads the attribute name of the element sel into dst.
func attr(sel chromedp.CSS, name string, dst *string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		r, err := chromedp.AttributeValue(sel, name)(ctx, t)
		*dst = r.Value
		return chromedp.Void{}, err
	}
}

// TestBrowserEditGerman edits the demo on the German edit form in a
// window of a laptop's width: the posts table fits it, a post's details
// open, Enter in the filter shows the posts that match, and German input
// is saved.
func TestBrowserEditGerman(t *testing.T) {
	ctx := browser(t)
	pc := newPageClient(t)
	srv := httptest.NewServer(pc.handler)
	defer srv.Close()
	var overflow, shown int
	var flash, recruiting string
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	run("open the German form",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein/edit?lang=de"),
		chromedp.WaitVisible(chromedp.CSS(`table.posts`)),
		into(chromedp.Evaluate[int](`(() => { const t = document.querySelector("table.posts"); return t.scrollWidth - t.parentElement.clientWidth })()`), &overflow),
	)
	run("open a post's details",
		chromedp.Click(chromedp.CSS(`#row-positions\[4\] summary`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="positions[4].recruiting"]`)),
		into(chromedp.Evaluate[string](`document.querySelector('input[name="positions[4].recruiting"]').value`), &recruiting),
	)
	run("filter with Enter",
		chromedp.SendKeys(chromedp.CSS(`#post-filter`), "Siegen\r"),
		chromedp.WaitVisible(chromedp.CSS(`#post-filter[value="Siegen"]`)),
		into(chromedp.Evaluate[int](`document.querySelectorAll("table.posts tbody").length`), &shown),
	)
	if overflow > 0 {
		t.Errorf("the posts table is %d pixels wider than the page", overflow)
	}
	if recruiting != "5 Monate" {
		t.Errorf("got recruiting %q, want 5 Monate", recruiting)
	}
	if shown == 0 || shown >= 10 {
		t.Errorf("the filter shows %d posts, want those with Siegen", shown)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein/edit?lang=de"),
		chromedp.WaitVisible(chromedp.CSS(`table.posts`)),
		chromedp.SetValue(chromedp.CSS(`input[name="positions[4].monthly_cost"]`), "4.636,50"),
		chromedp.Click(chromedp.CSS(`#row-positions\[4\] summary`)),
		chromedp.SetValue(chromedp.CSS(`input[name="positions[4].recruiting"]`), "3 Monate 2 Wochen"),
		chromedp.Click(chromedp.CSS(`.toolbar button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
		into(chromedp.Text(chromedp.CSS(`p.flash`)), &flash),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(flash, "2") {
		t.Errorf("got flash %q", flash)
	}
	if body := string(pc.current("kim-siegen-wittgenstein").Body); !strings.Contains(body, `"monthly_cost":4636.5`) || !strings.Contains(body, `"recruiting":"P3M2W"`) {
		t.Errorf("stored %s", body)
	}
}
