package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/httperr"
	"grantplan/internal/names"
	"grantplan/locale"
	"grantplan/report"
	"grantplan/service"
	"grantplan/workbook"
)

// Export answers POST /api/v1/export.xlsx[?lang=de][&risk=true…]: the
// body is a scenario, the answer its plan as an Excel workbook, an
// attachment.
func (a *Handlers) Export(c *gin.Context) {
	a.postedDocument(c, "workbook", a.service.Export, workbook.ContentType)
}

// ExportStored answers GET /api/v1/scenarios/{id}/export.xlsx[?lang=de]
// [&rev=N] with the workbook of the scenario's current revision or of
// revision N.
func (a *Handlers) ExportStored(c *gin.Context) {
	a.storedDocument(c, "workbook", a.service.Export, workbook.ContentType)
}

// Report answers POST /api/v1/report.pdf[?lang=de][&risk=true…]: the
// body is a scenario, the answer its plan as a PDF report, an attachment
// (docs/report.md).
func (a *Handlers) Report(c *gin.Context) {
	a.postedDocument(c, "report", a.service.Report, report.ContentType)
}

// ReportStored answers GET /api/v1/scenarios/{id}/report.pdf[?lang=de]
// [&rev=N][&risk=true…] with the PDF report of the scenario's current
// revision or of revision N.
func (a *Handlers) ReportStored(c *gin.Context) {
	a.storedDocument(c, "report", a.service.Report, report.ContentType)
}

// writeFunc writes the plan of a scenario as a document: a workbook
// (service.Export) or a report (service.Report).
type writeFunc func(context.Context, service.Source, service.ExportOptions) (*service.Export, error)

// postedDocument answers with the document (what: "workbook", "report")
// write makes of the scenario in the request's body.
func (a *Handlers) postedDocument(c *gin.Context, what string, write writeFunc, contentType string) {
	opts, err := exportQuery(c, what)
	if err != nil {
		a.Fail(c, err)
		return
	}
	body, err := readJSON(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	export, err := write(c.Request.Context(), service.Posted(body), opts)
	if err != nil {
		a.Fail(c, malformedOr(body, err))
		return
	}
	writeDocument(c, export, contentType)
}

// storedDocument answers with the document (what: "workbook", "report")
// write makes of the stored scenario the request names, saying which
// revision it was made from.
func (a *Handlers) storedDocument(c *gin.Context, what string, write writeFunc, contentType string) {
	src, err := storedSource(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	opts, err := exportQuery(c, what)
	if err != nil {
		a.Fail(c, err)
		return
	}
	export, err := write(c.Request.Context(), src, opts)
	if err != nil {
		a.Fail(c, err)
		return
	}
	setContentLocation(c, export.Revision)
	writeDocument(c, export, contentType)
}

// storedSource is the stored scenario a request names: its id and, with
// ?rev=N, revision N (0, the current one, without). A rev that is not a
// whole number is 400; one the scenario does not have is the service's
// 404.
func storedSource(c *gin.Context) (service.Source, error) {
	revision := 0
	if value, given := c.GetQuery("rev"); given {
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return service.Source{}, httperr.Errorf(http.StatusBadRequest, "rev: %q is not a revision number: revisions are numbered from 1", value)
		}
		revision = n
	}
	return service.Stored(c.Param("id"), revision), nil
}

// setContentLocation names the revision an answer was made from: the
// request's path and query with rev set to it (RFC 9110, 8.7), so that a
// client that asked for the current revision learns which that was.
func setContentLocation(c *gin.Context, revision int) {
	if revision == 0 {
		return
	}
	query := c.Request.URL.Query()
	query.Set("rev", strconv.Itoa(revision))
	c.Header("Content-Location", c.Request.URL.Path+"?"+query.Encode())
}

// exportQuery reads the language of a workbook or report (what) and,
// with risk=true, the options of its risk run.
func exportQuery(c *gin.Context, what string) (service.ExportOptions, error) {
	lang, err := queryLang(c, what)
	if err != nil {
		return service.ExportOptions{}, err
	}
	opts := service.ExportOptions{Lang: lang}
	value, given := c.GetQuery("risk")
	if !given {
		return opts, nil
	}
	withRisk, err := strconv.ParseBool(value)
	if err != nil {
		return service.ExportOptions{}, httperr.Errorf(http.StatusBadRequest, "risk: %q is not true or false", value)
	}
	if !withRisk {
		return opts, nil
	}
	riskOpts, err := queryRiskOptions(c)
	if err != nil {
		return service.ExportOptions{}, err
	}
	opts.Risk = &riskOpts
	return opts, nil
}

// writeDocument answers with the document export, of the content type,
// as an attachment.
func writeDocument(c *gin.Context, export *service.Export, contentType string) {
	c.Header("Content-Disposition", names.Attachment(export.FileName))
	c.Data(http.StatusOK, contentType, export.Data)
}

// queryLang reads the language of a workbook or report (what) from
// ?lang=: English without one, 400 for one that is not en or de (a region
// such as de-DE and any case are allowed).
func queryLang(c *gin.Context, what string) (locale.Lang, error) {
	value, given := c.GetQuery("lang")
	if !given {
		return locale.English, nil
	}
	lang, ok := locale.ParseLang(value)
	if !ok {
		return "", httperr.Errorf(http.StatusBadRequest, "lang: %q is not a language of the %s: want en or de", value, what)
	}
	return lang, nil
}
