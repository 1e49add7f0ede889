package workbook

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden compares the demo's workbook, cell by cell (values, types,
// shown values, and the Gantt timeline's colours), with
// testdata/demo.{en,de}.golden.txt. Run with -update to rewrite them
// after a deliberate change, and read the diff.
func TestGolden(t *testing.T) {
	for _, lang := range locale.Langs {
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

// TestEveryWordFound: no cell of the demo's workbook, with a Risk sheet,
// shows a message id, which is what a text missing from the locale's
// catalogs would show.
func TestEveryWordFound(t *testing.T) {
	id := regexp.MustCompile(`s "(term|workbook|phase|flag|severity|align|event|unit)\.[a-zA-Z_.]+"`)
	s, plan := planOf(t, data.DemoUncertain)
	risk, err := s.Risk(context.Background(), planner.RiskOptions{Trials: 50, Seed: 1, Confidence: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range locale.Langs {
		var buf bytes.Buffer
		if err := Write(&buf, plan, Options{Lang: lang, Scenario: s, Source: data.DemoUncertain, Exported: exportDate, Risk: risk}); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		dumped := dump(t, f)
		f.Close()
		if m := id.FindString(dumped); m != "" {
			t.Errorf("%s: a cell shows the message id %s", lang, m)
		}
	}
}
