package planner

import (
	"cmp"
	"slices"
	"strings"

	"github.com/rickb777/date/v2"
)

// Code names a kind of flag (docs/scenario.md, Flags).
type Code string

// The flag codes.
const (
	NotFilledBeforeExpiry     Code = "NOT_FILLED_BEFORE_EXPIRY"
	NotProductiveBeforeExpiry Code = "NOT_PRODUCTIVE_BEFORE_EXPIRY"
	ShortProductiveWindow     Code = "SHORT_PRODUCTIVE_WINDOW"
	FilledBeforeFunding       Code = "FILLED_BEFORE_FUNDING"
	CapacityDelay             Code = "CAPACITY_DELAY"
	BudgetExceeded            Code = "BUDGET_EXCEEDED"
)

// Codes lists every flag code. Whatever speaks of flags (package locale's
// catalogs) is tested against this list, so a new code is added here, to
// severities and to the rule that raises it.
func Codes() []Code {
	return []Code{
		NotFilledBeforeExpiry, NotProductiveBeforeExpiry, ShortProductiveWindow,
		FilledBeforeFunding, CapacityDelay, BudgetExceeded,
	}
}

// Severity says how bad a flag is.
type Severity string

// The severities, worst first.
const (
	Critical Severity = "critical"
	Warning  Severity = "warning"
	Info     Severity = "info"
)

// Severities lists the severities, worst first.
func Severities() []Severity { return []Severity{Critical, Warning, Info} }

// Rank orders severities: 0 for critical, 1 for warning, 2 for info.
func (s Severity) Rank() int {
	switch s {
	case Critical:
		return 0
	case Warning:
		return 1
	}
	return 2
}

var severities = map[Code]Severity{
	NotFilledBeforeExpiry:     Critical,
	NotProductiveBeforeExpiry: Critical,
	ShortProductiveWindow:     Warning,
	FilledBeforeFunding:       Warning,
	CapacityDelay:             Info,
	BudgetExceeded:            Warning,
}

// A Flag is a problem with the plan, for one position or, for
// BUDGET_EXCEEDED, one funding source. The planner states its facts; the
// sentence in Message is package locale's to write (Lang.Describe), in
// English for the plan document.
type Flag struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	Position string   `json:"position,omitempty"`
	Funding  string   `json:"funding,omitempty"`
	Days     *int     `json:"days"`
	Message  string   `json:"message"`
	// Facts are what the flag's sentence says.
	Facts Facts `json:"-"`

	position int // index of the position; -1 for a source's flag
	order    int // place in input order: the position, or after all positions for a source
}

// Facts are the figures a flag's sentence is made of, so that it can be
// written in any language. A flag of a position has the position's and its
// source's; BUDGET_EXCEEDED has the source's name and amounts only.
type Facts struct {
	Name                     string // the position's title, else its id
	Source                   string // the funding source's name
	Filled, Productive       date.Date
	FundingStart, FundingEnd date.Date
	Ready, HiringStart       date.Date
	ProductiveMonths         Decimal // productive months before the funding ends (SHORT_PRODUCTIVE_WINDOW)
	MinProductive            Period  // the scenario's min_productive
	HRCapacity               int     // the scenario's hr_capacity
	Need, OverBy, Cap        Decimal // the source's (BUDGET_EXCEEDED)
}

func newFlag(code Code, position, order int, days *int, facts Facts) Flag {
	return Flag{Code: code, Severity: severities[code], Days: days, position: position, order: order, Facts: facts}
}

// positionFlags appends the flags of position p with dates t; their days
// are kept in values.
func (s *Scenario) positionFlags(flags []Flag, p int, t Times, values *rowValues) []Flag {
	position := &s.Positions[p]
	source := &s.Funding[position.Funding]
	end := source.End
	facts := Facts{
		Name: position.name(), Source: source.Name,
		Filled: t.Filled, Productive: t.Productive, FundingStart: source.Start, FundingEnd: end,
		Ready: t.Ready, HiringStart: t.HiringStart, MinProductive: s.MinProductive, HRCapacity: s.HRCapacity,
	}
	add := func(code Code, days int) {
		f := newFlag(code, p, p, values.count(days), facts)
		f.Position = position.ID
		flags = append(flags, f)
	}
	minimumEnd := s.MinProductive.AddTo(t.Productive)
	switch {
	case t.Filled > end:
		add(NotFilledBeforeExpiry, int(t.Filled-end))
	case t.Productive > end:
		add(NotProductiveBeforeExpiry, int(t.Productive-end))
	case minimumEnd > end+1:
		facts.ProductiveMonths = monthsDecimal(monthsBetween(t.Productive, end))
		add(ShortProductiveWindow, int(minimumEnd-(end+1)))
	}
	if t.Filled < source.Start {
		add(FilledBeforeFunding, int(source.Start-t.Filled))
	}
	if t.HiringStart > t.Ready {
		add(CapacityDelay, int(t.HiringStart-t.Ready))
	}
	return flags
}

// budgetFlag is the BUDGET_EXCEEDED flag of funding source i.
func (s *Scenario) budgetFlag(i int, fs FundingSummary) Flag {
	f := newFlag(BudgetExceeded, -1, len(s.Positions)+i, nil, Facts{
		Source: fs.Name, Need: fs.Need, OverBy: *fs.OverBy, Cap: *fs.Cap,
	})
	f.Funding = fs.ID
	return f
}

// sortFlags orders flags by severity, then the position's place in the
// input (a source's flags after all positions, in source order), then code.
func sortFlags(flags []Flag) {
	slices.SortStableFunc(flags, func(a, b Flag) int {
		return cmp.Or(
			cmp.Compare(a.Severity.Rank(), b.Severity.Rank()),
			cmp.Compare(a.order, b.order),
			strings.Compare(string(a.Code), string(b.Code)),
		)
	})
}

// name is how messages call the position: its title, else its id.
func (p *Position) name() string {
	if p.Title != "" {
		return p.Title
	}
	return p.ID
}
