package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/handlers/api"
	"grantplan/planner"
	"grantplan/workbook"
)

// TestImport: POST /api/v1/import reads an exported workbook back, a CSV
// on a stored base, and answers every problem at its cell or line in the
// language asked for.
func TestImport(t *testing.T) {
	c, st := newStoreClient(t)
	if _, err := st.Create(context.Background(), data.DemoID, "demo", data.Demo); err != nil {
		t.Fatal(err)
	}
	xlsx := header{"Content-Type", workbook.ContentType}
	csv := header{"Content-Type", "text/csv; charset=utf-8"}
	book := c.do(http.MethodGet, "/api/v1/scenarios/"+data.DemoID+"/export.xlsx?lang=de", nil).Body.Bytes()
	rec := c.do(http.MethodPost, "/api/v1/import", book, xlsx)
	want, _ := planner.Canonical(data.Demo)
	if rec.Code != http.StatusOK || rec.Body.String() != string(want) {
		t.Errorf("got %d\n%s\nwant the demo's canonical JSON", rec.Code, rec.Body)
	}
	rec = c.do(http.MethodPost, "/api/v1/import?base="+data.DemoID+"&lang=de", []byte("Kennung;Förderung\nneu;kim-b2\nalt;kim-b9\n"), csv)
	checkStatus(t, rec, http.StatusUnprocessableEntity, "", []string{"Zeile 3, Spalte 2 (Förderung)"})
	var p api.Problem
	_ = json.Unmarshal(c.do(http.MethodPost, "/api/v1/import?base="+data.DemoID+"&lang=de", []byte("Kennung;Förderung\nalt;kim-b9\n"), csv).Body.Bytes(), &p)
	if len(p.Errors) != 1 || p.Errors[0].Message != `unbekannte Förderquelle "kim-b9"` {
		t.Errorf("got %+v, want the problem in German", p.Errors)
	}
	rec = c.do(http.MethodPost, "/api/v1/import?base="+data.DemoID, []byte("id,funding\nnew,kim-b2\n"), csv)
	if rec.Code != http.StatusOK || !strings.HasSuffix(rec.Body.String(), `"positions":[{"id":"new","funding":"kim-b2"}]}`) {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
	checkStatus(t, c.do(http.MethodPost, "/api/v1/import", []byte("id\na\n"), csv), http.StatusBadRequest, "base", nil)
	checkStatus(t, c.do(http.MethodPost, "/api/v1/import?base=nope", []byte("id\na\n"), csv), http.StatusNotFound, "", nil)
	checkStatus(t, c.do(http.MethodPost, "/api/v1/import", []byte("{}")), http.StatusUnsupportedMediaType, "text/csv", nil)
	checkStatus(t, c.do(http.MethodPost, "/api/v1/import", []byte("not a zip"), xlsx), http.StatusUnprocessableEntity, "", []string{"$"})
	checkStatus(t, c.do(http.MethodPost, "/api/v1/import?lang=fr", book, xlsx), http.StatusBadRequest, "lang", nil)
	big := make([]byte, api.MaxImportSize+1)
	checkStatus(t, c.do(http.MethodPost, "/api/v1/import", big, xlsx), http.StatusRequestEntityTooLarge, "", nil)
	// A body over the API's usual 1 MiB is still read: 5,000 posts.
	var large strings.Builder
	large.WriteString("id,title,funding\n")
	for i := range planner.MaxPositions {
		fmt.Fprintf(&large, "p%d,%s,kim-b2\n", i, strings.Repeat("t", 200))
	}
	if rec := c.do(http.MethodPost, "/api/v1/import?base="+data.DemoID, []byte(large.String()), csv); rec.Code != http.StatusOK || large.Len() < api.MaxBodySize {
		t.Errorf("a CSV of %d bytes: got %d %.300s", large.Len(), rec.Code, rec.Body)
	}
}

func TestTemplate(t *testing.T) {
	c, _ := newStoreClient(t)
	rec := c.do(http.MethodGet, "/api/v1/template.xlsx?lang=de", nil)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != workbook.ContentType ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), `filename="grantplan-vorlage.xlsx"`) {
		t.Fatalf("got %d %v", rec.Code, rec.Header())
	}
	rec = c.do(http.MethodPost, "/api/v1/import?lang=de", rec.Body.Bytes(), header{"Content-Type", workbook.ContentType})
	checkStatus(t, rec, http.StatusUnprocessableEntity, "", []string{"Eingaben!B6", "Eingaben!B8", "Eingaben!A25", "Eingaben!A43"})
}
