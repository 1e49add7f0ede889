package names

import (
	"mime"
	"testing"
)

func TestAttachment(t *testing.T) {
	tests := []struct{ name, want string }{
		{"plan-2026-11-24.xlsx", `attachment; filename="plan-2026-11-24.xlsx"; filename*=UTF-8''plan-2026-11-24.xlsx`},
		{"Förderung-Straße-Çelik-2026-11-24.xlsx", `attachment; filename="Foerderung-Strasse-Celik-2026-11-24.xlsx"; filename*=UTF-8''F%C3%B6rderung-Stra%C3%9Fe-%C3%87elik-2026-11-24.xlsx`},
		{"東京-2026-11-24.xlsx", `attachment; filename="__-2026-11-24.xlsx"; filename*=UTF-8''%E6%9D%B1%E4%BA%AC-2026-11-24.xlsx`},
	}
	for _, tt := range tests {
		if got := Attachment(tt.name); got != tt.want {
			t.Errorf("Attachment(%q) = %s, want %s", tt.name, got, tt.want)
		}
		if _, params, err := mime.ParseMediaType(Attachment(tt.name)); err != nil || params["filename"] != tt.name {
			t.Errorf("mime reads Attachment(%q) as %q (%v), want the UTF-8 name", tt.name, params["filename"], err)
		}
	}
}
