package workbook

import (
	"fmt"

	"grantplan/locale"
	"grantplan/palette"
	"grantplan/planner"

	"github.com/xuri/excelize/v2"
)

// Index of the phases a timeline cell can show; none is before hiring
// (the web's chart shows that time as waiting; a timeline cell leaves it
// blank).
const (
	phaseNone = iota
	phaseRecruiting
	phaseNotice
	phaseOnboarding
	phaseProductive
	phaseAfterEnd
	phaseCount
)

// paletteOf is the palette's phase of each timeline phase.
var paletteOf = [phaseCount]palette.Phase{
	phaseNone:       palette.Waiting,
	phaseRecruiting: palette.Recruiting,
	phaseNotice:     palette.Notice,
	phaseOnboarding: palette.Onboarding,
	phaseProductive: palette.Productive,
	phaseAfterEnd:   palette.AfterEnd,
}

// The colours of the workbook, as RGB hex: the phases, the funding end and
// the severities are package palette's, as on the web pages; the headings
// are Excel's own light blue and grey.
var (
	fundingEndColour = string(palette.FundingEnd)
	headingFill      = "D9E1F2"
	groupFill        = "E7E6E6"
)

// phaseColour is the fill of a timeline cell of phase.
func phaseColour(phase int) string { return string(palette.Of(paletteOf[phase]).Fill) }

// styles holds excelize's ids of the styles of one workbook.
type styles struct {
	text, wrap, bold, boldWrap, title, heading, headingRight    int
	group                                                       int
	date, dateBold, month, money, months, fte, percent, integer int
	// timeline[phase][line]: a timeline cell, line when a funding end
	// falls in its column (a heavy red right border).
	timeline [phaseCount][2]int
	// timelineHeading[line]: a month or week heading.
	timelineHeading [2]int
	// severity[rank] marks a flagged post and a flag's severity.
	severity [3]int
	// legend[phase] is the legend's cell of a phase: its name on its
	// colour; legendLine the funding end's name beside the red line.
	legend     [phaseCount]int
	legendLine int
	// totalText and totalMoney are the Budget sheet's totals row: bold,
	// a thin rule above and a double one below.
	totalText, totalMoney int
	// The Input sheet's section headings, notes (noteWrap: a column's)
	// and field names.
	section, note, noteWrap, key int
}

// legendInk is the text colour on a phase's fill: white on the dark
// fills, black on the light ones.
func legendInk(fill string) string {
	var r, g, b int
	fmt.Sscanf(fill, "%02X%02X%02X", &r, &g, &b)
	if 0.299*float64(r)+0.587*float64(g)+0.114*float64(b) < 140 {
		return "FFFFFF"
	}
	return "000000"
}

func (b *book) newStyles() error {
	// Number formats carry the workbook's language ([$-409] English,
	// [$-407] German), so that months are named and numbers separated in
	// it in Excel and LibreOffice, whatever language the reader's program
	// speaks.
	language := "[$-409]"
	dateFormat := "yyyy-mm-dd"
	moneyFormat := `#,##0.00 "EUR"`
	if b.lang == locale.German {
		language = "[$-407]"
		dateFormat = "dd.mm.yyyy"
		moneyFormat = `#,##0.00 "€"`
	}
	moneyFormat = language + moneyFormat
	// The month's name in the workbook's language, whatever the
	// reader's Excel or LibreOffice speaks.
	monthFormat := language + "mmm yyyy"
	weekFormat := dateFormat
	headingFormat := monthFormat
	if b.timeline.weekly {
		headingFormat = weekFormat
	}
	var err error
	add := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = b.f.NewStyle(s)
		return id
	}
	format := func(code string) *string { return &code }
	// Every font names Calibri 11 outright: a font that leaves them out
	// is the reader's default, which in LibreOffice is a serif of 10
	// points, and the widths and heights would not hold.
	font := func(f excelize.Font) *excelize.Font {
		f.Family = "Calibri"
		if f.Size == 0 {
			f.Size = fontSize
		}
		return &f
	}
	solid := func(colour string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}}
	}
	thin := []excelize.Border{
		{Type: "left", Color: "FFFFFF", Style: 1}, {Type: "right", Color: "FFFFFF", Style: 1},
	}
	redLine := excelize.Border{Type: "right", Color: fundingEndColour, Style: 5} // thick
	top := &excelize.Alignment{Vertical: "top"}

	s := &b.styles
	s.text = add(&excelize.Style{Alignment: top})
	s.wrap = add(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	s.bold = add(&excelize.Style{Font: font(excelize.Font{Bold: true}), Alignment: top})
	s.boldWrap = add(&excelize.Style{Font: font(excelize.Font{Bold: true}), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	s.title = add(&excelize.Style{Font: font(excelize.Font{Bold: true, Size: 14})})
	s.heading = add(&excelize.Style{
		Font: font(excelize.Font{Bold: true}), Fill: solid(headingFill),
		Alignment: &excelize.Alignment{Vertical: "bottom", WrapText: true},
	})
	s.headingRight = add(&excelize.Style{
		Font: font(excelize.Font{Bold: true}), Fill: solid(headingFill),
		Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "bottom", WrapText: true},
	})
	s.group = add(&excelize.Style{Font: font(excelize.Font{Bold: true}), Fill: solid(groupFill)})
	s.date = add(&excelize.Style{CustomNumFmt: format(dateFormat), Alignment: top})
	s.dateBold = add(&excelize.Style{CustomNumFmt: format(dateFormat), Font: font(excelize.Font{Bold: true}), Alignment: &excelize.Alignment{Horizontal: "left"}})
	s.month = add(&excelize.Style{CustomNumFmt: format(monthFormat), Alignment: &excelize.Alignment{Horizontal: "left"}})
	s.money = add(&excelize.Style{CustomNumFmt: format(moneyFormat), Alignment: top})
	s.months = add(&excelize.Style{CustomNumFmt: format(language + "0.00"), Alignment: top})
	s.fte = add(&excelize.Style{CustomNumFmt: format(language + "0.00##"), Alignment: top})
	s.percent = add(&excelize.Style{CustomNumFmt: format(language + "0.00%"), Alignment: top})
	s.integer = add(&excelize.Style{NumFmt: 1, Alignment: top})
	totalRule := []excelize.Border{{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 6}}
	s.totalText = add(&excelize.Style{Font: font(excelize.Font{Bold: true}), Border: totalRule, Alignment: top})
	s.totalMoney = add(&excelize.Style{Font: font(excelize.Font{Bold: true}), Border: totalRule, CustomNumFmt: format(moneyFormat), Alignment: top})
	for phase := range phaseCount {
		for line := range 2 {
			style := &excelize.Style{Border: thin}
			if phase != phaseNone {
				style.Fill = solid(phaseColour(phase))
			}
			if line == 1 {
				style.Border = []excelize.Border{thin[0], redLine}
			}
			s.timeline[phase][line] = add(style)
		}
	}
	for line := range 2 {
		style := &excelize.Style{
			Font: font(excelize.Font{Bold: true}), Fill: solid(headingFill), CustomNumFmt: format(headingFormat),
			Alignment: &excelize.Alignment{TextRotation: 90, Horizontal: "center", Vertical: "bottom"},
		}
		if line == 1 {
			style.Border = []excelize.Border{redLine}
		}
		s.timelineHeading[line] = add(style)
	}
	for _, severity := range planner.Severities() {
		colours := palette.Severity(severity)
		s.severity[severity.Rank()] = add(&excelize.Style{
			Fill: solid(string(colours.Fill)), Font: font(excelize.Font{Color: string(colours.Ink)}),
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		})
	}
	legendAlignment := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	for phase := phaseRecruiting; phase < phaseCount; phase++ {
		s.legend[phase] = add(&excelize.Style{
			Fill: solid(phaseColour(phase)), Font: font(excelize.Font{Color: legendInk(phaseColour(phase))}),
			Alignment: legendAlignment, Border: thin,
		})
	}
	s.legendLine = add(&excelize.Style{Border: []excelize.Border{redLine}, Alignment: legendAlignment})
	s.section = add(&excelize.Style{Font: font(excelize.Font{Bold: true, Size: 12}), Fill: solid(groupFill)})
	s.note = add(&excelize.Style{Font: font(excelize.Font{Italic: true, Color: "595959"}), Alignment: top})
	s.noteWrap = add(&excelize.Style{Font: font(excelize.Font{Italic: true, Color: "595959"}), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	s.key = add(&excelize.Style{Font: font(excelize.Font{Color: "7F7F7F", Size: 9}), Alignment: top})
	return err
}
