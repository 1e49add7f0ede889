package workbook

import (
	"math"
	"strings"

	"grantplan/internal/textwidth"
)

// The workbook sizes its columns and rows by the texts in them, so that
// nothing is cut in Excel or in LibreOffice: a column is as wide as its
// longest text (within bounds), and a cell that wraps makes its row as
// tall as its lines. Excel and LibreOffice set the cells in Calibri 11
// or whatever stands in for it (DejaVu Sans on a Linux without Carlito,
// a good deal wider), so texts are measured by the widest of those fonts
// (package textwidth).

// Excel's units: a column's width counts the '0's of Calibri 11, 7
// pixels each, and adds 5 pixels of padding (LibreOffice converts the
// same way, whatever font stands in for Calibri); a row's height is in
// points, 15 a line.
const (
	fontSize    = 11.0 // points, of every cell's font
	pixelsPerPt = 96.0 / 72
	zeroPixels  = 7.0
	cellPadding = 5.0 + 3.0 // pixels: Excel's padding and a margin for the text's edges
	lineHeight  = 15.0
)

// textPixels is the width of text at the cells' font size, in pixels.
func textPixels(text string, bold bool) float64 {
	return textwidth.Em(text, bold) * fontSize * pixelsPerPt
}

// widthOf is the column width that holds text on one line.
func widthOf(text string, bold bool) float64 {
	return math.Ceil((textPixels(text, bold)+cellPadding)/zeroPixels*10) / 10
}

// A fit collects the texts of one column and says how wide it should be.
type fit struct {
	widest float64 // the widest text, as a column width
	word   float64 // the widest word, for texts that may wrap
}

// text takes a text that stays on one line.
func (f *fit) text(s string, bold bool) {
	f.widest = max(f.widest, widthOf(s, bold))
	f.word = max(f.word, widthOf(s, bold))
}

// wrapping takes a text that may wrap at its words.
func (f *fit) wrapping(s string, bold bool) {
	f.widest = max(f.widest, widthOf(s, bold))
	for word := range strings.FieldsSeq(s) {
		f.word = max(f.word, widthOf(word, bold))
	}
}

// heading takes a column's heading, which wraps at its words rather
// than widen the column: it asks only for its longest word.
func (f *fit) heading(s string) {
	for word := range strings.FieldsSeq(s) {
		w := widthOf(word, true)
		f.widest = max(f.widest, w)
		f.word = max(f.word, w)
	}
}

// width is the column's width: the widest text's, between least and
// most, but never narrower than its widest word.
func (f *fit) width(least, most float64) float64 {
	return max(min(max(f.widest, least), most), f.word, least)
}

// lines counts the lines text takes in a column of width when it wraps
// at its words (as Excel and LibreOffice break it).
func lines(text string, width float64, bold bool) int {
	room := width*zeroPixels - cellPadding
	n := 0
	for paragraph := range strings.SplitSeq(text, "\n") {
		n++
		line := 0.0
		space := textPixels(" ", bold)
		for word := range strings.FieldsSeq(paragraph) {
			w := textPixels(word, bold)
			switch {
			case line == 0:
				line = w
			case line+space+w <= room:
				line += space + w
			default:
				n++
				line = w
			}
			// A word wider than the column breaks over lines of its own.
			for line > room && room > 0 {
				n++
				line -= room
			}
		}
	}
	return max(n, 1)
}

// rowHeight is the height of a row whose tallest cell has n lines; 0 (the
// default height) for one line.
func rowHeight(n int) float64 {
	if n <= 1 {
		return 0
	}
	return float64(n)*lineHeight + 2
}
