package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const uncertainFile = "../../data/kim-siegen-wittgenstein-uncertain.json"

// budgetFile is the example of docs/scenario.md, Cost, own share and
// budget years: raises, a permanent post and a capped source.
const budgetFile = "testdata/budget.json"

// TestReportsGolden: the reports for people of plan, whatif and risk, in
// English (the default) and German (--lang de), byte for byte as the
// golden files under testdata have them (go test -update rewrites them).
func TestReportsGolden(t *testing.T) {
	variants := []string{
		"--variant", "earlier=../../data/whatif/decide-a-year-earlier.json",
		"--variant", "parallel=../../data/whatif/hire-in-parallel.json",
		"--variant", "extended=../../data/whatif/extend-to-2023.json",
		"--variant", "permanent=../../data/whatif/posts-permanent.json",
	}
	risk := []string{"risk", uncertainFile, "--trials", "2000", "--seed", "4"}
	tests := []struct {
		golden string
		args   []string
	}{
		{"plan.en.txt", []string{"plan", demoFile}},
		{"plan.de.txt", []string{"plan", "--lang", "de", demoFile}},
		{"whatif.en.txt", append([]string{"whatif", demoFile}, variants...)},
		{"whatif.de.txt", append([]string{"whatif", demoFile, "--lang", "de"}, variants...)},
		{"risk.en.txt", risk},
		{"risk.de.txt", append(risk, "--lang", "DE-de")},
		{"plan.budget.en.txt", []string{"plan", budgetFile}},
		{"plan.budget.de.txt", []string{"plan", "--lang", "de", budgetFile}},
		{"plan.budget-empty.en.txt", []string{"plan", "--start", "2025-01-01", budgetFile}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tt.args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("got\n%s\nwant (%s)\n%s", out, path, want)
			}
		})
	}
}

// TestLangFlag: --lang en is the default, --json stays English whatever
// --lang says, and a language grantplan does not speak is a usage error.
func TestLangFlag(t *testing.T) {
	same := [][2][]string{
		{{"plan", demoFile}, {"plan", "--lang", "en", demoFile}},
		{{"plan", "--json", demoFile}, {"plan", "--json", "--lang", "de", demoFile}},
		{{"whatif", demoFile, "--json", "--variant", "x=../../data/whatif/two-hr-places.json"},
			{"whatif", demoFile, "--json", "--lang", "de", "--variant", "x=../../data/whatif/two-hr-places.json"}},
		{{"risk", "--json", "--trials", "50", demoFile}, {"risk", "--json", "--lang", "de", "--trials", "50", demoFile}},
	}
	for _, pair := range same {
		_, want, _ := runCLI(t, "", pair[0]...)
		code, got, errOut := runCLI(t, "", pair[1]...)
		if code != 0 || got != want || want == "" {
			t.Errorf("%q: exit %d (stderr %q), output differs from %q's", pair[1], code, errOut, pair[0])
		}
	}
	for _, command := range []string{"plan", "whatif", "risk"} {
		code, out, errOut := runCLI(t, "", command, "--lang", "fr", demoFile)
		if code != exitInvalid || out != "" || !strings.Contains(errOut, `"fr" is not a language of the report: want en or de`) {
			t.Errorf("%s --lang fr: exit %d, stdout %q, stderr %q; want 2 and the languages", command, code, out, errOut)
		}
	}
}

// TestReportBudget: the report of docs/scenario.md's budget example shows
// the figures the docs give for it: a permanent post's cost, own share and
// cost after the funding, the summary's totals, and each budget year with
// the capped source's draw-down.
func TestReportBudget(t *testing.T) {
	code, out, errOut := runCLI(t, "", "plan", budgetFile)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"POST   HIRING START  FILLED      PRODUCTIVE  PROD. MONTHS  FUNDED EUR   TOTAL EUR  OWN SHARE EUR  AFTER FUNDING EUR  SLACK DAYS  FLAGS",
		"ovh-1  2022-01-01    2022-01-01  2022-04-01          9.00   55,000.00  239,822.05     184,822.05         162,483.90         +90",
		"Total cost              321,915.55 EUR",
		"Own share               202,186.55 EUR (what the county pays itself)",
		"Cost after the funding  162,483.90 EUR (after the funding ends, to the horizon 2024-12-31)",
		"YEAR     COST EUR  FUNDED EUR  OWN SHARE EUR     KIM EUR   LAND EUR",
		"2022   159,431.66  119,729.00      39,702.66  109,729.00  10,000.00",
		"2023    80,918.28        0.00      80,918.28        0.00       0.00",
		"2024    81,565.62        0.00      81,565.62        0.00       0.00",
		// The column sums, a cent above the summary's exact totals, and the
		// note that says why.
		"Total  321,915.56  119,729.00     202,186.56  109,729.00  10,000.00",
		"differ from them by a few cents",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}

	// Without a permanent post there is no column for the cost after the
	// funding, and totals equal to the summary's need no note.
	code, out, _ = runCLI(t, "", "plan", demoFile)
	if code != 0 || strings.Contains(out, "AFTER FUNDING") || strings.Contains(out, "few cents") {
		t.Errorf("demo report: exit %d, a cost-after-funding column or a rounding note:\n%s", code, out)
	}

	// A start after the horizon leaves the budget empty, and says so.
	code, out, _ = runCLI(t, "", "plan", "--start", "2025-01-01", "--lang", "de", budgetFile)
	if want := "Keine: Der Plan beginnt am 01.01.2025, nach dem Planungshorizont 31.12.2024."; code != 0 || !strings.Contains(out, want) {
		t.Errorf("exit %d; report lacks %q:\n%s", code, want, out)
	}
}

// TestHelpNamesOwnFlags: each command's help speaks of its own flags and
// output: a command without --json does not mention it, and one that
// writes no report does not call its --lang the report's.
func TestHelpNamesOwnFlags(t *testing.T) {
	for _, command := range []string{"plan", "whatif", "risk", "export", "report", "import", "template"} {
		t.Run(command, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", command, "--help")
			if code != 0 {
				t.Fatalf("exit %d", code)
			}
			help := out + errOut
			if strings.Contains(help, "--json") && !strings.Contains(help, "\n  -json") {
				t.Errorf("the help mentions --json, which %s does not have:\n%s", command, help)
			}
			if command != "report" && strings.Contains(help, "the report's") && !strings.Contains(help, "\n  -json") {
				t.Errorf("the help speaks of a report, which %s does not print:\n%s", command, help)
			}
		})
	}
}
