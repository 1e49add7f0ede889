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
	// Limits, if not nil, bound the expensive work (admission.go): a
	// server sets them; nil admits everything (the command line, whose
	// user can stop what they started).
	Limits *Limits
	// MaxRevisionSize bounds the body of a stored revision, in bytes: a
	// larger one is refused (planner.KindTooLarge, 413). 0 means
	// DefaultMaxRevisionSize.
	MaxRevisionSize int
	// ListDeadline bounds the time Overviews spends computing key figures
	// that are not stored yet; 0 means DefaultListDeadline.
	ListDeadline time.Duration
	// PlanCacheSize bounds the bytes of recent plans kept (plancache.go):
	// 0 means DefaultPlanCacheSize, a negative value keeps none.
	PlanCacheSize int64
}

// DefaultMaxRevisionSize is the largest revision body stored unless
// Options say otherwise: the API's body limit.
const DefaultMaxRevisionSize = 1 << 20

// DefaultListDeadline is how long a list of scenarios may spend computing
// key figures, unless Options say otherwise.
const DefaultListDeadline = time.Second

// Service is the application service; it is safe for concurrent use.
type Service struct {
	store       store.Scenarios
	planTimeout time.Duration
	now         func() time.Time
	authorize   func(ctx context.Context, action Action, id string) error
	locks       *writeLocks
	gate        *gate // nil: no limits
	maxRevision int
	listWait    time.Duration
	figures     *figuresQueue
	plans       *planCache // nil: none kept
}

// New returns a service on st, a storage backend (package store says what
// it promises). A service for scenarios in files only (the command line's
// plan, whatif, risk and export) may have no store; its stored-scenario
// methods then fail.
func New(st store.Scenarios, opts Options) *Service {
	s := &Service{store: st, planTimeout: opts.PlanTimeout, now: opts.Now, authorize: opts.Authorize, locks: newWriteLocks(),
		maxRevision: opts.MaxRevisionSize, listWait: opts.ListDeadline}
	if s.planTimeout == 0 {
		s.planTimeout = DefaultPlanTimeout
	}
	if s.now == nil {
		s.now = time.Now
	}
	if opts.Limits != nil {
		s.gate = newGate(*opts.Limits)
	}
	if s.maxRevision <= 0 {
		s.maxRevision = DefaultMaxRevisionSize
	}
	if s.listWait <= 0 {
		s.listWait = DefaultListDeadline
	}
	s.figures = newFiguresQueue(s)
	switch {
	case opts.PlanCacheSize == 0:
		s.plans = newPlanCache(DefaultPlanCacheSize)
	case opts.PlanCacheSize > 0:
		s.plans = newPlanCache(opts.PlanCacheSize)
	}
	return s
}

// Close stops the service's background work (the key figures it computes
// for the list) and waits for it to end. The service answers no more
// calls that would start such work.
func (s *Service) Close() {
	s.figures.close()
}

// Stats count what the service did since it started, for tests and
// monitoring.
type Stats struct {
	// Admitted, Queued and Refused count the expensive calls the gate let
	// run (at once or after waiting), made wait, and refused.
	Admitted, Queued, Refused int64
	// FiguresInline counts the key figures a list computed while it was
	// asked; FiguresDeferred those it left to the background, which
	// computed FiguresBackground.
	FiguresInline, FiguresDeferred, FiguresBackground int64
}

// Stats returns the service's counts.
func (s *Service) Stats() Stats {
	var st Stats
	if s.gate != nil {
		s.gate.mu.Lock()
		st.Admitted, st.Queued, st.Refused = s.gate.stats.admitted, s.gate.stats.queued, s.gate.stats.refused
		s.gate.mu.Unlock()
	}
	st.FiguresInline, st.FiguresDeferred, st.FiguresBackground = s.figures.counts()
	return st
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
