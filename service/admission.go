package service

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"time"

	"grantplan/planner"
	"grantplan/store"
)

// Expensive work (the plan of a big scenario, a what-if, a risk run, a
// workbook, the key figures of a big scenario) is admitted by a gate: a
// few workers at once, a short queue behind them, and beyond that a fast
// refusal that says when to try again (planner.KindUnavailable, 503 with
// Retry-After). The queue is fair: it serves the clients that wait in
// turn, one call each, so that one client's burst does not hold up
// everybody else; and a client may have only so many calls running or
// waiting. Cheap calls (the plan of a small scenario, every read) never
// pass the gate, so they never wait behind expensive ones.
//
// What a call will take is estimated before it starts, from the
// scenario's size and the call's options (cost.go; a risk run by
// planner.RiskCost); a call whose pass is over Limits.MaxWork, or whose
// memory is over Limits.MaxBytes, is refused as invalid input (422, a
// *BudgetError) instead of started.

// Limits bound the expensive work of a Service. The zero value of each
// field means its default.
type Limits struct {
	// Workers is how many expensive calls run at once; by default half
	// the CPUs, at least one, so that cheap requests keep a core.
	Workers int
	// Queue is how many more may wait for a worker; 4 × Workers by
	// default.
	Queue int
	// Wait bounds how long a call waits in the queue; 5 s by default.
	Wait time.Duration
	// PerClient bounds the expensive calls one client has running or
	// waiting; by default half of Workers + Queue, at least one.
	PerClient int
	// MaxWork bounds the work of one pass of a call, in position
	// schedules (posts × trials of a risk run, posts × scenarios of a
	// what-if); DefaultMaxWork by default.
	MaxWork int64
	// MaxBytes bounds the memory a call is estimated to take;
	// DefaultMaxBytes by default.
	MaxBytes int64
	// CheapWork is the work estimate, in position schedules, up to which a
	// call is cheap and does not pass the gate; DefaultCheapWork by
	// default.
	CheapWork int64
}

// Defaults of Limits.
const (
	// DefaultMaxWork allows a risk run of 100,000 trials of 200 posts, or
	// 4,000 trials of the largest scenario (5,000 posts): one pass of some
	// seconds.
	DefaultMaxWork = 20_000_000
	// DefaultMaxBytes is 512 MiB per call; with the default workers, at
	// most that many times over at once.
	DefaultMaxBytes = 512 << 20
	// DefaultCheapWork is a few milliseconds of planning: the plan of a
	// scenario of some hundred posts without HR capacity.
	DefaultCheapWork = 2_000
	defaultWait      = 5 * time.Second
)

// withDefaults returns l with every zero field set to its default.
func (l Limits) withDefaults() Limits {
	if l.Workers <= 0 {
		l.Workers = max(1, runtime.NumCPU()/2)
	}
	if l.Queue <= 0 {
		l.Queue = 4 * l.Workers
	}
	if l.Wait <= 0 {
		l.Wait = defaultWait
	}
	if l.PerClient <= 0 {
		l.PerClient = max(1, (l.Workers+l.Queue)/2)
	}
	if l.MaxWork <= 0 {
		l.MaxWork = DefaultMaxWork
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.CheapWork <= 0 {
		l.CheapWork = DefaultCheapWork
	}
	return l
}

// clientKey is the context key of the client a call is made for.
type clientKey struct{}

// WithClient returns ctx for calls made for client, the key of the gate's
// fairness, whoever the actor is: the service's own background work.
func WithClient(ctx context.Context, client string) context.Context {
	return context.WithValue(ctx, clientKey{}, client)
}

// clientOf is the client a call is made for, the key of the gate's
// fairness: a signed-in actor's user, a share link, or else the actor's
// address (anonymous callers).
func clientOf(ctx context.Context) string {
	if client, ok := ctx.Value(clientKey{}).(string); ok {
		return client
	}
	a := ActorOf(ctx)
	switch {
	case a.Name != "":
		return "user " + a.Name
	case a.Share != nil:
		return "share link " + strconv.FormatInt(a.Share.ID, 10)
	}
	return "address " + a.Address
}

// backgroundClient is the client of the service's own background work.
const backgroundClient = "\x00background"

// A gate admits expensive calls: Limits.Workers at once, up to
// Limits.Queue waiting, served in turn by client.
type gate struct {
	limits  Limits
	mu      sync.Mutex
	running int
	waiting int
	clients map[string]*clientCalls
	// turn holds the clients with calls waiting, in the order they are
	// served: the one served goes to the back.
	turn  []*clientCalls
	stats gateStats
}

// clientCalls are one client's calls running and waiting.
type clientCalls struct {
	key     string
	active  int // running or waiting
	waiters []*waiter
}

// A waiter is one call waiting in the queue; ready is closed when it is
// given a worker.
type waiter struct {
	ready   chan struct{}
	granted bool
}

// gateStats count what the gate did.
type gateStats struct {
	admitted, queued, refused int64
}

func newGate(limits Limits) *gate {
	return &gate{limits: limits.withDefaults(), clients: map[string]*clientCalls{}}
}

// errBusy is the refusal of a call the gate has no room for.
func (g *gate) errBusy(why string) error {
	return &store.RetryLater{Err: planner.Errorf(planner.KindUnavailable,
		"the server is busy with expensive work (%s): try again in a moment", why), After: store.BusyRetry}
}

// enter waits for a worker for a call of ctx's client and returns the
// function that gives it back; or refuses at once (the client has too
// many calls, the queue is full), or after Limits.Wait in the queue.
func (g *gate) enter(ctx context.Context) (func(), error) {
	key := clientOf(ctx)
	g.mu.Lock()
	c := g.clients[key]
	if c == nil {
		c = &clientCalls{key: key}
		g.clients[key] = c
	}
	if c.active >= g.limits.PerClient {
		g.stats.refused++
		g.forget(c)
		g.mu.Unlock()
		return nil, g.errBusy(fmt.Sprintf("this client has %d expensive requests under way, the most one may have", c.active))
	}
	if g.running < g.limits.Workers && len(g.turn) == 0 {
		g.running++
		c.active++
		g.stats.admitted++
		g.mu.Unlock()
		return g.leaver(c), nil
	}
	if g.waiting >= g.limits.Queue {
		g.stats.refused++
		g.forget(c)
		g.mu.Unlock()
		return nil, g.errBusy(fmt.Sprintf("%d running, %d waiting", g.running, g.waiting))
	}
	w := &waiter{ready: make(chan struct{})}
	c.waiters = append(c.waiters, w)
	c.active++
	g.waiting++
	g.stats.queued++
	if len(c.waiters) == 1 {
		g.turn = append(g.turn, c)
	}
	g.mu.Unlock()

	timer := time.NewTimer(g.limits.Wait)
	defer timer.Stop()
	var err error
	select {
	case <-w.ready:
		return g.leaver(c), nil
	case <-timer.C:
		err = g.errBusy(fmt.Sprintf("waited %s for a turn", g.limits.Wait))
	case <-ctx.Done():
		err = ctx.Err()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if w.granted { // given a worker just as the wait ended
		return g.leaver(c), nil
	}
	for i, other := range c.waiters {
		if other == w {
			c.waiters = append(c.waiters[:i], c.waiters[i+1:]...)
			break
		}
	}
	if len(c.waiters) == 0 {
		for i, other := range g.turn {
			if other == c {
				g.turn = append(g.turn[:i], g.turn[i+1:]...)
				break
			}
		}
	}
	c.active--
	g.waiting--
	g.stats.refused++
	g.forget(c)
	return nil, err
}

// leaver returns the function that gives a call's worker back, once.
func (g *gate) leaver(c *clientCalls) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.running--
			c.active--
			g.forget(c)
			g.handOver()
		})
	}
}

// handOver gives free workers to the waiting calls, one client after the
// other. g.mu is held.
func (g *gate) handOver() {
	for g.running < g.limits.Workers && len(g.turn) > 0 {
		c := g.turn[0]
		g.turn = g.turn[1:]
		w := c.waiters[0]
		c.waiters = c.waiters[1:]
		if len(c.waiters) > 0 {
			g.turn = append(g.turn, c)
		}
		g.waiting--
		g.running++
		g.stats.admitted++
		w.granted = true
		close(w.ready)
	}
}

// forget drops a client with nothing running or waiting. g.mu is held.
func (g *gate) forget(c *clientCalls) {
	if c.active == 0 {
		delete(g.clients, c.key)
	}
}
