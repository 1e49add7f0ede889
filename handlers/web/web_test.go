package web

import (
	"testing"
	"testing/fstest"

	"grantplan/locale"
	"grantplan/templates"
)

func TestAcceptLanguage(t *testing.T) {
	tests := []struct {
		header string
		want   locale.Lang
	}{
		{"", locale.English}, {"de", locale.German}, {"de-AT,en;q=0.5", locale.German},
		{"en;q=0.4, de;q=0.6", locale.German}, {"fr, it", locale.English}, {"de;q=x", locale.English},
	}
	for _, tt := range tests {
		if got := acceptLanguage(tt.header); got != tt.want {
			t.Errorf("acceptLanguage(%q): got %s, want %s", tt.header, got, tt.want)
		}
	}
}

// TestBrokenTemplateStopsStartUp: a template that does not parse stops
// the router from being built, instead of answering 500s later.
func TestBrokenTemplateStopsStartUp(t *testing.T) {
	broken := fstest.MapFS{}
	entries, _ := templates.FS.ReadDir(".")
	for _, e := range entries {
		b, _ := templates.FS.ReadFile(e.Name())
		broken[e.Name()] = &fstest.MapFile{Data: b}
	}
	broken["history.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{.Missing`)}
	defer func() {
		if recover() == nil {
			t.Error("a broken template was parsed without a panic")
		}
	}()
	parsePages(broken)
}
