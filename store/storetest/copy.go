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
