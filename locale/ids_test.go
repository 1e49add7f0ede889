package locale

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"

	"grantplan/templates"
)

// The message ids are checked where they are used, without reading any
// source as text: the templates through their parse trees, the Go code
// through its syntax trees. Together with TestCatalogsAgree (every id in
// both catalogs, with the same verbs) a text can be neither missing in a
// language nor asked for under an unknown id.

// speakers are the packages, relative to this one, whose Go code names
// message ids: the page handlers and view models, the command line's
// reports and the workbook.
var speakers = []string{"../handlers/web", "../handlers/pages", "../handlers/access", "../handlers/view", "../cmd/grantplan", "../workbook", "../chart", "../report", "../form", "../service", "."}

// A use is a message id a template or the Go code names, and where.
type use struct {
	id, where string
	plural    bool // named by Plural: id.one and id.other
}

// TestTemplateIDs: every text a template shows through .T, .Tf or .Plural
// (also as $.T) is a message id of both catalogs, given as a string.
func TestTemplateIDs(t *testing.T) {
	uses := templateUses(t)
	if len(uses) < 120 {
		t.Fatalf("found only %d ids in the templates; is the walk broken?", len(uses))
	}
	for _, u := range uses {
		checkID(t, u)
	}
}

// TestGoIDs: every string constant of the speaking packages that has the
// form of a message id ("page.list.new", "term.post") is one, in both
// catalogs (or, for Plural, its .one and .other are).
func TestGoIDs(t *testing.T) {
	uses := goUses(t)
	if len(uses) < 150 {
		t.Fatalf("found only %d ids in the Go code; is the walk broken?", len(uses))
	}
	for _, u := range uses {
		checkID(t, u)
	}
}

// TestPageIDsUsed: every text of the web pages in the catalogs is shown
// somewhere, so that a text a page no longer shows does not linger.
func TestPageIDsUsed(t *testing.T) {
	used := map[string]bool{}
	for _, u := range append(templateUses(t), goUses(t)...) {
		used[u.id] = true
	}
	for id := range english {
		if !strings.HasPrefix(id, "page.") {
			continue
		}
		base := strings.TrimSuffix(strings.TrimSuffix(id, ".one"), ".other")
		if !used[id] && !used[base] {
			t.Errorf("%q is in the catalogs but no page shows it", id)
		}
	}
}

func checkID(t *testing.T, u use) {
	t.Helper()
	ids := []string{u.id}
	if u.plural {
		ids = []string{u.id + ".one", u.id + ".other"}
	} else if _, ok := english[u.id]; !ok {
		// A plural's base named as a constant (cli.posts for Plural).
		if _, one := english[u.id+".one"]; one {
			ids = []string{u.id + ".one", u.id + ".other"}
		}
	}
	for _, id := range ids {
		for _, lang := range Langs {
			if _, ok := catalogs[lang][id]; !ok {
				t.Errorf("%s: %q has no %s text", u.where, id, lang)
			}
		}
	}
}

// templateUses walks the parse tree of every template.
func templateUses(t *testing.T) []use {
	t.Helper()
	names, err := fs.Glob(templates.FS, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	var uses []use
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
			walkTemplate(t, string(src), name, tr.Root, &uses)
		}
	}
	return uses
}

// walkTemplate appends the id of every call of T, Tf and Plural under
// node of template file name, whose text is src; an id that is not a string constant fails, since no test could
// check it.
func walkTemplate(t *testing.T, src, name string, node parse.Node, uses *[]use) {
	switch n := node.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, child := range n.Nodes {
			walkTemplate(t, src, name, child, uses)
		}
	case *parse.ActionNode:
		walkTemplate(t, src, name, n.Pipe, uses)
	case *parse.IfNode:
		walkBranch(t, src, name, &n.BranchNode, uses)
	case *parse.RangeNode:
		walkBranch(t, src, name, &n.BranchNode, uses)
	case *parse.WithNode:
		walkBranch(t, src, name, &n.BranchNode, uses)
	case *parse.TemplateNode:
		walkTemplate(t, src, name, n.Pipe, uses)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, cmd := range n.Cmds {
			walkTemplate(t, src, name, cmd, uses)
		}
	case *parse.CommandNode:
		if call := method(n.Args[0]); call == "T" || call == "Tf" || call == "Plural" {
			where := name + ":" + strconv.Itoa(1+strings.Count(src[:n.Pos], "\n"))
			if len(n.Args) < 2 {
				t.Errorf("%s: %s without an id", where, call)
				return
			}
			s, ok := n.Args[1].(*parse.StringNode)
			if !ok {
				t.Errorf("%s: %s's id is %s, not a string constant", where, call, n.Args[1])
				return
			}
			*uses = append(*uses, use{id: s.Text, where: where, plural: call == "Plural"})
		}
		for _, arg := range n.Args {
			walkTemplate(t, src, name, arg, uses)
		}
	}
}

func walkBranch(t *testing.T, src, name string, b *parse.BranchNode, uses *[]use) {
	walkTemplate(t, src, name, b.Pipe, uses)
	walkTemplate(t, src, name, b.List, uses)
	walkTemplate(t, src, name, b.ElseList, uses)
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

// goUses finds the string constants of the speaking packages that look
// like message ids: a first part the catalogs use ("page", "term", "cli",
// …), then dot-separated lower-case words, no spaces. A prefix that code
// completes ("flag." + code) ends in a dot and is no id.
func goUses(t *testing.T) []use {
	t.Helper()
	prefixes := map[string]bool{}
	for id := range english {
		first, _, _ := strings.Cut(id, ".")
		prefixes[first] = true
	}
	var uses []use
	fset := token.NewFileSet()
	for _, dir := range speakers {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatalf("no Go files in %s", dir)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") || strings.HasPrefix(filepath.Base(name), "catalog_") {
				continue // the catalogs define ids; they do not use them
			}
			file, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil || !looksLikeID(s, prefixes) {
					return true
				}
				uses = append(uses, use{id: s, where: fset.Position(lit.Pos()).String()})
				return true
			})
		}
	}
	return uses
}

func looksLikeID(s string, prefixes map[string]bool) bool {
	first, rest, ok := strings.Cut(s, ".")
	if !ok || !prefixes[first] || rest == "" || strings.HasSuffix(rest, ".") {
		return false
	}
	for _, r := range rest {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
