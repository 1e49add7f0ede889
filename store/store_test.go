package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"grantplan/planner"
)

// openTemp opens a store in a new file under t.TempDir and closes it when
// the test ends. A file, not ":memory:": every pooled connection to
// ":memory:" would get its own empty database.
func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "grantplan.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, path
}

// body returns a small scenario document. The store does not look inside,
// so it need not be a valid scenario; the spacing and key order are there
// to show that the bytes come back exactly.
func body(name string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf("{\"name\" : %q,\n  \"start\":\"2021-10-01\", \"positions\": [] }", name))
}

func mustCreate(t testing.TB, s *Store, id, name string) Scenario {
	t.Helper()
	sc, err := s.Create(context.Background(), id, name, body(name))
	if err != nil {
		t.Fatalf("Create(%q): %v", id, err)
	}
	return sc
}

func mustUpdate(t testing.TB, s *Store, id string, ifMatch int, name string) Scenario {
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

// countRevisions counts the rows in the revisions table, deleted scenarios
// included, to see what is really in the file.
func countRevisions(t testing.TB, s *Store, id string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM revisions WHERE scenario_id = ?", id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func userVersion(t testing.TB, s *Store) int {
	t.Helper()
	var v int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// equalScenario compares two scenarios, times with Equal and bodies byte
// for byte.
func equalScenario(got, want Scenario) bool {
	return got.ID == want.ID && got.Name == want.Name && got.Revision == want.Revision &&
		got.Created.Equal(want.Created) && got.Updated.Equal(want.Updated) &&
		string(got.Body) == string(want.Body)
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
	if len(migrations) == 0 {
		t.Fatal("got no migrations")
	}
	for i, m := range migrations {
		if m.version != i+1 {
			t.Errorf("migration %s: got version %d, want %d", m.name, m.version, i+1)
		}
	}
	s, _ := openTemp(t)
	if got, want := userVersion(t, s), len(migrations); got != want {
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
	counting := append(slices.Clone(migrations), migration{
		version: len(migrations) + 1,
		name:    "counting.sql",
		sql: `CREATE TABLE IF NOT EXISTS runs (n INTEGER);
		      INSERT INTO runs VALUES (1);`,
	})
	path := filepath.Join(t.TempDir(), "grantplan.db")
	for range 2 {
		s, err := open(ctx, path, counting)
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
		if got, want := userVersion(t, s), len(counting); got != want {
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
	broken := append(slices.Clone(migrations), migration{
		version: len(migrations) + 1,
		name:    "broken.sql",
		sql:     "CREATE TABLE half (n INTEGER); INSERT INTO nowhere VALUES (1);",
	})
	path := filepath.Join(t.TempDir(), "grantplan.db")
	if s, err := open(ctx, path, broken); err == nil {
		s.Close()
		t.Fatal("open with a broken migration: got no error")
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after a failed migration: %v", err)
	}
	defer s.Close()
	if got, want := userVersion(t, s), len(migrations); got != want {
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
	if s2, err := Open(context.Background(), path); err == nil {
		s2.Close()
		t.Fatal("Open of a newer schema: got no error")
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

func TestCreateGet(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	before := time.Now()

	tests := []struct {
		name string
		id   string
		body json.RawMessage
	}{
		{"plain", "kim-siegen-wittgenstein", body("KIM Siegen-Wittgenstein")},
		{"unicode and spacing", "märkischer-kreis", json.RawMessage("{ \"name\":\"Märkischer Kreis – Ü\" ,\r\n\t\"x\" : 1.50 }")},
		{"quote in id", "o'brien", body("O'Brien")},
		{"like wildcards in id", "100%_sure", body("sure")},
		{"duplicate keys kept", "dup", json.RawMessage(`{"name":"a","name":"b"}`)},
		{"NUL in id", "a\x00b", body("NUL")},
		{"invalid UTF-8", "\xff\xfe", json.RawMessage("{\"name\":\"\xff\"}")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			created, err := s.Create(ctx, tt.id, tt.name, tt.body)
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			if created.ID != tt.id || created.Name != tt.name || created.Revision != 1 {
				t.Errorf("Create: got %s %q revision %d, want %s %q revision 1",
					created.ID, created.Name, created.Revision, tt.id, tt.name)
			}
			if created.Created.Location() != time.UTC || created.Created.Before(before) || !created.Updated.Equal(created.Created) {
				t.Errorf("Create: got created %v, updated %v; want both the same UTC time after %v",
					created.Created, created.Updated, before)
			}
			got, err := s.Get(ctx, tt.id)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if string(got.Body) != string(tt.body) {
				t.Errorf("Get: got body %q, want %q", got.Body, tt.body)
			}
			if got.Created.Location() != time.UTC {
				t.Errorf("Get: got created in %v, want UTC", got.Created.Location())
			}
			if !equalScenario(got, created) {
				t.Errorf("Get: got %+v, want %+v", got, created)
			}
		})
	}
}

func TestCreateConflict(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	mustCreate(t, s, "live", "Live")
	mustCreate(t, s, "gone", "Gone")
	mustDelete(t, s, "gone", 1)

	for _, id := range []string{"live", "gone"} {
		t.Run(id, func(t *testing.T) {
			_, err := s.Create(ctx, id, "Again", body("Again"))
			wantKind(t, err, planner.KindConflict)
			if got := countRevisions(t, s, id); got != 1 {
				t.Errorf("got %d revisions of %s, want 1", got, id)
			}
		})
	}
}

func TestInvalidInput(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	mustCreate(t, s, "a", "A")

	tests := []struct {
		name string
		call func() error
	}{
		{"create with empty id", func() error { _, err := s.Create(ctx, "", "X", body("X")); return err }},
		{"create with nil body", func() error { _, err := s.Create(ctx, "b", "X", nil); return err }},
		{"create with empty body", func() error { _, err := s.Create(ctx, "b", "X", json.RawMessage{}); return err }},
		{"update with nil body", func() error { _, err := s.Update(ctx, "a", 1, "X", nil); return err }},
		{"unique id of empty base", func() error { _, err := s.UniqueID(ctx, ""); return err }},
		{"create unique with empty base", func() error { _, err := s.CreateUnique(ctx, "", "X", body("X")); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantKind(t, tt.call(), planner.KindInvalid)
		})
	}
	if got, err := s.Get(ctx, "a"); err != nil || got.Revision != 1 {
		t.Errorf("Get after invalid calls: got revision %d, %v; want 1, nil", got.Revision, err)
	}
}

func TestList(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()

	list, err := s.List(ctx)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if list == nil || len(list) != 0 {
		t.Errorf("List of an empty store: got %#v, want an empty non-nil slice", list)
	}

	mustCreate(t, s, "c", "C")
	mustCreate(t, s, "a", "A")
	mustCreate(t, s, "b", "B")
	mustCreate(t, s, "B", "upper B") // sorts before lower case, by bytes
	mustUpdate(t, s, "c", 1, "C renamed")
	mustDelete(t, s, "b", 1)

	list, err = s.List(ctx)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	type entry struct {
		id       string
		name     string
		revision int
	}
	want := []entry{{"B", "upper B", 1}, {"a", "A", 1}, {"c", "C renamed", 2}}
	var got []entry
	for _, sc := range list {
		got = append(got, entry{sc.ID, sc.Name, sc.Revision})
		if sc.Created.IsZero() || sc.Updated.Before(sc.Created) {
			t.Errorf("List: %s: got created %v, updated %v", sc.ID, sc.Created, sc.Updated)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("List: got %v, want %v", got, want)
	}
}

func TestUpdateRevisions(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()

	first := mustCreate(t, s, "kim", "KIM v1")
	second := mustUpdate(t, s, "kim", 1, "KIM v2")
	third := mustUpdate(t, s, "kim", 2, "KIM v3")
	if third.Revision != 3 || !third.Created.Equal(first.Created) || third.Updated.Before(second.Updated) {
		t.Errorf("Update: got revision %d created %v updated %v; want 3, %v, not before %v",
			third.Revision, third.Created, third.Updated, first.Created, second.Updated)
	}

	got, err := s.Get(ctx, "kim")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if !equalScenario(got, third) {
		t.Errorf("Get: got %+v, want %+v", got, third)
	}

	infos, err := s.Revisions(ctx, "kim")
	if err != nil {
		t.Fatalf("Revisions: %v", err)
	}
	wantInfos := []RevisionInfo{
		{1, "KIM v1", first.Updated},
		{2, "KIM v2", second.Updated},
		{3, "KIM v3", third.Updated},
	}
	if !slices.EqualFunc(infos, wantInfos, func(a, b RevisionInfo) bool {
		return a.Revision == b.Revision && a.Name == b.Name && a.Created.Equal(b.Created)
	}) {
		t.Errorf("Revisions: got %+v, want %+v", infos, wantInfos)
	}

	for _, want := range []Scenario{first, second, third} {
		got, err := s.Revision(ctx, "kim", want.Revision)
		if err != nil {
			t.Fatalf("Revision(%d): %v", want.Revision, err)
		}
		// Created is the scenario's, Updated the revision's.
		want.Created = first.Created
		if !equalScenario(got, want) {
			t.Errorf("Revision(%d): got %+v, want %+v", want.Revision, got, want)
		}
	}

	// Restoring is an Update with an old revision's body: it appends.
	old, err := s.Revision(ctx, "kim", 1)
	if err != nil {
		t.Fatal(err)
	}
	restored, err := s.Update(ctx, "kim", 3, old.Name, old.Body)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if restored.Revision != 4 || string(restored.Body) != string(first.Body) {
		t.Errorf("restore: got revision %d body %q, want 4, %q", restored.Revision, restored.Body, first.Body)
	}
	if got := countRevisions(t, s, "kim"); got != 4 {
		t.Errorf("got %d revisions, want 4", got)
	}
}

func TestStaleIfMatch(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	mustCreate(t, s, "kim", "v1")
	want := mustUpdate(t, s, "kim", 1, "v2")

	for _, ifMatch := range []int{-1, 0, 1, 3, 100} {
		t.Run(fmt.Sprint(ifMatch), func(t *testing.T) {
			_, err := s.Update(ctx, "kim", ifMatch, "stale", body("stale"))
			wantKind(t, err, planner.KindPrecondition)
			wantKind(t, s.Delete(ctx, "kim", ifMatch), planner.KindPrecondition)

			got, err := s.Get(ctx, "kim")
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if !equalScenario(got, want) {
				t.Errorf("Get: got %+v, want %+v", got, want)
			}
			if n := countRevisions(t, s, "kim"); n != 2 {
				t.Errorf("got %d revisions, want 2", n)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	mustCreate(t, s, "live", "Live")
	mustCreate(t, s, "gone", "Gone")
	mustUpdate(t, s, "gone", 1, "Gone v2")
	mustDelete(t, s, "gone", 2)

	calls := []struct {
		name string
		call func(id string) error
	}{
		{"Get", func(id string) error { _, err := s.Get(ctx, id); return err }},
		{"Update", func(id string) error { _, err := s.Update(ctx, id, 2, "X", body("X")); return err }},
		{"Delete", func(id string) error { return s.Delete(ctx, id, 2) }},
		{"Revisions", func(id string) error { _, err := s.Revisions(ctx, id); return err }},
		{"Revision", func(id string) error { _, err := s.Revision(ctx, id, 1); return err }},
	}
	for _, id := range []string{"unknown", "gone"} {
		for _, c := range calls {
			t.Run(c.name+"/"+id, func(t *testing.T) {
				wantKind(t, c.call(id), planner.KindNotFound)
			})
		}
	}
	for _, revision := range []int{-1, 0, 2} {
		t.Run(fmt.Sprint("Revision/live/", revision), func(t *testing.T) {
			_, err := s.Revision(ctx, "live", revision)
			wantKind(t, err, planner.KindNotFound)
		})
	}

	list, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != "live" {
		t.Errorf("List: got %+v, want only live", list)
	}
	// Deleted, but its revisions are kept for the audit trail.
	if got := countRevisions(t, s, "gone"); got != 2 {
		t.Errorf("revisions of the deleted scenario: got %d, want 2", got)
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

	const (
		appendOnly = "revisions are append-only"
		softDelete = "scenarios are deleted by setting deleted_at"
		forward    = "a scenario only advances one revision or is deleted"
		foreignKey = "FOREIGN KEY constraint failed"
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
		{"UPDATE scenarios SET deleted_at = NULL WHERE id = 'gone'", forward},
		{"INSERT INTO revisions VALUES ('nobody', 1, 'x', x'7b7d', '2021-01-01T00:00:00Z')", foreignKey},
		{"INSERT INTO scenarios (id, revision, created) VALUES ('orphan', 1, '2021-01-01T00:00:00Z')", foreignKey},
	}
	for _, tt := range tests {
		_, err := s.db.Exec(tt.query)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got error %v, want %q", tt.query, err, tt.want)
		}
	}
	if got := countRevisions(t, s, "kim"); got != 2 {
		t.Errorf("got %d revisions, want 2", got)
	}
}

func TestUniqueID(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	for _, id := range []string{"kim", "kim-2", "kim-4", "kim-siegen", "gone", "x-2", "a%", "a_"} {
		mustCreate(t, s, id, id)
	}
	mustDelete(t, s, "gone", 1)

	tests := []struct {
		base string
		want string
	}{
		{"kim", "kim-3"},
		{"kim-2", "kim-2-2"},
		{"kim-siegen", "kim-siegen-2"},
		{"new", "new"},
		{"gone", "gone-2"}, // deleted ids stay taken
		{"x", "x"},
		{"a", "a"}, // "a%" and "a_" are other ids, not patterns
		{"a%", "a%-2"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			got, err := s.UniqueID(ctx, tt.base)
			if err != nil {
				t.Fatalf("UniqueID: %v", err)
			}
			if got != tt.want {
				t.Errorf("UniqueID(%q): got %q, want %q", tt.base, got, tt.want)
			}
		})
	}
}

func TestCreateUnique(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	ids := make([]string, 10)
	errs := make([]error, 10)
	for i := range ids {
		wg.Go(func() {
			sc, err := s.CreateUnique(ctx, "kim", "KIM", body("KIM"))
			ids[i], errs[i] = sc.ID, err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("CreateUnique %d: %v", i, err)
		}
	}
	slices.Sort(ids)
	want := []string{"kim", "kim-10", "kim-2", "kim-3", "kim-4", "kim-5", "kim-6", "kim-7", "kim-8", "kim-9"}
	if !slices.Equal(ids, want) {
		t.Errorf("got ids %v, want %v", ids, want)
	}
}

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
	wantVersion := userVersion(t, s)
	wantList, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("Open again: %v", err)
	}
	defer s.Close()
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
	if got := userVersion(t, s); got != wantVersion {
		t.Errorf("user_version: got %d, want %d", got, wantVersion)
	}
	got, err := s.Get(ctx, "kim")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if !equalScenario(got, want) {
		t.Errorf("Get: got %+v, want %+v", got, want)
	}
	gotList, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(gotList, wantList, equalScenario) {
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

// TestConcurrentSameIfMatch has 20 writers update from the same revision at
// once, as 20 browser tabs saving the same form would: exactly one wins.
func TestConcurrentSameIfMatch(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	mustCreate(t, s, "kim", "v1")

	const writers = 20
	errs := make([]error, writers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			<-start
			name := fmt.Sprint("writer ", i)
			_, errs[i] = s.Update(ctx, "kim", 1, name, body(name))
		})
	}
	close(start)
	wg.Wait()

	var won, stale int
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case planner.KindOf(err) == planner.KindPrecondition:
			stale++
		default:
			t.Errorf("writer %d: got %v, want success or a precondition error", i, err)
		}
	}
	if won != 1 || stale != writers-1 {
		t.Errorf("got %d successes and %d precondition errors, want 1 and %d", won, stale, writers-1)
	}
	assertRevisions(t, s, "kim", 2)
}

// TestConcurrentRetry has 20 writers each re-read and retry until their
// update lands: every one of them must end up as exactly one revision.
func TestConcurrentRetry(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	mustCreate(t, s, "kim", "v1")

	const writers = 20
	errs := make([]error, writers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			<-start
			name := fmt.Sprint("writer ", i)
			for {
				current, err := s.Get(ctx, "kim")
				if err != nil {
					errs[i] = err
					return
				}
				_, err = s.Update(ctx, "kim", current.Revision, name, body(name))
				if planner.KindOf(err) == planner.KindPrecondition {
					continue
				}
				errs[i] = err
				return
			}
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}

	assertRevisions(t, s, "kim", writers+1)
	seen := make(map[string]int)
	for revision := 2; revision <= writers+1; revision++ {
		sc, err := s.Revision(ctx, "kim", revision)
		if err != nil {
			t.Fatal(err)
		}
		if string(sc.Body) != string(body(sc.Name)) {
			t.Errorf("revision %d: got body %q for name %q", revision, sc.Body, sc.Name)
		}
		seen[sc.Name]++
	}
	for i := range writers {
		if name := fmt.Sprint("writer ", i); seen[name] != 1 {
			t.Errorf("%s: got %d revisions, want 1", name, seen[name])
		}
	}
}

// assertRevisions checks that id is at revision last and has exactly the
// revisions 1..last.
func assertRevisions(t *testing.T, s *Store, id string, last int) {
	t.Helper()
	ctx := context.Background()
	infos, err := s.Revisions(ctx, id)
	if err != nil {
		t.Fatalf("Revisions: %v", err)
	}
	var got []int
	for _, info := range infos {
		got = append(got, info.Revision)
	}
	var want []int
	for r := 1; r <= last; r++ {
		want = append(want, r)
	}
	if !slices.Equal(got, want) {
		t.Errorf("revisions: got %v, want %v", got, want)
	}
	if n := countRevisions(t, s, id); n != last {
		t.Errorf("rows in revisions: got %d, want %d", n, last)
	}
	sc, err := s.Get(ctx, id)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if sc.Revision != last {
		t.Errorf("current revision: got %d, want %d", sc.Revision, last)
	}
}

func TestContextCanceled(t *testing.T) {
	s, _ := openTemp(t)
	mustCreate(t, s, "kim", "v1")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Update(ctx, "kim", 1, "v2", body("v2")); !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a canceled context: got %v, want context.Canceled", err)
	}
	if got := countRevisions(t, s, "kim"); got != 1 {
		t.Errorf("got %d revisions, want 1", got)
	}
}

// kimBody is the demo scenario, a realistic size for the benchmarks.
func kimBody(b *testing.B) json.RawMessage {
	b.Helper()
	data, err := os.ReadFile("../data/kim-siegen-wittgenstein.json")
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkGet(b *testing.B) {
	s, _ := openTemp(b)
	ctx := context.Background()
	if _, err := s.Create(ctx, "kim", "KIM", kimBody(b)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Get(ctx, "kim"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUpdate(b *testing.B) {
	s, _ := openTemp(b)
	ctx := context.Background()
	data := kimBody(b)
	sc, err := s.Create(ctx, "kim", "KIM", data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if sc, err = s.Update(ctx, "kim", sc.Revision, "KIM", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkList(b *testing.B) {
	s, _ := openTemp(b)
	ctx := context.Background()
	data := kimBody(b)
	for i := range 100 {
		if _, err := s.Create(ctx, fmt.Sprint("kim-", i), "KIM", data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.List(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
