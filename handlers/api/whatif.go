package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"grantplan/planner"
	"grantplan/service"
	"grantplan/whatif"
)

// whatIfRequest is the decoded body of POST /api/v1/whatif: a scenario,
// given inline or by the id of a stored one, and its variants.
type whatIfRequest struct {
	scenario   json.RawMessage
	scenarioID string
	variants   []whatif.Variant
}

// WhatIf answers POST /api/v1/whatif: the base scenario and every variant
// planned side by side (docs/api.md, What-if). A variant whose patch does not apply or
// yields an invalid scenario is a 422 whose problems name it.
func (a *Handlers) WhatIf(c *gin.Context) {
	body, err := readJSON(c)
	if err != nil {
		a.Fail(c, err)
		return
	}
	req, err := decodeWhatIf(body)
	if err != nil {
		a.Fail(c, err)
		return
	}
	result, err := a.service.WhatIf(c.Request.Context(), source(req.scenario, req.scenarioID), req.variants)
	if err != nil {
		a.Fail(c, err)
		return
	}
	a.writeJSON(c, http.StatusOK, result)
}

// decodeWhatIf decodes the what-if envelope strictly: unknown fields,
// wrong types, a missing or doubled base and bad variants are all
// reported, each with its path, as one *planner.ValidationError (422). A
// body that is not JSON is a 400. The scenario itself is left to
// whatif.Run, which validates it with the variants.
func decodeWhatIf(body []byte) (whatIfRequest, error) {
	var ps problemList
	var req whatIfRequest
	members, ok := ps.object("$", body, "scenario", "scenario_id", "variants")
	if !ok {
		return req, malformedOr(body, ps.err())
	}
	req.scenario, req.scenarioID = decodeBase(&ps, members)
	req.variants = decodeVariants(&ps, members)
	return req, ps.err()
}

// decodeBase decodes the scenario a request works on: inline as
// "scenario", or the id of a stored one as "scenario_id", exactly one.
func decodeBase(ps *problemList, members map[string]json.RawMessage) (scenario json.RawMessage, id string) {
	scenario = members["scenario"]
	raw, idGiven := members["scenario_id"]
	if idGiven {
		if err := json.Unmarshal(raw, &id); err != nil {
			ps.add("scenario_id", "want the id of a stored scenario (a string), got %s", kindOf(raw))
		} else if id == "" {
			ps.add("scenario_id", "must not be empty")
		}
	}
	switch {
	case scenario != nil && idGiven:
		ps.add("scenario_id", "give either scenario or scenario_id, not both")
	case scenario == nil && !idGiven:
		ps.add("scenario", "required: give the scenario or the scenario_id of a stored one")
	}
	return scenario, id
}

// source is the scenario a request works on: the inline one, or the
// current revision of the stored one with the id.
func source(scenario json.RawMessage, id string) service.Source {
	if id == "" {
		return service.Posted(scenario)
	}
	return service.Stored(id, 0)
}

// decodeVariants decodes the "variants" member of the what-if envelope,
// adding its problems to ps.
func decodeVariants(ps *problemList, members map[string]json.RawMessage) []whatif.Variant {
	raw, given := members["variants"]
	if !given {
		ps.add("variants", "required: give at least one variant")
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		ps.add("variants", "want an array of variants, got %s", kindOf(raw))
		return nil
	}
	switch n := len(items); {
	case n == 0:
		ps.add("variants", "must hold at least one variant")
	case n > whatif.MaxVariants:
		ps.add("variants", "holds %d variants, at most %d allowed", n, whatif.MaxVariants)
		return nil
	}
	variants := make([]whatif.Variant, 0, len(items))
	firstWithName := make(map[string]int, len(items))
	for i, item := range items {
		path := fmt.Sprintf("variants[%d]", i)
		fields, ok := ps.object(path, item, "name", "patch", "merge")
		if !ok {
			continue
		}
		var v whatif.Variant
		label := path // how messages name the variant: by name once it has one
		if raw, given := fields["name"]; !given {
			ps.add(path+".name", "required: every variant needs a name")
		} else if err := json.Unmarshal(raw, &v.Name); err != nil {
			ps.add(path+".name", "want a string, got %s", kindOf(raw))
		} else if strings.TrimSpace(v.Name) == "" {
			ps.add(path+".name", "must not be empty")
		} else if first, dup := firstWithName[v.Name]; dup {
			ps.add(path+".name", "variant %q: the name is taken by variants[%d]", v.Name, first)
			label = fmt.Sprintf("variant %q", v.Name)
		} else {
			firstWithName[v.Name] = i
			label = fmt.Sprintf("variant %q", v.Name)
		}
		v.Patch, v.Merge = fields["patch"], fields["merge"]
		switch {
		case v.Patch != nil && v.Merge != nil:
			ps.add(path, "%s has both a patch and a merge patch: give one", label)
		case v.Patch == nil && v.Merge == nil:
			ps.add(path, "%s needs a patch (RFC 6902, an array of operations) or a merge patch (RFC 7386, an object)", label)
		case v.Patch != nil && kindOf(v.Patch) != "an array":
			ps.add(path+".patch", "%s: want an RFC 6902 JSON Patch (an array of operations), got %s", label, kindOf(v.Patch))
		case v.Merge != nil && kindOf(v.Merge) != "an object":
			ps.add(path+".merge", "%s: want an RFC 7386 merge patch (an object), got %s", label, kindOf(v.Merge))
		}
		variants = append(variants, v)
	}
	return variants
}

// problemList collects the problems of a request envelope.
type problemList struct {
	problems []planner.Problem
}

func (ps *problemList) add(path, format string, args ...any) {
	ps.problems = append(ps.problems, planner.Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (ps *problemList) err() error {
	if len(ps.problems) == 0 {
		return nil
	}
	return &planner.ValidationError{Problems: ps.problems}
}

// object decodes raw as a JSON object whose keys must be among known,
// reporting every other key at its path. A null member counts as absent.
// It reports false, with a problem, when raw is not an object.
func (ps *problemList) object(path string, raw json.RawMessage, known ...string) (map[string]json.RawMessage, bool) {
	var members map[string]json.RawMessage
	if kindOf(raw) != "an object" || json.Unmarshal(raw, &members) != nil {
		ps.add(path, "want an object, got %s", kindOf(raw))
		return nil, false
	}
	var unknown []string
	for key, value := range members {
		switch {
		case !slices.Contains(known, key):
			unknown = append(unknown, key)
		case kindOf(value) == "null":
			delete(members, key)
		}
	}
	slices.Sort(unknown) // a map has no order; problems should have one
	for _, key := range unknown {
		ps.add(joinPath(path, key), "unknown field (want one of %s)", strings.Join(known, ", "))
	}
	return members, true
}

// joinPath is the path of member key of the object at path.
func joinPath(path, key string) string {
	if path == "$" {
		return key
	}
	return path + "." + key
}

// kindOf names the kind of JSON value raw holds, for messages.
func kindOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
