// Package httperr is the one table from an error to an HTTP status. The
// JSON API answers from it with a problem document (application/
// problem+json), the web pages with an error page; both give the same
// status for the same error:
//
//	error                                          status
//	*Error (a missing If-Match, a bad header, …)    its own
//	*http.MaxBytesError (a body over the limit)     413 Content Too Large
//	*planner.ValidationError (invalid input)        422 Unprocessable Content
//	a caller who has not signed in (access denied)  401 Unauthorized
//	a role that may not (access denied)             403 Forbidden
//	too many failed logins                          429 Too Many Requests
//	planner.KindNotFound                            404 Not Found
//	planner.KindConflict (an id that is taken)      409 Conflict
//	planner.KindPrecondition (a stale write)        412 Precondition Failed
//	the request's context ended (client gone)       503, nobody reads it
//	planning past its timeout (context deadline)    503 Service Unavailable
//	anything else                                   500, logged as an error
//
// A stale write is 412 wherever it happens: an If-Match that names an old
// revision, and a form saved against the revision it was loaded from
// after someone else saved another (docs/api.md, docs/web.md).
package httperr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"grantplan/planner"
)

// An Error is a failure of the HTTP exchange rather than of the domain,
// such as a wrong content type or a missing If-Match, and carries its
// status. A cause, if any, is logged when the status is 500 or more.
type Error struct {
	Status int
	Detail string
	Cause  error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Detail + ": " + e.Cause.Error()
	}
	return e.Detail
}

func (e *Error) Unwrap() error { return e.Cause }

// Errorf returns an *Error with the given status.
func Errorf(status int, format string, args ...any) error {
	return &Error{Status: status, Detail: fmt.Sprintf(format, args...)}
}

// kindStatus is the table's rows for the planner's error kinds.
var kindStatus = map[planner.ErrorKind]int{
	planner.KindInvalid:      http.StatusUnprocessableEntity,
	planner.KindNotFound:     http.StatusNotFound,
	planner.KindConflict:     http.StatusConflict,
	planner.KindPrecondition: http.StatusPreconditionFailed,
}

// StatusOf is the status of an error of kind; 500 for KindInternal.
func StatusOf(kind planner.ErrorKind) int {
	if status, ok := kindStatus[kind]; ok {
		return status
	}
	return http.StatusInternalServerError
}

// A Failure is how to answer a request that failed: its row of the table.
type Failure struct {
	Status int
	// Kind is the planner's error kind: KindInternal for the failures
	// that are not the domain's.
	Kind planner.ErrorKind
	// Detail says what went wrong, in English, for the API; "internal
	// error" for a 500.
	Detail string
	// Problems are a validation error's problems, each at its path.
	Problems []planner.Problem
	// Timeout is the time planning was allowed, when it ran out.
	Timeout time.Duration
	// RetryAfter, if not zero, is how long the client should wait
	// (Retry-After) before it tries again.
	RetryAfter time.Duration
	// Gone reports that the client hung up: nobody reads the answer.
	Gone bool
	// Log reports that the error is unexpected, or a 5xx with a cause: it
	// is logged as an error, since only these need someone to look.
	Log bool
}

// timeout is an error that says how long planning was allowed
// (*service.TimeoutError).
type timeout interface{ Timeout() time.Duration }

// denied is an error that refuses a caller access (*service.AccessError):
// one who is not signed in, or one whose role may not.
type denied interface {
	error
	Authenticated() bool
}

// throttled is an error that asks the client to wait
// (*service.ThrottledError).
type throttled interface {
	error
	RetryAfter() time.Duration
}

// Classify finds err's row of the table. ctx is the request's context.
func Classify(ctx context.Context, err error) Failure {
	f := Failure{Status: http.StatusInternalServerError, Detail: "internal error"}
	var (
		httpErr    *Error
		tooLarge   *http.MaxBytesError
		validation *planner.ValidationError
		domainErr  *planner.Error
		timedOut   timeout
		refused    denied
		wait       throttled
	)
	switch {
	case errors.As(err, &refused):
		f.Status, f.Detail = http.StatusForbidden, refused.Error()
		if !refused.Authenticated() {
			f.Status = http.StatusUnauthorized
		}
	case errors.As(err, &wait):
		f.Status, f.Detail, f.RetryAfter = http.StatusTooManyRequests, wait.Error(), wait.RetryAfter()
	case errors.As(err, &httpErr):
		f.Status, f.Detail = httpErr.Status, httpErr.Detail
		f.Log = httpErr.Status >= 500 && httpErr.Cause != nil
	case errors.As(err, &tooLarge):
		f.Status = http.StatusRequestEntityTooLarge
		f.Detail = fmt.Sprintf("the request body is larger than %d bytes", tooLarge.Limit)
	case errors.As(err, &validation):
		f.Status, f.Kind, f.Problems = http.StatusUnprocessableEntity, planner.KindInvalid, validation.Problems
		f.Detail = fmt.Sprintf("the request is invalid: %s (see errors)", plural(len(validation.Problems), "problem"))
	case errors.As(err, &domainErr) && domainErr.Kind != planner.KindInternal:
		f.Status, f.Kind, f.Detail = StatusOf(domainErr.Kind), domainErr.Kind, domainErr.Message
	case ctx.Err() != nil:
		f.Status, f.Detail, f.Gone = http.StatusServiceUnavailable, "the request was cancelled", true
	case errors.Is(err, context.DeadlineExceeded):
		f.Status, f.Detail = http.StatusServiceUnavailable, err.Error()
		if errors.As(err, &timedOut) {
			f.Timeout = timedOut.Timeout()
		}
	default:
		f.Log = true
	}
	return f
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
