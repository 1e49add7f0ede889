package report

import (
	"cmp"
	"slices"
	"strings"
)

// A table is set with column widths from its content: each column as
// wide as its longest text where the page allows, else the widest
// columns narrowed, their texts wrapped at words, each row as tall as its
// tallest cell. A table that runs onto the next page repeats its heading
// row there.
type table struct {
	title    string   // above the table, kept with its first rows
	headings []string // nil for a table without a heading row
	right    []bool   // the columns aligned right (numbers, amounts, dates)
	rows     [][]string
	strong   []bool // rows set in bold (sums)
	size     float64
	// maxWidth bounds the table's width; 0 is the body's width.
	maxWidth float64
}

// Padding inside a cell, in millimetres.
const (
	cellPadX = 1.4
	cellPadY = 0.9
	// cellSlack keeps a text that just fits its column on one line,
	// whatever the rounding of the widths.
	cellSlack = 0.2
)

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) addStrong(cells ...string) {
	for len(t.strong) < len(t.rows) {
		t.strong = append(t.strong, false)
	}
	t.rows = append(t.rows, cells)
	t.strong = append(t.strong, true)
}

func (t *table) isStrong(row int) bool { return row < len(t.strong) && t.strong[row] }

// widths are the columns' widths in millimetres. A table whose longest
// words do not fit side by side at its size is set smaller, down to
// minTableSize, so that its words (ids, "Kündigungsfrist") stay whole;
// where they would not fit even then, it keeps its size and they break.
func (t *table) widths(d *document) []float64 {
	room := d.width()
	if t.maxWidth > 0 {
		room = min(room, t.maxWidth)
	}
	natural, least := t.columns(d, room)
	if sum(least) > room && t.size > minTableSize {
		size := t.size
		t.size = minTableSize
		if _, smallest := t.columns(d, room); sum(smallest) > room {
			t.size = size
			return fitColumns(natural, least, room)
		}
		t.size = size
		for sum(least) > room && t.size-sizeStep >= minTableSize {
			t.size -= sizeStep
			natural, least = t.columns(d, room)
		}
	}
	return fitColumns(natural, least, room)
}

// The smallest size a table is set in to keep its words whole, and the
// step it shrinks by, in points.
const (
	minTableSize = 5.5
	sizeStep     = 0.25
)

// columns are the widths each column asks for at the table's size: its
// longest text unbroken, and its longest word. A word wider than half
// the room (an address in a description) breaks wherever it stands and
// asks for nothing.
func (t *table) columns(d *document, room float64) (natural, least []float64) {
	columns := len(t.headings)
	for _, row := range t.rows {
		columns = max(columns, len(row))
	}
	natural = make([]float64, columns)
	least = make([]float64, columns)
	measure := func(c int, text string, bold bool) {
		natural[c] = max(natural[c], d.measure(text, t.size, bold)+2*cellPadX+cellSlack)
		for word := range strings.FieldsSeq(text) {
			if w := d.measure(word, t.size, bold) + 2*cellPadX + cellSlack; w <= room/2 {
				least[c] = max(least[c], w)
			}
		}
	}
	for c, heading := range t.headings {
		// A heading stands on one line where the table has room, and
		// wraps at its words where it has not.
		measure(c, heading, true)
	}
	for r, row := range t.rows {
		for c, cell := range row {
			measure(c, cell, t.isStrong(r))
		}
	}
	return natural, least
}

func sum(widths []float64) float64 {
	total := 0.0
	for _, w := range widths {
		total += w
	}
	return total
}

// fitColumns shares room among columns that ask for natural widths and
// need at least least (their longest words), as a browser lays out a
// table: all get what they ask when it fits; else the columns that ask
// for less than an even share of what is left keep their width, and the
// others share the rest in proportion to what they ask, each at least
// its longest word. Only when the longest words do not fit either does
// every column shrink alike, and words break.
func fitColumns(natural, least []float64, room float64) []float64 {
	widths := make([]float64, len(natural))
	total := 0.0
	for c, w := range natural {
		widths[c] = w
		total += w
	}
	if total <= room {
		return widths
	}
	order := make([]int, len(natural))
	for c := range order {
		order[c] = c
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(natural[a], natural[b]) })
	left, count := room, len(order)
	var wide []int
	for i, c := range order {
		if natural[c] <= left/float64(count) {
			left -= natural[c]
			count--
			continue
		}
		wide = order[i:]
		break
	}
	asked := 0.0
	for _, c := range wide {
		asked += natural[c]
	}
	total = room - left
	for _, c := range wide {
		widths[c] = max(least[c], natural[c]*left/asked)
		total += widths[c]
	}
	if total > room {
		// The longest words asked for more than the room: take it from
		// the columns above their least first.
		over := total - room
		slack := 0.0
		for c := range widths {
			slack += widths[c] - least[c]
		}
		if slack >= over {
			for c := range widths {
				widths[c] -= (widths[c] - least[c]) * over / slack
			}
		} else {
			for c := range widths {
				widths[c] *= room / total
			}
		}
	}
	return widths
}

// draw sets the table at the current position: on the next page when
// it does not fit the rest of this one but fits a page of its own, and
// at least its title, heading row and first row together.
func (t *table) draw(d *document) {
	widths := t.widths(d)
	pdf := d.pdf
	lineHeight := t.size * ptToMM * 1.3
	total := 0.0
	for _, w := range widths {
		total += w
	}
	type laidOut struct {
		lines         [][]string
		height        float64
		bold, striped bool
		heading       bool
	}
	layout := func(cells []string, bold, heading bool) laidOut {
		d.setFont(bold || heading, t.size)
		r := laidOut{lines: make([][]string, len(widths)), bold: bold, heading: heading}
		for c, w := range widths {
			text := ""
			if c < len(cells) {
				text = cells[c]
			}
			r.lines[c] = []string{""}
			if text != "" {
				r.lines[c] = pdf.SplitText(text, w-2*cellPadX)
			}
			r.height = max(r.height, float64(len(r.lines[c]))*lineHeight+2*cellPadY)
		}
		return r
	}
	var heading *laidOut
	if t.headings != nil {
		h := layout(t.headings, true, true)
		heading = &h
	}
	rows := make([]laidOut, len(t.rows))
	height := 0.0
	for i, cells := range t.rows {
		rows[i] = layout(cells, t.isStrong(i), false)
		rows[i].striped = i%2 == 1
		height += rows[i].height
	}
	titleHeight := 0.0
	if t.title != "" {
		titleHeight = 8
	}
	headingHeight := 0.0
	if heading != nil {
		headingHeight = heading.height
	}
	first := 0.0
	if len(rows) > 0 {
		first = rows[0].height
	}
	page := d.bottom() - d.top()
	switch whole := titleHeight + headingHeight + height; {
	case whole > d.room() && whole <= page,
		titleHeight+headingHeight+first > d.room():
		d.addPage(d.landscape)
	}

	drawRow := func(r laidOut) {
		x, y := d.left(), pdf.GetY()
		if r.heading || r.striped {
			if r.heading {
				d.fillColour(shade)
			} else {
				d.fillColour(rgb{0xf7, 0xf8, 0xfa})
			}
			pdf.Rect(x, y, total, r.height, "F")
		}
		d.setFont(r.bold || r.heading, t.size)
		d.textColour(ink)
		for c, w := range widths {
			align := "L"
			if c < len(t.right) && t.right[c] {
				align = "R"
			}
			for i, line := range r.lines[c] {
				pdf.SetXY(x+cellPadX, y+cellPadY+float64(i)*lineHeight)
				pdf.CellFormat(w-2*cellPadX, lineHeight, line, "", 0, align, false, 0, "")
			}
			x += w
		}
		d.drawColour(rule)
		pdf.SetLineWidth(0.15)
		if r.heading {
			pdf.SetLineWidth(0.3)
		}
		pdf.Line(d.left(), y+r.height, d.left()+total, y+r.height)
		pdf.SetXY(d.left(), y+r.height)
	}
	if t.title != "" {
		d.pdf.Ln(2)
		d.setFont(true, bodySize)
		d.textColour(ink)
		pdf.SetX(d.left())
		pdf.CellFormat(d.width(), 6, t.title, "", 1, "L", false, 0, "")
	}
	if heading != nil {
		drawRow(*heading)
	}
	for _, r := range rows {
		if pdf.GetY()+r.height > d.bottom() {
			d.addPage(d.landscape)
			if heading != nil {
				drawRow(*heading)
			}
		}
		drawRow(r)
	}
	pdf.Ln(2)
}
