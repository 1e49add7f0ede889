package access

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/web"
	"grantplan/locale"
	"grantplan/service"
	"grantplan/store"
)

// auditPageSize is how many entries of the audit log one page shows.
const auditPageSize = 50

// adminPage is /admin: the audit log, newest first, a page at a time.
// The users are on /admin/users.
type adminPage struct {
	web.Frame
	Entries    []auditRow
	Page       int // from 1
	Pages      int
	Prev, Next string
	Total      int
}

type auditRow struct {
	Time, Actor, Action, Target, Detail, Address string
}

// Admin answers GET /admin[?page=N]. Reading the audit log is for admins;
// the service refuses everyone else.
func (a *Handlers) Admin(c *gin.Context) {
	l := web.Lang(c)
	ctx := c.Request.Context()
	page := 1
	if value := c.Query("page"); value != "" {
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 {
			a.ErrorPage(c, http.StatusNotFound, l.Text("page.error.no_page"))
			return
		}
		page = n
	}
	entries, total, err := a.Service.Audit(ctx, store.AuditOptions{Offset: (page - 1) * auditPageSize, Limit: auditPageSize})
	if err != nil {
		a.Fail(c, err)
		return
	}
	p := &adminPage{Page: page, Total: total, Pages: max(1, (total+auditPageSize-1)/auditPageSize)}
	if page > p.Pages {
		a.ErrorPage(c, http.StatusNotFound, l.Text("page.error.no_page"))
		return
	}
	if page > 1 {
		p.Prev = "/admin?page=" + strconv.Itoa(page-1)
	}
	if page < p.Pages {
		p.Next = "/admin?page=" + strconv.Itoa(page+1)
	}
	for _, e := range entries {
		p.Entries = append(p.Entries, auditRow{Time: web.LocalTime(l, e.Time) + e.Time.In(service.Zone).Format(":05"),
			Actor: auditActor(l, e.Actor), Action: e.Action, Target: e.Target, Detail: e.Detail, Address: e.Address})
	}
	p.Title = l.Text("page.admin.title")
	if p.Pages > 1 {
		p.Title = l.Printf("page.admin.title_paged", page, p.Pages)
	}
	a.Render(c, http.StatusOK, "admin", p)
}

// auditActor is who an audit entry names, as the page's reader reads it:
// a user's name as stored, and an actor without one (the command line,
// the first start, a share link), which the log stores in English, in
// the page's language. A user's name has no spaces (service.UserName),
// so the two cannot be taken for each other.
func auditActor(l locale.Lang, actor string) string {
	switch {
	case actor == service.ViaFirstStart:
		return l.Text("page.admin.actor.first_start")
	case actor == service.ViaCommandLine || strings.HasPrefix(actor, service.ViaCommandLine+" ("):
		return l.Text("page.admin.actor.command_line") + strings.TrimPrefix(actor, service.ViaCommandLine)
	case strings.HasPrefix(actor, service.ViaShare+" "):
		return l.Printf("page.admin.actor.share", strings.TrimPrefix(actor, service.ViaShare+" "))
	}
	return actor
}
