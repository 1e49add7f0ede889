package api

import (
	"bytes"
	"errors"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/httperr"
	"grantplan/service"
	"grantplan/workbook"
)

// MaxImportSize is the largest file POST /api/v1/import reads, and a page
// uploads: a workbook of 5,000 posts is about 1.5 MB (docs/api.md).
const MaxImportSize = workbook.MaxFileSize

// Import answers POST /api/v1/import[?lang=de][&base=ID]: the body is a
// workbook (an export of grantplan, or its template filled in) or a CSV of
// posts, by its Content-Type; a CSV replaces the posts of the stored
// scenario base. The answer is the scenario as canonical JSON, which
// nothing stores; or 422 with every problem at its sheet and cell, or its
// line and column, in the language of ?lang.
func (a *Handlers) Import(c *gin.Context) {
	lang, err := queryLang(c, "messages")
	if err != nil {
		a.Fail(c, err)
		return
	}
	contentType := c.GetHeader("Content-Type")
	mediaType, _, _ := mime.ParseMediaType(contentType)
	opts := service.ImportOptions{Lang: lang}
	switch mediaType {
	case workbook.ContentType:
		opts.Format = service.Workbook
	case "text/csv", "text/plain", "text/tab-separated-values":
		opts.Format = service.PostsCSV
		base := c.Query("base")
		if base == "" {
			a.Fail(c, httperr.Errorf(http.StatusBadRequest, "base: a CSV of posts needs ?base=ID, the stored scenario whose start, funding and defaults it keeps"))
			return
		}
		opts.Base = service.Stored(base, 0)
	default:
		a.Fail(c, httperr.Errorf(http.StatusUnsupportedMediaType,
			"Content-Type %q is not supported: want %s or text/csv", contentType, workbook.ContentType))
		return
	}
	var buf bytes.Buffer
	if n := c.Request.ContentLength; n > 0 && n <= MaxImportSize {
		buf.Grow(int(n))
	}
	if _, err := buf.ReadFrom(c.Request.Body); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			a.Fail(c, err)
			return
		}
		a.Fail(c, &httperr.Error{Status: http.StatusBadRequest, Detail: "the request body could not be read", Cause: err})
		return
	}
	scenario, err := a.service.Import(c.Request.Context(), buf.Bytes(), opts)
	if err != nil {
		a.Fail(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json", scenario)
}

// Template answers GET /api/v1/template.xlsx[?lang=de]: the blank
// workbook to fill in and import, an attachment.
func (a *Handlers) Template(c *gin.Context) {
	lang, err := queryLang(c, "workbook")
	if err != nil {
		a.Fail(c, err)
		return
	}
	template, err := a.service.Template(c.Request.Context(), lang)
	if err != nil {
		a.Fail(c, err)
		return
	}
	writeDocument(c, template, workbook.ContentType)
}
