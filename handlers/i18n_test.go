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

// TestGoTextsTranslated finds, in the parsed Go source of this package,
// every text the handlers translate: the string literal given to tr, and
// the label of a key-figure row (row("Funded", func…)); with the edit
// form's field labels, each needs a German form. The templates' texts are
// package locale's test.
func TestGoTextsTranslated(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
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
	for _, label := range fieldLabels {
		texts = append(texts, label)
	}
	if len(texts) < 80 {
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
