package postgres

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"grantplan/planner"
	"grantplan/store"
	"grantplan/store/internal/sqlstore"
	"grantplan/store/postgres/pgtest"
	"grantplan/store/sqlite"
)

// TestChecksumFunction checks grantplan_checksum, which the database
// gives the revisions that a migration or an older grantplan stored,
// against store.Checksum, which the store writes and checks: on texts of
// every length class of a varint, multi-byte characters, no author and a
// revision number of several bytes.
func TestChecksumFunction(t *testing.T) {
	t.Parallel()
	s, _ := openFresh(t)
	long := strings.Repeat("Kreis Siegen-Wittgenstein ", 700) // 18,200 bytes: a varint of 3 bytes
	tests := []struct {
		id       string
		revision int
		name     string
		author   string
		body     []byte
	}{
		{"kim", 1, "KIM", "anna", []byte(`{}`)},
		{"köln", 127, "Köln – Straße", "", []byte("{\"name\":\"Köln\"}\n")},
		{"a", 128, "", "ß", nil},
		{strings.Repeat("x", 200), 16384, long, strings.Repeat("ä", 100), []byte(long)},
		{"max", 1<<31 - 1, "𐐀", "command line (root)", bytes.Repeat([]byte{0, 0xff}, 3000)},
	}
	for _, tt := range tests {
		var author any = tt.author
		if tt.author == "" {
			author = nil
		}
		body := tt.body
		if body == nil {
			body = []byte{}
		}
		var got []byte
		if err := s.db.QueryRow("SELECT grantplan_checksum($1, $2, $3, $4, $5)", tt.id, tt.revision, tt.name, author, body).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := store.Checksum(tt.id, tt.revision, tt.name, tt.author, body); !bytes.Equal(got, want) {
			t.Errorf("grantplan_checksum(%.20q, %d, …): got %x, want %x", tt.id, tt.revision, got, want)
		}
	}
}

// TestChecksumsStored checks that every revision is stored with
// store.Checksum, whether the store wrote it (Create, Update, a copy) or
// the database filled it in for an insert without one, as a grantplan
// from before the checksums makes during a rolling update.
func TestChecksumsStored(t *testing.T) {
	t.Parallel()
	s, _ := openFresh(t)
	ctx := store.WithAuthor(context.Background(), "anna")
	if _, err := s.Create(ctx, "kim", "KIM", body("KIM")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, "kim", 1, "KIM 2", body("KIM 2")); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, "anonym", "Ohne Autor")
	if _, err := s.db.Exec(`
		WITH new AS (INSERT INTO scenarios (id, revision, created) VALUES ('old', 1, now()) RETURNING id)
		INSERT INTO revisions (scenario_id, revision, name, body, created, author) SELECT id, 1, 'Alt', '\x7b7d', now(), 'bernd' FROM new`); err != nil {
		t.Fatal(err)
	}
	rows, err := s.db.Query("SELECT scenario_id, revision, name, coalesce(author, ''), body, checksum FROM revisions ORDER BY 1, 2")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, name, author string
		var revision int
		var body, sum []byte
		if err := rows.Scan(&id, &revision, &name, &author, &body, &sum); err != nil {
			t.Fatal(err)
		}
		if want := store.Checksum(id, revision, name, author, body); !bytes.Equal(sum, want) {
			t.Errorf("revision %d of %s: checksum %x, want %x", revision, id, sum, want)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("got %d revisions, want 4", n)
	}
	if sc, err := s.Get(context.Background(), "old"); err != nil || sc.Author != "bernd" {
		t.Errorf("the revision the database gave its checksum: got %+v, %v", sc, err)
	}
}

// TestChecksumsMigrated stores revisions in a schema of the migrations
// before the checksums, then opens it: the migration gives every
// revision its checksum, and the store reads them all.
func TestChecksumsMigrated(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	all, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	var before []sqlstore.Migration
	for _, m := range all {
		if strings.HasSuffix(m.Name, "_checksums.sql") {
			break
		}
		before = append(before, m)
	}
	old, err := open(context.Background(), url, before)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		id := fmt.Sprint("kim-", i)
		if _, err := old.db.Exec(`
			WITH new AS (INSERT INTO scenarios (id, revision, created) VALUES ($1, 1, now()) RETURNING id)
			INSERT INTO revisions (scenario_id, revision, name, body, created, author) SELECT id, 1, $2, $3, now(), $4 FROM new`,
			id, "KIM "+id, []byte(body(id)), []any{nil, "anna", "bernd"}[i]); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()

	s := openURL(t, url)
	for i := range 3 {
		id := fmt.Sprint("kim-", i)
		sc, err := s.Get(context.Background(), id)
		if err != nil || !bytes.Equal(sc.Body, body(id)) {
			t.Errorf("%s after the migration: got %+v, %v", id, sc, err)
		}
	}
	var missing int
	if err := s.db.QueryRow("SELECT count(*) FROM revisions WHERE checksum IS NULL").Scan(&missing); err != nil || missing != 0 {
		t.Errorf("got %d revisions without a checksum (%v), want none", missing, err)
	}
}

// damage changes a stored revision behind the triggers' back, as damage
// on the disk or an edit by the database's superuser would: set is the
// SET clause of an UPDATE of the revision.
func damage(t *testing.T, s *Store, id string, revision int, set string) {
	t.Helper()
	conn, err := s.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The test cluster's user is its superuser, whose session may skip
	// the triggers, as a replica applying changes does.
	for _, q := range []string{
		"SET session_replication_role = replica",
		"UPDATE revisions SET " + set + " WHERE scenario_id = '" + id + "' AND revision = " + fmt.Sprint(revision),
		"SET session_replication_role = DEFAULT",
	} {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestDamagedRevision changes stored revisions past the triggers: their
// body, name or author. Every read of such a revision's body is
// store.Damaged, naming the revision, never other bytes; the other
// revisions read as before; a copy of the store stops at the damage.
func TestDamagedRevision(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openFresh(t)
	mustCreate(t, s, "kim", "v1")
	mustUpdate(t, s, "kim", 1, "v2")
	mustUpdate(t, s, "kim", 2, "v3")
	mustCreate(t, s, "gone", "Gone")
	mustDelete(t, s, "gone", 1)

	damage(t, s, "kim", 3, "body = overlay(body placing '\\x58'::bytea from 10)")
	damage(t, s, "kim", 1, "name = 'v0'")
	damage(t, s, "gone", 1, "author = 'mallory'")

	const want = "is damaged: restore the database from a backup"
	for _, c := range []struct {
		what string
		err  error
	}{
		{"Get of a body changed", func() error { _, err := s.Get(ctx, "kim"); return err }()},
		{"Revision of a body changed", func() error { _, err := s.Revision(ctx, "kim", 3); return err }()},
		{"Revision of a name changed", func() error { _, err := s.Revision(ctx, "kim", 1); return err }()},
		{"DeletedRevision of an author changed", func() error { _, err := s.DeletedRevision(ctx, "gone", 1); return err }()},
		{"Undelete of a scenario whose current revision changed", func() error { _, err := s.Undelete(ctx, "gone"); return err }()},
	} {
		wantKind(t, c.err, planner.KindDamaged)
		if !strings.Contains(c.err.Error(), want) {
			t.Errorf("%s: got %q, want it to say %q", c.what, c.err, want)
		}
	}
	if sc, err := s.Revision(ctx, "kim", 2); err != nil || !bytes.Equal(sc.Body, body("v2")) {
		t.Errorf("the revision left alone: got %+v, %v", sc, err)
	}
	if list, err := s.Revisions(ctx, "kim"); err != nil || len(list) != 3 {
		t.Errorf("the list of revisions, which reads no body: got %v, %v", list, err)
	}

	target, err := sqlite.Open(ctx, t.TempDir()+"/copy.db")
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	_, err = store.Copy(ctx, s, target)
	wantKind(t, err, planner.KindDamaged)
	if n, _, _ := target.List(ctx, store.ListOptions{}); len(n) != 0 {
		t.Errorf("a failed copy left %d scenarios in the target", len(n))
	}
}
