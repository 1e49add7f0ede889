package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/httperr"
	"grantplan/planner"
)

// A Problem is an RFC 9457 problem details object, the body of every error
// answer. Type is always "about:blank": the status says what went wrong,
// Title is its standard phrase, and Detail says it for this request.
type Problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail,omitempty"`
	Errors []planner.Problem `json:"errors,omitempty"`
}

// Fail answers the request with the problem that err describes: its
// status from the one table (package httperr), which the pages answer
// from too. Only unexpected errors, and 5xx with a cause, are logged as
// errors, since only they need someone to look; a client that has gone
// is logged as information.
func (a *Handlers) Fail(c *gin.Context, err error) {
	f := httperr.Classify(c.Request.Context(), err)
	switch {
	case f.Log:
		a.logError(c, err)
	case f.Gone:
		a.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request cancelled by the client",
			slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path))
	}
	switch {
	case f.Status == http.StatusUnauthorized && c.Writer.Header().Get("WWW-Authenticate") == "":
		c.Header("WWW-Authenticate", Challenge)
	case f.RetryAfter > 0:
		c.Header("Retry-After", strconv.Itoa(max(1, int(f.RetryAfter.Seconds()))))
	}
	WriteProblem(c, Problem{Type: "about:blank", Title: http.StatusText(f.Status), Status: f.Status, Detail: f.Detail, Errors: f.Problems})
}

func (a *Handlers) logError(c *gin.Context, err error) {
	a.log.LogAttrs(context.Background(), slog.LevelError, "request failed",
		slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path),
		slog.String("error", err.Error()))
}

// Challenge is the WWW-Authenticate of every 401 answer: the API takes
// bearer tokens (RFC 6750).
const Challenge = `Bearer realm="grantplan"`

// WriteProblem writes p as the answer, unless an answer has been started.
func WriteProblem(c *gin.Context, p Problem) {
	c.Abort()
	if c.Writer.Written() {
		return
	}
	body, err := json.Marshal(p)
	if err != nil {
		// A problem holds only strings and numbers; this cannot happen.
		body = []byte(`{"type":"about:blank","title":"Internal Server Error","status":500}`)
		p.Status = http.StatusInternalServerError
	}
	c.Data(p.Status, "application/problem+json", body)
}

// writeJSON answers with v as JSON. It encodes v before writing anything,
// so that an encoding failure still becomes a clean problem answer.
func (a *Handlers) writeJSON(c *gin.Context, status int, v any) {
	var body []byte
	var err error
	if plan, ok := v.(*planner.Plan); ok {
		// The plan writes itself; json.Marshal would scan its output a
		// second time, which cost more than planning the demo.
		body, err = plan.MarshalJSON()
	} else {
		body, err = json.Marshal(v)
	}
	if err != nil {
		a.Fail(c, fmt.Errorf("api: encode answer: %w", err))
		return
	}
	c.Data(status, "application/json", body)
}
