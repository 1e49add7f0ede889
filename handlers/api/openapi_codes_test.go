package api

import (
	"encoding/json"
	"slices"
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
