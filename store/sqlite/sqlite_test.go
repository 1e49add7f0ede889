package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"grantplan/planner"
	"grantplan/store"
	"grantplan/store/internal/sqlstore"
	"grantplan/store/storetest"
)

// TestConformance holds the SQLite store to the storage contract.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t testing.TB) store.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "grantplan.db"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}

// openTemp opens a store in a new file under t.TempDir and closes it when
// the test ends. A file, not ":memory:": every pooled connection to
// ":memory:" would get its own empty database.
func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "grantplan.db")
	return openPath(t, path), path
}

func openPath(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// body returns a small scenario document; the store does not look inside.
func body(name string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf("{\"name\" : %q,\n  \"start\":\"2021-10-01\", \"positions\": [] }", name))
}

func mustCreate(t testing.TB, s *Store, id, name string) store.Scenario {
	t.Helper()
	sc, err := s.Create(context.Background(), id, name, body(name))
	if err != nil {
		t.Fatalf("Create(%q): %v", id, err)
	}
	return sc
}

func mustUpdate(t testing.TB, s *Store, id string, ifMatch int, name string) store.Scenario {
	t.Helper()
	sc, err := s.Update(context.Background(), id, ifMatch, name, body(name))
	if err != nil {
		t.Fatalf("Update(%q, %d): %v", id, ifMatch, err)
	}
	return sc
}

func mustDelete(t testing.TB, s *Store, id string, ifMatch int) {
	t.Helper()
	if err := s.Delete(context.Background(), id, ifMatch); err != nil {
		t.Fatalf("Delete(%q, %d): %v", id, ifMatch, err)
	}
}

// wantKind fails the test unless err is of the given kind.
func wantKind(t testing.TB, err error, want planner.ErrorKind) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want kind %d", want)
	}
	if got := planner.KindOf(err); got != want {
		t.Fatalf("got error %q of kind %d, want kind %d", err, got, want)
	}
}

// countRows counts the rows of a table for the scenario id, deleted
// scenarios included, to see what is really in the file.
func countRows(t testing.TB, s *Store, table, id string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM "+table+" WHERE scenario_id = ?", id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func userVersion(t testing.TB, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestConnectionSettings(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()

	// Hold several connections at once so the pool has to open more than
	// one; each must have the settings from the DSN.
	var conns []*sql.Conn
	for i := range 3 {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		for _, tt := range []struct {
			pragma string
			want   string
		}{
			{"foreign_keys", "1"},
			{"busy_timeout", "5000"},
			{"journal_mode", "wal"},
			{"synchronous", "2"}, // FULL
		} {
			var got string
			if err := conn.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("connection %d: PRAGMA %s: got %s, want %s", i, tt.pragma, got, tt.want)
			}
		}
		// The search's case folding is there on every connection.
		var folded string
		if err := conn.QueryRowContext(ctx, "SELECT "+foldFunction+"('ÄÖÜ Straße KIM')").Scan(&folded); err != nil {
			t.Fatal(err)
		}
		if folded != "äöü straße kim" {
			t.Errorf("connection %d: %s: got %q", i, foldFunction, folded)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestMigrationsNumbered(t *testing.T) {
	migrations, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(migrations) < 2 {
		t.Fatalf("got %d migrations, want the schema and the figures", len(migrations))
	}
	for i, m := range migrations {
		if m.Version != i+1 {
			t.Errorf("migration %s: got version %d, want %d", m.Name, m.Version, i+1)
		}
	}
	s, _ := openTemp(t)
	if got, want := userVersion(t, s.db), len(migrations); got != want {
		t.Errorf("user_version: got %d, want %d", got, want)
	}
}

// TestMigrateOnce adds a migration that counts its runs and opens the file
// twice: the second Open must run nothing.
func TestMigrateOnce(t *testing.T) {
	ctx := context.Background()
	migrations, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	counting := append(slices.Clone(migrations), sqlstore.Migration{
		Version: len(migrations) + 1,
		Name:    "counting.sql",
		SQL: `CREATE TABLE IF NOT EXISTS runs (n INTEGER);
		      INSERT INTO runs VALUES (1);`,
	})
	path := filepath.Join(t.TempDir(), "grantplan.db")
	for range 2 {
		s, err := open(ctx, path, counting, Options{})
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
		if got, want := userVersion(t, s.db), len(counting); got != want {
			t.Errorf("user_version: got %d, want %d", got, want)
		}
		s.Close()
	}
}

// TestMigrationFailure checks that a failing migration leaves neither its
// first statements nor a raised user_version behind.
func TestMigrationFailure(t *testing.T) {
	ctx := context.Background()
	migrations, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	broken := append(slices.Clone(migrations), sqlstore.Migration{
		Version: len(migrations) + 1,
		Name:    "broken.sql",
		SQL:     "CREATE TABLE half (n INTEGER); INSERT INTO nowhere VALUES (1);",
	})
	path := filepath.Join(t.TempDir(), "grantplan.db")
	if s, err := open(ctx, path, broken, Options{}); err == nil {
		s.Close()
		t.Fatal("open with a broken migration: got no error")
	}
	s := openPath(t, path)
	if got, want := userVersion(t, s.db), len(migrations); got != want {
		t.Errorf("user_version: got %d, want %d", got, want)
	}
	var tables int
	if err := s.db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'half'").Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Error("the failed migration's table exists")
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s, path := openTemp(t)
	if _, err := s.db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(context.Background(), path)
	if err == nil {
		s2.Close()
		t.Fatal("Open of a newer schema: got no error")
	}
	if !strings.Contains(err.Error(), "schema version 999 is newer") {
		t.Errorf("Open of a newer schema: got %q, want it to say so", err)
	}
}

func TestPathNeedingEscapes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a dir?with#odd%20chars")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "grantplan.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	mustCreate(t, s, "a", "A")
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the database is not at the path given: %v", err)
	}
}

// TestOddBytes checks that SQLite keeps what other backends may refuse:
// ids and bodies with NUL bytes or invalid UTF-8, byte for byte.
func TestOddBytes(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	tests := []struct {
		name string
		id   string
		body json.RawMessage
	}{
		{"NUL in id", "a\x00b", body("NUL")},
		{"invalid UTF-8", "\xff\xfe", json.RawMessage("{\"name\":\"\xff\"}")},
		{"NUL in body", "nul-body", json.RawMessage("{\"name\":\"a\x00b\"}")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			created, err := s.Create(ctx, tt.id, tt.name, tt.body)
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			got, err := s.Get(ctx, tt.id)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if got.ID != tt.id || string(got.Body) != string(tt.body) || got.Revision != created.Revision {
				t.Errorf("Get: got %q %q, want %q %q", got.ID, got.Body, tt.id, tt.body)
			}
		})
	}
}

// TestHiddenRowsKept checks in the file what the contract can only say:
// a deleted scenario's revisions and figures stay, and a refused write
// leaves no row behind.
func TestHiddenRowsKept(t *testing.T) {
	s, _ := openTemp(t)
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
		{"figures of a missing revision", func() error {
			return s.PutFigures(ctx, "kim", 2, store.Figures{Version: 1, Body: json.RawMessage(`{}`)})
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
}

// TestAppendOnly checks that the schema itself refuses to rewrite history,
// whoever asks.
func TestAppendOnly(t *testing.T) {
	s, _ := openTemp(t)
	mustCreate(t, s, "kim", "v1")
	mustUpdate(t, s, "kim", 1, "v2")
	mustCreate(t, s, "gone", "Gone")
	mustDelete(t, s, "gone", 1)
	if err := s.AppendAudit(context.Background(), store.AuditEntry{Time: time.Now(), Actor: "anna", Action: "login"}); err != nil {
		t.Fatal(err)
	}

	const (
		appendOnly      = "revisions are append-only"
		auditAppendOnly = "the audit log is append-only"
		softDelete      = "scenarios are deleted by setting deleted_at"
		forward         = "a scenario only advances one revision or is deleted"
		foreignKey      = "FOREIGN KEY constraint failed"
		check           = "CHECK constraint failed"
	)
	tests := []struct {
		query string
		want  string
	}{
		{"UPDATE revisions SET body = x'7b7d' WHERE scenario_id = 'kim'", appendOnly},
		{"DELETE FROM revisions WHERE scenario_id = 'kim'", appendOnly},
		{"DELETE FROM scenarios WHERE id = 'kim'", softDelete},
		{"UPDATE scenarios SET revision = 1 WHERE id = 'kim'", forward},
		{"UPDATE scenarios SET revision = 5 WHERE id = 'kim'", forward},
		{"UPDATE scenarios SET created = '2000-01-01T00:00:00Z' WHERE id = 'kim'", forward},
		{"UPDATE scenarios SET deleted_at = NULL, revision = 2 WHERE id = 'gone'", forward},
		{"UPDATE scenarios SET deleted_at = '2030-01-01T00:00:00Z' WHERE id = 'gone'", forward},
		{"INSERT INTO revisions (scenario_id, revision, name, body, created) VALUES ('nobody', 1, 'x', x'7b7d', '2021-01-01T00:00:00Z')", foreignKey},
		{"UPDATE revisions SET checksum = zeroblob(32) WHERE scenario_id = 'kim'", appendOnly},
		{"UPDATE revisions SET encoding = 1 WHERE scenario_id = 'kim'", appendOnly},
		{"UPDATE revisions SET author = 'mallory' WHERE scenario_id = 'kim'", appendOnly},
		{"UPDATE audit SET actor = 'mallory'", auditAppendOnly},
		{"DELETE FROM audit", auditAppendOnly},
		{"INSERT INTO scenarios (id, revision, created) VALUES ('orphan', 1, '2021-01-01T00:00:00Z')", foreignKey},
		{"INSERT INTO figures VALUES ('kim', 3, 1, x'7b7d', '2021-01-01T00:00:00Z')", foreignKey},
		{"INSERT INTO figures VALUES ('kim', 1, 0, x'7b7d', '2021-01-01T00:00:00Z')", check},
		{"INSERT INTO figures VALUES ('kim', 1, 1, x'', '2021-01-01T00:00:00Z')", check},
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
}

// equalScenario compares two scenarios, times with Equal and bodies byte
// for byte.
func equalScenario(got, want store.Scenario) bool {
	return got.ID == want.ID && got.Name == want.Name && got.Revision == want.Revision &&
		got.Created.Equal(want.Created) && got.Updated.Equal(want.Updated) &&
		string(got.Body) == string(want.Body)
}

// TestRestart closes the file and opens it again: everything is as it was.
func TestRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "grantplan.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, "kim", "v1")
	want := mustUpdate(t, s, "kim", 1, "v2")
	mustCreate(t, s, "gone", "Gone")
	mustDelete(t, s, "gone", 1)
	figures := store.Figures{Version: 1, Body: json.RawMessage(`{"critical":1}`)}
	if err := s.PutFigures(ctx, "kim", 2, figures); err != nil {
		t.Fatal(err)
	}
	wantVersion := userVersion(t, s.db)
	wantList, _, err := s.List(ctx, store.ListOptions{FiguresVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = openPath(t, path)
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
	if got := userVersion(t, s.db); got != wantVersion {
		t.Errorf("user_version: got %d, want %d", got, wantVersion)
	}
	got, err := s.Get(ctx, "kim")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if !equalScenario(got, want) {
		t.Errorf("Get: got %+v, want %+v", got, want)
	}
	gotList, _, err := s.List(ctx, store.ListOptions{FiguresVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(gotList, wantList, equalScenario) || len(gotList) != 1 ||
		gotList[0].Figures == nil || string(gotList[0].Figures.Body) != string(figures.Body) {
		t.Errorf("List: got %+v, want %+v", gotList, wantList)
	}
	old, err := s.Revision(ctx, "kim", 1)
	if err != nil || old.Name != "v1" {
		t.Errorf("Revision 1: got %q, %v; want v1", old.Name, err)
	}
	_, err = s.Get(ctx, "gone")
	wantKind(t, err, planner.KindNotFound)
	_, err = s.Create(ctx, "gone", "Gone", body("Gone"))
	wantKind(t, err, planner.KindConflict)
	if _, err := s.Update(ctx, "kim", 2, "v3", body("v3")); err != nil {
		t.Errorf("Update after restart: %v", err)
	}
}

// sha256Hex is the SHA-256 of b in hex.
func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// copyFile copies the file at from to a new file at to.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestSchemaVersion1 opens testdata/grantplan-v1.db, a file that the
// program wrote before the figures table existed (schema version 1, by
// the store of commit 7f1cea9): a
// demo with two revisions, a scenario with umlauts, a deleted scenario and
// a copy of the demo. The new program migrates it and keeps every
// revision, deletion and time as it was, and it works on from there.
func TestSchemaVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "grantplan.db")
	copyFile(t, filepath.Join("testdata", "grantplan-v1.db"), path)
	s := openPath(t, path)

	migrations, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := userVersion(t, s.db), len(migrations); got != want {
		t.Errorf("user_version after Open: got %d, want %d", got, want)
	}
	const demo = "kim-siegen-wittgenstein"
	page, total, err := s.List(ctx, store.ListOptions{FiguresVersion: 1})
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	type entry struct {
		id, name string
		revision int
		created  string
	}
	var got []entry
	for _, sc := range page {
		got = append(got, entry{sc.ID, sc.Name, sc.Revision, sc.Created.Format(time.RFC3339Nano)})
		if sc.Figures != nil {
			t.Errorf("List: %s has figures before any were stored", sc.ID)
		}
	}
	want := []entry{
		{demo, "KIM Siegen-Wittgenstein, revised", 2, "2026-11-30T10:36:36.658839409Z"},
		{demo + "-2", "Copy", 1, "2026-11-30T10:36:36.660193268Z"},
		{"märkischer-kreis", "Märkischer Kreis – Straßenbau", 1, "2026-11-30T10:36:36.659446549Z"},
	}
	if !slices.Equal(got, want) || total != 3 {
		t.Errorf("List: got %v (total %d), want %v", got, total, want)
	}

	revisions := []struct {
		id       string
		revision int
		name     string
		sha256   string
		updated  string
	}{
		{demo, 1, "KIM Kreis Siegen-Wittgenstein 2021", "0f3fc0dc9662aeba7b968e11bb721a14c2091c44bb8afa0054523c36f856b202", "2026-11-30T10:36:36.658839409Z"},
		{demo, 2, "KIM Siegen-Wittgenstein, revised", sha256Hex([]byte(`{"name": "KIM Siegen-Wittgenstein, revised",  "start":"2021-10-01"}`)), "2026-11-30T10:36:36.659171236Z"},
		{"märkischer-kreis", 1, "Märkischer Kreis – Straßenbau", sha256Hex([]byte("{ \"name\":\"Märkischer Kreis – Straßenbau\" ,\r\n\t\"x\" : 1.50 }")), "2026-11-30T10:36:36.659446549Z"},
	}
	for _, r := range revisions {
		sc, err := s.Revision(ctx, r.id, r.revision)
		if err != nil {
			t.Errorf("Revision(%s, %d): %v", r.id, r.revision, err)
			continue
		}
		if sc.Name != r.name || sha256Hex(sc.Body) != r.sha256 || sc.Updated.Format(time.RFC3339Nano) != r.updated {
			t.Errorf("Revision(%s, %d): got %q, body sha256 %s, updated %s; want %q, %s, %s",
				r.id, r.revision, sc.Name, sha256Hex(sc.Body), sc.Updated.Format(time.RFC3339Nano), r.name, r.sha256, r.updated)
		}
	}

	// The deleted scenario stays deleted, and its id taken.
	_, err = s.Get(ctx, "gone")
	wantKind(t, err, planner.KindNotFound)
	if id, err := s.UniqueID(ctx, "gone"); err != nil || id != "gone-2" {
		t.Errorf("UniqueID(gone): got %q, %v; want gone-2", id, err)
	}
	if id, err := s.UniqueID(ctx, demo); err != nil || id != demo+"-3" {
		t.Errorf("UniqueID(%s): got %q, %v; want %s-3", demo, id, err, demo)
	}

	// It works on: a stale write is refused, a current one appends, and
	// figures can be stored for old and new revisions.
	_, err = s.Update(ctx, demo, 1, "stale", body("stale"))
	wantKind(t, err, planner.KindPrecondition)
	third := mustUpdate(t, s, demo, 2, "KIM v3")
	if third.Revision != 3 || third.Created.Format(time.RFC3339Nano) != "2026-11-30T10:36:36.658839409Z" {
		t.Errorf("Update: got revision %d created %v, want 3 and the stored creation time", third.Revision, third.Created)
	}
	for _, revision := range []int{1, 3} {
		if err := s.PutFigures(ctx, demo, revision, store.Figures{Version: 1, Body: json.RawMessage(fmt.Sprint(revision))}); err != nil {
			t.Errorf("PutFigures(%d): %v", revision, err)
		}
	}
	page, _, err = s.List(ctx, store.ListOptions{Query: "kim v3", FiguresVersion: 1})
	if err != nil || len(page) != 1 || page[0].Figures == nil || string(page[0].Figures.Body) != "3" {
		t.Errorf("List(kim v3): got %+v, %v; want the demo with figures 3", page, err)
	}
	_, err = s.Create(ctx, "gone", "Gone", body("Gone"))
	wantKind(t, err, planner.KindConflict)
}

// TestSchemaFromFile builds a version 1 database from its migration file
// alone, with rows written by plain SQL the way the first program wrote
// them, and opens it: TestSchemaVersion1 checks one file, this one the
// schema as the migration defines it.
func TestSchemaFromFile(t *testing.T) {
	ctx := context.Background()
	migrations, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "grantplan.db")
	v1, err := open(ctx, path, migrations[:1], Options{})
	if err != nil {
		t.Fatalf("open at version 1: %v", err)
	}
	if _, err := v1.db.Exec(`
		BEGIN;
		INSERT INTO scenarios (id, revision, created) VALUES ('a', 1, '2021-10-01T08:00:00.000000000Z');
		INSERT INTO revisions VALUES ('a', 1, 'A', CAST('{"name":"A"}' AS BLOB), '2021-10-01T08:00:00.000000000Z');
		INSERT INTO scenarios (id, revision, created) VALUES ('b', 1, '2021-10-02T08:00:00.000000000Z');
		INSERT INTO revisions VALUES ('b', 1, 'B', CAST('{"name":"B"}' AS BLOB), '2021-10-02T08:00:00.000000000Z');
		UPDATE scenarios SET deleted_at = '2021-10-03T08:00:00.000000000Z' WHERE id = 'b';
		COMMIT;`); err != nil {
		t.Fatal(err)
	}
	if got := userVersion(t, v1.db); got != 1 {
		t.Fatalf("user_version: got %d, want 1", got)
	}
	v1.Close()

	s := openPath(t, path)
	if got, want := userVersion(t, s.db), len(migrations); got != want {
		t.Errorf("user_version: got %d, want %d", got, want)
	}
	sc, err := s.Get(ctx, "a")
	if err != nil || sc.Name != "A" || string(sc.Body) != `{"name":"A"}` || sc.Created.Day() != 1 {
		t.Errorf("Get(a): got %+v, %v", sc, err)
	}
	_, err = s.Get(ctx, "b")
	wantKind(t, err, planner.KindNotFound)
	if err := s.PutFigures(ctx, "a", 1, store.Figures{Version: 1, Body: json.RawMessage(`{}`)}); err != nil {
		t.Errorf("PutFigures: %v", err)
	}
	mustUpdate(t, s, "a", 1, "A v2")
}

// BenchmarkStore runs the storage benchmarks on SQLite (storetest.Bench).
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(t testing.TB) store.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "grantplan.db"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}

// TestCopy copies between two SQLite stores (storetest.RunCopy).
func TestCopy(t *testing.T) {
	open := func(t testing.TB) storetest.CopyStore {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "grantplan.db"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	}
	storetest.RunCopy(t, open, open)
}

// TestTablesListed checks that the file has exactly the tables and
// columns store.Tables lists, so that a copy moves everything.
func TestTablesListed(t *testing.T) {
	s, _ := openTemp(t)
	got := make(map[string][]string)
	// SQLite's own tables (sqlite_sequence, which AUTOINCREMENT keeps)
	// are not the store's.
	rows, err := s.db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	rows.Close()
	for _, name := range names {
		columns, err := s.db.Query("SELECT name FROM pragma_table_info(?) ORDER BY cid", name)
		if err != nil {
			t.Fatal(err)
		}
		for columns.Next() {
			var column string
			if err := columns.Scan(&column); err != nil {
				t.Fatal(err)
			}
			got[name] = append(got[name], column)
		}
		columns.Close()
	}
	want := make(map[string][]string)
	for _, table := range store.Tables {
		for _, c := range table.Columns {
			want[table.Name] = append(want[table.Name], c.Name)
		}
	}
	// This backend's own: a revision's checksum and how its body is
	// stored, which Copy does not move (tables.go derives them).
	want["revisions"] = append(want["revisions"], "checksum", "encoding")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the schema has tables and columns %v, store.Tables lists %v", got, want)
	}
}

// TestBackupWhileWriting backs the store up while a writer appends
// revisions and creates scenarios: each backup is a whole, consistent
// store (every scenario's revisions 1..current, with their bodies), taken
// at some moment between the first and the last write.
func TestBackupWhileWriting(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	mustCreate(t, s, "kim", "revision 1")
	dir := t.TempDir()

	done := make(chan struct{})
	written := make(chan int, 1)
	go func() {
		revision := 1
		defer func() { written <- revision }()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
			}
			name := fmt.Sprint("revision ", revision+1)
			if _, err := s.Update(ctx, "kim", revision, name, body(name)); err != nil {
				t.Errorf("Update: %v", err)
				return
			}
			revision++
			if i%5 == 0 {
				mustCreate(t, s, fmt.Sprintf("new-%03d", i), "new")
			}
		}
	}()

	var backups []string
	for i := range 5 {
		to := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		info, err := Backup(ctx, path, to)
		if err != nil {
			t.Fatalf("Backup: %v", err)
		}
		if info.Revisions < info.Scenarios || info.Bytes == 0 {
			t.Errorf("Backup %d: got %+v", i, info)
		}
		backups = append(backups, to)
		time.Sleep(20 * time.Millisecond)
	}
	close(done)
	last := <-written

	seen := 0
	for _, to := range backups {
		b := openPath(t, to)
		sc, err := b.Get(ctx, "kim")
		if err != nil {
			t.Fatalf("%s: Get: %v", to, err)
		}
		if sc.Revision < seen || sc.Revision > last || sc.Name != fmt.Sprint("revision ", sc.Revision) ||
			string(sc.Body) != string(body(sc.Name)) {
			t.Errorf("%s: got revision %d %q, want one between %d and %d with its own name and body", to, sc.Revision, sc.Name, seen, last)
		}
		seen = sc.Revision
		t.Logf("%s: revision %d (the writer stopped at %d)", filepath.Base(to), sc.Revision, last)
		infos, err := b.Revisions(ctx, "kim")
		if err != nil || len(infos) != sc.Revision {
			t.Errorf("%s: got %d revisions (%v), want %d", to, len(infos), err, sc.Revision)
		}
		var problems int
		if err := b.db.QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&problems); err != nil || problems != 0 {
			t.Errorf("%s: %d foreign key problems (%v)", to, problems, err)
		}
		matches, _ := filepath.Glob(filepath.Join(dir, ".*partial*"))
		if len(matches) > 0 {
			t.Errorf("temporary files left: %v", matches)
		}
	}
	if seen < 2 {
		t.Errorf("the last backup has revision %d: the writer did not get going", seen)
	}
}

func TestBackupRefuses(t *testing.T) {
	_, path := openTemp(t)
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, from, to, want string
	}{
		{"existing output", path, existing, "exists; a backup goes to a new file"},
		{"missing database", filepath.Join(dir, "missing.db"), filepath.Join(dir, "b.db"), "no such file"},
		{"missing directory", path, filepath.Join(dir, "no", "b.db"), "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Backup(context.Background(), tt.from, tt.to)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
	if got, _ := os.ReadFile(existing); string(got) != "keep me" {
		t.Errorf("the existing file changed: %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("a backup of a missing database created it")
	}
}

// TestFilesOwnerOnly: a new database, its write-ahead log and a backup
// are readable by their owner only, whatever the umask: they hold the
// password hashes and the server's secret that signs the CSRF tokens.
func TestFilesOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "grantplan.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Create(context.Background(), "a", "A", []byte(`{"name":"A"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := Backup(context.Background(), path, filepath.Join(dir, "backup.db")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"grantplan.db", "grantplan.db-wal", "grantplan.db-shm", "backup.db"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s: got mode %v, want no access but the owner's", name, perm)
		}
	}
}
