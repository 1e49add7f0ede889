package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/httperr"
	"grantplan/internal/names"
	"grantplan/locale"
	"grantplan/service"
	"grantplan/workbook"
)

// Export answers POST /api/v1/export.xlsx[?lang=de][&risk=true…]: the
// body is a scenario, the answer its plan as an Excel workbook, an
// attachment.
func (a *Handlers) Export(c *gin.Context) {
	opts, err := exportQuery(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	body, err := readJSON(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	export, err := a.service.Export(c.Request.Context(), service.Posted(body), opts)
	if err != nil {
		a.Fail(c, malformedOr(body, err))
		return
	}
	writeWorkbook(c, export)
}

// ExportStored answers GET /api/v1/scenarios/{id}/export.xlsx[?lang=de]
// with the workbook of the scenario's current revision.
func (a *Handlers) ExportStored(c *gin.Context) {
	opts, err := exportQuery(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	export, err := a.service.Export(c.Request.Context(), service.Stored(c.Param("id"), 0), opts)
	if err != nil {
		a.Fail(c, err)
		return
	}
	writeWorkbook(c, export)
}

// exportQuery reads the workbook's language and, with risk=true, the
// options of the risk run for its Risk sheet.
func exportQuery(c *gin.Context) (service.ExportOptions, error) {
	lang, err := queryLang(c)
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

// writeWorkbook answers with the workbook as an attachment.
func writeWorkbook(c *gin.Context, export *service.Export) {
	c.Header("Content-Disposition", names.Attachment(export.FileName))
	c.Data(http.StatusOK, workbook.ContentType, export.Data)
}

// queryLang reads the workbook's language from ?lang=: English without
// one, 400 for one that is not en or de (a region such as de-DE and any
// case are allowed).
func queryLang(c *gin.Context) (locale.Lang, error) {
	value, given := c.GetQuery("lang")
	if !given {
		return locale.English, nil
	}
	lang, ok := locale.ParseLang(value)
	if !ok {
		return "", httperr.Errorf(http.StatusBadRequest, "lang: %q is not a language of the workbook: want en or de", value)
	}
	return lang, nil
}
