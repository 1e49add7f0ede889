package service

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/planner"
	"grantplan/store"
)

// enterAs enters g for client, failing the test on an error.
func enterAs(t *testing.T, g *gate, client string) func() {
	t.Helper()
	leave, err := g.enter(WithClient(context.Background(), client))
	if err != nil {
		t.Fatalf("%s: enter: %v", client, err)
	}
	return leave
}

// wantBusy fails the test unless err is the gate's refusal with a time
// to retry.
func wantBusy(t *testing.T, err error) {
	t.Helper()
	var retry *store.RetryLater
	if planner.KindOf(err) != planner.KindUnavailable || !errors.As(err, &retry) || retry.After <= 0 {
		t.Fatalf("got %v, want a busy refusal with a time to retry", err)
	}
}

// waitFor polls cond until it holds, for the test's goroutines to reach
// the gate; it fails after ten seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
	}
}

func (g *gate) counts() (running, waiting int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.running, g.waiting
}

// TestGateLimits: the workers run, the queue waits, beyond it a refusal
// comes at once; a client over its share is refused though there is room.
func TestGateLimits(t *testing.T) {
	g := newGate(Limits{Workers: 2, Queue: 2, PerClient: 2, Wait: time.Minute})
	a1, a2 := enterAs(t, g, "a"), enterAs(t, g, "b")
	// a's second call waits; a third is over a's share.
	queued := make(chan func(), 2)
	go func() { queued <- enterAs(t, g, "a") }()
	waitFor(t, "a's call to wait", func() bool { _, w := g.counts(); return w == 1 })
	start := time.Now()
	_, err := g.enter(WithClient(context.Background(), "a"))
	wantBusy(t, err)
	if !strings.Contains(err.Error(), "this client has 2 expensive requests under way") {
		t.Errorf("got %q, want it to say the client has too many", err)
	}
	go func() { queued <- enterAs(t, g, "c") }()
	waitFor(t, "c's call to wait", func() bool { _, w := g.counts(); return w == 2 })
	// The queue is full: refused at once, not after the wait.
	_, err = g.enter(WithClient(context.Background(), "d"))
	wantBusy(t, err)
	if time.Since(start) > 5*time.Second {
		t.Errorf("the refusals took %s, want them at once", time.Since(start))
	}
	a1()
	a1() // twice is once
	(<-queued)()
	a2()
	(<-queued)()
	if running, waiting := g.counts(); running != 0 || waiting != 0 || len(g.clients) != 0 || len(g.turn) != 0 {
		t.Errorf("got %d running, %d waiting, clients %v, turn %v; want all gone", running, waiting, g.clients, g.turn)
	}
	if g.stats.admitted != 4 || g.stats.queued != 2 || g.stats.refused != 2 {
		t.Errorf("got stats %+v, want 4 admitted, 2 queued, 2 refused", g.stats)
	}
}

// TestGateFair: with one worker, a client that queued many calls first
// and another that queued one later take turns: the later one is served
// second, not after the whole burst.
func TestGateFair(t *testing.T) {
	g := newGate(Limits{Workers: 1, Queue: 10, PerClient: 10, Wait: time.Minute})
	leave := enterAs(t, g, "burst")
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	for i, client := range []string{"burst", "burst", "burst", "other"} {
		wg.Go(func() {
			l := enterAs(t, g, client)
			mu.Lock()
			order = append(order, client)
			mu.Unlock()
			l()
		})
		waitFor(t, "the call to wait", func() bool { _, w := g.counts(); return w == i+1 })
	}
	leave()
	wg.Wait()
	if got := strings.Join(order, " "); got != "burst other burst burst" {
		t.Errorf("got order %q, want the other client second", got)
	}
}

// TestGateWait: a call that waits longer than Wait is refused; one whose
// client gives up goes with the client's error; neither keeps a place.
func TestGateWait(t *testing.T) {
	g := newGate(Limits{Workers: 1, Queue: 5, Wait: 20 * time.Millisecond})
	leave := enterAs(t, g, "a")
	_, err := g.enter(WithClient(context.Background(), "b"))
	wantBusy(t, err)
	ctx, cancel := context.WithCancel(WithClient(context.Background(), "c"))
	cancel()
	if _, err := g.enter(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want the client's cancellation", err)
	}
	leave()
	if running, waiting := g.counts(); running != 0 || waiting != 0 || len(g.clients) != 0 || len(g.turn) != 0 {
		t.Errorf("got %d running, %d waiting, clients %v; want all gone", running, waiting, g.clients)
	}
}

// TestAdmit: a cheap call passes without the gate, an expensive one takes
// a worker, and one over the memory limit is refused at the field that
// makes it big, saying what would fit.
func TestAdmit(t *testing.T) {
	s, _ := newService(t, Options{Limits: &Limits{Workers: 1, Queue: 1, Wait: 10 * time.Millisecond, MaxWork: 500_000}})
	ctx := asPlanner()
	demo, err := planner.Decode(data.Demo)
	if err != nil {
		t.Fatal(err)
	}
	leave, err := s.admit(ctx, planCost(demo, true))
	if err != nil {
		t.Fatal(err)
	}
	leave()
	if st := s.Stats(); st.Admitted != 0 {
		t.Errorf("the plan of the demo passed the gate: %+v", st)
	}

	hold, err := s.admit(ctx, riskCost(demo, planner.DefaultRiskOptions()))
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Admitted != 1 {
		t.Errorf("the risk run of the demo did not pass the gate: %+v", st)
	}
	// The worker is taken (and the queue's wait short): a second risk run
	// is refused, but the plan still passes.
	if _, err := s.Risk(ctx, Stored(data.DemoID, 0), planner.DefaultRiskOptions()); err == nil {
		t.Error("a second risk run while the worker is taken: got no error")
	} else {
		wantBusy(t, err)
	}
	if _, err := s.Plan(ctx, Stored(data.DemoID, 0), PlanOptions{}); err != nil {
		t.Errorf("a plan while the worker is taken: %v", err)
	}
	hold()

	opts := planner.DefaultRiskOptions()
	opts.Trials = 100_000
	_, err = s.Risk(ctx, Stored(data.DemoID, 0), opts)
	var budget *BudgetError
	if !errors.As(err, &budget) || planner.KindOf(err) != planner.KindInvalid {
		t.Fatalf("got %v, want a budget error of kind invalid", err)
	}
	if budget.Problem.Path != "trials" || budget.AtMost != 50_000 || !strings.Contains(budget.Problem.Message, "at most 50000 trials for 10 posts") {
		t.Errorf("got %+v, want it at trials, saying 50000 fit", budget)
	}
}

// TestRevisionSize: a body over the limit is refused as too large, by
// every way of storing one.
func TestRevisionSize(t *testing.T) {
	s, _ := newService(t, Options{MaxRevisionSize: len(data.Demo) - 1})
	ctx := asPlanner()
	_, err := s.Create(ctx, data.Demo)
	if planner.KindOf(err) != planner.KindTooLarge {
		t.Errorf("Create: got %v, want too large", err)
	}
	_, err = s.Update(ctx, data.DemoID, Precondition{Any: true}, data.Demo)
	if planner.KindOf(err) != planner.KindTooLarge {
		t.Errorf("Update: got %v, want too large", err)
	}
}
