package access

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/rickb777/date/v2"

	"grantplan/handlers/web"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/service"
	"grantplan/store"
)

// usersPage is /admin/users: the users, a form to add one, and per user
// forms to change the role, reset the password and remove them; then the
// API tokens (tokens.go). A password the server has just made (a new
// user's, or a reset one) and a token just made are shown this once:
// only their hashes are stored.
type usersPage struct {
	web.Frame
	Users []userRow
	Roles []roleOption
	// Made is the password just made, for the user named.
	Made *madePassword
	// Error is about the page as a whole (the last admin); Errors are
	// beside the add form's fields ("name", "role").
	Error    string
	Errors   map[string]string
	Name     string // the add form's name, as typed
	Role     string // the add form's role
	Removing *userRow

	Tokens []tokenRow
	// Token is the form that makes a token; MadeToken the one just made.
	Token        tokenForm
	MadeToken    *madeToken
	MaxTokenDays int
}

type userRow struct {
	Name, Role, Created string
	RoleCode            service.Role
	External            string // the OpenID provider they sign in through
	Self                bool
}

type roleOption struct {
	Code service.Role
	Name string
}

type madePassword struct {
	Name, Password string
	New            bool // a new user's, not a reset one
}

// roleOrder is the order the role choices are offered in.
var roleOrder = []service.Role{service.RoleViewer, service.RolePlanner, service.RoleAdmin}

// Users answers GET /admin/users (?changed=NAME, ?removed=NAME after a
// change).
func (a *Handlers) Users(c *gin.Context) {
	l := web.Lang(c)
	p := &usersPage{Role: string(service.RoleViewer)}
	if name, ok := flashName(c.Query("changed")); ok {
		p.Flash = l.Printf("page.users.role_changed", name)
	}
	if name, ok := flashName(c.Query("removed")); ok {
		p.Flash = l.Printf("page.users.removed", name)
	}
	if id, err := strconv.ParseInt(c.Query("revoked"), 10, 64); err == nil && id > 0 {
		p.Flash = l.Printf("page.tokens.revoked", id)
	}
	a.renderUsers(c, http.StatusOK, p)
}

// AddUser answers POST /admin/users: a new local user with the name and
// role, and a password the server makes, shown once (201). A bad or
// taken name, or an unknown role, is the form again with the problem
// beside its field (422).
func (a *Handlers) AddUser(c *gin.Context) {
	l := web.Lang(c)
	p := &usersPage{Name: c.PostForm("name"), Role: c.PostForm("role"), Errors: map[string]string{}}
	if _, err := service.UserName(p.Name); err != nil {
		p.Errors["name"] = l.Printf("page.users.bad_name", service.MaxUserNameLength)
	}
	if _, ok := service.ParseRole(p.Role); !ok {
		p.Errors["role"] = l.Text("page.users.bad_role")
	}
	if len(p.Errors) > 0 {
		a.renderUsers(c, http.StatusUnprocessableEntity, p)
		return
	}
	password := service.NewPassword()
	u, err := a.Service.AddUser(c.Request.Context(), p.Name, service.Role(p.Role), password)
	if planner.KindOf(err) == planner.KindConflict {
		p.Errors["name"] = l.Text("page.users.taken")
		a.renderUsers(c, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		a.Fail(c, err)
		return
	}
	a.renderUsers(c, http.StatusCreated, &usersPage{Role: string(service.RoleViewer),
		Made: &madePassword{Name: u.Name, Password: password, New: true}})
}

// SetRole answers POST /admin/users/{name}/role: the user's role is the
// one chosen from their next request on, with an API token on this server
// too. The only admin keeps theirs
// (409, the page with the reason).
func (a *Handlers) SetRole(c *gin.Context) {
	l := web.Lang(c)
	role, ok := service.ParseRole(c.PostForm("role"))
	if !ok {
		a.renderUsers(c, http.StatusUnprocessableEntity, &usersPage{Error: l.Text("page.users.bad_role")})
		return
	}
	name := c.Param("name")
	if !a.accountChanged(c, a.Service.SetRole(c.Request.Context(), name, role)) {
		return
	}
	web.SeeOther(c, "/admin/users?changed="+url.QueryEscape(name))
}

// ResetPassword answers POST /admin/users/{name}/password: the user gets
// a new password the server makes, shown once, and every session of
// theirs ends. A user of the OpenID provider has none to reset (422).
func (a *Handlers) ResetPassword(c *gin.Context) {
	name := c.Param("name")
	password := service.NewPassword()
	if !a.accountChanged(c, a.Service.SetPassword(c.Request.Context(), name, password)) {
		return
	}
	clean, _ := service.UserName(name)
	a.renderUsers(c, http.StatusOK, &usersPage{Role: string(service.RoleViewer), Made: &madePassword{Name: clean, Password: password}})
}

// ConfirmRemoveUser answers GET /admin/users/{name}/delete with a
// question; only the POST that answers it removes.
func (a *Handlers) ConfirmRemoveUser(c *gin.Context) {
	l := web.Lang(c)
	users, err := a.Service.Users(c.Request.Context())
	if err != nil {
		a.Fail(c, err)
		return
	}
	clean, _ := service.UserName(c.Param("name"))
	for _, u := range users {
		if u.Name == clean {
			row := a.userRow(c, l, u)
			p := &usersPage{Removing: &row}
			p.Title = l.Printf("page.users.remove_title", u.Name)
			a.Render(c, http.StatusOK, "userremove", p)
			return
		}
	}
	a.ErrorPage(c, http.StatusNotFound, l.Text("page.users.no_user"))
}

// RemoveUser answers POST /admin/users/{name}/delete: the user goes with
// their sessions and API tokens (on this server at once). The only admin stays (409).
func (a *Handlers) RemoveUser(c *gin.Context) {
	name := c.Param("name")
	if !a.accountChanged(c, a.Service.RemoveUser(c.Request.Context(), name)) {
		return
	}
	clean, _ := service.UserName(name)
	web.SeeOther(c, "/admin/users?removed="+url.QueryEscape(clean))
}

// accountChanged answers a change of a user that failed with err and
// reports whether it succeeded: the only admin kept is the page with the
// reason (409), a user of the provider given a password a 422 page, an
// unknown user a 404 page.
func (a *Handlers) accountChanged(c *gin.Context, err error) bool {
	l := web.Lang(c)
	switch {
	case err == nil:
		return true
	case errors.Is(err, service.ErrLastAdmin):
		a.renderUsers(c, http.StatusConflict, &usersPage{Role: string(service.RoleViewer), Error: l.Text("page.users.last_admin")})
	case errors.Is(err, service.ErrExternalUser):
		a.ErrorPage(c, http.StatusUnprocessableEntity, l.Text("page.users.external"))
	case planner.KindOf(err) == planner.KindNotFound:
		a.ErrorPage(c, http.StatusNotFound, l.Text("page.users.no_user"))
	default:
		a.Fail(c, err)
	}
	return false
}

func (a *Handlers) renderUsers(c *gin.Context, status int, p *usersPage) {
	l := web.Lang(c)
	users, err := a.Service.Users(c.Request.Context())
	if err != nil {
		a.Fail(c, err)
		return
	}
	for _, u := range users {
		p.Users = append(p.Users, a.userRow(c, l, u))
	}
	for _, role := range roleOrder {
		p.Roles = append(p.Roles, roleOption{Code: role, Name: web.RoleName(l, role)})
	}
	tokens, err := a.Service.Tokens(c.Request.Context())
	if err != nil {
		a.Fail(c, err)
		return
	}
	p.Tokens = tokenRows(l, tokens, time.Now())
	p.MaxTokenDays = maxTokenDays()
	if p.Token.Errors == nil && p.Token.Days == "" {
		// Not the form sent back: the default validity.
		p.Token.Days = strconv.Itoa(service.DefaultTokenValidity.DaysFrom(date.TodayIn(service.Zone)))
	}
	p.Title = l.Text("page.users.title")
	a.Render(c, status, "users", p)
}

func (a *Handlers) userRow(c *gin.Context, l locale.Lang, u store.User) userRow {
	return userRow{Name: u.Name, RoleCode: service.Role(u.Role), Role: web.RoleName(l, service.Role(u.Role)),
		Created: web.LocalTime(l, u.Created), External: u.Issuer, Self: u.Name == service.ActorOf(c.Request.Context()).Name}
}

// flashName reads the user a confirmation names from the query that the
// page's own redirect wrote: a user name as stored, or nothing, so that a
// crafted link cannot make the page say other words.
func flashName(query string) (string, bool) {
	name, err := service.UserName(query)
	return name, err == nil && name == query
}
