package pages

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"grantplan/internal/names"
	"grantplan/locale"
	"grantplan/service"
	"grantplan/workbook"
)

// The scenario page's downloads are pages' routes, not the API's: the
// browser sends the session cookie with a link, and the API takes only
// API tokens. Each serves the revision ?rev= names, the current one
// without.

// Workbook answers GET /scenarios/{id}/export.xlsx?lang=de[&rev=N]: the
// plan as an Excel workbook, an attachment.
func (a *Handlers) Workbook(c *gin.Context) {
	revision, ok := a.revisionQuery(c)
	if !ok {
		return
	}
	a.writeWorkbook(c, c.Param("id"), revision)
}

// SharedWorkbook answers GET /s/{secret}/export.xlsx?lang=de: the
// workbook of the share link's scenario, at its revision.
func (a *Handlers) SharedWorkbook(c *gin.Context) {
	share := service.ActorOf(c.Request.Context()).Share
	a.writeWorkbook(c, share.ScenarioID, share.Revision)
}

func (a *Handlers) writeWorkbook(c *gin.Context, id string, revision int) {
	lang := locale.English
	if value, given := c.GetQuery("lang"); given {
		l, ok := locale.ParseLang(value)
		if !ok {
			a.errorPage(c, http.StatusBadRequest, pageLang(c).Text("page.error.workbook_lang"))
			return
		}
		lang = l
	}
	export, err := a.service.Export(c.Request.Context(), service.Stored(id, revision), service.ExportOptions{Lang: lang})
	if err != nil {
		a.pageFail(c, err)
		return
	}
	c.Header("Content-Disposition", names.Attachment(export.FileName))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, workbook.ContentType, export.Data)
}

// ScenarioJSON answers GET /scenarios/{id}/scenario.json[?rev=N]: the
// scenario as stored, byte for byte.
func (a *Handlers) ScenarioJSON(c *gin.Context) {
	revision, ok := a.revisionQuery(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	id := c.Param("id")
	var body []byte
	if revision == 0 {
		sc, err := a.service.Get(ctx, id)
		if err != nil {
			a.pageFail(c, err)
			return
		}
		body, revision = sc.Body, sc.Revision
	} else {
		sc, err := a.service.Revision(ctx, id, revision)
		if err != nil {
			a.pageFail(c, err)
			return
		}
		body = sc.Body
	}
	c.Header("Content-Disposition", names.Attachment(id+"-"+strconv.Itoa(revision)+".json"))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/json", body)
}

// PlanJSON answers GET /scenarios/{id}/plan.json[?rev=N]: the plan
// document (docs/api.md).
func (a *Handlers) PlanJSON(c *gin.Context) {
	revision, ok := a.revisionQuery(c)
	if !ok {
		return
	}
	planned, err := a.service.Plan(c.Request.Context(), service.Stored(c.Param("id"), revision), service.PlanOptions{})
	if err != nil {
		a.pageFail(c, err)
		return
	}
	body, err := planned.Plan.MarshalJSON()
	if err != nil {
		a.pageFail(c, err)
		return
	}
	c.Header("Content-Disposition", names.Attachment(planned.Record.ID+".plan.json"))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/json", body)
}
