package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	neturl "net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"grantplan/planner"

	"grantplan/store"
	"grantplan/store/internal/sqlstore"
	"grantplan/store/postgres/pgtest"
	"grantplan/store/storetest"
)

// TestConformance holds the PostgreSQL store to the storage contract, each
// check in a schema of its own.
func TestConformance(t *testing.T) {
	t.Parallel()
	pgtest.BaseURL(t)
	storetest.Run(t, func(t testing.TB) store.Store {
		return openTest(t, pgtest.URL(t))
	})
}

// BenchmarkStore runs the storage benchmarks, to compare with SQLite's.
func BenchmarkStore(b *testing.B) {
	pgtest.BaseURL(b)
	storetest.Bench(b, func(tb testing.TB) store.Store {
		return openTest(tb, pgtest.URL(tb))
	})
}

// openTest opens the store at url; the caller closes it.
func openTest(tb testing.TB, url string) *Store {
	tb.Helper()
	s, err := Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return s
}

// openURL opens the store at url and closes it when the test ends.
func openURL(tb testing.TB, url string) *Store {
	tb.Helper()
	s := openTest(tb, url)
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

// openFresh opens a store in a new schema and returns it with its URL.
func openFresh(tb testing.TB) (*Store, string) {
	tb.Helper()
	url := pgtest.URL(tb)
	return openURL(tb, url), url
}

// rawDB opens a plain connection pool to url, for looking behind the
// store's back, and closes it when the test ends.
func rawDB(tb testing.TB, url string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// body returns a small scenario document; the store does not look inside.
func body(name string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf("{\"name\" : %q,\n  \"start\":\"2021-10-01\", \"positions\": [] }", name))
}

func mustCreate(tb testing.TB, s *Store, id, name string) store.Scenario {
	tb.Helper()
	sc, err := s.Create(context.Background(), id, name, body(name))
	if err != nil {
		tb.Fatalf("Create(%q): %v", id, err)
	}
	return sc
}

func mustUpdate(tb testing.TB, s *Store, id string, ifMatch int, name string) store.Scenario {
	tb.Helper()
	sc, err := s.Update(context.Background(), id, ifMatch, name, body(name))
	if err != nil {
		tb.Fatalf("Update(%q, %d): %v", id, ifMatch, err)
	}
	return sc
}

func mustDelete(tb testing.TB, s *Store, id string, ifMatch int) {
	tb.Helper()
	if err := s.Delete(context.Background(), id, ifMatch); err != nil {
		tb.Fatalf("Delete(%q, %d): %v", id, ifMatch, err)
	}
}

// wantKind fails the test unless err is of the given kind.
func wantKind(tb testing.TB, err error, want planner.ErrorKind) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want kind %d", want)
	}
	if got := planner.KindOf(err); got != want {
		tb.Fatalf("got error %q of kind %d, want kind %d", err, got, want)
	}
}

// countRows counts the rows of a table for the scenario id, deleted
// scenarios included, to see what is really in the database.
func countRows(tb testing.TB, s *Store, table, id string) int {
	tb.Helper()
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM "+table+" WHERE scenario_id = $1", id).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// versions returns the migrations the schema records, in order.
func versions(tb testing.TB, db *sql.DB) []int {
	tb.Helper()
	rows, err := db.Query("SELECT version FROM " + versionTable + " ORDER BY version")
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var list []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			tb.Fatal(err)
		}
		list = append(list, v)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return list
}

// upTo returns 1, 2, …, n.
func upTo(n int) []int {
	list := make([]int, n)
	for i := range list {
		list[i] = i + 1
	}
	return list
}

func TestMigrationsNumbered(t *testing.T) {
	t.Parallel()
	migrations, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range migrations {
		if m.Version != i+1 {
			t.Errorf("migration %s: got version %d, want %d", m.Name, m.Version, i+1)
		}
	}
	s, _ := openFresh(t)
	if got, want := versions(t, s.db), upTo(len(migrations)); !slices.Equal(got, want) {
		t.Errorf("recorded migrations: got %v, want %v", got, want)
	}
}

// TestMigrateOnce adds a migration that counts its runs and opens the
// schema twice: the second Open must run nothing.
func TestMigrateOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	migrations, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	counting := append(slices.Clone(migrations), sqlstore.Migration{
		Version: len(migrations) + 1,
		Name:    "counting.sql",
		SQL: `CREATE TABLE IF NOT EXISTS runs (n integer);
		      INSERT INTO runs VALUES (1);`,
	})
	url := pgtest.URL(t)
	for range 2 {
		s, err := open(ctx, url, counting)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		var runs int
		if err := s.db.QueryRow("SELECT count(*) FROM runs").Scan(&runs); err != nil {
			t.Fatal(err)
		}
		if runs != 1 {
			t.Errorf("got %d runs of the migration, want 1", runs)
		}
		if got, want := versions(t, s.db), upTo(len(counting)); !slices.Equal(got, want) {
			t.Errorf("recorded migrations: got %v, want %v", got, want)
		}
		s.Close()
	}
}

// TestMigrationFailure checks that a failing migration leaves neither its
// first statements nor a record of it behind.
func TestMigrationFailure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	migrations, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	broken := append(slices.Clone(migrations), sqlstore.Migration{
		Version: len(migrations) + 1,
		Name:    "broken.sql",
		SQL:     "CREATE TABLE half (n integer); INSERT INTO nowhere VALUES (1);",
	})
	url := pgtest.URL(t)
	if s, err := open(ctx, url, broken); err == nil {
		s.Close()
		t.Fatal("open with a broken migration: got no error")
	} else if !strings.Contains(err.Error(), "migration broken.sql") {
		t.Errorf("open with a broken migration: got %q, want it to name the migration", err)
	}
	s := openURL(t, url)
	if got, want := versions(t, s.db), upTo(len(migrations)); !slices.Equal(got, want) {
		t.Errorf("recorded migrations: got %v, want %v", got, want)
	}
	var half sql.NullString
	if err := s.db.QueryRow("SELECT to_regclass('half')::text").Scan(&half); err != nil {
		t.Fatal(err)
	}
	if half.Valid {
		t.Error("the failed migration's table exists")
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	t.Parallel()
	s, url := openFresh(t)
	if _, err := s.db.Exec("INSERT INTO " + versionTable + " (version, name) VALUES (999, '0999_future.sql')"); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(context.Background(), url)
	if err == nil {
		s2.Close()
		t.Fatal("Open of a newer schema: got no error")
	}
	if !errors.Is(err, ErrSchemaTooNew) || !strings.Contains(err.Error(), "is at version 999, and this grantplan knows versions up to") {
		t.Errorf("Open of a newer schema: got %q, want it to say so", err)
	}
}

// TestConcurrentOpen starts several instances on one new schema at once:
// each opens, and the migrations run once.
func TestConcurrentOpen(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	const instances = 6
	stores := make([]*Store, instances)
	errs := make([]error, instances)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range instances {
		wg.Go(func() {
			<-start
			stores[i], errs[i] = Open(context.Background(), url)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
			continue
		}
		defer stores[i].Close()
	}
	migrations, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := versions(t, rawDB(t, url)), upTo(len(migrations)); !slices.Equal(got, want) {
		t.Errorf("recorded migrations: got %v, want %v", got, want)
	}
}

// TestMigrationLock holds the migration lock of a schema, as an instance
// migrating it would: Open waits until it is released, and a canceled
// Open gives up.
func TestMigrationLock(t *testing.T) {
	t.Parallel()
	schema := pgtest.NewSchema(t)
	url := pgtest.WithSchema(t, pgtest.BaseURL(t), schema)
	ctx := context.Background()
	conn, err := rawDB(t, url).Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey(schema)); err != nil {
		t.Fatal(err)
	}

	canceled, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if s, err := Open(canceled, url); err == nil {
		s.Close()
		t.Fatal("Open while another holds the lock, with a 200 ms deadline: got no error")
	} else if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "migration lock") {
		t.Errorf("Open with a 200 ms deadline: got %v, want a deadline while waiting for the migration lock", err)
	}

	opened := make(chan error, 1)
	go func() {
		s, err := Open(ctx, url)
		if err == nil {
			s.Close()
		}
		opened <- err
	}()
	select {
	case err := <-opened:
		t.Fatalf("Open returned (%v) while another held the migration lock", err)
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", lockKey(schema)); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-opened:
		if err != nil {
			t.Errorf("Open after the lock was released: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Open did not return within 10 s of the lock's release")
	}
}

func TestNoSchema(t *testing.T) {
	t.Parallel()
	url := pgtest.WithSchema(t, pgtest.BaseURL(t), "grantplan_test_missing")
	s, err := Open(context.Background(), url)
	if err == nil {
		s.Close()
		t.Fatal("Open with no schema to create the tables in: got no error")
	}
	if !strings.Contains(err.Error(), "no schema of the search_path exists") {
		t.Errorf("got %q, want it to say that the schema is missing", err)
	}
}

// TestAppendOnly checks that the schema itself refuses to rewrite history,
// whoever asks.
func TestAppendOnly(t *testing.T) {
	t.Parallel()
	s, _ := openFresh(t)
	mustCreate(t, s, "kim", "v1")
	mustUpdate(t, s, "kim", 1, "v2")
	mustCreate(t, s, "gone", "Gone")
	mustDelete(t, s, "gone", 1)
	if err := s.AppendAudit(context.Background(), store.AuditEntry{Time: time.Now(), Actor: "anna", Action: "login"}); err != nil {
		t.Fatal(err)
	}

	const (
		auditAppendOnly = "the audit log is append-only"
		appendOnly      = "revisions are append-only"
		softDelete      = "scenarios are deleted by setting deleted_at"
		forward         = "a scenario only advances one revision or is deleted"
		foreignKey      = "violates foreign key constraint"
		check           = "violates check constraint"
	)
	tests := []struct {
		query string
		want  string
	}{
		{"UPDATE revisions SET body = '\\x7b7d' WHERE scenario_id = 'kim'", appendOnly},
		{"UPDATE revisions SET name = 'v0' WHERE scenario_id = 'kim'", appendOnly},
		{"UPDATE revisions SET author = 'mallory' WHERE scenario_id = 'kim'", appendOnly},
		{"UPDATE revisions SET checksum = sha256('') WHERE scenario_id = 'kim'", appendOnly},
		{"UPDATE audit SET actor = 'mallory'", auditAppendOnly},
		{"DELETE FROM audit", auditAppendOnly},
		{"TRUNCATE audit", auditAppendOnly},
		{"DELETE FROM revisions WHERE scenario_id = 'kim'", appendOnly},
		{"TRUNCATE revisions CASCADE", appendOnly},
		{"DELETE FROM scenarios WHERE id = 'kim'", softDelete},
		{"TRUNCATE scenarios CASCADE", softDelete},
		{"UPDATE scenarios SET revision = 1 WHERE id = 'kim'", forward},
		{"UPDATE scenarios SET revision = 5 WHERE id = 'kim'", forward},
		{"UPDATE scenarios SET created = '2000-01-01T00:00:00Z' WHERE id = 'kim'", forward},
		{"UPDATE scenarios SET deleted_at = NULL, revision = 2 WHERE id = 'gone'", forward},
		{"UPDATE scenarios SET deleted_at = now() WHERE id = 'gone'", forward},
		{"INSERT INTO revisions (scenario_id, revision, name, body, created) VALUES ('nobody', 1, 'x', '\\x7b7d', now())", foreignKey},
		{"INSERT INTO scenarios (id, revision, created) VALUES ('orphan', 1, now())", foreignKey},
		{"INSERT INTO figures VALUES ('kim', 3, 1, '\\x7b7d', now())", foreignKey},
		{"INSERT INTO figures VALUES ('kim', 1, 0, '\\x7b7d', now())", check},
		{"INSERT INTO figures VALUES ('kim', 1, 1, '', now())", check},
		{"INSERT INTO revisions (scenario_id, revision, name, body, created) VALUES ('kim', 0, 'x', '\\x7b7d', now())", check},
	}
	for _, tt := range tests {
		_, err := s.db.Exec(tt.query)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got error %v, want %q", tt.query, err, tt.want)
		}
	}
	if got := countRows(t, s, "revisions", "kim"); got != 2 {
		t.Errorf("got %d revisions, want 2", got)
	}
	if got := mustGetName(t, s, "kim", 1); got != "v1" {
		t.Errorf("revision 1: got name %q, want v1", got)
	}
}

func mustGetName(tb testing.TB, s *Store, id string, revision int) string {
	tb.Helper()
	sc, err := s.Revision(context.Background(), id, revision)
	if err != nil {
		tb.Fatalf("Revision(%q, %d): %v", id, revision, err)
	}
	return sc.Name
}

// TestHiddenRowsKept checks in the database what the contract can only
// say: a deleted scenario's revisions and figures stay, and a refused
// write leaves no row behind.
func TestHiddenRowsKept(t *testing.T) {
	t.Parallel()
	s, _ := openFresh(t)
	ctx := context.Background()
	mustCreate(t, s, "gone", "Gone")
	mustUpdate(t, s, "gone", 1, "Gone v2")
	if err := s.PutFigures(ctx, "gone", 2, store.Figures{Version: 1, Body: json.RawMessage(`{}`)}); err != nil {
		t.Fatal(err)
	}
	mustDelete(t, s, "gone", 2)
	mustCreate(t, s, "kim", "KIM")

	refused := []struct {
		name string
		call func() error
	}{
		{"stale update", func() error { _, err := s.Update(ctx, "kim", 2, "X", body("X")); return err }},
		{"create of a deleted id", func() error { _, err := s.Create(ctx, "gone", "X", body("X")); return err }},
		{"update of a deleted scenario", func() error { _, err := s.Update(ctx, "gone", 2, "X", body("X")); return err }},
		{"delete of a deleted scenario", func() error { return s.Delete(ctx, "gone", 2) }},
		{"figures of a missing revision", func() error {
			return s.PutFigures(ctx, "kim", 2, store.Figures{Version: 1, Body: json.RawMessage(`{}`)})
		}},
		{"figures of a deleted scenario", func() error {
			return s.PutFigures(ctx, "gone", 1, store.Figures{Version: 1, Body: json.RawMessage(`{}`)})
		}},
	}
	for _, tt := range refused {
		if err := tt.call(); err == nil {
			t.Errorf("%s: got no error", tt.name)
		}
	}
	tests := []struct {
		table, id string
		want      int
	}{
		{"revisions", "gone", 2},
		{"figures", "gone", 1},
		{"revisions", "kim", 1},
		{"figures", "kim", 0},
	}
	for _, tt := range tests {
		if got := countRows(t, s, tt.table, tt.id); got != tt.want {
			t.Errorf("rows in %s of %s: got %d, want %d", tt.table, tt.id, got, tt.want)
		}
	}
	var deleted sql.NullTime
	if err := s.db.QueryRow("SELECT deleted_at FROM scenarios WHERE id = 'gone'").Scan(&deleted); err != nil || !deleted.Valid {
		t.Errorf("the deleted scenario's row: got deleted_at %v, %v; want a time", deleted, err)
	}
}

// TestOddText checks what PostgreSQL's text cannot hold: ids and names
// with a NUL byte or invalid UTF-8 are refused as invalid input, and
// reading such an id finds nothing; bodies are bytes and keep anything.
func TestOddText(t *testing.T) {
	t.Parallel()
	s, _ := openFresh(t)
	ctx := context.Background()
	mustCreate(t, s, "kim", "KIM")
	for _, id := range []string{"a\x00b", "\xff\xfe", "kim\x00"} {
		t.Run(fmt.Sprintf("id %q", id), func(t *testing.T) {
			_, err := s.Create(ctx, id, "X", body("X"))
			wantKind(t, err, planner.KindInvalid)
			_, err = s.CreateUnique(ctx, id, "X", body("X"))
			wantKind(t, err, planner.KindInvalid)
			_, err = s.Update(ctx, id, 1, "X", body("X"))
			wantKind(t, err, planner.KindInvalid)
			_, err = s.Get(ctx, id)
			wantKind(t, err, planner.KindNotFound)
			_, err = s.Revision(ctx, id, 1)
			wantKind(t, err, planner.KindNotFound)
			wantKind(t, s.Delete(ctx, id, 1), planner.KindNotFound)
			wantKind(t, s.PutFigures(ctx, id, 1, store.Figures{Version: 1, Body: json.RawMessage(`{}`)}), planner.KindNotFound)
			if got, err := s.UniqueID(ctx, id); err != nil || got != id {
				t.Errorf("UniqueID: got %q, %v; want the id itself", got, err)
			}
		})
	}
	for _, name := range []string{"a\x00b", "\xff"} {
		t.Run(fmt.Sprintf("name %q", name), func(t *testing.T) {
			_, err := s.Create(ctx, "new", name, body("X"))
			wantKind(t, err, planner.KindInvalid)
			_, err = s.Update(ctx, "kim", 1, name, body("X"))
			wantKind(t, err, planner.KindInvalid)
		})
	}
	for _, b := range []json.RawMessage{json.RawMessage("{\"name\":\"a\x00b\"}"), json.RawMessage("{\"name\":\"\xff\"}")} {
		sc, err := s.Update(ctx, "kim", mustGetRevision(t, s, "kim"), "odd body", b)
		if err != nil {
			t.Fatalf("Update with body %q: %v", b, err)
		}
		if got, err := s.Revision(ctx, "kim", sc.Revision); err != nil || string(got.Body) != string(b) {
			t.Errorf("Revision %d: got body %q, %v; want %q", sc.Revision, got.Body, err, b)
		}
	}
}

func mustGetRevision(tb testing.TB, s *Store, id string) int {
	tb.Helper()
	sc, err := s.Get(context.Background(), id)
	if err != nil {
		tb.Fatalf("Get(%q): %v", id, err)
	}
	return sc.Revision
}

// TestFoldTable checks the pairs of grantplan_fold, the search's case
// folding in the database (migrations/0001_init.sql), against the Go that
// runs the test: they are exactly the characters unicode.ToLower changes,
// each with its lower case.
func TestFoldTable(t *testing.T) {
	text, err := migrationFiles.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, function, _ := strings.Cut(string(text), "SELECT translate(t,")
	function, _, _ = strings.Cut(function, "$fold$")
	var from, to strings.Builder
	into := &from
	for _, m := range regexp.MustCompile(`'([^']*)'(,?)`).FindAllStringSubmatch(function, -1) {
		into.WriteString(m[1])
		if m[2] == "," {
			into = &to
		}
	}
	var wantFrom, wantTo strings.Builder
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if utf8.ValidRune(r) && unicode.ToLower(r) != r {
			wantFrom.WriteRune(r)
			wantTo.WriteRune(unicode.ToLower(r))
		}
	}
	if from.String() != wantFrom.String() || to.String() != wantTo.String() {
		t.Errorf("grantplan_fold maps %d characters, and Go's unicode.ToLower (Unicode %s) changes %d, or to other ones: "+
			"a new migration must replace the function and recompute id_folded and name_folded",
			utf8.RuneCountInString(from.String()), unicode.Version, utf8.RuneCountInString(wantFrom.String()))
	}
}

// TestFoldFunction checks grantplan_fold in the database against
// store.Fold, on every character Go knows a lower case of and on mixed
// text: what the migration says is what PostgreSQL does.
func TestFoldFunction(t *testing.T) {
	t.Parallel()
	s, _ := openFresh(t)
	var upper strings.Builder
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if utf8.ValidRune(r) && unicode.ToLower(r) != r {
			upper.WriteRune(r)
		}
	}
	for _, text := range []string{upper.String(), "KÖLN Straße STRAẞE Ǆ ΣΑΣ İ ÅNGSTRÖM 100% ẞ"} {
		var got string
		if err := s.db.QueryRow("SELECT grantplan_fold($1)", text).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := store.Fold(text); got != want {
			in, g, w := []rune(text), []rune(got), []rune(want)
			i := 0
			for i < min(len(g), len(w)) && g[i] == w[i] {
				i++
			}
			t.Errorf("grantplan_fold: %d runes, want %d; first difference at rune %d (%q): got %q, want %q",
				len(g), len(w), i, string(in[i:min(i+1, len(in))]), string(g[i:min(i+1, len(g))]), string(w[i:min(i+1, len(w))]))
		}
	}
}

func TestPoolSettings(t *testing.T) {
	defaults := pool{defaultMaxConns, defaultMaxIdleConns, defaultMaxConnLifetime, defaultMaxConnIdleTime}
	tests := []struct {
		url      string
		wantURL  string
		wantPool pool
		wantErr  string
	}{
		{url: "postgres://u:p@h/db", wantURL: "postgres://u:p@h/db", wantPool: defaults},
		{url: "postgres://u@h/db?sslmode=require", wantURL: "postgres://u@h/db?sslmode=require", wantPool: defaults},
		{
			url:      "postgres://u@h1:5432,h2:5432/db?pool_max_conns=3&sslmode=disable&pool_max_idle_conns=2&pool_max_conn_lifetime=1h&pool_max_conn_idle_time=90s",
			wantURL:  "postgres://u@h1:5432,h2:5432/db?sslmode=disable",
			wantPool: pool{3, 2, time.Hour, 90 * time.Second},
		},
		{url: "postgres://h/db?pool_max_conns=20", wantURL: "postgres://h/db", wantPool: pool{20, defaultMaxIdleConns, defaultMaxConnLifetime, defaultMaxConnIdleTime}},
		{url: "postgres://h/db?pool_max_conns=0", wantErr: `pool_max_conns="0": want a whole number of 1 or more`},
		{url: "postgres://h/db?pool_max_idle_conns=many", wantErr: `pool_max_idle_conns="many"`},
		{url: "postgres://h/db?pool_max_conn_lifetime=30", wantErr: `pool_max_conn_lifetime="30": want a duration such as 30m`},
		{url: "postgres://h/db?pool_max_conn_idle_time=-1m", wantErr: `pool_max_conn_idle_time="-1m"`},
		{url: "postgres://h/db?a=%zz", wantErr: "URL parameters"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			gotURL, gotPool, err := poolSettings(tt.url)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("got error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || gotURL != tt.wantURL || gotPool != tt.wantPool {
				t.Errorf("got %q %+v %v, want %q %+v", gotURL, gotPool, err, tt.wantURL, tt.wantPool)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ url, want string }{
		{"postgres://grantplan:s3cret@db.example:5432/grantplan?sslmode=require", "postgres://grantplan:xxxxx@db.example:5432/grantplan?sslmode=require"},
		{"postgresql://grantplan@db/grantplan", "postgresql://grantplan@db/grantplan"},
		{"postgres://u:p%40ss%2Fw@h/db", "postgres://u:xxxxx@h/db"},
		{"postgres://h/db?user=u&password=s3cret", "postgres://h/db?password=xxxxx&user=u"},
		{"postgres://h/db?sslpassword=s3cret&sslmode=verify-full", "postgres://h/db?sslmode=verify-full&sslpassword=xxxxx"},
		{"postgres://u:s3cret@h1:5432,h2:5432/db", "postgres://u:xxxxx@h1:5432,h2:5432/db"},
		{"postgres://u:s3c ret@[::1/db", "(a database URL that cannot be read)"},
		{"postgres://u:p@h/db?password=%zz", "postgres://u:xxxxx@h/db?(parameters that cannot be read)"},
	}
	for _, tt := range tests {
		got := Redact(tt.url)
		if got != tt.want {
			t.Errorf("Redact(%q): got %q, want %q", tt.url, got, tt.want)
		}
		if strings.Contains(got, "s3c") {
			t.Errorf("Redact(%q): %q shows the password", tt.url, got)
		}
	}
}

// TestSessionSettings checks that every connection has the timeouts,
// and that the URL overrides them and the pool's size.
func TestSessionSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	show := func(s *Store, setting string) string {
		t.Helper()
		var v string
		if err := s.db.QueryRowContext(ctx, "SELECT current_setting($1)", setting).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}

	s := openURL(t, url)
	for setting, want := range map[string]string{
		"statement_timeout":                   "10s",
		"lock_timeout":                        "5s",
		"idle_in_transaction_session_timeout": "1min",
		"application_name":                    "grantplan",
		"TimeZone":                            show(s, "TimeZone"), // left to the server
	} {
		if got := show(s, setting); got != want {
			t.Errorf("%s: got %q, want %q", setting, got, want)
		}
	}
	if got := s.db.Stats().MaxOpenConnections; got != defaultMaxConns {
		t.Errorf("max open connections: got %d, want %d", got, defaultMaxConns)
	}
	// The migrations' connection, which turned the statement timeout
	// off, did not go back to the pool.
	conns := make([]*sql.Conn, defaultMaxConns)
	for i := range conns {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var timeout string
		if err := conn.QueryRowContext(ctx, "SHOW statement_timeout").Scan(&timeout); err != nil || timeout != "10s" {
			t.Errorf("connection %d: statement_timeout %q, %v; want 10s", i, timeout, err)
		}
		conns[i] = conn
	}

	overridden := openURL(t, url+"&statement_timeout=2500ms&application_name=county-a&pool_max_conns=3")
	if got := show(overridden, "statement_timeout"); got != "2500ms" {
		t.Errorf("statement_timeout from the URL: got %q, want 2500ms", got)
	}
	if got := show(overridden, "application_name"); got != "county-a" {
		t.Errorf("application_name from the URL: got %q, want county-a", got)
	}
	if got := overridden.db.Stats().MaxOpenConnections; got != 3 {
		t.Errorf("max open connections from the URL: got %d, want 3", got)
	}
}

// TestNoPasswordInErrors opens with wrong settings: the errors say what
// is wrong and never show the password.
func TestNoPasswordInErrors(t *testing.T) {
	t.Parallel()
	base, err := neturl.Parse(pgtest.BaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	const secret = "Tr0ub4dor-and-3"
	wrongPassword := *base
	wrongPassword.User = neturl.UserPassword(base.User.Username(), secret)
	noServer := wrongPassword
	noServer.Host = "127.0.0.1:1"
	tests := []struct {
		name, url, want string
	}{
		{"wrong password", wrongPassword.String(), "password authentication failed"},
		{"no server", noServer.String(), "connect"},
		{"bad port", "postgres://grantplan:" + secret + "@127.0.0.1:port/grantplan", "cannot parse"},
		{"password parameter", "postgres://127.0.0.1:1/grantplan?password=" + secret + "&connect_timeout=2", "connect"},
		{"bad pool setting", "postgres://grantplan:" + secret + "@127.0.0.1/grantplan?pool_max_conns=x", "pool_max_conns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(context.Background(), tt.url)
			if err == nil {
				s.Close()
				t.Fatal("Open: got no error")
			}
			if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open: got %q, want it to say %q without the password", err, tt.want)
			}
		})
	}
}

// holdRow locks the scenario's row in a transaction of its own, as a
// writer that has not committed yet would, until the test ends or the
// returned function is called.
func holdRow(t *testing.T, url, id string) (release func()) {
	t.Helper()
	tx, err := rawDB(t, url).Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("SELECT 1 FROM scenarios WHERE id = $1 FOR UPDATE", id); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })
	return func() { tx.Rollback() }
}

// TestCanceledWhileWaiting cancels an update that waits for another
// writer's lock: it returns at once with the context's error, PostgreSQL
// stops the statement (rather than leaving it waiting), nothing is
// written, and the store works on.
func TestCanceledWhileWaiting(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	app := "grantplan-test-" + randomSuffix()
	s := openURL(t, url+"&application_name="+app)
	mustCreate(t, s, "kim", "v1")
	release := holdRow(t, url, "kim")

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Update(ctx, "kim", 1, "v2", body("v2"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Update with a 200 ms deadline behind a lock: got %v, want context.DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("Update returned after %v, want soon after its 200 ms deadline", elapsed)
	}
	waiting := -1
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if err := rawDB(t, url).QueryRow(
			"SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", app,
		).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == 0 {
			break
		}
	}
	if waiting != 0 {
		t.Errorf("%d statements of the store still wait for the lock after their context ended", waiting)
	}

	release()
	if got := mustUpdate(t, s, "kim", 1, "v2"); got.Revision != 2 {
		t.Errorf("Update after the lock was released: got revision %d, want 2", got.Revision)
	}
}

// TestTimeouts checks that a write stuck behind another writer's lock
// ends with the lock or statement timeout, writing nothing, as a busy
// store (503 with Retry-After), not a server error.
func TestTimeouts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, params, want string
	}{
		{"lock timeout", "&lock_timeout=200ms", "lock timeout"},
		{"statement timeout", "&lock_timeout=0&statement_timeout=300ms", "statement timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := pgtest.URL(t)
			s := openURL(t, url+tt.params)
			mustCreate(t, s, "kim", "v1")
			release := holdRow(t, url, "kim")
			start := time.Now()
			_, err := s.Update(context.Background(), "kim", 1, "v2", body("v2"))
			if err == nil || !strings.Contains(err.Error(), tt.want) || planner.KindOf(err) != planner.KindUnavailable {
				t.Errorf("Update behind a lock: got %v, want a busy store naming the %s", err, tt.want)
			}
			if elapsed := time.Since(start); elapsed > 3*time.Second {
				t.Errorf("Update returned after %v", elapsed)
			}
			release()
			if got := mustGetRevision(t, s, "kim"); got != 1 {
				t.Errorf("after the timeout: got revision %d, want 1", got)
			}
		})
	}
}

// TestTwoInstances has two stores on one schema, as two grantplan
// instances behind a load balancer: writers with one If-Match spread over
// both give exactly one winner, and each instance sees the other's writes.
func TestTwoInstances(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	a, b := openURL(t, url), openURL(t, url)
	ctx := context.Background()
	mustCreate(t, a, "kim", "v1")

	const writers = 20
	errs := make([]error, writers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range writers {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			<-start
			name := fmt.Sprint("writer ", i)
			_, errs[i] = s.Update(ctx, "kim", 1, name, body(name))
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case planner.KindOf(err) != planner.KindPrecondition:
			t.Errorf("writer %d: got %v, want success or a precondition error", i, err)
		}
	}
	if won != 1 {
		t.Errorf("got %d winners, want 1", won)
	}
	for _, s := range []*Store{a, b} {
		if got := mustGetRevision(t, s, "kim"); got != 2 {
			t.Errorf("got revision %d, want 2 on both instances", got)
		}
	}

	ids := make([]string, writers)
	for i := range writers {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			sc, err := s.CreateUnique(ctx, "copy", "Copy", body("Copy"))
			if err != nil {
				t.Errorf("CreateUnique %d: %v", i, err)
			}
			ids[i] = sc.ID
		})
	}
	wg.Wait()
	slices.Sort(ids)
	if ids = slices.Compact(ids); len(ids) != writers {
		t.Errorf("CreateUnique on two instances: got %d distinct ids, want %d", len(ids), writers)
	}
}

// TestRestart closes the store and opens it again: everything is as it
// was, to the microsecond.
func TestRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	s := openTest(t, url)
	mustCreate(t, s, "kim", "v1")
	mustUpdate(t, s, "kim", 1, "v2")
	mustCreate(t, s, "köln", "Köln")
	mustCreate(t, s, "gone", "Gone")
	mustDelete(t, s, "gone", 1)
	if err := s.PutFigures(ctx, "kim", 2, store.Figures{Version: 1, Body: json.RawMessage(`{"critical":6}`)}); err != nil {
		t.Fatal(err)
	}
	before, _, err := s.List(ctx, store.ListOptions{FiguresVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	revisionsBefore, err := s.Revisions(ctx, "kim")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openURL(t, url)
	after, _, err := s.List(ctx, store.ListOptions{FiguresVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(after, before, equalScenario) {
		t.Errorf("List after a restart: got %+v, want %+v", after, before)
	}
	revisionsAfter, err := s.Revisions(ctx, "kim")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(revisionsAfter, revisionsBefore, func(a, b store.RevisionInfo) bool {
		return a.Revision == b.Revision && a.Name == b.Name && a.Created.Equal(b.Created)
	}) {
		t.Errorf("Revisions after a restart: got %+v, want %+v", revisionsAfter, revisionsBefore)
	}
	_, err = s.Create(ctx, "gone", "Again", body("Again"))
	wantKind(t, err, planner.KindConflict)
}

// equalScenario compares two scenarios, times with Equal and bodies byte
// for byte.
func equalScenario(got, want store.Scenario) bool {
	return got.ID == want.ID && got.Name == want.Name && got.Revision == want.Revision &&
		got.Created.Equal(want.Created) && got.Updated.Equal(want.Updated) &&
		string(got.Body) == string(want.Body) &&
		(got.Figures == nil) == (want.Figures == nil) &&
		(got.Figures == nil || string(got.Figures.Body) == string(want.Figures.Body))
}

// randomSuffix returns a few random letters, to tell this test's
// sessions from those of tests running beside it.
func randomSuffix() string { return strings.ToLower(rand.Text()[:10]) }

// TestCopy copies between two PostgreSQL stores (storetest.RunCopy).
func TestCopy(t *testing.T) {
	t.Parallel()
	pgtest.BaseURL(t)
	open := func(t testing.TB) storetest.CopyStore { return openTest(t, pgtest.URL(t)) }
	storetest.RunCopy(t, open, open)
}

// TestTablesListed checks that the schema has exactly the tables and
// columns store.Tables lists (besides the migrations' record and the
// columns PostgreSQL computes), so that a copy moves everything.
func TestTablesListed(t *testing.T) {
	t.Parallel()
	s, _ := openFresh(t)
	rows, err := s.db.Query(`
		SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name <> $1 AND is_generated = 'NEVER'
		ORDER BY table_name, ordinal_position`, versionTable)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := make(map[string][]string)
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			t.Fatal(err)
		}
		got[table] = append(got[table], column)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := make(map[string][]string)
	for _, table := range store.Tables {
		for _, c := range table.Columns {
			want[table.Name] = append(want[table.Name], c.Name)
		}
	}
	// This backend's own: a revision's checksum.
	want["revisions"] = append(want["revisions"], "checksum")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the schema has tables and columns %v, store.Tables lists %v", got, want)
	}
}

// TestHugeNumbers gives revision numbers and versions beyond PostgreSQL's
// integer: a stale If-Match and missing revisions, as any other number
// that is not there, not an error of the driver.
func TestHugeNumbers(t *testing.T) {
	t.Parallel()
	s, _ := openFresh(t)
	ctx := context.Background()
	mustCreate(t, s, "kim", "KIM")
	const huge = 1 << 40
	_, err := s.Update(ctx, "kim", huge, "X", body("X"))
	wantKind(t, err, planner.KindPrecondition)
	wantKind(t, s.Delete(ctx, "kim", -huge), planner.KindPrecondition)
	_, err = s.Revision(ctx, "kim", huge)
	wantKind(t, err, planner.KindNotFound)
	wantKind(t, s.PutFigures(ctx, "kim", huge, store.Figures{Version: 1, Body: json.RawMessage(`{}`)}), planner.KindNotFound)
	wantKind(t, s.PutFigures(ctx, "kim", 1, store.Figures{Version: huge, Body: json.RawMessage(`{}`)}), planner.KindInvalid)
	page, _, err := s.List(ctx, store.ListOptions{FiguresVersion: huge, Offset: huge, Limit: huge})
	if err != nil || len(page) != 0 {
		t.Errorf("List far beyond the end: got %v, %v", page, err)
	}
	if page, total, err := s.List(ctx, store.ListOptions{FiguresVersion: huge}); err != nil || total != 1 || page[0].Figures != nil {
		t.Errorf("List in figures version 2^40: got %+v (total %d), %v", page, total, err)
	}
	if got := mustGetRevision(t, s, "kim"); got != 1 {
		t.Errorf("got revision %d, want 1", got)
	}
}

// TestReadOnlyDatabase opens the store on a database that takes no writes
// (a standby, or default_transaction_read_only, as here): reads work,
// PingWrite says why writes do not, and a write fails as unavailable
// (503 with Retry-After), not as a server error.
func TestReadOnlyDatabase(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	mustCreate(t, openURL(t, url), "kim", "v1")
	s := openURL(t, url+"&default_transaction_read_only=on")
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
	if got := mustGetRevision(t, s, "kim"); got != 1 {
		t.Errorf("Get: got revision %d, want 1", got)
	}
	for name, err := range map[string]error{
		"PingWrite": s.PingWrite(ctx),
		"Update":    func() error { _, err := s.Update(ctx, "kim", 1, "v2", body("v2")); return err }(),
		"Create":    func() error { _, err := s.Create(ctx, "new", "New", body("New")); return err }(),
	} {
		if planner.KindOf(err) != planner.KindUnavailable || !strings.Contains(err.Error(), "takes no writes") {
			t.Errorf("%s: got %v, want the store read-only", name, err)
		}
	}
}
