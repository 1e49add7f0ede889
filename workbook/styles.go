package workbook

import (
	"github.com/xuri/excelize/v2"

	"grantplan/planner"
)

// The colours of the workbook, as RGB hex. The phase colours are light
// enough for black text (the legend) and stay apart in greyscale; the
// severities are Excel's own "Bad", "Neutral" and a light blue.
var (
	phaseColours = [phaseCount]string{
		phaseRecruiting: "9DC3E6", // blue
		phaseNotice:     "FFD966", // yellow
		phaseOnboarding: "F4B183", // orange
		phaseProductive: "70AD47", // green
		phaseAfterEnd:   "BFBFBF", // grey
	}
	fundingEndColour = "C00000" // the heavy red line
	headingFill      = "D9E1F2"
	groupFill        = "E7E6E6"
	severityFills    = [3]string{"FFC7CE", "FFEB9C", "DDEBF7"}
	severityFonts    = [3]string{"9C0006", "9C5700", "1F4E78"}
)

// styles holds excelize's ids of the styles of one workbook.
type styles struct {
	text, wrap, bold, title, heading, headingRight, group       int
	date, dateBold, month, money, months, fte, percent, integer int
	// timeline[phase][line]: a timeline cell, line when a funding end
	// falls in its column (a heavy red right border).
	timeline [phaseCount][2]int
	// timelineHeading[line]: a month or week heading.
	timelineHeading [2]int
	// severity[rank] marks a flagged post and a flag's severity.
	severity [3]int
	// legendLine is the legend's sample of the funding end line.
	legendLine int
}

func (b *book) newStyles() error {
	dateFormat := "yyyy-mm-dd"
	moneyFormat := `#,##0.00 "EUR"`
	if b.lang == planner.German {
		dateFormat = "dd.mm.yyyy"
		moneyFormat = `#,##0.00 "€"`
	}
	monthFormat := "mmm yyyy"
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
	s.bold = add(&excelize.Style{Font: &excelize.Font{Bold: true}})
	s.title = add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	s.heading = add(&excelize.Style{
		Font: &excelize.Font{Bold: true}, Fill: solid(headingFill),
		Alignment: &excelize.Alignment{Vertical: "bottom", WrapText: true},
	})
	s.headingRight = add(&excelize.Style{
		Font: &excelize.Font{Bold: true}, Fill: solid(headingFill),
		Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "bottom", WrapText: true},
	})
	s.group = add(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: solid(groupFill)})
	s.date = add(&excelize.Style{CustomNumFmt: format(dateFormat), Alignment: top})
	s.dateBold = add(&excelize.Style{CustomNumFmt: format(dateFormat), Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "left"}})
	s.month = add(&excelize.Style{CustomNumFmt: format(monthFormat), Alignment: &excelize.Alignment{Horizontal: "left"}})
	s.money = add(&excelize.Style{CustomNumFmt: format(moneyFormat), Alignment: top})
	s.months = add(&excelize.Style{CustomNumFmt: format("0.00"), Alignment: top})
	s.fte = add(&excelize.Style{CustomNumFmt: format("0.00##"), Alignment: top})
	s.percent = add(&excelize.Style{CustomNumFmt: format("0.00%"), Alignment: top})
	s.integer = add(&excelize.Style{NumFmt: 1, Alignment: top})
	for phase := range phaseCount {
		for line := range 2 {
			style := &excelize.Style{Border: thin}
			if phase != phaseNone {
				style.Fill = solid(phaseColours[phase])
			}
			if line == 1 {
				style.Border = []excelize.Border{thin[0], redLine}
			}
			s.timeline[phase][line] = add(style)
		}
	}
	for line := range 2 {
		style := &excelize.Style{
			Font: &excelize.Font{Bold: true}, Fill: solid(headingFill), CustomNumFmt: format(headingFormat),
			Alignment: &excelize.Alignment{TextRotation: 90, Horizontal: "center", Vertical: "bottom"},
		}
		if line == 1 {
			style.Border = []excelize.Border{redLine}
		}
		s.timelineHeading[line] = add(style)
	}
	for rank := range 3 {
		s.severity[rank] = add(&excelize.Style{
			Fill: solid(severityFills[rank]), Font: &excelize.Font{Color: severityFonts[rank]},
			Alignment: top,
		})
	}
	s.legendLine = add(&excelize.Style{Border: []excelize.Border{redLine}})
	return err
}
