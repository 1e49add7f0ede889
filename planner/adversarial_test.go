package planner

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// pinnedCapacityFile is the scenario that defeats the bounds of the
// latest safe start with HR capacity: see pinnedCapacity.
var pinnedCapacityFile = filepath.Join("testdata", "pinned-capacity.json")

// pinnedCapacity builds n−1 posts without dependencies and one post
// pinned by earliest, at HR capacity n/50. The n−1 posts need about
// fourteen years of HR's time from any decision date and have until
// 2060; the pinned post, in the middle of the list, has to start hiring
// within three months of its earliest date and finds HR booked solid at
// every decision date of the ten-year search window, so the search finds
// no safe date, and the bounds without capacity and from the
// recruitments' total length leave the whole window to search.
// testdata/pinned-capacity.json has n = 5,000 at HR capacity 100.
func pinnedCapacity(n int) []byte {
	periods := []string{"P1M", "P2M", "P3M", "P4M", "P5M", "P2M2W", "P3M1W", "P1M10D"}
	for days := 20; days < 200; days += 7 {
		periods = append(periods, fmt.Sprintf("P%dD", days))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"name": "pinned among %d at HR capacity %d", "start": "2024-01-01", "hr_capacity": %d,
"defaults": {"notice": "P6W", "onboarding": "P3M", "start_on": "any", "monthly_cost": 5000, "funding": "long"},
"funding": [{"id": "long", "start": "2024-01-01", "end": "2060-12-31"}, {"id": "short", "start": "2024-01-01", "end": "2040-12-31"}],
"positions": [`, n, n/50, n/50)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		if i == n/2 {
			b.WriteString(`{"id": "pinned", "recruiting": "P4M", "earliest": "2039-08-01", "funding": "short"}`)
			continue
		}
		fmt.Fprintf(&b, `{"id": "p%d", "recruiting": %q}`, i, periods[(i*7+i/8)%len(periods)])
	}
	b.WriteString("]}\n")
	return b.Bytes()
}

// TestPinnedCapacityFile keeps testdata/pinned-capacity.json what
// pinnedCapacity builds (-update, the golden files' flag, rewrites it).
func TestPinnedCapacityFile(t *testing.T) {
	want := pinnedCapacity(5000)
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(pinnedCapacityFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(pinnedCapacityFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from pinnedCapacity (run go test ./planner -run PinnedCapacityFile -update)", pinnedCapacityFile)
	}
}
