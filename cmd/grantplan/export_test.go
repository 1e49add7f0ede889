package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestExport(t *testing.T) {
	demo, err := os.ReadFile(demoFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tests := []struct {
		name      string
		stdin     string
		args      []string
		out       string // the file the workbook goes to, in dir
		wantSheet string // the first sheet's name
		wantStart string // B2, the planning start as shown
	}{
		{name: "English by default", args: []string{"export", demoFile, "-o"}, out: "plan.xlsx", wantSheet: "Gantt"},
		{name: "German", args: []string{"export", "--lang", "de", demoFile, "-o"}, out: "plan-de.xlsx", wantSheet: "Zeitplan"},
		{name: "region and case", args: []string{"export", demoFile, "--lang", "DE-de", "-o"}, out: "plan-de-2.xlsx", wantSheet: "Zeitplan"},
		{name: "stdin", stdin: string(demo), args: []string{"export", "-", "-o"}, out: "stdin.xlsx", wantSheet: "Gantt"},
		{name: "German start date", args: []string{"export", "--lang", "de", "--start", "01.09.2020", demoFile, "-o"}, out: "start-de.xlsx", wantSheet: "Zeitplan",
			wantStart: "01.09.2020"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.out)
			code, out, errOut := runCLI(t, tt.stdin, append(tt.args, path)...)
			if code != 0 || out != "" || errOut != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and silence", code, out, errOut)
			}
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList()[0]; got != tt.wantSheet {
				t.Errorf("got first sheet %q, want %q", got, tt.wantSheet)
			}
			if got, _ := f.GetCellValue(tt.wantSheet, "A1"); got != "KIM Kreis Siegen-Wittgenstein" {
				t.Errorf("A1 = %q", got)
			}
			if got, _ := f.GetCellValue(tt.wantSheet, "B2"); tt.wantStart != "" && got != tt.wantStart {
				t.Errorf("B2 = %q, want the planning start %s", got, tt.wantStart)
			}
		})
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("a temporary file is left behind: %s", e.Name())
		}
	}
}

func TestExportToStdout(t *testing.T) {
	code, out, errOut := runCLI(t, "", "export", demoFile, "-o", "-")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.HasPrefix(out, "PK\x03\x04") {
		t.Errorf("standard output is not a workbook: %q…", out[:min(len(out), 20)])
	}
}

// TestExportErrors checks that every mistake gives exit status 2, a
// message saying what is wrong, and no file.
func TestExportErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "plan.xlsx")
	invalid := `{"name": "x", "start": "2021-01-01", "funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}],
		"positions": [{"id": "a", "titel": "A"}, {"id": "b", "after": ["xyz"]}]}`
	tests := []struct {
		name      string
		stdin     string
		args      []string
		wantError []string // lines of standard error, each a prefix
		wantAlso  string   // a part of standard error
	}{
		{name: "no -o", args: []string{"export", demoFile}, wantError: []string{"Usage: grantplan export"},
			wantAlso: "grantplan: export needs -o OUT.xlsx"},
		{name: "no file", args: []string{"export", "-o", out}, wantError: []string{"Usage: grantplan export"},
			wantAlso: "grantplan: export needs exactly one scenario file"},
		{name: "bad language", args: []string{"export", demoFile, "-o", out, "--lang", "fr"},
			wantError: []string{`grantplan: --lang: "fr" is not a language of the workbook: want en or de`}},
		{name: "missing scenario", args: []string{"export", "nope.json", "-o", out}, wantError: []string{"grantplan: read scenario: open nope.json"}},
		{name: "invalid scenario", stdin: invalid, args: []string{"export", "-", "-o", out}, wantError: []string{
			`positions[0].titel: unknown field (did you mean "title"?)`,
			`positions[1].after[0]: unknown position "xyz"`,
		}},
		{name: "not JSON", stdin: "{", args: []string{"export", "-", "-o", out}, wantError: []string{"$: invalid JSON"}},
		{name: "unknown flag", args: []string{"export", demoFile, "-o", out, "--format", "csv"}, wantError: []string{"flag provided but not defined: -format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, errOut := runCLI(t, tt.stdin, tt.args...)
			if code != 2 || stdout != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, stdout)
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if tt.name == "invalid scenario" && len(lines) != len(tt.wantError) {
				t.Errorf("got %d lines, want %d:\n%s", len(lines), len(tt.wantError), errOut)
			}
			for i, want := range tt.wantError {
				if i >= len(lines) || !strings.HasPrefix(lines[i], want) {
					t.Errorf("stderr line %d does not start with %q:\n%s", i, want, errOut)
				}
			}
			if !strings.Contains(errOut, tt.wantAlso) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantAlso, errOut)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a workbook was written: %v", err)
			}
		})
	}
}

// TestExportWithRisk: --risk adds the Risk sheet with the given options;
// bad options are reported before anything is written.
func TestExportWithRisk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "risk.xlsx")
	code, _, errOut := runCLI(t, "", "export", "../../data/kim-siegen-wittgenstein-uncertain.json", "-o", path, "--risk", "--trials", "200", "--seed", "3")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if strings.Join(sheets, ",") != "Gantt,Summary,Budget,Flags,Assumptions,Risk,Input" {
		t.Fatalf("got sheets %q, want the Risk sheet after the plan's, then the Input", sheets)
	}
	if v, _ := f.GetCellValue("Risk", "B2", excelize.Options{RawCellValue: true}); v != "200" {
		t.Errorf("trials on the Risk sheet = %q, want 200", v)
	}
	bad := filepath.Join(t.TempDir(), "bad.xlsx")
	code, _, errOut = runCLI(t, "", "export", demoFile, "-o", bad, "--risk", "--trials", "0")
	if code != 2 || !strings.Contains(errOut, "--trials: 0 is out of range") {
		t.Errorf("--trials 0: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a workbook was written despite bad risk options")
	}
}
