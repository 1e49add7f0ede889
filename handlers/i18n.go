package handlers

import "grantplan/planner"

// tr translates a text of the web pages into l. The texts are written in
// English in the code and the templates; german maps each to its German
// form, and a text it lacks stays English (TestCatalogComplete finds
// them).
func tr(l planner.Lang, s string) string {
	if l == planner.German {
		if t, ok := german[s]; ok {
			return t
		}
	}
	return s
}

var german = map[string]string{}
