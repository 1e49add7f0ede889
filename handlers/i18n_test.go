package handlers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"grantplan/locale"
)

// TestGoTextsTranslated finds, in the parsed Go source of the page
// handlers and the view models, every text they translate: the string
// literal given to tr, and the label of a key-figure row (row("Funded",
// func…)); each needs a German form. The edit form's field labels are
// package pages' test, the templates' texts package locale's.
func TestGoTextsTranslated(t *testing.T) {
	var files []string
	for _, dir := range []string{"pages", "view"} {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, names...)
	}
	var texts []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok {
				return true
			}
			switch {
			case fn.Name == "tr" && len(call.Args) == 2:
				if text, ok := stringLiteral(call.Args[1]); ok {
					texts = append(texts, text)
				}
			case fn.Name == "row" && len(call.Args) > 1:
				if _, isFunc := call.Args[1].(*ast.FuncLit); isFunc {
					if text, ok := stringLiteral(call.Args[0]); ok {
						texts = append(texts, text)
					}
				}
			}
			return true
		})
	}
	if len(texts) < 60 {
		t.Fatalf("found only %d texts; is the walk broken?", len(texts))
	}
	for _, text := range texts {
		if _, ok := locale.German.LookupPage(text); !ok {
			t.Errorf("no German for %q", text)
		}
	}
}

func stringLiteral(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
