// Package templates holds the web pages' HTML templates and their static
// files (CSS, a little JavaScript), embedded so that the binary carries
// them. Package handlers/pages parses and renders them; nothing here knows Gin.
package templates

import (
	"embed"
	"io/fs"
)

// FS holds the templates: layout.html, partials.html and one file per
// page, each defining "content".
//
//go:embed *.html
var FS embed.FS

//go:embed static
var static embed.FS

// Static holds the files served under /static/.
var Static = mustSub(static, "static")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
