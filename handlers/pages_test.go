package handlers

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/handlers/web"
	"grantplan/planner"
	"grantplan/service"
	"grantplan/store"
	"grantplan/store/sqlite"
	"grantplan/templates"
)

// pageClient drives the web pages through the real router like a browser
// would: it keeps the cookies it is given and sends the CSRF token with
// every form.
type pageClient struct {
	t       testing.TB
	handler http.Handler
	cookies map[string]string
	store   *sqlite.Store
	deps    Deps
	// allow500 lets a test expect a 500 (a damaged store); 503 and 507
	// (a busy or full store) are never server errors.
	allow500 bool
}

// newPageClient returns a client of a router on a new store that holds
// the demo scenario, signed in as the planner "anna": the role that may
// do everything with scenarios.
func newPageClient(t testing.TB) *pageClient {
	t.Helper()
	return newPageClientAs(t, "anna", service.RolePlanner)
}

// newPageClientAs is newPageClient signed in as name with role, or not
// signed in with the role "".
func newPageClientAs(t testing.TB, name string, role service.Role) *pageClient {
	t.Helper()
	st := openStore(t, filepath.Join(t.TempDir(), "grantplan.db"))
	if _, err := st.Create(context.Background(), data.DemoID, "KIM Kreis Siegen-Wittgenstein", data.Demo); err != nil {
		t.Fatal(err)
	}
	deps := testDeps(t, st, service.Options{})
	pc := &pageClient{t: t, handler: NewRouter(deps), cookies: map[string]string{}, store: st, deps: deps}
	if role != "" {
		pc.cookies[web.SessionCookie] = sessionOf(t, deps, name, role)
	}
	return pc
}

// csrf is the CSRF token of the client's forms: bound to its session
// cookie, which it fetches first if it has none.
func (pc *pageClient) csrf() string {
	pc.t.Helper()
	if pc.cookies[web.SessionCookie] == "" {
		pc.get("/login")
	}
	return csrfOf(pc.t, pc.deps, pc.cookies[web.SessionCookie])
}

func (pc *pageClient) send(req *http.Request, headers ...header) *httptest.ResponseRecorder {
	pc.t.Helper()
	for name, value := range pc.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	for _, h := range headers {
		req.Header.Set(h.name, h.value)
	}
	rec := httptest.NewRecorder()
	pc.handler.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(pc.cookies, c.Name)
			continue
		}
		pc.cookies[c.Name] = c.Value
	}
	if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable && rec.Code != http.StatusInsufficientStorage && !pc.allow500 {
		pc.t.Errorf("%s %s: got status %d, want no server error:\n%s", req.Method, req.URL, rec.Code, truncate(rec.Body.String()))
	}
	return rec
}

func (pc *pageClient) get(path string, headers ...header) *httptest.ResponseRecorder {
	pc.t.Helper()
	return pc.send(httptest.NewRequest(http.MethodGet, path, nil), headers...)
}

// post sends a form with the CSRF token.
func (pc *pageClient) post(path string, form url.Values) *httptest.ResponseRecorder {
	pc.t.Helper()
	form.Set(web.CSRFField, pc.csrf())
	return pc.postRaw(path, form)
}

func (pc *pageClient) postRaw(path string, form url.Values) *httptest.ResponseRecorder {
	pc.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return pc.send(req)
}

// wantPage checks the status, the HTML content type, the security headers
// and that the body holds every one of want.
func wantPage(t testing.TB, what string, rec *httptest.ResponseRecorder, status int, want ...string) {
	t.Helper()
	if rec.Code != status {
		t.Errorf("%s: got status %d, want %d\n%s", what, rec.Code, status, truncate(rec.Body.String()))
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("%s: got Content-Type %q, want text/html; charset=utf-8", what, ct)
	}
	for name, value := range map[string]string{
		"Content-Security-Policy": web.ContentSecurityPolicy,
		"X-Content-Type-Options":  "nosniff",
	} {
		if got := rec.Header().Get(name); got != value {
			t.Errorf("%s: got %s %q, want %q", what, name, got, value)
		}
	}
	body := rec.Body.String()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: the page lacks %q", what, w)
		}
	}
}

// current returns the stored scenario's current revision.
func (pc *pageClient) current(id string) store.Scenario {
	pc.t.Helper()
	sc, err := pc.store.Get(context.Background(), id)
	if err != nil {
		pc.t.Fatal(err)
	}
	return sc
}

const demoPath = "/scenarios/" + data.DemoID

func TestPages(t *testing.T) {
	pc := newPageClient(t)
	tests := []struct {
		name, path string
		status     int
		want       []string
	}{
		{"list", "/", 200, []string{"KIM Kreis Siegen-Wittgenstein", "16.67 %", "925,833.33 EUR", `href="/scenarios/kim-siegen-wittgenstein"`, `name="csrf"`, "Create a blank scenario"}},
		{"scenario", demoPath, 200, []string{"<svg class=\"gantt\"", "<title id=\"g0-title\">", "funding ends 2022-12-31", "planning start 2021-10-01",
			"Critical:</strong>", `href="#g0-row-cm-wittgenstein"`, `id="g0-row-cm-wittgenstein"`, "2020-09-01", "395 days before this plan&#39;s start",
			"25.00", "of 150.00 possible", "174,166.67 EUR", "export.xlsx?lang=de", "export.xlsx?lang=en", `href="/scenarios/kim-siegen-wittgenstein/plan.json?rev=1"`,
			"Recruiting from 2021-10-01 to 2022-02-01", `action="/scenarios/kim-siegen-wittgenstein/whatif"`, "Productive, funded FTE over time", `id="g0-post-cm-siegen-2"`}},
		{"old revision", demoPath + "?rev=1", 200, []string{"KIM Kreis Siegen-Wittgenstein"}},
		{"edit", demoPath + "/edit", 200, []string{`name="positions[4].recruiting" value="5 months"`, `name="positions[4].after" value="group:overhead"`, `name="funding[1].end" value="2022-12-31"`, `name="revision" value="1"`, `name="positions[4].monthly_cost" value="4,969"`}},
		{"history", demoPath + "/history", 200, []string{"(current)", "KIM Kreis Siegen-Wittgenstein"}},
		{"what-if", demoPath + "/whatif?parallel=1", 200, []string{"All posts are hired at once", "Key figures before and after", `id="g1-title"`, "Save as new scenario", `name="parallel" value="1"`}},
		{"what-if unchanged", demoPath + "/whatif", 200, []string{"Nothing is changed yet"}},
		{"delete confirmation", demoPath + "/delete", 200, []string{`action="/scenarios/kim-siegen-wittgenstein/delete"`, `name="revision" value="1"`}},
		{"compare nothing", "/compare", 200, []string{"Choose two or more scenarios"}},
		{"unknown scenario", "/scenarios/nope", 404, []string{"There is no such scenario"}},
		{"unknown edit", "/scenarios/nope/edit", 404, nil},
		{"unknown what-if", "/scenarios/nope/whatif", 404, nil},
		{"unknown revision", demoPath + "?rev=9", 404, nil},
		{"bad revision", demoPath + "?rev=x", 404, nil},
		{"unknown page", "/nowhere", 404, []string{"There is no such page"}},
		{"what-if bad date", demoPath + "/whatif?start=2021-13-01&hr=-1", 422, []string{"Give a date such as", `aria-invalid="true"`, "Give a whole number from 0"}},
		{"what-if invalid variant", demoPath + "/whatif?end0=1800-01-01", 422, []string{"wi-end0-error"}},
		{"compare too many", "/compare?id=a&id=b&id=c&id=d&id=e&id=f&id=g", 422, nil},
		{"compare unknown", "/compare?id=a&id=b", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantPage(t, tt.path, pc.get(tt.path), tt.status, tt.want...)
		})
	}
}

func TestAPIUnknownRouteStaysJSON(t *testing.T) {
	pc := newPageClient(t)
	rec := pc.get("/api/v1/nothing")
	if rec.Code != 404 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("got %d %s, want 404 application/problem+json", rec.Code, rec.Header().Get("Content-Type"))
	}
}

func TestStaticFiles(t *testing.T) {
	pc := newPageClient(t)
	for _, path := range []string{"/static/style.css", "/static/app.js"} {
		rec := pc.get(path)
		if rec.Code != 200 || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: got %d, want 200 with nosniff", path, rec.Code)
		}
	}
}

// TestNoInlineScriptOrStyle holds the templates to the CSP: no inline
// script, no style attribute or element, nothing from another site.
func TestNoInlineScriptOrStyle(t *testing.T) {
	forbidden := regexp.MustCompile(`<script>|<script [^>]*>[^<]|style=|<style|\son[a-z]+="|https?://(?:[^w]|w[^w])`)
	entries, _ := templates.FS.ReadDir(".")
	for _, e := range entries {
		b, _ := templates.FS.ReadFile(e.Name())
		if m := forbidden.Find(b); m != nil {
			t.Errorf("%s holds %q", e.Name(), m)
		}
	}
}

func TestCSRF(t *testing.T) {
	pc := newPageClient(t)
	pc.get("/")
	tests := []struct {
		name  string
		token string
	}{
		{"no token", ""},
		{"wrong token", strings.Repeat("x", 43)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"revision": {"1"}}
			if tt.token != "" {
				form.Set(web.CSRFField, tt.token)
			}
			wantPage(t, "delete", pc.postRaw(demoPath+"/delete", form), http.StatusForbidden, "This form has expired")
			wantPage(t, "duplicate", pc.postRaw(demoPath+"/duplicate", form), http.StatusForbidden)
		})
	}
	t.Run("no cookie", func(t *testing.T) {
		fresh := newPageClient(t)
		fresh.cookies = map[string]string{}
		rec := fresh.postRaw("/scenarios/new", url.Values{"name": {"x"}, web.CSRFField: {pc.csrf()}})
		wantPage(t, "new", rec, http.StatusForbidden)
	})
	t.Run("another session's token", func(t *testing.T) {
		other := *pc
		other.cookies = map[string]string{web.SessionCookie: sessionOf(t, pc.deps, "bernd", service.RolePlanner)}
		rec := other.postRaw(demoPath+"/duplicate", url.Values{web.CSRFField: {pc.csrf()}})
		wantPage(t, "duplicate", rec, http.StatusForbidden, "This form has expired")
		if rec := other.post(demoPath+"/duplicate", url.Values{}); rec.Code != http.StatusSeeOther {
			t.Errorf("with its own token: got %d, want 303", rec.Code)
		}
	})
	if sc := pc.current(data.DemoID); sc.Revision != 1 {
		t.Errorf("got revision %d after refused posts, want 1", sc.Revision)
	}
	if list, _, _ := pc.store.List(context.Background(), store.ListOptions{}); len(list) != 2 {
		t.Errorf("got %d scenarios after refused posts and one accepted, want 2", len(list))
	}
}

// TestGetsChangeNothing visits every page and checks that the store is
// as it was.
func TestGetsChangeNothing(t *testing.T) {
	pc := newPageClient(t)
	for _, path := range []string{"/", demoPath, demoPath + "/edit", demoPath + "/history", demoPath + "/delete",
		demoPath + "/whatif?parallel=1&name=x", "/compare?id=" + data.DemoID, demoPath + "/duplicate", demoPath + "/restore"} {
		pc.get(path)
	}
	if sc := pc.current(data.DemoID); sc.Revision != 1 {
		t.Errorf("got revision %d, want 1", sc.Revision)
	}
	if list, _, _ := pc.store.List(context.Background(), store.ListOptions{}); len(list) != 1 {
		t.Errorf("got %d scenarios, want 1", len(list))
	}
}

func TestLanguage(t *testing.T) {
	tests := []struct {
		name    string
		query   string
		headers []header
		want    []string
	}{
		{"default", "", nil, []string{`<html lang="en">`, "2022-12-31", "925,833.33 EUR"}},
		{"query", "?lang=de", nil, []string{`<html lang="de">`, "31.12.2022", "925.833,33 €", "Kritisch", "16,67 %", "Personalsuche vom 01.10.2021 bis 01.02.2022", "wird erst am 01.04.2023 besetzt"}},
		{"accept-language", "", []header{{"Accept-Language", "fr;q=0.9, de-DE;q=0.8, en;q=0.5"}}, []string{`<html lang="de">`}},
		{"accept-language prefers English", "", []header{{"Accept-Language", "en-GB, de;q=0.3"}}, []string{`<html lang="en">`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pc := newPageClient(t)
			wantPage(t, tt.name, pc.get(demoPath+tt.query, tt.headers...), 200, tt.want...)
		})
	}
	t.Run("remembered", func(t *testing.T) {
		pc := newPageClient(t)
		pc.get("/?lang=de")
		if pc.cookies[web.LangCookie] != "de" {
			t.Fatalf("got language cookie %q, want de", pc.cookies[web.LangCookie])
		}
		wantPage(t, "after the switch", pc.get(demoPath, header{"Accept-Language", "en"}), 200, `<html lang="de">`, `href="/scenarios/kim-siegen-wittgenstein?lang=en"`)
		wantPage(t, "switched back", pc.get(demoPath+"?lang=en"), 200, `<html lang="en">`)
	})
}

// editForm fetches the edit page and returns its form's fields as they
// would be posted, pressing the first submit button (save).
func (pc *pageClient) editForm(id string) url.Values {
	pc.t.Helper()
	rec := pc.get("/scenarios/" + id + "/edit")
	return formValues(pc.t, rec.Body.String())
}

// formValues reads the inputs, selects and textareas of an HTML page.
func formValues(t testing.TB, page string) url.Values {
	t.Helper()
	values := url.Values{}
	input := regexp.MustCompile(`<input ([^>]*)>`)
	attr := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(`(?:^| )` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return "", false
		}
		return htmlUnescape(m[1]), true
	}
	for _, m := range input.FindAllStringSubmatch(page, -1) {
		name, ok := attr(m[1], "name")
		if !ok || strings.Contains(m[1], `type="file"`) || (strings.Contains(m[1], `type="checkbox"`) && !strings.Contains(m[1], " checked")) {
			continue
		}
		value, _ := attr(m[1], "value")
		values.Add(name, value)
	}
	selects := regexp.MustCompile(`(?s)<select id="[^"]*" name="([^"]*)"[^>]*>(.*?)</select>`)
	selected := regexp.MustCompile(`<option value="([^"]*)" selected>`)
	for _, m := range selects.FindAllStringSubmatch(page, -1) {
		value := ""
		if s := selected.FindStringSubmatch(m[2]); s != nil {
			value = s[1]
		}
		values.Add(htmlUnescape(m[1]), value)
	}
	areas := regexp.MustCompile(`(?s)<textarea id="[^"]*" name="([^"]*)"[^>]*>(.*?)</textarea>`)
	for _, m := range areas.FindAllStringSubmatch(page, -1) {
		values.Add(htmlUnescape(m[1]), htmlUnescape(m[2]))
	}
	return values
}

func htmlUnescape(s string) string { return html.UnescapeString(s) }

func TestEditSave(t *testing.T) {
	pc := newPageClient(t)
	form := pc.editForm(data.DemoID)
	form.Set("positions[4].recruiting", "P1M")
	form.Set("action", "save")
	rec := pc.post(demoPath+"/edit", form)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != demoPath+"?saved=2" {
		t.Fatalf("got %d to %q, want 303 to %s?saved=2\n%s", rec.Code, rec.Header().Get("Location"), demoPath, truncate(rec.Body.String()))
	}
	sc := pc.current(data.DemoID)
	var got, want map[string]any
	_ = json.Unmarshal(sc.Body, &got)
	_ = json.Unmarshal(data.Demo, &want)
	want["positions"].([]any)[4].(map[string]any)["recruiting"] = "P1M"
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got stored body\n%s\nwant the demo with one recruiting time changed", sc.Body)
	}
	wantPage(t, "after saving", pc.get(demoPath+"?saved=2"), 200, "Saved as revision 2", "Recruiting from 2022-07-01 to 2022-08-01")
	wantPage(t, "history", pc.get(demoPath+"/history"), 200, "Restore revision 1")
}

// TestEditKeepsWhatTheFormDoesNotShow saves a scenario with ranges,
// dependency objects and an unusual number unchanged, and finds its body
// exactly as it was.
func TestEditKeepsWhatTheFormDoesNotShow(t *testing.T) {
	pc := newPageClient(t)
	body := `{"name":"Ranges","start":"2024-01-01","hr_capacity":0,"defaults":{"recruiting":{"min":"P2M","likely":"P3M","max":"P6M"},"fte":1.0},` +
		`"funding":[{"id":"f","name":"F","start":"2024-01-01","end":"2026-12-31","rate":1,"cap":null}],` +
		`"positions":[{"id":"a","group":"g"},{"id":"b","group":"g","earliest":"2024-06-01"},` +
		`{"id":"c","after":[{"ref":"group:g","event":"recruited","lag":"P2W","count":1},"a"],"notice":{"min":"P1M","likely":"P1M","max":"P3M"}}]}`
	if _, err := pc.store.Create(context.Background(), "ranges", "Ranges", json.RawMessage(body)); err != nil {
		t.Fatal(err)
	}
	form := pc.editForm("ranges")
	if form.Get("positions[2].after") != "1 of group:g@recruited+2 weeks, a" || form.Get("positions[2].notice") != "1 month / 1 month / 3 months" {
		t.Errorf("got after %q and notice %q", form.Get("positions[2].after"), form.Get("positions[2].notice"))
	}
	form.Set("action", "save")
	if rec := pc.post("/scenarios/ranges/edit", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("got %d, want 303\n%s", rec.Code, truncate(rec.Body.String()))
	}
	if got := string(pc.current("ranges").Body); got != body {
		t.Errorf("got\n%s\nwant\n%s", got, body)
	}
	// A changed dependency is written back in the format's own form.
	form = pc.editForm("ranges")
	form.Set("positions[2].after", "2 of group:g@filled, b+P1M")
	form.Set("action", "save")
	if rec := pc.post("/scenarios/ranges/edit", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("got %d, want 303\n%s", rec.Code, truncate(rec.Body.String()))
	}
	if got := string(pc.current("ranges").Body); !strings.Contains(got, `"after":[{"ref":"group:g","event":"filled","count":2},{"ref":"b","lag":"P1M"}]`) {
		t.Errorf("got %s", got)
	}
}

func TestEditErrors(t *testing.T) {
	pc := newPageClient(t)
	form := pc.editForm(data.DemoID)
	form.Set("positions[2].recruiting", "P3X")
	form.Set("positions[3].monthly_cost", "lots")
	form.Set("funding[0].end", "2019-01-01")
	form.Set("positions[5].after", "group:nobody")
	form.Set("action", "save")
	rec := pc.post(demoPath+"/edit", form)
	wantPage(t, "invalid", rec, http.StatusUnprocessableEntity,
		`name="positions[2].recruiting" value="P3X" aria-invalid="true" aria-describedby="f-positions[2].recruiting-error"`,
		`id="f-positions[2].recruiting-error"`, `name="positions[3].monthly_cost" value="lots"`, `&#34;lots&#34; is not a number: write it as`,
		`id="f-funding[0].end-error"`, `id="f-positions[5].after-error"`, "Not saved:")
	if sc := pc.current(data.DemoID); sc.Revision != 1 {
		t.Errorf("got revision %d, want 1", sc.Revision)
	}
}

func TestEditConflict(t *testing.T) {
	pc := newPageClient(t)
	form := pc.editForm(data.DemoID)
	// Someone else saves first.
	sc := pc.current(data.DemoID)
	if _, err := pc.store.Update(context.Background(), data.DemoID, 1, sc.Name, sc.Body); err != nil {
		t.Fatal(err)
	}
	form.Set("positions[0].title", "Mine")
	form.Set("action", "save")
	rec := pc.post(demoPath+"/edit", form)
	wantPage(t, "stale", rec, http.StatusPreconditionFailed, "Someone else saved revision 2", `value="Mine"`, `name="revision" value="2"`, `name="base" value="1"`)
	// Saving again knowingly replaces the other version.
	again := formValues(t, rec.Body.String())
	again.Set("action", "save")
	if rec := pc.post(demoPath+"/edit", again); rec.Code != http.StatusSeeOther {
		t.Fatalf("got %d, want 303", rec.Code)
	}
	if body := string(pc.current(data.DemoID).Body); !strings.Contains(body, `"title":"Mine"`) {
		t.Errorf("got %s", body)
	}
}

func TestEditRowActions(t *testing.T) {
	pc := newPageClient(t)
	form := pc.editForm(data.DemoID)
	form.Set("positions[0].title", "Changed before the action")
	form.Set("action", "duplicate:positions:0")
	rec := pc.post(demoPath+"/edit", form)
	wantPage(t, "duplicate", rec, 200, `name="positions[1].id" value="ovh-gesamtkoordination-copy"`, `name="positions[1].title" value="Changed before the action"`, `name="positions.rows" value="11"`)
	form = formValues(t, rec.Body.String())
	form.Set("action", "remove:positions:2")
	rec = pc.post(demoPath+"/edit", form)
	wantPage(t, "remove", rec, 200, `name="positions.rows" value="10"`, `name="positions[2].id" value="ovh-kreisraum"`)
	form = formValues(t, rec.Body.String())
	form.Set("action", "add:positions")
	rec = pc.post(demoPath+"/edit", form)
	wantPage(t, "add", rec, 200, `name="positions[10].id" value="post-11"`)
	form = formValues(t, rec.Body.String())
	form.Set("action", "add:funding")
	rec = pc.post(demoPath+"/edit", form)
	wantPage(t, "add funding", rec, 200, `name="funding.rows" value="3"`)
	form = formValues(t, rec.Body.String())
	form.Set("action", "remove:funding:2")
	form.Set("positions[10].title", "New post")
	form.Set("action", "save")
	form.Set("funding.rows", "2")
	rec = pc.post(demoPath+"/edit", form)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("got %d, want 303\n%s", rec.Code, truncate(rec.Body.String()))
	}
	s, err := planner.Decode(pc.current(data.DemoID).Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Positions) != 11 || s.Positions[1].ID != "ovh-gesamtkoordination-copy" || s.Positions[10].Title != "New post" || s.Positions[1].MonthlyCost.RatString() != "6359" {
		t.Errorf("got %d positions: %+v", len(s.Positions), s.Positions[1])
	}
}

func TestWhatIfSaveAsNew(t *testing.T) {
	pc := newPageClient(t)
	wantPage(t, "no name", pc.post(demoPath+"/whatif", url.Values{"parallel": {"1"}, "name": {""}}), 422, "Give the new scenario a name")
	rec := pc.post(demoPath+"/whatif", url.Values{"parallel": {"1"}, "start": {"2021-07-01"}, "name": {"KIM parallel"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/scenarios/kim-parallel" {
		t.Fatalf("got %d to %q, want 303 to /scenarios/kim-parallel", rec.Code, rec.Header().Get("Location"))
	}
	body := string(pc.current("kim-parallel").Body)
	if strings.Contains(body, `"after"`) || !strings.Contains(body, `"start":"2021-07-01"`) || !strings.Contains(body, `"name":"KIM parallel"`) {
		t.Errorf("got %s", body)
	}
	wantPage(t, "compare", pc.get("/compare?id=kim-siegen-wittgenstein&id=kim-parallel"), 200, "KIM parallel", `id="g1-title"`, "Key figures")
	if sc := pc.current(data.DemoID); sc.Revision != 1 {
		t.Errorf("the what-if changed the base: revision %d", sc.Revision)
	}
}

func TestListActions(t *testing.T) {
	pc := newPageClient(t)
	t.Run("blank", func(t *testing.T) {
		rec := pc.post("/scenarios/new", url.Values{"name": {"Neue Förderung"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/scenarios/neue-foerderung/edit" {
			t.Fatalf("got %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		wantPage(t, "blank", pc.get("/scenarios/neue-foerderung"), 200, "Neue Förderung")
		wantPage(t, "no name", pc.post("/scenarios/new", url.Values{"name": {" "}}), 422, "Give the new scenario a name")
	})
	t.Run("duplicate", func(t *testing.T) {
		rec := pc.post(demoPath+"/duplicate", url.Values{})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/scenarios/kim-kreis-siegen-wittgenstein-copy" {
			t.Fatalf("got %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		if body := string(pc.current("kim-kreis-siegen-wittgenstein-copy").Body); !strings.Contains(body, `"name":"KIM Kreis Siegen-Wittgenstein (copy)"`) {
			t.Errorf("got %s", truncate(body))
		}
	})
	t.Run("delete", func(t *testing.T) {
		wantPage(t, "stale", pc.post("/scenarios/kim-kreis-siegen-wittgenstein-copy/delete", url.Values{"revision": {"7"}}), http.StatusPreconditionFailed)
		rec := pc.post("/scenarios/kim-kreis-siegen-wittgenstein-copy/delete", url.Values{"revision": {"1"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("got %d", rec.Code)
		}
		wantPage(t, "gone", pc.get("/scenarios/kim-kreis-siegen-wittgenstein-copy"), 404)
	})
	t.Run("restore", func(t *testing.T) {
		sc := pc.current(data.DemoID)
		body, _ := service.Renamed(sc.Body, "Renamed")
		if _, err := pc.store.Update(context.Background(), data.DemoID, 1, "Renamed", body); err != nil {
			t.Fatal(err)
		}
		rec := pc.post(demoPath+"/restore", url.Values{"revision": {"1"}, "current": {"2"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("got %d", rec.Code)
		}
		if got := pc.current(data.DemoID); got.Revision != 3 || got.Name != "KIM Kreis Siegen-Wittgenstein" {
			t.Errorf("got revision %d named %q", got.Revision, got.Name)
		}
	})
}

func TestUpload(t *testing.T) {
	pc := newPageClient(t)
	pc.get("/")
	upload := func(content string) *httptest.ResponseRecorder {
		var b strings.Builder
		b.WriteString("--X\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + pc.csrf() + "\r\n")
		b.WriteString("--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.json\"\r\nContent-Type: application/json\r\n\r\n" + content + "\r\n--X--\r\n")
		req := httptest.NewRequest(http.MethodPost, "/scenarios/upload", strings.NewReader(b.String()))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=X")
		return pc.send(req)
	}
	if rec := upload(string(data.Demo)); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/scenarios/kim-kreis-siegen-wittgenstein" {
		t.Errorf("got %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	wantPage(t, "invalid", upload(`{"name":"x","positions":[{"id":"A"}]}`), 422, "The scenario was not stored", "start: required", "positions[0].id")
	wantPage(t, "not JSON", upload(`nonsense`), 422, "The scenario was not stored")
}

// TestEditDescriptionCRLF: a browser sends a textarea's lines with CRLF;
// saving an untouched multi-line description keeps the stored text.
func TestEditDescriptionCRLF(t *testing.T) {
	pc := newPageClient(t)
	body := `{"name":"Lines","description":"line1\nline2","start":"2024-01-01",` +
		`"funding":[{"id":"f","start":"2024-01-01","end":"2026-12-31"}],"positions":[{"id":"a"}]}`
	if _, err := pc.store.Create(context.Background(), "lines", "Lines", []byte(body)); err != nil {
		t.Fatal(err)
	}
	form := pc.editForm("lines")
	form.Set("description", strings.ReplaceAll(form.Get("description"), "\n", "\r\n"))
	form.Set("action", "save")
	if rec := pc.post("/scenarios/lines/edit", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("got %d, want 303\n%s", rec.Code, truncate(rec.Body.String()))
	}
	if got := string(pc.current("lines").Body); !strings.Contains(got, `"description":"line1\nline2"`) {
		t.Errorf("the description changed: %s", got)
	}
}

// TestMalformedForms: a hidden field that is not a whole number is a 400
// naming it, never read as 0 (which looked like someone else's change or
// acted on the first row).
func TestMalformedForms(t *testing.T) {
	pc := newPageClient(t)
	edit := func(change func(url.Values)) url.Values {
		form := pc.editForm(data.DemoID)
		change(form)
		return form
	}
	tests := []struct {
		name, path string
		form       url.Values
		field      string
	}{
		{"delete", demoPath + "/delete", url.Values{"revision": {"x"}}, "revision"},
		{"restore", demoPath + "/restore", url.Values{"revision": {"1"}, "current": {""}}, "current"},
		{"edit revision", demoPath + "/edit", edit(func(f url.Values) { f.Set("revision", "1x"); f.Set("action", "save") }), "revision"},
		{"edit rows", demoPath + "/edit", edit(func(f url.Values) { f.Del("positions.rows"); f.Set("action", "save") }), "positions.rows"},
		{"row action", demoPath + "/edit", edit(func(f url.Values) { f.Set("action", "remove:positions:x") }), "action"},
		{"unknown action", demoPath + "/edit", edit(func(f url.Values) { f.Set("action", "explode:positions:1") }), "action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantPage(t, tt.name, pc.post(tt.path, tt.form), http.StatusBadRequest, "The form could not be read: the field "+tt.field)
		})
	}
	if sc := pc.current(data.DemoID); sc.Revision != 1 {
		t.Errorf("got revision %d after malformed forms, want 1", sc.Revision)
	}
}

// TestEditGerman: the German form shows every value as German writes it,
// takes German input in every field and stores canonical JSON.
func TestEditGerman(t *testing.T) {
	pc := newPageClient(t)
	wantPage(t, "German form", pc.get(demoPath+"/edit?lang=de"), 200,
		`name="positions[4].recruiting" value="5 Monate"`, `name="funding[1].end" value="31.12.2022"`, `name="start" value="01.10.2021"`,
		`name="positions[4].monthly_cost" value="4.969"`, `<th scope="col">Beginn</th>`, `<option value="Monatserster" selected>`,
		`<label for="f-start">Planungsbeginn (Beschlussdatum)</label>`, `>Beginn, Zeile 1 (kim-b1)</label>`)
	form := pc.editForm(data.DemoID)
	form.Set("start", "1.9.2021")
	form.Set("min_productive", "1 Jahr 2 Monate")
	form.Set("positions[0].recruiting", "3 Monate 2 Wochen")
	form.Set("positions[0].notice", "2 Monate / 3 Monate / P6M")
	form.Set("positions[0].monthly_cost", "4.636,50 €")
	form.Set("positions[0].fte", "0,5")
	form.Set("positions[1].earliest", "31.01.2022")
	form.Set("positions[1].start_on", "Quartalserster")
	form.Set("positions[5].after", "2 von group:overhead@Zusage+2 Wochen")
	form.Set("funding[0].cap", "1.000.000")
	form.Set("defaults.monthly_cost", "5.000")
	form.Set("action", "save")
	if rec := pc.post(demoPath+"/edit", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("got %d, want 303\n%s", rec.Code, truncate(rec.Body.String()))
	}
	body := string(pc.current(data.DemoID).Body)
	for _, want := range []string{`"start":"2021-09-01"`, `"min_productive":"P1Y2M"`, `"recruiting":"P3M2W"`,
		`"notice":{"min":"P2M","likely":"P3M","max":"P6M"}`, `"monthly_cost":4636.5`, `"fte":0.5`, `"earliest":"2022-01-31"`,
		`"start_on":"quarter_start"`, `"after":[{"ref":"group:overhead","event":"recruited","lag":"P2W","count":2}]`,
		`"cap":1000000`, `"monthly_cost":5000`} {
		if !strings.Contains(body, want) {
			t.Errorf("the stored body lacks %s:\n%s", want, body)
		}
	}
}

// TestEditErrorsGerman: a German form's problems are German, each counted
// once and shown beside its field; the funding sources' start is labelled
// as a source's start.
func TestEditErrorsGerman(t *testing.T) {
	pc := newPageClient(t)
	pc.get("/?lang=de")
	form := pc.editForm(data.DemoID)
	form.Set("funding[0].end", "31.02.2022")
	form.Set("positions[3].monthly_cost", "viel")
	form.Set("positions[5].after", "group:overhaed")
	form.Set("positions[2].recruiting", "drei Monate")
	form.Set("positions[1].fte", "2")
	form.Set("action", "save")
	rec := pc.post(demoPath+"/edit", form)
	page := html.UnescapeString(rec.Body.String())
	wantPage(t, "invalid", rec, http.StatusUnprocessableEntity)
	for _, want := range []string{
		"Nicht gespeichert: 5 Probleme",
		`"31.02.2022" ist kein Kalendertag`,
		`"viel" ist keine Zahl: geschrieben wie 4.636,00`,
		`unbekannte Gruppe "overhaed": keine Stelle gehört zu ihr`,
		`"drei Monate" ist kein Zeitraum`,
		`2 liegt außerhalb des erlaubten Bereichs: erwartet ist mehr als 0 und höchstens 1`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if marked := strings.Count(page, `aria-invalid="true"`); marked != 5 {
		t.Errorf("%d fields marked, want 5", marked)
	}
	for _, english := range []string{"want a", "is not a", "unknown group", "out of range"} {
		if strings.Contains(page, english) {
			t.Errorf("the German page says %q", english)
		}
	}
}

// TestEditPages: a form of many posts shows a page of them (or those the
// filter matches) and carries the rest along, so that saving changes only
// what was changed.
func TestEditPages(t *testing.T) {
	pc := newPageClient(t)
	body := largeScenario(120)
	if _, err := pc.store.Create(context.Background(), "large", "Large", body); err != nil {
		t.Fatal(err)
	}
	rec := pc.get("/scenarios/large/edit")
	wantPage(t, "first page", rec, 200, "Posts 1–50 of 120", `value="page:3"`, `id="f-positions[49].title"`, `type="hidden" name="positions[50].title"`)
	if strings.Contains(rec.Body.String(), `id="f-positions[50].title"`) {
		t.Error("the first page shows post 51")
	}
	form := formValues(t, rec.Body.String())
	form.Set("action", "page:3")
	rec = pc.post("/scenarios/large/edit", form)
	wantPage(t, "third page", rec, 200, "Posts 101–120 of 120", `id="f-positions[119].title"`, `aria-current="page"`)
	form = formValues(t, rec.Body.String())
	form.Set("positions[110].title", "Changed on page 3")
	form.Set("filter", "Post 7")
	form.Set("action", "filter")
	rec = pc.post("/scenarios/large/edit", form)
	wantPage(t, "filtered", rec, 200, "Posts 1–11 of the 11 that match (120 in all)", `id="f-positions[7].title"`, `id="f-positions[79].title"`,
		`type="hidden" name="positions[110].title" value="Changed on page 3"`)
	form = formValues(t, rec.Body.String())
	form.Set("positions[7].fte", "x")
	form.Set("filter", "")
	form.Set("action", "page:2")
	rec = pc.post("/scenarios/large/edit", form)
	form = formValues(t, rec.Body.String())
	form.Set("action", "save")
	rec = pc.post("/scenarios/large/edit", form)
	wantPage(t, "a problem on another page", rec, http.StatusUnprocessableEntity, `id="f-positions[7].fte-error"`, `id="f-positions[60].title"`)
	form = formValues(t, rec.Body.String())
	form.Set("positions[7].fte", "0.5")
	form.Set("action", "save")
	if rec := pc.post("/scenarios/large/edit", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("got %d, want 303\n%s", rec.Code, truncate(rec.Body.String()))
	}
	var got, want map[string]any
	_ = json.Unmarshal(pc.current("large").Body, &got)
	_ = json.Unmarshal(body, &want)
	positions := want["positions"].([]any)
	positions[110].(map[string]any)["title"] = "Changed on page 3"
	positions[7].(map[string]any)["fte"] = 0.5
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
}

// uploadFile posts a file to the list's upload with the given fields.
func (pc *pageClient) uploadFile(name string, content []byte, fields map[string]string) *httptest.ResponseRecorder {
	pc.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField(web.CSRFField, pc.csrf())
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	part, _ := w.CreateFormFile("file", name)
	_, _ = part.Write(content)
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, "/scenarios/upload", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return pc.send(req)
}

// TestUploadWorkbookAndCSV: the list's upload stores an exported workbook
// and a CSV of posts on a stored base; a file with problems stores nothing
// and shows them in the page's language.
func TestUploadWorkbookAndCSV(t *testing.T) {
	pc := newPageClient(t)
	wantPage(t, "the list", pc.get("/?lang=de"), 200, `href="/template.xlsx?lang=de"`, `accept=".json,.xlsx,.csv`, `<option value="kim-siegen-wittgenstein">`)
	book := pc.get("/scenarios/" + data.DemoID + "/export.xlsx?lang=de").Body.Bytes()
	edited := rezip(t, book, "xl/worksheets/sheet6.xml", func(sheet string) string { // the Input sheet
		return strings.Replace(sheet, "KIM Kreis Siegen-Wittgenstein</t>", "KIM aus Excel</t>", 1)
	})
	rec := pc.uploadFile("kim.xlsx", edited, nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/scenarios/kim-aus-excel" {
		t.Fatalf("a workbook: got %d to %q\n%s", rec.Code, rec.Header().Get("Location"), truncate(rec.Body.String()))
	}
	want, _ := planner.Canonical(bytes.Replace(data.Demo, []byte("KIM Kreis Siegen-Wittgenstein"), []byte("KIM aus Excel"), 1))
	if got := pc.current("kim-aus-excel").Body; !bytes.Equal(got, want) {
		t.Errorf("stored\n%s\nwant\n%s", got, want)
	}
	rec = pc.uploadFile("stellen.csv", []byte("Kennung;Förderung\nneu;kim-b2\n"), map[string]string{"base": data.DemoID})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("a CSV: got %d\n%s", rec.Code, truncate(rec.Body.String()))
	}
	count := len(pc.list())
	wantPage(t, "a CSV with a problem", pc.uploadFile("stellen.csv", []byte("Kennung;Förderung\nneu;kim-b9\n"), map[string]string{"base": data.DemoID}),
		422, "Das Szenario wurde nicht gespeichert", `Zeile 2, Spalte 2 (Förderung): unbekannte Förderquelle &#34;kim-b9&#34;`, `<option value="kim-siegen-wittgenstein" selected>`)
	wantPage(t, "a CSV without a base", pc.uploadFile("stellen.csv", []byte("Kennung\nneu\n"), nil), 422, "Wählen Sie es als Basis")
	wantPage(t, "a broken workbook", pc.uploadFile("kaputt.xlsx", []byte("PK\x03\x04 nothing"), nil), 422, "die Datei ist keine Arbeitsmappe")
	wantPage(t, "a template not filled in", pc.uploadFile("vorlage.xlsx", pc.get("/template.xlsx?lang=de").Body.Bytes(), nil), 422, "Eingaben!B8: fehlt, ist aber nötig")
	wantPage(t, "invalid JSON in German", pc.uploadFile("s.json", []byte(`{"name":"x","positions":[{"id":"A"}]}`), nil), 422, "start: fehlt, ist aber nötig")
	if got := len(pc.list()); got != count {
		t.Errorf("%d scenarios after the failed uploads, want %d", got, count)
	}
}

// rezip returns a zip with one part changed.
func rezip(t *testing.T, data []byte, name string, change func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != name {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte(change(string(content))))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// list is the stored scenarios.
func (pc *pageClient) list() []store.Scenario {
	pc.t.Helper()
	list, _, err := pc.store.List(context.Background(), store.ListOptions{})
	if err != nil {
		pc.t.Fatal(err)
	}
	return list
}

// TestEditBudget: the horizon, a pay rise and a post's employment are
// edited like every field, in German.
func TestEditBudget(t *testing.T) {
	pc := newPageClient(t)
	pc.get("/?lang=de")
	form := pc.editForm(data.DemoID)
	form.Set("action", "add:pay_raises")
	rec := pc.post(demoPath+"/edit", form)
	// The demo has the pay rise of April 2022; the new one comes after it.
	wantPage(t, "a pay rise added", rec, 200, `name="pay_raises[1].from"`, `name="pay_raises.rows" value="2"`)
	form = formValues(t, rec.Body.String())
	form.Set("pay_raises[1].from", "01.03.2023")
	form.Set("pay_raises[1].percent", "2,5")
	form.Set("horizon", "31.12.2024")
	form.Set("positions[0].employment", "unbefristet")
	form.Set("action", "save")
	if rec := pc.post(demoPath+"/edit", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("got %d\n%s", rec.Code, truncate(rec.Body.String()))
	}
	body := string(pc.current(data.DemoID).Body)
	for _, want := range []string{`"horizon":"2024-12-31"`, `"pay_raises":[{"from":"2022-04-01","percent":1.8},{"from":"2023-03-01","percent":2.5}]`, `"employment":"permanent"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the stored body lacks %s:\n%s", want, body)
		}
	}
}

// TestWhatIfGerman: the what-if controls take German dates, and the
// planner's refusal of a variant is said in German beside its control.
func TestWhatIfGerman(t *testing.T) {
	pc := newPageClient(t)
	pc.get("/?lang=de")
	rec := pc.get(demoPath + "/whatif?end0=01.01.2020")
	wantPage(t, "a funding end before its start", rec, http.StatusUnprocessableEntity,
		`id="wi-end0-error">01.01.2020 liegt vor dem Beginn der Quelle, 01.01.2021</span>`)
	if body := rec.Body.String(); strings.Contains(body, "is before") {
		t.Error("the German page says it in English")
	}
	wantPage(t, "a decision date typed in German", pc.get(demoPath+"/whatif?start=01.07.2021"), http.StatusOK,
		"Beschluss am 01.07.2021 statt am 01.10.2021.")
}
