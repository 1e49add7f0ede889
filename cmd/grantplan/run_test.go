package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
)

const demoFile = "../../data/kim-siegen-wittgenstein.json"

// runCLI runs the program with args and stdin and returns its exit
// status, standard output and standard error.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"grantplan"}, args...), strings.NewReader(stdin), &stdout, &stderr)
	return exitCode(err), stdout.String(), stderr.String()
}

func TestPlanReport(t *testing.T) {
	code, out, errOut := runCLI(t, "", "plan", demoFile)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"KIM Kreis Siegen-Wittgenstein",
		"ovh-gesamtkoordination    2021-10-01    2022-07-01  2022-10-01          3.00   27,500.00  38,840.77      11,340.77         -30  short productive time",
		"cm-wittgenstein           2022-07-01    2023-04-01  2023-10-01          0.00        0.00       0.00           0.00        -376  not filled in time",
		"Flags: 6 critical, 1 warning, 0 info",
		"critical  Case Manager Wittgenstein (S 12) is filled only on 2023-04-01, 91 days after its funding",
		"Productive FTE-months   25.00 of 150.00 possible (utilisation 16.67 %)",
		"Funded cost             174,166.67 EUR",
		"Total cost              210,370.63 EUR",
		"Own share               36,203.97 EUR (what the county pays itself)",
		"Unclaimed (lapses)      925,833.33 EUR",
		"Latest safe decision    2020-09-01 (this plan starts 395 days later)",
		"kim-b2  2021-01-01 – 2022-12-31    9,166.67     660,000.00     650,833.33        –             –",
		"2022   210,370.63  174,166.67      36,203.97  165,000.00    9,166.67",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// TestPlanJSONGolden: plan --json prints the plan document byte for byte as
// the planner's golden file has it, English flag messages included.
func TestPlanJSONGolden(t *testing.T) {
	code, out, errOut := runCLI(t, "", "plan", "--json", demoFile)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	want, err := os.ReadFile("../../planner/testdata/kim-siegen-wittgenstein.plan.json")
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("plan --json differs from the planner's golden file:\n%s", out)
	}
}

// TestReportGerman writes the demo's report in German: the words are the
// locale's, dates and amounts in German form.
func TestReportGerman(t *testing.T) {
	s, err := planner.Decode(data.Demo)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := writeReport(&b, plan, locale.German); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Beschluss (Planungsbeginn): 01.10.2021, 10 Stellen",
		"STELLE                    SUCHBEGINN  BESETZT     PRODUKTIV   PROD. MONATE  GEFÖRDERT EUR  GESAMT EUR  EIGENANTEIL EUR  PUFFER TAGE  HINWEISE",
		"27.500,00   38.840,77        11.340,77          -30  kurze produktive Zeit",
		"Hinweise: 6 kritisch, 1 Warnung, 0 Info",
		"critical  Case Manager Wittgenstein (S 12) wird erst am 01.04.2023 besetzt, 91 Tage nach dem Ende",
		"Geförderte Kosten             174.166,67 €",
		"Eigenanteil                   36.203,97 € (trägt der Kreis selbst)",
		"JAHR   KOSTEN EUR  GEFÖRDERT EUR  EIGENANTEIL EUR  KIM-B1 EUR  KIM-B2 EUR",
		"Spätester sicherer Beschluss  01.09.2020 (dieser Plan beginnt 395 Tage später)",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}

func TestPlanJSON(t *testing.T) {
	code, out, _ := runCLI(t, "", "plan", "--json", demoFile)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var plan struct {
		Start   string
		Summary struct {
			Critical        int               `json:"critical"`
			FundedCost      json.Number       `json:"funded_cost"`
			LatestSafeStart string            `json:"latest_safe_start"`
			Funding         []json.RawMessage `json:"funding"`
		}
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatal(err)
	}
	if plan.Start != "2021-10-01" || plan.Summary.Critical != 6 || plan.Summary.FundedCost != "174166.67" || plan.Summary.LatestSafeStart != "2020-09-01" || len(plan.Summary.Funding) != 2 {
		t.Errorf("plan --json: %+v", plan)
	}
}

func TestPlanOptions(t *testing.T) {
	demo, err := os.ReadFile(demoFile)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		stdin     string
		args      []string
		wantCode  int
		wantOut   string
		wantError string
	}{
		{name: "flags after the file", args: []string{"plan", demoFile, "--start", "2020-09-01"}, wantOut: "Flags: 0 critical, 1 warning"},
		{name: "start the day after the latest safe one", args: []string{"plan", "--start", "2020-09-02", demoFile}, wantOut: "critical"},
		{name: "fail on critical", args: []string{"plan", demoFile, "--fail-on", "critical"}, wantCode: 3, wantError: "critical flags"},
		{name: "fail on warning with only a warning", args: []string{"plan", demoFile, "--start", "2020-07-01", "--fail-on", "warning"}, wantCode: 3},
		{name: "fail on critical with only a warning", args: []string{"plan", demoFile, "--start", "2020-07-01", "--fail-on", "critical"}, wantCode: 0},
		// Safe, but one post is filled a month before its funding starts.
		{name: "safe start passes critical", args: []string{"plan", demoFile, "--start", "2020-09-01", "--fail-on", "critical"}, wantCode: 0},
		{name: "safe start has a warning", args: []string{"plan", demoFile, "--start", "2020-09-01", "--fail-on", "warning"}, wantCode: 3},
		{name: "stdin", stdin: string(demo), args: []string{"plan", "-", "--json"}, wantOut: `"funded_cost": 174166.67`},
		{name: "bad severity", args: []string{"plan", demoFile, "--fail-on", "info"}, wantCode: 2, wantError: `--fail-on: "info" is not critical or warning`},
		{name: "bad start", args: []string{"plan", demoFile, "--start", "2021-02-30"}, wantCode: 2, wantError: "--start:"},
		{name: "no file", args: []string{"plan"}, wantCode: 2, wantError: "exactly one scenario file"},
		{name: "two files", args: []string{"plan", demoFile, demoFile}, wantCode: 2, wantError: "exactly one scenario file"},
		{name: "missing file", args: []string{"plan", "no-such-file.json"}, wantCode: 2, wantError: "no-such-file.json"},
		{name: "unknown flag", args: []string{"plan", "--jsn", demoFile}, wantCode: 2, wantError: "flag provided but not defined: -jsn"},
		{name: "unknown command", args: []string{"plna"}, wantCode: 2, wantError: `unknown command "plna"`},
		{name: "no command", args: nil, wantCode: 2, wantError: "Usage:"},
		{name: "help", args: []string{"help"}, wantOut: "Usage:"},
		{name: "not JSON on stdin", stdin: "{", args: []string{"plan", "-"}, wantCode: 2, wantError: "$: invalid JSON: unexpected end of input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.stdin, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.wantCode, errOut)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantOut, out)
			}
			if !strings.Contains(errOut, tt.wantError) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.wantError)
			}
		})
	}
}

// TestPlanInvalidScenario checks exit status 2 and one line per problem,
// each starting with its JSON path.
func TestPlanInvalidScenario(t *testing.T) {
	scenario := `{"name": "x", "start": "2021-13-01", "funding": [{"id": "f", "start": "2021-01-01", "end": "2022-12-31"}],
		"positions": [{"id": "a", "titel": "A", "recruiting": "P3X", "after": ["b"]}, {"id": "b", "after": ["a"]}, {"id": "a"}]}`
	code, out, errOut := runCLI(t, scenario, "plan", "-")
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q; want 2 and nothing", code, out)
	}
	want := []string{
		`start: "2021-13-01" is not a calendar day`,
		`positions[0].titel: unknown field (did you mean "title"?)`,
		`positions[0].recruiting: "P3X" is not a period`,
		`positions[2].id: duplicate id "a" (first at positions[0])`,
		`positions[0].after[0]: dependency cycle: a -> b -> a`,
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), errOut)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want it to start with %q", i, lines[i], w)
		}
	}
}

func TestWhatIf(t *testing.T) {
	code, out, errOut := runCLI(t, "", "whatif", demoFile,
		"--variant", "earlier=../../data/whatif/decide-a-year-earlier.json",
		"--variant", "extended=../../data/whatif/extend-to-2023.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"BASE", "EARLIER", "EXTENDED",
		"Critical flags                  6                    0 (-6)                    0 (-6)",
		"Latest safe decision   2020-09-01                2020-09-01    2021-09-01 (+365 days)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("comparison lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = runCLI(t, "", "whatif", demoFile, "--json", "--variant", "earlier=../../data/whatif/decide-a-year-earlier.json")
	var result struct {
		Variants []struct {
			Name  string
			Delta struct {
				Critical int `json:"critical"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &result); code != 0 || err != nil || len(result.Variants) != 1 || result.Variants[0].Delta.Critical != -6 {
		t.Errorf("whatif --json: exit %d, %v, %+v", code, err, result)
	}
}

func TestWhatIfErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	failing := write("failing.json", `[{"op": "remove", "path": "/positions/42"}]`)
	invalid := write("invalid.json", `{"start": "someday"}`)
	scalar := write("scalar.json", `42`)
	tests := []struct {
		name      string
		args      []string
		wantError string
	}{
		{name: "no variant", args: []string{"whatif", demoFile}, wantError: "at least one --variant"},
		{name: "no name", args: []string{"whatif", demoFile, "--variant", failing}, wantError: "want NAME=PATCHFILE"},
		{name: "missing patch file", args: []string{"whatif", demoFile, "--variant", "x=nope.json"}, wantError: "nope.json"},
		{name: "neither patch kind", args: []string{"whatif", demoFile, "--variant", "x=" + scalar}, wantError: "neither a JSON Patch"},
		{name: "failing patch", args: []string{"whatif", demoFile, "--variant", "gone=" + failing}, wantError: `variants[0]: variant "gone" patch does not apply`},
		{name: "invalid result", args: []string{"whatif", demoFile, "--variant", "someday=" + invalid}, wantError: `variants[0]: variant "someday" gives an invalid scenario: start: "someday" is not a date`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.wantError) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.wantError)
			}
		})
	}
}
