// Package report writes a plan as a PDF for a council paper: A4, in
// English or German, with its fonts embedded and its text selectable, in
// five sections a council member reads in a minute — the decision in one
// paragraph with the key figures, the flags as sentences, the Gantt chart
// on landscape pages, the money by funding source (and by budget year),
// and every assumption the plan was made from — and in the footer of
// every page the scenario, its revision, the date of the plan and the
// page.
//
// Write is an encoder, like the workbook's: the CLI and the HTTP
// handlers only choose where the bytes go. The Gantt chart's layout is
// package chart's, the one the web pages draw; the words are package
// locale's and the colours package palette's. The layout and its choices
// are in docs/report.md.
package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
	"github.com/rickb777/date/v2"

	"grantplan/chart"
	"grantplan/internal/names"
	"grantplan/locale"
	"grantplan/planner"
)

// ContentType is the media type of the report.
const ContentType = "application/pdf"

// Options say how to write a plan.
type Options struct {
	// Lang is the report's language; English when empty.
	Lang locale.Lang
	// Scenario is the scenario the plan was made from; the assumptions
	// list its inputs. Without it the report has no assumptions section.
	Scenario *planner.Scenario
	// Source is the scenario's JSON, optional: when given, the
	// assumptions show its defaults beside the built-in ones.
	Source []byte
	// Exported is the date of the plan, printed in every footer and
	// carried by the file name: the county's day, which the caller knows.
	// It is required; Write has no clock.
	Exported date.Date
	// Revision is the stored revision the plan was made from, with the
	// day it was saved; 0 for a scenario that is not stored (a file, a
	// posted body), which the footer says.
	Revision int
	Saved    date.Date
	// Risk, when given, is a risk run of the same scenario (docs/risk.md):
	// its latest decision at the confidence and its chances join the key
	// figures, and each post's P10–P90 productive dates the Gantt chart.
	Risk *planner.Risk
}

// Write writes the plan as a PDF to w.
func Write(w io.Writer, plan *planner.Plan, opts Options) error {
	if plan == nil {
		return errors.New("report: no plan")
	}
	if opts.Exported == 0 {
		return errors.New("report: no date of the plan")
	}
	if opts.Risk != nil && len(opts.Risk.Positions) != len(plan.Positions) {
		return errors.New("report: the risk run is not of the plan's scenario")
	}
	if opts.Lang != locale.German {
		opts.Lang = locale.English
	}
	d, err := newDocument(plan, opts)
	if err != nil {
		return err
	}
	d.writeDecision()
	d.writeFlags()
	d.writeGantt()
	d.writeMoney()
	if opts.Scenario != nil {
		d.writeAssumptions()
	}
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fixed, err := fixToUnicode(buf.Bytes())
	if err != nil {
		return err
	}
	if _, err := w.Write(fixed); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// FileName is the report's file name for a scenario name and the date of
// the plan, made as the workbook's is:
// "KIM-Kreis-Siegen-Wittgenstein-2026-11-24.pdf".
func FileName(scenario string, exported date.Date) string {
	name := names.Clean(scenario, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }, 80)
	if name == "" {
		name = "plan"
	}
	return name + "-" + exported.String() + ".pdf"
}

// The pages: A4, portrait for text and landscape for the Gantt chart and
// the wide tables, in millimetres.
const (
	a4Short       = 210.0
	a4Long        = 297.0
	marginSide    = 18.0
	marginTop     = 16.0
	footerHeight  = 14.0 // from the bottom edge to the body's end
	landscapeSide = 12.0
)

// Text sizes in points.
const (
	titleSize   = 17
	headingSize = 12.5
	bodySize    = 10
	smallSize   = 8.5
	tableSize   = 8
	footerSize  = 7.5
)

// Colours as RGB.
type rgb struct{ r, g, b int }

var (
	ink    = rgb{0x1d, 0x1d, 0x1f}
	muted  = rgb{0x5b, 0x5b, 0x66}
	rule   = rgb{0xb0, 0xb0, 0xbc}
	accent = rgb{0x1f, 0x4e, 0x78}
	shade  = rgb{0xee, 0xf1, 0xf6}
)

// document is one report being written.
type document struct {
	pdf          *fpdf.Fpdf
	plan         *planner.Plan
	opts         Options
	lang         locale.Lang
	regular      *metrics
	bold         *metrics
	section      int  // the number of the last section begun
	landscape    bool // of the current page
	continuation string
}

func newDocument(plan *planner.Plan, opts Options) (*document, error) {
	regular, err := newMetrics(regularTTF)
	if err != nil {
		return nil, fmt.Errorf("report: font: %w", err)
	}
	bold, err := newMetrics(boldTTF)
	if err != nil {
		return nil, fmt.Errorf("report: font: %w", err)
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: a4Short, Ht: a4Long}})
	d := &document{pdf: pdf, plan: plan, opts: opts, lang: opts.Lang, regular: regular, bold: bold}
	pdf.AddUTF8FontFromBytes(family, "", regularTTF)
	pdf.AddUTF8FontFromBytes(family, "B", boldTTF)
	pdf.SetMargins(marginSide, marginTop, marginSide)
	// Cells pad their text themselves (table.go); fpdf's margin would
	// also narrow what SplitText fits on a line.
	pdf.SetCellMargin(0)
	pdf.SetAutoPageBreak(true, footerHeight+4)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(d.footer)
	pdf.SetHeaderFunc(d.header)
	// The same plan makes the same bytes: the dates are the plan's, and
	// the catalog's dictionaries are written in order.
	day := time.Date(opts.Exported.Year(), opts.Exported.Month(), opts.Exported.Day(), 0, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(day)
	pdf.SetModificationDate(day)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(plan.Scenario, true)
	pdf.SetSubject(d.lang.Text("report.subject"), true)
	pdf.SetCreator("grantplan", true)
	pdf.SetProducer("grantplan", true)
	pdf.SetLang(string(d.lang))
	pdf.SetDisplayMode("fullwidth", "continuous")
	return d, nil
}

// t is the text of message id in the report's language.
func (d *document) t(id string) string { return d.lang.Text(id) }

// measure is the chart's measure: the width of text at size points, in
// millimetres.
func (d *document) measure(text string, size float64, bold bool) float64 {
	if bold {
		return d.bold.width(text, size)
	}
	return d.regular.width(text, size)
}

// setFont sets the font and its size.
func (d *document) setFont(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont(family, style, size)
}

func (d *document) textColour(c rgb) { d.pdf.SetTextColor(c.r, c.g, c.b) }
func (d *document) fillColour(c rgb) { d.pdf.SetFillColor(c.r, c.g, c.b) }
func (d *document) drawColour(c rgb) { d.pdf.SetDrawColor(c.r, c.g, c.b) }

// hexColour reads a palette colour ("2F6FB0").
func hexColour(hex string) rgb {
	var c rgb
	fmt.Sscanf(hex, "%02x%02x%02x", &c.r, &c.g, &c.b)
	return c
}

// addPage begins a page in portrait or landscape.
func (d *document) addPage(landscape bool) {
	d.landscape = landscape
	if landscape {
		d.pdf.SetMargins(landscapeSide, marginTop-4, landscapeSide)
		d.pdf.AddPageFormat("L", fpdf.SizeType{Wd: a4Short, Ht: a4Long})
	} else {
		d.pdf.SetMargins(marginSide, marginTop, marginSide)
		d.pdf.AddPageFormat("P", fpdf.SizeType{Wd: a4Short, Ht: a4Long})
	}
	d.pdf.SetXY(d.left(), d.top())
}

// The body of the current page.
func (d *document) left() float64 {
	l, _, _, _ := d.pdf.GetMargins()
	return l
}

func (d *document) top() float64 {
	_, t, _, _ := d.pdf.GetMargins()
	return t
}

func (d *document) width() float64 {
	w, _ := d.pdf.GetPageSize()
	l, _, r, _ := d.pdf.GetMargins()
	return w - l - r
}

func (d *document) bottom() float64 {
	_, h := d.pdf.GetPageSize()
	return h - footerHeight - 4
}

// room is the height left on the current page.
func (d *document) room() float64 { return d.bottom() - d.pdf.GetY() }

// header repeats the heading of a section that runs onto a further page.
func (d *document) header() {
	if d.continuation == "" {
		return
	}
	d.setFont(true, smallSize)
	d.textColour(muted)
	d.pdf.SetXY(d.left(), d.top()-6)
	d.pdf.CellFormat(d.width(), 4, d.continuation, "", 0, "L", false, 0, "")
	d.pdf.SetXY(d.left(), d.top())
}

// footer writes the scenario's name, its revision and the date of the
// plan, and the page, below a rule.
func (d *document) footer() {
	pdf := d.pdf
	_, h := pdf.GetPageSize()
	y := h - footerHeight + 2
	left, width := d.left(), d.width()
	d.drawColour(rule)
	pdf.SetLineWidth(0.2)
	pdf.Line(left, y, left+width, y)
	d.setFont(false, footerSize)
	d.textColour(muted)
	page := d.lang.Printf("report.footer.page", pdf.PageNo(), "{nb}")
	pageWidth := d.measure(d.lang.Printf("report.footer.page", pdf.PageNo(), 9999), footerSize, false)
	state := d.footerState()
	stateWidth := d.measure(state, footerSize, false)
	nameWidth := width - pageWidth - stateWidth - 8
	name := chart.Fit(d.plan.Scenario, nameWidth, footerSize, false, d.measure)
	pdf.SetXY(left, y+1.5)
	pdf.CellFormat(nameWidth, 4, name, "", 0, "L", false, 0, "")
	pdf.SetXY(left+nameWidth+4, y+1.5)
	pdf.CellFormat(stateWidth, 4, state, "", 0, "L", false, 0, "")
	pdf.SetXY(left+width-pageWidth, y+1.5)
	pdf.CellFormat(pageWidth, 4, page, "", 0, "R", false, 0, "")
}

// footerState says which revision the plan is of, and its date.
func (d *document) footerState() string {
	l := d.lang
	revision := l.Text("report.footer.not_stored")
	if d.opts.Revision > 0 {
		revision = l.Printf("report.footer.revision", d.opts.Revision)
		if d.opts.Saved != 0 {
			revision = l.Printf("report.footer.revision_saved", d.opts.Revision, l.Date(d.opts.Saved))
		}
	}
	return revision + " · " + l.Printf("report.footer.as_of", l.Date(d.opts.Exported))
}

// heading begins section title on the current page, or on a new one in
// the orientation asked for when there is less than need below it.
func (d *document) heading(title string, landscape bool, need float64) {
	d.section++
	numbered := fmt.Sprintf("%d  %s", d.section, title)
	if d.pdf.PageNo() == 0 || d.landscape != landscape || d.room() < need+14 {
		d.continuation = ""
		d.addPage(landscape)
	} else {
		d.pdf.Ln(5)
	}
	d.continuation = d.lang.Printf("report.continued", numbered)
	d.pdf.Bookmark(title, 0, -1)
	d.setFont(true, headingSize)
	d.textColour(accent)
	d.pdf.SetX(d.left())
	d.pdf.CellFormat(d.width(), 8, numbered, "", 1, "L", false, 0, "")
	d.pdf.Ln(1)
	d.textColour(ink)
}

// paragraph writes text as a paragraph of the body's width, on the next
// page if a short paragraph would otherwise break.
func (d *document) paragraph(text string, size float64, colour rgb) {
	d.setFont(false, size)
	d.textColour(colour)
	lineHeight := size * ptToMM * 1.45
	height := float64(len(d.pdf.SplitText(text, d.width()))) * lineHeight
	if height > d.room() && height < 40 {
		d.addPage(d.landscape)
		d.setFont(false, size)
		d.textColour(colour)
	}
	d.pdf.SetX(d.left())
	d.pdf.MultiCell(d.width(), lineHeight, text, "", "L", false)
}
