// Package locale holds every word grantplan shows a person, in English and
// German, and the way each language writes dates, numbers, amounts and
// periods. The web pages, the workbook and the command line take their
// texts from here; the planner only states facts (a flag's code, dates and
// amounts), and this package turns them into sentences.
//
// Texts are looked up by message id ("workbook.sheet.gantt",
// "flag.NOT_FILLED_BEFORE_EXPIRY.text") in one catalog per language
// (catalog_en.go, catalog_de.go); the tests fail when an id is in one
// catalog and not the other, or when a flag code of the planner has no
// label or sentence. The words follow docs/glossary.md.
//
// The web pages' templates name their texts by id too ({{.T
// "page.list.new"}}); the tests walk every template's parse tree and the
// syntax trees of the Go code that speaks, and fail on an id that is
// missing from a catalog.
package locale

import (
	"fmt"
	"strings"
)

// A Lang is a language a person reads grantplan in. The JSON documents
// (plans, risk runs, what-ifs) stay English with ISO dates whatever the
// language; the workbook, the web pages and the command line speak
// either.
type Lang string

// The languages.
const (
	English Lang = "en"
	German  Lang = "de"
)

// Langs lists the languages, English first.
var Langs = []Lang{English, German}

// ParseLang reads "en" or "de" (any case, a region like "de-DE" allowed).
func ParseLang(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if base, _, ok := strings.Cut(s, "-"); ok {
		s = base
	}
	switch Lang(s) {
	case English, German:
		return Lang(s), true
	}
	return "", false
}

// A catalog maps message ids to the texts of one language. A text may hold
// fmt verbs (Printf) or, for flag sentences, facts in braces (Flag).
type catalog map[string]string

// catalogs holds the catalog of each language.
var catalogs = map[Lang]catalog{English: english, German: german}

// lookup finds id's text in l, falling back to English for a language
// without one.
func (l Lang) lookup(id string) (string, bool) {
	if c, ok := catalogs[l]; ok {
		if text, ok := c[id]; ok {
			return text, true
		}
	}
	text, ok := english[id]
	return text, ok
}

// Text returns the text of message id in l. An unknown id comes back as
// itself, so that a missing text shows (and fails a golden test) rather
// than vanishing.
func (l Lang) Text(id string) string {
	if text, ok := l.lookup(id); ok {
		return text
	}
	return id
}

// Printf fills in the text of message id with args, as fmt.Sprintf does.
func (l Lang) Printf(id string, args ...any) string {
	return fmt.Sprintf(l.Text(id), args...)
}

// Plural fills in the text of id+".one" when n is 1 and of id+".other"
// otherwise; n is the first argument, args follow it. English and German
// both have these two forms.
func (l Lang) Plural(id string, n int, args ...any) string {
	form := ".other"
	if n == 1 {
		form = ".one"
	}
	return fmt.Sprintf(l.Text(id+form), append([]any{n}, args...)...)
}
