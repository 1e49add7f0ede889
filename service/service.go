// Package service is grantplan's application service: the one layer
// between the adapters (the JSON API, the web pages, the command line) and
// the planner and the store.
//
// Every use of a scenario goes through a method of Service, which takes
// the request's context first. The service reads a stored or posted
// scenario, decodes it and plans it under the plan timeout (the one place
// that bounds planning); it makes a new scenario's id from its name; it
// saves under an If-Match precondition, retrying a write that lost a race
// when the precondition allows any revision; it plans what-if variants,
// risk runs and workbooks. The adapters only translate: HTTP requests,
// forms or command lines in, JSON, HTML or text out.
//
// Before a method reads or writes, it asks Options.Authorize whether the
// caller in the context may do what it asks (allow, in authorize.go): that
// is the one place where accounts and roles will decide.
//
// Errors carry planner error kinds (invalid, not found, conflict,
// precondition failed); a plan that runs out of time is a *TimeoutError.
package service

import (
	"context"
	"time"
	_ "time/tzdata" // the county's day is Berlin's wherever the server runs

	"github.com/rickb777/date/v2"

	"grantplan/store"
)

// DefaultPlanTimeout is the planning time one call may take unless
// Options say otherwise.
const DefaultPlanTimeout = 30 * time.Second

// Options configure a Service.
type Options struct {
	// PlanTimeout bounds the planning of one call: 0 means
	// DefaultPlanTimeout, a negative value no bound (the command line,
	// whose user can stop it). A scenario with HR capacity takes an
	// exhaustive search for its latest safe start, and a server must not
	// give a request a core for ever.
	PlanTimeout time.Duration
	// Now is the clock: the export date of a workbook and the start of a
	// blank scenario are the county's day (Europe/Berlin) at Now. Nil
	// means time.Now.
	Now func() time.Time
	// Authorize decides whether the caller in ctx may do action on the
	// scenario id ("" for none); nil allows everything. See allow.
	Authorize func(ctx context.Context, action Action, id string) error
}

// Service is the application service; it is safe for concurrent use.
type Service struct {
	store       store.Scenarios
	planTimeout time.Duration
	now         func() time.Time
	authorize   func(ctx context.Context, action Action, id string) error
	locks       *writeLocks
}

// New returns a service on st, a storage backend (package store says what
// it promises). A service for scenarios in files only (the command line's
// plan, whatif, risk and export) may have no store; its stored-scenario
// methods then fail.
func New(st store.Scenarios, opts Options) *Service {
	s := &Service{store: st, planTimeout: opts.PlanTimeout, now: opts.Now, authorize: opts.Authorize, locks: newWriteLocks()}
	if s.planTimeout == 0 {
		s.planTimeout = DefaultPlanTimeout
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Zone is the county's time zone: its day is the date of an export and of
// a blank scenario, and the pages show stored times in it.
var Zone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC // cannot happen: time/tzdata is embedded
	}
	return loc
}()

// today is the county's day at the service's clock.
func (s *Service) today() date.Date {
	return date.NewAt(s.now().In(Zone))
}

// withPlanTimeout bounds ctx by the plan timeout. It is the one place
// that does, so that every plan, what-if, risk run and export of every
// adapter has the same bound.
func (s *Service) withPlanTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.planTimeout < 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, s.planTimeout)
}

// timedOut turns the end of the plan timeout into a *TimeoutError; other
// errors pass unchanged. parent is the caller's context: when it has
// ended, the caller gave up, which is not a timeout of the plan.
func (s *Service) timedOut(parent context.Context, err error) error {
	if err == nil || parent.Err() != nil {
		return err
	}
	if errorsIsDeadline(err) {
		return &TimeoutError{Limit: s.planTimeout}
	}
	return err
}
