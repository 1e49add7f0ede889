package handlers

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/xuri/excelize/v2"

	"grantplan/data"
	"grantplan/handlers/api"
	"grantplan/service"
	"grantplan/workbook"
)

// openWorkbook checks that an answer is a workbook attachment named after
// the scenario and today, and reads it.
func openWorkbook(t *testing.T, rec *httptest.ResponseRecorder, before date.Date, wantName string) *excelize.File {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("got status %d, want 200: %s", rec.Code, truncate(rec.Body.String()))
	}
	if got := rec.Header().Get("Content-Type"); got != workbook.ContentType {
		t.Errorf("got Content-Type %q, want %q", got, workbook.ContentType)
	}
	disposition, params, err := mime.ParseMediaType(rec.Header().Get("Content-Disposition"))
	if err != nil || disposition != "attachment" {
		t.Errorf("got Content-Disposition %q (%v), want an attachment", rec.Header().Get("Content-Disposition"), err)
	}
	// The day may turn during the request.
	after := date.NewAt(time.Now().In(service.Zone))
	if got := params["filename"]; got != workbook.FileName(wantName, before) && got != workbook.FileName(wantName, after) {
		t.Errorf("got file name %q, want %q", got, workbook.FileName(wantName, before))
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("the answer is not a workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestExport(t *testing.T) {
	c, _ := newStoreClient(t)
	tests := []struct {
		name, query, wantSheet string
	}{
		{"default", "", "Gantt"},
		{"English", "?lang=en", "Gantt"},
		{"German", "?lang=de", "Zeitplan"},
		{"German with a region", "?lang=de-DE", "Zeitplan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := date.NewAt(time.Now().In(service.Zone))
			rec := c.do(http.MethodPost, "/api/v1/export.xlsx"+tt.query, data.Demo)
			f := openWorkbook(t, rec, today, "KIM Kreis Siegen-Wittgenstein")
			if got := f.GetSheetList(); len(got) != 6 || got[0] != tt.wantSheet {
				t.Errorf("got sheets %q, want 6 starting with %q", got, tt.wantSheet)
			}
			rows, err := f.GetRows(tt.wantSheet)
			if err != nil {
				t.Fatal(err)
			}
			// Seven heading rows (the revision's among them), two group
			// headings and ten posts.
			if len(rows) != 19 {
				t.Errorf("got %d rows on the Gantt, want 19", len(rows))
			}
		})
	}
}

func TestExportStored(t *testing.T) {
	c, st := newStoreClient(t)
	ctx := context.Background()
	if _, err := st.Create(ctx, data.DemoID, "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	umlauts := []byte(`{"name": "Förderung Übergang", "start": "2022-01-01", "funding": [{"id": "f", "start": "2022-01-01", "end": "2023-12-31"}], "positions": [{"id": "a"}]}`)
	if _, err := st.Create(ctx, "umlauts", "Förderung Übergang", umlauts); err != nil {
		t.Fatal(err)
	}
	today := date.NewAt(time.Now().In(service.Zone))
	rec := c.do(http.MethodGet, "/api/v1/scenarios/"+data.DemoID+"/export.xlsx?lang=de", nil)
	f := openWorkbook(t, rec, today, "KIM Kreis Siegen-Wittgenstein")
	if got, _ := f.GetCellValue("Zeitplan", "A2"); got != "Planungsbeginn" {
		t.Errorf("A2 = %q, want Planungsbeginn", got)
	}

	rec = c.do(http.MethodGet, "/api/v1/scenarios/umlauts/export.xlsx", nil)
	openWorkbook(t, rec, today, "Förderung Übergang")
	header := rec.Header().Get("Content-Disposition")
	for _, want := range []string{
		`filename="Foerderung-Uebergang-`,
		`filename*=UTF-8''F%C3%B6rderung-%C3%9Cbergang-`,
	} {
		if !strings.Contains(header, want) {
			t.Errorf("Content-Disposition %q lacks %q", header, want)
		}
	}

	rec = c.do(http.MethodGet, "/api/v1/scenarios/no-such-scenario/export.xlsx", nil)
	checkStatus(t, rec, http.StatusNotFound, "no-such-scenario", nil)

	if _, err := st.Create(ctx, "broken", "broken", []byte(`{"name": "broken"}`)); err != nil {
		t.Fatal(err)
	}
	rec = c.do(http.MethodGet, "/api/v1/scenarios/broken/export.xlsx", nil)
	checkStatus(t, rec, http.StatusUnprocessableEntity, "", []string{"start", "funding", "positions"})

	rec = c.do(http.MethodGet, "/api/v1/scenarios/"+data.DemoID+"/export.xlsx?lang=fr", nil)
	checkStatus(t, rec, http.StatusBadRequest, `lang: "fr" is not a language of the workbook: want en or de`, nil)
}

// TestExportErrors checks every way an export request can fail, and that
// none of them is a 500.
func TestExportErrors(t *testing.T) {
	c, _ := newStoreClient(t)
	tests := []struct {
		name       string
		query      string
		body       []byte
		headers    []header
		wantStatus int
		wantDetail string
		wantPaths  []string
	}{
		{name: "bad language", query: "?lang=fr", body: data.Demo, wantStatus: 400, wantDetail: `lang: "fr" is not a language`},
		{name: "empty language", query: "?lang=", body: data.Demo, wantStatus: 400, wantDetail: `lang: "" is not a language`},
		{name: "not JSON", body: []byte("name: x"), wantStatus: 400, wantDetail: "not valid JSON"},
		{name: "empty body", body: []byte{}, wantStatus: 400, wantDetail: "empty"},
		{name: "wrong content type", body: data.Demo, headers: []header{{"Content-Type", "text/plain"}}, wantStatus: 415, wantDetail: "text/plain"},
		{name: "invalid scenario", body: []byte(`{"name": "x", "start": "2021-01-01", "funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}],
			"positions": [{"id": "a", "titel": "A"}, {"id": "b", "after": ["xyz"]}]}`),
			wantStatus: 422, wantPaths: []string{"positions[0].titel", "positions[1].after[0]"}},
		{name: "too large", body: append(append([]byte(`{"name": "`), bytes.Repeat([]byte("a"), api.MaxBodySize)...), `"}`...), wantStatus: 413, wantDetail: "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := c.do(http.MethodPost, "/api/v1/export.xlsx"+tt.query, tt.body, tt.headers...)
			checkStatus(t, rec, tt.wantStatus, tt.wantDetail, tt.wantPaths)
		})
	}
	if lines := c.logs.lines("level=ERROR"); len(lines) > 0 {
		t.Errorf("got error log lines %q, want none", lines)
	}
}

func TestExportTimeout(t *testing.T) {
	st := openStore(t, t.TempDir()+"/grantplan.db")
	c := newClient(t, testDeps(t, st, service.Options{PlanTimeout: time.Nanosecond}))
	rec := c.do(http.MethodPost, "/api/v1/export.xlsx", demoWith(t, map[string]any{"hr_capacity": 2}))
	checkStatus(t, rec, http.StatusServiceUnavailable, "planning took longer", nil)
}

// TestExportWithRisk: ?risk=true adds the Risk sheet, with the risk
// options from the query; bad options are problems.
func TestExportWithRisk(t *testing.T) {
	c, st := newStoreClient(t)
	if _, err := st.Create(context.Background(), "uncertain", "uncertain", data.DemoUncertain); err != nil {
		t.Fatal(err)
	}
	today := date.NewAt(time.Now().In(service.Zone))
	rec := c.do(http.MethodGet, "/api/v1/scenarios/uncertain/export.xlsx?lang=de&risk=true&trials=300&seed=5", nil)
	f := openWorkbook(t, rec, today, "KIM Kreis Siegen-Wittgenstein (uncertain hiring times)")
	if got := f.GetSheetList(); len(got) != 7 || got[5] != "Risiko" || got[6] != "Eingaben" {
		t.Fatalf("got sheets %q, want seven, the Risiko sixth and the Eingaben last", got)
	}
	if v, _ := f.GetCellValue("Risiko", "B2", excelize.Options{RawCellValue: true}); v != "300" {
		t.Errorf("trials on the Risk sheet = %q, want 300", v)
	}
	rec = c.do(http.MethodPost, "/api/v1/export.xlsx?risk=false&trials=0", data.Demo)
	if f := openWorkbook(t, rec, today, "KIM Kreis Siegen-Wittgenstein"); len(f.GetSheetList()) != 6 {
		t.Errorf("risk=false: got sheets %q, want no Risk sheet", f.GetSheetList())
	}
	rec = c.do(http.MethodPost, "/api/v1/export.xlsx?risk=true&trials=0&spread=x", data.Demo)
	checkStatus(t, rec, http.StatusUnprocessableEntity, "", []string{"spread"})
	rec = c.do(http.MethodPost, "/api/v1/export.xlsx?risk=true&trials=0", data.Demo)
	checkStatus(t, rec, http.StatusUnprocessableEntity, "", []string{"trials"})
	rec = c.do(http.MethodPost, "/api/v1/export.xlsx?risk=maybe", data.Demo)
	checkStatus(t, rec, http.StatusBadRequest, "risk", nil)
}
