// Package palette holds the colours of grantplan's pictures: the phases of
// a post's bar, the funding-end line and the severities of flags, with a
// pattern per phase for printing in black and white. The web pages' Gantt
// chart and the workbook both draw from it, so that a phase has one colour
// wherever a council member sees it. Names of the phases, in words, are
// package locale's.
package palette

import (
	"fmt"
	"strings"

	"grantplan/planner"
)

// A Colour is an sRGB colour as six upper-case hex digits, "2F6FB0", the
// form Excel takes.
type Colour string

// Hex writes c as CSS and SVG write it: "#2f6fb0".
func (c Colour) Hex() string { return "#" + strings.ToLower(string(c)) }

// A Phase is a stretch of a post's bar in a chart: from the planning start
// to the day the post is productive, then productive while funded, then
// (where a chart shows it) productive after the funding has ended.
type Phase int

// The phases, in the order a post goes through them.
const (
	Waiting    Phase = iota // from the planning start until hiring may start (gates, HR capacity)
	Recruiting              // hiring start to recruited: the search
	Notice                  // recruited to filled: the candidate's notice period
	Onboarding              // filled to productive
	Productive              // productive until the funding ends
	AfterEnd                // productive after the funding has ended
)

// Phases lists every phase in order.
var Phases = []Phase{Waiting, Recruiting, Notice, Onboarding, Productive, AfterEnd}

var phaseNames = [...]string{"waiting", "recruiting", "notice", "onboarding", "productive", "after_end"}

// String is the phase's name as code uses it: "recruiting", "after_end".
// The web pages use it in class names and ids.
func (p Phase) String() string {
	if p < 0 || int(p) >= len(phaseNames) {
		return fmt.Sprintf("Phase(%d)", int(p))
	}
	return phaseNames[p]
}

// ParsePhase reads a phase's name as String writes it.
func ParsePhase(name string) (Phase, bool) {
	for i, n := range phaseNames {
		if n == name {
			return Phase(i), true
		}
	}
	return 0, false
}

// A Pattern is how a phase reads without colour: the marks Ink draws over
// Fill. Each phase has its own, so a black-and-white printout keeps them
// apart.
type Pattern string

// The patterns.
const (
	Solid           Pattern = "solid"            // Fill only
	DiagonalStripes Pattern = "diagonal-stripes" // thin stripes at 45 degrees
	VerticalStripes Pattern = "vertical-stripes" // half-width stripes
	HorizontalLines Pattern = "horizontal-lines" // a thin line across each cell
	Dots            Pattern = "dots"             // a dot in each cell
	Crosshatch      Pattern = "crosshatch"       // thin lines both ways
)

// A Swatch is how one phase is drawn.
type Swatch struct {
	Fill    Colour
	Ink     Colour // the pattern's marks; Fill for a solid
	Pattern Pattern
}

// The phases' swatches. The fills are strong enough to tell apart on a
// projector, and ordered cold to warm to green: blue while searching,
// orange while the candidate serves notice, yellow while onboarding,
// green once productive; grey where the post waits or the money has ended.
var swatches = [...]Swatch{
	Waiting:    {Fill: "E4E4E4", Ink: "C4C4C4", Pattern: VerticalStripes},
	Recruiting: {Fill: "2F6FB0", Ink: "A9C8EA", Pattern: DiagonalStripes},
	Notice:     {Fill: "D9822B", Ink: "FFF3E0", Pattern: Dots},
	Onboarding: {Fill: "E8C547", Ink: "7A6210", Pattern: HorizontalLines},
	Productive: {Fill: "3C8D40", Ink: "3C8D40", Pattern: Solid},
	AfterEnd:   {Fill: "BFBFBF", Ink: "7F7F7F", Pattern: Crosshatch},
}

// Of returns phase p's swatch.
func Of(p Phase) Swatch { return swatches[p] }

// The swatches of money in the budget's charts: what the sources pay, and
// what the county pays itself (its own share), striped so that the two
// part in black and white too.
var (
	Funded   = Swatch{Fill: "3C8D40", Ink: "3C8D40", Pattern: Solid}
	OwnShare = Swatch{Fill: "D9822B", Ink: "7A3E00", Pattern: DiagonalStripes}
)

// FundingEnd is the colour of the line at a funding end.
const FundingEnd Colour = "A4161A"

// SeverityColours are how a flag of one severity is marked: Ink for its
// text, Fill behind it where a cell or a box is shaded.
type SeverityColours struct {
	Ink, Fill Colour
}

// Severity returns the colours of severity s; an unknown severity gets
// info's.
func Severity(s planner.Severity) SeverityColours {
	switch s {
	case planner.Critical:
		return SeverityColours{Ink: "A4161A", Fill: "FFC7CE"}
	case planner.Warning:
		return SeverityColours{Ink: "8A5A00", Fill: "FFEB9C"}
	}
	return SeverityColours{Ink: "2A5D8A", Fill: "DDEBF7"}
}
