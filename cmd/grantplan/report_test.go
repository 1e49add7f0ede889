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

// TestReportsGolden: the reports for people of plan, whatif and risk, in
// English (the default) and German (--lang de), byte for byte as the
// golden files under testdata have them (go test -update rewrites them).
func TestReportsGolden(t *testing.T) {
	variants := []string{
		"--variant", "earlier=../../data/whatif/decide-a-year-earlier.json",
		"--variant", "parallel=../../data/whatif/hire-in-parallel.json",
		"--variant", "extended=../../data/whatif/extend-to-2023.json",
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
