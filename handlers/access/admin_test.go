package access

import (
	"testing"

	"grantplan/locale"
	"grantplan/service"
)

func TestAuditActor(t *testing.T) {
	tests := []struct {
		stored     string
		en, german string
	}{
		{"anna", "anna", "anna"},
		{service.CommandLine("root").String(), "command line (root)", "Kommandozeile (root)"},
		{service.CommandLine("").String(), "command line", "Kommandozeile"},
		{"first start", "first start", "erster Start"},
		{"share link 12", "share link 12", "Nur-Lese-Link 12"},
		{"command.line", "command.line", "command.line"}, // a user's name, not the command line
	}
	for _, tt := range tests {
		if got := auditActor(locale.English, tt.stored); got != tt.en {
			t.Errorf("English %q: got %q, want %q", tt.stored, got, tt.en)
		}
		if got := auditActor(locale.German, tt.stored); got != tt.german {
			t.Errorf("German %q: got %q, want %q", tt.stored, got, tt.german)
		}
	}
}

func TestFlashName(t *testing.T) {
	for query, want := range map[string]bool{
		"anna": true, "anna.berg@kreis.example": true, "": false, "Anna": false,
		"anna has been removed. Call 0800": false, "<b>x</b>": false,
	} {
		if _, ok := flashName(query); ok != want {
			t.Errorf("flashName(%q): %v, want %v", query, ok, want)
		}
	}
}
