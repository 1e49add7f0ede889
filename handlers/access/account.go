package access

import (
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/web"
	"grantplan/planner"
	"grantplan/service"
)

// accountPage is /account: the signed-in user's name and role, and for a
// local user the form to change their password.
type accountPage struct {
	web.Frame
	Name, Role string
	// External names the OpenID provider that keeps the user's password;
	// such a user has no form here.
	External string
	// Error is about the form as a whole (the current password); Errors
	// are beside their fields ("current", "password", "repeat").
	Error  string
	Errors map[string]string
	Min    int // the fewest characters of a new password
}

// Account answers GET /account (?changed=1 after a change).
func (a *Handlers) Account(c *gin.Context) {
	p := &accountPage{}
	if c.Query("changed") == "1" {
		p.Flash = web.Lang(c).Text("page.account.changed")
	}
	a.renderAccount(c, http.StatusOK, p)
}

// ChangePassword answers POST /account/password: the current password,
// the new one twice. A wrong current password is the form again (422),
// and counts toward the login throttle like a failed login (429 with
// Retry-After once it refuses); a new password too short, or not typed
// the same twice, is the form again with the problem beside its field.
// The change ends every session of the user; this browser gets a new
// one, and the page again with a confirmation.
func (a *Handlers) ChangePassword(c *gin.Context) {
	l := web.Lang(c)
	if service.ActorOf(c.Request.Context()).Name == "" {
		a.ToLogin(c) // an anonymous visitor in a role has no password
		return
	}
	current, password, repeat := c.PostForm("current"), c.PostForm("password"), c.PostForm("repeat")
	p := &accountPage{Errors: map[string]string{}}
	switch {
	case utf8.RuneCountInString(password) < service.MinPasswordLength:
		p.Errors["password"] = l.Printf("page.account.too_short", service.MinPasswordLength)
	case password != repeat:
		p.Errors["repeat"] = l.Text("page.account.mismatch")
	}
	if current == "" {
		p.Errors["current"] = l.Text("page.account.current_missing")
	}
	if len(p.Errors) > 0 {
		a.renderAccount(c, http.StatusUnprocessableEntity, p)
		return
	}
	login, err := a.Config.Auth.ChangePassword(c.Request.Context(), current, password)
	var throttled *service.ThrottledError
	var invalid *planner.ValidationError
	switch {
	case errors.Is(err, service.ErrWrongPassword):
		p.Errors["current"] = l.Text("page.account.wrong")
		a.renderAccount(c, http.StatusUnprocessableEntity, p)
		return
	case errors.As(err, &throttled):
		c.Header("Retry-After", strconv.Itoa(max(1, int(throttled.Wait.Seconds()))))
		p.Error = l.Printf("page.login.throttled", waitMinutes(throttled.Wait))
		a.renderAccount(c, http.StatusTooManyRequests, p)
		return
	case errors.As(err, &invalid) && !errors.Is(err, service.ErrExternalUser):
		p.Errors["password"] = l.Problem(invalid.Problems[0])
		a.renderAccount(c, http.StatusUnprocessableEntity, p)
		return
	case err != nil:
		a.Fail(c, err)
		return
	}
	// The old session has ended with the others; the browser takes the new
	// one, as after a login.
	a.SetSession(c, login.ID, login.Expires)
	web.SeeOther(c, "/account?changed=1")
}

func (a *Handlers) renderAccount(c *gin.Context, status int, p *accountPage) {
	l := web.Lang(c)
	actor := service.ActorOf(c.Request.Context())
	if actor.Name == "" {
		// An anonymous visitor of a server with an anonymous role has no
		// account to show.
		a.ToLogin(c)
		return
	}
	u, err := a.Config.Auth.Me(c.Request.Context())
	if err != nil {
		a.Fail(c, err)
		return
	}
	p.Name, p.Role, p.External, p.Min = u.Name, web.RoleName(l, service.Role(u.Role)), u.Issuer, service.MinPasswordLength
	p.Title = l.Text("page.account.title")
	a.Render(c, status, "account", p)
}
