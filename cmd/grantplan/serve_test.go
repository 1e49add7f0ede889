package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/store/postgres/pgtest"
	"grantplan/store/sqlite"
	"grantplan/store/storeopen"
)

// server is `grantplan serve` running in the test.
type server struct {
	url    string // http://127.0.0.1:PORT
	token  string // an API token of the admin, sent with every request
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

// startServer runs `grantplan serve` on the database file db and a free
// port, waits until /healthz answers, and makes an API token for the
// admin with the command line while the server runs.
func startServer(t *testing.T, db string, args ...string) *server {
	t.Helper()
	return withToken(t, startServerOnly(t, db, args...), "--db", db)
}

// startServerOnly runs `grantplan serve` on the database file db and a
// free port, and waits until /healthz answers; its requests carry no
// token.
func startServerOnly(t *testing.T, db string, args ...string) *server {
	t.Helper()
	return startServerWith(t, append([]string{"--db", db}, args...)...)
}

// withToken makes an API token of the admin with `grantplan token add`
// on the server's database (dbArgs, or GRANTPLAN_DB), while the server
// runs, and sends it with the server's requests from then on.
func withToken(t *testing.T, s *server, dbArgs ...string) *server {
	t.Helper()
	code, out, errOut := runCLI(t, "", append([]string{"token", "add", "admin", "--label", "test"}, dbArgs...)...)
	if code != 0 {
		t.Fatalf("token add: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	s.token = lines[len(lines)-1]
	return s
}

// startServerWith runs `grantplan serve` with the arguments given and a
// free port, and waits until /healthz answers.
func startServerWith(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	args = append([]string{"grantplan", "serve", "--addr", "127.0.0.1:0"}, args...)
	go func() {
		s.done <- run(ctx, args, strings.NewReader(""), io.Discard, s.stderr)
	}()
	t.Cleanup(func() { s.stop(t) })

	listening := regexp.MustCompile(`msg=listening addr=(127\.0\.0\.1:[0-9]+)`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			t.Fatalf("serve ended before listening: %v\n%s", err, s.stderr)
		default:
		}
		if m := listening.FindStringSubmatch(s.stderr.String()); m != nil && s.url == "" {
			s.url = "http://" + m[1]
		}
		if s.url != "" {
			if res, err := http.Get(s.url + "/healthz"); err == nil {
				res.Body.Close()
				if res.StatusCode == http.StatusOK {
					return s
				}
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("serve did not answer /healthz within 10s:\n%s", s.stderr)
	return nil
}

// stop cancels the server's context, as SIGINT does, and checks that run
// returns nil.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve returned %v, want nil\n%s", err, s.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("serve did not stop within 10s of its context ending")
	}
}

// do sends a request and returns the status and body.
func (s *server) do(t *testing.T, method, path, ifMatch string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, answer
}

// TestServe runs the server, reads the demo scenario and its plan, and
// stops it while a request is under way: the request finishes, run
// returns nil and the database opens again.
func TestServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "grantplan.db")
	s := startServer(t, db)

	status, body := s.do(t, http.MethodGet, "/api/v1/scenarios", "", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"id":"`+data.DemoID+`"`) {
		t.Fatalf("list: got %d %s, want 200 with the demo", status, body)
	}
	status, body = s.do(t, http.MethodGet, "/api/v1/scenarios/"+data.DemoID, "", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"revision":1`) {
		t.Errorf("demo: got %d %s, want 200 at revision 1", status, body)
	}
	status, body = s.do(t, http.MethodGet, "/api/v1/scenarios/"+data.DemoID+"/plan", "", nil)
	var plan struct {
		Summary struct {
			Critical        int    `json:"critical"`
			LatestSafeStart string `json:"latest_safe_start"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(body, &plan); err != nil || status != http.StatusOK {
		t.Fatalf("plan: got %d %s (%v), want 200 and a plan", status, body, err)
	}
	if plan.Summary.Critical != 6 || plan.Summary.LatestSafeStart != "2020-09-01" {
		t.Errorf("plan: got %d critical flags and latest safe start %s, want 6 and 2020-09-01", plan.Summary.Critical, plan.Summary.LatestSafeStart)
	}

	// A request under way when the server is told to stop. It asks for
	// "100 Continue", which the server sends once the handler reads the
	// body, so the test knows the request is in the handler.
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	answers := bufio.NewReader(conn)
	fmt.Fprintf(conn, "POST /api/v1/plan HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", s.token, len(data.Demo))
	res, err := http.ReadResponse(answers, nil)
	if err != nil || res.StatusCode != http.StatusContinue {
		t.Fatalf("got %v (%v), want 100 Continue", res, err)
	}

	stopped := make(chan struct{})
	go func() {
		s.stop(t)
		close(stopped)
	}()
	waitFor(t, s.stderr, "shutting down")
	select {
	case <-stopped:
		t.Fatal("serve stopped with a request under way")
	case <-time.After(100 * time.Millisecond):
	}
	conn.Write(data.Demo)
	res, err = http.ReadResponse(answers, nil)
	if err != nil {
		t.Fatalf("the request under way got no answer: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("the request under way: got status %d, want 200", res.StatusCode)
	}
	<-stopped

	logs := s.stderr.String()
	for _, want := range []string{
		"msg=\"stored the demo scenario\"",
		"msg=request method=GET path=/api/v1/scenarios/" + data.DemoID + "/plan status=200",
		"msg=request method=POST path=/api/v1/plan status=200",
		"msg=stopped",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "level=ERROR") {
		t.Errorf("the log has errors:\n%s", logs)
	}

	// The database was closed cleanly: SQLite removes the write-ahead log
	// when the last connection closes, and the file opens again.
	if _, err := os.Stat(db + "-wal"); err == nil {
		t.Errorf("the write-ahead log is still there after serve stopped")
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatalf("reopen the database: %v", err)
	}
	defer st.Close()
	if _, err := st.Get(context.Background(), data.DemoID); err != nil {
		t.Errorf("reopened database: %v", err)
	}
}

// TestServeRestart checks that what is stored survives a restart, and
// that a deleted demo stays deleted.
func TestServeRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "grantplan.db")

	s := startServer(t, db)
	if status, body := s.do(t, http.MethodDelete, "/api/v1/scenarios/"+data.DemoID, `"1"`, nil); status != http.StatusNoContent {
		t.Fatalf("delete the demo: got %d %s, want 204", status, body)
	}
	s.stop(t)

	s = startServer(t, db)
	if status, body := s.do(t, http.MethodGet, "/api/v1/scenarios", "", nil); status != http.StatusOK || string(body) != `{"scenarios":[]}` {
		t.Errorf("after a restart: got %d %s, want no scenarios (the deleted demo stays deleted)", status, body)
	}
	scenario := bytes.Replace(data.Demo, []byte(`"name": "KIM Kreis Siegen-Wittgenstein"`), []byte(`"name": "Neustart"`), 1)
	status, body := s.do(t, http.MethodPost, "/api/v1/scenarios", "", scenario)
	if status != http.StatusCreated {
		t.Fatalf("create: got %d %s, want 201", status, body)
	}
	s.do(t, http.MethodPut, "/api/v1/scenarios/neustart", `"1"`, scenario)
	s.stop(t)

	s = startServer(t, db)
	status, body = s.do(t, http.MethodGet, "/api/v1/scenarios/neustart", "", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"revision":2`) {
		t.Errorf("after a restart: got %d %s, want the scenario at revision 2", status, body)
	}
	status, body = s.do(t, http.MethodGet, "/api/v1/scenarios/neustart/revisions", "", nil)
	if status != http.StatusOK || strings.Count(string(body), `"revision":`) != 2 {
		t.Errorf("after a restart: got revisions %d %s, want 2", status, body)
	}
}

// TestServeUsage checks how serve refuses bad arguments and a port or
// file it cannot use.
func TestServeUsage(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name      string
		args      []string
		wantCode  int
		wantError string
	}{
		{name: "argument", args: []string{"serve", "extra"}, wantCode: 2, wantError: "no arguments"},
		{name: "unknown flag", args: []string{"serve", "--port", "80"}, wantCode: 2, wantError: "flag provided but not defined"},
		{name: "bad address", args: []string{"serve", "--addr", "nowhere", "--db", filepath.Join(dir, "a.db")}, wantCode: 1, wantError: "missing port"},
		{name: "no such directory", args: []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "missing", "a.db")}, wantCode: 1, wantError: "store: open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", tt.args...)
			if code != tt.wantCode || !strings.Contains(errOut, tt.wantError) {
				t.Errorf("got exit %d and %q, want %d and %q", code, errOut, tt.wantCode, tt.wantError)
			}
		})
	}
}

// waitFor waits until the log holds text.
func waitFor(t *testing.T, log *syncBuffer, text string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if strings.Contains(log.String(), text) {
			return
		}
	}
	t.Fatalf("the log did not say %q within 10s:\n%s", text, log)
}

// syncBuffer is a bytes.Buffer that the server's goroutines may write
// while the test reads it.
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

// TestServePostgres serves from PostgreSQL, the URL taken from
// GRANTPLAN_DB as a password should be: the demo is stored on the first
// start only, what is saved survives a restart, and no log line shows the
// password.
func TestServePostgres(t *testing.T) {
	url := pgtest.URL(t)
	t.Setenv(storeopen.Env, url)

	s := withToken(t, startServerWith(t))
	status, body := s.do(t, http.MethodGet, "/api/v1/scenarios", "", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"id":"`+data.DemoID+`"`) {
		t.Fatalf("list: got %d %s, want 200 with the demo", status, body)
	}
	scenario := bytes.Replace(data.Demo, []byte(`"name": "KIM Kreis Siegen-Wittgenstein"`), []byte(`"name": "Köln"`), 1)
	if status, body := s.do(t, http.MethodPost, "/api/v1/scenarios", "", scenario); status != http.StatusCreated {
		t.Fatalf("create: got %d %s, want 201", status, body)
	}
	if status, body := s.do(t, http.MethodPut, "/api/v1/scenarios/koeln", `"1"`, scenario); status != http.StatusOK {
		t.Fatalf("save: got %d %s, want 200", status, body)
	}
	s.stop(t)
	logs := s.stderr.String()

	s = withToken(t, startServerWith(t))
	status, body = s.do(t, http.MethodGet, "/api/v1/scenarios/koeln/revisions", "", nil)
	if status != http.StatusOK || strings.Count(string(body), `"revision":`) != 2 {
		t.Errorf("after a restart: got revisions %d %s, want 2", status, body)
	}
	status, body = s.do(t, http.MethodGet, "/api/v1/scenarios", "", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"id":"koeln","name":"Köln"`) {
		t.Errorf("list after a restart: got %d %s, want Köln", status, body)
	}
	s.stop(t)
	logs += s.stderr.String()

	if strings.Count(logs, "stored the demo scenario") != 1 {
		t.Errorf("the demo was stored %d times, want once:\n%s", strings.Count(logs, "stored the demo scenario"), logs)
	}
	if !strings.Contains(logs, "db=\"postgres://grantplan:xxxxx@") && !strings.Contains(logs, "db=postgres://grantplan:xxxxx@") {
		t.Errorf("the log does not name the database without its password:\n%s", logs)
	}
	if password := passwordOf(t, url); strings.Contains(logs, password) {
		t.Errorf("the log shows the password:\n%s", logs)
	}
}
