package web

import (
	"crypto/hmac"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"grantplan/locale"
	"grantplan/service"
)

// SessionCookie holds the browser's session: the id of a signed-in
// session (the store keeps only its hash), or before the login a random
// pre-session value, never stored, to which the login form's CSRF token is
// bound. A login always replaces it with a new id. Where cookies are
// Secure, its name has the prefix __Host- (SessionCookieName).
const SessionCookie = "grantplan_session"

// HostOnly is the prefix of a cookie's name that a browser accepts only
// from this host, over TLS, for the whole site and without a Domain
// (RFC 6265bis): another host under the same domain, another application
// on the county's intranet, cannot set it. SameSite does not keep such a
// host out, since its pages are of the same site; and the CSRF tokens are
// only as good as the cookie they are bound to.
const HostOnly = "__Host-"

// SessionCookieName is the name of the session cookie: with the prefix
// __Host- where cookies are Secure, which the prefix needs.
func (a *Core) SessionCookieName(c *gin.Context) string {
	if a.Secure(c) {
		return HostOnly + SessionCookie
	}
	return SessionCookie
}

// Secure reports whether the pages' cookies are marked Secure: on a
// request that came over TLS, or always when told so (a server behind a
// proxy that ends TLS: serve --secure-cookies).
func (a *Core) Secure(c *gin.Context) bool {
	return a.Config.SecureCookies || c.Request.TLS != nil
}

// SetSession sets the session cookie: HttpOnly, SameSite=Lax (a link
// from elsewhere arrives signed in, a form posted from elsewhere does not
// carry it), for the whole site. A session's cookie lasts as long as the
// session may; a pre-session's until the browser closes.
func (a *Core) SetSession(c *gin.Context, value string, expires time.Time) {
	cookie := &http.Cookie{Name: a.SessionCookieName(c), Value: value, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: a.Secure(c)}
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
func (a *Core) Authenticate(c *gin.Context) {
	value, _ := c.Cookie(a.SessionCookieName(c))
	actor, err := a.Config.Auth.Session(c.Request.Context(), value, c.ClientIP())
	switch {
	case errors.Is(err, service.ErrNoSession):
		actor = a.Anonymous(c)
		if !service.IsPreSession(value) {
			value = service.NewPreSession()
			a.SetSession(c, value, time.Time{})
		}
	case err != nil:
		a.Fail(c, err)
		return
	}
	c.Set(bindingKey, value)
	c.Request = c.Request.WithContext(service.WithActor(c.Request.Context(), actor))
	c.Next()
}

// Anonymous is the actor of a visitor who has not signed in.
func (a *Core) Anonymous(c *gin.Context) service.Actor {
	return service.Actor{Role: a.Config.AnonymousRole, Via: service.ViaAnonymous, Address: c.ClientIP()}
}

// CSRF is the defence against forms posted from other sites: every form
// carries a token that is an HMAC, with the server's secret (kept in the
// store and shared by every instance), of the browser's session cookie,
// and a POST whose token does not match its cookie is refused with 403
// before its handler runs. Another site can neither read the token nor
// make one, and a token is worth nothing with another session. The login
// form is covered too: its token is bound to the pre-session value.
func (a *Core) CSRF(c *gin.Context) {
	token, err := a.Config.Auth.MAC(c.Request.Context(), "csrf", c.GetString(bindingKey))
	if err != nil {
		a.Fail(c, err)
		return
	}
	if c.Request.Method == http.MethodPost && !hmac.Equal([]byte(c.PostForm(CSRFField)), []byte(token)) {
		a.ErrorPage(c, http.StatusForbidden, Lang(c).Text("page.error.csrf"))
		return
	}
	c.Set(csrfKey, token)
	c.Next()
}

// RequireSignIn sends a visitor without a role to the login, which brings
// them back here afterwards. What a signed-in user may do is the
// service's decision.
func (a *Core) RequireSignIn(c *gin.Context) {
	if service.ActorOf(c.Request.Context()).Role == "" {
		a.ToLogin(c)
		return
	}
	c.Next()
}

// ToLogin redirects to the login page, which returns to this page (for a
// GET) afterwards.
func (a *Core) ToLogin(c *gin.Context) {
	c.Abort()
	target := "/login"
	if c.Request.Method == http.MethodGet && c.Request.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
	}
	c.Redirect(http.StatusSeeOther, target)
}

// roleIDs are the message ids of the roles' names.
var roleIDs = map[service.Role]string{
	service.RoleAdmin:   "page.role.admin",
	service.RolePlanner: "page.role.planner",
	service.RoleViewer:  "page.role.viewer",
}

// RoleName is a role's name in l; a role the program does not know (a
// database edited by hand) as it is stored.
func RoleName(l locale.Lang, role service.Role) string {
	if id, ok := roleIDs[role]; ok {
		return l.Text(id)
	}
	return string(role)
}
