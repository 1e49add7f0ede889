package templates

import (
	"io/fs"
	"testing"
)

// TestFiles checks that the pages and static files are embedded.
func TestFiles(t *testing.T) {
	for _, name := range []string{"layout.html", "partials.html", "list.html", "scenario.html", "edit.html", "whatif.html", "compare.html", "history.html", "delete.html", "error.html"} {
		if _, err := fs.Stat(FS, name); err != nil {
			t.Errorf("template %s: %v", name, err)
		}
	}
	for _, name := range []string{"style.css", "app.js"} {
		if _, err := fs.Stat(Static, name); err != nil {
			t.Errorf("static file %s: %v", name, err)
		}
	}
}
