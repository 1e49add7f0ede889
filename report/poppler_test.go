package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/locale"
)

// tool finds a program for a test that needs it: without it the test
// skips, saying what to install, except in CI (CI=true), where .ci/run
// installs it and its absence fails the test.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("no %s found: CI must run this test (.ci/run installs %s)", name, pkg)
	}
	t.Skipf("no %s found; install %s (apt-get install %s) to run this test", name, pkg, pkg)
	return ""
}

// TestPoppler reads the report with poppler, the PDF library of most
// Linux viewers: pdfinfo finds it valid, A4, with its title and fonts
// embedded; pdftotext finds the same text as the Go reader, umlauts and
// the euro included.
func TestPoppler(t *testing.T) {
	pdfinfo := tool(t, "pdfinfo", "poppler-utils")
	pdffonts := tool(t, "pdffonts", "poppler-utils")
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	path := filepath.Join(t.TempDir(), "demo.pdf")
	if err := os.WriteFile(path, write(t, data.Demo, locale.German, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Fatalf("%s: %v\n%s", filepath.Base(name), err, stderr.String())
		}
		return string(out)
	}
	info := run(pdfinfo, "-f", "1", "-l", "100", path)
	for _, want := range []string{`Title: +KIM Kreis Siegen-Wittgenstein`, `Page +1 size: +595.28 x 841.89 pts \(A4\)`, `Page +2 size: +841.89 x 595.28 pts \(A4\)`, `Pages: +4`} {
		if !regexp.MustCompile(want).MatchString(info) {
			t.Errorf("pdfinfo lacks %s:\n%s", want, info)
		}
	}
	fonts := run(pdffonts, path)
	// fpdf embeds only the glyphs used, but does not tag the fonts'
	// names as subsets, so pdffonts says "sub no".
	if embedded := regexp.MustCompile(`(?m)^\S+ +CID TrueType +Identity-H +yes +no +yes`).FindAllString(fonts, -1); len(embedded) != 2 {
		t.Errorf("want two embedded fonts with Unicode maps:\n%s", fonts)
	}
	text := run(pdftotext, "-layout", path, "-")
	for _, want := range []string{"1 Entscheidung", "925.833,33 €", "Kündigungsfrist", "Seite 3 von"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
}
