package handlers

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/handlers/api"
	"grantplan/service"
	"grantplan/store"
)

// TestBadInputBattery sends the kinds of hostile and broken input a
// security review throws at a server (malformed JSON, deep nesting, huge
// numbers, wrong types, invalid UTF-8, odd charsets, oversized bodies, odd
// methods, path tricks) to the real router on a real store: none is
// answered with a server error, every API answer is a problem with its
// status as the OpenAPI document says, and where the status matters it is
// checked.
func TestBadInputBattery(t *testing.T) {
	c, st := newLimitedClientStore(t)
	storeDemo(t, st)
	demo := "/api/v1/scenarios/" + data.DemoID
	deepArray := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	deepObject := strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
	huge := bytes.Repeat([]byte(" "), api.MaxBodySize+1)
	copy(huge, `{"name": "x"}`)
	tests := []struct {
		name         string
		method, path string
		body         []byte
		headers      []header
		status       int    // 0: any status below 500, or 503/507
		detail       string // a part of the problem's detail, if given
	}{
		// Malformed JSON.
		{"unclosed object", "POST", "/api/v1/plan", []byte(`{`), nil, 400, "not valid JSON: line 1"},
		{"missing value", "POST", "/api/v1/plan", []byte(`{"name":}`), nil, 400, "not valid JSON"},
		{"trailing garbage", "POST", "/api/v1/plan", append(bytes.Clone(data.Demo), " x"...), nil, 400, "not valid JSON"},
		{"bare word", "POST", "/api/v1/scenarios", []byte(`nul`), nil, 400, "not valid JSON"},
		{"only whitespace", "POST", "/api/v1/plan", []byte(" \n\t "), nil, 400, "empty"},
		{"malformed what-if", "POST", "/api/v1/whatif", []byte(`{"scenario": {`), nil, 400, "not valid JSON"},
		{"malformed risk", "POST", "/api/v1/risk", []byte(`{"trials": 5,}`), nil, 400, "not valid JSON"},
		{"malformed PUT", "PUT", demo, []byte(`{"name": "x"`), []header{{"If-Match", "*"}}, 400, "not valid JSON"},
		// Deep nesting.
		{"deep array", "POST", "/api/v1/plan", []byte(deepArray), nil, 0, ""},
		{"deep object", "POST", "/api/v1/scenarios", []byte(deepObject), nil, 0, ""},
		{"deep what-if", "POST", "/api/v1/whatif", []byte(`{"scenario_id": "x", "variants": ` + deepArray + `}`), nil, 0, ""},
		{"deep risk", "POST", "/api/v1/risk", []byte(`{"scenario": ` + deepObject + `}`), nil, 0, ""},
		// Huge and odd numbers.
		{"huge exponent", "POST", "/api/v1/plan", []byte(strings.Replace(string(data.Demo), `"hr_capacity": 0`, `"hr_capacity": 1e999999`, 1)), nil, 422, ""},
		{"huge integer", "POST", "/api/v1/plan", []byte(strings.Replace(string(data.Demo), `"hr_capacity": 0`, `"hr_capacity": 99999999999999999999999999`, 1)), nil, 422, ""},
		{"tiny fte", "POST", "/api/v1/plan", []byte(strings.Replace(string(data.Demo), `"fte": 1`, `"fte": 1e-400`, 1)), nil, 422, ""},
		{"huge trials", "POST", "/api/v1/risk", []byte(`{"scenario_id": "` + data.DemoID + `", "trials": 1e300}`), nil, 422, ""},
		{"huge seed", "POST", "/api/v1/risk", []byte(`{"scenario_id": "` + data.DemoID + `", "seed": 184467440737095516160}`), nil, 422, ""},
		{"negative zero trials", "GET", demo + "/risk?trials=-0", nil, nil, 422, ""},
		{"huge trials in the query", "GET", demo + "/risk?trials=99999999999999999999", nil, nil, 422, ""},
		{"NaN confidence", "GET", demo + "/risk?confidence=NaN", nil, nil, 422, ""},
		{"huge revision", "GET", demo + "/revisions/99999999999999999999", nil, nil, 404, ""},
		{"negative revision", "GET", demo + "/revisions/-1", nil, nil, 404, ""},
		// Wrong types.
		{"array for a scenario", "POST", "/api/v1/plan", []byte(`[]`), nil, 422, ""},
		{"string for a scenario", "POST", "/api/v1/scenarios", []byte(`"scenario"`), nil, 422, ""},
		{"null for a scenario", "POST", "/api/v1/plan", []byte(`null`), nil, 422, ""},
		{"wrong member types", "POST", "/api/v1/plan", []byte(`{"name": 5, "start": 20210101, "positions": "x", "funding": {}}`), nil, 422, ""},
		{"wrong envelope types", "POST", "/api/v1/whatif", []byte(`{"scenario": 5, "variants": {}}`), nil, 422, ""},
		{"number for an id", "POST", "/api/v1/risk", []byte(`{"scenario_id": 5}`), nil, 422, ""},
		// Invalid UTF-8 and names that hide what they say.
		{"invalid UTF-8", "POST", "/api/v1/scenarios", []byte("{\"name\": \"K\xf6ln\", \"start\": \"2021-01-01\"}"), nil, 400,
			"not valid UTF-8: byte offset 11 (line 1, column 12) is 0xf6"},
		{"invalid UTF-8 in a PUT", "PUT", demo, []byte("{\"name\":\n\"\xff\"}"), []header{{"If-Match", "*"}}, 400, "byte offset 10 (line 2, column 2)"},
		{"a lone surrogate escape", "POST", "/api/v1/plan", []byte(strings.Replace(string(data.Demo), `"name": "KIM Kreis Siegen-Wittgenstein"`, `"name": "\ud800"`, 1)), nil, 200, ""},
		{"right-to-left override in the name", "POST", "/api/v1/scenarios", []byte(strings.Replace(string(data.Demo), `"name": "KIM Kreis Siegen-Wittgenstein"`, `"name": "KIM \u202Egnp.exe"`, 1)), nil, 422,
			"1 problem"},
		// Odd charsets and media types.
		{"latin1", "POST", "/api/v1/plan", data.Demo, []header{{"Content-Type", "application/json; charset=latin1"}}, 415, `charset "latin1" is not supported`},
		{"utf-16", "POST", "/api/v1/scenarios", data.Demo, []header{{"Content-Type", "application/json; charset=utf-16"}}, 415, "send the JSON as UTF-8"},
		{"UTF-8 in capitals", "POST", "/api/v1/plan", data.Demo, []header{{"Content-Type", "application/json; charset=UTF-8"}}, 200, ""},
		{"quoted utf-8", "POST", "/api/v1/plan", data.Demo, []header{{"Content-Type", `application/json; charset="utf-8"`}}, 200, ""},
		{"empty charset", "POST", "/api/v1/plan", data.Demo, []header{{"Content-Type", "application/json; charset="}}, 415, ""},
		{"broken parameters", "POST", "/api/v1/plan", data.Demo, []header{{"Content-Type", "application/json;;"}}, 415, ""},
		{"text/plain", "POST", "/api/v1/plan", data.Demo, []header{{"Content-Type", "text/plain"}}, 415, ""},
		{"no content type", "POST", "/api/v1/plan", data.Demo, []header{{"Content-Type", ""}}, 415, "no Content-Type"},
		// Oversized bodies.
		{"over the limit", "POST", "/api/v1/plan", huge, nil, 413, "larger than 1048576 bytes"},
		{"over the limit, chunked", "POST", "/api/v1/scenarios", huge, []header{{"Content-Length", ""}}, 413, ""},
		{"over the limit, what-if", "POST", "/api/v1/whatif", huge, nil, 413, ""},
		// Odd methods.
		{"PATCH", "PATCH", demo, data.Demo, nil, 405, "PATCH is not allowed"},
		{"TRACE", "TRACE", "/api/v1/plan", nil, nil, 405, ""},
		{"OPTIONS", "OPTIONS", "/api/v1/scenarios", nil, nil, 405, ""},
		{"GET on a POST route", "GET", "/api/v1/plan", nil, nil, 405, ""},
		{"DELETE of the list", "DELETE", "/api/v1/scenarios", nil, nil, 405, ""},
		// Path tricks.
		{"dot segments", "GET", "/api/v1/scenarios/..%2f..%2fetc%2fpasswd", nil, nil, 404, ""},
		{"NUL in an id", "GET", "/api/v1/scenarios/a%00b", nil, nil, 404, ""},
		{"invalid UTF-8 in an id", "GET", "/api/v1/scenarios/%ff%fe", nil, nil, 404, ""},
		{"a very long id", "GET", "/api/v1/scenarios/" + strings.Repeat("a", 10000), nil, nil, 404, ""},
		{"a trailing slash", "GET", "/api/v1/scenarios/", nil, nil, 404, ""},
		{"an unknown version", "GET", "/api/v2/scenarios", nil, nil, 404, ""},
		// Headers.
		{"If-Match garbage", "PUT", demo, data.Demo, []header{{"If-Match", `"1`}}, 412, ""},
		{"If-Match huge number", "PUT", demo, data.Demo, []header{{"If-Match", `"99999999999999999999999"`}}, 412, ""},
		{"a bad lang", "GET", demo + "/export.xlsx?lang=%ff", nil, nil, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := c.do(tt.method, tt.path, tt.body, tt.headers...)
			if tt.status != 0 && rec.Code != tt.status {
				t.Fatalf("got %d, want %d: %s", rec.Code, tt.status, truncate(rec.Body.String()))
			}
			if tt.detail != "" {
				if p := decode[api.Problem](t, rec); !strings.Contains(p.Detail, tt.detail) {
					t.Errorf("got detail %q, want it to contain %q", p.Detail, tt.detail)
				}
			}
		})
	}
}

// TestBadPageInput sends the same kinds of input to the web pages: none is
// answered with a server error.
func TestBadPageInput(t *testing.T) {
	pc := newPageClient(t)
	id := data.DemoID
	gets := []struct {
		path   string
		status int
	}{
		{"/scenarios/" + id + "?risk=1&trials=1e9", 422},
		{"/scenarios/" + id + "?risk=1&trials=-1&seed=x&confidence=NaN&spread=%ff", 422},
		{"/scenarios/" + id + "?rev=99999999999999999999", 404},
		{"/scenarios/" + id + "?rev=-1", 404},
		{"/scenarios/%ff", 404},
		{"/scenarios/a%00b/edit", 404},
		{"/scenarios/../../etc/passwd", 404},
		{"/static/../go.mod", 404},
		{"/static/%2e%2e/go.mod", 404},
		{"/?page=99999999999999999999", 400},
		{"/?q=%ff%fe", 200},
		{"/?q=" + strings.Repeat("x", 5000), 200},
		{"/compare?id=" + strings.Repeat("&id=x", 500), 0},
		{"/scenarios/" + id + "/whatif?start=99999-01-01&hr=1e9&recruiting=NaN", 0},
	}
	for _, g := range gets {
		rec := pc.get(g.path)
		if g.status != 0 && rec.Code != g.status {
			t.Errorf("GET %s: got %d, want %d", g.path, rec.Code, g.status)
		}
	}
	// A path that starts with two slashes must not make the page's links
	// point to another host ("//evil.example/x" is protocol-relative).
	rec := pc.get("//evil.example/x")
	wantPage(t, "a path with two slashes", rec, http.StatusNotFound)
	if strings.Contains(rec.Body.String(), `href="//`) {
		t.Errorf("the page links to another host: %s", truncate(rec.Body.String()))
	}
	posts := []struct {
		path string
		form url.Values
	}{
		{"/scenarios/new", url.Values{"name": {"K\xf6ln"}}},
		{"/scenarios/new", url.Values{"name": {"Bericht \u202Efdp.exe"}}},
		{"/scenarios/new", url.Values{"name": {strings.Repeat("ä", 100000)}}},
		{"/scenarios/" + id + "/edit", url.Values{"base": {"1"}, "revision": {"1"}, "name": {"\xff"}, "positions[0].title": {"\u2067x"}}},
		{"/scenarios/" + id + "/restore", url.Values{"revision": {"99999999999999999999"}, "current": {"1"}}},
		{"/scenarios/" + id + "/delete", url.Values{"revision": {"-1"}}},
		{"/scenarios/" + id + "/whatif", url.Values{"name": {"\u200f"}, "start": {"x"}}},
	}
	for _, p := range posts {
		if rec := pc.post(p.path, p.form); rec.Code < 400 && rec.Code != http.StatusSeeOther {
			t.Errorf("POST %s %v: got %d, want a refusal", p.path, p.form, rec.Code)
		}
	}
	// The administrators' and the own account's forms, with an admin
	// signed in: refused, never a server error, and nothing made.
	admin := newPageClientAs(t, "root", service.RoleAdmin)
	adminPosts := []struct {
		path string
		form url.Values
	}{
		{"/admin/users", url.Values{"name": {"K\xf6ln"}, "role": {"viewer"}}},
		{"/admin/users", url.Values{"name": {"anna\u202e"}, "role": {"viewer"}}},
		{"/admin/users", url.Values{"name": {strings.Repeat("a", 100000)}, "role": {"viewer"}}},
		{"/admin/users", url.Values{"name": {"bert"}, "role": {"emperor"}}},
		{"/admin/users/%ff/role", url.Values{"role": {"admin"}}},
		{"/admin/users/nobody/role", url.Values{"role": {"admin"}}},
		{"/admin/users/root/role", url.Values{"role": {"\x00"}}},
		{"/admin/users/nobody/password", url.Values{}},
		{"/admin/users/nobody/delete", url.Values{}},
		{"/admin/tokens", url.Values{"user": {"root"}, "label": {"\u2067x"}, "days": {"30"}}},
		{"/admin/tokens", url.Values{"user": {"root"}, "label": {"x"}, "days": {"1e9"}}},
		{"/admin/tokens", url.Values{"user": {"root"}, "label": {"x"}, "days": {"99999999999999999999"}}},
		{"/admin/tokens", url.Values{"user": {"\xff"}, "label": {"x"}, "days": {"30"}}},
		{"/admin/tokens/99999999999999999999/delete", url.Values{}},
		{"/admin/tokens/-1/delete", url.Values{}},
		{"/account/password", url.Values{"current": {"\xff"}, "password": {strings.Repeat("ä", 200000)}, "repeat": {"x"}}},
	}
	for _, p := range adminPosts {
		if rec := admin.post(p.path, p.form); rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("POST %s: got %d, want a refusal that is not a server error", p.path, rec.Code)
		}
	}
	if users, err := admin.deps.Service.Users(asCommandLine()); err != nil || len(users) != 1 {
		t.Errorf("after the bad forms: users %v, %v; want root alone", users, err)
	}
	// An upload that is not UTF-8 is refused, naming the byte.
	var body bytes.Buffer
	body.WriteString("--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + pc.csrf() + "\r\n")
	body.WriteString("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.json\"\r\nContent-Type: application/json\r\n\r\n")
	body.WriteString("{\"name\": \"K\xf6ln\"}\r\n--b--\r\n")
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/scenarios/upload", &body)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	wantPage(t, "an upload in Latin-1", pc.send(req), http.StatusUnprocessableEntity, "byte offset 11 (0xf6) is not UTF-8")
}

// newLimitedClientStore is a client of a router whose service has the
// server's default limits, on a new store.
func newLimitedClientStore(t *testing.T) (*client, storeCloser) {
	t.Helper()
	c, _, st := newLimitedClient(t, service.Limits{})
	return c, st
}

// storeCloser is the store of a test.
type storeCloser = interface {
	store.Scenarios
}
