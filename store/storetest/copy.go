package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"grantplan/planner"
	"grantplan/store"
)

// CopyStore is a store that Copy can read and write.
type CopyStore interface {
	store.Store
	store.Transferer
}

// CopyOpener opens a new, empty store for a copy test.
type CopyOpener func(t testing.TB) CopyStore

// RunCopy checks store.Copy from the stores from makes into those to
// makes (of the same backend or another): everything arrives, a
// non-empty target is refused and left as it was.
func RunCopy(t *testing.T, from, to CopyOpener) {
	t.Run("Everything", func(t *testing.T) {
		source := openCopyStore(t, from)
		Fill(t, source)
		target := openCopyStore(t, to)
		counts, err := store.Copy(context.Background(), source, target)
		if err != nil {
			t.Fatalf("Copy: %v", err)
		}
		want := Tables(t, source)
		for i, c := range counts {
			if c.Table != store.Tables[i].Name || c.Rows != len(want[c.Table]) {
				t.Errorf("Copy: count %d is %d rows of %s, want %d of %s", i, c.Rows, c.Table, len(want[store.Tables[i].Name]), store.Tables[i].Name)
			}
		}
		SameContent(t, target, source)
		sameAccess(t, target, source)
	})
	t.Run("EmptySource", func(t *testing.T) {
		source := openCopyStore(t, from)
		target := openCopyStore(t, to)
		counts, err := store.Copy(context.Background(), source, target)
		if err != nil {
			t.Fatalf("Copy: %v", err)
		}
		for _, c := range counts {
			if c.Rows != 0 {
				t.Errorf("Copy of an empty store: got %d rows of %s", c.Rows, c.Table)
			}
		}
		SameContent(t, target, source)
	})
	t.Run("TargetNotEmpty", func(t *testing.T) {
		source := openCopyStore(t, from)
		Fill(t, source)
		target := openCopyStore(t, to)
		mustCreate(t, target, "there-before", "There before")
		before := Tables(t, target)
		_, err := store.Copy(context.Background(), source, target)
		wantKind(t, err, planner.KindConflict)
		if got := Tables(t, target); !reflect.DeepEqual(got, before) {
			t.Errorf("the refused target changed: got %v, want %v", got, before)
		}
	})
}

func openCopyStore(t testing.TB, open CopyOpener) CopyStore {
	t.Helper()
	s := open(t)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// Fill stores what a store holds after some use: scenarios with several
// revisions, umlauts, a deleted one, figures of two versions, of current
// and earlier revisions, a large body.
func Fill(t testing.TB, s store.Store) {
	t.Helper()
	ctx := context.Background()
	mustCreate(t, s, "kim-siegen-wittgenstein", "KIM Siegen-Wittgenstein")
	mustUpdate(t, s, "kim-siegen-wittgenstein", 1, "KIM Siegen-Wittgenstein 2021")
	mustUpdate(t, s, "kim-siegen-wittgenstein", 2, "KIM Siegen-Wittgenstein 2022")
	mustPutFigures(t, s, "kim-siegen-wittgenstein", 1, store.Figures{Version: 1, Body: []byte(`{"critical":6}`)})
	mustPutFigures(t, s, "kim-siegen-wittgenstein", 3, store.Figures{Version: 1, Body: []byte(`{"critical":2}`)})
	mustPutFigures(t, s, "kim-siegen-wittgenstein", 3, store.Figures{Version: 2, Body: []byte(`{"critical":2,"new":true}`)})
	mustCreate(t, s, "märkischer-kreis", "Märkischer Kreis – Straße")
	mustCreate(t, s, "gone", "Gone")
	mustUpdate(t, s, "gone", 1, "Gone v2")
	mustPutFigures(t, s, "gone", 2, store.Figures{Version: 1, Body: []byte(`{}`)})
	mustDelete(t, s, "gone", 2)
	large := fmt.Sprintf(`{"name":"large","pad":"%0800000d"}`, 0)
	if _, err := s.Create(ctx, "large", "Large", []byte(large)); err != nil {
		t.Fatalf("Create(large): %v", err)
	}
	for i := range 30 {
		mustCreate(t, s, fmt.Sprintf("s-%02d", i), fmt.Sprintf("Scenario %d", i))
	}
	fillAccess(t, s)
}

// fillAccess stores access records: users (one removed, one of an OpenID
// provider), a session, tokens (one used), share links (one revoked),
// audit entries, a login failure, the server's secret, and an authored
// revision.
func fillAccess(t testing.TB, s store.Store) {
	t.Helper()
	ctx := context.Background()
	anna := mustCreateUser(t, s, "anna", "planner")
	gone := mustCreateUser(t, s, "gone", "viewer")
	if err := s.DeleteUser(ctx, gone.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, store.User{Name: "max", Role: "viewer", Issuer: "https://id.example", Subject: "4711", Created: t0}); err != nil {
		t.Fatal(err)
	}
	mustCreateSession(t, s, anna.ID, "session", t0.Add(time.Hour), t0.Add(24*time.Hour))
	for i, secret := range []string{"gpt_1", "gpt_2"} {
		tok, err := s.CreateToken(ctx, store.Token{UserID: anna.ID, Label: fmt.Sprint("token ", i), Hash: hash(secret), Created: t0, Expires: t0.Add(90 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := s.TouchToken(ctx, tok.ID, t0.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, secret := range []string{"share-1", "share-2"} {
		sh, err := s.CreateShare(ctx, store.Share{ScenarioID: "kim-siegen-wittgenstein", Revision: i, Hash: hash(secret), CreatedBy: "anna", Created: t0, Expires: t0.Add(30 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := s.DeleteShare(ctx, "kim-siegen-wittgenstein", sh.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range 3 {
		if err := s.AppendAudit(ctx, store.AuditEntry{Time: t0.Add(time.Duration(i) * time.Second), Actor: "anna", Action: "scenario.update", Target: "kim", Detail: fmt.Sprint("revision ", i), Address: "192.0.2.1"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.TakeLoginAttempt(ctx, []string{"name:x", "address:192.0.2.9"}, t0, 15*time.Minute, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Secret(ctx, "mac", []byte("the server's secret")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(store.WithAuthor(ctx, "anna"), "märkischer-kreis", 1, "Märkischer Kreis", body("Märkischer Kreis")); err != nil {
		t.Fatal(err)
	}
}

// sameAccess checks through the contract that got holds want's access
// records, and that got numbers new users, tokens, share links and audit
// entries after the copied ones.
func sameAccess(t testing.TB, got, want store.Store) {
	t.Helper()
	ctx := context.Background()
	gotUsers, err := got.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantUsers, err := want.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gotUsers) != len(wantUsers) {
		t.Fatalf("ListUsers: got %d users, want %d", len(gotUsers), len(wantUsers))
	}
	if len(wantUsers) == 0 {
		return
	}
	if _, u, err := got.Session(ctx, hash("session"), t0); err != nil || u.Name != "anna" {
		t.Errorf("Session: got %+v, %v, want anna's", u, err)
	}
	if _, u, err := got.TokenByHash(ctx, hash("gpt_2"), t0); err != nil || u.Name != "anna" {
		t.Errorf("TokenByHash: got %+v, %v, want anna's token", u, err)
	}
	if sh, err := got.ShareByHash(ctx, hash("share-2"), t0); err != nil || sh.Revision != 1 {
		t.Errorf("ShareByHash: got %+v, %v, want the link to revision 1", sh, err)
	}
	if _, err := got.ShareByHash(ctx, hash("share-1"), t0); planner.KindOf(err) != planner.KindNotFound {
		t.Errorf("the revoked link: got %v, want not found", err)
	}
	if secret, err := got.Secret(ctx, "mac", []byte("another")); err != nil || string(secret) != "the server's secret" {
		t.Errorf("Secret: got %q, %v", secret, err)
	}
	if infos, err := got.Revisions(ctx, "märkischer-kreis"); err != nil || len(infos) != 2 || infos[1].Author != "anna" {
		t.Errorf("Revisions: got %+v, %v, want revision 2 by anna", infos, err)
	}

	// New rows are numbered after the copied ones.
	var maxUser int64
	for _, u := range gotUsers {
		maxUser = max(maxUser, u.ID)
	}
	u, err := got.CreateUser(ctx, store.User{Name: "new", Role: "viewer", Created: t0})
	if err != nil || u.ID <= maxUser {
		t.Errorf("CreateUser after the copy: got id %d, %v, want one above %d", u.ID, err, maxUser)
	}
	if _, err := got.CreateToken(ctx, store.Token{UserID: u.ID, Hash: hash("gpt_new"), Created: t0, Expires: t0.Add(time.Hour)}); err != nil {
		t.Errorf("CreateToken after the copy: %v", err)
	}
	if _, err := got.CreateShare(ctx, store.Share{ScenarioID: "kim-siegen-wittgenstein", Hash: hash("share-new"), Created: t0, Expires: t0.Add(time.Hour)}); err != nil {
		t.Errorf("CreateShare after the copy: %v", err)
	}
	if err := got.AppendAudit(ctx, store.AuditEntry{Time: t0, Actor: "new", Action: "login"}); err != nil {
		t.Errorf("AppendAudit after the copy: %v", err)
	}
	if entries, _, err := got.ListAudit(ctx, store.AuditOptions{Limit: 1}); err != nil || entries[0].Actor != "new" {
		t.Errorf("ListAudit after the copy: got %+v, %v, want the new entry first", entries, err)
	}
	if _, err := got.TakeLoginAttempt(ctx, []string{"name:y"}, t0, 15*time.Minute, 5); err != nil {
		t.Errorf("TakeLoginAttempt after the copy: %v", err)
	}
}

// Tables returns every row of every table of s, by table name, with
// times cut to the microsecond (as PostgreSQL keeps them), so that the
// content of stores of different backends compares.
func Tables(t testing.TB, s store.Transferer) map[string][]store.Row {
	t.Helper()
	content := make(map[string][]store.Row)
	err := s.ReadTables(context.Background(), func(r store.TableReader) error {
		for _, table := range store.Tables {
			rows := []store.Row{}
			err := r.Rows(context.Background(), table, func(row store.Row) error {
				for i, v := range row {
					if tm, ok := v.(time.Time); ok {
						row[i] = tm.Truncate(time.Microsecond)
					}
				}
				rows = append(rows, row)
				return nil
			})
			if err != nil {
				return err
			}
			content[table.Name] = rows
		}
		return nil
	})
	if err != nil {
		t.Fatalf("ReadTables: %v", err)
	}
	return content
}

// SameContent checks that got holds what want holds: every row of every
// table (times to the microsecond), and through the contract every
// scenario with its revisions and figures, deleted ones hidden and their
// ids taken.
func SameContent(t testing.TB, got, want CopyStore) {
	t.Helper()
	ctx := context.Background()
	gotTables, wantTables := Tables(t, got), Tables(t, want)
	for _, table := range store.Tables {
		g, w := gotTables[table.Name], wantTables[table.Name]
		if len(g) != len(w) {
			t.Errorf("%s: got %d rows, want %d", table.Name, len(g), len(w))
			continue
		}
		for i := range w {
			if !reflect.DeepEqual(g[i], w[i]) {
				t.Errorf("%s, row %d: got %.200v, want %.200v", table.Name, i, g[i], w[i])
			}
		}
	}

	micro := func(list []store.Scenario) []store.Scenario {
		for i := range list {
			list[i].Created = list[i].Created.Truncate(time.Microsecond)
			list[i].Updated = list[i].Updated.Truncate(time.Microsecond)
		}
		return list
	}
	for version := range 3 {
		gotList := micro(mustListAll(t, got, version))
		wantList := micro(mustListAll(t, want, version))
		if len(gotList) != len(wantList) {
			t.Fatalf("List in figures version %d: got %v, want %v", version, ids(gotList), ids(wantList))
		}
		for i := range wantList {
			if !equalScenario(gotList[i], wantList[i]) {
				t.Errorf("List in figures version %d: got %+v, want %+v", version, gotList[i], wantList[i])
			}
		}
	}
	for _, sc := range mustListAll(t, want, 0) {
		infos, err := want.Revisions(ctx, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			w, err := want.Revision(ctx, sc.ID, info.Revision)
			if err != nil {
				t.Fatal(err)
			}
			g, err := got.Revision(ctx, sc.ID, info.Revision)
			if err != nil {
				t.Errorf("Revision(%q, %d): %v", sc.ID, info.Revision, err)
				continue
			}
			if g := micro([]store.Scenario{g})[0]; !equalScenario(g, micro([]store.Scenario{w})[0]) {
				t.Errorf("Revision(%q, %d): got %.200v, want %.200v", sc.ID, info.Revision, g, w)
			}
		}
	}
	// A deleted scenario stays hidden, and its id taken.
	scenarios := store.Tables[0]
	id, deleted := scenarios.Column("id"), scenarios.Column("deleted_at")
	for _, row := range wantTables[scenarios.Name] {
		if row[deleted] == nil {
			continue
		}
		id := row[id].(string)
		_, err := got.Get(ctx, id)
		wantKind(t, err, planner.KindNotFound)
		_, err = got.Create(ctx, id, "again", body("again"))
		wantKind(t, err, planner.KindConflict)
	}
}

func mustListAll(t testing.TB, s store.Store, figuresVersion int) []store.Scenario {
	t.Helper()
	page, _ := mustList(t, s, store.ListOptions{FiguresVersion: figuresVersion})
	return page
}
