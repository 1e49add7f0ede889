// Package handlers builds grantplan's HTTP handler: NewRouter lists every
// middleware and every route in one place and mounts the adapters that
// serve them, the JSON API (package api, docs/api.md) and the web pages
// (docs/web.md): the scenarios' (package pages) and sign-in's, the
// accounts' and the audit log's (package access), both on what every page
// shares (package web). All call the application service (package
// service) and answer failures from one table (package httperr); package
// view lays plans out for the pages.
//
// Every request is authenticated before its handler runs: an API request
// by its bearer token, a page by its session cookie, a share link's page
// by the link. The caller goes into the request's context, and the
// service decides what they may do.
package handlers

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/access"
	"grantplan/handlers/api"
	"grantplan/handlers/pages"
	"grantplan/handlers/web"
	"grantplan/service"
)

// Deps is what the router needs from the program.
type Deps struct {
	// Service does everything the routes offer; the handlers only
	// translate between HTTP and its calls.
	Service *service.Service
	// Auth recognises the callers: sessions, API tokens, share links.
	Auth *service.Auth
	// Health is asked by GET /healthz whether the store can be read.
	Health api.HealthChecker
	// Logger receives one line per request and the unexpected errors;
	// nil discards them.
	Logger *slog.Logger
	// AnonymousRole, if not empty, is the role of a caller without
	// credentials (serve --anonymous-role viewer): an explicit opt-in for
	// a kiosk or an open planning API. Empty: such a caller is sent to
	// the login (pages) or refused with 401 (API).
	AnonymousRole service.Role
	// TrustedProxies are the addresses or CIDR ranges of reverse proxies
	// whose X-Forwarded-For names the client (serve --trusted-proxy);
	// none by default, so the client is the peer.
	TrustedProxies []string
	// SecureCookies marks cookies Secure on every request, for a server
	// behind a proxy that ends TLS (serve --secure-cookies). A PublicURL
	// of https does too: its users reach it over TLS.
	SecureCookies bool
	// PublicURL is the server's address as its users reach it, for share
	// links and the OpenID Connect redirect (serve --public-url); empty:
	// the address each request came to.
	PublicURL string
	// OIDC, if not nil, offers single sign-on on the login page.
	OIDC *access.OIDC
}

// NewRouter returns the HTTP handler of the whole program: the API and the
// web pages. It panics if a page's template does not parse, or a trusted
// proxy is not an address or range, so that a broken build or
// configuration stops at start-up.
func NewRouter(deps Deps) *gin.Engine {
	logger := deps.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	secure := deps.SecureCookies || strings.HasPrefix(strings.ToLower(deps.PublicURL), "https://")
	baseURL := baseURLOf(deps.PublicURL, secure)
	a := api.New(deps.Service, deps.Health, api.Config{Auth: deps.Auth, AnonymousRole: deps.AnonymousRole,
		BaseURL: baseURL, Logger: logger})
	core := web.New(deps.Service, web.Config{Auth: deps.Auth, AnonymousRole: deps.AnonymousRole,
		SecureCookies: secure, BaseURL: baseURL, Logger: logger})
	p := pages.New(core)
	acc := access.New(core, deps.OIDC)

	// Gin's debug mode prints every route to standard output, which
	// belongs to the command line; the routes are all listed below.
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	// The client address (in the log, the audit log and the login
	// throttle) is the peer's, unless the peer is a trusted proxy; then it
	// is what X-Forwarded-For says.
	if err := r.SetTrustedProxies(deps.TrustedProxies); err != nil {
		panic("handlers: trusted proxies: " + err.Error())
	}
	untrusted := warnUntrustedProxy(logger, deps.TrustedProxies)
	// An API answers the path it was asked, not a redirect to a guess.
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.HandleMethodNotAllowed = true

	// A file to import (a workbook, a CSV) and the edit form of many posts
	// may be larger than a scenario's JSON.
	r.Use(logRequests(logger), recoverPanics(logger), untrusted, limitBody(api.MaxBodySize, map[string]int64{
		"/api/v1/import":      api.MaxImportSize,
		"/scenarios/upload":   api.MaxImportSize,
		"/scenarios/:id/edit": api.MaxImportSize,
	}, a.Fail))
	r.NoRoute(func(c *gin.Context) {
		if isPagePath(c.Request.URL.Path) {
			core.NotFound(c)
			return
		}
		a.NoRoute(c)
	})
	r.NoMethod(a.NoMethod)

	// Public: the health check and the API's description.
	r.GET("/healthz", a.Healthz)
	r.GET("/api/v1/openapi.json", a.Document)

	// The JSON API (docs/api.md): bearer tokens, problem+json errors,
	// described by the OpenAPI document.
	v1 := r.Group("/api/v1", a.Authenticate)
	v1.POST("/plan", a.Plan)
	v1.POST("/whatif", a.WhatIf)
	v1.POST("/risk", a.Risk)
	v1.POST("/export.xlsx", a.Export)
	v1.POST("/import", a.Import)
	v1.GET("/template.xlsx", a.Template)
	v1.POST("/report.pdf", a.Report)

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
	v1.GET("/scenarios/:id/report.pdf", a.ReportStored)
	v1.POST("/scenarios/:id/shares", a.CreateShare)
	v1.GET("/scenarios/:id/shares", a.ListShares)
	v1.DELETE("/scenarios/:id/shares/:share", a.RevokeShare)
	v1.GET("/audit", a.Audit)

	// An administrator's: the deleted scenarios (service.ActionDeleted,
	// which only admins may).
	admin := v1.Group("/admin")
	admin.GET("/deleted", a.ListDeleted)
	admin.GET("/deleted/:id/revisions", a.ListDeletedRevisions)
	admin.GET("/deleted/:id/revisions/:revision", a.GetDeletedRevision)
	admin.POST("/deleted/:id/restore", a.Undelete)

	// The web pages (docs/web.md): HTML in English or German, a session
	// cookie, every POST checked against a CSRF token bound to it.
	r.GET("/static/*filepath", web.SecurityHeaders, web.Static())
	session := r.Group("", web.SecurityHeaders, core.ChooseLanguage, core.Authenticate, core.CSRF)
	session.GET("/login", acc.LoginForm)
	session.POST("/login", acc.Login)
	session.POST("/logout", acc.Logout)
	session.GET("/login/oidc", acc.OIDCStart)
	session.GET("/login/oidc/callback", acc.OIDCCallback)

	signedIn := session.Group("", core.RequireSignIn)
	signedIn.GET("/", p.List)
	signedIn.POST("/scenarios/new", p.CreateBlank)
	signedIn.POST("/scenarios/upload", p.Upload)
	signedIn.GET("/compare", p.Compare)
	signedIn.GET("/scenarios/:id", p.Scenario)
	signedIn.GET("/template.xlsx", p.Template)
	signedIn.GET("/scenarios/:id/export.xlsx", p.Workbook)
	signedIn.GET("/scenarios/:id/report.pdf", p.Report)
	signedIn.GET("/scenarios/:id/scenario.json", p.ScenarioJSON)
	signedIn.GET("/scenarios/:id/plan.json", p.PlanJSON)
	signedIn.GET("/scenarios/:id/edit", p.Edit)
	signedIn.POST("/scenarios/:id/edit", p.SaveEdit)
	signedIn.GET("/scenarios/:id/history", p.History)
	signedIn.POST("/scenarios/:id/restore", p.Restore)
	signedIn.POST("/scenarios/:id/duplicate", p.Duplicate)
	signedIn.GET("/scenarios/:id/delete", p.ConfirmDelete)
	signedIn.POST("/scenarios/:id/delete", p.Delete)
	signedIn.GET("/scenarios/:id/whatif", p.WhatIf)
	signedIn.POST("/scenarios/:id/whatif", p.SaveWhatIf)
	signedIn.GET("/scenarios/:id/shares", p.Shares)
	signedIn.POST("/scenarios/:id/shares", p.CreateShare)
	signedIn.POST("/scenarios/:id/shares/:share/delete", p.RevokeShare)
	// A signed-in user's own account: their password.
	signedIn.GET("/account", acc.Account)
	signedIn.POST("/account/password", acc.ChangePassword)
	signedIn.GET("/admin", acc.Admin)
	// An administrator's: the users and their API tokens, on one page
	// (service.ActionUsers).
	signedIn.GET("/admin/users", acc.Users)
	signedIn.POST("/admin/users", acc.AddUser)
	signedIn.POST("/admin/users/:name/role", acc.SetRole)
	signedIn.POST("/admin/users/:name/password", acc.ResetPassword)
	signedIn.GET("/admin/users/:name/delete", acc.ConfirmRemoveUser)
	signedIn.POST("/admin/users/:name/delete", acc.RemoveUser)
	signedIn.POST("/admin/tokens", acc.AddToken)
	signedIn.POST("/admin/tokens/:token/delete", acc.RevokeToken)
	// An administrator's pages: the deleted scenarios (see the API's).
	signedIn.GET("/admin/deleted", p.Deleted)
	signedIn.GET("/admin/deleted/:id", p.DeletedHistory)
	signedIn.POST("/admin/deleted/:id/restore", p.Undelete)

	// A share link (/s/{secret}): one scenario, read-only, without a
	// login and without forms.
	shared := r.Group("/s/:secret", web.SecurityHeaders, core.ChooseLanguage, p.ShareLink)
	shared.GET("", p.SharedScenario)
	shared.GET("/export.xlsx", p.SharedWorkbook)
	shared.GET("/report.pdf", p.SharedReport)
	return r
}

// isPagePath reports whether a path belongs to the web pages rather than
// the API, for the answers to unknown routes.
func isPagePath(path string) bool {
	return !strings.HasPrefix(path, "/api/") && path != "/healthz"
}

// baseURLOf returns how the server's address is found for a request:
// public if given, else the request's own scheme and host. Behind a
// proxy that ends TLS (secure), the scheme is https.
func baseURLOf(public string, secure bool) func(*http.Request) string {
	if public != "" {
		public = strings.TrimSuffix(public, "/")
		return func(*http.Request) string { return public }
	}
	return func(r *http.Request) string {
		scheme := "http"
		if r.TLS != nil || secure {
			scheme = "https"
		}
		return scheme + "://" + r.Host
	}
}
