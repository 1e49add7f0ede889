package access

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/web"
	"grantplan/service"
)

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
	web.Frame
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
		web.SeeOther(c, next)
		return
	}
	a.renderLogin(c, http.StatusOK, &loginPage{Next: next})
}

func (a *Handlers) renderLogin(c *gin.Context, status int, p *loginPage) {
	p.Title = web.Lang(c).Text("page.access.sign_in")
	if a.oidc != nil {
		p.Provider = a.oidc.name
	}
	a.Render(c, status, "login", p)
}

// Login answers POST /login: with the right name and password, a new
// session and the page the user wanted; otherwise the form again, with
// 422 for a wrong name or password and 429 with Retry-After once the
// login throttle refuses (service.LoginLimit).
func (a *Handlers) Login(c *gin.Context) {
	l := web.Lang(c)
	p := &loginPage{Name: c.PostForm("name"), Next: localPath(c.PostForm("next"))}
	login, err := a.Config.Auth.Login(c.Request.Context(), p.Name, c.PostForm("password"), c.ClientIP())
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
		a.Fail(c, err)
		return
	}
	if !a.beginSession(c, login) {
		return
	}
	web.SeeOther(c, p.Next)
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
	if previous, _ := c.Cookie(a.SessionCookieName(c)); !service.IsPreSession(previous) {
		if err := a.Config.Auth.Logout(c.Request.Context(), previous, c.ClientIP()); err != nil {
			a.Fail(c, err)
			return false
		}
	}
	a.SetSession(c, login.ID, login.Expires)
	return true
}

// Logout answers POST /logout: the session ends, in the store as in the
// browser, which gets a new pre-session value.
func (a *Handlers) Logout(c *gin.Context) {
	value, _ := c.Cookie(a.SessionCookieName(c))
	if err := a.Config.Auth.Logout(c.Request.Context(), value, c.ClientIP()); err != nil {
		a.Fail(c, err)
		return
	}
	a.SetSession(c, service.NewPreSession(), time.Time{})
	web.SeeOther(c, "/login")
}
