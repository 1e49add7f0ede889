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

// Attachment is the Content-Disposition of a download named name: an
// ASCII filename for old clients and the exact UTF-8 name in filename*
// (RFC 6266, RFC 8187), so that "Förderung" arrives with its umlaut.
func Attachment(name string) string {
	return `attachment; filename="` + asciiName(name) + `"; filename*=UTF-8''` + encodeExtValue(name)
}

// asciiName reduces a file name to printable ASCII without quotes or
// backslashes: umlauts transliterated, accents dropped, anything else "_".
func asciiName(name string) string {
	return strings.Map(func(r rune) rune {
		if r > 0x20 && r < 0x7f && r != '"' && r != '\\' {
			return r
		}
		return '_'
	}, Fold(name))
}

// encodeExtValue percent-encodes name as an RFC 8187 value: UTF-8 bytes,
// every byte but the attr-chars as %XX.
func encodeExtValue(name string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
