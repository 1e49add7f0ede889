package api

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"grantplan/planner"
)

// Health is the body of a /healthz answer: "ok" with 200 while the store
// can be read and written; otherwise 503 with "degraded" (it can be read
// but not written: a full disk, a read-only file) or "unavailable" (it
// cannot be read), and Detail saying why.
type Health struct {
	Status string      `json:"status"`
	Store  StoreHealth `json:"store"`
	Detail string      `json:"detail,omitempty"`
}

// StoreHealth says whether the store can be read and written.
type StoreHealth struct {
	Read  bool `json:"read"`
	Write bool `json:"write"`
}

// healthyFor is how long a healthy answer is given again without asking
// the store: a monitor or load balancer polling /healthz many times a
// second costs the store one check a second. A failure is asked again
// every time, so that the answer turns healthy as soon as the store is.
const healthyFor = time.Second

// healthCheck asks a HealthChecker and remembers a healthy answer for
// healthyFor.
type healthCheck struct {
	checker HealthChecker
	mu      sync.Mutex
	okUntil time.Time
}

// check asks the store, unless it was healthy less than healthyFor ago.
func (h *healthCheck) check(ctx context.Context) (Health, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if time.Now().Before(h.okUntil) {
		return Health{Status: "ok", Store: StoreHealth{Read: true, Write: true}}, nil
	}
	if err := h.checker.Ping(ctx); err != nil {
		return Health{Status: "unavailable", Detail: "the store cannot be read"}, err
	}
	if err := h.checker.PingWrite(ctx); err != nil {
		return Health{Status: "degraded", Store: StoreHealth{Read: true}, Detail: whyNotWritable(err)}, err
	}
	h.okUntil = time.Now().Add(healthyFor)
	return Health{Status: "ok", Store: StoreHealth{Read: true, Write: true}}, nil
}

// whyNotWritable says in general terms why the store cannot be written.
// /healthz is public, so it names neither the database's path nor its
// sizes; the log line of the failed check has the whole error.
func whyNotWritable(err error) string {
	switch planner.KindOf(err) {
	case planner.KindFull:
		return "the store is full: nothing can be saved"
	case planner.KindUnavailable:
		return "the store cannot be written now (busy or read-only)"
	}
	return "the store cannot be written"
}

// Healthz answers GET /healthz: 200 {"status": "ok", "store": {"read":
// true, "write": true}} while the store can be read and written, and 503
// otherwise, with what works and why the rest does not. It recovers by
// itself: the first check after the store is fixed answers 200. A failure
// is logged as an error, since someone has to look.
func (a *Handlers) Healthz(c *gin.Context) {
	h, err := a.health.check(c.Request.Context())
	status := http.StatusOK
	if err != nil {
		status = http.StatusServiceUnavailable
		if c.Request.Context().Err() == nil {
			a.log.LogAttrs(context.Background(), slog.LevelError, "health check failed",
				slog.String("status", h.Status), slog.String("error", err.Error()))
		}
	}
	c.Header("Cache-Control", "no-store")
	a.writeJSON(c, status, h)
}
