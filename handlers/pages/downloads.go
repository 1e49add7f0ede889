package pages

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/web"
	"grantplan/internal/names"
	"grantplan/locale"
	"grantplan/planner"
	"grantplan/report"
	"grantplan/service"
	"grantplan/workbook"
)

// The scenario page's downloads are pages' routes, not the API's: the
// browser sends the session cookie with a link, and the API takes only
// API tokens. Each serves the revision ?rev= names, the current one
// without.

// Workbook answers GET /scenarios/{id}/export.xlsx?lang=de[&rev=N]
// [&risk=true…]: the plan as an Excel workbook, an attachment.
func (a *Handlers) Workbook(c *gin.Context) {
	revision, ok := a.revisionQuery(c)
	if !ok {
		return
	}
	a.writeDocument(c, c.Param("id"), revision, false, a.Service.Export, workbook.ContentType)
}

// SharedWorkbook answers GET /s/{secret}/export.xlsx?lang=de: the
// workbook of the share link's scenario, at its revision.
func (a *Handlers) SharedWorkbook(c *gin.Context) {
	share := service.ActorOf(c.Request.Context()).Share
	a.writeDocument(c, share.ScenarioID, share.Revision, true, a.Service.Export, workbook.ContentType)
}

// Report answers GET /scenarios/{id}/report.pdf?lang=de[&rev=N]
// [&risk=true…]: the plan as a PDF report (docs/report.md), an
// attachment.
func (a *Handlers) Report(c *gin.Context) {
	revision, ok := a.revisionQuery(c)
	if !ok {
		return
	}
	a.writeDocument(c, c.Param("id"), revision, false, a.Service.Report, report.ContentType)
}

// SharedReport answers GET /s/{secret}/report.pdf?lang=de: the report of
// the share link's scenario, at its revision.
func (a *Handlers) SharedReport(c *gin.Context) {
	share := service.ActorOf(c.Request.Context()).Share
	a.writeDocument(c, share.ScenarioID, share.Revision, true, a.Service.Report, report.ContentType)
}

// writeDocument answers with the workbook or report write makes of
// revision of scenario id, in the language ?lang= names, with the risk
// run ?risk=true and its options ask for (not under a share link, whose
// page has no risk run).
func (a *Handlers) writeDocument(c *gin.Context, id string, revision int, shared bool,
	write func(context.Context, service.Source, service.ExportOptions) (*service.Export, error), contentType string) {
	lang, ok := a.documentLang(c)
	if !ok {
		return
	}
	opts := service.ExportOptions{Lang: lang}
	if !shared && c.Query("risk") == "true" {
		risk, err := downloadRisk(c.Request.URL.Query())
		if err != nil {
			a.ErrorPage(c, http.StatusBadRequest, web.Lang(c).Text("page.error.download_risk"))
			return
		}
		opts.Risk = &risk
	}
	doc, err := write(c.Request.Context(), service.Stored(id, revision), opts)
	if err != nil {
		a.Fail(c, err)
		return
	}
	attachment(c, doc.FileName, contentType, doc.Data)
}

// Template answers GET /template.xlsx?lang=de: the blank workbook to fill
// in and upload, in the language ?lang= names (English without one).
func (a *Handlers) Template(c *gin.Context) {
	lang, ok := a.documentLang(c)
	if !ok {
		return
	}
	doc, err := a.Service.Template(c.Request.Context(), lang)
	if err != nil {
		a.Fail(c, err)
		return
	}
	attachment(c, doc.FileName, workbook.ContentType, doc.Data)
}

// documentLang reads the language of a workbook or report from ?lang=:
// English without one. One that is not en or de gets the error page, and
// ok is false.
func (a *Handlers) documentLang(c *gin.Context) (lang locale.Lang, ok bool) {
	value, given := c.GetQuery("lang")
	if !given {
		return locale.English, true
	}
	if lang, ok = locale.ParseLang(value); !ok {
		a.ErrorPage(c, http.StatusBadRequest, web.Lang(c).Text("page.error.document_lang"))
	}
	return lang, ok
}

// attachment answers with data, of the content type, as a download named
// fileName that no cache keeps.
func attachment(c *gin.Context, fileName, contentType string, data []byte) {
	c.Header("Content-Disposition", names.Attachment(fileName))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, contentType, data)
}

// downloadRisk reads the options of a risk run from a download link's
// query, as the scenario page writes them (the confidence as a share).
func downloadRisk(q url.Values) (planner.RiskOptions, error) {
	opts := planner.DefaultRiskOptions()
	var err error
	if v := q.Get("trials"); v != "" {
		if opts.Trials, err = strconv.Atoi(v); err != nil {
			return opts, err
		}
	}
	if v := q.Get("seed"); v != "" {
		if opts.Seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			return opts, err
		}
	}
	if v := q.Get("confidence"); v != "" {
		if opts.Confidence, err = strconv.ParseFloat(v, 64); err != nil {
			return opts, err
		}
	}
	if v := q.Get("spread"); v != "" {
		if opts.Spread, err = planner.ParseSpread(v); err != nil {
			return opts, err
		}
	}
	return opts, opts.Validate()
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
		sc, err := a.Service.Get(ctx, id)
		if err != nil {
			a.Fail(c, err)
			return
		}
		body, revision = sc.Body, sc.Revision
	} else {
		sc, err := a.Service.Revision(ctx, id, revision)
		if err != nil {
			a.Fail(c, err)
			return
		}
		body = sc.Body
	}
	attachment(c, id+"-"+strconv.Itoa(revision)+".json", "application/json", body)
}

// PlanJSON answers GET /scenarios/{id}/plan.json[?rev=N]: the plan
// document (docs/api.md).
func (a *Handlers) PlanJSON(c *gin.Context) {
	revision, ok := a.revisionQuery(c)
	if !ok {
		return
	}
	planned, err := a.Service.Plan(c.Request.Context(), service.Stored(c.Param("id"), revision), service.PlanOptions{})
	if err != nil {
		a.Fail(c, err)
		return
	}
	body, err := planned.Plan.MarshalJSON()
	if err != nil {
		a.Fail(c, err)
		return
	}
	attachment(c, planned.Record.ID+".plan.json", "application/json", body)
}
