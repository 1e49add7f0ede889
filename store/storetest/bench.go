package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"grantplan/data"
	"grantplan/store"
)

// listed is how many scenarios the list benchmarks store.
const listed = 1000

// benchFigures are key figures of the size the list page stores.
var benchFigures = json.RawMessage(`{"critical":6,"warnings":1,"info":0,"utilization":"0.1666666667",` +
	`"unclaimed":"925833.33","productive_fte_months":"25","possible_fte_months":"150"}`)

// Bench runs the storage benchmarks against the stores open makes, so that
// backends can be compared on the same work: the demo scenario (3.5 kB) as
// the body, and for the lists 1,000 stored scenarios, each with figures.
//
//   - Create: a new scenario.
//   - Update: the next revision of one scenario.
//   - Get: the current revision of one scenario of 1,000.
//   - PutFigures: figures for a scenario's current revision.
//   - List1000: all 1,000 with their figures.
//   - ListPage: a page of 50 from the middle, with figures and the total.
//   - ListQuery: the matches of a search among the 1,000, with figures.
func Bench(b *testing.B, open Opener) {
	ctx := context.Background()
	body := json.RawMessage(data.Demo)

	b.Run("Create", func(b *testing.B) {
		s := openStore(b, open)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			if _, err := s.Create(ctx, fmt.Sprint("kim-", i), "KIM", body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Update", func(b *testing.B) {
		s := openStore(b, open)
		sc, err := s.Create(ctx, "kim", "KIM", body)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if sc, err = s.Update(ctx, "kim", sc.Revision, "KIM", body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("PutFigures", func(b *testing.B) {
		s := openStore(b, open)
		if _, err := s.Create(ctx, "kim", "KIM", body); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := s.PutFigures(ctx, "kim", 1, store.Figures{Version: 1, Body: benchFigures}); err != nil {
				b.Fatal(err)
			}
		}
	})

	// The read benchmarks share one store of 1,000 scenarios, made when
	// the first of them runs and closed when the last has.
	parent := b
	var s store.Store
	filled := func(b *testing.B) store.Store {
		b.Helper()
		if s != nil {
			return s
		}
		s = openStore(parent, open)
		for i := range listed {
			id := fmt.Sprintf("scenario-%04d", i)
			name := fmt.Sprintf("Kreis %04d KIM", i)
			if _, err := s.Create(ctx, id, name, body); err != nil {
				b.Fatal(err)
			}
			if err := s.PutFigures(ctx, id, 1, store.Figures{Version: 1, Body: benchFigures}); err != nil {
				b.Fatal(err)
			}
		}
		return s
	}
	b.Run("Get", func(b *testing.B) {
		s := filled(b)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Get(ctx, "scenario-0500"); err != nil {
				b.Fatal(err)
			}
		}
	})
	list := func(b *testing.B, opts store.ListOptions, want, wantTotal int) {
		s := filled(b)
		b.ReportAllocs()
		for b.Loop() {
			page, total, err := s.List(ctx, opts)
			if err != nil {
				b.Fatal(err)
			}
			if len(page) != want || total != wantTotal || page[0].Figures == nil {
				b.Fatalf("got %d of %d, want %d of %d, with figures", len(page), total, want, wantTotal)
			}
		}
	}
	b.Run("List1000", func(b *testing.B) {
		list(b, store.ListOptions{FiguresVersion: 1}, listed, listed)
	})
	b.Run("ListPage", func(b *testing.B) {
		list(b, store.ListOptions{Offset: 500, Limit: 50, FiguresVersion: 1}, 50, listed)
	})
	b.Run("ListQuery", func(b *testing.B) {
		// "kreis 01" is in the names of scenarios 0100 to 0199.
		list(b, store.ListOptions{Query: "KREIS 01", Limit: 50, FiguresVersion: 1}, 50, 100)
	})
}
