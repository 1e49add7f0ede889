package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"grantplan/planner"
	"grantplan/store"
)

// scenarioInfo describes a stored scenario without its body; the list
// holds these.
type scenarioInfo struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Revision int       `json:"revision"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

// scenarioResource is a stored scenario, or one revision of it, with its
// body.
type scenarioResource struct {
	scenarioInfo
	Scenario json.RawMessage `json:"scenario"`
}

type scenarioList struct {
	Scenarios []scenarioInfo `json:"scenarios"`
}

type revisionInfo struct {
	Revision int       `json:"revision"`
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
}

type revisionList struct {
	ID        string         `json:"id"`
	Revisions []revisionInfo `json:"revisions"`
}

func infoOf(sc store.Scenario) scenarioInfo {
	return scenarioInfo{ID: sc.ID, Name: sc.Name, Revision: sc.Revision, Created: sc.Created, Updated: sc.Updated}
}

func resourceOf(sc store.Scenario) scenarioResource {
	return scenarioResource{scenarioInfo: infoOf(sc), Scenario: sc.Body}
}

// scenarioPath is where the stored scenario id lives.
func scenarioPath(id string) string { return "/api/v1/scenarios/" + id }

// listScenarios answers GET /api/v1/scenarios: the scenarios that are not
// deleted, ordered by id, without their bodies.
func (a *api) listScenarios(c *gin.Context) {
	list, _, err := a.scenarios.List(c.Request.Context(), store.ListOptions{})
	if err != nil {
		a.fail(c, err)
		return
	}
	answer := scenarioList{Scenarios: make([]scenarioInfo, len(list))}
	for i, sc := range list {
		answer.Scenarios[i] = infoOf(sc)
	}
	a.writeJSON(c, http.StatusOK, answer)
}

// createScenario answers POST /api/v1/scenarios: the body is a scenario,
// stored as revision 1 under an id made from its name (made unique by
// "-2", "-3", …). It answers 201 with the resource, its Location and ETag.
func (a *api) createScenario(c *gin.Context) {
	body, s, err := readScenario(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	sc, err := a.scenarios.CreateUnique(c.Request.Context(), slug(s.Name), s.Name, body)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.Header("Location", scenarioPath(sc.ID))
	c.Header("ETag", etag(sc.Revision))
	a.writeJSON(c, http.StatusCreated, resourceOf(sc))
}

// getScenario answers GET /api/v1/scenarios/{id} with the current revision
// and its ETag.
func (a *api) getScenario(c *gin.Context) {
	sc, err := a.scenarios.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.Header("ETag", etag(sc.Revision))
	a.writeJSON(c, http.StatusOK, resourceOf(sc))
}

// updateScenario answers PUT /api/v1/scenarios/{id}: the body, a scenario,
// becomes the next revision if If-Match names the current one. Earlier
// revisions stay; restoring one is a PUT of its body.
func (a *api) updateScenario(c *gin.Context) {
	id := c.Param("id")
	pre, err := parseIfMatch(c.Request.Header)
	if err != nil {
		a.fail(c, err)
		return
	}
	body, s, err := readScenario(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	var updated store.Scenario
	err = a.ifMatch(c.Request.Context(), id, pre, func(revision int) error {
		var err error
		updated, err = a.scenarios.Update(c.Request.Context(), id, revision, s.Name, body)
		return err
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.Header("ETag", etag(updated.Revision))
	a.writeJSON(c, http.StatusOK, resourceOf(updated))
}

// deleteScenario answers DELETE /api/v1/scenarios/{id} with 204 if
// If-Match names the current revision. The scenario disappears from the
// list and its reads answer 404, but its revisions stay in the database
// as an audit trail and its id is never given out again.
func (a *api) deleteScenario(c *gin.Context) {
	id := c.Param("id")
	pre, err := parseIfMatch(c.Request.Header)
	if err != nil {
		a.fail(c, err)
		return
	}
	err = a.ifMatch(c.Request.Context(), id, pre, func(revision int) error {
		return a.scenarios.Delete(c.Request.Context(), id, revision)
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// listRevisions answers GET /api/v1/scenarios/{id}/revisions, oldest
// first.
func (a *api) listRevisions(c *gin.Context) {
	id := c.Param("id")
	list, err := a.scenarios.Revisions(c.Request.Context(), id)
	if err != nil {
		a.fail(c, err)
		return
	}
	answer := revisionList{ID: id, Revisions: make([]revisionInfo, len(list))}
	for i, r := range list {
		answer.Revisions[i] = revisionInfo{Revision: r.Revision, Name: r.Name, Created: r.Created}
	}
	a.writeJSON(c, http.StatusOK, answer)
}

// getRevision answers GET /api/v1/scenarios/{id}/revisions/{revision}:
// that revision's body, with "updated" the time it was stored.
func (a *api) getRevision(c *gin.Context) {
	id := c.Param("id")
	revision, err := strconv.Atoi(c.Param("revision"))
	if err != nil || revision < 1 {
		a.fail(c, planner.Errorf(planner.KindNotFound, "scenario %q has no revision %q: revisions are numbered from 1", id, c.Param("revision")))
		return
	}
	sc, err := a.scenarios.Revision(c.Request.Context(), id, revision)
	if err != nil {
		a.fail(c, err)
		return
	}
	a.writeJSON(c, http.StatusOK, resourceOf(sc))
}

// readScenario reads and validates a scenario request body.
func readScenario(c *gin.Context) ([]byte, *planner.Scenario, error) {
	body, err := readJSON(c)
	if err != nil {
		return nil, nil, err
	}
	s, err := decodeScenario(body)
	if err != nil {
		return nil, nil, err
	}
	return body, s, nil
}

// maxIfMatchAttempts bounds how often a write under If-Match: * (or a list
// of ETags) is retried when another write gets in between.
const maxIfMatchAttempts = 3

// ifMatch calls write with the revision the precondition accepts. A
// single ETag goes straight to the store, which checks it in the same
// transaction as the write. For "*" or a list, the current revision is
// read first and, if it matches, the write is made against it; should
// another write slip in between, the store refuses and ifMatch reads
// again.
func (a *api) ifMatch(ctx context.Context, id string, pre precondition, write func(revision int) error) error {
	if !pre.any && len(pre.revisions) == 1 {
		return write(pre.revisions[0])
	}
	for range maxIfMatchAttempts {
		current, err := a.scenarios.Get(ctx, id)
		if err != nil {
			return err
		}
		if !pre.matches(current.Revision) {
			return planner.Errorf(planner.KindPrecondition,
				"scenario %q is at revision %d, which If-Match does not name", id, current.Revision)
		}
		err = write(current.Revision)
		if planner.KindOf(err) != planner.KindPrecondition {
			return err
		}
	}
	return planner.Errorf(planner.KindPrecondition, "scenario %q kept changing while this request tried to write it", id)
}
