package workbook

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/locale"
)

// largeScenario builds n posts over a 48-month funding period: groups of
// fifty, each post with its own phases, location and funding source;
// every post after the first group waits for one earlier group. The
// timeline runs from January 2023 to December 2026.
func largeScenario(n int) []byte {
	rng := rand.New(rand.NewPCG(uint64(n), 4))
	periods := []string{"P2M", "P3M", "P6W", "P45D", "P1M", "P0D", "P2M2W"}
	var b strings.Builder
	b.WriteString(`{"name": "Großer Landkreis", "start": "2023-01-01", "min_productive": "P6M",
		"defaults": {"start_on": "month_start", "monthly_cost": 5200},
		"funding": [
			{"id": "land", "name": "Landesmittel", "start": "2023-01-01", "end": "2026-12-31", "per_fte_year": 60000},
			{"id": "bund", "name": "Bundesmittel", "start": "2023-01-01", "end": "2025-12-31", "rate": 0.8, "cap": 500000000}],
		"positions": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id": "p%d", "title": "Stelle %d (E %d)", "group": "g%d", "location": "Ort %d", "fte": %s,
			"funding": %q, "recruiting": %q, "notice": %q, "onboarding": %q`,
			i, i, 9+rng.IntN(5), i/50, rng.IntN(40), []string{"1", "0.5", "0.75"}[rng.IntN(3)],
			[]string{"land", "bund"}[rng.IntN(2)], periods[rng.IntN(len(periods))],
			periods[rng.IntN(len(periods))], periods[rng.IntN(len(periods))])
		if i >= 50 {
			fmt.Fprintf(&b, `, "after": ["group:g%d"]`, rng.IntN(min(i/50, 3)))
		}
		b.WriteString("}")
	}
	b.WriteString("]}")
	return []byte(b.String())
}

func TestLargeScenarioShape(t *testing.T) {
	_, plan := planOf(t, largeScenario(5000))
	tl := newTimeline(plan)
	if len(plan.Positions) != 5000 || len(tl.columns) != 48 || tl.weekly {
		t.Errorf("got %d posts over %d columns (weekly %v), want 5000 over 48 months", len(plan.Positions), len(tl.columns), tl.weekly)
	}
}

// BenchmarkWrite writes the workbook of the demo and of 5,000 posts over
// 48 months (the target: under 3 s and 300 MB). Besides time and
// allocations it reports peak-RSS-MB, the most memory the test process
// has held at once (Linux only); run one benchmark at a time for that
// figure to be the benchmark's own:
//
//	go test -run '^$' -bench 'Write/5000' -benchtime 3x ./workbook
func BenchmarkWrite(b *testing.B) {
	for _, bench := range []struct {
		name     string
		scenario []byte
	}{
		{"demo", data.Demo},
		{"5000posts48months", largeScenario(5000)},
	} {
		b.Run(bench.name, func(b *testing.B) {
			s, plan := planOf(b, bench.scenario)
			opts := Options{Lang: locale.German, Scenario: s, Source: bench.scenario, Exported: exportDate}
			b.ReportAllocs()
			var written countingWriter
			for b.Loop() {
				written = 0
				if err := Write(&written, plan, opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(written)/1e6, "file-MB")
			reportPeakRSS(b)
		})
	}
}

// countingWriter counts the bytes written to it.
type countingWriter int64

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)

// BenchmarkRead reads back the Input sheet of the demo's workbook and of
// one of 5,000 posts over 48 months (the target: under 2 s and 300 MB).
// peak-RSS-MB is the whole test process's, which wrote the workbook
// first; run one benchmark at a time for it to be this one's:
//
//	go test -run '^$' -bench 'Read/5000' -benchtime 3x ./workbook
func BenchmarkRead(b *testing.B) {
	for _, bench := range []struct {
		name     string
		scenario []byte
	}{
		{"demo", data.Demo},
		{"5000posts48months", largeScenario(5000)},
	} {
		b.Run(bench.name, func(b *testing.B) {
			file := exported(b, bench.scenario, locale.German)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Read(context.Background(), file); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(file))/1e6, "file-MB")
			reportPeakRSS(b)
		})
	}
}
