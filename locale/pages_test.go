package locale

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"text/template/parse"

	"grantplan/templates"
)

// TestPageCatalog: every text of the web pages' catalog has a German form
// that takes the same fmt verbs.
func TestPageCatalog(t *testing.T) {
	if len(germanPages) < 100 {
		t.Fatalf("the page catalog has %d texts", len(germanPages))
	}
	for en, de := range germanPages {
		if strings.TrimSpace(de) == "" {
			t.Errorf("%q: empty German", en)
		}
		if got, want := verbs(de), verbs(en); !slices.Equal(got, want) {
			t.Errorf("%q: German verbs %q, English %q", en, got, want)
		}
	}
}

// TestTemplateTexts finds every text the templates translate (.T "…",
// .Tf "…", .Plural n "…" "…", also as $.T) in their parse trees and
// requires a German form for each.
func TestTemplateTexts(t *testing.T) {
	texts := templateTexts(t)
	if len(texts) < 80 {
		t.Fatalf("found only %d texts in the templates; is the walk broken?", len(texts))
	}
	for _, text := range texts {
		if _, ok := germanPages[text]; !ok {
			t.Errorf("no German for the template text %q", text)
		}
	}
}

func templateTexts(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(templates.FS, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, name := range names {
		src, err := fs.ReadFile(templates.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		tree := parse.New(name)
		tree.Mode = parse.SkipFuncCheck
		trees := map[string]*parse.Tree{}
		if _, err := tree.Parse(string(src), "", "", trees); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, tr := range trees {
			walkTexts(tr.Root, &texts)
		}
	}
	return texts
}

// walkTexts appends the string arguments of every call of T, Tf and
// Plural under node.
func walkTexts(node parse.Node, texts *[]string) {
	switch n := node.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, child := range n.Nodes {
			walkTexts(child, texts)
		}
	case *parse.ActionNode:
		walkTexts(n.Pipe, texts)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, texts)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, texts)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, texts)
	case *parse.TemplateNode:
		walkTexts(n.Pipe, texts)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, cmd := range n.Cmds {
			walkTexts(cmd, texts)
		}
	case *parse.CommandNode:
		if len(n.Args) > 1 {
			switch method(n.Args[0]) {
			case "T", "Tf":
				if s, ok := n.Args[1].(*parse.StringNode); ok {
					*texts = append(*texts, s.Text)
				}
			case "Plural":
				for _, arg := range n.Args[2:] {
					if s, ok := arg.(*parse.StringNode); ok {
						*texts = append(*texts, s.Text)
					}
				}
			}
		}
		for _, arg := range n.Args {
			walkTexts(arg, texts)
		}
	}
}

func walkBranch(b *parse.BranchNode, texts *[]string) {
	walkTexts(b.Pipe, texts)
	walkTexts(b.List, texts)
	walkTexts(b.ElseList, texts)
}

// method is the name a call's first word ends in: T for .T, $.T and
// $page.T.
func method(node parse.Node) string {
	var idents []string
	switch n := node.(type) {
	case *parse.FieldNode:
		idents = n.Ident
	case *parse.VariableNode:
		idents = n.Ident
	case *parse.ChainNode:
		idents = n.Field
	}
	if len(idents) == 0 {
		return ""
	}
	return idents[len(idents)-1]
}
