// Package templates holds the web pages' HTML templates and their static
// files (CSS, a little JavaScript), embedded so that the binary carries
// them. Package handlers/pages parses and renders them; nothing here knows Gin.
package templates

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"

	"grantplan/palette"
)

// FS holds the templates: layout.html, partials.html and one file per
// page, each defining "content".
//
//go:embed *.html
var FS embed.FS

//go:embed static
var static embed.FS

// Funcs are the functions the templates call besides Go's own: swatch
// "recruiting" is the palette's swatch of a phase, so that the chart's
// patterns take the colours the workbook takes.
var Funcs = template.FuncMap{
	"swatch": func(phase string) (palette.Swatch, error) {
		p, ok := palette.ParsePhase(phase)
		if !ok {
			return palette.Swatch{}, fmt.Errorf("swatch: no phase %q", phase)
		}
		return palette.Of(p), nil
	},
}

// Static holds the files served under /static/.
var Static = mustSub(static, "static")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
