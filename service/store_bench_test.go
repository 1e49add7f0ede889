package service

import (
	"context"
	"testing"

	"grantplan/data"
	"grantplan/store/postgres"
	"grantplan/store/postgres/pgtest"
)

// BenchmarkPlanStored is the plan of a stored scenario, as GET
// /api/v1/scenarios/{id}/plan asks the service for it: the demo read
// from the store (its current revision, its checksum checked), decoded
// and planned (Planned), or its plan found among those kept by the
// body's hash (Kept, as every request after the first is), on SQLite and
// on PostgreSQL. The JSON of the answer is the same work on both and is
// left out.
func BenchmarkPlanStored(b *testing.B) {
	backends := []struct {
		name string
		open func(b *testing.B) Store
	}{
		{"SQLite", func(b *testing.B) Store { return openStore(b) }},
		{"PostgreSQL", func(b *testing.B) Store {
			st, err := postgres.Open(context.Background(), pgtest.URL(b))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return st
		}},
	}
	for _, kept := range []struct {
		name string
		size int64
	}{{"Planned", -1}, {"Kept", 0}} {
		for _, backend := range backends {
			b.Run(kept.name+"/"+backend.name, func(b *testing.B) {
				st := backend.open(b)
				if _, err := st.Create(context.Background(), data.DemoID, "KIM Kreis Siegen-Wittgenstein", data.Demo); err != nil {
					b.Fatal(err)
				}
				s := New(st, Options{PlanCacheSize: kept.size})
				ctx := asPlanner()
				b.ReportAllocs()
				for b.Loop() {
					p, err := s.Plan(ctx, Stored(data.DemoID, 0), PlanOptions{})
					if err != nil {
						b.Fatal(err)
					}
					if p.Record == nil || p.Record.Revision != 1 {
						b.Fatalf("got the plan of %+v, want revision 1", p.Record)
					}
				}
			})
		}
	}
}
