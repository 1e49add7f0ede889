package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRiskReport(t *testing.T) {
	code, out, errOut := runCLI(t, "", "risk", demoFile, "--spread", "0.8:1.5", "--trials", "3000", "--seed", "4")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"Risk of missing the funding end: 3000 trials, seed 4, decision 2021-10-01",
		"POST                      FUNDING END  P(PRODUCTIVE BY END)  P(MIN. TIME)  PRODUCTIVE P10",
		"cm-wittgenstein           2022-12-31                  0.0 %         0.0 %",
		"ovh-assistenz             2022-12-31                100.0 %       100.0 %",
		"Every post safe (productive for the minimum time before its funding ends): 0.0 % of trials",
		"Latest decision for 80.0 % confidence: 2020-",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "No period is a range") {
		t.Errorf("report says nothing is uncertain although --spread was given:\n%s", out)
	}
}

// TestRiskJSONWithoutRanges: the demo has no ranges, so every trial is the
// plan; the decision date is the plan's latest safe start.
func TestRiskJSONWithoutRanges(t *testing.T) {
	code, out, _ := runCLI(t, "", "risk", "--json", "--trials", "20", demoFile)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var risk struct {
		Trials    int    `json:"trials"`
		Seed      uint64 `json:"seed"`
		Positions []struct {
			ID    string  `json:"id"`
			ByEnd float64 `json:"p_productive_by_end"`
			P50   string  `json:"productive_p50"`
		} `json:"positions"`
		Summary struct {
			PAllSafe float64     `json:"p_all_safe"`
			P50      json.Number `json:"productive_fte_months_p50"`
		} `json:"summary"`
		Confidence     float64 `json:"confidence"`
		LatestDecision string  `json:"latest_decision"`
	}
	if err := json.Unmarshal([]byte(out), &risk); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if risk.Trials != 20 || risk.Seed != 0 || risk.Confidence != 0.8 || len(risk.Positions) != 10 {
		t.Errorf("trials %d, seed %d, confidence %v, %d positions; want 20, 0, 0.8, 10", risk.Trials, risk.Seed, risk.Confidence, len(risk.Positions))
	}
	if p := risk.Positions[4]; p.ID != "cm-wittgenstein" || p.ByEnd != 0 || p.P50 != "2023-10-01" {
		t.Errorf("cm-wittgenstein: %+v, want by end 0 and p50 2023-10-01 (the plan)", p)
	}
	if risk.Summary.PAllSafe != 0 || risk.Summary.P50 != "25.00" || risk.LatestDecision != "2020-09-01" {
		t.Errorf("summary %+v, latest decision %s; want 0, 25.00, 2020-09-01", risk.Summary, risk.LatestDecision)
	}
}

func TestRiskErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"zero trials", []string{"risk", demoFile, "--trials", "0"}, []string{"--trials: 0 is out of range: a risk run has 1 to 100000 trials"}},
		{"too many trials", []string{"risk", demoFile, "--trials", "100001"}, []string{"--trials: 100001 is out of range"}},
		{"confidence", []string{"risk", demoFile, "--confidence", "1.5", "--trials", "-3"},
			[]string{"--trials: -3 is out of range", "--confidence: 1.5 is out of range"}},
		{"spread factor", []string{"risk", demoFile, "--spread", "notice=0.5:0.9"}, []string{"--spread: notice max factor 0.9 is out of range"}},
		{"spread 0:0", []string{"risk", demoFile, "--spread", "0:0"}, []string{"--spread: recruiting max factor 0 is out of range"}},
		{"spread text", []string{"risk", demoFile, "--spread", "x=1:2"}, []string{`invalid value "x=1:2" for flag -spread: "x=1:2" is not a spread`}},
		{"no file", []string{"risk"}, []string{"risk needs exactly one scenario file"}},
		{"invalid scenario", []string{"risk", "-"}, []string{"name: required", "positions: required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "{}", tt.args...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			for _, want := range tt.want {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
		})
	}
}
