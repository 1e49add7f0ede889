package service

import (
	"strings"
	"testing"
)

// TestID checks how scenario ids are made from names.
func TestID(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{name: "KIM Siegen-Wittgenstein", want: "kim-siegen-wittgenstein"},
		{name: "Straßenbau Köln", want: "strassenbau-koeln"},
		{name: "ÄÖÜ äöü ß ẞ", want: "aeoeue-aeoeue-ss-ss"},
		{name: "Café Élysée", want: "cafe-elysee"},
		{name: "  --Plan 2022 (v2)!--  ", want: "plan-2022-v2"},
		{name: "a_b.c", want: "a-b-c"},
		{name: "", want: "scenario"},
		{name: "!!!", want: "scenario"},
		{name: "日本語", want: "scenario"},
		{name: strings.Repeat("ab ", 40), want: strings.TrimSuffix(strings.Repeat("ab-", 22), "-")[:64]},
		{name: strings.Repeat("a", 63) + " b", want: strings.Repeat("a", 63)},
		{name: strings.Repeat("ü", 40), want: strings.Repeat("ue", 32)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ID(tt.name)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if len(got) > maxIDLength || strings.HasSuffix(got, "-") {
				t.Errorf("got %q: longer than %d or ending in '-'", got, maxIDLength)
			}
		})
	}
}
