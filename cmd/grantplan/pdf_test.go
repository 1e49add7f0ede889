package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
)

// pdfText reads a PDF back and returns the text of each page, a space
// where a line ends, every run of spaces one.
func pdfText(t *testing.T, data []byte) []string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("read the PDF back: %v", err)
	}
	pages := make([]string, r.NumPage())
	for i := range pages {
		var b strings.Builder
		y := -1.0
		for _, text := range r.Page(i + 1).Content().Text {
			if text.Y != y {
				b.WriteByte(' ')
				y = text.Y
			}
			b.WriteString(text.S)
		}
		pages[i] = strings.Join(strings.Fields(b.String()), " ")
	}
	return pages
}

// TestReport: grantplan report writes the PDF in the language asked for,
// from the decision date asked for, with the risk run asked for.
func TestReport(t *testing.T) {
	demo, err := os.ReadFile(demoFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  []string // on the first page
	}{
		{name: "English by default", args: []string{"report", demoFile}, want: []string{"1 Decision", "from a decision on 2021-10-01", "not stored"}},
		{name: "German", args: []string{"report", "--lang", "de", demoFile}, want: []string{"1 Entscheidung", "Seite 1 von"}},
		{name: "stdin and start", stdin: string(demo), args: []string{"report", "-", "--start", "2020-09-01"},
			want: []string{"from a decision on 2020-09-01", "The council must decide by 2020-09-01"}},
		{name: "German start date", args: []string{"report", "--lang", "de", "--start", "01.09.2020", demoFile},
			want: []string{"Planung ab dem Beschluss am 01.09.2020"}},
		{name: "risk", args: []string{"report", "../../data/kim-siegen-wittgenstein-uncertain.json", "--risk", "--trials", "100", "--seed", "2"},
			want: []string{"Latest decision at 80.0 % confidence", "100 trials, seed 2"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "report"+string(rune('a'+i))+".pdf")
			code, out, errOut := runCLI(t, tt.stdin, append(tt.args, "-o", path)...)
			if code != 0 || out != "" || errOut != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and silence", code, out, errOut)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			pages := pdfText(t, data)
			if len(pages) < 3 {
				t.Fatalf("got %d pages", len(pages))
			}
			for _, want := range tt.want {
				if !strings.Contains(pages[0], want) {
					t.Errorf("the first page lacks %q:\n%s", want, pages[0])
				}
			}
		})
	}
	code, out, errOut := runCLI(t, "", "report", demoFile, "-o", "-")
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "%PDF-") {
		t.Errorf("-o -: exit %d, stderr %q, stdout %.10q", code, errOut, out)
	}
}

// TestReportErrors: every mistake gives exit status 2 and a message, and
// no file.
func TestReportErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "plan.pdf")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no -o", []string{"report", demoFile}, "grantplan: report needs -o OUT.pdf"},
		{"bad language", []string{"report", demoFile, "-o", out, "--lang", "fr"}, `--lang: "fr" is not a language of the report`},
		{"bad start", []string{"report", demoFile, "-o", out, "--start", "2021-13-01"}, "--start:"},
		{"bad risk", []string{"report", demoFile, "-o", out, "--risk", "--trials", "0"}, "--trials: 0 is out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, errOut := runCLI(t, "", tt.args...)
			if code != 2 || stdout != "" || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, stdout, errOut, tt.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a report was written: %v", err)
			}
		})
	}
}
