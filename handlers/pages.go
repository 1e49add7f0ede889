package handlers

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the pages show times in Europe/Berlin wherever the server runs

	"github.com/gin-gonic/gin"

	"grantplan/locale"
	"grantplan/planner"
	"grantplan/templates"
)

// The web pages (SPEC §10, docs/web.md) share the router with the API but
// not its error handling: a page answers HTML, never a problem document,
// and re-renders a form with its errors rather than failing.

// contentSecurityPolicy allows nothing but the server's own files: no
// inline script or style, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Cookies the pages set.
const (
	langCookie = "grantplan_lang"
	csrfCookie = "grantplan_csrf"
	csrfField  = "csrf"
)

// Keys of values the page middleware leaves in the gin context.
const (
	langKey = "grantplan.lang"
	csrfKey = "grantplan.csrf"
)

// berlin is the time zone of the pages' clock times.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// pageNames are the pages, each a template file that defines "content".
var pageNames = []string{"list", "scenario", "edit", "history", "delete", "whatif", "compare", "error"}

// pageViews parses every page with the layout and partials once; a broken
// template stops the program at start-up (and every test).
var pageViews = sync.OnceValue(func() map[string]*template.Template {
	views := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		views[name] = template.Must(template.New(name).Funcs(templates.Funcs).ParseFS(templates.FS, "layout.html", "partials.html", name+".html"))
	}
	return views
})

// pageBase is what every page shows: the language, its switch, the CSRF
// token for its forms and a title. Every page type embeds it.
type pageBase struct {
	Lang   locale.Lang
	CSRF   string
	Title  string
	Flash  string
	Switch []langLink
}

// A langLink is one entry of the language switch.
type langLink struct {
	Code    locale.Lang
	Label   string
	URL     string
	Current bool
}

func (p *pageBase) base() *pageBase { return p }

// T translates a text of the interface into the page's language.
func (p *pageBase) T(s string) string { return tr(p.Lang, s) }

// Tf translates a format and fills it in.
func (p *pageBase) Tf(format string, args ...any) string {
	return fmt.Sprintf(tr(p.Lang, format), args...)
}

// Plural translates the format for n, one or many, and fills in n:
// "1 warning", "2 warnings".
func (p *pageBase) Plural(n int, one, many string) string {
	format := many
	if n == 1 {
		format = one
	}
	return fmt.Sprintf(tr(p.Lang, format), n)
}

type pageData interface{ base() *pageBase }

var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes the page name with data. It renders into a buffer first,
// so that a template error becomes a clean error page and not half a page.
func (a *api) render(c *gin.Context, status int, name string, data pageData) {
	base := data.base()
	base.Lang = pageLang(c)
	base.CSRF = c.GetString(csrfKey)
	base.Switch = languageSwitch(c.Request.URL, base.Lang)
	if base.Title == "" {
		base.Title = "grantplan"
	}
	buf := bufferPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufferPool.Put(buf)
	if err := pageViews()[name].ExecuteTemplate(buf, "layout", data); err != nil {
		a.logError(c, fmt.Errorf("handlers: render page %s: %w", name, err))
		if name != "error" {
			a.errorPage(c, http.StatusInternalServerError, tr(base.Lang, "Something went wrong on the server; the error has been logged."))
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
	pageBase
	Status  int
	Message string
}

func (a *api) errorPage(c *gin.Context, status int, message string) {
	c.Abort()
	p := &errorPage{Status: status, Message: message}
	p.Title = fmt.Sprintf("%d %s", status, tr(pageLang(c), http.StatusText(status)))
	a.render(c, status, "error", p)
}

// pageFail answers a page request that failed with err: an unknown
// scenario is a 404 page, a write that lost a race a 409, a plan that took
// too long a 503; anything else is logged and a 500.
func (a *api) pageFail(c *gin.Context, err error) {
	l := pageLang(c)
	var domainErr *planner.Error
	switch {
	case errors.As(err, &domainErr) && domainErr.Kind == planner.KindNotFound:
		a.errorPage(c, http.StatusNotFound, tr(l, "There is no such scenario, or it has been deleted."))
	case errors.As(err, &domainErr) && (domainErr.Kind == planner.KindPrecondition || domainErr.Kind == planner.KindConflict):
		a.errorPage(c, http.StatusConflict, tr(l, "Someone else changed this scenario in the meantime; reload it and try again."))
	case errors.Is(err, context.DeadlineExceeded):
		a.errorPage(c, http.StatusServiceUnavailable, fmt.Sprintf(tr(l, "Planning took longer than the %s allowed."), a.planTimeout))
	case c.Request.Context().Err() != nil:
		c.Abort() // the client has gone
	default:
		a.logError(c, err)
		a.errorPage(c, http.StatusInternalServerError, tr(l, "Something went wrong on the server; the error has been logged."))
	}
}

// securityHeaders sets the headers every page and static file carries.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	c.Next()
}

// chooseLanguage picks the page's language: ?lang= wins and is remembered
// in a cookie; then the cookie; then Accept-Language; then English.
func chooseLanguage(c *gin.Context) {
	l := locale.English
	if q, ok := locale.ParseLang(c.Query("lang")); ok {
		l = q
		http.SetCookie(c.Writer, &http.Cookie{
			Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request.TLS != nil,
		})
	} else if cookie, err := c.Cookie(langCookie); err == nil {
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

// pageLang is the language chooseLanguage picked, English outside pages.
func pageLang(c *gin.Context) locale.Lang {
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

// languageSwitch links the current page in every language.
func languageSwitch(u *url.URL, current locale.Lang) []langLink {
	labels := map[locale.Lang]string{locale.English: "English", locale.German: "Deutsch"}
	links := make([]langLink, 0, len(locale.Langs))
	for _, l := range locale.Langs {
		q := u.Query()
		q.Set("lang", string(l))
		links = append(links, langLink{Code: l, Label: labels[l], URL: u.Path + "?" + q.Encode(), Current: l == current})
	}
	return links
}

// csrfProtect is the double-submit defence against cross-site requests:
// every browser gets a random token in a cookie that only this site can
// read, and every form sends it back in a hidden field. A POST whose field
// does not match the cookie is refused with 403 before its handler runs.
// The cookie is also SameSite=Strict, so a cross-site POST does not even
// carry it.
func (a *api) csrfProtect(c *gin.Context) {
	token, err := c.Cookie(csrfCookie)
	if err != nil || len(token) < 32 {
		token = ""
	}
	if c.Request.Method == http.MethodPost {
		sent := c.PostForm(csrfField)
		if token == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
			a.errorPage(c, http.StatusForbidden, tr(pageLang(c), "This form has expired or did not come from this site. Go back, reload the page and send it again."))
			return
		}
	}
	if token == "" {
		b := make([]byte, 32)
		_, _ = rand.Read(b) // crypto/rand never fails on a supported platform
		token = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(c.Writer, &http.Cookie{
			Name: csrfCookie, Value: token, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: c.Request.TLS != nil,
		})
	}
	c.Set(csrfKey, token)
	c.Next()
}

// isPagePath reports whether a path belongs to the web pages rather than
// the API, for the answers to unknown routes.
func isPagePath(path string) bool {
	return !strings.HasPrefix(path, "/api/") && path != "/healthz"
}

// pageNotFound answers an unknown page path with a 404 page.
func (a *api) pageNotFound(c *gin.Context) {
	securityHeaders(c)
	c.Set(langKey, pageLang(c))
	a.errorPage(c, http.StatusNotFound, tr(pageLang(c), "There is no such page."))
}

// serveStatic serves the embedded CSS and JavaScript.
func serveStatic() gin.HandlerFunc {
	files := http.StripPrefix("/static/", http.FileServerFS(templates.Static))
	return func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(c.Writer, c.Request)
	}
}

// seeOther redirects after a successful POST, so that reloading the page
// does not send the form again.
func seeOther(c *gin.Context, path string) {
	c.Redirect(http.StatusSeeOther, path)
}

// localTime formats a stored time for the page's reader.
func localTime(l locale.Lang, t time.Time) string {
	t = t.In(berlin)
	if l == locale.German {
		return t.Format("02.01.2006 15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// The partial templates take their data with the page, for its language;
// these methods bundle the two.

type kpiArgs struct {
	*pageBase
	K kpiView
}

type chartArgs struct {
	*pageBase
	C *charts
}

type whatIfArgs struct {
	*pageBase
	ID string
	W  *whatIfControls
}

type inputArgs struct {
	*pageBase
	F    field
	List string
}

// KPIArgs is the data of the "kpis" template.
func (p *pageBase) KPIArgs(k kpiView) kpiArgs { return kpiArgs{p, k} }

// ChartArgs is the data of the "schedule" and "funding" templates.
func (p *pageBase) ChartArgs(c *charts) chartArgs { return chartArgs{p, c} }

// WhatIfArgs is the data of the "whatif-controls" template.
func (p *pageBase) WhatIfArgs(id string, w *whatIfControls) whatIfArgs { return whatIfArgs{p, id, w} }

// Input is the data of the "input" template; list names the datalist of
// funding ids, which only a post's funding field uses.
func (p *pageBase) Input(f field, list string) inputArgs {
	if !strings.HasSuffix(f.Name, ".funding") {
		list = ""
	}
	return inputArgs{p, f, list}
}
