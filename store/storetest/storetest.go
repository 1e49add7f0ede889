// Package storetest is the conformance suite of the storage contract: the
// behaviour that package store promises, checked against any backend.
// Every backend runs it from its own tests,
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t testing.TB) store.Store { … a new, empty store … })
//	}
//
// and its benchmarks with Bench, so that backends can be compared on the
// same work.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"grantplan/planner"
	"grantplan/store"
)

// Opener opens a new, empty store for one test or benchmark. The suite
// closes it when the test ends and fails the test if Close fails.
type Opener func(t testing.TB) store.Store

// Run runs the conformance suite against the stores open makes, each
// check as a subtest with a store of its own.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		test func(t *testing.T, s store.Store)
	}{
		{"CreateGet", testCreateGet},
		{"CreateTaken", testCreateTaken},
		{"InvalidInput", testInvalidInput},
		{"List", testList},
		{"ListPages", testListPages},
		{"ListQuery", testListQuery},
		{"UpdateAppends", testUpdateAppends},
		{"Restore", testRestore},
		{"StaleIfMatch", testStaleIfMatch},
		{"NotFound", testNotFound},
		{"HiddenDelete", testHiddenDelete},
		{"UniqueID", testUniqueID},
		{"Figures", testFigures},
		{"FiguresVersions", testFiguresVersions},
		{"FiguresNotFound", testFiguresNotFound},
		{"ConcurrentCreate", testConcurrentCreate},
		{"ConcurrentCreateUnique", testConcurrentCreateUnique},
		{"ConcurrentSameIfMatch", testConcurrentSameIfMatch},
		{"ConcurrentUpdateDelete", testConcurrentUpdateDelete},
		{"ConcurrentRetry", testConcurrentRetry},
		{"ConcurrentReaders", testConcurrentReaders},
		{"ContextCanceled", testContextCanceled},
		{"OddIDs", testOddIDs},
	}
	for _, tt := range append(tests, accessTests...) {
		t.Run(tt.name, func(t *testing.T) {
			tt.test(t, openStore(t, open))
		})
	}
}

// openStore opens a store with open and closes it when t ends.
func openStore(t testing.TB, open Opener) store.Store {
	t.Helper()
	s := open(t)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// body returns a small scenario document. The store does not look inside,
// so it need not be a valid scenario; the spacing and key order are there
// to show that the bytes come back exactly.
func body(name string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf("{\"name\" : %q,\n  \"start\":\"2021-10-01\", \"positions\": [] }", name))
}

func mustCreate(t testing.TB, s store.Store, id, name string) store.Scenario {
	t.Helper()
	sc, err := s.Create(context.Background(), id, name, body(name))
	if err != nil {
		t.Fatalf("Create(%q): %v", id, err)
	}
	return sc
}

func mustUpdate(t testing.TB, s store.Store, id string, ifMatch int, name string) store.Scenario {
	t.Helper()
	sc, err := s.Update(context.Background(), id, ifMatch, name, body(name))
	if err != nil {
		t.Fatalf("Update(%q, %d): %v", id, ifMatch, err)
	}
	return sc
}

func mustDelete(t testing.TB, s store.Store, id string, ifMatch int) {
	t.Helper()
	if err := s.Delete(context.Background(), id, ifMatch); err != nil {
		t.Fatalf("Delete(%q, %d): %v", id, ifMatch, err)
	}
}

func mustGet(t testing.TB, s store.Store, id string) store.Scenario {
	t.Helper()
	sc, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("Get(%q): %v", id, err)
	}
	return sc
}

func mustList(t testing.TB, s store.Store, opts store.ListOptions) ([]store.Scenario, int) {
	t.Helper()
	page, total, err := s.List(context.Background(), opts)
	if err != nil {
		t.Fatalf("List(%+v): %v", opts, err)
	}
	return page, total
}

func mustPutFigures(t testing.TB, s store.Store, id string, revision int, f store.Figures) {
	t.Helper()
	if err := s.PutFigures(context.Background(), id, revision, f); err != nil {
		t.Fatalf("PutFigures(%q, %d, version %d): %v", id, revision, f.Version, err)
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

// equalScenario compares two scenarios, times with Equal and bodies byte
// for byte; Figures are compared by version and body.
func equalScenario(got, want store.Scenario) bool {
	return got.ID == want.ID && got.Name == want.Name && got.Revision == want.Revision &&
		got.Created.Equal(want.Created) && got.Updated.Equal(want.Updated) &&
		string(got.Body) == string(want.Body) && equalFigures(got.Figures, want.Figures)
}

func equalFigures(got, want *store.Figures) bool {
	if got == nil || want == nil {
		return got == want
	}
	return got.Version == want.Version && string(got.Body) == string(want.Body)
}

// ids returns the ids of a list, in its order.
func ids(list []store.Scenario) []string {
	out := make([]string, len(list))
	for i, sc := range list {
		out[i] = sc.ID
	}
	return out
}

// wantRevisions checks that id is at revision last and has exactly the
// revisions 1..last, oldest first.
func wantRevisions(t testing.TB, s store.Store, id string, last int) {
	t.Helper()
	infos, err := s.Revisions(context.Background(), id)
	if err != nil {
		t.Fatalf("Revisions(%q): %v", id, err)
	}
	var got, want []int
	for _, info := range infos {
		got = append(got, info.Revision)
	}
	for r := 1; r <= last; r++ {
		want = append(want, r)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Revisions(%q): got %v, want %v", id, got, want)
	}
	if sc := mustGet(t, s, id); sc.Revision != last {
		t.Errorf("Get(%q): got revision %d, want %d", id, sc.Revision, last)
	}
}

func testCreateGet(t *testing.T, s store.Store) {
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
		{"large body", "large", json.RawMessage(`{"name":"large","pad":"` + strings.Repeat("x", 800_000) + `"}`)},
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
			if created.Created.Location() != time.UTC || created.Created.Before(before.Add(-time.Second)) ||
				!created.Updated.Equal(created.Created) {
				t.Errorf("Create: got created %v, updated %v; want both the same UTC time, not before %v",
					created.Created, created.Updated, before)
			}
			if string(created.Body) != string(tt.body) || created.Figures != nil {
				t.Errorf("Create: got body %.40q, figures %v; want %.40q, none", created.Body, created.Figures, tt.body)
			}
			got := mustGet(t, s, tt.id)
			if string(got.Body) != string(tt.body) {
				t.Errorf("Get: got body %.40q, want %.40q", got.Body, tt.body)
			}
			if got.Created.Location() != time.UTC || got.Updated.Location() != time.UTC {
				t.Errorf("Get: got created in %v, updated in %v, want UTC", got.Created.Location(), got.Updated.Location())
			}
			if !equalScenario(got, created) {
				t.Errorf("Get: got %+v, want what Create returned, %+v", got, created)
			}
		})
	}
}

func testCreateTaken(t *testing.T, s store.Store) {
	ctx := context.Background()
	live := mustCreate(t, s, "live", "Live")
	mustCreate(t, s, "gone", "Gone")
	mustDelete(t, s, "gone", 1)

	for _, id := range []string{"live", "gone"} {
		t.Run(id, func(t *testing.T) {
			_, err := s.Create(ctx, id, "Again", body("Again"))
			wantKind(t, err, planner.KindConflict)
		})
	}
	if got := mustGet(t, s, "live"); !equalScenario(got, live) {
		t.Errorf("Get after a refused Create: got %+v, want %+v", got, live)
	}
	wantRevisions(t, s, "live", 1)
	_, err := s.Get(ctx, "gone")
	wantKind(t, err, planner.KindNotFound)
}

func testInvalidInput(t *testing.T, s store.Store) {
	ctx := context.Background()
	want := mustCreate(t, s, "a", "A")
	figures := json.RawMessage(`{"critical":1}`)

	tests := []struct {
		name string
		call func() error
	}{
		{"create with empty id", func() error { _, err := s.Create(ctx, "", "X", body("X")); return err }},
		{"create with nil body", func() error { _, err := s.Create(ctx, "b", "X", nil); return err }},
		{"create with empty body", func() error { _, err := s.Create(ctx, "b", "X", json.RawMessage{}); return err }},
		{"update with nil body", func() error { _, err := s.Update(ctx, "a", 1, "X", nil); return err }},
		{"update with empty body", func() error { _, err := s.Update(ctx, "a", 1, "X", json.RawMessage{}); return err }},
		{"unique id of empty base", func() error { _, err := s.UniqueID(ctx, ""); return err }},
		{"create unique with empty base", func() error { _, err := s.CreateUnique(ctx, "", "X", body("X")); return err }},
		{"create unique with nil body", func() error { _, err := s.CreateUnique(ctx, "b", "X", nil); return err }},
		{"figures of version 0", func() error { return s.PutFigures(ctx, "a", 1, store.Figures{Version: 0, Body: figures}) }},
		{"figures of version -1", func() error { return s.PutFigures(ctx, "a", 1, store.Figures{Version: -1, Body: figures}) }},
		{"figures with nil body", func() error { return s.PutFigures(ctx, "a", 1, store.Figures{Version: 1}) }},
		{"figures of empty id", func() error { return s.PutFigures(ctx, "", 1, store.Figures{Version: 1, Body: figures}) }},
		{"list with negative offset", func() error { _, _, err := s.List(ctx, store.ListOptions{Offset: -1}); return err }},
		{"list with negative limit", func() error { _, _, err := s.List(ctx, store.ListOptions{Limit: -1}); return err }},
		{"list with negative figures version", func() error {
			_, _, err := s.List(ctx, store.ListOptions{FiguresVersion: -1})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantKind(t, tt.call(), planner.KindInvalid)
		})
	}
	if got := mustGet(t, s, "a"); !equalScenario(got, want) {
		t.Errorf("Get after invalid calls: got %+v, want %+v", got, want)
	}
	wantRevisions(t, s, "a", 1)
	if page, total := mustList(t, s, store.ListOptions{FiguresVersion: 1}); total != 1 || page[0].Figures != nil {
		t.Errorf("List after invalid calls: got %d scenarios, figures %v; want 1, none", total, page[0].Figures)
	}
}

func testList(t *testing.T, s store.Store) {
	page, total := mustList(t, s, store.ListOptions{})
	if page == nil || len(page) != 0 || total != 0 {
		t.Errorf("List of an empty store: got %#v, %d; want an empty non-nil slice, 0", page, total)
	}

	mustCreate(t, s, "c", "C")
	mustCreate(t, s, "a", "A")
	mustCreate(t, s, "b", "B")
	mustCreate(t, s, "B", "upper B")  // sorts before lower case, by bytes
	mustCreate(t, s, "ä", "a umlaut") // after every ASCII id, by bytes
	mustCreate(t, s, "a-2", "A 2")    // '-' sorts before letters
	c2 := mustUpdate(t, s, "c", 1, "C renamed")
	mustDelete(t, s, "b", 1)

	page, total = mustList(t, s, store.ListOptions{})
	type entry struct {
		id       string
		name     string
		revision int
	}
	want := []entry{{"B", "upper B", 1}, {"a", "A", 1}, {"a-2", "A 2", 1}, {"c", "C renamed", 2}, {"ä", "a umlaut", 1}}
	var got []entry
	for _, sc := range page {
		got = append(got, entry{sc.ID, sc.Name, sc.Revision})
		if sc.Body != nil || sc.Figures != nil {
			t.Errorf("List: %s: got body %q, figures %v; want neither", sc.ID, sc.Body, sc.Figures)
		}
		if sc.ID == "c" && !equalScenario(sc, store.Scenario{ID: "c", Name: c2.Name, Revision: 2, Created: c2.Created, Updated: c2.Updated}) {
			t.Errorf("List: got %+v, want the times Update returned, %+v", sc, c2)
		}
		if sc.Created.IsZero() || sc.Updated.Before(sc.Created) || sc.Created.Location() != time.UTC {
			t.Errorf("List: %s: got created %v, updated %v", sc.ID, sc.Created, sc.Updated)
		}
	}
	if !slices.Equal(got, want) || total != len(want) {
		t.Errorf("List: got %v (total %d), want %v (total %d)", got, total, want, len(want))
	}
}

func testListPages(t *testing.T, s store.Store) {
	var all []string
	for i := range 12 {
		id := fmt.Sprintf("s-%02d", i)
		mustCreate(t, s, id, "Scenario "+id)
		all = append(all, id)
	}
	mustCreate(t, s, "s-05a", "deleted")
	mustDelete(t, s, "s-05a", 1) // a hidden scenario takes no place on a page

	tests := []struct {
		name          string
		offset, limit int
		want          []string
	}{
		{"all", 0, 0, all},
		{"first page", 0, 5, all[:5]},
		{"second page", 5, 5, all[5:10]},
		{"last page, short", 10, 5, all[10:]},
		{"limit beyond the end", 0, 100, all},
		{"offset without limit", 7, 0, all[7:]},
		{"offset at the end", 12, 5, []string{}},
		{"offset beyond the end", 50, 5, []string{}},
		{"one", 3, 1, all[3:4]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, total := mustList(t, s, store.ListOptions{Offset: tt.offset, Limit: tt.limit})
			if got := ids(page); !slices.Equal(got, tt.want) || page == nil {
				t.Errorf("List(offset %d, limit %d): got %#v, want %#v", tt.offset, tt.limit, got, tt.want)
			}
			if total != len(all) {
				t.Errorf("List(offset %d, limit %d): got total %d, want %d", tt.offset, tt.limit, total, len(all))
			}
		})
	}
}

func testListQuery(t *testing.T, s store.Store) {
	for _, sc := range []struct{ id, name string }{
		{"kim-siegen-wittgenstein", "KIM Siegen-Wittgenstein 2021"},
		{"koeln", "KÖLN Straßenbau"},
		{"maerkischer-kreis", "Märkischer Kreis"},
		{"percent", "100% sure"},
		{"under_score", "plain"},
		{"olpe", "Kreis Olpe"},
		{"old-name", "Soest"},
		{"gone", "Kreis Gone"},
	} {
		mustCreate(t, s, sc.id, sc.name)
	}
	mustUpdate(t, s, "old-name", 1, "Hochsauerland") // only the current name counts
	mustDelete(t, s, "gone", 1)

	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"kim-siegen-wittgenstein", "koeln", "maerkischer-kreis", "old-name", "olpe", "percent", "under_score"}},
		{"kim", []string{"kim-siegen-wittgenstein"}},                // the id
		{"WITTGENSTEIN", []string{"kim-siegen-wittgenstein"}},       // upper case finds lower case
		{"köln", []string{"koeln"}},                                 // lower case finds upper-case umlauts
		{"MÄRKISCH", []string{"maerkischer-kreis"}},                 // upper-case umlauts find lower case
		{"straßenbau", []string{"koeln"}},                           // ß as it is
		{"kreis", []string{"maerkischer-kreis", "olpe"}},            // the name; the deleted one not
		{"%", []string{"percent"}},                                  // no wildcards
		{"_", []string{"under_score"}},                              // no wildcards
		{"o", []string{"koeln", "old-name", "olpe", "under_score"}}, // id or name
		{"soest", []string{}},                                       // an earlier revision's name
		{"hochsauer", []string{"old-name"}},
		{"nothing like it", []string{}},
		{"gone", []string{}},
		{"-", []string{"kim-siegen-wittgenstein", "maerkischer-kreis", "old-name"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			page, total := mustList(t, s, store.ListOptions{Query: tt.query})
			if got := ids(page); !slices.Equal(got, tt.want) || page == nil || total != len(tt.want) {
				t.Errorf("List(%q): got %#v (total %d), want %#v (total %d)", tt.query, got, total, tt.want, len(tt.want))
			}
		})
	}

	t.Run("paged", func(t *testing.T) {
		page, total := mustList(t, s, store.ListOptions{Query: "o", Offset: 1, Limit: 2})
		if got, want := ids(page), []string{"old-name", "olpe"}; !slices.Equal(got, want) || total != 4 {
			t.Errorf("List(o, 1, 2): got %v (total %d), want %v (total 4)", got, total, want)
		}
	})
}

// testUpdateAppends updates a scenario several times and checks after each
// update that every earlier revision reads back as it was stored.
func testUpdateAppends(t *testing.T, s store.Store) {
	ctx := context.Background()
	bodies := []json.RawMessage{
		body("KIM v1"),
		json.RawMessage(`{"name":"KIM v2"}`),
		json.RawMessage("{\n\t\"name\": \"KIM v3\",\n\t\"positions\": [1, 2, 3]\n}\n"),
		json.RawMessage(`{"name":"KIM v2"}`), // the same bytes again are a new revision
		body("KIM – v5 ü"),
	}
	var stored []store.Scenario
	for i, b := range bodies {
		name := fmt.Sprintf("KIM v%d", i+1)
		var sc store.Scenario
		var err error
		if i == 0 {
			sc, err = s.Create(ctx, "kim", name, b)
		} else {
			sc, err = s.Update(ctx, "kim", i, name, b)
		}
		if err != nil {
			t.Fatalf("revision %d: %v", i+1, err)
		}
		if sc.Revision != i+1 || sc.Name != name || string(sc.Body) != string(b) {
			t.Errorf("revision %d: got revision %d, name %q, body %q", i+1, sc.Revision, sc.Name, sc.Body)
		}
		if i > 0 && (!sc.Created.Equal(stored[0].Created) || sc.Updated.Before(stored[i-1].Updated)) {
			t.Errorf("revision %d: got created %v, updated %v; want %v, not before %v",
				i+1, sc.Created, sc.Updated, stored[0].Created, stored[i-1].Updated)
		}
		stored = append(stored, sc)

		if got := mustGet(t, s, "kim"); !equalScenario(got, sc) {
			t.Errorf("Get after revision %d: got %+v, want %+v", i+1, got, sc)
		}
		for _, want := range stored {
			got, err := s.Revision(ctx, "kim", want.Revision)
			if err != nil {
				t.Fatalf("after revision %d: Revision(%d): %v", i+1, want.Revision, err)
			}
			// Created is the scenario's, Updated the revision's.
			want.Created = stored[0].Created
			if !equalScenario(got, want) {
				t.Errorf("after revision %d: Revision(%d): got %+v, want %+v", i+1, want.Revision, got, want)
			}
		}
		infos, err := s.Revisions(ctx, "kim")
		if err != nil {
			t.Fatalf("Revisions: %v", err)
		}
		wantInfos := make([]store.RevisionInfo, len(stored))
		for j, sc := range stored {
			wantInfos[j] = store.RevisionInfo{Revision: sc.Revision, Name: sc.Name, Created: sc.Updated}
		}
		if !slices.EqualFunc(infos, wantInfos, func(a, b store.RevisionInfo) bool {
			return a.Revision == b.Revision && a.Name == b.Name && a.Created.Equal(b.Created) && a.Created.Location() == time.UTC
		}) {
			t.Errorf("after revision %d: Revisions: got %+v, want %+v", i+1, infos, wantInfos)
		}
	}
}

// testRestore restores an old revision the way the API does, by updating
// with its body: that appends.
func testRestore(t *testing.T, s store.Store) {
	ctx := context.Background()
	first := mustCreate(t, s, "kim", "KIM v1")
	mustUpdate(t, s, "kim", 1, "KIM v2")
	mustUpdate(t, s, "kim", 2, "KIM v3")

	old, err := s.Revision(ctx, "kim", 1)
	if err != nil {
		t.Fatal(err)
	}
	restored, err := s.Update(ctx, "kim", 3, old.Name, old.Body)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if restored.Revision != 4 || restored.Name != first.Name || string(restored.Body) != string(first.Body) {
		t.Errorf("restore: got revision %d, %q, body %q; want 4, %q, %q",
			restored.Revision, restored.Name, restored.Body, first.Name, first.Body)
	}
	wantRevisions(t, s, "kim", 4)
	if again, err := s.Revision(ctx, "kim", 1); err != nil || !again.Updated.Equal(first.Updated) {
		t.Errorf("Revision 1 after the restore: got %+v, %v; want it as stored first", again, err)
	}
}

func testStaleIfMatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, "kim", "v1")
	want := mustUpdate(t, s, "kim", 1, "v2")

	for _, ifMatch := range []int{-1, 0, 1, 3, 100, 1 << 40, math.MinInt} {
		t.Run(fmt.Sprint(ifMatch), func(t *testing.T) {
			_, err := s.Update(ctx, "kim", ifMatch, "stale", body("stale"))
			wantKind(t, err, planner.KindPrecondition)
			wantKind(t, s.Delete(ctx, "kim", ifMatch), planner.KindPrecondition)

			if got := mustGet(t, s, "kim"); !equalScenario(got, want) {
				t.Errorf("Get: got %+v, want %+v", got, want)
			}
			wantRevisions(t, s, "kim", 2)
		})
	}
}

func testNotFound(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, "live", "Live")
	mustCreate(t, s, "gone", "Gone")
	mustUpdate(t, s, "gone", 1, "Gone v2")
	mustDelete(t, s, "gone", 2)
	figures := store.Figures{Version: 1, Body: json.RawMessage(`{}`)}

	calls := []struct {
		name string
		call func(id string) error
	}{
		{"Get", func(id string) error { _, err := s.Get(ctx, id); return err }},
		{"Update", func(id string) error { _, err := s.Update(ctx, id, 2, "X", body("X")); return err }},
		{"Delete", func(id string) error { return s.Delete(ctx, id, 2) }},
		{"Revisions", func(id string) error { _, err := s.Revisions(ctx, id); return err }},
		{"Revision", func(id string) error { _, err := s.Revision(ctx, id, 1); return err }},
		{"PutFigures", func(id string) error { return s.PutFigures(ctx, id, 1, figures) }},
	}
	for _, id := range []string{"unknown", "gone", "Live", "live "} {
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
	if page, _ := mustList(t, s, store.ListOptions{}); !slices.Equal(ids(page), []string{"live"}) {
		t.Errorf("List: got %v, want only live", ids(page))
	}
}

// testHiddenDelete checks what a deleted scenario leaves: nothing a reader
// can see, and an id nobody can have again.
func testHiddenDelete(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, "kim", "KIM")
	mustUpdate(t, s, "kim", 1, "KIM v2")
	mustCreate(t, s, "other", "Other")
	mustDelete(t, s, "kim", 2)

	if page, total := mustList(t, s, store.ListOptions{}); !slices.Equal(ids(page), []string{"other"}) || total != 1 {
		t.Errorf("List: got %v (total %d), want only other", ids(page), total)
	}
	if page, _ := mustList(t, s, store.ListOptions{Query: "kim"}); len(page) != 0 {
		t.Errorf("List(kim): got %v, want none", ids(page))
	}
	_, err := s.Get(ctx, "kim")
	wantKind(t, err, planner.KindNotFound)
	wantKind(t, s.Delete(ctx, "kim", 2), planner.KindNotFound)

	_, err = s.Create(ctx, "kim", "KIM again", body("KIM again"))
	wantKind(t, err, planner.KindConflict)
	if id, err := s.UniqueID(ctx, "kim"); err != nil || id != "kim-2" {
		t.Errorf("UniqueID(kim): got %q, %v; want kim-2", id, err)
	}
	again, err := s.CreateUnique(ctx, "kim", "KIM again", body("KIM again"))
	if err != nil || again.ID != "kim-2" || again.Revision != 1 {
		t.Fatalf("CreateUnique(kim): got %q revision %d, %v; want kim-2 revision 1", again.ID, again.Revision, err)
	}
	// Deleting the new one frees nothing either.
	mustDelete(t, s, "kim-2", 1)
	if id, err := s.UniqueID(ctx, "kim"); err != nil || id != "kim-3" {
		t.Errorf("UniqueID(kim) after deleting kim-2: got %q, %v; want kim-3", id, err)
	}
	wantRevisions(t, s, "other", 1)
}

func testUniqueID(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, id := range []string{"kim", "kim-2", "kim-4", "kim-siegen", "gone", "x-2", "a%", "a_", "b", "b-2-2"} {
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
		{"b", "b-2"}, // b-2-2 is not b-2
		{"KIM", "KIM"},
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
	// UniqueID only looks: asking again gives the same answer.
	if got, err := s.UniqueID(ctx, "kim"); err != nil || got != "kim-3" {
		t.Errorf("UniqueID(kim) again: got %q, %v; want kim-3", got, err)
	}
}

func testFigures(t *testing.T, s store.Store) {
	v1 := mustCreate(t, s, "kim", "KIM")
	mustCreate(t, s, "other", "Other")
	listed := func() map[string]*store.Figures {
		t.Helper()
		page, _ := mustList(t, s, store.ListOptions{FiguresVersion: 1})
		out := make(map[string]*store.Figures)
		for _, sc := range page {
			out[sc.ID] = sc.Figures
		}
		return out
	}

	if got := listed(); got["kim"] != nil || got["other"] != nil {
		t.Errorf("List before any figures: got %v", got)
	}

	first := store.Figures{Version: 1, Body: json.RawMessage("{\"critical\": 2,\n \"unclaimed\":\"925833.33\"}")}
	mustPutFigures(t, s, "kim", 1, first)
	if got := listed(); !equalFigures(got["kim"], &first) || got["other"] != nil {
		t.Errorf("List: got kim %v, other %v; want kim %s, other none", got["kim"], got["other"], first.Body)
	}
	// Figures are not part of the revision.
	if got := mustGet(t, s, "kim"); !equalScenario(got, v1) {
		t.Errorf("Get after PutFigures: got %+v, want %+v", got, v1)
	}
	wantRevisions(t, s, "kim", 1)
	if page, _ := mustList(t, s, store.ListOptions{}); page[0].Figures != nil {
		t.Errorf("List without a figures version: got figures %v, want none", page[0].Figures)
	}

	// Storing the same version again replaces.
	replaced := store.Figures{Version: 1, Body: json.RawMessage(`{"critical":3}`)}
	mustPutFigures(t, s, "kim", 1, replaced)
	if got := listed(); !equalFigures(got["kim"], &replaced) {
		t.Errorf("List after replacing: got %v, want %s", got["kim"], replaced.Body)
	}

	// A new revision has no figures until they are stored for it; those of
	// the earlier revision are not shown for it.
	mustUpdate(t, s, "kim", 1, "KIM v2")
	if got := listed(); got["kim"] != nil {
		t.Errorf("List after an update: got figures %s, want none", got["kim"].Body)
	}
	second := store.Figures{Version: 1, Body: json.RawMessage(`{"critical":0}`)}
	mustPutFigures(t, s, "kim", 2, second)
	if got := listed(); !equalFigures(got["kim"], &second) {
		t.Errorf("List: got %v, want %s", got["kim"], second.Body)
	}
	// Figures for an earlier revision (computed late) do not displace the
	// current revision's.
	mustPutFigures(t, s, "kim", 1, replaced)
	if got := listed(); !equalFigures(got["kim"], &second) {
		t.Errorf("List after figures for revision 1: got %v, want %s", got["kim"], second.Body)
	}
	wantRevisions(t, s, "kim", 2)

	// Paged and searched lists carry the figures too.
	page, total := mustList(t, s, store.ListOptions{Query: "KIM", Limit: 1, FiguresVersion: 1})
	if len(page) != 1 || total != 1 || !equalFigures(page[0].Figures, &second) {
		t.Errorf("List(KIM, limit 1): got %+v (total %d), want kim with %s", page, total, second.Body)
	}
}

// testFiguresVersions checks that figures of one version are not returned
// for another and that storing one version leaves the others.
func testFiguresVersions(t *testing.T, s store.Store) {
	mustCreate(t, s, "kim", "KIM")
	old := store.Figures{Version: 1, Body: json.RawMessage(`{"old":true}`)}
	newer := store.Figures{Version: 2, Body: json.RawMessage(`{"new":true}`)}
	mustPutFigures(t, s, "kim", 1, old)

	figuresIn := func(version int) *store.Figures {
		t.Helper()
		page, _ := mustList(t, s, store.ListOptions{FiguresVersion: version})
		return page[0].Figures
	}
	if got := figuresIn(2); got != nil {
		t.Errorf("List in version 2 with only version 1 stored: got %s, want none", got.Body)
	}
	mustPutFigures(t, s, "kim", 1, newer)
	tests := []struct {
		version int
		want    *store.Figures
	}{
		{1, &old},
		{2, &newer},
		{3, nil},
	}
	for _, tt := range tests {
		if got := figuresIn(tt.version); !equalFigures(got, tt.want) {
			t.Errorf("List in version %d: got %v, want %v", tt.version, got, tt.want)
		}
	}
}

func testFiguresNotFound(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, "kim", "KIM")
	mustUpdate(t, s, "kim", 1, "KIM v2")
	f := store.Figures{Version: 1, Body: json.RawMessage(`{}`)}
	for _, revision := range []int{-1, 0, 3, 100, 1 << 40} {
		t.Run(fmt.Sprint(revision), func(t *testing.T) {
			wantKind(t, s.PutFigures(ctx, "kim", revision, f), planner.KindNotFound)
		})
	}
	if page, _ := mustList(t, s, store.ListOptions{FiguresVersion: 1}); page[0].Figures != nil {
		t.Errorf("List: got figures %s, want none", page[0].Figures.Body)
	}
	wantRevisions(t, s, "kim", 2)
}

// concurrently runs n calls of f at once (as far as the scheduler lets
// them start together) and returns their errors.
func concurrently(n int, f func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	done := make(chan struct{})
	for i := range n {
		go func() {
			defer func() { done <- struct{}{} }()
			<-start
			errs[i] = f(i)
		}()
	}
	close(start)
	for range n {
		<-done
	}
	return errs
}

// oneWinner checks that exactly one of errs is nil and every other is of
// kind lost.
func oneWinner(t *testing.T, errs []error, lost planner.ErrorKind) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner < 0:
			winner = i
		case err == nil:
			t.Errorf("writers %d and %d both succeeded", winner, i)
		case planner.KindOf(err) != lost:
			t.Errorf("writer %d: got %v (kind %d), want success or kind %d", i, err, planner.KindOf(err), lost)
		}
	}
	if winner < 0 {
		t.Fatalf("no writer succeeded")
	}
	return winner
}

// testConcurrentCreate has writers create one id at once: one gets it.
func testConcurrentCreate(t *testing.T, s store.Store) {
	ctx := context.Background()
	const writers = 10
	errs := concurrently(writers, func(i int) error {
		name := fmt.Sprint("writer ", i)
		_, err := s.Create(ctx, "kim", name, body(name))
		return err
	})
	winner := oneWinner(t, errs, planner.KindConflict)
	if got := mustGet(t, s, "kim"); got.Name != fmt.Sprint("writer ", winner) || got.Revision != 1 {
		t.Errorf("Get: got %q revision %d, want writer %d revision 1", got.Name, got.Revision, winner)
	}
	wantRevisions(t, s, "kim", 1)
}

// testConcurrentCreateUnique has writers create scenarios of one name at
// once, as a double-clicked "save as new" would: each gets its own id.
func testConcurrentCreateUnique(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, "kim-3", "taken before")
	const writers = 10
	got := make([]string, writers)
	errs := concurrently(writers, func(i int) error {
		name := fmt.Sprint("writer ", i)
		sc, err := s.CreateUnique(ctx, "kim", name, body(name))
		got[i] = sc.ID
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("CreateUnique %d: %v", i, err)
		}
	}
	for i, id := range got {
		if sc := mustGet(t, s, id); sc.Name != fmt.Sprint("writer ", i) {
			t.Errorf("Get(%q): got %q, want writer %d", id, sc.Name, i)
		}
	}
	slices.Sort(got)
	want := []string{"kim", "kim-10", "kim-11", "kim-2", "kim-4", "kim-5", "kim-6", "kim-7", "kim-8", "kim-9"}
	if !slices.Equal(got, want) {
		t.Errorf("got ids %v, want %v", got, want)
	}
}

// testConcurrentSameIfMatch has writers update from the same revision at
// once, as browser tabs saving the same form would: exactly one wins, and
// its revision is the one stored.
func testConcurrentSameIfMatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, "kim", "v1")
	const writers = 20
	stored := make([]store.Scenario, writers)
	errs := concurrently(writers, func(i int) error {
		name := fmt.Sprint("writer ", i)
		var err error
		stored[i], err = s.Update(ctx, "kim", 1, name, body(name))
		return err
	})
	winner := oneWinner(t, errs, planner.KindPrecondition)
	wantRevisions(t, s, "kim", 2)
	if got := mustGet(t, s, "kim"); !equalScenario(got, stored[winner]) {
		t.Errorf("Get: got %+v, want the winner's %+v", got, stored[winner])
	}
	if first, err := s.Revision(ctx, "kim", 1); err != nil || first.Name != "v1" {
		t.Errorf("Revision 1: got %q, %v; want v1", first.Name, err)
	}
}

// testConcurrentUpdateDelete has writers update and delete from the same
// revision at once: exactly one wins, whichever it is.
func testConcurrentUpdateDelete(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, "kim", "v1")
	const writers = 10
	errs := concurrently(writers, func(i int) error {
		if i%2 == 0 {
			return s.Delete(ctx, "kim", 1)
		}
		name := fmt.Sprint("writer ", i)
		_, err := s.Update(ctx, "kim", 1, name, body(name))
		return err
	})
	// A writer that comes after a delete finds nothing to write.
	winner := -1
	for i, err := range errs {
		switch kind := planner.KindOf(err); {
		case err == nil && winner < 0:
			winner = i
		case err == nil:
			t.Errorf("writers %d and %d both succeeded", winner, i)
		case kind != planner.KindPrecondition && kind != planner.KindNotFound:
			t.Errorf("writer %d: got %v, want success, a precondition error or not found", i, err)
		}
	}
	switch {
	case winner < 0:
		t.Fatal("no writer succeeded")
	case winner%2 == 0:
		_, err := s.Get(ctx, "kim")
		wantKind(t, err, planner.KindNotFound)
	default:
		wantRevisions(t, s, "kim", 2)
	}
}

// testConcurrentRetry has writers each re-read and retry until their update
// lands: every one of them ends up as exactly one revision, none lost.
func testConcurrentRetry(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, "kim", "v1")
	const writers = 20
	errs := concurrently(writers, func(i int) error {
		name := fmt.Sprint("writer ", i)
		for {
			current, err := s.Get(ctx, "kim")
			if err != nil {
				return err
			}
			_, err = s.Update(ctx, "kim", current.Revision, name, body(name))
			if planner.KindOf(err) != planner.KindPrecondition {
				return err
			}
		}
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}

	wantRevisions(t, s, "kim", writers+1)
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

// testConcurrentReaders reads while writers write: every read sees one
// whole revision (its name belongs to its body and its number), and a
// list never shows a revision older than one a reader has already seen.
func testConcurrentReaders(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, "kim", "revision 1")
	const updates = 30
	errs := concurrently(4, func(i int) error {
		if i == 0 {
			for r := 1; r <= updates; r++ {
				name := fmt.Sprint("revision ", r+1)
				if _, err := s.Update(ctx, "kim", r, name, body(name)); err != nil {
					return err
				}
			}
			return nil
		}
		seen := 0
		for seen <= updates {
			sc, err := s.Get(ctx, "kim")
			if err != nil {
				return err
			}
			if sc.Name != fmt.Sprint("revision ", sc.Revision) || string(sc.Body) != string(body(sc.Name)) {
				return fmt.Errorf("get: revision %d with name %q and body %q", sc.Revision, sc.Name, sc.Body)
			}
			if sc.Revision < seen {
				return fmt.Errorf("get: revision %d after %d", sc.Revision, seen)
			}
			seen = sc.Revision
			page, total, err := s.List(ctx, store.ListOptions{Query: "revision"})
			if err != nil {
				return err
			}
			if len(page) != 1 || total != 1 || page[0].Name != fmt.Sprint("revision ", page[0].Revision) || page[0].Revision < seen {
				return fmt.Errorf("list after seeing revision %d: got %+v (total %d)", seen, page, total)
			}
			if seen == updates+1 {
				return nil
			}
		}
		return nil
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("goroutine %d: %v", i, err)
		}
	}
	wantRevisions(t, s, "kim", updates+1)
}

// testContextCanceled checks that a canceled request writes nothing and
// says why.
func testContextCanceled(t *testing.T, s store.Store) {
	want := mustCreate(t, s, "kim", "v1")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := []struct {
		name string
		call func() error
	}{
		{"Update", func() error { _, err := s.Update(ctx, "kim", 1, "v2", body("v2")); return err }},
		{"Create", func() error { _, err := s.Create(ctx, "new", "New", body("New")); return err }},
		{"Delete", func() error { return s.Delete(ctx, "kim", 1) }},
		{"PutFigures", func() error {
			return s.PutFigures(ctx, "kim", 1, store.Figures{Version: 1, Body: json.RawMessage(`{}`)})
		}},
	}
	for _, c := range calls {
		if err := c.call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a canceled context: got %v, want context.Canceled", c.name, err)
		}
	}
	if got := mustGet(t, s, "kim"); !equalScenario(got, want) {
		t.Errorf("Get: got %+v, want %+v", got, want)
	}
	wantRevisions(t, s, "kim", 1)
	if page, total := mustList(t, s, store.ListOptions{FiguresVersion: 1}); total != 1 || page[0].Figures != nil {
		t.Errorf("List: got %v (total %d), want only kim, without figures", ids(page), total)
	}
}

// testOddIDs reads ids that no scenario can have been created under by the
// program (ids are made from names by a slug), but that a URL can carry:
// they are not found, whether or not the backend could store them. Where a
// backend does store them, they come back as given.
func testOddIDs(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, id := range []string{"a\x00b", "\xff\xfe", "%", "../etc/passwd", strings.Repeat("x", 2000)} {
		t.Run(fmt.Sprintf("%.20q", id), func(t *testing.T) {
			_, err := s.Get(ctx, id)
			wantKind(t, err, planner.KindNotFound)
			_, err = s.Revisions(ctx, id)
			wantKind(t, err, planner.KindNotFound)

			created, err := s.Create(ctx, id, "odd", body("odd"))
			if planner.KindOf(err) == planner.KindInvalid {
				return // refused, as a backend may
			}
			if err != nil {
				t.Fatalf("Create: got %v, want success or an invalid-input error", err)
			}
			if got := mustGet(t, s, id); got.ID != id || !equalScenario(got, created) {
				t.Errorf("Get: got %+v, want %+v", got, created)
			}
		})
	}
}
