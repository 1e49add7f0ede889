package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/planner"
)

// TestImport: a workbook export wrote imports as the scenario it was
// exported from, in either language; the plan of the file imported is the
// demo's.
func TestImport(t *testing.T) {
	dir := t.TempDir()
	want, err := planner.Canonical(data.Demo)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "de"} {
		book := filepath.Join(dir, "kim-"+lang+".xlsx")
		if code, _, errOut := runCLI(t, "", "export", demoFile, "-o", book, "--lang", lang); code != 0 {
			t.Fatalf("export: exit %d: %s", code, errOut)
		}
		out := filepath.Join(dir, "kim-"+lang+".json")
		if code, _, errOut := runCLI(t, "", "import", book, "-o", out); code != 0 {
			t.Fatalf("import: exit %d: %s", code, errOut)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		canonical, err := planner.Canonical(got)
		if err != nil || string(canonical) != string(want) || !strings.Contains(string(got), "\n  \"start\": \"2021-10-01\",\n") {
			t.Errorf("%s: imported\n%s\nwant (indented)\n%s", lang, got, want)
		}
		_, planned, _ := runCLI(t, "", "plan", "--json", out)
		_, original, _ := runCLI(t, "", "plan", "--json", demoFile)
		if planned != original {
			t.Errorf("%s: the imported scenario plans differently", lang)
		}
	}
}

func TestImportCSVAndTemplate(t *testing.T) {
	dir := t.TempDir()
	posts := filepath.Join(dir, "stellen.csv")
	if err := os.WriteFile(posts, []byte("Kennung;Bezeichnung;Monatskosten;Förderung\r\nneu-1;Neue Stelle;4.636,50;kim-b2\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "import", posts, "--base", demoFile, "-o", "-")
	if code != 0 || !strings.Contains(out, `"positions": [
    {
      "id": "neu-1",
      "title": "Neue Stelle",
      "monthly_cost": 4636.5,
      "funding": "kim-b2"
    }
  ]`) {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "", "import", posts, "-o", "-")
	if code != exitInvalid || !strings.Contains(errOut, "--base") {
		t.Errorf("a CSV without --base: exit %d, %s", code, errOut)
	}
	template := filepath.Join(dir, "vorlage.xlsx")
	if code, _, errOut := runCLI(t, "", "template", "-o", template, "--lang", "de"); code != 0 {
		t.Fatalf("template: exit %d: %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "import", template, "-o", "-", "--lang", "de")
	if want := "Eingaben!B6: fehlt, ist aber nötig\nEingaben!B8: fehlt, ist aber nötig\n" +
		"Eingaben!A25: mindestens eine Förderquelle ist nötig\nEingaben!A43: mindestens eine Stelle ist nötig\n"; code != exitInvalid || errOut != want {
		t.Errorf("the blank template: exit %d\n%s\nwant\n%s", code, errOut, want)
	}
	code, _, errOut = runCLI(t, "not a workbook", "import", "-", "-o", "-")
	if code != exitInvalid || !strings.Contains(errOut, "needs --base SCENARIO.json") {
		t.Errorf("standard input: exit %d, %s", code, errOut)
	}
}
