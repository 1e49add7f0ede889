package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"grantplan/handlers/httperr"
	"grantplan/service"
)

// readJSON returns the body of a request that must carry JSON. It fails
// with 415 unless the Content-Type is application/json in UTF-8 (a
// charset parameter other than utf-8 is refused rather than read as
// UTF-8), with 413 past the body limit, and with 400 for an empty body or
// one that is not UTF-8 (naming the first bad byte). Whether the bytes
// are JSON is left to the decoder, so that a valid body is parsed only
// once.
func readJSON(c *gin.Context) ([]byte, error) {
	contentType := c.GetHeader("Content-Type")
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "application/json" {
		if contentType == "" {
			return nil, httperr.Errorf(http.StatusUnsupportedMediaType, "the request has no Content-Type: want application/json")
		}
		return nil, httperr.Errorf(http.StatusUnsupportedMediaType, "Content-Type %q is not supported: want application/json", contentType)
	}
	if charset, given := params["charset"]; given && !strings.EqualFold(charset, "utf-8") && !strings.EqualFold(charset, "utf8") {
		return nil, httperr.Errorf(http.StatusUnsupportedMediaType, "charset %q is not supported: send the JSON as UTF-8 (charset=utf-8, or no charset)", charset)
	}
	var buf bytes.Buffer
	if n := c.Request.ContentLength; n > 0 && n <= MaxBodySize {
		// ReadFrom wants room for MinRead more bytes before it reads the
		// end of the body: without it, a body of the announced length
		// would be copied into a buffer twice its size.
		buf.Grow(int(n) + bytes.MinRead)
	}
	if c.Request.Body != nil {
		if _, err := buf.ReadFrom(c.Request.Body); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return nil, err
			}
			return nil, &httperr.Error{Status: http.StatusBadRequest, Detail: "the request body could not be read", Cause: err}
		}
	}
	if len(bytes.TrimSpace(buf.Bytes())) == 0 {
		return nil, httperr.Errorf(http.StatusBadRequest, "the request body is empty: want a JSON document")
	}
	if offset := invalidUTF8(buf.Bytes()); offset >= 0 {
		line, column := position(buf.Bytes(), int64(offset)+1)
		return nil, httperr.Errorf(http.StatusBadRequest,
			"the request body is not valid UTF-8: byte offset %d (line %d, column %d) is 0x%02x; JSON must be sent as UTF-8",
			offset, line, column, buf.Bytes()[offset])
	}
	return buf.Bytes(), nil
}

// invalidUTF8 returns the offset of the first byte of b that is not part
// of valid UTF-8, or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// malformedOr returns a 400 if body, a request's JSON, is not JSON at
// all, and err otherwise: JSON that is not a valid scenario is a 422 naming
// every problem (the *planner.ValidationError). It is called only once a
// call with the body has failed, so that a valid request is not scanned
// twice.
func malformedOr(body []byte, err error) error {
	if json.Valid(body) {
		return err
	}
	var v any
	var syntaxErr *json.SyntaxError
	if errors.As(json.Unmarshal(body, &v), &syntaxErr) {
		line, column := position(body, syntaxErr.Offset)
		return httperr.Errorf(http.StatusBadRequest, "the request body is not valid JSON: line %d, column %d: %v", line, column, syntaxErr)
	}
	return httperr.Errorf(http.StatusBadRequest, "the request body is not valid JSON")
}

// position returns the line and column of the byte before offset, where
// encoding/json reports a syntax error.
func position(body []byte, offset int64) (line, column int) {
	line, column = 1, 0
	for _, c := range body[:min(max(offset, 1), int64(len(body)))] {
		if c == '\n' {
			line, column = line+1, 0
		} else {
			column++
		}
	}
	return line, max(column, 1)
}

// etag is the ETag of a scenario revision: the number, strong and quoted.
func etag(revision int) string { return `"` + strconv.Itoa(revision) + `"` }

// parseIfMatch reads the If-Match header that PUT and DELETE require:
// 428 without one. It accepts "*" or a list of entity tags (RFC 9110
// §13.1.1). If-Match compares strongly, so a weak tag (W/"3") never
// matches, and neither does a tag that is no revision number of ours; a
// header that is not an entity-tag list at all (3, "3) is refused too.
// All of these are 412: the client's condition cannot hold.
func parseIfMatch(h http.Header) (service.Precondition, error) {
	values := h.Values("If-Match")
	if len(values) == 0 {
		return service.Precondition{}, httperr.Errorf(http.StatusPreconditionRequired,
			`this request needs an If-Match header with the scenario's ETag (such as "3"), so that it cannot overwrite a change it has not seen`)
	}
	var p service.Precondition
	weak := false
	for _, tag := range strings.Split(strings.Join(values, ","), ",") {
		tag = strings.TrimSpace(tag)
		switch {
		case tag == "*" && len(values) == 1 && !strings.Contains(values[0], ","):
			p.Any = true
		case strings.HasPrefix(tag, "W/") && isQuoted(tag[2:]):
			weak = true
		case isQuoted(tag):
			// Revisions start at 1; any other opaque tag never matches.
			if n, err := strconv.Atoi(tag[1 : len(tag)-1]); err == nil && n > 0 && tag[1] != '0' && tag[1] != '+' {
				p.Revisions = append(p.Revisions, n)
			}
		default:
			return service.Precondition{}, httperr.Errorf(http.StatusPreconditionFailed,
				`If-Match %s is not "*" or a list of entity tags: send the ETag exactly as given, such as "3" with the quotes`, strings.Join(values, ", "))
		}
	}
	if !p.Any && len(p.Revisions) == 0 && weak {
		return service.Precondition{}, httperr.Errorf(http.StatusPreconditionFailed,
			`If-Match %s names only weak entity tags, which never match (RFC 9110 §13.1.1): send the ETag exactly as given, such as "3"`, strings.Join(values, ", "))
	}
	return p, nil
}

// isQuoted reports whether s is a quoted entity tag: `"` etagc* `"`.
func isQuoted(s string) bool {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; c == '"' || c < 0x21 || c == 0x7f {
			return false
		}
	}
	return true
}
