package locale

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGlossary: every term the catalogs hold (terms, phases, severities,
// flag labels, start_on's values) is in a row of docs/glossary.md with the
// same English and German, so that the glossary is what the pages, the
// workbook and the command line say.
func TestGlossary(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "docs", "glossary.md"))
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ en, de []string }
	var rows []row
	for line := range strings.SplitSeq(string(text), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(line, "|") {
			continue
		}
		rows = append(rows, row{forms(cells[1]), forms(cells[2])})
	}
	if len(rows) < 50 {
		t.Fatalf("found %d rows in docs/glossary.md", len(rows))
	}
	checked := 0
	for id, en := range english {
		if !isTerm(id) {
			continue
		}
		checked++
		de := german[id]
		if !slices.ContainsFunc(rows, func(r row) bool {
			return slices.Contains(r.en, strings.ToLower(en)) && slices.Contains(r.de, strings.ToLower(de))
		}) {
			t.Errorf("docs/glossary.md has no row with %q and %q (message %s)", en, de, id)
		}
	}
	if checked < 50 {
		t.Errorf("checked only %d terms", checked)
	}
}

func isTerm(id string) bool {
	for _, prefix := range []string{"term.", "phase.", "severity.", "align."} {
		if strings.HasPrefix(id, prefix) {
			return true
		}
	}
	return strings.HasPrefix(id, "flag.") && strings.HasSuffix(id, ".label")
}

// forms splits a glossary cell into its forms, in lower case.
func forms(cell string) []string {
	var out []string
	for form := range strings.SplitSeq(cell, ";") {
		out = append(out, strings.ToLower(strings.TrimSpace(form)))
	}
	return out
}
