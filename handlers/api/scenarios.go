package api

import (
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
// body and the author of that revision (none for one stored before there
// were accounts).
type scenarioResource struct {
	scenarioInfo
	Author   string          `json:"author,omitempty"`
	Scenario json.RawMessage `json:"scenario"`
}

type scenarioList struct {
	Scenarios []scenarioInfo `json:"scenarios"`
}

// RevisionInfo describes one revision in a RevisionList.
type RevisionInfo struct {
	Revision int       `json:"revision"`
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
	Author   string    `json:"author,omitempty"`
}

// RevisionList is the answer of GET /api/v1/scenarios/{id}/revisions.
type RevisionList struct {
	ID        string         `json:"id"`
	Revisions []RevisionInfo `json:"revisions"`
}

func infoOf(sc store.Scenario) scenarioInfo {
	return scenarioInfo{ID: sc.ID, Name: sc.Name, Revision: sc.Revision, Created: sc.Created, Updated: sc.Updated}
}

func resourceOf(sc store.Scenario) scenarioResource {
	return scenarioResource{scenarioInfo: infoOf(sc), Author: sc.Author, Scenario: sc.Body}
}

// scenarioPath is where the stored scenario id lives.
func scenarioPath(id string) string { return "/api/v1/scenarios/" + id }

// ListScenarios answers GET /api/v1/scenarios: the scenarios that are not
// deleted, ordered by id, without their bodies.
func (a *Handlers) ListScenarios(c *gin.Context) {
	list, err := a.service.List(c.Request.Context())
	if err != nil {
		a.Fail(c, err)
		return
	}
	answer := scenarioList{Scenarios: make([]scenarioInfo, len(list))}
	for i, sc := range list {
		answer.Scenarios[i] = infoOf(sc)
	}
	a.writeJSON(c, http.StatusOK, answer)
}

// CreateScenario answers POST /api/v1/scenarios: the body is a scenario,
// stored as revision 1 under an id made from its name (made unique by
// "-2", "-3", …). It answers 201 with the resource, its Location and ETag.
func (a *Handlers) CreateScenario(c *gin.Context) {
	body, err := readJSON(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	sc, err := a.service.Create(c.Request.Context(), body)
	if err != nil {
		a.Fail(c, malformedOr(body, err))
		return
	}
	c.Header("Location", scenarioPath(sc.ID))
	c.Header("ETag", etag(sc.Revision))
	a.writeJSON(c, http.StatusCreated, resourceOf(sc))
}

// GetScenario answers GET /api/v1/scenarios/{id} with the current revision
// and its ETag.
func (a *Handlers) GetScenario(c *gin.Context) {
	sc, err := a.service.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.Fail(c, err)
		return
	}
	c.Header("ETag", etag(sc.Revision))
	a.writeJSON(c, http.StatusOK, resourceOf(sc))
}

// UpdateScenario answers PUT /api/v1/scenarios/{id}: the body, a scenario,
// becomes the next revision if If-Match names the current one. Earlier
// revisions stay; restoring one is a PUT of its body.
func (a *Handlers) UpdateScenario(c *gin.Context) {
	pre, err := parseIfMatch(c.Request.Header)
	if err != nil {
		a.Fail(c, err)
		return
	}
	body, err := readJSON(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	updated, err := a.service.Update(c.Request.Context(), c.Param("id"), pre, body)
	if err != nil {
		a.Fail(c, malformedOr(body, err))
		return
	}
	c.Header("ETag", etag(updated.Revision))
	a.writeJSON(c, http.StatusOK, resourceOf(updated))
}

// DeleteScenario answers DELETE /api/v1/scenarios/{id} with 204 if
// If-Match names the current revision. The scenario disappears from the
// list and its reads answer 404, but its revisions stay in the database
// as an audit trail and its id is never given out again.
func (a *Handlers) DeleteScenario(c *gin.Context) {
	pre, err := parseIfMatch(c.Request.Header)
	if err != nil {
		a.Fail(c, err)
		return
	}
	if err := a.service.Delete(c.Request.Context(), c.Param("id"), pre); err != nil {
		a.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// ListRevisions answers GET /api/v1/scenarios/{id}/revisions, oldest
// first.
func (a *Handlers) ListRevisions(c *gin.Context) {
	id := c.Param("id")
	list, err := a.service.Revisions(c.Request.Context(), id)
	if err != nil {
		a.Fail(c, err)
		return
	}
	answer := RevisionList{ID: id, Revisions: make([]RevisionInfo, len(list))}
	for i, r := range list {
		answer.Revisions[i] = RevisionInfo{Revision: r.Revision, Name: r.Name, Created: r.Created, Author: r.Author}
	}
	a.writeJSON(c, http.StatusOK, answer)
}

// GetRevision answers GET /api/v1/scenarios/{id}/revisions/{revision}:
// that revision's body, with "updated" the time it was stored.
func (a *Handlers) GetRevision(c *gin.Context) {
	id := c.Param("id")
	revision, err := strconv.Atoi(c.Param("revision"))
	if err != nil || revision < 1 {
		a.Fail(c, planner.Errorf(planner.KindNotFound, "scenario %q has no revision %q: revisions are numbered from 1", id, c.Param("revision")))
		return
	}
	sc, err := a.service.Revision(c.Request.Context(), id, revision)
	if err != nil {
		a.Fail(c, err)
		return
	}
	a.writeJSON(c, http.StatusOK, resourceOf(sc))
}
