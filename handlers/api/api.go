// Package api serves grantplan's JSON API (docs/api.md) with Gin: plans,
// what-ifs, risk runs and workbooks of posted scenarios, and the stored
// scenarios with their revisions.
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

// HealthChecker reports whether the store can be read and written; GET
// /healthz asks it (store.Store has these methods).
type HealthChecker interface {
	Ping(ctx context.Context) error
	PingWrite(ctx context.Context) error
}

// MaxBodySize is the largest request body the API reads (docs/api.md).
const MaxBodySize = 1 << 20

// Handlers holds the API's dependencies; the handlers are its methods.
type Handlers struct {
	service *service.Service
	health  *healthCheck
	log     *slog.Logger
}

// New returns the API's handlers on svc. A nil logger discards.
func New(svc *service.Service, health HealthChecker, logger *slog.Logger) *Handlers {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Handlers{service: svc, health: &healthCheck{checker: health}, log: logger}
}

// NoRoute answers a path the API does not have with a 404 problem.
func (a *Handlers) NoRoute(c *gin.Context) {
	a.Fail(c, httperr.Errorf(http.StatusNotFound, "no such route: %s", c.Request.URL.Path))
}

// NoMethod answers a method a path does not have with a 405 problem.
func (a *Handlers) NoMethod(c *gin.Context) {
	a.Fail(c, httperr.Errorf(http.StatusMethodNotAllowed, "%s is not allowed on %s", c.Request.Method, c.Request.URL.Path))
}
