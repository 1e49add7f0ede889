package planner

import (
	"cmp"
	"fmt"
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
}

func newFlag(code Code, position, order int, days *int, format string, args ...any) Flag {
	return Flag{
		Code: code, Severity: severities[code], Days: days,
		Message:  fmt.Sprintf(format, args...),
		position: position, order: order,
	}
}

// positionFlags appends the flags of position p with dates t.
func (s *Scenario) positionFlags(flags []Flag, p int, t Times) []Flag {
	position := &s.Positions[p]
	source := &s.Funding[position.Funding]
	name, end := position.name(), source.End
	add := func(code Code, days int, format string, args ...any) {
		f := newFlag(code, p, p, &days, format, args...)
		f.Position = position.ID
		flags = append(flags, f)
	}
	minimumEnd := s.MinProductive.AddTo(t.Productive)
	switch {
	case t.Filled > end:
		days := int(t.Filled - end)
		add(NotFilledBeforeExpiry, days,
			"%s is filled only on %s, %s after its funding (%s) ends on %s.",
			name, t.Filled, plural(days, "day"), source.Name, end)
	case t.Productive > end:
		days := int(t.Productive - end)
		add(NotProductiveBeforeExpiry, days,
			"%s is filled on %s but productive only on %s, %s after its funding (%s) ends on %s.",
			name, t.Filled, t.Productive, plural(days, "day"), source.Name, end)
	case minimumEnd > end+1:
		days := int(minimumEnd - (end + 1))
		add(ShortProductiveWindow, days,
			"%s is productive from %s, but its funding (%s) ends on %s: %s months of productive work, %s short of the minimum of %s.",
			name, t.Productive, source.Name, end, formatMonths(monthsBetween(t.Productive, end)),
			plural(days, "day"), s.MinProductive)
	}
	if t.Filled < source.Start {
		days := int(source.Start - t.Filled)
		add(FilledBeforeFunding, days,
			"%s is filled on %s, %s before its funding (%s) starts on %s; that time is not funded.",
			name, t.Filled, plural(days, "day"), source.Name, source.Start)
	}
	if t.HiringStart > t.Ready {
		days := int(t.HiringStart - t.Ready)
		add(CapacityDelay, days,
			"%s could start hiring on %s, but with at most %d recruitments at once it starts on %s, %s later.",
			name, t.Ready, s.HRCapacity, t.HiringStart, plural(days, "day"))
	}
	return flags
}

// budgetFlag is the BUDGET_EXCEEDED flag of funding source i.
func (s *Scenario) budgetFlag(i int, fs FundingSummary) Flag {
	f := newFlag(BudgetExceeded, -1, len(s.Positions)+i, nil,
		"The posts funded by %s need %s EUR, %s EUR more than its cap of %s EUR.",
		fs.Name, FormatMoney(fs.Need), FormatMoney(*fs.OverBy), FormatMoney(*fs.Cap))
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

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func formatMonths(months int64) string {
	return Decimal{Units: roundInt(months*100, monthsDenominator), Places: 2}.String()
}

// FormatMoney writes an amount with thousands separators: 174,166.67.
func FormatMoney(d Decimal) string {
	s := d.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, fraction, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if fraction != "" {
		b.WriteByte('.')
		b.WriteString(fraction)
	}
	return sign + b.String()
}
