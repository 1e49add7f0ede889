package planner

import (
	"math/big"

	"github.com/rickb777/date/v2"
)

// MaxPositions is the most positions a scenario may have.
const MaxPositions = 5000

// A Scenario is a validated planning problem (docs/scenario.md) with every default
// resolved: each position carries its own phases, costs and funding source.
// Build one with Decode; a Scenario is not modified by planning and may be
// planned from several goroutines at once.
type Scenario struct {
	Name          string
	Description   string
	Start         date.Date
	MinProductive Period
	HRCapacity    int
	Funding       []Funding
	Positions     []Position
	// Horizon is the last day the budget looks at: the given one, or 31
	// December of the year of the latest funding end.
	Horizon date.Date
	// PayRaises are the raises of the pay scale, in date order.
	PayRaises []PayRaise

	// groups lists the members of each group in input order, for the
	// dependency gates; order is a topological order of the positions.
	groups map[string][]int
	order  []int
	graph  graph
	prices *prices
	// gateSlots counts the distinct (group, event, excluded member) gates.
	gateSlots int
}

// A Funding is one funding source. Rate, PerFTEYear and Cap are exact;
// PerFTEYear and Cap are nil where the source has none.
type Funding struct {
	ID, Name   string
	Start, End date.Date
	Rate       *big.Rat
	PerFTEYear *big.Rat
	Cap        *big.Rat
}

// A Position is one post to be hired.
type Position struct {
	ID, Title, Group, Location string
	FTE                        *big.Rat
	MonthlyCost                *big.Rat
	Phases                     [phaseCount]Span
	StartOn                    Alignment
	Earliest                   date.Date // zero when the position has none
	After                      []Dependency
	Funding                    int // index into Scenario.Funding
	Employment                 Employment
}

// A PayRaise raises the pay of every post by Percent (in whole hundredths
// of a percent, −50 to 100) from From on: a raise of the pay scale.
type PayRaise struct {
	From    date.Date
	Percent *big.Rat
}

// Employment says how long a post's holder is employed and paid
// (docs/scenario.md, Cost, own share and budget years).
type Employment uint8

// The kinds of employment.
const (
	// Fixed: the contract ends with the funding, so the holder is employed
	// from filled to the funding end.
	Fixed Employment = iota
	// Permanent: the holder stays after the funding ends; the budget counts
	// the post to the horizon.
	Permanent
)

var employmentNames = [...]string{"fixed", "permanent"}

func (e Employment) String() string { return employmentNames[e] }

// MarshalText writes "fixed" or "permanent".
func (e Employment) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

func parseEmployment(s string) (Employment, bool) {
	for i, name := range employmentNames {
		if s == name {
			return Employment(i), true
		}
	}
	return 0, false
}

// Phase names one of a position's hiring phases.
type Phase uint8

// The hiring phases, in the order they follow each other.
const (
	Recruiting Phase = iota
	Notice
	Onboarding
	phaseCount
)

var phaseNames = [...]string{"recruiting", "notice", "onboarding"}

func (p Phase) String() string { return phaseNames[p] }

// A Span is the length of a phase: a Period, or a range of periods for the
// risk run (docs/risk.md). A plain period has Min = Likely = Max.
type Span struct {
	Min, Likely, Max Period
	Ranged           bool
}

// Event is a point in a position's hiring that a dependency can wait for.
type Event uint8

// The events a dependency can wait for (docs/scenario.md, The schedule).
const (
	HiringStart Event = iota
	Recruited
	Filled
	Productive
)

var eventNames = [...]string{"hiring_start", "recruited", "filled", "productive"}

func (e Event) String() string { return eventNames[e] }

func parseEvent(s string) (Event, bool) {
	for i, name := range eventNames {
		if s == name {
			return Event(i), true
		}
	}
	return 0, false
}

// A Dependency is a gate: the position may start hiring once Count of the
// Members have reached Event, plus Lag.
type Dependency struct {
	Ref   string // as written: "ovh-1" or "group:overhead"
	Event Event
	Lag   Period
	Count int
	// Members holds the positions waited for, in input order. For a group
	// it is the group's shared member list, which may contain the position
	// itself; Self then tells it to be skipped.
	Members []int
	Self    int // the depending position's index where Members contains it, else -1
	path    loc
	slot    int // the scheduler's shared slot for a group gate; -1 for a position
}

// waitsFor calls f for every position the dependency waits for.
func (d *Dependency) waitsFor(f func(member int)) {
	for _, m := range d.Members {
		if m != d.Self {
			f(m)
		}
	}
}

// Times holds a position's scheduled dates (docs/scenario.md, The schedule).
type Times struct {
	Ready, HiringStart, Recruited, Filled, Productive date.Date
}

func (t *Times) at(e Event) date.Date {
	switch e {
	case HiringStart:
		return t.HiringStart
	case Recruited:
		return t.Recruited
	case Filled:
		return t.Filled
	}
	return t.Productive
}

// WithStart returns a copy of s planned from another decision date; the
// copy shares everything else with s.
func (s *Scenario) WithStart(start date.Date) *Scenario {
	c := *s
	c.Start = start
	return &c
}
