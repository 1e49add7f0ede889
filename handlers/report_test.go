package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
	"github.com/rickb777/date/v2"

	"grantplan/data"
	"grantplan/handlers/web"
	"grantplan/planner"
	"grantplan/report"
	"grantplan/service"
)

// readReport checks that an answer is a PDF attachment named after the
// scenario and today, and returns the text of its pages.
func readReport(t *testing.T, rec *httptest.ResponseRecorder, before date.Date, wantName string) []string {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("got status %d, want 200: %s", rec.Code, truncate(rec.Body.String()))
	}
	if got := rec.Header().Get("Content-Type"); got != report.ContentType {
		t.Errorf("got Content-Type %q, want %q", got, report.ContentType)
	}
	disposition, params, err := mime.ParseMediaType(rec.Header().Get("Content-Disposition"))
	if err != nil || disposition != "attachment" {
		t.Errorf("got Content-Disposition %q (%v), want an attachment", rec.Header().Get("Content-Disposition"), err)
	}
	after := date.NewAt(time.Now().In(service.Zone))
	if got := params["filename"]; got != report.FileName(wantName, before) && got != report.FileName(wantName, after) {
		t.Errorf("got file name %q, want %q", got, report.FileName(wantName, before))
	}
	body := rec.Body.Bytes()
	r, err := pdf.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("the answer is not a PDF: %v", err)
	}
	pages := make([]string, r.NumPage())
	for i := range pages {
		var b strings.Builder
		for _, text := range r.Page(i + 1).Content().Text {
			b.WriteString(text.S)
		}
		pages[i] = b.String()
	}
	return pages
}

func TestReport(t *testing.T) {
	c, _ := newStoreClient(t)
	tests := []struct {
		name, query string
		want        []string
	}{
		{"default", "", []string{"1  Decision", "not stored", "Page 1 of"}},
		{"German", "?lang=de", []string{"1  Entscheidung", "nicht gespeichert", "Seite 1 von"}},
		{"risk", "?risk=true&trials=100&seed=1", []string{"Latest decision at 80.0 % confidence", "100 trials, seed 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := date.NewAt(time.Now().In(service.Zone))
			rec := c.do(http.MethodPost, "/api/v1/report.pdf"+tt.query, data.Demo)
			pages := readReport(t, rec, today, "KIM Kreis Siegen-Wittgenstein")
			if len(pages) < 3 || len(pages) > 6 {
				t.Errorf("got %d pages, want 3 to 6", len(pages))
			}
			for _, want := range tt.want {
				if !strings.Contains(pages[0], want) {
					t.Errorf("the first page lacks %q", want)
				}
			}
			if got := rec.Header().Get("Content-Location"); got != "" {
				t.Errorf("a posted scenario's report has Content-Location %q", got)
			}
		})
	}
	rec := c.do(http.MethodPost, "/api/v1/report.pdf?lang=fr", data.Demo)
	checkStatus(t, rec, http.StatusBadRequest, `lang: "fr" is not a language of the report: want en or de`, nil)
	rec = c.do(http.MethodPost, "/api/v1/report.pdf", []byte(`{"name": "x"}`))
	checkStatus(t, rec, http.StatusUnprocessableEntity, "", []string{"start", "funding", "positions"})
}

// TestRevisions: the plan, the workbook and the report of a stored
// scenario are of its current revision, or of the revision ?rev names,
// and each says which: the report in every footer, the workbook in its
// title rows and header, all three in Content-Location.
func TestRevisions(t *testing.T) {
	c, st := newStoreClient(t)
	ctx := context.Background()
	if _, err := st.Create(ctx, data.DemoID, "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	// Revision 2 funds the case managers a year longer.
	longer := bytes.Replace(data.Demo, []byte(`"end": "2022-12-31", "rate": 1, "per_fte_year": 55000, "cap": null}
  ]`), []byte(`"end": "2023-12-31", "rate": 1, "per_fte_year": 55000, "cap": null}
  ]`), 1)
	if bytes.Equal(longer, data.Demo) {
		t.Fatal("the demo's second funding source is not where the test expects it")
	}
	if _, err := st.Update(ctx, data.DemoID, 1, "demo", longer); err != nil {
		t.Fatal(err)
	}
	const path = "/api/v1/scenarios/" + data.DemoID
	funded := func(rec *httptest.ResponseRecorder) string {
		t.Helper()
		var plan struct {
			Summary struct {
				FundedCost json.Number `json:"funded_cost"`
			} `json:"summary"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &plan); err != nil {
			t.Fatalf("%v: %s", err, truncate(rec.Body.String()))
		}
		return plan.Summary.FundedCost.String()
	}
	tests := []struct {
		query, wantRevision, wantFunded string
	}{
		{"", "2", "0"}, // filled in below: revision 2's own figure
		{"?rev=2", "2", "0"},
		{"?rev=1", "1", "174166.67"},
	}
	current := c.do(http.MethodGet, path+"/plan", nil)
	tests[0].wantFunded, tests[1].wantFunded = funded(current), funded(current)
	if tests[0].wantFunded == "174166.67" {
		t.Fatal("revision 2 has revision 1's funded cost")
	}
	for _, tt := range tests {
		t.Run("plan"+tt.query, func(t *testing.T) {
			rec := c.do(http.MethodGet, path+"/plan"+tt.query, nil)
			if got := funded(rec); got != tt.wantFunded {
				t.Errorf("got funded cost %s, want %s", got, tt.wantFunded)
			}
			if got, want := rec.Header().Get("Content-Location"), path+"/plan?rev="+tt.wantRevision; got != want {
				t.Errorf("got Content-Location %q, want %q", got, want)
			}
		})
		t.Run("report"+tt.query, func(t *testing.T) {
			query := "?lang=de"
			if tt.query != "" {
				query += "&" + tt.query[1:]
			}
			rec := c.do(http.MethodGet, path+"/report.pdf"+query, nil)
			pages := readReport(t, rec, date.NewAt(time.Now().In(service.Zone)), "KIM Kreis Siegen-Wittgenstein")
			for i, page := range pages {
				if !strings.Contains(page, "Revision "+tt.wantRevision+" vom ") {
					t.Errorf("page %d's footer does not say revision %s", i+1, tt.wantRevision)
				}
			}
			money := strings.ReplaceAll(strings.ReplaceAll(tt.wantFunded, ".", ","), "174166", "174.166")
			if tt.wantRevision == "1" && !strings.Contains(pages[0], money+" €") {
				t.Errorf("the first page does not show revision 1's funded cost %s €", money)
			}
			if got := rec.Header().Get("Content-Location"); !strings.Contains(got, "rev="+tt.wantRevision) || !strings.Contains(got, "lang=de") {
				t.Errorf("got Content-Location %q", got)
			}
		})
		t.Run("export"+tt.query, func(t *testing.T) {
			rec := c.do(http.MethodGet, path+"/export.xlsx"+tt.query, nil)
			f := openWorkbook(t, rec, date.NewAt(time.Now().In(service.Zone)), "KIM Kreis Siegen-Wittgenstein")
			hf, err := f.GetHeaderFooter("Gantt")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(hf.OddHeader, "Revision "+tt.wantRevision+", saved ") {
				t.Errorf("got header %q, want revision %s", hf.OddHeader, tt.wantRevision)
			}
			if got := rec.Header().Get("Content-Location"); got != path+"/export.xlsx?rev="+tt.wantRevision {
				t.Errorf("got Content-Location %q", got)
			}
		})
	}
	for _, suffix := range []string{"/plan", "/report.pdf", "/export.xlsx"} {
		rec := c.do(http.MethodGet, path+suffix+"?rev=one", nil)
		checkStatus(t, rec, http.StatusBadRequest, `rev: "one" is not a revision number`, nil)
		rec = c.do(http.MethodGet, path+suffix+"?rev=7", nil)
		checkStatus(t, rec, http.StatusNotFound, "", nil)
	}
}

// TestRevisionPageLinks: the page of an old revision says which revision
// it shows with that revision's time, and every download link on it
// carries that revision and answers (the report and the workbook say the
// revision inside); the current page's links carry the current revision,
// so that a save in between does not change what they download.
func TestRevisionPageLinks(t *testing.T) {
	pc := newPageClient(t)
	ctx := context.Background()
	first := pc.current(data.DemoID)
	if _, err := pc.store.Update(ctx, data.DemoID, 1, first.Name, bytes.Replace(data.Demo, []byte(`"hr_capacity": 0`), []byte(`"hr_capacity": 2`), 1)); err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`href="(/scenarios/[^/"]+/(?:report\.pdf|export\.xlsx|scenario\.json|plan\.json)[^"]*)"`)
	for _, tt := range []struct {
		query, revision string
	}{{"?rev=1", "1"}, {"", "2"}} {
		rec := pc.get(demoPath + tt.query)
		body := rec.Body.String()
		wantPage(t, tt.query, rec, http.StatusOK, "History (revision "+tt.revision+", ")
		if tt.revision == "1" {
			saved := first.Updated.In(service.Zone).Format("2006-01-02 15:04")
			wantPage(t, tt.query, rec, http.StatusOK, "You are looking at revision 1; the current one is 2.", "History (revision 1, "+saved+")")
		}
		hrefs := link.FindAllStringSubmatch(body, -1)
		if len(hrefs) != 6 {
			t.Fatalf("%s: got %d download links, want 6", tt.query, len(hrefs))
		}
		for _, m := range hrefs {
			href := strings.ReplaceAll(m[1], "&amp;", "&")
			if !strings.Contains(href, "rev="+tt.revision) {
				t.Errorf("%s: the link %s does not carry revision %s", tt.query, href, tt.revision)
			}
			answer := pc.get(href)
			if answer.Code != http.StatusOK {
				t.Errorf("%s: %s answers %d", tt.query, href, answer.Code)
				continue
			}
			if loc := answer.Header().Get("Content-Location"); loc != "" && !strings.Contains(loc, "rev="+tt.revision) {
				t.Errorf("%s: %s answers with Content-Location %s", tt.query, href, loc)
			}
		}
	}
}

// TestPageDownloads: the scenario page's report and workbook links are
// pages' routes that a signed-in browser follows with its session: the
// report of the revision asked for, in the language asked for, which
// neither changes the reader's language nor is remembered; a share
// link's page offers the report of its revision too, without a risk run.
func TestPageDownloads(t *testing.T) {
	pc := newPageClient(t)
	ctx := asCommandLine()
	renamed, _ := service.Renamed(data.Demo, "Renamed later")
	if _, err := pc.deps.Service.Update(ctx, data.DemoID, service.IfRevision(1), renamed); err != nil {
		t.Fatal(err)
	}
	today := date.NewAt(time.Now().In(service.Zone))
	rec := pc.get(demoPath + "/report.pdf?lang=de&rev=1&risk=true&trials=100&seed=2&confidence=0.8")
	text := readReport(t, rec, today, "KIM Kreis Siegen-Wittgenstein")
	if !strings.Contains(text[0], "Revision 1 vom") || !strings.Contains(text[0], "100 Durchläufe, Startwert 2") {
		t.Errorf("the report is not of revision 1 with its risk run:\n%s", text[0])
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == web.LangCookie {
			t.Errorf("a download set the language cookie to %q", c.Value)
		}
	}
	wantPage(t, "after the download", pc.get(demoPath), http.StatusOK, "History (revision 2, ")
	wantPage(t, "bad language", pc.get(demoPath+"/report.pdf?lang=fr"), http.StatusBadRequest, "A workbook or report is written in English")
	wantPage(t, "bad risk", pc.get(demoPath+"/report.pdf?risk=true&trials=0"), http.StatusBadRequest, "cannot be read")

	share, err := pc.deps.Service.CreateShare(ctx, data.DemoID, 1, planner.Period{Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	anonymous := newPageClientAs(t, "", "")
	anonymous.handler = pc.handler
	page := anonymous.get("/s/" + share.Secret)
	wantPage(t, "share page", page, http.StatusOK, `href="/s/`+share.Secret+`/report.pdf?lang=de"`)
	shared := readReport(t, anonymous.get("/s/"+share.Secret+"/report.pdf?lang=en"), today, "KIM Kreis Siegen-Wittgenstein")
	if !strings.Contains(shared[0], "Revision 1, saved") {
		t.Errorf("the share link's report is not of its revision 1:\n%s", shared[0])
	}
}
