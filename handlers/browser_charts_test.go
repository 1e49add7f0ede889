package handlers

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"grantplan/data"
	"grantplan/service"
)

// svgText is where the browser drew a chart's text, in the chart's own
// units, and the chart's size.
type svgText struct {
	Chart, Text              string
	Left, Right, Top, Bottom float64
	Width, Height            float64
}

// textBoxes lists every text of every SVG chart on the page with its box
// as the browser measured it (getBBox) and its chart's viewBox.
const textBoxes = `[...document.querySelectorAll('figure.chart > svg')].flatMap(svg => {
	const box = svg.viewBox.baseVal;
	return [...svg.querySelectorAll('text')].map(text => {
		const b = text.getBBox();
		return {Chart: svg.getAttribute('aria-labelledby'), Text: text.textContent,
			Left: b.x, Right: b.x + b.width, Top: b.y, Bottom: b.y + b.height, Width: box.width, Height: box.height};
	});
})`

// TestBrowserTextInside: in a real browser, with its own fonts, every
// text of every chart lies inside its chart — the scenario page with a
// risk run, a what-if and a comparison, in English and German — and the
// charts to be compared stand one above the other at full width, their
// axes level.
func TestBrowserTextInside(t *testing.T) {
	ctx := browser(t)
	pc := newPageClientAs(t, "", "")
	addUser(t, pc.deps, "anna", service.RolePlanner)
	longer := bytes.Replace(data.Demo, []byte(`"end": "2022-12-31"`), []byte(`"end": "2023-12-31"`), -1)
	if _, err := pc.store.Create(context.Background(), "longer", "KIM verlängert", longer); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(pc.handler)
	defer srv.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), signIn("anna"), chromedp.WaitVisible(chromedp.CSS(`table.list`))); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	pages := []struct {
		name, path string
		charts     int
	}{
		{"scenario with risk", demoPath + "?risk=1&trials=200&spread=0.8:1.5", 3},
		{"what-if", demoPath + "/whatif?end1=2023-06-30", 2},
		{"compare", "/compare?id=kim-siegen-wittgenstein&id=longer", 2},
	}
	for _, lang := range []string{"en", "de"} {
		for _, page := range pages {
			t.Run(lang+"/"+page.name, func(t *testing.T) {
				sep := "?"
				if strings.Contains(page.path, "?") {
					sep = "&"
				}
				var boxes []svgText
				var gantts []struct{ Left, Width float64 }
				err := chromedp.Do(ctx,
					chromedp.Navigate(srv.URL+page.path+sep+"lang="+lang),
					chromedp.WaitVisible(chromedp.CSS(`svg.gantt`)),
					into(chromedp.Evaluate[[]svgText](textBoxes), &boxes),
					into(chromedp.Evaluate[[]struct{ Left, Width float64 }](`[...document.querySelectorAll('svg.gantt')].map(s => {
						const r = s.getBoundingClientRect(); return {Left: r.left, Width: r.width};
					})`), &gantts),
				)
				if err != nil {
					t.Fatal(err)
				}
				if len(boxes) < 30 {
					t.Fatalf("found only %d texts", len(boxes))
				}
				for _, b := range boxes {
					if b.Left < -0.5 || b.Right > b.Width+0.5 || b.Top < -0.5 || b.Bottom > b.Height+0.5 {
						t.Errorf("%s: %q at x %.1f–%.1f, y %.1f–%.1f leaves its chart of %.0f × %.0f", b.Chart, b.Text, b.Left, b.Right, b.Top, b.Bottom, b.Width, b.Height)
					}
					if strings.HasSuffix(b.Text, "…") {
						t.Errorf("%s: %q is shortened although the demo's names fit", b.Chart, b.Text)
					}
				}
				if page.charts == 2 {
					if len(gantts) != 2 || gantts[0].Left != gantts[1].Left || gantts[0].Width != gantts[1].Width || gantts[0].Width < 1000 {
						t.Errorf("the Gantt charts are at %+v, want two of the page's full width, one above the other", gantts)
					}
				}
			})
		}
	}
}

// TestBrowserPrint: printed from the browser, the scenario page leaves out
// the controls and, without a risk run, the risk panel, whose heading
// would stand alone; with a risk run the panel prints.
func TestBrowserPrint(t *testing.T) {
	ctx := browser(t)
	pc := newPageClientAs(t, "", "")
	addUser(t, pc.deps, "anna", service.RolePlanner)
	srv := httptest.NewServer(pc.handler)
	defer srv.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), signIn("anna"), chromedp.WaitVisible(chromedp.CSS(`table.list`))); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	printMedia := func(ctx context.Context, target *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return chromedp.Void{}, err
	}
	display := `['#risk', '#whatif-form', 'nav.actions', '#gantt-heading'].map(s => getComputedStyle(document.querySelector(s)).display).join(' ')`
	var without, with string
	err := chromedp.Do(ctx,
		printMedia,
		chromedp.Navigate(srv.URL+demoPath+"?lang=de"),
		chromedp.WaitReady(chromedp.CSS(`svg.gantt`)),
		into(chromedp.Evaluate[string](display), &without),
		chromedp.Navigate(srv.URL+demoPath+"?lang=de&risk=1&trials=100"),
		chromedp.WaitReady(chromedp.CSS(`svg.gantt`)),
		into(chromedp.Evaluate[string](`getComputedStyle(document.getElementById('risk')).display + ' ' + getComputedStyle(document.getElementById('risk-heading')).display`), &with),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The risk panel, the what-if form, the actions, the schedule's
	// heading.
	if want := "none none none block"; without != want {
		t.Errorf("printed without a risk run, got displays %q, want %q", without, want)
	}
	if with != "block block" {
		t.Errorf("printed with a risk run, the panel shows as %q", with)
	}
}
