package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"grantplan/service"
)

// Plan answers POST /api/v1/plan: the body is a scenario, the answer its
// plan (docs/scenario.md, The plan), the same document as
// `grantplan plan --json`.
func (a *Handlers) Plan(c *gin.Context) {
	body, err := readJSON(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	p, err := a.service.Plan(c.Request.Context(), service.Posted(body), service.PlanOptions{})
	if err != nil {
		a.Fail(c, malformedOr(body, err))
		return
	}
	a.writeJSON(c, http.StatusOK, p.Plan)
}

// PlanStored answers GET /api/v1/scenarios/{id}/plan[?rev=N] with the
// plan of the scenario's current revision or of revision N. The plan
// document does not name the revision (it is the document POST
// /api/v1/plan answers); Content-Location does.
func (a *Handlers) PlanStored(c *gin.Context) {
	src, err := storedSource(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	p, err := a.service.Plan(c.Request.Context(), src, service.PlanOptions{})
	if err != nil {
		a.Fail(c, err)
		return
	}
	setContentLocation(c, p.Record.Revision)
	a.writeJSON(c, http.StatusOK, p.Plan)
}
