package pages

import (
	"crypto/hmac"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"grantplan/locale"
	"grantplan/service"
)

// SessionCookie holds the browser's session: the id of a signed-in
// session (the store keeps only its hash), or before the login a random
// pre-session value, never stored, to which the login form's CSRF token is
// bound. A login always replaces it with a new id. Where cookies are
// Secure, its name has the prefix __Host- (sessionCookie).
const SessionCookie = "grantplan_session"

// hostOnly is the prefix of a cookie's name that a browser accepts only
// from this host, over TLS, for the whole site and without a Domain
// (RFC 6265bis): another host under the same domain, another application
// on the county's intranet, cannot set it. SameSite does not keep such a
// host out, since its pages are of the same site; and the CSRF tokens are
// only as good as the cookie they are bound to.
const hostOnly = "__Host-"

// sessionCookie is the name of the session cookie: with the prefix
// __Host- where cookies are Secure, which the prefix needs.
func (a *Handlers) sessionCookie(c *gin.Context) string {
	if a.secure(c) {
		return hostOnly + SessionCookie
	}
	return SessionCookie
}

// secure reports whether the pages' cookies are marked Secure: on a
// request that came over TLS, or always when told so (a server behind a
// proxy that ends TLS: serve --secure-cookies).
func (a *Handlers) secure(c *gin.Context) bool {
	return a.cfg.SecureCookies || c.Request.TLS != nil
}

// setSession sets the session cookie: HttpOnly, SameSite=Lax (a link
// from elsewhere arrives signed in, a form posted from elsewhere does not
// carry it), for the whole site. A session's cookie lasts as long as the
// session may; a pre-session's until the browser closes.
func (a *Handlers) setSession(c *gin.Context, value string, expires time.Time) {
	cookie := &http.Cookie{Name: a.sessionCookie(c), Value: value, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: a.secure(c)}
	if !expires.IsZero() {
		cookie.MaxAge = max(1, int(time.Until(expires).Seconds()))
	}
	http.SetCookie(c.Writer, cookie)
}

// Authenticate recognises the page's reader from the session cookie and
// puts them in the request's context for the service. A browser without
// a live session is anonymous (in the anonymous role, if the server has
// one) and gets a new pre-session value, to which its forms' CSRF tokens
// are bound.
func (a *Handlers) Authenticate(c *gin.Context) {
	value, _ := c.Cookie(a.sessionCookie(c))
	actor, err := a.cfg.Auth.Session(c.Request.Context(), value, c.ClientIP())
	switch {
	case errors.Is(err, service.ErrNoSession):
		actor = a.anonymous(c)
		if !service.IsPreSession(value) {
			value = service.NewPreSession()
			a.setSession(c, value, time.Time{})
		}
	case err != nil:
		a.pageFail(c, err)
		return
	}
	c.Set(bindingKey, value)
	c.Request = c.Request.WithContext(service.WithActor(c.Request.Context(), actor))
	c.Next()
}

// anonymous is the actor of a visitor who has not signed in.
func (a *Handlers) anonymous(c *gin.Context) service.Actor {
	return service.Actor{Role: a.cfg.AnonymousRole, Via: service.ViaAnonymous, Address: c.ClientIP()}
}

// CSRF is the defence against forms posted from other sites: every form
// carries a token that is an HMAC, with the server's secret (kept in the
// store and shared by every instance), of the browser's session cookie,
// and a POST whose token does not match its cookie is refused with 403
// before its handler runs. Another site can neither read the token nor
// make one, and a token is worth nothing with another session. The login
// form is covered too: its token is bound to the pre-session value.
func (a *Handlers) CSRF(c *gin.Context) {
	token, err := a.cfg.Auth.MAC(c.Request.Context(), "csrf", c.GetString(bindingKey))
	if err != nil {
		a.pageFail(c, err)
		return
	}
	if c.Request.Method == http.MethodPost && !hmac.Equal([]byte(c.PostForm(CSRFField)), []byte(token)) {
		a.errorPage(c, http.StatusForbidden, pageLang(c).Text("page.error.csrf"))
		return
	}
	c.Set(csrfKey, token)
	c.Next()
}

// RequireSignIn sends a visitor without a role to the login, which brings
// them back here afterwards. What a signed-in user may do is the
// service's decision.
func (a *Handlers) RequireSignIn(c *gin.Context) {
	if service.ActorOf(c.Request.Context()).Role == "" {
		a.toLogin(c)
		return
	}
	c.Next()
}

// toLogin redirects to the login page, which returns to this page (for a
// GET) afterwards.
func (a *Handlers) toLogin(c *gin.Context) {
	c.Abort()
	target := "/login"
	if c.Request.Method == http.MethodGet && c.Request.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
	}
	c.Redirect(http.StatusSeeOther, target)
}

// localPath returns next if it is a path on this site to return to after
// the login, and "/" otherwise: an absolute URL, a scheme-relative
// "//host" (or "/\host", which browsers read alike) or anything odd would
// make the login a way to send users elsewhere.
func localPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\x00\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		u.Path == "/login" || u.Path == "/logout" || strings.HasPrefix(u.Path, "/login/") {
		return "/"
	}
	return next
}

// loginPage is /login.
type loginPage struct {
	pageBase
	Name, Next string
	Error      string
	// Provider names the OpenID provider to sign in with, if there is one.
	Provider string
}

// LoginForm answers GET /login: the form, or for a signed-in user the
// page they wanted.
func (a *Handlers) LoginForm(c *gin.Context) {
	next := localPath(c.Query("next"))
	if service.ActorOf(c.Request.Context()).Name != "" {
		seeOther(c, next)
		return
	}
	a.renderLogin(c, http.StatusOK, &loginPage{Next: next})
}

func (a *Handlers) renderLogin(c *gin.Context, status int, p *loginPage) {
	p.Title = pageLang(c).Text("page.access.sign_in")
	if a.cfg.OIDC != nil {
		p.Provider = a.cfg.OIDC.name
	}
	a.render(c, status, "login", p)
}

// Login answers POST /login: with the right name and password, a new
// session and the page the user wanted; otherwise the form again, with
// 422 for a wrong name or password and 429 with Retry-After once the
// login throttle refuses (service.LoginLimit).
func (a *Handlers) Login(c *gin.Context) {
	l := pageLang(c)
	p := &loginPage{Name: c.PostForm("name"), Next: localPath(c.PostForm("next"))}
	login, err := a.cfg.Auth.Login(c.Request.Context(), p.Name, c.PostForm("password"), c.ClientIP())
	var throttled *service.ThrottledError
	switch {
	case errors.Is(err, service.ErrLoginFailed):
		p.Error = l.Text("page.login.failed")
		a.renderLogin(c, http.StatusUnprocessableEntity, p)
		return
	case errors.As(err, &throttled):
		c.Header("Retry-After", strconv.Itoa(max(1, int(throttled.Wait.Seconds()))))
		p.Error = l.Printf("page.login.throttled", waitMinutes(throttled.Wait))
		a.renderLogin(c, http.StatusTooManyRequests, p)
		return
	case err != nil:
		a.pageFail(c, err)
		return
	}
	if !a.beginSession(c, login) {
		return
	}
	seeOther(c, p.Next)
}

// waitMinutes is how long the login throttle makes a user wait, in whole
// minutes rounded up, at least one.
func waitMinutes(wait time.Duration) int {
	return max(1, int((wait+time.Minute-1)/time.Minute))
}

// beginSession gives the browser the session of a login (with a password
// or through the OpenID provider), false if it failed and was answered.
// A browser signed in before (as someone else, perhaps) keeps one
// session: the one it had ends.
func (a *Handlers) beginSession(c *gin.Context, login service.Login) bool {
	if previous, _ := c.Cookie(a.sessionCookie(c)); !service.IsPreSession(previous) {
		if err := a.cfg.Auth.Logout(c.Request.Context(), previous, c.ClientIP()); err != nil {
			a.pageFail(c, err)
			return false
		}
	}
	a.setSession(c, login.ID, login.Expires)
	return true
}

// Logout answers POST /logout: the session ends, in the store as in the
// browser, which gets a new pre-session value.
func (a *Handlers) Logout(c *gin.Context) {
	value, _ := c.Cookie(a.sessionCookie(c))
	if err := a.cfg.Auth.Logout(c.Request.Context(), value, c.ClientIP()); err != nil {
		a.pageFail(c, err)
		return
	}
	a.setSession(c, service.NewPreSession(), time.Time{})
	seeOther(c, "/login")
}

// roleIDs are the message ids of the roles' names.
var roleIDs = map[service.Role]string{
	service.RoleAdmin:   "page.role.admin",
	service.RolePlanner: "page.role.planner",
	service.RoleViewer:  "page.role.viewer",
}

// roleName is a role's name in l; a role the program does not know (a
// database edited by hand) as it is stored.
func roleName(l locale.Lang, role service.Role) string {
	if id, ok := roleIDs[role]; ok {
		return l.Text(id)
	}
	return string(role)
}
