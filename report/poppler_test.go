package report

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/palette"
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

// TestPicture renders the demo's Gantt page with poppler, as a viewer
// would show it, and looks at its pixels: every phase the demo's posts go
// through is drawn in its palette colour, with its pattern's marks where
// it has one, and the funding end's line is there.
func TestPicture(t *testing.T) {
	pdftoppm := tool(t, "pdftoppm", "poppler-utils")
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.pdf")
	if err := os.WriteFile(path, write(t, data.Demo, locale.English, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := filepath.Join(dir, "gantt")
	if msg, err := exec.CommandContext(ctx, pdftoppm, "-png", "-r", "100", "-f", "2", "-l", "2", "-singlefile", path, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, msg)
	}
	f, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() <= b.Dy() {
		t.Errorf("the Gantt page is %d×%d pixels, want landscape", b.Dx(), b.Dy())
	}
	counts := map[palette.Colour]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[palette.Colour(fmt.Sprintf("%02X%02X%02X", r>>8, g>>8, bl>>8))]++
		}
	}
	for _, want := range []struct {
		what   string
		colour palette.Colour
	}{
		{"recruiting", palette.Of(palette.Recruiting).Fill},
		{"recruiting's stripes", palette.Of(palette.Recruiting).Ink},
		{"notice", palette.Of(palette.Notice).Fill},
		{"onboarding", palette.Of(palette.Onboarding).Fill},
		{"onboarding's lines", palette.Of(palette.Onboarding).Ink},
		{"productive", palette.Of(palette.Productive).Fill},
		{"waiting to start hiring", palette.Of(palette.Waiting).Fill},
		{"the funding end's line", palette.FundingEnd},
	} {
		// A few dozen pixels at least: a bar, a line, not a stray edge.
		if n := counts[want.colour]; n < 40 {
			t.Errorf("%s (#%s): %d pixels on the Gantt page, want a bar's worth", want.what, want.colour, n)
		}
	}
}
