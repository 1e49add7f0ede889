package access

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/rickb777/date/v2"

	"grantplan/handlers/web"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/service"
	"grantplan/store"
)

// The API tokens are a section of /admin/users: the tokens with a button
// each to revoke them, and a form to make one for a user. A token just
// made is shown this once, like a made password: only its hash is stored.

// tokenRow is a token in the table.
type tokenRow struct {
	ID                                  int64
	User, Label, Created, Expires, Used string // Used is empty if never
	Expired                             bool
}

// tokenForm is the form that makes a token, as sent.
type tokenForm struct {
	User, Label, Days string
	// Errors are beside its fields ("user", "label", "days").
	Errors map[string]string
}

// madeToken is a token just made, with its secret.
type madeToken struct {
	ID                    int64
	User, Secret, Expires string
}

// maxTokenDays is the most days a token made today may be valid for
// (service.MaxTokenValidity, whose length in days depends on the leap
// days it spans).
func maxTokenDays() int {
	return service.MaxTokenValidity.DaysFrom(date.TodayIn(service.Zone))
}

// AddToken answers POST /admin/tokens: an API token for the user chosen,
// with the label and valid for the days given, whose secret the page
// shows once (201). An unknown user, a bad label or a validity the
// service refuses is the form again with the problem beside its field
// (422).
func (a *Handlers) AddToken(c *gin.Context) {
	l := web.Lang(c)
	p := &usersPage{Role: string(service.RoleViewer), Token: tokenForm{User: c.PostForm("user"), Label: c.PostForm("label"),
		Days: strings.TrimSpace(c.PostForm("days")), Errors: map[string]string{}}}
	days, err := strconv.Atoi(p.Token.Days)
	if err != nil || days < 1 {
		// Zero would be the service's default, not what was asked.
		p.Token.Errors["days"] = l.Printf("page.tokens.bad_days", maxTokenDays())
		a.renderUsers(c, http.StatusUnprocessableEntity, p)
		return
	}
	t, err := a.Service.AddToken(c.Request.Context(), p.Token.User, p.Token.Label, planner.Period{Days: days})
	var invalid *planner.ValidationError
	switch {
	case errors.As(err, &invalid):
		for _, problem := range invalid.Problems {
			p.Token.Errors[tokenField(problem.Path)] = tokenProblem(l, problem)
		}
		a.renderUsers(c, http.StatusUnprocessableEntity, p)
		return
	case planner.KindOf(err) == planner.KindNotFound:
		p.Token.Errors["user"] = l.Text("page.users.no_user")
		a.renderUsers(c, http.StatusUnprocessableEntity, p)
		return
	case err != nil:
		a.Fail(c, err)
		return
	}
	a.renderUsers(c, http.StatusCreated, &usersPage{Role: string(service.RoleViewer),
		MadeToken: &madeToken{ID: t.ID, User: t.User, Secret: t.Secret, Expires: web.LocalTime(l, t.Expires)}})
}

// tokenField is the form's field of a problem the service found at path.
func tokenField(path string) string {
	switch path {
	case "expires":
		return "days"
	case "label":
		return "label"
	}
	return "user"
}

// tokenProblem says a problem with the form in l: the service's checks,
// in the page's words.
func tokenProblem(l locale.Lang, p planner.Problem) string {
	switch p.Path {
	case "expires":
		return l.Printf("page.tokens.bad_days", maxTokenDays())
	case "label":
		return l.Printf("page.tokens.bad_label", service.MaxLabelLength)
	}
	return l.Problem(p)
}

// RevokeToken answers POST /admin/tokens/{token}/delete: the token stops
// working (on this server at once), and the page says which it was.
func (a *Handlers) RevokeToken(c *gin.Context) {
	l := web.Lang(c)
	id, err := strconv.ParseInt(c.Param("token"), 10, 64)
	if err != nil {
		a.ErrorPage(c, http.StatusNotFound, l.Text("page.tokens.no_token"))
		return
	}
	err = a.Service.RevokeToken(c.Request.Context(), id)
	if planner.KindOf(err) == planner.KindNotFound {
		a.ErrorPage(c, http.StatusNotFound, l.Text("page.tokens.no_token"))
		return
	}
	if err != nil {
		a.Fail(c, err)
		return
	}
	web.SeeOther(c, "/admin/users?revoked="+strconv.FormatInt(id, 10)+"#tokens")
}

// tokenRows are the tokens of the table, expired ones marked at now.
func tokenRows(l locale.Lang, tokens []store.Token, now time.Time) []tokenRow {
	rows := make([]tokenRow, 0, len(tokens))
	for _, t := range tokens {
		row := tokenRow{ID: t.ID, User: t.User, Label: t.Label, Created: web.LocalTime(l, t.Created),
			Expires: web.LocalTime(l, t.Expires), Expired: !now.Before(t.Expires)}
		if !t.LastUsed.IsZero() {
			row.Used = web.LocalTime(l, t.LastUsed)
		}
		rows = append(rows, row)
	}
	return rows
}
