package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/handlers/api"
	"grantplan/service"
)

// deletedList is the answer of GET /api/v1/admin/deleted.
type deletedList struct {
	Scenarios []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Revision int    `json:"revision"`
		Deleted  string `json:"deleted"`
	} `json:"scenarios"`
	Total int `json:"total"`
}

// TestDeletedThroughTheAPI deletes a scenario with two revisions, finds it
// among the deleted, reads its history and makes it live again as it
// was: the same revision, the same ETag.
func TestDeletedThroughTheAPI(t *testing.T) {
	c, st := newStoreClient(t)
	storeDemo(t, st)
	admin := bearer(tokenOf(t, c.deps, "root", service.RoleAdmin))
	path := "/api/v1/scenarios/" + data.DemoID
	changed := demoWith(t, map[string]any{"description": "changed"})
	if rec := c.do(http.MethodPut, path, changed, header{"If-Match", `"1"`}); rec.Code != http.StatusOK {
		t.Fatalf("update: %d", rec.Code)
	}
	if rec := c.do(http.MethodDelete, path, nil, header{"If-Match", `"2"`}); rec.Code != http.StatusNoContent {
		t.Fatalf("delete: %d", rec.Code)
	}

	// A planner may delete, but only an admin sees what was deleted.
	checkStatus(t, c.do(http.MethodGet, "/api/v1/admin/deleted", nil), http.StatusForbidden, "may not see and restore deleted scenarios", nil)
	list := decode[deletedList](t, c.do(http.MethodGet, "/api/v1/admin/deleted", nil, admin))
	if list.Total != 1 || len(list.Scenarios) != 1 || list.Scenarios[0].ID != data.DemoID || list.Scenarios[0].Revision != 2 || list.Scenarios[0].Deleted == "" {
		t.Errorf("got %+v, want the demo at revision 2 with its deletion time", list)
	}
	if list := decode[deletedList](t, c.do(http.MethodGet, "/api/v1/admin/deleted?q=nothing&limit=5", nil, admin)); list.Total != 0 || len(list.Scenarios) != 0 {
		t.Errorf("search: got %+v, want nothing", list)
	}
	checkStatus(t, c.do(http.MethodGet, "/api/v1/admin/deleted?offset=-1", nil, admin), http.StatusBadRequest, "offset", nil)

	deleted := "/api/v1/admin/deleted/" + data.DemoID
	revisions := decode[api.RevisionList](t, c.do(http.MethodGet, deleted+"/revisions", nil, admin))
	if len(revisions.Revisions) != 2 {
		t.Errorf("got %d revisions, want 2", len(revisions.Revisions))
	}
	first := decode[storedScenario](t, c.do(http.MethodGet, deleted+"/revisions/1", nil, admin))
	checkSameJSON(t, "revision 1 of the deleted demo", first.Scenario, data.Demo)
	checkStatus(t, c.do(http.MethodGet, deleted+"/revisions/3", nil, admin), http.StatusNotFound, "no revision 3", nil)
	checkStatus(t, c.do(http.MethodGet, "/api/v1/admin/deleted/nobody/revisions", nil, admin), http.StatusNotFound, "no deleted scenario", nil)

	rec := c.do(http.MethodPost, deleted+"/restore", nil, admin)
	if rec.Code != http.StatusOK || rec.Header().Get("ETag") != `"2"` || rec.Header().Get("Location") != path {
		t.Fatalf("restore: got %d, ETag %s, Location %s; want 200, \"2\", %s", rec.Code, rec.Header().Get("ETag"), rec.Header().Get("Location"), path)
	}
	checkSameJSON(t, "the restored demo", decode[storedScenario](t, c.do(http.MethodGet, path, nil)).Scenario, changed)
	checkStatus(t, c.do(http.MethodPost, deleted+"/restore", nil, admin), http.StatusNotFound, "no deleted scenario", nil)
	if list := decode[deletedList](t, c.do(http.MethodGet, "/api/v1/admin/deleted", nil, admin)); list.Total != 0 {
		t.Errorf("after the restore: got %+v, want no deleted scenario", list)
	}
}

// TestDeletedPages deletes a scenario on its page and restores it on the
// administrator's pages.
func TestDeletedPages(t *testing.T) {
	pc := newPageClientAs(t, "root", service.RoleAdmin)
	wantPage(t, "no deleted scenario", pc.get("/admin/deleted"), http.StatusOK, "No scenario has been deleted.")
	if rec := pc.post("/scenarios/"+data.DemoID+"/delete", url.Values{"revision": {"1"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("delete: got %d", rec.Code)
	}
	wantPage(t, "the deleted scenarios", pc.get("/admin/deleted"), http.StatusOK,
		`href="/admin/deleted/`+data.DemoID+`"`, "KIM Kreis Siegen-Wittgenstein", `action="/admin/deleted/`+data.DemoID+`/restore"`)
	wantPage(t, "its history", pc.get("/admin/deleted/"+data.DemoID+"?lang=de"), http.StatusOK,
		"Gelöscht: KIM Kreis Siegen-Wittgenstein", "bei Revision 1", `href="/api/v1/admin/deleted/`+data.DemoID+`/revisions/1"`)
	wantPage(t, "a live scenario's history", pc.get("/admin/deleted/nobody"), http.StatusNotFound)

	rec := pc.post("/admin/deleted/"+data.DemoID+"/restore", url.Values{})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/scenarios/"+data.DemoID) {
		t.Fatalf("restore: got %d to %s", rec.Code, rec.Header().Get("Location"))
	}
	wantPage(t, "the restored scenario", pc.get(rec.Header().Get("Location")), http.StatusOK, "Wiederhergestellt")
	wantPage(t, "the list", pc.get("/"), http.StatusOK, `href="/scenarios/`+data.DemoID+`"`)
}
