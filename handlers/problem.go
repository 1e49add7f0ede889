package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

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

// A statusError is a failure of the HTTP exchange rather than of the
// domain, such as a wrong content type or a missing If-Match, and carries
// its status. A cause, if any, is logged when the status is 500 or more.
type statusError struct {
	status int
	detail string
	cause  error
}

func (e *statusError) Error() string {
	if e.cause != nil {
		return e.detail + ": " + e.cause.Error()
	}
	return e.detail
}

func (e *statusError) Unwrap() error { return e.cause }

// errorf returns a *statusError with the given status.
func errorf(status int, format string, args ...any) error {
	return &statusError{status: status, detail: fmt.Sprintf(format, args...)}
}

// fail answers the request with the problem that err describes. It is the
// one place that maps errors to statuses:
//
//   - a *statusError: its own status (logged if a 5xx with a cause);
//   - a body over the limit: 413;
//   - a *planner.ValidationError: 422 with every problem and its path;
//   - a *planner.Error: its kind's status (invalid 422, not found 404,
//     conflict 409, precondition failed 412);
//   - the request's context ended: the client has gone, which is not the
//     server's fault; a planning deadline ran out: 503;
//   - anything else: 500. Only these, and 5xx statusErrors with a cause,
//     are logged as errors, since only they need someone to look.
func (a *api) fail(c *gin.Context, err error) {
	p := problem{Type: "about:blank", Status: http.StatusInternalServerError, Detail: "internal error"}
	var (
		statusErr  *statusError
		tooLarge   *http.MaxBytesError
		validation *planner.ValidationError
		domainErr  *planner.Error
	)
	switch {
	case errors.As(err, &statusErr):
		p.Status, p.Detail = statusErr.status, statusErr.detail
		if statusErr.status >= 500 && statusErr.cause != nil {
			a.logError(c, err)
		}
	case errors.As(err, &tooLarge):
		p.Status = http.StatusRequestEntityTooLarge
		p.Detail = fmt.Sprintf("the request body is larger than %d bytes", tooLarge.Limit)
	case errors.As(err, &validation):
		p.Status, p.Errors = http.StatusUnprocessableEntity, validation.Problems
		p.Detail = fmt.Sprintf("the request is invalid: %s (see errors)", plural(len(validation.Problems), "problem"))
	case errors.As(err, &domainErr) && domainErr.Kind != planner.KindInternal:
		p.Status, p.Detail = kindStatus[domainErr.Kind], domainErr.Message
	case c.Request.Context().Err() != nil:
		// The client hung up; nobody reads this answer, but the request
		// log shows what happened.
		p.Status, p.Detail = http.StatusServiceUnavailable, "the request was cancelled"
		a.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request cancelled by the client",
			slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path))
	case errors.Is(err, context.DeadlineExceeded):
		p.Status, p.Detail = http.StatusServiceUnavailable, err.Error()
	default:
		a.logError(c, err)
	}
	p.Title = http.StatusText(p.Status)
	writeProblem(c, p)
}

// kindStatus maps the planner's error kinds to statuses.
var kindStatus = map[planner.ErrorKind]int{
	planner.KindInvalid:      http.StatusUnprocessableEntity,
	planner.KindNotFound:     http.StatusNotFound,
	planner.KindConflict:     http.StatusConflict,
	planner.KindPrecondition: http.StatusPreconditionFailed,
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

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
