// Package web is what every web page shares (docs/web.md): the page
// frame and its templates, parsed at start-up and rendered into a buffer
// before anything is written; the language; the session cookie and the
// CSRF check of every POST; and the error pages, whose status comes from
// the one table in package httperr that the API answers from too.
// Package pages (the scenarios) and package access (sign-in, accounts,
// the administrators' pages) build their pages on a Core; package
// handlers mounts them on the router, where every route is listed, behind
// Core's middleware.
//
// Who may do what is the service's decision (package service); a page only
// leaves out the controls the caller's role may not use (Frame.May), and
// sends a visitor who has not signed in to the login.
package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"grantplan/form"
	"grantplan/handlers/httperr"
	"grantplan/handlers/view"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/service"
	"grantplan/templates"
)

// Shared is the path of the share link ("/s/…") the request is shown
// under, empty for everyone else.
func Shared(c *gin.Context) string { return c.GetString(shareKey) }

// SetShared records that the request is shown under the share link at
// path; its pages then link to that link's own pages only.
func SetShared(c *gin.Context, path string) { c.Set(shareKey, path) }

// ContentSecurityPolicy allows nothing but the server's own files: no
// inline script or style, no framing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Cookies and form fields the pages set and read.
const (
	LangCookie = "grantplan_lang"
	CSRFField  = "csrf"
)

// Keys of values the page middleware leaves in the gin context.
const (
	langKey    = "grantplan.lang"
	csrfKey    = "grantplan.csrf"
	bindingKey = "grantplan.binding" // the session cookie's value, which CSRF tokens are bound to
	shareKey   = "grantplan.share"   // the path of the share link a page is shown under
)

// Config is what the pages need besides the service.
type Config struct {
	// Auth recognises sessions and share links, and signs CSRF tokens.
	Auth *service.Auth
	// AnonymousRole, if not empty, is the role of a visitor who has not
	// signed in (serve --anonymous-role); otherwise such a visitor is sent
	// to the login.
	AnonymousRole service.Role
	// SecureCookies marks cookies Secure also on requests that did not
	// come over TLS, for a server behind a proxy that ends TLS.
	SecureCookies bool
	// BaseURL is the server's address as the user of a request reaches
	// it ("https://grantplan.kreis.example"), for share links and the
	// OpenID Connect redirect.
	BaseURL func(r *http.Request) string
	// Logger receives unexpected errors; nil discards.
	Logger *slog.Logger
}

// A Core holds what the pages' handlers depend on — the service, the
// configuration, the logger — and the parsed templates of every page.
type Core struct {
	Service *service.Service
	Config  Config
	Log     *slog.Logger
	views   map[string]*template.Template // the pages, by name
}

// New returns a Core on svc, every page's template parsed: a broken
// template panics here, at start-up.
func New(svc *service.Service, cfg Config) *Core {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Core{Service: svc, Config: cfg, Log: logger, views: parsePages(templates.FS)}
}

// LogError logs a request that failed unexpectedly.
func (a *Core) LogError(c *gin.Context, err error) {
	a.Log.LogAttrs(context.Background(), slog.LevelError, "request failed",
		slog.String("method", c.Request.Method), slog.String("path", LogPath(c.Request.URL.Path)),
		slog.String("error", err.Error()))
}

// LogPath is a request's path as it may be logged: a share link's secret
// is left out (/s/…), since anyone who reads it could open the link.
func LogPath(path string) string {
	if rest, ok := strings.CutPrefix(path, "/s/"); ok {
		_, after, _ := strings.Cut(rest, "/")
		if after != "" {
			return "/s/…/" + after
		}
		return "/s/…"
	}
	return path
}

// pageNames are the pages, each a template file that defines "content".
var pageNames = []string{"list", "scenario", "edit", "history", "delete", "whatif", "compare", "error",
	"login", "shares", "admin", "deleted", "account", "users", "userremove"}

// parsePages parses every page of fsys (templates.FS) with the layout and
// partials. New calls it, so that a broken template stops the program at
// start-up (and every test) rather than answering 500s.
func parsePages(fsys fs.FS) map[string]*template.Template {
	views := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		views[name] = template.Must(template.New(name).Funcs(templates.Funcs).ParseFS(fsys, "layout.html", "partials.html", name+".html"))
	}
	return views
}

// A Frame is what every page shows: the language, its switch, the CSRF
// token for its forms, a title, and who is looking (the header names a
// signed-in user and their role). Every page type embeds it.
type Frame struct {
	Lang   locale.Lang
	CSRF   string
	Title  string
	Flash  string
	Switch []langLink
	Actor  service.Actor
	// Shared is the path of the share link a read-only page is shown
	// under ("/s/…"); empty for everyone else.
	Shared string
	// Here is the page's own path and query, where a login returns to.
	Here string
}

// A langLink is one entry of the language switch.
type langLink struct {
	Code    locale.Lang
	Label   string
	URL     string
	Current bool
}

func (p *Frame) base() *Frame { return p }

// mayActions are the actions a template may ask about with May.
var mayActions = map[string]service.Action{
	"create": service.ActionCreate, "update": service.ActionUpdate, "delete": service.ActionDelete,
	"share": service.ActionShare, "history": service.ActionHistory, "plan": service.ActionPlan,
	"users": service.ActionUsers, "audit": service.ActionAudit, "deleted": service.ActionDeleted,
}

// May reports whether the page's reader may do action, so that the page
// leaves out the controls they may not use: the service's own table
// (service.Actor.May) answers. An action the table does not know is a
// template error, not a control silently left out.
func (p *Frame) May(action string) (bool, error) {
	a, ok := mayActions[action]
	if !ok {
		return false, fmt.Errorf("pages: May(%q): no such action", action)
	}
	return p.Actor.May(a), nil
}

// OnLogin reports whether the page is the login, which offers no link to
// itself.
func (p *Frame) OnLogin() bool { return strings.HasPrefix(p.Here, "/login") }

// SignedIn reports whether the reader has signed in.
func (p *Frame) SignedIn() bool { return p.Actor.Name != "" }

// RoleName is the reader's role in the page's language.
func (p *Frame) RoleName() string { return RoleName(p.Lang, p.Actor.Role) }

// T is the text of message id in the page's language: {{.T
// "page.list.new"}}. The texts are package locale's catalogs.
func (p *Frame) T(id string) string { return p.Lang.Text(id) }

// Tf fills in the text of message id with args: {{.Tf "page.list.deleted"
// .Name}}.
func (p *Frame) Tf(id string, args ...any) string { return p.Lang.Printf(id, args...) }

// Plural fills in n in the text of message id for one or many (id.one,
// id.other): {{.Plural "page.kpi.warnings" .Warnings}} is "1 warning" or
// "2 warnings".
func (p *Frame) Plural(id string, n int) string { return p.Lang.Plural(id, n) }

type pageData interface{ base() *Frame }

var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render writes the page name with data. It renders into a buffer first,
// so that a template error becomes a clean error page and not half a page.
func (a *Core) Render(c *gin.Context, status int, name string, data pageData) {
	base := data.base()
	base.Lang = Lang(c)
	base.CSRF = c.GetString(csrfKey)
	base.Switch = languageSwitch(c.Request.URL, base.Lang)
	base.Actor = service.ActorOf(c.Request.Context())
	base.Shared = c.GetString(shareKey)
	base.Here = c.Request.URL.RequestURI()
	if base.Title == "" {
		base.Title = "grantplan"
	}
	buf := bufferPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufferPool.Put(buf)
	if err := a.views[name].ExecuteTemplate(buf, "layout", data); err != nil {
		a.LogError(c, fmt.Errorf("handlers: render page %s: %w", name, err))
		if name != "error" {
			a.ErrorPage(c, http.StatusInternalServerError, base.Lang.Text("page.error.internal"))
			return
		}
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error"))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// errorPage is the body of every page's failure.
type errorPage struct {
	Frame
	Status  int
	Message string
}

// ErrorPage answers with the error page of status, saying message.
func (a *Core) ErrorPage(c *gin.Context, status int, message string) {
	c.Abort()
	p := &errorPage{Status: status, Message: message}
	p.Title = fmt.Sprintf("%d %s", status, statusText(Lang(c), status))
	a.Render(c, status, "error", p)
}

// statusIDs are the message ids of the statuses a page can fail with.
var statusIDs = map[int]string{
	http.StatusBadRequest:            "page.status.400",
	http.StatusForbidden:             "page.status.403",
	http.StatusNotFound:              "page.status.404",
	http.StatusConflict:              "page.status.409",
	http.StatusPreconditionFailed:    "page.status.412",
	http.StatusRequestEntityTooLarge: "page.status.413",
	http.StatusUnprocessableEntity:   "page.status.422",
	http.StatusInternalServerError:   "page.status.500",
	http.StatusBadGateway:            "page.status.502",
	http.StatusServiceUnavailable:    "page.status.503",
	http.StatusInsufficientStorage:   "page.status.507",
}

// statusText names status in l; a status without a message id keeps its
// English name.
func statusText(l locale.Lang, status int) string {
	if id, ok := statusIDs[status]; ok {
		return l.Text(id)
	}
	return http.StatusText(status)
}

// Fail answers a page request that failed with err with an error
// page, its status from the one table (package httperr) that the API
// answers from too: an unknown scenario is a 404 page, a stale write a 412,
// a plan that took too long a 503; anything unexpected is logged and a
// 500.
func (a *Core) Fail(c *gin.Context, err error) {
	l := Lang(c)
	f := httperr.Classify(c.Request.Context(), err)
	if f.Log {
		a.LogError(c, err)
	}
	if f.RetryAfter > 0 {
		c.Header("Retry-After", httperr.Seconds(f.RetryAfter))
	}
	var message string
	var denied *service.AccessError
	switch {
	case f.Status == http.StatusUnauthorized:
		a.ToLogin(c)
		return
	case errors.As(err, &denied):
		message = l.Printf("page.error.denied", RoleName(l, denied.Role))
	case f.Gone:
		c.AbortWithStatus(f.Status) // nobody reads the page
		return
	case f.Kind == planner.KindUnavailable:
		message = l.Text("page.error.unavailable")
	case f.Kind == planner.KindFull:
		message = l.Text("page.error.full")
	case f.Kind == planner.KindTooLarge:
		message = l.Text("page.error.too_large")
	case f.Kind == planner.KindDamaged:
		message = l.Text("page.error.damaged") + " (" + f.Detail + ")"
	case f.Kind == planner.KindNotFound:
		message = l.Text("page.error.not_found")
	case f.Kind == planner.KindPrecondition, f.Kind == planner.KindConflict:
		message = l.Text("page.error.conflict")
	case f.Timeout > 0:
		message = l.Printf("page.error.timeout", f.Timeout)
	case f.Kind == planner.KindInvalid:
		message = strings.Join(l.Problems(&planner.ValidationError{Problems: f.Problems}), "; ")
	case f.Status == http.StatusRequestEntityTooLarge:
		message = l.Text("page.edit.form_unreadable")
	case f.Status < 500:
		message = f.Detail
	default:
		message = l.Text("page.error.internal")
	}
	a.ErrorPage(c, f.Status, message)
}

// FormUnreadable answers a form whose field name, one the page itself
// filled in, is missing or not a whole number: a 400, not a guess that
// would read as someone else's change.
func (a *Core) FormUnreadable(c *gin.Context, name string) {
	a.ErrorPage(c, http.StatusBadRequest, Lang(c).Printf("page.error.field_not_whole", name))
}

// SecurityHeaders sets the headers every page and static file carries.
func SecurityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	c.Next()
}

// ChooseLanguage picks the page's language: ?lang= wins and is remembered
// in a cookie; then the cookie; then Accept-Language; then English.
func (a *Core) ChooseLanguage(c *gin.Context) {
	l := locale.English
	// A download's ?lang= is the language of the document (a report in
	// German), not the reader's: it neither speaks for the pages nor is
	// remembered.
	if q, ok := locale.ParseLang(c.Query("lang")); ok && !isDocument(c.Request.URL.Path) {
		l = q
		http.SetCookie(c.Writer, &http.Cookie{
			Name: LangCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.Secure(c),
		})
	} else if cookie, err := c.Cookie(LangCookie); err == nil {
		if cl, ok := locale.ParseLang(cookie); ok {
			l = cl
		}
	} else {
		l = acceptLanguage(c.GetHeader("Accept-Language"))
	}
	c.Set(langKey, l)
	c.Header("Content-Language", string(l))
	c.Header("Vary", "Accept-Language, Cookie")
	c.Next()
}

// isDocument reports whether path is a download (a report, a workbook, a
// JSON file) rather than a page.
func isDocument(p string) bool {
	switch path.Ext(p) {
	case ".pdf", ".xlsx", ".json":
		return true
	}
	return false
}

// Lang is the language ChooseLanguage picked, English outside pages.
func Lang(c *gin.Context) locale.Lang {
	if l, ok := c.Get(langKey); ok {
		return l.(locale.Lang)
	}
	return acceptLanguage(c.GetHeader("Accept-Language"))
}

// acceptLanguage returns the supported language the header prefers most
// (RFC 9110 §12.5.4), English when it names none.
func acceptLanguage(header string) locale.Lang {
	best, bestQ := locale.English, 0.0
	for _, item := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(item), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			parsed, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = parsed
		}
		if l, ok := locale.ParseLang(tag); ok && q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// languageSwitch links the current page in every language. The path
// keeps one leading slash: "//host/x" would be a link to another host.
func languageSwitch(u *url.URL, current locale.Lang) []langLink {
	labels := map[locale.Lang]string{locale.English: "English", locale.German: "Deutsch"}
	path := "/" + strings.TrimLeft(u.Path, "/")
	links := make([]langLink, 0, len(locale.Langs))
	for _, l := range locale.Langs {
		q := u.Query()
		q.Set("lang", string(l))
		links = append(links, langLink{Code: l, Label: labels[l], URL: path + "?" + q.Encode(), Current: l == current})
	}
	return links
}

// NotFound answers an unknown page path with a 404 page.
func (a *Core) NotFound(c *gin.Context) {
	SecurityHeaders(c)
	c.Set(langKey, Lang(c))
	a.ErrorPage(c, http.StatusNotFound, Lang(c).Text("page.error.no_page"))
}

// Static serves the embedded CSS and JavaScript.
func Static() gin.HandlerFunc {
	files := http.StripPrefix("/static/", http.FileServerFS(templates.Static))
	return func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(c.Writer, c.Request)
	}
}

// SeeOther redirects after a successful POST, so that reloading the page
// does not send the form again.
func SeeOther(c *gin.Context, path string) {
	c.Redirect(http.StatusSeeOther, path)
}

// LocalTime formats a stored time for the page's reader.
func LocalTime(l locale.Lang, t time.Time) string {
	t = t.In(service.Zone)
	if l == locale.German {
		return t.Format("02.01.2006 15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// The partial templates take their data with the page, for its language;
// these methods bundle the two.

type kpiArgs struct {
	*Frame
	K view.KPIs
}

type chartArgs struct {
	*Frame
	C *view.Charts
}

type whatIfArgs struct {
	*Frame
	ID string
	W  *form.WhatIfControls
}

type inputArgs struct {
	*Frame
	F    Field
	List string
}

// KPIArgs is the data of the "kpis" template.
func (p *Frame) KPIArgs(k view.KPIs) kpiArgs { return kpiArgs{p, k} }

// ChartArgs is the data of the "schedule" and "funding" templates.
func (p *Frame) ChartArgs(c *view.Charts) chartArgs { return chartArgs{p, c} }

// WhatIfArgs is the data of the "whatif-controls" template.
func (p *Frame) WhatIfArgs(id string, w *form.WhatIfControls) whatIfArgs {
	return whatIfArgs{p, id, w}
}

// Input is the data of the "input" template; list names the datalist of
// funding ids, which only a post's funding field uses.
func (p *Frame) Input(f Field, list string) inputArgs {
	if !strings.HasSuffix(f.Name, ".funding") {
		list = ""
	}
	return inputArgs{p, f, list}
}

// A Field is a form field as the template draws it.
type Field struct {
	Name, Label, Value, Kind string
	Choices                  []string // of a drop-down list
	Errors                   []string
}

// Selected reports whether a drop-down's choice is its value.
func (f Field) Selected(choice string) bool { return strings.EqualFold(f.Value, choice) }
