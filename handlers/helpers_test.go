package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"grantplan/data"
	"grantplan/handlers/api"
	"grantplan/service"
	"grantplan/store/sqlite"
)

// openAPIRouter is the OpenAPI document, loaded and validated once.
var openAPIRouter = sync.OnceValues(func() (routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	return legacy.NewRouter(doc)
})

// client sends requests through the real router, as a test would with a
// server, and holds every request and answer to the OpenAPI document: an
// answer must match it always, and a request must match it whenever the
// server accepted it (status below 400). Every error answer must be a
// api.Problem whose status is the answer's, and none may be a 500 unless the
// test expects one.
//
// Its requests carry the API token of a planner, the role that may do
// everything with scenarios, unless a header says otherwise.
type client struct {
	t        testing.TB
	handler  http.Handler
	logs     *syncBuffer
	allow500 bool
	token    string
	deps     Deps
}

// newClient returns a client of a router built from deps, with the logs
// captured, signed in as the planner "anna".
func newClient(t testing.TB, deps Deps) *client {
	t.Helper()
	logs := &syncBuffer{}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.NewTextHandler(logs, nil))
	}
	return &client{t: t, handler: NewRouter(deps), logs: logs, token: tokenOf(t, deps, "anna", service.RolePlanner), deps: deps}
}

// newStoreClient returns a client of a router on a new store in a
// temporary directory, and the store.
func newStoreClient(t testing.TB) (*client, *sqlite.Store) {
	t.Helper()
	st := openStore(t, filepath.Join(t.TempDir(), "grantplan.db"))
	return newClient(t, testDeps(t, st, service.Options{})), st
}

func openStore(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return st
}

// header is a request header for client.do; a Content-Type of "" removes
// the default one.
type header struct{ name, value string }

// do sends a request with body (nil for none) and returns the answer. A
// body goes as application/json unless a header says otherwise.
func (c *client) do(method, path string, body []byte, headers ...header) *httptest.ResponseRecorder {
	c.t.Helper()
	return c.doContext(context.Background(), method, path, body, headers...)
}

func (c *client) doContext(ctx context.Context, method, path string, body []byte, headers ...header) *httptest.ResponseRecorder {
	c.t.Helper()
	newRequest := func() *http.Request {
		var r io.Reader
		if body != nil {
			r = bytes.NewReader(body)
		}
		req := httptest.NewRequestWithContext(ctx, method, path, r)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		for _, h := range headers {
			if h.name == "Content-Length" && h.value == "" {
				req.ContentLength = -1 // as a chunked body
				continue
			}
			req.Header.Del(h.name)
			if h.value != "" {
				req.Header.Add(h.name, h.value)
			}
		}
		return req
	}
	rec := httptest.NewRecorder()
	c.handler.ServeHTTP(rec, newRequest())
	c.check(newRequest(), rec)
	return rec
}

// check holds a request and its answer to the OpenAPI document and to the
// rules for error answers.
func (c *client) check(req *http.Request, rec *httptest.ResponseRecorder) {
	c.t.Helper()
	what := req.Method + " " + req.URL.RequestURI()
	var p api.Problem
	if rec.Code >= 400 {
		p = checkProblem(c.t, what, rec)
	}
	if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable && !c.allow500 {
		c.t.Errorf("%s: got status %d, want no server error: %s", what, rec.Code, rec.Body)
	}

	specRouter, err := openAPIRouter()
	if err != nil {
		c.t.Fatalf("load OpenAPI document: %v", err)
	}
	route, pathParams, err := specRouter.FindRoute(req)
	// The router's own answers for paths and methods it has no route for
	// are no operation's; the OpenAPI router is more lenient (it ignores
	// a trailing slash), so they are recognised by their detail.
	if err == nil && (strings.HasPrefix(p.Detail, "no such route") || strings.Contains(p.Detail, "is not allowed on")) {
		return
	}
	if err != nil {
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
			c.t.Errorf("%s is not in the OpenAPI document (%v), yet got status %d", what, err, rec.Code)
		}
		return
	}
	options := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, AuthenticationFunc: bearerScheme}
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: options}
	if err := openapi3filter.ValidateRequest(context.Background(), input); err != nil && rec.Code < 400 {
		c.t.Errorf("%s: the request does not match the OpenAPI document, yet got status %d: %v", what, rec.Code, err)
	}
	answer := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                options,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), answer); err != nil {
		c.t.Errorf("%s: the answer (status %d) does not match the OpenAPI document: %v\n%s", what, rec.Code, err, truncate(rec.Body.String()))
	}
}

// bearerScheme holds a request to the document's security scheme: an
// operation that needs a token must get one in Authorization, unless the
// server lets anonymous callers in (serve --anonymous-role), which the
// request marks for the check.
func bearerScheme(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	req := in.RequestValidationInput.Request
	if in.SecurityScheme.Type != "http" || in.SecurityScheme.Scheme != "bearer" {
		return fmt.Errorf("unknown security scheme %s", in.SecuritySchemeName)
	}
	scheme, _, _ := strings.Cut(req.Header.Get("Authorization"), " ")
	if strings.EqualFold(scheme, "Bearer") || req.Header.Get(anonymousMark) != "" {
		return nil
	}
	return errors.New("no bearer token")
}

// anonymousMark marks a test's request that goes without a token to a
// server with an anonymous role; the router ignores it.
const anonymousMark = "X-Test-Anonymous"

// checkProblem checks that an error answer is an RFC 9457 problem.
func checkProblem(t testing.TB, what string, rec *httptest.ResponseRecorder) api.Problem {
	t.Helper()
	mediaType, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	if mediaType != "application/problem+json" {
		t.Errorf("%s: got Content-Type %q with status %d, want application/problem+json", what, rec.Header().Get("Content-Type"), rec.Code)
	}
	var p api.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Errorf("%s: api.Problem body: %v: %s", what, err, truncate(rec.Body.String()))
	}
	if p.Status != rec.Code {
		t.Errorf("%s: got api.Problem status %d, want the answer's %d", what, p.Status, rec.Code)
	}
	if p.Title != http.StatusText(rec.Code) || p.Type != "about:blank" {
		t.Errorf("%s: got api.Problem type %q, title %q, want about:blank, %q", what, p.Type, p.Title, http.StatusText(rec.Code))
	}
	return p
}

// decode decodes an answer's JSON body into a T.
func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode answer: %v: %s", err, truncate(rec.Body.String()))
	}
	return v
}

func truncate(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// demoWith returns the demo scenario with its top-level members replaced
// as given (a nil value removes the member).
func demoWith(t testing.TB, members map[string]any) []byte {
	t.Helper()
	var scenario map[string]any
	if err := json.Unmarshal(data.Demo, &scenario); err != nil {
		t.Fatal(err)
	}
	for key, value := range members {
		if value == nil {
			delete(scenario, key)
		} else {
			scenario[key] = value
		}
	}
	return mustJSON(t, scenario)
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// syncBuffer is a bytes.Buffer that goroutines may write at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns the logged lines that contain every one of words.
func (b *syncBuffer) lines(words ...string) []string {
	var found []string
	for _, line := range strings.Split(b.String(), "\n") {
		all := line != ""
		for _, w := range words {
			all = all && strings.Contains(line, w)
		}
		if all {
			found = append(found, line)
		}
	}
	return found
}
