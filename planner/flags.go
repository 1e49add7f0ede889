package planner

import (
	"github.com/rickb777/date/v2"
	"strconv"

	"cmp"
	"slices"
	"strings"
)

// Code names a kind of flag (SPEC §5).
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

// Severity says how bad a flag is.
type Severity string

// The severities, worst first.
const (
	Critical Severity = "critical"
	Warning  Severity = "warning"
	Info     Severity = "info"
)

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
// BUDGET_EXCEEDED, one funding source.
type Flag struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	Position string   `json:"position,omitempty"`
	Funding  string   `json:"funding,omitempty"`
	Days     *int     `json:"days"`
	Message  string   `json:"message"`

	position int // index of the position; -1 for a source's flag
	order    int // place in input order: the position, or after all positions for a source
	args     flagArgs
}

// flagArgs are what a flag's message says, kept so that Text can render
// it in another language.
type flagArgs struct {
	name, source                   string
	filled, productive, start, end date.Date
	ready, hiring                  date.Date
	months                         int64 // productive months, over monthsDenominator
	minimum                        Period
	capacity                       int
	need, overBy, cap              Decimal
}

func newFlag(code Code, position, order int, days *int, args flagArgs) Flag {
	f := Flag{
		Code: code, Severity: severities[code], Days: days,
		position: position, order: order, args: args,
	}
	f.Message = f.Text(English)
	return f
}

// positionFlags appends the flags of position p with dates t.
func (s *Scenario) positionFlags(flags []Flag, p int, t Times) []Flag {
	position := &s.Positions[p]
	source := &s.Funding[position.Funding]
	end := source.End
	args := flagArgs{
		name: position.name(), source: source.Name,
		filled: t.Filled, productive: t.Productive, start: source.Start, end: end,
		ready: t.Ready, hiring: t.HiringStart, minimum: s.MinProductive, capacity: s.HRCapacity,
	}
	add := func(code Code, days int) {
		f := newFlag(code, p, p, &days, args)
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
		args.months = monthsBetween(t.Productive, end)
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
	f := newFlag(BudgetExceeded, -1, len(s.Positions)+i, nil, flagArgs{
		source: fs.Name, need: fs.Need, overBy: *fs.OverBy, cap: *fs.Cap,
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

// FormatMoney writes an amount with thousands separators: 174,166.67.
func FormatMoney(d Decimal) string { return English.Number(d) }

// plural writes "1 member", "2 members".
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}
