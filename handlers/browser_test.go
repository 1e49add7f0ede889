package handlers

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"grantplan/service"
)

// browser starts a headless Chromium for a test, or skips the test when
// there is none; in CI (CI=true), where .ci/run installs Debian's
// chromium, a missing browser fails the test instead.
func browser(t *testing.T) context.Context {
	t.Helper()
	ctx, _ := browsers(t)
	return ctx
}

// browsers is browser, and a function that opens another browser on the
// same Chromium that shares nothing with the first: no cookies, no
// history, as another person's.
func browsers(t *testing.T) (context.Context, func() context.Context) {
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
	another := func() context.Context {
		// The first browser must be running before another context of it
		// can be made.
		if err := chromedp.Do(ctx); err != nil {
			t.Fatal(err)
		}
		fresh, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		return fresh
	}
	return ctx, another
}

// signIn fills in the login form the browser is on and sends it.
func signIn(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(`#login-name`)),
		chromedp.SendKeys(chromedp.CSS(`#login-name`), name),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), userPassword),
		chromedp.Click(chromedp.CSS(`form.login button[type="submit"]`)),
	)
}

// count is how many elements the page has that match sel, at once.
func count(sel string, n *int) chromedp.Action[chromedp.Void] {
	return into(chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)), n)
}

// TestBrowser plays a planning session in a real browser: sign in, open
// the demo, change a post's recruiting time and save, see its bar move
// and its flag change, try a what-if, switch to German, sign out.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	pc := newPageClientAs(t, "", "")
	addUser(t, pc.deps, "anna", service.RolePlanner)
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
	var who string
	run("sign in",
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein/history"),
		signIn("anna"),
		chromedp.WaitVisible(chromedp.CSS(`table.list`)),
		into(chromedp.Text(chromedp.CSS(`header .user`)), &who),
	)
	if who != "anna (planner)" {
		t.Errorf("got %q in the header, want anna (planner)", who)
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

	var after string
	run("sign out",
		chromedp.Click(chromedp.CSS(`header form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#login-name`)),
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein"),
		chromedp.WaitVisible(chromedp.CSS(`#login-name`)),
		into(chromedp.Location(), &after),
	)
	if !strings.HasSuffix(after, "/login?next=%2Fscenarios%2Fkim-siegen-wittgenstein") {
		t.Errorf("after signing out, the scenario led to %s, want the login", after)
	}
}

// TestBrowserShareLink: a planner makes a read-only link on the scenario
// page; another browser, never signed in, opens it and sees the plan and
// its downloads, in German too, and no control to change anything.
func TestBrowserShareLink(t *testing.T) {
	ctx, another := browsers(t)
	pc := newPageClientAs(t, "", "")
	addUser(t, pc.deps, "anna", service.RolePlanner)
	srv := httptest.NewServer(pc.handler)
	defer srv.Close()

	var link string
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/login"),
		signIn("anna"),
		chromedp.WaitVisible(chromedp.CSS(`table.list`)),
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein"),
		chromedp.Click(chromedp.CSS(`form.share button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#share-url`)),
		into(chromedp.Value(chromedp.CSS(`#share-url`)), &link),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(link, srv.URL+"/s/") {
		t.Fatalf("got link %q", link)
	}

	fresh := another()
	var flags, header, german, lang string
	var controls, forms, downloads int
	err = chromedp.Do(fresh,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`svg.gantt`)),
		into(chromedp.Text(chromedp.CSS(`ol.flags`)), &flags),
		into(chromedp.Text(chromedp.CSS(`header.top`)), &header),
		count(`a[href$="/edit"], a[href$="/history"], a[href$="/delete"], #whatif-form, .risk-controls, form.share, header a[href="/"]`, &controls),
		count(`main form[method="post"]`, &forms),
		count(`.downloads a[href*="/export.xlsx"]`, &downloads),
		chromedp.Click(chromedp.CSS(`nav.lang a[lang="de"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="de"]`)),
		attr(chromedp.CSS(`html`), "lang", &lang),
		into(chromedp.Text(chromedp.CSS(`ol.flags`)), &german),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(flags, "Case Manager Wittgenstein (S 12) is filled only on 2023-04-01") || !strings.Contains(german, "Kritisch:") || lang != "de" {
		t.Errorf("got flags\n%s\nand in %s\n%s", flags, lang, german)
	}
	if !strings.Contains(header, "Read-only link") || strings.Contains(header, "anna") {
		t.Errorf("got header %q", header)
	}
	if controls != 0 || forms != 0 || downloads != 2 {
		t.Errorf("got %d controls to change or leave the scenario, %d forms, %d workbook downloads; want 0, 0, 2", controls, forms, downloads)
	}
	var elsewhere string
	err = chromedp.Do(fresh,
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein"),
		chromedp.WaitVisible(chromedp.CSS(`#login-name`)),
		into(chromedp.Location(), &elsewhere),
	)
	if err != nil || !strings.Contains(elsewhere, "/login") {
		t.Errorf("the share link's browser went to the scenario itself: %s, %v", elsewhere, err)
	}
}

// TestBrowserViewer: a viewer sees the scenarios and may plan what-ifs,
// but no control to change, share or store anything.
func TestBrowserViewer(t *testing.T) {
	ctx := browser(t)
	pc := newPageClientAs(t, "", "")
	addUser(t, pc.deps, "vera", service.RoleViewer)
	srv := httptest.NewServer(pc.handler)
	defer srv.Close()
	var who string
	var listControls, pageControls, whatIfSave, kpis int
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		signIn("vera"),
		chromedp.WaitVisible(chromedp.CSS(`table.list`)),
		into(chromedp.Text(chromedp.CSS(`header .user`)), &who),
		count(`a[href$="/edit"], a[href$="/delete"], form[action$="/duplicate"], form[action="/scenarios/new"], form[action="/scenarios/upload"]`, &listControls),
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein"),
		chromedp.WaitVisible(chromedp.CSS(`svg.gantt`)),
		count(`nav.actions a.button, form.share, a[href$="/shares"]`, &pageControls),
		chromedp.Click(chromedp.CSS(`#wi-parallel`)),
		chromedp.Click(chromedp.CSS(`#whatif-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#after-heading`)),
		count(`table.kpitable`, &kpis),
		count(`form[method="post"][action$="/whatif"]`, &whatIfSave),
	)
	if err != nil {
		t.Fatal(err)
	}
	if who != "vera (viewer)" || listControls != 0 || pageControls != 0 || whatIfSave != 0 || kpis != 1 {
		t.Errorf("got %q, %d controls on the list, %d on the page, %d what-if save forms, %d KPI tables; want vera (viewer), 0, 0, 0, 1",
			who, listControls, pageControls, whatIfSave, kpis)
	}
}

// TestBrowserRisk runs the risk analysis from the scenario page: a spread
// typed into the form, the run's decision date in its card and a whisker
// on a Gantt row.
func TestBrowserRisk(t *testing.T) {
	ctx := browser(t)
	pc := newPageClientAs(t, "", "")
	addUser(t, pc.deps, "vera", service.RoleViewer)
	srv := httptest.NewServer(pc.handler)
	defer srv.Close()
	var decision, whiskerX, share string
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein"),
		signIn("vera"),
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
	pc := newPageClientAs(t, "", "")
	addUser(t, pc.deps, "vera", service.RoleViewer)
	srv := httptest.NewServer(pc.handler)
	defer srv.Close()
	var title string
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein"),
		signIn("vera"),
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
	pc := newPageClientAs(t, "", "")
	addUser(t, pc.deps, "anna", service.RolePlanner)
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
	run("sign in",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.URL+"/scenarios/kim-siegen-wittgenstein/history"),
		signIn("anna"),
		chromedp.WaitVisible(chromedp.CSS(`table.list`)),
	)
	run("open the German form",
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
