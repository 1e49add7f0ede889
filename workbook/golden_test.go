package workbook

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"grantplan/planner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden compares the demo's workbook, cell by cell (values, types,
// shown values, and the Gantt timeline's colours), with
// testdata/demo.{en,de}.golden.txt. Run with -update to rewrite them
// after a deliberate change, and read the diff.
func TestGolden(t *testing.T) {
	for _, lang := range planner.Langs {
		t.Run(string(lang), func(t *testing.T) {
			got := dump(t, openDemo(t, lang))
			path := filepath.Join("testdata", "demo."+string(lang)+".golden.txt")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("the demo's workbook differs from %s; run go test -run TestGolden -update ./workbook and read the diff:\n%s", path, firstDifference(got, string(want)))
			}
		})
	}
}

// firstDifference shows the first line where got and want differ.
func firstDifference(got, want string) string {
	gotLines, wantLines := splitLines(got), splitLines(want)
	for i := 0; i < max(len(gotLines), len(wantLines)); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			return "line " + itoa(i+1) + ":\n got  " + g + "\n want " + w
		}
	}
	return ""
}

func splitLines(s string) []string { return strings.Split(s, "\n") }

func itoa(n int) string { return strconv.Itoa(n) }
