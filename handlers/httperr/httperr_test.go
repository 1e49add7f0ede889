package httperr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"grantplan/planner"
)

// slow is an error like service.TimeoutError.
type slow struct{}

func (slow) Error() string          { return "planning took longer than the 1s allowed" }
func (slow) Unwrap() error          { return context.DeadlineExceeded }
func (slow) Timeout() time.Duration { return time.Second }
func wrapped(err error) error       { return fmt.Errorf("handlers: %w", err) }
func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
func problems(n int) []planner.Problem { return make([]planner.Problem, n) }
func validation(n int) error           { return &planner.ValidationError{Problems: problems(n)} }
func kind(k planner.ErrorKind) error   { return planner.Errorf(k, "%d", k) }

// later is an error like store.RetryLater.
type later struct{ err *planner.Error }

func (e later) Error() string           { return e.err.Error() }
func (e later) Unwrap() error           { return e.err }
func (later) RetryAfter() time.Duration { return 1500 * time.Millisecond }
func header(status int, cause error) error {
	return &Error{Status: status, Detail: "header", Cause: cause}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name    string
		ctx     context.Context
		err     error
		status  int
		kind    planner.ErrorKind
		log     bool
		gone    bool
		timeout time.Duration
		retry   time.Duration
	}{
		{name: "http", err: header(http.StatusPreconditionRequired, nil), status: 428},
		{name: "http 5xx with a cause", err: header(http.StatusServiceUnavailable, errors.New("disk")), status: 503, log: true},
		{name: "too large", err: wrapped(&http.MaxBytesError{Limit: 10}), status: 413},
		{name: "invalid", err: wrapped(validation(2)), status: 422, kind: planner.KindInvalid},
		{name: "not found", err: wrapped(kind(planner.KindNotFound)), status: 404, kind: planner.KindNotFound},
		{name: "conflict", err: kind(planner.KindConflict), status: 409, kind: planner.KindConflict},
		{name: "stale write", err: kind(planner.KindPrecondition), status: 412, kind: planner.KindPrecondition},
		{name: "revision too large", err: kind(planner.KindTooLarge), status: 413, kind: planner.KindTooLarge},
		{name: "busy store", err: wrapped(later{err: planner.Errorf(planner.KindUnavailable, "busy")}), status: 503, kind: planner.KindUnavailable, retry: 1500 * time.Millisecond},
		{name: "full store", err: later{err: planner.Errorf(planner.KindFull, "full")}, status: 507, kind: planner.KindFull, log: true, retry: 1500 * time.Millisecond},
		{name: "damaged revision", err: wrapped(kind(planner.KindDamaged)), status: 500, kind: planner.KindDamaged, log: true},
		{name: "client gone", ctx: cancelled(), err: context.Canceled, status: 503, gone: true},
		{name: "timeout", err: wrapped(slow{}), status: 503, timeout: time.Second},
		{name: "unexpected", err: errors.New("bug"), status: 500, log: true},
		{name: "internal kind", err: kind(planner.KindInternal), status: 500, log: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			f := Classify(ctx, tt.err)
			if f.Status != tt.status || f.Kind != tt.kind || f.Log != tt.log || f.Gone != tt.gone || f.Timeout != tt.timeout || f.RetryAfter != tt.retry {
				t.Errorf("got %+v, want status %d, kind %d, log %v, gone %v, timeout %s, retry after %s", f, tt.status, tt.kind, tt.log, tt.gone, tt.timeout, tt.retry)
			}
			if f.Detail == "" {
				t.Errorf("got no detail")
			}
		})
	}
	if f := Classify(context.Background(), validation(2)); f.Detail != "the request is invalid: 2 problems (see errors)" || len(f.Problems) != 2 {
		t.Errorf("got %+v", f)
	}
}

func TestSeconds(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{{0, "1"}, {time.Millisecond, "1"}, {time.Second, "1"}, {1500 * time.Millisecond, "2"}, {time.Minute, "60"}} {
		if got := Seconds(tt.d); got != tt.want {
			t.Errorf("Seconds(%s): got %s, want %s", tt.d, got, tt.want)
		}
	}
}

func TestStatusOf(t *testing.T) {
	if StatusOf(planner.KindPrecondition) != http.StatusPreconditionFailed || StatusOf(planner.KindInternal) != http.StatusInternalServerError {
		t.Errorf("the table's kinds are wrong")
	}
}
