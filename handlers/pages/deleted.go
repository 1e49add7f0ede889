package pages

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/web"
	"grantplan/service"
)

// deletedPage is /admin/deleted, the deleted scenarios, and
// /admin/deleted/{id}, one of them with its revisions: an
// administrator's pages (service.ActionDeleted).
type deletedPage struct {
	web.Frame
	Scenarios []deletedRow
	// For one scenario:
	ID, Name, Deleted string
	Current           int
	Revisions         []historyRow
}

type deletedRow struct {
	ID, Name, Deleted string
	Revision          int
}

// Deleted answers GET /admin/deleted: every deleted scenario, with when
// it was deleted, its history and a button to restore it.
func (a *Handlers) Deleted(c *gin.Context) {
	l := web.Lang(c)
	list, _, err := a.Service.Deleted(c.Request.Context(), service.ListOptions{})
	if err != nil {
		a.Fail(c, err)
		return
	}
	p := &deletedPage{}
	p.Title = l.Text("page.deleted.title")
	for _, sc := range list {
		p.Scenarios = append(p.Scenarios, deletedRow{ID: sc.ID, Name: sc.Name, Revision: sc.Revision, Deleted: web.LocalTime(l, sc.Deleted)})
	}
	a.Render(c, http.StatusOK, "deleted", p)
}

// DeletedHistory answers GET /admin/deleted/{id}: a deleted scenario's
// revisions, newest first, each readable as JSON, and a button to restore
// it.
func (a *Handlers) DeletedHistory(c *gin.Context) {
	l := web.Lang(c)
	ctx := c.Request.Context()
	id := c.Param("id")
	revisions, err := a.Service.DeletedRevisions(ctx, id)
	if err != nil {
		a.Fail(c, err)
		return
	}
	last, err := a.Service.DeletedRevision(ctx, id, revisions[len(revisions)-1].Revision)
	if err != nil {
		a.Fail(c, err)
		return
	}
	p := &deletedPage{ID: id, Name: last.Name, Current: last.Revision, Deleted: web.LocalTime(l, last.Deleted)}
	for i := len(revisions) - 1; i >= 0; i-- {
		r := revisions[i]
		p.Revisions = append(p.Revisions, historyRow{Revision: r.Revision, Name: r.Name, Created: web.LocalTime(l, r.Created)})
	}
	p.Title = l.Printf("page.deleted.title_one", last.Name)
	a.Render(c, http.StatusOK, "deleted", p)
}

// Undelete answers POST /admin/deleted/{id}/restore: the scenario is live
// again, and its page says so.
func (a *Handlers) Undelete(c *gin.Context) {
	sc, err := a.Service.Undelete(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.Fail(c, err)
		return
	}
	web.SeeOther(c, fmt.Sprintf("/scenarios/%s?undeleted=1", sc.ID))
}
