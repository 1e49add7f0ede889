// Package api serves grantplan's JSON API (docs/api.md) with Gin: plans,
// what-ifs, risk runs and workbooks of posted scenarios, and the stored
// scenarios with their revisions, their share links, and the audit log.
//
// A request is authenticated by its bearer token (Authenticate); what the
// caller may do is the service's decision, and a refusal is a problem like
// any other: 401 with WWW-Authenticate for a caller who has not signed
// in, 403 for a role that may not.
//
// The handlers are methods on Handlers; package handlers mounts them on
// the router, where every route is listed. They only translate: a request
// is decoded and checked here (every problem with its JSON path), the
// service does the work, and the answer is encoded here. Every error
// answer is an RFC 9457 problem (application/problem+json) written by
// Fail, with its status from the one table in package httperr.
//
// The API is described by the OpenAPI 3 document openapi.json, embedded
// here and served at GET /api/v1/openapi.json; the router's tests check
// every request and answer they make against it.
package api

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/httperr"
	"grantplan/service"
)

// HealthChecker reports whether the store can be read; GET /healthz asks
// it.
type HealthChecker interface {
	Ping(ctx context.Context) error
}

// MaxBodySize is the largest request body the API reads (docs/api.md).
const MaxBodySize = 1 << 20

// Config is what the API needs besides the service.
type Config struct {
	// Auth recognises API tokens.
	Auth *service.Auth
	// AnonymousRole, if not empty, is the role of a request without a
	// token (serve --anonymous-role); otherwise the service refuses it.
	AnonymousRole service.Role
	// BaseURL is the server's address as the user of a request reaches
	// it, for the addresses of share links.
	BaseURL func(r *http.Request) string
	// Logger receives unexpected errors; nil discards.
	Logger *slog.Logger
}

// Handlers holds the API's dependencies; the handlers are its methods.
type Handlers struct {
	service *service.Service
	health  HealthChecker
	cfg     Config
	log     *slog.Logger
}

// New returns the API's handlers on svc.
func New(svc *service.Service, health HealthChecker, cfg Config) *Handlers {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Handlers{service: svc, health: health, cfg: cfg, log: logger}
}

// Healthz answers GET /healthz: 200 while the store can be read and 503
// otherwise.
func (a *Handlers) Healthz(c *gin.Context) {
	if err := a.health.Ping(c.Request.Context()); err != nil {
		a.Fail(c, &httperr.Error{Status: http.StatusServiceUnavailable, Detail: "the store cannot be read", Cause: err})
		return
	}
	a.writeJSON(c, http.StatusOK, health{Status: "ok"})
}

// health is the body of a healthy /healthz answer.
type health struct {
	Status string `json:"status"`
}

// NoRoute answers a path the API does not have with a 404 problem.
func (a *Handlers) NoRoute(c *gin.Context) {
	a.Fail(c, httperr.Errorf(http.StatusNotFound, "no such route: %s", c.Request.URL.Path))
}

// NoMethod answers a method a path does not have with a 405 problem.
func (a *Handlers) NoMethod(c *gin.Context) {
	a.Fail(c, httperr.Errorf(http.StatusMethodNotAllowed, "%s is not allowed on %s", c.Request.Method, c.Request.URL.Path))
}
