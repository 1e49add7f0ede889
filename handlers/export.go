package handlers

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"
	"github.com/rickb777/date/v2"
	"golang.org/x/text/unicode/norm"

	"grantplan/locale"
	"grantplan/planner"
	"grantplan/workbook"
)

// export answers POST /api/v1/export.xlsx[?lang=de][&risk=true…]: the
// body is a scenario, the answer its plan as an Excel workbook, an
// attachment.
func (a *api) export(c *gin.Context) {
	lang, risk, err := exportQuery(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	s, body, err := bodyScenario(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	a.writeWorkbook(c, s, body, lang, risk)
}

// exportStored answers GET /api/v1/scenarios/{id}/export.xlsx[?lang=de]
// with the workbook of the scenario's current revision.
func (a *api) exportStored(c *gin.Context) {
	lang, risk, err := exportQuery(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	s, body, err := a.storedScenario(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	a.writeWorkbook(c, s, body, lang, risk)
}

// exportQuery reads the workbook's language and, with risk=true, the
// options of the risk run for its Risk sheet (nil without one).
func exportQuery(c *gin.Context) (locale.Lang, *planner.RiskOptions, error) {
	lang, err := queryLang(c)
	if err != nil {
		return "", nil, err
	}
	value, given := c.GetQuery("risk")
	if !given {
		return lang, nil, nil
	}
	withRisk, err := strconv.ParseBool(value)
	if err != nil {
		return "", nil, errorf(http.StatusBadRequest, "risk: %q is not true or false", value)
	}
	if !withRisk {
		return lang, nil, nil
	}
	opts, err := queryRiskOptions(c)
	if err != nil {
		return "", nil, err
	}
	return lang, &opts, nil
}

// writeWorkbook plans the scenario and answers its workbook. The workbook
// is written to a buffer first, so that a failure still becomes a
// problem answer rather than a truncated file.
func (a *api) writeWorkbook(c *gin.Context, s *planner.Scenario, source []byte, lang locale.Lang, riskOpts *planner.RiskOptions) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), a.planTimeout)
	defer cancel()
	plan, err := s.Plan(ctx)
	if err != nil {
		a.fail(c, err)
		return
	}
	exported := date.NewAt(a.now().In(berlin)) // the county's day, as on the pages
	opts := workbook.Options{Lang: lang, Scenario: s, Source: source, Exported: exported}
	if riskOpts != nil {
		if opts.Risk, err = s.Risk(ctx, *riskOpts); err != nil {
			a.fail(c, err)
			return
		}
	}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, plan, opts); err != nil {
		a.fail(c, err)
		return
	}
	c.Header("Content-Disposition", attachment(workbook.FileName(plan.Scenario, exported)))
	c.Data(http.StatusOK, workbook.ContentType, buf.Bytes())
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
		return "", errorf(http.StatusBadRequest, "lang: %q is not a language of the workbook: want en or de", value)
	}
	return lang, nil
}

// attachment is the Content-Disposition of a download named name: an
// ASCII filename for old clients and the exact UTF-8 name in filename*
// (RFC 6266, RFC 8187), so that "Förderung" arrives with its umlaut.
func attachment(name string) string {
	return `attachment; filename="` + asciiName(name) + `"; filename*=UTF-8''` + encodeExtValue(name)
}

// germanUmlauts are transliterated the German way before the rest of the
// name is reduced to ASCII.
var germanUmlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss")

// asciiName reduces a file name to printable ASCII without quotes or
// backslashes: umlauts transliterated, accents dropped, anything else "_".
func asciiName(name string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(germanUmlauts.Replace(name)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r > 0x20 && r < 0x7f && r != '"' && r != '\\':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
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
