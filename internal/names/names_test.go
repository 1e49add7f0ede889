package names

import (
	"strings"
	"testing"
	"unicode"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Förderung Straße", "Foerderung Strasse"},
		{"ÄÖÜ äöü ß ẞ", "AeOeUe aeoeue ss SS"},
		{"Café Élysée", "Cafe Elysee"},
		{"ﬁle", "file"},
		{"Łódź 東京", "Łodz 東京"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	letterOrDigit := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"  --Plan 2022 (v2)!--  ", 0, "Plan-2022-v2"},
		{"!!!", 0, ""},
		{strings.Repeat("a", 9) + " b", 10, strings.Repeat("a", 9)},
		{strings.Repeat("ü", 6), 5, "üü"}, // cut at a rune boundary
		{"Förderung: Müller/Straße?", 0, "Förderung-Müller-Straße"},
	}
	for _, tt := range tests {
		got := Clean(tt.in, letterOrDigit, tt.max)
		if got != tt.want {
			t.Errorf("Clean(%q, %d): got %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if tt.max > 0 && len(got) > tt.max {
			t.Errorf("Clean(%q, %d): got %d bytes", tt.in, tt.max, len(got))
		}
	}
}
