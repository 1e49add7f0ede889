package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/httperr"
	"grantplan/planner"
)

// A problem is an RFC 9457 problem details object, the body of every error
// answer. Type is always "about:blank": the status says what went wrong,
// Title is its standard phrase, and Detail says it for this request.
type problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail,omitempty"`
	Errors []planner.Problem `json:"errors,omitempty"`
}

// fail answers the request with the problem that err describes: its
// status from the one table (package httperr), which the pages answer
// from too. Only unexpected errors, and 5xx with a cause, are logged as
// errors, since only they need someone to look; a client that has gone
// is logged as information.
func (a *api) fail(c *gin.Context, err error) {
	f := httperr.Classify(c.Request.Context(), err)
	switch {
	case f.Log:
		a.logError(c, err)
	case f.Gone:
		a.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request cancelled by the client",
			slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path))
	}
	writeProblem(c, problem{Type: "about:blank", Title: http.StatusText(f.Status), Status: f.Status, Detail: f.Detail, Errors: f.Problems})
}

func (a *api) logError(c *gin.Context, err error) {
	a.log.LogAttrs(context.Background(), slog.LevelError, "request failed",
		slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path),
		slog.String("error", err.Error()))
}

// writeProblem writes p as the answer, unless an answer has been started.
func writeProblem(c *gin.Context, p problem) {
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
func (a *api) writeJSON(c *gin.Context, status int, v any) {
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
		a.fail(c, fmt.Errorf("handlers: encode answer: %w", err))
		return
	}
	c.Data(status, "application/json", body)
}
