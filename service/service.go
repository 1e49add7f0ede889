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
// Before a method reads or writes, it asks whether the caller in the
// context (an Actor, put there by the adapter that authenticated it) may
// do what it asks (allow, in authorize.go): one table of actions and
// roles decides, here and nowhere else. The service also manages the
// accounts, API tokens and share links, and writes the audit log; Auth
// (auth.go) recognises callers: passwords, sessions, tokens, share links.
//
// Errors carry planner error kinds (invalid, not found, conflict,
// precondition failed); a plan that runs out of time is a *TimeoutError.
package service

import (
	"context"
	"log/slog"
	"time"
	_ "time/tzdata" // the county's day is Berlin's wherever the server runs

	"github.com/rickb777/date/v2"

	"grantplan/store"
)

// Store is what the service keeps its records in: the scenarios and the
// access records (package store; *sqlite.Store is one).
type Store interface {
	store.Scenarios
	store.Access
}

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
	// scenario id ("" for none); nil means Policy, the table of roles.
	Authorize func(ctx context.Context, action Action, id string) error
	// Password are the argon2id parameters of new password hashes; zero
	// means DefaultPasswordParams.
	Password PasswordParams
	// Logger receives what the service logs (refused logins, audit
	// entries it could not store); nil discards.
	Logger *slog.Logger
	// SessionIdle and SessionMax bound a session of the web pages: it
	// ends after SessionIdle without a request, and SessionMax after it
	// began whatever happens. Zero means DefaultSessionIdle and
	// DefaultSessionMax.
	SessionIdle, SessionMax time.Duration
	// TokenCache is how long an API token, once looked up, is trusted
	// without asking the store again; zero means DefaultTokenCache, a
	// negative value no cache.
	TokenCache time.Duration
	// Auth, if not nil, is the Auth of the same server, whose cache of
	// API tokens the service's changes of an account (a revoked token, a
	// user removed or given another role) clear at once. Another server on
	// the same store trusts its cache for at most TokenCache more.
	Auth *Auth
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

// withDefaults fills in the zero options.
func (o Options) withDefaults() Options {
	if o.PlanTimeout == 0 {
		o.PlanTimeout = DefaultPlanTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Authorize == nil {
		o.Authorize = Policy
	}
	if o.Password == (PasswordParams{}) {
		o.Password = DefaultPasswordParams
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.SessionIdle == 0 {
		o.SessionIdle = DefaultSessionIdle
	}
	if o.SessionMax == 0 {
		o.SessionMax = DefaultSessionMax
	}
	if o.TokenCache == 0 {
		o.TokenCache = DefaultTokenCache
	}
	if o.MaxRevisionSize <= 0 {
		o.MaxRevisionSize = DefaultMaxRevisionSize
	}
	if o.ListDeadline <= 0 {
		o.ListDeadline = DefaultListDeadline
	}
	if o.PlanCacheSize == 0 {
		o.PlanCacheSize = DefaultPlanCacheSize
	}
	return o
}

// DefaultMaxRevisionSize is the largest revision body stored unless
// Options say otherwise: the API's body limit.
const DefaultMaxRevisionSize = 1 << 20

// DefaultListDeadline is how long a list of scenarios may spend computing
// key figures, unless Options say otherwise.
const DefaultListDeadline = time.Second

// Service is the application service; it is safe for concurrent use.
type Service struct {
	store       Store
	planTimeout time.Duration
	now         func() time.Time
	authorize   func(ctx context.Context, action Action, id string) error
	locks       *writeLocks
	gate        *gate // nil: no limits
	maxRevision int
	listWait    time.Duration
	figures     *figuresQueue
	plans       *planCache // nil: none kept
	password    PasswordParams
	auth        *Auth // nil: no token cache to clear
	log         *slog.Logger
}

// New returns a service on st, a storage backend (package store says what
// it promises). A service for scenarios in files only (the command line's
// plan, whatif, risk and export) may have no store; its stored-scenario
// methods then fail.
func New(st Store, opts Options) *Service {
	opts = opts.withDefaults()
	s := &Service{store: st, planTimeout: opts.PlanTimeout, now: opts.Now, authorize: opts.Authorize,
		password: opts.Password, auth: opts.Auth, log: opts.Logger, locks: newWriteLocks(),
		maxRevision: opts.MaxRevisionSize, listWait: opts.ListDeadline}
	if opts.Limits != nil {
		s.gate = newGate(*opts.Limits)
	}
	s.figures = newFiguresQueue(s)
	if opts.PlanCacheSize > 0 {
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
