package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/httperr"
	"grantplan/planner"
	"grantplan/store"
)

// shareResource is a share link. URL is given only when the link is made:
// only the hash of its secret is stored.
type shareResource struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url,omitempty"`
	Revision  *int      `json:"revision"` // null: the current revision at each view
	Expires   time.Time `json:"expires"`
	Created   time.Time `json:"created"`
	CreatedBy string    `json:"created_by"`
}

type shareList struct {
	Shares []shareResource `json:"shares"`
}

func shareOf(sh store.Share) shareResource {
	r := shareResource{ID: sh.ID, Expires: sh.Expires, Created: sh.Created, CreatedBy: sh.CreatedBy}
	if sh.Revision != 0 {
		revision := sh.Revision
		r.Revision = &revision
	}
	return r
}

// CreateShare answers POST /api/v1/scenarios/{id}/shares: a read-only
// link to the scenario, 201 with its address, which is shown this once.
// The body is optional: {"expires": "P7D"} chooses how long it works (30
// days by default, at most a year), {"revision": 3} fixes it to that
// revision (without, it shows whichever is current when opened).
func (a *Handlers) CreateShare(c *gin.Context) {
	revision, valid := 0, planner.Period{}
	if c.Request.ContentLength != 0 {
		body, err := readJSON(c)
		if err != nil {
			a.Fail(c, err)
			return
		}
		if revision, valid, err = decodeShare(body); err != nil {
			a.Fail(c, err)
			return
		}
	}
	made, err := a.service.CreateShare(c.Request.Context(), c.Param("id"), revision, valid)
	if err != nil {
		a.Fail(c, err)
		return
	}
	r := shareOf(made.Share)
	r.URL = a.cfg.BaseURL(c.Request) + "/s/" + made.Secret
	c.Header("Location", scenarioPath(made.ScenarioID)+"/shares/"+strconv.FormatInt(made.ID, 10))
	a.writeJSON(c, http.StatusCreated, r)
}

// decodeShare decodes the body of CreateShare strictly, every problem at
// its path.
func decodeShare(body []byte) (int, planner.Period, error) {
	var ps problemList
	members, ok := ps.object("$", body, "expires", "revision")
	if !ok {
		return 0, planner.Period{}, malformedOr(body, ps.err())
	}
	var revision int
	var valid planner.Period
	if raw, given := members["revision"]; given {
		switch err := json.Unmarshal(raw, &revision); {
		case err != nil:
			ps.add("revision", "want a revision number (a whole number from 1), got %s", kindOf(raw))
		case revision < 1:
			ps.add("revision", "want a revision number from 1, got %d", revision)
		}
	}
	if raw, given := members["expires"]; given {
		var text string
		err := json.Unmarshal(raw, &text)
		if err == nil {
			valid, err = planner.ParsePeriod(text)
		}
		if err != nil {
			ps.add("expires", "want a period such as \"P30D\" (ISO 8601: years, months, weeks, days)")
		}
	}
	return revision, valid, ps.err()
}

// ListShares answers GET /api/v1/scenarios/{id}/shares: the links to the
// scenario that have not expired, without their addresses.
func (a *Handlers) ListShares(c *gin.Context) {
	list, err := a.service.Shares(c.Request.Context(), c.Param("id"))
	if err != nil {
		a.Fail(c, err)
		return
	}
	answer := shareList{Shares: make([]shareResource, len(list))}
	for i, sh := range list {
		answer.Shares[i] = shareOf(sh)
	}
	a.writeJSON(c, http.StatusOK, answer)
}

// RevokeShare answers DELETE /api/v1/scenarios/{id}/shares/{share} with
// 204: the link stops working at once.
func (a *Handlers) RevokeShare(c *gin.Context) {
	shareID, err := strconv.ParseInt(c.Param("share"), 10, 64)
	if err != nil {
		a.Fail(c, httperr.Errorf(http.StatusNotFound, "share link %q not found", c.Param("share")))
		return
	}
	if err := a.service.RevokeShare(c.Request.Context(), c.Param("id"), shareID); err != nil {
		a.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
