package api

import (
	"net/http"
	"strconv"
	"strings"

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
	c.Header("Content-Disposition", attachment(export.FileName))
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

// attachment is the Content-Disposition of a download named name: an
// ASCII filename for old clients and the exact UTF-8 name in filename*
// (RFC 6266, RFC 8187), so that "Förderung" arrives with its umlaut.
func attachment(name string) string {
	return `attachment; filename="` + asciiName(name) + `"; filename*=UTF-8''` + encodeExtValue(name)
}

// asciiName reduces a file name to printable ASCII without quotes or
// backslashes: umlauts transliterated, accents dropped, anything else "_".
func asciiName(name string) string {
	return strings.Map(func(r rune) rune {
		if r > 0x20 && r < 0x7f && r != '"' && r != '\\' {
			return r
		}
		return '_'
	}, names.Fold(name))
}

// encodeExtValue percent-encodes name as an RFC 8187 value: UTF-8 bytes,
// every byte but the attr-chars as %XX.
func encodeExtValue(name string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
