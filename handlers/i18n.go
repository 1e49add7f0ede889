package handlers

import "grantplan/locale"

// tr translates a text of the web pages into l. The pages' texts are still
// keyed by their English wording; the catalog is package locale's
// (locale.Lang.Page), as are flag sentences and labels, severities, phases,
// dates and amounts.
func tr(l locale.Lang, s string) string { return l.Page(s) }
