package api

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"grantplan/planner"
)

// TestOpenAPIFlagCodes: the OpenAPI document lists exactly the planner's
// flag codes and severities, so that a new code is described where
// clients read it.
func TestOpenAPIFlagCodes(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum       []string `json:"enum"`
				Properties map[string]struct {
					Enum []string `json:"enum"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range planner.Codes() {
		codes = append(codes, string(c))
	}
	if got := doc.Components.Schemas["FlagCode"].Enum; !slices.Equal(got, codes) {
		t.Errorf("FlagCode enum %q, want planner.Codes() %q", got, codes)
	}
	var severities []string
	for _, s := range planner.Severities() {
		severities = append(severities, string(s))
	}
	if got := doc.Components.Schemas["Flag"].Properties["severity"].Enum; !slices.Equal(got, severities) {
		t.Errorf("Flag.severity enum %q, want %q", got, severities)
	}
}

// TestOpenAPICostFields: every field of the cost, own share and budget
// years is in the OpenAPI document with a description that points to the
// rule in docs/scenario.md.
func TestOpenAPICostFields(t *testing.T) {
	type schema struct {
		Description string            `json:"description"`
		Properties  map[string]schema `json:"properties"`
		Items       *schema           `json:"items"`
	}
	var doc struct {
		Components struct {
			Schemas map[string]schema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	const section = "docs/scenario.md, Cost, own share and budget years"
	schemas := doc.Components.Schemas
	fields := []struct {
		schema, property string
	}{
		{"Scenario", "horizon"}, {"Scenario", "pay_raises"},
		{"PayRaise", ""}, {"Employment", ""}, {"BudgetYear", ""},
		{"PositionPlan", "total_cost"}, {"PositionPlan", "own_share"}, {"PositionPlan", "cost_after_funding"},
		{"Summary", "total_cost"}, {"Summary", "own_share"}, {"Summary", "cost_after_funding"}, {"Summary", "budget"},
		{"BudgetYear", "cost"}, {"BudgetYear", "funded"}, {"BudgetYear", "own_share"}, {"BudgetYear", "funding"},
		{"Delta", "total_cost"}, {"Delta", "own_share"}, {"Delta", "cost_after_funding"},
	}
	for _, f := range fields {
		s, ok := schemas[f.schema]
		if ok && f.property != "" {
			s, ok = s.Properties[f.property]
		}
		switch {
		case !ok:
			t.Errorf("%s.%s is not in the OpenAPI document", f.schema, f.property)
		case !strings.Contains(s.Description, section):
			t.Errorf("%s.%s: description %q does not cite %q", f.schema, f.property, s.Description, section)
		}
	}
	for _, s := range []schema{schemas["PositionDefaults"], schemas["Position"]} {
		if _, ok := s.Properties["employment"]; !ok {
			t.Errorf("a position or its defaults lack employment")
		}
	}
	if draw := schemas["BudgetYear"].Properties["funding"].Items; draw == nil || !strings.Contains(draw.Properties["funded"].Description, section) {
		t.Errorf("BudgetYear.funding[].funded lacks a description citing %q", section)
	}
}

// TestOpenAPIAuditActions: the OpenAPI document lists exactly the actions
// the service writes to the audit log (each a literal in a call of record
// or appendAudit in package service), so that a new action is described
// where clients read it.
func TestOpenAPIAuditActions(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum []string `json:"enum"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../../service/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sources of package service: %v", err)
	}
	call := regexp.MustCompile(`(?:\brecord\(ctx,|\bappendAudit\((?:[^,]+,){5}) *"([a-z.]+)"`)
	var actions []string
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllSubmatch(text, -1) {
			actions = append(actions, string(m[1]))
		}
	}
	slices.Sort(actions)
	actions = slices.Compact(actions)
	got := slices.Clone(doc.Components.Schemas["AuditEntry"].Properties["action"].Enum)
	slices.Sort(got)
	if !slices.Equal(got, actions) {
		t.Errorf("AuditEntry.action enum %q, want the actions the service records %q", got, actions)
	}
}
