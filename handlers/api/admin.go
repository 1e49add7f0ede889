package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/httperr"
	"grantplan/planner"
	"grantplan/service"
)

// The administrator's routes (/api/v1/admin/…): the deleted scenarios,
// their history, and making one live again. The service decides who may
// (service.ActionDeleted).

// deletedInfo is a deleted scenario in a deletedList.
type deletedInfo struct {
	scenarioInfo
	Deleted time.Time `json:"deleted"`
}

type deletedList struct {
	Scenarios []deletedInfo `json:"scenarios"`
	Total     int           `json:"total"`
}

// ListDeleted answers GET /api/v1/admin/deleted[?q=&offset=&limit=].
func (a *Handlers) ListDeleted(c *gin.Context) {
	opts := service.ListOptions{Query: c.Query("q")}
	for _, p := range []struct {
		name   string
		target *int
	}{{"offset", &opts.Offset}, {"limit", &opts.Limit}} {
		value, given := c.GetQuery(p.name)
		if !given {
			continue
		}
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			a.Fail(c, httperr.Errorf(http.StatusBadRequest, "%s: %q is not a whole number from 0 on", p.name, value))
			return
		}
		*p.target = n
	}
	list, total, err := a.service.Deleted(c.Request.Context(), opts)
	if err != nil {
		a.Fail(c, err)
		return
	}
	answer := deletedList{Scenarios: make([]deletedInfo, len(list)), Total: total}
	for i, sc := range list {
		answer.Scenarios[i] = deletedInfo{scenarioInfo: infoOf(sc), Deleted: sc.Deleted}
	}
	a.writeJSON(c, http.StatusOK, answer)
}

// ListDeletedRevisions answers GET /api/v1/admin/deleted/{id}/revisions,
// oldest first.
func (a *Handlers) ListDeletedRevisions(c *gin.Context) {
	id := c.Param("id")
	list, err := a.service.DeletedRevisions(c.Request.Context(), id)
	if err != nil {
		a.Fail(c, err)
		return
	}
	answer := RevisionList{ID: id, Revisions: make([]RevisionInfo, len(list))}
	for i, r := range list {
		answer.Revisions[i] = RevisionInfo{Revision: r.Revision, Name: r.Name, Created: r.Created}
	}
	a.writeJSON(c, http.StatusOK, answer)
}

// GetDeletedRevision answers GET
// /api/v1/admin/deleted/{id}/revisions/{revision}.
func (a *Handlers) GetDeletedRevision(c *gin.Context) {
	id := c.Param("id")
	revision, err := strconv.Atoi(c.Param("revision"))
	if err != nil || revision < 1 {
		a.Fail(c, planner.Errorf(planner.KindNotFound, "scenario %q has no revision %q: revisions are numbered from 1", id, c.Param("revision")))
		return
	}
	sc, err := a.service.DeletedRevision(c.Request.Context(), id, revision)
	if err != nil {
		a.Fail(c, err)
		return
	}
	a.writeJSON(c, http.StatusOK, resourceOf(sc))
}

// Undelete answers POST /api/v1/admin/deleted/{id}/restore: the scenario
// is live again, at the revision and ETag it had.
func (a *Handlers) Undelete(c *gin.Context) {
	sc, err := a.service.Undelete(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.Fail(c, err)
		return
	}
	c.Header("Location", scenarioPath(sc.ID))
	c.Header("ETag", etag(sc.Revision))
	a.writeJSON(c, http.StatusOK, resourceOf(sc))
}
