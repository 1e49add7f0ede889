package handlers

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxSlugLength bounds an id made from a name; the store may add "-2" and
// so on to make it unique.
const maxSlugLength = 64

// germanLetters are transliterated the German way before anything else,
// so that "Müller" becomes "mueller" and not "muller".
var germanLetters = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss")

// slug makes a scenario id of a name: German umlauts and ß transliterated,
// other accents dropped ("é" → "e"), lower case, every run of characters
// other than a–z and 0–9 turned into one "-", no "-" at either end, at
// most 64 characters; "scenario" if nothing is left.
func slug(name string) string {
	name = germanLetters.Replace(strings.ToLower(name))
	var b strings.Builder
	pendingDash := false
	// NFKD splits "é" into "e" and a combining accent, and "ﬁ" into "fi".
	for _, r := range norm.NFKD.String(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if pendingDash && b.Len() > 0 {
				b.WriteByte('-')
			}
			pendingDash = false
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
			// An accent of the letter before: dropped, not a separator.
		default:
			pendingDash = true
		}
		if b.Len() >= maxSlugLength {
			break
		}
	}
	s := strings.TrimRight(b.String()[:min(b.Len(), maxSlugLength)], "-")
	if s == "" {
		return "scenario"
	}
	return s
}
