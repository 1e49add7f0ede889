package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"grantplan/planner"
)

// plan answers POST /api/v1/plan: the body is a scenario, the answer its
// plan (SPEC §7), the same document as `grantplan plan --json`.
func (a *api) plan(c *gin.Context) {
	body, err := readJSON(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	s, err := decodeScenario(body)
	if err != nil {
		a.fail(c, err)
		return
	}
	a.writePlan(c, s)
}

// planStored answers GET /api/v1/scenarios/{id}/plan with the plan of the
// scenario's current revision.
func (a *api) planStored(c *gin.Context) {
	sc, err := a.scenarios.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.fail(c, err)
		return
	}
	// A stored scenario was valid when stored; a later, stricter planner
	// may still refuse it, and then the client learns why (422).
	s, err := planner.Decode(sc.Body)
	if err != nil {
		a.fail(c, err)
		return
	}
	a.writePlan(c, s)
}

func (a *api) writePlan(c *gin.Context, s *planner.Scenario) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), a.planTimeout)
	defer cancel()
	plan, err := s.Plan(ctx)
	if err != nil {
		a.fail(c, err)
		return
	}
	a.writeJSON(c, http.StatusOK, plan)
}
