package api

import (
	"fmt"
	"net/http"
	"strconv"

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
	a.writePlan(c, p)
}

// writePlan answers with the plan's JSON. Its length is given, so that
// net/http sends the answer in one piece rather than in chunks (it does
// so by itself only for answers under 2 KiB).
func (a *Handlers) writePlan(c *gin.Context, p *service.Planned) {
	body, err := p.PlanJSON()
	if err != nil {
		a.Fail(c, fmt.Errorf("api: encode the plan: %w", err))
		return
	}
	c.Header("Content-Length", strconv.Itoa(len(body)))
	c.Data(http.StatusOK, "application/json", body)
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
	a.writePlan(c, p)
}
