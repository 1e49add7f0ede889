package report

import (
	"bytes"
	"context"
	"testing"

	"grantplan/locale"
	"grantplan/planner"
)

// planDate is the date of the plan of every test report.
var planDate = planner.MustParseDate("2026-11-24")

// planOf decodes and plans a scenario.
func planOf(t testing.TB, scenario []byte) (*planner.Scenario, *planner.Plan) {
	t.Helper()
	s, err := planner.Decode(scenario)
	if err != nil {
		t.Fatalf("decode scenario: %v", err)
	}
	plan, err := s.Plan(context.Background())
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return s, plan
}

// write writes the report of a scenario in a language.
func write(t testing.TB, scenario []byte, lang locale.Lang, risk *planner.RiskOptions) []byte {
	t.Helper()
	s, plan := planOf(t, scenario)
	opts := Options{Lang: lang, Scenario: s, Source: scenario, Exported: planDate, Revision: 3, Saved: planner.MustParseDate("2026-11-12")}
	if risk != nil {
		r, err := s.Risk(context.Background(), *risk)
		if err != nil {
			t.Fatal(err)
		}
		opts.Risk = r
	}
	var buf bytes.Buffer
	if err := Write(&buf, plan, opts); err != nil {
		t.Fatalf("write report: %v", err)
	}
	return buf.Bytes()
}
