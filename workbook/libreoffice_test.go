package workbook

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"grantplan/data"
	"grantplan/locale"
	"grantplan/planner"
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

// TestLibreOffice prints workbooks the way a council member's office
// would: LibreOffice converts them to PDF (all in one run, since it is
// slow to start), and poppler's pdfinfo and pdftotext read the result.
// Every page is A4; the demo prints on a handful of pages; the months
// are named in the workbook's language, on the timeline and on the
// chart's axis, and no date shows as Excel's serial number; the header
// names the revision.
func TestLibreOffice(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice-calc-nogui")
	pdfinfo := tool(t, "pdfinfo", "poppler-utils")
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	dir := t.TempDir()

	s, plan := planOf(t, data.DemoUncertain)
	risk, err := s.Risk(context.Background(), planner.RiskOptions{Trials: 100, Seed: 1, Confidence: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	books := []struct {
		name     string
		lang     locale.Lang
		risk     bool
		maxPages int
		want     []string
	}{
		{"demo-en", locale.English, false, 7, []string{"Oct 2021", "Page 1 of", "Revision 7, saved 2026-11-20", "Group 1 (4 posts)", "36,203.97 EUR", "Draw-down by year and source"}},
		{"demo-de", locale.German, false, 7, []string{"Okt 2021", "Seite 1 von", "Revision 7 vom 20.11.2026", "Gruppe 1 (4 Stellen)", "174.166,67 €", "36.203,97 €", "Mittelabruf je Jahr und Quelle"}},
		{"risk-de", locale.German, true, 9, []string{"Durchläufe", "Startwert", "P50"}},
	}
	var files []string
	for _, book := range books {
		opts := Options{Lang: book.lang, Scenario: s, Source: data.DemoUncertain, Exported: exportDate,
			Revision: 7, Saved: planner.MustParseDate("2026-11-20")}
		if book.risk {
			opts.Risk = risk
		}
		var buf bytes.Buffer
		if err := Write(&buf, plan, opts); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, book.name+".xlsx")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// A profile of its own, so that a LibreOffice already running (or
	// another test's) does not take the job.
	args := append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "pdf", "--outdir", dir}, files...)
	if out, err := exec.CommandContext(ctx, soffice, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}

	serial := regexp.MustCompile(`\b4[4-6]\d{3}\b`)
	pageSize := regexp.MustCompile(`(?m)^Page +\d+ size: +([\d.]+) x ([\d.]+) pts`)
	for _, book := range books {
		t.Run(book.name, func(t *testing.T) {
			pdf := filepath.Join(dir, book.name+".pdf")
			info, err := exec.CommandContext(ctx, pdfinfo, "-f", "1", "-l", "1000", pdf).Output()
			if err != nil {
				t.Fatalf("pdfinfo: %v (is the PDF there and valid?)", err)
			}
			sizes := pageSize.FindAllStringSubmatch(string(info), -1)
			if len(sizes) == 0 || len(sizes) > book.maxPages {
				t.Errorf("got %d pages, want 1 to %d", len(sizes), book.maxPages)
			}
			for i, size := range sizes {
				w, _ := strconv.ParseFloat(size[1], 64)
				h, _ := strconv.ParseFloat(size[2], 64)
				short, long := min(w, h), max(w, h)
				if short < 594 || short > 596.5 || long < 841 || long > 843 {
					t.Errorf("page %d is %.1f × %.1f pt, not A4", i+1, w, h)
				}
			}
			text, err := exec.CommandContext(ctx, pdftotext, "-layout", pdf, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			for _, want := range book.want {
				if !strings.Contains(string(text), want) {
					t.Errorf("the printout lacks %q", want)
				}
			}
			if m := serial.Find(text); m != nil {
				t.Errorf("the printout shows %s, a date as Excel's serial number", m)
			}
		})
	}
}

// TestLibreOfficeResaved: a workbook a planner opened in LibreOffice and
// saved again as .xlsx (LibreOffice rewrites every part: shared strings,
// styles, numbers as it stores them) reads back as the scenario it was
// exported from, in English and German, with ranges.
func TestLibreOfficeResaved(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice-calc-nogui")
	dir := t.TempDir()
	cases := []struct {
		name     string
		scenario []byte
		lang     locale.Lang
	}{
		{"demo-en", data.Demo, locale.English},
		{"demo-de", data.Demo, locale.German},
		{"ranges-de", data.DemoUncertain, locale.German},
	}
	var files []string
	for _, c := range cases {
		path := filepath.Join(dir, c.name+".xlsx")
		if err := os.WriteFile(path, exported(t, c.scenario, c.lang), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out := filepath.Join(dir, "resaved")
	args := append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out}, files...)
	if msg, err := exec.CommandContext(ctx, soffice, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resaved, err := os.ReadFile(filepath.Join(out, c.name+".xlsx"))
			if err != nil {
				t.Fatalf("LibreOffice wrote no workbook: %v", err)
			}
			if original, _ := os.ReadFile(filepath.Join(dir, c.name+".xlsx")); bytes.Equal(resaved, original) {
				t.Fatal("the workbook came back unchanged: LibreOffice did not save it again")
			}
			got, err := Read(ctx, resaved)
			if err != nil {
				t.Fatalf("reading the workbook LibreOffice saved: %v", err)
			}
			want, err := planner.Canonical(c.scenario)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("read back\n%s\nwant\n%s", got, want)
			}
		})
	}
}
