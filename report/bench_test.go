package report

import (
	"testing"

	"grantplan/data"
	"grantplan/locale"
)

// BenchmarkWrite writes the report of the demo (the target: under 200
// ms) and of 500 posts over 48 months (under 3 s and 300 MB). Besides
// time and allocations it reports the pages, the file's size and
// peak-RSS-MB, the most memory the test process has held at once (Linux
// only); run one benchmark at a time for that figure to be its own:
//
//	go test -run '^$' -bench 'Write/500' -benchtime 3x ./report
func BenchmarkWrite(b *testing.B) {
	for _, bench := range []struct {
		name     string
		scenario []byte
	}{
		{"demo", data.Demo},
		{"500posts48months", largeScenario(500)},
	} {
		b.Run(bench.name, func(b *testing.B) {
			s, plan := planOf(b, bench.scenario)
			opts := Options{Lang: locale.German, Scenario: s, Source: bench.scenario, Exported: planDate, Revision: 1}
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
