package report

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
)

// A pageText is a page of a PDF read back: its size in points and its
// text, line by line from the top, each line's pieces from the left.
type pageText struct {
	width, height float64
	lines         []string
}

// extract reads a PDF back with a PDF reader that knows nothing of how it
// was written (github.com/ledongthuc/pdf): its pages' sizes and text.
func extract(t testing.TB, data []byte) []pageText {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("read the PDF back: %v", err)
	}
	pages := make([]pageText, r.NumPage())
	for i := range pages {
		p := r.Page(i + 1)
		box := inherited(p.V, "MediaBox")
		if box.Len() != 4 {
			t.Fatalf("page %d has no media box", i+1)
		}
		pages[i].width = box.Index(2).Float64() - box.Index(0).Float64()
		pages[i].height = box.Index(3).Float64() - box.Index(1).Float64()
		pages[i].lines = lines(p.Content().Text)
	}
	return pages
}

// inherited is a page's attribute, or its nearest ancestor's.
func inherited(v pdf.Value, key string) pdf.Value {
	for !v.IsNull() {
		if a := v.Key(key); !a.IsNull() {
			return a
		}
		v = v.Key("Parent")
	}
	return v
}

// lines groups the texts of a page into lines by their baselines, top
// first, and joins each line's texts from the left: a gap wider than a
// third of the font's size is a space, a wider one (a table's next
// column) " | ".
func lines(texts []pdf.Text) []string {
	type piece struct {
		x, y, w, size float64
		s             string
	}
	var pieces []piece
	for _, t := range texts {
		pieces = append(pieces, piece{t.X, math.Round(t.Y*2) / 2, t.W, t.FontSize, t.S})
	}
	slices.SortStableFunc(pieces, func(a, b piece) int {
		if c := cmp.Compare(b.y, a.y); c != 0 {
			return c
		}
		return cmp.Compare(a.x, b.x)
	})
	var out []string
	var line strings.Builder
	for i, p := range pieces {
		if i > 0 && p.y != pieces[i-1].y {
			out = append(out, strings.TrimSpace(line.String()))
			line.Reset()
		}
		if i > 0 && p.y == pieces[i-1].y {
			gap := p.x - (pieces[i-1].x + pieces[i-1].w)
			switch {
			case gap > 2*p.size:
				line.WriteString(" | ")
			case gap > p.size/3:
				line.WriteString(" ")
			}
		}
		line.WriteString(p.s)
	}
	if line.Len() > 0 {
		out = append(out, strings.TrimSpace(line.String()))
	}
	return out
}

// dumpText writes the pages as the golden files hold them.
func dumpText(pages []pageText) string {
	var b strings.Builder
	for i, p := range pages {
		fmt.Fprintf(&b, "== page %d of %d, %.0f × %.0f pt\n", i+1, len(pages), p.width, p.height)
		for _, line := range p.lines {
			if line != "" {
				b.WriteString(line)
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}
