package view

import "grantplan/locale"

// tr translates a text of the web pages into l. The pages' catalog is
// package locale's (locale.Lang.Page), as are flag sentences and labels,
// severities, phases, dates and amounts.
func tr(l locale.Lang, s string) string { return l.Page(s) }
