package postgres

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"grantplan/planner"
	"grantplan/store"
	"grantplan/store/postgres/pgtest"
)

// refusedConnect returns pgx's error of connecting to a port where nothing
// listens.
func refusedConnect(t *testing.T) error {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().(*net.TCPAddr)
	l.Close()
	conn, err := pgconn.Connect(context.Background(), fmt.Sprintf("postgres://grantplan:secret@127.0.0.1:%d/grantplan?sslmode=disable&connect_timeout=5", addr.Port))
	if err == nil {
		conn.Close(context.Background())
		t.Fatalf("connected to %s, where nothing listens", addr)
	}
	return err
}

// TestUnreachable checks which failures say that the database cannot be
// reached: they are store.Unavailable, 503 with Retry-After, and their
// message names no host, user or password; the others stay what they
// were.
func TestUnreachable(t *testing.T) {
	live := context.Background()
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	netErr := func(errno syscall.Errno) error {
		return &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", errno)}
	}
	tests := []struct {
		name     string
		ctx      context.Context
		err      error
		want     planner.ErrorKind
		wantText string
	}{
		{"connection refused", live, refusedConnect(t), planner.KindUnavailable, "(connection refused)"},
		{"admin shutdown", live, &pgconn.PgError{Severity: "FATAL", Code: "57P01", Message: "terminating connection due to administrator command"},
			planner.KindUnavailable, "(terminating connection due to administrator command)"},
		{"crash shutdown", live, &pgconn.PgError{Severity: "FATAL", Code: "57P02", Message: "terminating connection because of crash of another server process"},
			planner.KindUnavailable, "crash"},
		{"cannot connect now", live, &pgconn.PgError{Severity: "FATAL", Code: "57P03", Message: "the database system is starting up"},
			planner.KindUnavailable, "(the database system is starting up)"},
		{"connection failure", live, &pgconn.PgError{Code: "08006", Message: "connection failure"}, planner.KindUnavailable, "(connection failure)"},
		{"broken pipe", live, netErr(syscall.EPIPE), planner.KindUnavailable, "(broken pipe)"},
		{"reset", live, fmt.Errorf("read: %w", netErr(syscall.ECONNRESET)), planner.KindUnavailable, "(connection reset by peer)"},
		{"EOF", live, fmt.Errorf("receive message: %w", io.EOF), planner.KindUnavailable, "(the connection was closed)"},
		{"unexpected EOF", live, io.ErrUnexpectedEOF, planner.KindUnavailable, "(the connection was closed)"},
		{"bad connection", live, driver.ErrBadConn, planner.KindUnavailable, "(the connection was closed)"},
		{"closed connection", live, fmt.Errorf("conn busy: %w", pgconn.ErrConnClosed), planner.KindUnavailable, "(the connection was closed)"},
		{"network timeout", live, &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, planner.KindUnavailable, "(the network timed out)"},

		// Not a lost database: a wrong password is the configuration's
		// fault, a broken key the program's, and a request whose client
		// went away is nobody's.
		{"wrong password", live, &pgconn.PgError{Severity: "FATAL", Code: "28P01", Message: "password authentication failed"}, planner.KindInternal, "password authentication failed"},
		{"unique violation", live, &pgconn.PgError{Code: "23505", Message: "duplicate key"}, planner.KindInternal, "duplicate key"},
		{"a bug", live, errors.New("sql: expected 3 destination arguments"), planner.KindInternal, "expected 3"},
		{"client gone", canceled, io.ErrUnexpectedEOF, planner.KindInternal, "context canceled"},

		// What stays busy.
		{"lock timeout", live, &pgconn.PgError{Code: "55P03", Message: "canceling statement due to lock timeout"}, planner.KindUnavailable, "is busy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := wrap(tt.ctx, "get scenario", "kim", tt.err)
			if got := planner.KindOf(err); got != tt.want {
				t.Fatalf("got %q of kind %d, want kind %d", err, got, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("got %q, want it to say %q", err, tt.wantText)
			}
			var retry *store.RetryLater
			if tt.want == planner.KindUnavailable && !errors.As(err, &retry) {
				t.Errorf("got %T, want a *store.RetryLater", err)
			}
			if tt.want == planner.KindUnavailable && !strings.Contains(tt.wantText, "busy") {
				if retry.RetryAfter() != store.UnreachableRetry {
					t.Errorf("retry after %s, want %s", retry.RetryAfter(), store.UnreachableRetry)
				}
				for _, secret := range []string{"127.0.0.1", "grantplan", "secret"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("%q names %q", err, secret)
					}
				}
			}
		})
	}
}

// TestDatabaseGoesAway stops the database server at once while a store
// uses it: every method fails as unavailable (never as an unexpected
// error), and when the server is back the same store works again,
// without being opened again.
func TestDatabaseGoesAway(t *testing.T) {
	t.Parallel()
	cluster := pgtest.NewCluster(t)
	s := openURL(t, cluster.URL)
	ctx := context.Background()
	mustCreate(t, s, "kim", "v1")
	mustUpdate(t, s, "kim", 1, "v2")
	user, err := s.CreateUser(ctx, store.User{Name: "anna", Role: "planner", PasswordHash: "x", Created: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	hash := make([]byte, 32)
	hash[0] = 1
	now := time.Now()
	if err := s.CreateSession(ctx, store.Session{Hash: hash, UserID: user.ID, Created: now, IdleExpires: now.Add(time.Hour), Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}

	calls := []struct {
		name string
		call func() error
	}{
		{"Ping", func() error { return s.Ping(ctx) }},
		{"PingWrite", func() error { return s.PingWrite(ctx) }},
		{"Get", func() error { _, err := s.Get(ctx, "kim"); return err }},
		{"List", func() error { _, _, err := s.List(ctx, store.ListOptions{Limit: 50}); return err }},
		{"Revisions", func() error { _, err := s.Revisions(ctx, "kim"); return err }},
		{"Revision", func() error { _, err := s.Revision(ctx, "kim", 1); return err }},
		{"Create", func() error { _, err := s.Create(ctx, "neu", "Neu", body("Neu")); return err }},
		{"Update", func() error { _, err := s.Update(ctx, "kim", 2, "v3", body("v3")); return err }},
		{"PutFigures", func() error {
			return s.PutFigures(ctx, "kim", 2, store.Figures{Version: 1, Body: []byte(`{}`)})
		}},
		{"Session", func() error { _, _, err := s.Session(ctx, hash, now); return err }},
		{"Audit", func() error { return s.AppendAudit(ctx, store.AuditEntry{Time: now, Actor: "anna", Action: "test"}) }},
		{"Delete", func() error { return s.Delete(ctx, "kim", mustGetRevisionOr(s, "kim")) }},
	}

	cluster.Down(t)
	down := time.Now()
	for _, c := range calls {
		err := c.call()
		if got := planner.KindOf(err); got != planner.KindUnavailable {
			t.Errorf("%s with the server down: got %v (kind %d), want unavailable", c.name, err, got)
		}
	}

	t.Logf("%d calls with the server down took %s", len(calls), time.Since(down))
	up := time.Now()
	cluster.Up(t)
	t.Logf("the server started in %s", time.Since(up))
	// The first use of a connection the server cut may still fail as
	// unavailable; then the pool has new ones.
	deadline := time.Now().Add(10 * time.Second)
	for s.Ping(ctx) != nil && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	for _, c := range calls {
		if err := c.call(); err != nil {
			t.Errorf("%s with the server back: %v", c.name, err)
		}
	}
	if _, err := s.Get(ctx, "kim"); planner.KindOf(err) != planner.KindNotFound {
		t.Errorf("after the delete: got %v, want not found", err)
	}
	if sc, err := s.Get(ctx, "neu"); err != nil || sc.Revision != 1 {
		t.Errorf("the scenario created with the server back: got %+v, %v", sc, err)
	}
}

// TestConnectionsTerminated ends the store's connections on the server
// (pg_terminate_backend, as an administrator or a failover does): a call
// on a cut connection fails as unavailable or succeeds on a new one, and
// the next calls succeed.
func TestConnectionsTerminated(t *testing.T) {
	t.Parallel()
	name := "grantplan_test_" + randomSuffix()
	url := pgtest.URL(t) + "&application_name=" + name
	s := openURL(t, url)
	ctx := context.Background()
	mustCreate(t, s, "kim", "v1")
	// Several connections in the pool.
	errs := make(chan error, 4)
	for range 4 {
		go func() { _, err := s.Get(ctx, "kim"); errs <- err }()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}

	admin := rawDB(t, pgtest.BaseURL(t))
	var ended int
	if err := admin.QueryRow("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", name).Scan(&ended); err != nil {
		t.Fatal(err)
	}
	if ended == 0 {
		t.Fatal("no connection of the store to end")
	}
	// The revision to match is known rather than read: a read on a cut
	// connection fails too, and its 0 would make the write a conflict.
	rev := 1
	for i := range 3 {
		sc, err := s.Update(ctx, "kim", rev, "v", body("v"))
		switch {
		case err == nil:
			rev = sc.Revision
		case planner.KindOf(err) == planner.KindUnavailable:
			// Not acknowledged, so perhaps written: ask again.
			rev = currentRevision(t, s, "kim")
		default:
			t.Errorf("write %d after the connections were ended: got %v, want success or unavailable", i, err)
		}
	}
	for i := range 3 {
		if _, err := s.Get(ctx, "kim"); err != nil {
			t.Errorf("read %d after the connections were ended: %v", i, err)
		}
	}
}

// currentRevision returns the current revision of id, reading again
// while the store is unavailable, for at most 10 seconds.
func currentRevision(t *testing.T, s *Store, id string) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		sc, err := s.Get(context.Background(), id)
		if err == nil {
			return sc.Revision
		}
		if planner.KindOf(err) != planner.KindUnavailable || time.Now().After(deadline) {
			t.Fatalf("reading %q: %v", id, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// mustGetRevisionOr returns the current revision of id, or 0 if it
// cannot be read.
func mustGetRevisionOr(s *Store, id string) int {
	sc, err := s.Get(context.Background(), id)
	if err != nil {
		return 0
	}
	return sc.Revision
}
