// Package names turns what people call things into ids and file names. It
// holds the one table of German letters (ä → ae, ß → ss) and the one rule
// by which a name is cleaned, so that a scenario's id, its workbook's file
// name and that name's ASCII form agree on what "Förderung" becomes.
package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// germanLetters are transliterated the German way before anything else,
// so that "Müller" becomes "Mueller" and not "Muller".
var germanLetters = strings.NewReplacer(
	"ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss", "ẞ", "SS")

// Fold returns s with German umlauts and ß transliterated and every other
// accent dropped ("é" → "e"); NFKD also splits ligatures ("ﬁ" → "fi").
// Letters without a decomposition ("ł", "東") are left as they are.
func Fold(s string) string {
	s = norm.NFKD.String(germanLetters.Replace(s))
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1 // an accent of the letter before
		}
		return r
	}, s)
}

// Clean keeps the runes of s that keep accepts and turns every run of
// other runes into one "-", with no "-" at either end. The result is at
// most maxBytes long (0: no limit), cut at a rune boundary; it is empty
// when nothing is kept.
func Clean(s string, keep func(rune) bool, maxBytes int) string {
	var b strings.Builder
	pendingDash := false
	for _, r := range s {
		if !keep(r) {
			pendingDash = true
			continue
		}
		if pendingDash && b.Len() > 0 {
			b.WriteByte('-')
		}
		pendingDash = false
		b.WriteRune(r)
		if maxBytes > 0 && b.Len() >= maxBytes {
			break
		}
	}
	out := b.String()
	if maxBytes > 0 && len(out) > maxBytes {
		cut := maxBytes
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = out[:cut]
	}
	return strings.TrimRight(out, "-")
}
