package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"grantplan/locale"
	"grantplan/planner"
)

// plan answers POST /api/v1/plan: the body is a scenario, the answer its
// plan (SPEC §7), the same document as `grantplan plan --json`.
func (a *api) plan(c *gin.Context) {
	s, _, err := bodyScenario(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	a.writePlan(c, s)
}

// planStored answers GET /api/v1/scenarios/{id}/plan with the plan of the
// scenario's current revision.
func (a *api) planStored(c *gin.Context) {
	s, _, err := a.storedScenario(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	a.writePlan(c, s)
}

// storedScenario decodes the current revision of the stored scenario
// named by the path's id, and returns it with its body. A stored scenario
// was valid when stored; a later, stricter planner may still refuse it,
// and then the client learns why (422).
func (a *api) storedScenario(c *gin.Context) (*planner.Scenario, []byte, error) {
	sc, err := a.scenarios.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		return nil, nil, err
	}
	s, err := planner.Decode(sc.Body)
	return s, sc.Body, err
}

// bodyScenario reads and decodes the scenario that is the request's body,
// and returns it with the body.
func bodyScenario(c *gin.Context) (*planner.Scenario, []byte, error) {
	body, err := readJSON(c)
	if err != nil {
		return nil, nil, err
	}
	s, err := decodeScenario(body)
	return s, body, err
}

func (a *api) writePlan(c *gin.Context, s *planner.Scenario) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), a.planTimeout)
	defer cancel()
	plan, err := s.Plan(ctx)
	if err != nil {
		a.fail(c, err)
		return
	}
	locale.English.Describe(plan)
	a.writeJSON(c, http.StatusOK, plan)
}
