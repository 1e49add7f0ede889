package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/httperr"
	"grantplan/service"
	"grantplan/store"
)

// auditEntry is one entry of the audit log.
type auditEntry struct {
	ID      int64     `json:"id"`
	Time    time.Time `json:"time"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Target  string    `json:"target"`
	Detail  string    `json:"detail"`
	Address string    `json:"address"`
}

type auditPage struct {
	Entries []auditEntry `json:"entries"`
	Total   int          `json:"total"`
	Offset  int          `json:"offset"`
	Limit   int          `json:"limit"`
}

// defaultAuditLimit is the page of the audit log without ?limit=.
const defaultAuditLimit = 100

// Audit answers GET /api/v1/audit[?offset=N][&limit=N]: a page of the
// audit log, newest first (admins only).
func (a *Handlers) Audit(c *gin.Context) {
	offset, err := queryInt(c, "offset", 0, 0, 1<<31-1)
	if err != nil {
		a.Fail(c, err)
		return
	}
	limit, err := queryInt(c, "limit", defaultAuditLimit, 1, service.MaxAuditPage)
	if err != nil {
		a.Fail(c, err)
		return
	}
	entries, total, err := a.service.Audit(c.Request.Context(), store.AuditOptions{Offset: offset, Limit: limit})
	if err != nil {
		a.Fail(c, err)
		return
	}
	page := auditPage{Entries: make([]auditEntry, len(entries)), Total: total, Offset: offset, Limit: limit}
	for i, e := range entries {
		page.Entries[i] = auditEntry{ID: e.ID, Time: e.Time, Actor: e.Actor, Action: e.Action, Target: e.Target, Detail: e.Detail, Address: e.Address}
	}
	a.writeJSON(c, http.StatusOK, page)
}

// queryInt reads a whole number from the query, def without one; 400
// outside [least, most].
func queryInt(c *gin.Context, name string, def, least, most int) (int, error) {
	value, given := c.GetQuery(name)
	if !given {
		return def, nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < least || n > most {
		return 0, httperr.Errorf(http.StatusBadRequest, "%s: %q is not a whole number from %d to %d", name, value, least, most)
	}
	return n, nil
}
