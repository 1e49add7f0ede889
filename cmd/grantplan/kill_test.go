package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/store/postgres/pgtest"
	"grantplan/store/storeopen"
)

// asCommand is the environment variable that makes the test binary run
// as grantplan itself, with its arguments: the tests below start it as a
// process of its own, to kill it.
const asCommand = "GRANTPLAN_TEST_AS_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(asCommand) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := run(ctx, append([]string{"grantplan"}, os.Args[1:]...), os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(exitCode(err))
	}
	os.Exit(m.Run())
}

// process is `grantplan serve` running as a process of its own.
type process struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	done   chan error
}

// startProcess runs `grantplan serve` with args on a free port as a
// process of its own (this test binary, as grantplan), and waits until
// /healthz answers 200. It is killed, if still running, when the test
// ends.
func startProcess(t *testing.T, args ...string) *process {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{stderr: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd = exec.Command(exe, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	p.cmd.Env = append(os.Environ(), asCommand+"=1")
	p.cmd.Stderr = p.stderr
	dieWithParent(p.cmd)
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() { p.kill() })

	listening := regexp.MustCompile(`msg=listening addr=(127\.0\.0\.1:[0-9]+)`)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("serve ended before it listened: %v\n%s", err, p.stderr)
		default:
		}
		if m := listening.FindStringSubmatch(p.stderr.String()); m != nil && p.url == "" {
			p.url = "http://" + m[1]
		}
		if p.url != "" {
			if res, err := http.Get(p.url + "/healthz"); err == nil {
				res.Body.Close()
				if res.StatusCode == http.StatusOK {
					return p
				}
			}
		}
	}
	t.Fatalf("serve did not answer /healthz within 30s:\n%s", p.stderr)
	return nil
}

// kill sends SIGKILL, which the process cannot catch: it ends at once,
// whatever it was doing, as in a crash or an out-of-memory kill.
func (p *process) kill() {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	err := <-p.done
	p.done <- err
}

// stop sends SIGTERM and waits for a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM\n%s", err, p.stderr)
		}
	case <-time.After(40 * time.Second):
		t.Errorf("serve did not stop within 40s of SIGTERM")
	}
}

// acked is a revision a server acknowledged: 200 or 201 with its ETag,
// and the body it stored, as the answer gave it.
type acked struct {
	id       string
	revision int
	body     json.RawMessage
	server   string
}

// writer saves new revisions of one scenario, one request at a time,
// sending each to the next of servers, and records every acknowledged
// revision. A request that is not acknowledged (a server that is gone, a
// 503, a write whose outcome the client cannot know) is not recorded; the
// writer then reads the current revision and goes on from it.
type writer struct {
	t       *testing.T
	id      string
	token   string
	client  *http.Client
	servers func() []string
	n       int // writes sent
	lost    int // writes whose answer did not come

	mu   sync.Mutex
	acks []acked
}

// record adds an acknowledged revision.
func (w *writer) record(a acked) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.acks = append(w.acks, a)
}

// count is how many revisions were acknowledged so far.
func (w *writer) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acks)
}

// scenarioAnswer is what the writer reads of an answer.
type scenarioAnswer struct {
	Revision int             `json:"revision"`
	Scenario json.RawMessage `json:"scenario"`
}

func (w *writer) request(method, url, ifMatch string, body []byte) (int, scenarioAnswer, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return 0, scenarioAnswer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+w.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	res, err := w.client.Do(req)
	if err != nil {
		return 0, scenarioAnswer{}, err
	}
	defer res.Body.Close()
	var answer scenarioAnswer
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, answer, err
	}
	if res.StatusCode == http.StatusOK || res.StatusCode == http.StatusCreated {
		if err := json.Unmarshal(raw, &answer); err != nil {
			return res.StatusCode, answer, fmt.Errorf("%s %s: %d with %v: %s", method, url, res.StatusCode, err, raw)
		}
		if etag := fmt.Sprintf(`"%d"`, answer.Revision); method != http.MethodGet && res.Header.Get("ETag") != etag {
			return res.StatusCode, answer, fmt.Errorf("%s %s: ETag %s for revision %d", method, url, res.Header.Get("ETag"), answer.Revision)
		}
	}
	return res.StatusCode, answer, nil
}

// run writes until stop is closed.
func (w *writer) run(stop <-chan struct{}) {
	current := 0
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		servers := w.servers()
		if len(servers) == 0 { // the only server is starting again
			time.Sleep(10 * time.Millisecond)
			continue
		}
		server := servers[i%len(servers)]
		if current == 0 {
			status, answer, err := w.request(http.MethodGet, server+"/api/v1/scenarios/"+w.id, "", nil)
			if err == nil && status == http.StatusOK {
				current = answer.Revision
			}
			continue
		}
		w.n++
		body := bytes.Replace(data.Demo, []byte(`"name": "KIM Kreis Siegen-Wittgenstein"`),
			[]byte(fmt.Sprintf(`"name": "KIM %s, write %d"`, w.id, w.n)), 1)
		status, answer, err := w.request(http.MethodPut, server+"/api/v1/scenarios/"+w.id, fmt.Sprintf(`"%d"`, current), body)
		switch {
		case err == nil && status == http.StatusOK:
			w.record(acked{id: w.id, revision: answer.Revision, body: answer.Scenario, server: server})
			current = answer.Revision
		case err == nil && (status == http.StatusPreconditionFailed || status == http.StatusServiceUnavailable):
			current = 0 // a write whose answer was lost may have been stored
		case err != nil && !strings.Contains(err.Error(), "ETag"):
			w.lost++
			current = 0 // the server went away
		default:
			w.t.Errorf("PUT %s to %s: got %d, %v", w.id, server, status, err)
			current = 0
		}
	}
}

// killDuringWrites starts writers on every server, kills the first
// server with SIGKILL once it has acknowledged some writes, goes on
// writing to the others (or, with restart, to the killed one started
// again), and returns every acknowledged revision.
func killDuringWrites(t *testing.T, token string, servers []*process, restart func() *process) []acked {
	t.Helper()
	var mu sync.Mutex
	urls := make([]string, len(servers))
	for i, s := range servers {
		urls[i] = s.url
	}
	current := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return urls
	}
	const writers = 4
	ws := make([]*writer, writers)
	for i := range ws {
		id := fmt.Sprint("kill-", i)
		ws[i] = &writer{t: t, id: id, token: token, client: &http.Client{Timeout: 20 * time.Second}, servers: current}
		body := bytes.Replace(data.Demo, []byte(`"name": "KIM Kreis Siegen-Wittgenstein"`), []byte(`"name": "`+id+`"`), 1)
		status, answer, err := ws[i].request(http.MethodPost, servers[0].url+"/api/v1/scenarios", "", body)
		if err != nil || status != http.StatusCreated {
			t.Fatalf("create %s: got %d, %v", id, status, err)
		}
		ws[i].record(acked{id: id, revision: 1, body: answer.Scenario, server: servers[0].url})
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Go(func() { w.run(stop) })
	}
	waitFor := func(what string, enough func() bool) {
		t.Helper()
		for deadline := time.Now().Add(60 * time.Second); !enough(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				close(stop)
				wg.Wait()
				t.Fatalf("%s did not happen within 60s", what)
			}
		}
	}
	waitFor("20 acknowledged writes", func() bool { return totalAcks(ws) >= 20 })
	servers[0].kill()
	acksBefore := totalAcks(ws)
	mu.Lock()
	urls = urls[1:]
	if restart != nil {
		mu.Unlock()
		again := restart()
		mu.Lock()
		urls = []string{again.url}
	}
	mu.Unlock()
	waitFor("20 more acknowledged writes", func() bool { return totalAcks(ws) >= acksBefore+20 })
	close(stop)
	wg.Wait()

	var all []acked
	lost := 0
	for _, w := range ws {
		all = append(all, w.acks...)
		lost += w.lost
	}
	t.Logf("%d revisions acknowledged, %d before the kill; %d writes without an answer", len(all), acksBefore, lost)
	return all
}

// totalAcks counts the revisions the writers have had acknowledged so
// far.
func totalAcks(ws []*writer) int {
	n := 0
	for _, w := range ws {
		n += w.count()
	}
	return n
}

// checkAcked reads every acknowledged revision back, from the server at
// url and from the store itself, and checks it holds the body the server
// acknowledged, byte for byte.
func checkAcked(t *testing.T, url, token, dsn string, acks []acked) {
	t.Helper()
	w := &writer{t: t, token: token, client: &http.Client{Timeout: 20 * time.Second}}
	st, err := storeopen.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, a := range acks {
		status, answer, err := w.request(http.MethodGet, fmt.Sprintf("%s/api/v1/scenarios/%s/revisions/%d", url, a.id, a.revision), "", nil)
		if err != nil || status != http.StatusOK || !bytes.Equal(answer.Scenario, a.body) {
			t.Errorf("acknowledged revision %d of %s (by %s): got %d, %v, %.80s…, want %.80s…", a.revision, a.id, a.server, status, err, answer.Scenario, a.body)
			continue
		}
		sc, err := st.Revision(context.Background(), a.id, a.revision)
		var stored bytes.Buffer
		if err == nil {
			err = json.Compact(&stored, sc.Body)
		}
		if err != nil || !bytes.Equal(stored.Bytes(), a.body) {
			t.Errorf("acknowledged revision %d of %s in the store: got %v, %.80s…", a.revision, a.id, err, stored.Bytes())
		}
	}
}

// adminToken makes an API token of the admin that the first serve made.
func adminToken(t *testing.T, dbArgs ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, "", append([]string{"token", "add", "admin", "--label", "test"}, dbArgs...)...)
	if code != 0 {
		t.Fatalf("token add: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}

// TestKillInstance runs two serve processes on one PostgreSQL database
// under a stream of writes spread over both, and kills one with SIGKILL
// in the middle: every revision either acknowledged is stored, with the
// body it acknowledged, and the other instance serves on; the killed one
// starts again on the same database.
func TestKillInstance(t *testing.T) {
	t.Parallel()
	dsn := pgtest.URL(t)
	a := startProcess(t, "--db", dsn)
	b := startProcess(t, "--db", dsn)
	token := adminToken(t, "--db", dsn)
	acks := killDuringWrites(t, token, []*process{a, b}, nil)
	checkAcked(t, b.url, token, dsn, acks)
	again := startProcess(t, "--db", dsn)
	checkAcked(t, again.url, token, dsn, acks)
	again.stop(t)
	b.stop(t)
}

// TestKillSQLite kills the one serve process of a SQLite file with
// SIGKILL in the middle of a stream of writes, and starts it again on
// the file: every revision it acknowledged is there, with its body, and
// the file passes its check.
func TestKillSQLite(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "grantplan.db")
	a := startProcess(t, "--db", db)
	token := adminToken(t, "--db", db)
	var again *process
	acks := killDuringWrites(t, token, []*process{a}, func() *process {
		again = startProcess(t, "--db", db)
		return again
	})
	checkAcked(t, again.url, token, db, acks)
	again.stop(t)
}
