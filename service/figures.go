package service

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"grantplan/planner"
	"grantplan/store"
)

// The key figures of the list of scenarios take a plan to compute. The
// service computes them when it stores a revision, and for a revision
// stored without them (by an earlier program, or when computing them
// failed) when the list first shows it, and stores them beside the
// revision (store.Figures), so that the list plans nothing it has planned
// before. They skip the search for the latest safe start, which the list
// does not show.

// figuresVersion is the version of the stored figures: a change to what
// they hold or to how they are computed (a new flag rule that changes the
// counts) takes the next number, and every revision's figures are then
// computed anew when the list shows it.
const figuresVersion = 1

// Figures are the key figures of a stored revision that the list of
// scenarios shows.
type Figures struct {
	Critical, Warnings     int
	Utilization, Unclaimed planner.Decimal
	// Invalid, when set, is the first problem of a revision the planner
	// refuses (a later, stricter planner than the one that stored it);
	// the other figures are then zero.
	Invalid *planner.Problem
}

// figuresRecord is how Figures are stored: exact decimals, named members.
type figuresRecord struct {
	Critical    int              `json:"critical"`
	Warnings    int              `json:"warnings"`
	Utilization decimalRecord    `json:"utilization"`
	Unclaimed   decimalRecord    `json:"unclaimed"`
	Invalid     *planner.Problem `json:"invalid,omitempty"`
}

type decimalRecord struct {
	Units  int64 `json:"units"`
	Places uint8 `json:"places"`
}

// An Overview is a stored scenario (without its body) with the key
// figures of its current revision.
type Overview struct {
	store.Scenario
	Figures *Figures
	// Pending, when Figures is nil, says that they are being computed in
	// the background: the list shows "not computed yet".
	Pending bool
	// Problem, when Figures is nil and Pending false, says why they could
	// not be computed (planning took too long); the list says the
	// scenario cannot be planned.
	Problem error
}

// ListOptions choose the scenarios Overviews returns.
type ListOptions struct {
	// Query keeps the scenarios whose id or name contains it, ignoring
	// case.
	Query string
	// Offset skips that many; Limit returns at most that many after them,
	// 0 meaning all.
	Offset, Limit int
}

// Overviews lists the stored scenarios that opts choose, ordered by id,
// with the key figures of their current revisions, and the number of all
// that match. Figures stored for a revision are read, not computed. Those
// missing are computed while the list is made only for cheap scenarios
// (by the estimate of their plan) and only until the list's deadline
// (Options.ListDeadline); the others are left to the background, which
// stores them for the next list, and show as Pending. So a list takes
// about the same time whatever is stored. A scenario deleted while the
// list is made is left out.
func (s *Service) Overviews(ctx context.Context, opts ListOptions) ([]Overview, int, error) {
	st, err := s.allowedStore(ctx, ActionRead, "")
	if err != nil {
		return nil, 0, err
	}
	page, total, err := st.List(ctx, store.ListOptions{
		Query: opts.Query, Offset: opts.Offset, Limit: opts.Limit, FiguresVersion: figuresVersion,
	})
	if err != nil {
		return nil, 0, err
	}
	deadline := time.Now().Add(s.listWait)
	overviews := make([]Overview, 0, len(page))
	for _, sc := range page {
		if f, ok := decodeFigures(sc.Figures); ok {
			overviews = append(overviews, Overview{Scenario: sc, Figures: f})
			continue
		}
		o := Overview{Scenario: sc}
		key := figuresKey{sc.ID, sc.Revision}
		if problem := s.figures.failed(key); problem != nil {
			o.Problem = problem
		} else if o.Figures, err = s.figuresNow(ctx, key, deadline); err != nil {
			if ctx.Err() != nil {
				return nil, 0, err
			}
			if planner.KindOf(err) == planner.KindNotFound {
				continue
			}
			o.Problem = err
		}
		o.Pending = o.Figures == nil && o.Problem == nil
		overviews = append(overviews, o)
	}
	return overviews, total, nil
}

// figuresNow computes and stores the figures of a revision if that is
// cheap and the deadline has not passed; otherwise it leaves them to the
// background and returns nil figures.
func (s *Service) figuresNow(ctx context.Context, key figuresKey, deadline time.Time) (*Figures, error) {
	if time.Until(deadline) <= 0 {
		s.figures.add(key)
		return nil, nil
	}
	sc, err := s.store.Revision(ctx, key.id, key.revision)
	if err != nil {
		return nil, err
	}
	scenario, err := planner.Decode(sc.Body)
	if err == nil && !s.cheap(planCost(scenario, false)) {
		s.figures.add(key)
		return nil, nil
	}
	listCtx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	s.figures.inline.Add(1)
	f, err := s.figuresOf(listCtx, sc.Body, scenario, err)
	if err != nil {
		if ctx.Err() == nil && listCtx.Err() != nil {
			s.figures.add(key) // the deadline passed: the background finishes
			return nil, nil
		}
		return nil, err
	}
	// Derived data: if storing them fails, the next list computes them
	// again.
	_ = s.putFigures(ctx, key.id, key.revision, f)
	return f, nil
}

// cheap reports whether a call of cost c needs no admission.
func (s *Service) cheap(c cost) bool {
	limit := int64(DefaultCheapWork)
	if s.gate != nil {
		limit = s.gate.limits.CheapWork
	}
	return c.Work <= limit
}

// figuresOf computes the key figures of a scenario body, decoded as
// scenario with decodeErr, under the plan timeout. A body the planner
// refuses has figures that say why; an error is a failure that need not
// last, such as the timeout.
func (s *Service) figuresOf(ctx context.Context, body []byte, scenario *planner.Scenario, decodeErr error) (*Figures, error) {
	if decodeErr != nil {
		var invalid *planner.ValidationError
		if errors.As(decodeErr, &invalid) && len(invalid.Problems) > 0 {
			return &Figures{Invalid: &invalid.Problems[0]}, nil
		}
		return nil, decodeErr
	}
	planCtx, cancel := s.withPlanTimeout(ctx)
	defer cancel()
	plan, err := scenario.PlanWithoutSearch(planCtx)
	if err != nil {
		return nil, s.timedOut(ctx, err)
	}
	sum := &plan.Summary
	return &Figures{Critical: sum.Critical, Warnings: sum.Warnings, Utilization: sum.Utilization, Unclaimed: sum.Unclaimed}, nil
}

// putFigures stores f as the figures of revision of scenario id.
func (s *Service) putFigures(ctx context.Context, id string, revision int, f *Figures) error {
	body, err := json.Marshal(figuresRecord{
		Critical: f.Critical, Warnings: f.Warnings,
		Utilization: decimalRecord{f.Utilization.Units, f.Utilization.Places},
		Unclaimed:   decimalRecord{f.Unclaimed.Units, f.Unclaimed.Places},
		Invalid:     f.Invalid,
	})
	if err != nil {
		return err
	}
	return s.store.PutFigures(ctx, id, revision, store.Figures{Version: figuresVersion, Body: body})
}

// decodeFigures reads stored figures; false if there are none, or none
// this program can read.
func decodeFigures(stored *store.Figures) (*Figures, bool) {
	if stored == nil || stored.Version != figuresVersion {
		return nil, false
	}
	var r figuresRecord
	if err := json.Unmarshal(stored.Body, &r); err != nil {
		return nil, false
	}
	return &Figures{
		Critical: r.Critical, Warnings: r.Warnings,
		Utilization: planner.Decimal{Units: r.Utilization.Units, Places: r.Utilization.Places},
		Unclaimed:   planner.Decimal{Units: r.Unclaimed.Units, Places: r.Unclaimed.Places},
		Invalid:     r.Invalid,
	}, true
}

// saved computes and stores the figures of sc, a revision just stored
// with body (decoded already, when scenario is not nil), if that is
// cheap, and leaves them to the background otherwise. The revision is
// stored whatever happens here: if the figures cannot be computed or
// stored, the list computes them when it first shows the revision.
func (s *Service) saved(ctx context.Context, sc store.Scenario, body []byte, scenario *planner.Scenario) {
	var err error
	if scenario == nil {
		scenario, err = planner.Decode(body)
	}
	if err == nil && !s.cheap(planCost(scenario, false)) {
		s.figures.add(figuresKey{sc.ID, sc.Revision})
		return
	}
	if f, err := s.figuresOf(ctx, body, scenario, err); err == nil {
		_ = s.putFigures(ctx, sc.ID, sc.Revision, f)
	}
}

// figuresKey names a revision whose figures are computed.
type figuresKey struct {
	id       string
	revision int
}

// maxPendingFigures bounds the revisions waiting for their figures in
// the background; past it a revision is left for a later list to ask
// again.
const maxPendingFigures = 1024

// figuresQueue computes key figures in the background, one revision
// after the other, each through the gate as the service's own client, so
// that it takes a worker only when users leave one free. A revision whose
// figures could not be computed (planning took too long) is remembered,
// so that every list does not start it again.
type figuresQueue struct {
	s       *Service
	ctx     context.Context
	cancel  context.CancelFunc
	mu      sync.Mutex
	pending map[figuresKey]bool
	queue   []figuresKey
	fails   map[figuresKey]error
	running bool
	closed  bool
	wg      sync.WaitGroup

	inline, deferred, background atomic.Int64
}

func newFiguresQueue(s *Service) *figuresQueue {
	ctx, cancel := context.WithCancel(context.Background())
	return &figuresQueue{s: s, ctx: ctx, cancel: cancel, pending: map[figuresKey]bool{}, fails: map[figuresKey]error{}}
}

// add queues the revision key, unless it is queued already.
func (q *figuresQueue) add(key figuresKey) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || q.pending[key] || len(q.queue) >= maxPendingFigures {
		return
	}
	q.deferred.Add(1)
	q.pending[key] = true
	q.queue = append(q.queue, key)
	if !q.running {
		q.running = true
		q.wg.Add(1)
		go q.work()
	}
}

// failed is why the figures of key could not be computed, or nil.
func (q *figuresQueue) failed(key figuresKey) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.fails[key]
}

// work computes the queued figures until the queue is empty.
func (q *figuresQueue) work() {
	defer q.wg.Done()
	for {
		q.mu.Lock()
		if len(q.queue) == 0 || q.closed {
			q.running = false
			q.mu.Unlock()
			return
		}
		key := q.queue[0]
		q.queue = q.queue[1:]
		q.mu.Unlock()

		err := q.compute(key)
		q.mu.Lock()
		delete(q.pending, key)
		if err != nil && planner.KindOf(err) != planner.KindUnavailable && q.ctx.Err() == nil {
			q.fails[key] = err
		}
		q.mu.Unlock()
	}
}

// compute computes and stores the figures of key.
func (q *figuresQueue) compute(key figuresKey) error {
	s := q.s
	ctx := WithClient(q.ctx, backgroundClient)
	sc, err := s.store.Revision(ctx, key.id, key.revision)
	if err != nil {
		return err
	}
	scenario, err := planner.Decode(sc.Body)
	if err == nil {
		done, err := s.admit(ctx, planCost(scenario, false))
		if err != nil {
			return err
		}
		defer done()
	}
	f, err := s.figuresOf(ctx, sc.Body, scenario, err)
	if err != nil {
		return err
	}
	if err := s.putFigures(ctx, key.id, key.revision, f); err != nil {
		return err
	}
	q.background.Add(1)
	return nil
}

// counts returns the figures computed inline, deferred and computed in
// the background.
func (q *figuresQueue) counts() (inline, deferred, background int64) {
	return q.inline.Load(), q.deferred.Load(), q.background.Load()
}

// close stops the background work and waits for it.
func (q *figuresQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cancel()
	q.wg.Wait()
}
