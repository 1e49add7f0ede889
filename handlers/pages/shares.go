package pages

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/web"
	"grantplan/planner"
	"grantplan/service"
	"grantplan/store"
)

// ShareLink recognises the share link in the path /s/{secret}: its
// holder may read that one scenario, read-only, and nothing else (the
// service decides; service.Policy). An unknown, revoked or expired link,
// or one to a deleted scenario, is a 404 page that says no more.
func (a *Handlers) ShareLink(c *gin.Context) {
	secret := c.Param("secret")
	actor, err := a.Config.Auth.Share(c.Request.Context(), secret, c.ClientIP())
	if planner.KindOf(err) == planner.KindNotFound {
		a.ErrorPage(c, http.StatusNotFound, web.Lang(c).Text("page.error.no_share"))
		return
	}
	if err != nil {
		a.Fail(c, err)
		return
	}
	// The page's links carry the secret; search engines should not.
	c.Header("X-Robots-Tag", "noindex, nofollow")
	web.SetShared(c, "/s/"+secret)
	c.Request = c.Request.WithContext(service.WithActor(c.Request.Context(), actor))
	c.Next()
}

// SharedScenario answers GET /s/{secret}: the scenario page of the link's
// scenario, at its revision, read-only.
func (a *Handlers) SharedScenario(c *gin.Context) {
	share := service.ActorOf(c.Request.Context()).Share
	a.showScenario(c, share.ScenarioID, share.Revision)
}

// sharesPage is /scenarios/{id}/shares: the scenario's read-only links,
// and the one just made, whose address is shown this once.
type sharesPage struct {
	web.Frame
	ID, Name string
	Revision int // the revision a new link may be fixed to
	New      *shareRow
	Links    []shareRow
	// Validities are the days a new link may work for, to choose from.
	Validities []int
}

type shareRow struct {
	ID                           int64
	Revision, Created, Expires   string
	By                           string
	URL                          string // only of the link just made
	Days                         int    // until it expires
	FixedRevision, CurrentAtView bool
}

// shareValidities are the periods the page offers, in days.
var shareValidities = []int{7, 30, 90}

// Shares answers GET /scenarios/{id}/shares.
func (a *Handlers) Shares(c *gin.Context) {
	a.renderShares(c, http.StatusOK, nil)
}

// CreateShare answers POST /scenarios/{id}/shares: a new read-only link,
// valid for the days chosen (30 by default), to the current revision at
// each view or, with revision=N, to that revision. The page then shows
// its address to copy, once: only its hash is stored.
func (a *Handlers) CreateShare(c *gin.Context) {
	days, err := strconv.Atoi(c.DefaultPostForm("days", "30"))
	if err != nil || days < 1 {
		a.FormUnreadable(c, "days")
		return
	}
	revision, err := strconv.Atoi(c.DefaultPostForm("revision", "0"))
	if err != nil {
		a.FormUnreadable(c, "revision")
		return
	}
	made, err := a.Service.CreateShare(c.Request.Context(), c.Param("id"), revision, planner.Period{Days: days})
	if err != nil {
		a.Fail(c, err)
		return
	}
	row := a.shareRow(c, made.Share)
	row.URL = a.Config.BaseURL(c.Request) + "/s/" + made.Secret
	a.renderShares(c, http.StatusCreated, &row)
}

// RevokeShare answers POST /scenarios/{id}/shares/{share}/delete: the
// link stops working at once.
func (a *Handlers) RevokeShare(c *gin.Context) {
	shareID, err := strconv.ParseInt(c.Param("share"), 10, 64)
	if err != nil {
		a.ErrorPage(c, http.StatusNotFound, web.Lang(c).Text("page.error.no_share"))
		return
	}
	id := c.Param("id")
	if err := a.Service.RevokeShare(c.Request.Context(), id, shareID); err != nil {
		a.Fail(c, err)
		return
	}
	web.SeeOther(c, fmt.Sprintf("/scenarios/%s/shares?revoked=%d", id, shareID))
}

func (a *Handlers) renderShares(c *gin.Context, status int, made *shareRow) {
	l := web.Lang(c)
	ctx := c.Request.Context()
	id := c.Param("id")
	links, err := a.Service.Shares(ctx, id)
	if err != nil {
		a.Fail(c, err)
		return
	}
	sc, err := a.Service.Get(ctx, id)
	if err != nil {
		a.Fail(c, err)
		return
	}
	p := &sharesPage{ID: sc.ID, Name: sc.Name, Revision: sc.Revision, New: made, Validities: shareValidities}
	for _, sh := range links {
		p.Links = append(p.Links, a.shareRow(c, sh))
	}
	p.Title = l.Printf("page.share.title", sc.Name)
	if revoked, err := strconv.Atoi(c.Query("revoked")); err == nil && revoked > 0 {
		p.Flash = l.Printf("page.share.revoked", revoked)
	}
	a.Render(c, status, "shares", p)
}

func (a *Handlers) shareRow(c *gin.Context, sh store.Share) shareRow {
	l := web.Lang(c)
	row := shareRow{ID: sh.ID, Created: web.LocalTime(l, sh.Created), Expires: web.LocalTime(l, sh.Expires), By: sh.CreatedBy,
		Days: int(time.Until(sh.Expires).Hours()/24 + 0.5)}
	if sh.Revision == 0 {
		row.Revision, row.CurrentAtView = l.Text("page.share.current"), true
	} else {
		row.Revision, row.FixedRevision = l.Printf("page.list.revision", sh.Revision), true
	}
	return row
}
