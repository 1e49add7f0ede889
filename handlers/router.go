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
	"html/template"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/httperr"
	"grantplan/service"
	"grantplan/templates"
)

// HealthChecker reports whether the store can be read; GET /healthz asks
// it.
type HealthChecker interface {
	Ping(ctx context.Context) error
}

// Deps is what the router needs from the program.
type Deps struct {
	// Service does everything the routes offer; the handlers only
	// translate between HTTP and its calls.
	Service *service.Service
	Health  HealthChecker
	// Logger receives one line per request and the unexpected errors;
	// nil discards them.
	Logger *slog.Logger
}

// maxBodySize is the largest request body the API reads (docs/api.md).
const maxBodySize = 1 << 20

// api holds the handlers' dependencies; the handlers are its methods.
type api struct {
	service *service.Service
	health  HealthChecker
	log     *slog.Logger
	views   map[string]*template.Template // the pages, by name
}

// NewRouter returns the HTTP handler of the whole API.
func NewRouter(deps Deps) *gin.Engine {
	a := &api{service: deps.Service, health: deps.Health, log: deps.Logger, views: parsePages(templates.FS)}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
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
		a.fail(c, &httperr.Error{Status: http.StatusServiceUnavailable, Detail: "the store cannot be read", Cause: err})
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
	a.fail(c, httperr.Errorf(http.StatusNotFound, "no such route: %s", c.Request.URL.Path))
}

func (a *api) noMethod(c *gin.Context) {
	a.fail(c, httperr.Errorf(http.StatusMethodNotAllowed, "%s is not allowed on %s", c.Request.Method, c.Request.URL.Path))
}
