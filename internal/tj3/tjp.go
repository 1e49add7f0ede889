// Package tj3 cross-checks the planner's schedule against TaskJuggler 3
// (the Debian package tj3): it translates scenarios into TaskJuggler
// projects, runs tj3 on them and reads back the dates it schedules.
//
// Each position becomes a container task with three sub-tasks, recruiting,
// notice and onboarding, each lasting its phase's likely period as a
// calendar-day duration (a phase of P0D is a milestone). TaskJuggler's
// duration is calendar time, so a task starting on day d with duration Nd
// ends at midnight of d+N, exactly d + PnD (docs/scenario.md, Dates and
// periods). The decision date and a position's earliest date are fixed
// milestones that recruiting depends on. A dependency on a position's
// hiring_start is a dependency on the start of its recruiting (onstart);
// recruited, filled and productive are the ends of recruiting, notice and
// onboarding; a lag is a gapduration. The project runs in UTC with
// TaskJuggler's coarsest timing resolution (one hour), so no date moves for
// working hours, weekends or daylight saving time.
//
// Only what TaskJuggler can express exactly is supported:
//
//   - phases and lags made of weeks and days: TaskJuggler's months and years
//     are fixed lengths, not calendar months (docs/scenario.md, Dates and
//     periods);
//   - start_on "any": TaskJuggler cannot round a date up to a month or a
//     quarter start;
//   - dependencies on a single position or on every member of a group
//     (count equal to the number of members), not the k-th of n;
//   - hr_capacity 0: the one-at-a-time capacity rule (docs/scenario.md, HR
//     capacity) is not TaskJuggler's resource allocation;
//   - dates between 1970 and 2035, TaskJuggler's calendar.
//
// Write and WriteProject return an error for anything else. A ranged phase
// is scheduled at its likely period, as the plan does. Only the four dates
// of the schedule are compared; money, flags and the searches are not
// TaskJuggler's business.
package tj3

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/rickb777/date/v2"

	"grantplan/planner"
)

// ReportName is the name of the CSV task report a project writes; tj3 puts
// it into its output directory as ReportName + ".csv".
const ReportName = "dates"

// The range of dates TaskJuggler 3 accepts.
var (
	firstDate = date.New(1970, time.January, 1)
	lastDate  = date.New(2035, time.December, 31)
)

// The sub-tasks of a position, in the order they follow each other.
var phaseTasks = [...]string{
	planner.Recruiting: "rec",
	planner.Notice:     "not",
	planner.Onboarding: "onb",
}

// Write writes s as a TaskJuggler project whose CSV report ReportName lists
// every task's id, start and end.
func Write(w io.Writer, s *planner.Scenario) error {
	return WriteProject(w, []*planner.Scenario{s})
}

// WriteProject writes several independent scenarios into one TaskJuggler
// project, each as a top-level task tree of its own, so that one run of
// tj3 schedules them all. Scenario k is task s<k>, its position i is task
// s<k>.p<i>.
func WriteProject(w io.Writer, scenarios []*planner.Scenario) error {
	if len(scenarios) == 0 {
		return errors.New("tj3: no scenario to write")
	}
	projectStart, projectEnd := lastDate, firstDate
	for k, s := range scenarios {
		if err := check(s); err != nil {
			if len(scenarios) > 1 {
				return fmt.Errorf("tj3: scenario %d (%s): %w", k, s.Name, err)
			}
			return fmt.Errorf("tj3: %w", err)
		}
		projectStart = min(projectStart, s.Start)
		projectEnd = max(projectEnd, lastDay(s))
	}
	// The project ends a day after the last productive date, so that
	// TaskJuggler has room for it but no more: a wider time frame only
	// makes tj3 slower.
	projectEnd++
	if projectStart < firstDate || projectEnd > lastDate {
		return fmt.Errorf("tj3: the schedule runs from %s to %s, outside TaskJuggler's calendar (%s to %s)",
			projectStart, projectEnd-1, firstDate, lastDate-1)
	}

	bw := bufio.NewWriter(w)
	name := scenarios[0].Name
	if len(scenarios) > 1 {
		name = fmt.Sprintf("%d grantplan scenarios", len(scenarios))
	}
	fmt.Fprintf(bw, "project grantplan %s %s - %s {\n", quote(name), timestamp(projectStart), timestamp(projectEnd))
	// timingresolution must come before timezone (tj3man timingresolution);
	// now is fixed so that the output does not depend on the clock.
	fmt.Fprintf(bw, "  timingresolution 60min\n  timezone \"UTC\"\n  now %s\n}\n\n", timestamp(projectStart))
	for k, s := range scenarios {
		writeScenario(bw, fmt.Sprintf("s%d", k), s)
	}
	fmt.Fprintf(bw, "taskreport %s %s {\n  formats csv\n  columns id, start, end\n  timeformat \"%%Y-%%m-%%d %%H:%%M\"\n}\n",
		ReportName, quote(ReportName))
	return bw.Flush()
}

// check reports the first thing in s that TaskJuggler cannot express
// exactly.
func check(s *planner.Scenario) error {
	if s.HRCapacity != 0 {
		return fmt.Errorf("hr_capacity %d: TaskJuggler cannot apply the HR capacity rule of docs/scenario.md, only 0 is supported", s.HRCapacity)
	}
	for i := range s.Positions {
		p := &s.Positions[i]
		where := fmt.Sprintf("positions[%d] (%s)", i, p.ID)
		for phase, span := range p.Phases {
			if err := checkPeriod(span.Likely); err != nil {
				return fmt.Errorf("%s: %s %s: %w", where, planner.Phase(phase), span.Likely, err)
			}
		}
		if p.StartOn != planner.AlignAny {
			return fmt.Errorf("%s: start_on %q: TaskJuggler cannot align dates, only \"any\" is supported", where, p.StartOn)
		}
		for j := range p.After {
			dep := &p.After[j]
			if err := checkPeriod(dep.Lag); err != nil {
				return fmt.Errorf("%s: after[%d]: lag %s: %w", where, j, dep.Lag, err)
			}
			if n := len(dep.Members) - selfCount(dep); dep.Count != n {
				return fmt.Errorf("%s: after[%d]: %s with count %d of %d: TaskJuggler cannot wait for the k-th of n, only for all",
					where, j, dep.Ref, dep.Count, n)
			}
		}
	}
	return nil
}

func checkPeriod(p planner.Period) error {
	if p.Years != 0 || p.Months != 0 {
		return errors.New("TaskJuggler's months and years are not calendar months, only weeks and days are supported")
	}
	return nil
}

func selfCount(dep *planner.Dependency) int {
	if slices.Contains(dep.Members, dep.Self) {
		return 1
	}
	return 0
}

func days(p planner.Period) int { return 7*p.Weeks + p.Days }

// lastDay returns the latest productive date of s, for the project's time
// frame. It is the longest path through the dependencies, computed here
// and not taken from the planner, whose dates are the ones under test; a
// mistake here makes tj3 fail loudly, never agree silently.
func lastDay(s *planner.Scenario) date.Date {
	const (
		unknown = iota
		visiting
		done
	)
	state := make([]uint8, len(s.Positions))
	hiringStart := make([]date.Date, len(s.Positions))
	var visit func(i int)
	event := func(m int, e planner.Event) date.Date {
		visit(m)
		t := hiringStart[m]
		for phase := planner.Recruiting; phase < planner.Phase(e); phase++ {
			t += date.Date(days(s.Positions[m].Phases[phase].Likely))
		}
		return t
	}
	visit = func(i int) {
		if state[i] != unknown {
			return // a cycle (visiting) cannot occur in a decoded scenario
		}
		state[i] = visiting
		p := &s.Positions[i]
		ready := max(s.Start, p.Earliest)
		for j := range p.After {
			dep := &p.After[j]
			for _, m := range dep.Members {
				if m != dep.Self {
					ready = max(ready, event(m, dep.Event)+date.Date(days(dep.Lag)))
				}
			}
		}
		hiringStart[i] = ready
		state[i] = done
	}
	last := s.Start
	for i := range s.Positions {
		last = max(last, event(i, planner.Productive))
	}
	return last
}

// A target is the start or end of a sub-task that recruiting waits for.
type target struct {
	member  int
	phase   planner.Phase
	onStart bool
}

func eventTarget(member int, e planner.Event) target {
	switch e {
	case planner.HiringStart:
		return target{member, planner.Recruiting, true}
	case planner.Recruited:
		return target{member, planner.Recruiting, false}
	case planner.Filled:
		return target{member, planner.Notice, false}
	}
	return target{member, planner.Onboarding, false}
}

// writeScenario writes scenario s as the task tree id.
func writeScenario(w *bufio.Writer, id string, s *planner.Scenario) {
	fmt.Fprintf(w, "task %s %s {\n", id, quote(s.Name))
	fmt.Fprintf(w, "  task decision \"decision\" { start %s }\n", timestamp(s.Start))
	for i := range s.Positions {
		p := &s.Positions[i]
		position := fmt.Sprintf("%s.p%d", id, i)
		fmt.Fprintf(w, "  task p%d %s {\n", i, quote(p.ID))
		depends := []string{id + ".decision"}
		if p.Earliest > s.Start {
			fmt.Fprintf(w, "    task earliest \"earliest\" { start %s }\n", timestamp(p.Earliest))
			depends = append(depends, position+".earliest")
		}
		depends = append(depends, gates(id, s, i)...)
		for phase, span := range p.Phases {
			fmt.Fprintf(w, "    task %s %q { depends %s ", phaseTasks[phase], planner.Phase(phase), strings.Join(depends, ", "))
			if n := days(span.Likely); n > 0 {
				fmt.Fprintf(w, "duration %dd }\n", n)
			} else {
				w.WriteString("milestone }\n")
			}
			depends = []string{position + "." + phaseTasks[phase]}
		}
		w.WriteString("  }\n")
	}
	w.WriteString("}\n\n")
}

// gates returns the depends entries for position i's dependencies.
// TaskJuggler refuses two dependencies on the same task, so gates on the
// same edge of a task keep the longest gap, and a task waited for at both
// its start and its end (q's hiring_start and recruited) becomes one wait
// for its start with a gap of max(start gap, recruiting days + end gap).
func gates(scenario string, s *planner.Scenario, i int) []string {
	gaps := make(map[target]int)
	var order []target
	p := &s.Positions[i]
	for j := range p.After {
		dep := &p.After[j]
		for _, m := range dep.Members {
			if m == dep.Self {
				continue
			}
			t := eventTarget(m, dep.Event)
			if t.onStart && days(s.Positions[m].Phases[t.phase].Likely) == 0 {
				// A milestone starts where it ends. TaskJuggler's loop check
				// (TaskScenario#checkForLoops) turns around at milestones
				// and reports a loop where a milestone waits for the start
				// of another, so wait for the end instead.
				t.onStart = false
			}
			old, seen := gaps[t]
			if !seen {
				order = append(order, t)
			}
			gaps[t] = max(old, days(dep.Lag))
		}
	}
	depends := make([]string, 0, len(order))
	for _, t := range order {
		gap := gaps[t]
		other := target{t.member, t.phase, !t.onStart}
		if otherGap, both := gaps[other]; both {
			if !t.onStart {
				continue // written with the start
			}
			gap = max(gap, days(s.Positions[t.member].Phases[t.phase].Likely)+otherGap)
		}
		depends = append(depends, dependency(scenario, t, gap))
	}
	return depends
}

func dependency(scenario string, t target, gap int) string {
	task := fmt.Sprintf("%s.p%d.%s", scenario, t.member, phaseTasks[t.phase])
	var attributes []string
	if t.onStart {
		attributes = append(attributes, "onstart")
	}
	if gap > 0 { // TaskJuggler refuses a gapduration of 0
		attributes = append(attributes, fmt.Sprintf("gapduration %dd", gap))
	}
	if len(attributes) == 0 {
		return task
	}
	return task + " { " + strings.Join(attributes, " ") + " }"
}

// timestamp formats midnight UTC of d the way a TaskJuggler project does.
func timestamp(d date.Date) string {
	return d.Format("2006-01-02") + "-00:00-+0000"
}

// quote makes a TaskJuggler string of s. Names are only for people reading
// the project, so characters that TaskJuggler's scanner treats specially
// inside strings (macro calls ${…} and $(…), escaped quotes) are replaced
// rather than escaped.
func quote(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r == '\\' || r == '$':
			return '/'
		case r < ' ' || r == 0x7f:
			return ' '
		}
		return r
	}, s)
	return `"` + s + `"`
}
