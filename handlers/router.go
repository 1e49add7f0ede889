// Package handlers builds grantplan's HTTP handler: NewRouter lists every
// middleware and every route in one place and mounts the two adapters
// that serve them, the JSON API (package api, docs/api.md) and the web
// pages (package pages, docs/web.md). Both call the application service
// (package service) and answer failures from one table (package httperr);
// package view lays plans out for the pages.
package handlers

import (
	"log/slog"
	"strings"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/api"
	"grantplan/handlers/pages"
	"grantplan/service"
)

// Deps is what the router needs from the program.
type Deps struct {
	// Service does everything the routes offer; the handlers only
	// translate between HTTP and its calls.
	Service *service.Service
	// Health is asked by GET /healthz whether the store can be read.
	Health api.HealthChecker
	// Logger receives one line per request and the unexpected errors;
	// nil discards them.
	Logger *slog.Logger
}

// NewRouter returns the HTTP handler of the whole program: the API and the
// web pages. It panics if a page's template does not parse, so that a
// broken build stops at start-up.
func NewRouter(deps Deps) *gin.Engine {
	logger := deps.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	a := api.New(deps.Service, deps.Health, logger)
	p := pages.New(deps.Service, logger)

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

	r.Use(logRequests(logger), recoverPanics(logger), limitBody(api.MaxBodySize, a.Fail))
	r.NoRoute(func(c *gin.Context) {
		if isPagePath(c.Request.URL.Path) {
			p.NotFound(c)
			return
		}
		a.NoRoute(c)
	})
	r.NoMethod(a.NoMethod)

	r.GET("/healthz", a.Healthz)

	// The JSON API (docs/api.md): problem+json errors, described by the
	// OpenAPI document it serves.
	v1 := r.Group("/api/v1", identifyClient)
	v1.GET("/openapi.json", a.Document)
	v1.POST("/plan", a.Plan)
	v1.POST("/whatif", a.WhatIf)
	v1.POST("/risk", a.Risk)
	v1.POST("/export.xlsx", a.Export)

	v1.GET("/scenarios", a.ListScenarios)
	v1.POST("/scenarios", a.CreateScenario)
	v1.GET("/scenarios/:id", a.GetScenario)
	v1.PUT("/scenarios/:id", a.UpdateScenario)
	v1.DELETE("/scenarios/:id", a.DeleteScenario)
	v1.GET("/scenarios/:id/revisions", a.ListRevisions)
	v1.GET("/scenarios/:id/revisions/:revision", a.GetRevision)
	v1.GET("/scenarios/:id/plan", a.PlanStored)
	v1.GET("/scenarios/:id/risk", a.RiskStored)
	v1.GET("/scenarios/:id/export.xlsx", a.ExportStored)

	// An administrator's: the deleted scenarios. The service refuses
	// everyone else (service.ActionAdmin); a role check of the group goes
	// here once there are accounts.
	admin := v1.Group("/admin")
	admin.GET("/deleted", a.ListDeleted)
	admin.GET("/deleted/:id/revisions", a.ListDeletedRevisions)
	admin.GET("/deleted/:id/revisions/:revision", a.GetDeletedRevision)
	admin.POST("/deleted/:id/restore", a.Undelete)

	// The web pages (docs/web.md): HTML in English or German, every POST
	// checked against a CSRF token.
	r.GET("/static/*filepath", pages.SecurityHeaders, pages.Static())
	web := r.Group("", pages.SecurityHeaders, pages.ChooseLanguage, p.CSRF, identifyClient)
	web.GET("/", p.List)
	web.POST("/scenarios/new", p.CreateBlank)
	web.POST("/scenarios/upload", p.Upload)
	web.GET("/compare", p.Compare)
	web.GET("/scenarios/:id", p.Scenario)
	web.GET("/scenarios/:id/edit", p.Edit)
	web.POST("/scenarios/:id/edit", p.SaveEdit)
	web.GET("/scenarios/:id/history", p.History)
	web.POST("/scenarios/:id/restore", p.Restore)
	web.POST("/scenarios/:id/duplicate", p.Duplicate)
	web.GET("/scenarios/:id/delete", p.ConfirmDelete)
	web.POST("/scenarios/:id/delete", p.Delete)
	web.GET("/scenarios/:id/whatif", p.WhatIf)
	web.POST("/scenarios/:id/whatif", p.SaveWhatIf)
	// An administrator's pages: the deleted scenarios (see the API's).
	webAdmin := web.Group("/admin")
	webAdmin.GET("/deleted", p.Deleted)
	webAdmin.GET("/deleted/:id", p.DeletedHistory)
	webAdmin.POST("/deleted/:id/restore", p.Undelete)
	return r
}

// isPagePath reports whether a path belongs to the web pages rather than
// the API, for the answers to unknown routes.
func isPagePath(path string) bool {
	return !strings.HasPrefix(path, "/api/") && path != "/healthz"
}
