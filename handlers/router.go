// Package handlers serves grantplan's HTTP API (SPEC §9) with Gin.
//
// NewRouter builds the one router; every route and every middleware is
// listed there. The handlers are methods on api, whose fields are the
// interfaces declared below, so that tests can pass fakes. Every error
// answer is an RFC 9457 problem (application/problem+json) written by
// api.fail, the one place that maps an error to a status.
//
// The API is described by the OpenAPI 3 document openapi.json, embedded
// here and served at GET /api/v1/openapi.json; the tests check every
// request and response they make against it.
package handlers

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"grantplan/store"
)

// Scenarios is the store of scenarios and their revisions that the
// stored-scenario routes need. Every store.Store implements it; see the
// store package for what each method promises (revisions are only
// appended, Delete only hides). Errors carry planner error kinds: not
// found, conflict, precondition failed.
//
// The records are the store's own plain value types: declaring copies of
// them here would add a translation layer and nothing else.
type Scenarios interface {
	List(ctx context.Context, opts store.ListOptions) ([]store.Scenario, int, error)
	Get(ctx context.Context, id string) (store.Scenario, error)
	CreateUnique(ctx context.Context, base, name string, body json.RawMessage) (store.Scenario, error)
	Update(ctx context.Context, id string, ifMatch int, name string, body json.RawMessage) (store.Scenario, error)
	Delete(ctx context.Context, id string, ifMatch int) error
	Revisions(ctx context.Context, id string) ([]store.RevisionInfo, error)
	Revision(ctx context.Context, id string, revision int) (store.Scenario, error)
}

// HealthChecker reports whether the store can be read; GET /healthz asks
// it.
type HealthChecker interface {
	Ping(ctx context.Context) error
}

// Deps is what the router needs from the program.
type Deps struct {
	Scenarios Scenarios
	Health    HealthChecker
	// Logger receives one line per request and the unexpected errors;
	// nil discards them.
	Logger *slog.Logger
	// PlanTimeout bounds the planning of one request (0: DefaultPlanTimeout).
	// A scenario with HR capacity takes an exhaustive search for its
	// latest safe start, and a request must not hold a core for ever.
	PlanTimeout time.Duration
	// Now is the clock of the web pages (the start date of a blank
	// scenario); nil means time.Now.
	Now func() time.Time
}

// DefaultPlanTimeout is the planning time one request may take unless
// Deps says otherwise.
const DefaultPlanTimeout = 30 * time.Second

// maxBodySize is the largest request body the API reads (SPEC §9).
const maxBodySize = 1 << 20

// api holds the handlers' dependencies; the handlers are its methods.
type api struct {
	scenarios   Scenarios
	health      HealthChecker
	log         *slog.Logger
	planTimeout time.Duration
	clock       func() time.Time
}

// NewRouter returns the HTTP handler of the whole API.
func NewRouter(deps Deps) *gin.Engine {
	a := &api{
		scenarios:   deps.Scenarios,
		health:      deps.Health,
		log:         deps.Logger,
		planTimeout: deps.PlanTimeout,
		clock:       deps.Now,
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.planTimeout <= 0 {
		a.planTimeout = DefaultPlanTimeout
	}

	// Gin's debug mode prints every route to standard output, which
	// belongs to the command line; the routes are all listed below.
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	// No proxy is trusted, so the logged client address is the peer's and
	// not whatever an X-Forwarded-For header claims.
	_ = r.SetTrustedProxies(nil)
	// An API answers the path it was asked, not a redirect to a guess.
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.HandleMethodNotAllowed = true

	r.Use(a.logRequests, a.recoverPanics, a.limitBody(maxBodySize))
	r.NoRoute(a.noRoute)
	r.NoMethod(a.noMethod)

	r.GET("/healthz", a.healthz)

	v1 := r.Group("/api/v1")
	v1.GET("/openapi.json", a.openAPI)
	v1.POST("/plan", a.plan)
	v1.POST("/whatif", a.whatIf)
	v1.POST("/risk", a.risk)
	v1.POST("/export.xlsx", a.export)

	v1.GET("/scenarios", a.listScenarios)
	v1.POST("/scenarios", a.createScenario)
	v1.GET("/scenarios/:id", a.getScenario)
	v1.PUT("/scenarios/:id", a.updateScenario)
	v1.DELETE("/scenarios/:id", a.deleteScenario)
	v1.GET("/scenarios/:id/revisions", a.listRevisions)
	v1.GET("/scenarios/:id/revisions/:revision", a.getRevision)
	v1.GET("/scenarios/:id/plan", a.planStored)
	v1.GET("/scenarios/:id/risk", a.riskStored)
	v1.GET("/scenarios/:id/export.xlsx", a.exportStored)

	// The web pages (SPEC §10, docs/web.md): HTML in English or German,
	// every POST checked against a CSRF token.
	r.GET("/static/*filepath", securityHeaders, serveStatic())
	pages := r.Group("", securityHeaders, chooseLanguage, a.csrfProtect)
	pages.GET("/", a.listPage)
	pages.POST("/scenarios/new", a.createBlank)
	pages.POST("/scenarios/upload", a.uploadScenario)
	pages.GET("/compare", a.showCompare)
	pages.GET("/scenarios/:id", a.showScenario)
	pages.GET("/scenarios/:id/edit", a.showEdit)
	pages.POST("/scenarios/:id/edit", a.saveEdit)
	pages.GET("/scenarios/:id/history", a.showHistory)
	pages.POST("/scenarios/:id/restore", a.restoreRevision)
	pages.POST("/scenarios/:id/duplicate", a.duplicateScenario)
	pages.GET("/scenarios/:id/delete", a.confirmDelete)
	pages.POST("/scenarios/:id/delete", a.deleteScenarioPage)
	pages.GET("/scenarios/:id/whatif", a.showWhatIf)
	pages.POST("/scenarios/:id/whatif", a.saveWhatIf)
	return r
}

// healthz answers 200 while the store can be read and 503 otherwise.
func (a *api) healthz(c *gin.Context) {
	if err := a.health.Ping(c.Request.Context()); err != nil {
		a.fail(c, &statusError{status: http.StatusServiceUnavailable, detail: "the store cannot be read", cause: err})
		return
	}
	a.writeJSON(c, http.StatusOK, health{Status: "ok"})
}

// health is the body of a healthy /healthz answer.
type health struct {
	Status string `json:"status"`
}

func (a *api) noRoute(c *gin.Context) {
	if isPagePath(c.Request.URL.Path) {
		a.pageNotFound(c)
		return
	}
	a.fail(c, errorf(http.StatusNotFound, "no such route: %s", c.Request.URL.Path))
}

func (a *api) noMethod(c *gin.Context) {
	a.fail(c, errorf(http.StatusMethodNotAllowed, "%s is not allowed on %s", c.Request.Method, c.Request.URL.Path))
}
