package report

import (
	"math"

	"grantplan/chart"
	"grantplan/palette"
)

// The Gantt chart's measures, in millimetres and points.
const (
	ganttRowHeight  = 5.6
	ganttBarHeight  = 3.6
	ganttLabelSize  = 7.5
	ganttTickSize   = 6.5
	ganttLineSize   = 7
	ganttHeader     = 10  // the years, the months and the columns' headings
	ganttLineLabel  = 3.6 // a line of a line's label below the rows
	ganttLegendRow  = 6
	ganttDateColumn = 17 // each of the two date columns
)

// writeGantt writes the third section on landscape pages: one row per
// post with its name, the days it is filled and productive, and a bar
// per phase in the palette's colours and patterns; the planning start
// and each funding end as lines across the rows, their labels below;
// after a risk run, each post's P10–P90 productive days. A chart longer
// than a page goes on over the next pages, each with the section's
// heading, the legend and the axis.
func (d *document) writeGantt() {
	l, plan := d.lang, d.plan
	d.heading(d.t("report.section.schedule"), true, 60)
	st := &chart.Style{
		Width: d.width(), LabelMin: 40, LabelMax: 0.36 * d.width(), Columns: 2 * ganttDateColumn,
		RightPad: 1, Pad: 1, LabelSize: ganttLabelSize, TickSize: ganttTickSize, LineSize: ganttLineSize,
		Measure: d.measure,
	}
	axis := chart.NewAxis(st, l, plan)
	if r := d.opts.Risk; r != nil {
		for _, p := range r.Positions {
			axis.Extend(p.ProductiveP90)
		}
	}
	g := chart.NewGantt(plan, l, st, axis)
	if r := d.opts.Risk; r != nil {
		g.AddWhiskers(r)
	}
	labelLines := 0
	for _, line := range g.Lines {
		labelLines += len(line.Text)
	}
	for first := 0; first < len(g.Rows) || first == 0; {
		if first > 0 {
			d.addPage(true) // with the section's heading, as every page after its first
		}
		d.ganttLegend(g)
		top := d.pdf.GetY()
		room := d.bottom() - top - ganttHeader - float64(labelLines)*ganttLineLabel - 2
		count := max(1, int(room/ganttRowHeight))
		last := min(len(g.Rows), first+count)
		d.ganttPage(g, first, last, top)
		if last == len(g.Rows) {
			break
		}
		first = last
	}
}

// ganttLegend draws the phases' swatches and the lines' samples.
func (d *document) ganttLegend(g *chart.Gantt) {
	pdf := d.pdf
	x, y := d.left(), pdf.GetY()
	d.setFont(false, ganttTickSize+0.5)
	d.textColour(ink)
	entry := func(draw func(x, y float64), label string) {
		w := d.measure(label, ganttTickSize+0.5, false)
		if x+8+w > d.left()+d.width() {
			x, y = d.left(), y+4.5
		}
		draw(x, y)
		pdf.Text(x+7.5, y+2.8, label)
		x += 7.5 + w + 5
	}
	for _, phase := range g.Phases {
		entry(func(x, y float64) { d.swatch(phase, x, y+0.3, 6, 3) }, d.lang.Phase(phase))
	}
	entry(func(x, y float64) { d.fundingEndLine(x+3, y, y+3.6) }, d.t("term.funding_end"))
	entry(func(x, y float64) { d.startLine(x+3, y, y+3.6) }, d.t("term.planning_start"))
	if d.opts.Risk != nil {
		entry(func(x, y float64) { d.whisker(x+0.5, x+3, x+5.5, y+1.8) }, d.t("report.whisker"))
	}
	pdf.SetXY(d.left(), y+ganttLegendRow)
}

// ganttPage draws rows first to last of the chart from top down.
func (d *document) ganttPage(g *chart.Gantt, first, last int, top float64) {
	pdf, l := d.pdf, d.lang
	left := d.left()
	rowsTop := top + ganttHeader
	rowsBottom := rowsTop + float64(last-first)*ganttRowHeight

	// The axis: years above the months, a grid line at every month.
	d.setFont(false, ganttTickSize)
	d.textColour(muted)
	pdf.SetLineWidth(0.1)
	d.drawColour(rgb{0xdd, 0xdd, 0xe3})
	for _, m := range g.Months {
		pdf.Line(left+m.X, top+4.5, left+m.X, rowsBottom)
		if m.Label != "" {
			pdf.Text(left+m.LabelX, top+7.2, m.Label)
		}
	}
	d.drawColour(rgb{0xa0, 0xa0, 0xac})
	pdf.SetLineWidth(0.25)
	d.setFont(true, ganttTickSize)
	d.textColour(ink)
	for _, y := range g.Years {
		pdf.Line(left+y.X, top, left+y.X, rowsBottom)
		if y.Label != "" {
			pdf.Text(left+y.LabelX, top+2.6, y.Label)
		}
	}
	// The date columns' headings.
	d.setFont(true, ganttTickSize)
	for i, id := range []string{"term.filled", "term.productive"} {
		x := left + g.LabelWidth + float64(i+1)*ganttDateColumn - 1.5
		text := chart.Fit(d.t(id), ganttDateColumn-2, ganttTickSize, true, d.measure)
		pdf.Text(x-d.measure(text, ganttTickSize, true), top+7.2, text)
	}

	for i := first; i < last; i++ {
		row := &g.Rows[i]
		p := &d.plan.Positions[row.Position]
		y := rowsTop + float64(i-first)*ganttRowHeight
		if (i-first)%2 == 1 {
			d.fillColour(rgb{0xf5, 0xf6, 0xf8})
			pdf.Rect(left, y, g.Width, ganttRowHeight, "F")
		}
		baseline := y + ganttRowHeight/2 + 0.35*ganttLabelSize*ptToMM
		x := left + 1
		if row.Marker != "" {
			d.setFont(true, ganttLabelSize)
			d.textColour(hexColour(string(palette.Severity(row.Severity).Ink)))
			marker := row.Marker + ": "
			pdf.Text(x, baseline, marker)
			x += d.measure(marker, ganttLabelSize, true)
		}
		d.setFont(false, ganttLabelSize)
		d.textColour(ink)
		pdf.Text(x, baseline, row.Label)
		for c, day := range []string{l.Date(p.Filled), l.Date(p.Productive)} {
			right := left + g.LabelWidth + float64(c+1)*ganttDateColumn - 1.5
			pdf.Text(right-d.measure(day, ganttLabelSize, false), baseline, day)
		}
		barY := y + (ganttRowHeight-ganttBarHeight)/2
		for _, bar := range row.Bars {
			d.swatch(bar.Phase, left+bar.X, barY, bar.W, ganttBarHeight)
		}
		if w := row.Whisker; w != nil {
			d.whisker(left+w.X1, left+w.Mid, left+w.X2, y+ganttRowHeight/2)
		}
	}

	// The lines, and their labels below the rows.
	labelY := rowsBottom + 1
	for _, line := range g.Lines {
		x := left + line.X
		if line.Kind == chart.StartLine {
			d.startLine(x, top+4.5, rowsBottom)
			d.textColour(ink)
		} else {
			d.fundingEndLine(x, top+4.5, rowsBottom)
			d.textColour(hexColour(string(palette.FundingEnd)))
		}
		d.setFont(true, ganttLineSize)
		for _, text := range line.Text {
			labelY += ganttLineLabel
			tx := x
			if line.Anchor == "end" {
				tx = x - d.measure(text, ganttLineSize, true)
			}
			pdf.Text(tx, labelY-0.8, text)
		}
	}
	d.textColour(ink)
	pdf.SetXY(left, labelY+2)
}

// swatch fills a rectangle with a phase's colour and draws its pattern
// over it, so that the phases stay apart in black and white.
func (d *document) swatch(phase palette.Phase, x, y, w, h float64) {
	pdf := d.pdf
	s := palette.Of(phase)
	d.fillColour(hexColour(string(s.Fill)))
	pdf.Rect(x, y, w, h, "F")
	ink := hexColour(string(s.Ink))
	d.drawColour(ink)
	d.fillColour(ink)
	if s.Pattern != palette.Solid && w > 0.3 {
		pdf.ClipRect(x, y, w, h, false)
		const step = 1.2
		switch s.Pattern {
		case palette.DiagonalStripes, palette.Crosshatch:
			pdf.SetLineWidth(0.35)
			for k := -h; k < w; k += step {
				pdf.Line(x+k, y+h, x+k+h, y)
			}
			if s.Pattern == palette.Crosshatch {
				for k := 0.0; k < w+h; k += step {
					pdf.Line(x+k-h, y, x+k, y+h)
				}
			}
		case palette.VerticalStripes:
			for k := 0.0; k < w; k += step {
				pdf.Rect(x+k, y, step/2, h, "F")
			}
		case palette.HorizontalLines:
			pdf.SetLineWidth(0.3)
			for k := step / 2; k < h; k += step {
				pdf.Line(x, y+k, x+w, y+k)
			}
		case palette.Dots:
			for dy := step / 2; dy < h; dy += step {
				for dx := step / 2; dx < w; dx += step {
					pdf.Circle(x+dx, y+dy, 0.25, "F")
				}
			}
		}
		pdf.ClipEnd()
	}
	// A thin outline keeps a light bar apart from the page.
	pdf.SetLineWidth(0.1)
	d.drawColour(rgb{0x33, 0x33, 0x33})
	pdf.Rect(x, y, math.Max(w, 0.1), h, "D")
}

// fundingEndLine draws the heavy dashed red line of a funding end.
func (d *document) fundingEndLine(x, top, bottom float64) {
	pdf := d.pdf
	d.drawColour(hexColour(string(palette.FundingEnd)))
	pdf.SetLineWidth(0.7)
	pdf.SetDashPattern([]float64{2, 1}, 0)
	pdf.Line(x, top, x, bottom)
	pdf.SetDashPattern(nil, 0)
}

// startLine draws the dotted dark line of the planning start.
func (d *document) startLine(x, top, bottom float64) {
	pdf := d.pdf
	d.drawColour(rgb{0x33, 0x33, 0x33})
	pdf.SetLineWidth(0.4)
	pdf.SetDashPattern([]float64{0.6, 0.6}, 0)
	pdf.Line(x, top, x, bottom)
	pdf.SetDashPattern(nil, 0)
}

// whisker draws a post's P10–P90 productive days with a tick at P50.
func (d *document) whisker(x1, mid, x2, y float64) {
	pdf := d.pdf
	d.drawColour(rgb{0x11, 0x11, 0x11})
	pdf.SetLineWidth(0.35)
	pdf.Line(x1, y, x2, y)
	pdf.Line(x1, y-1.2, x1, y+1.2)
	pdf.Line(x2, y-1.2, x2, y+1.2)
	pdf.SetLineWidth(0.7)
	pdf.Line(mid, y-1.4, mid, y+1.4)
}
