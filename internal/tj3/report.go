package tj3

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rickb777/date/v2"

	"grantplan/planner"
)

// Dates are a position's dates (docs/scenario.md, The schedule) as
// TaskJuggler schedules them.
type Dates struct {
	HiringStart, Recruited, Filled, Productive date.Date
}

// Run writes the scenarios as one project into dir, schedules it with the
// tj3 found on PATH and returns the dates of every position, indexed like
// the scenarios and their positions. Any warning of tj3 is an error: a
// task that TaskJuggler could not place exactly must not pass unnoticed.
func Run(ctx context.Context, dir string, scenarios []*planner.Scenario) ([][]Dates, error) {
	project := filepath.Join(dir, "project.tjp")
	f, err := os.Create(project)
	if err != nil {
		return nil, fmt.Errorf("tj3: %w", err)
	}
	err = WriteProject(f, scenarios)
	if closeErr := f.Close(); err == nil && closeErr != nil {
		err = fmt.Errorf("tj3: %w", closeErr)
	}
	if err != nil {
		return nil, err
	}
	report := filepath.Join(dir, ReportName+".csv")
	if err := os.Remove(report); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("tj3: %w", err)
	}
	cmd := exec.CommandContext(ctx, "tj3", "--silent", "--no-color", "--abort-on-warnings", "-o", dir, project)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("tj3: run %s: %w\n%s", project, err, bytes.TrimSpace(out))
	}
	r, err := os.Open(report)
	if err != nil {
		return nil, fmt.Errorf("tj3: read the report: %w", err)
	}
	defer r.Close()
	return ReadReport(r, scenarios)
}

// ReadReport reads the CSV report of a project that WriteProject wrote for
// the scenarios and returns the dates of every position, indexed like the
// scenarios and their positions.
func ReadReport(r io.Reader, scenarios []*planner.Scenario) ([][]Dates, error) {
	type span struct {
		start, end date.Date
		seen       bool
	}
	phases := make([][][len(phaseTasks)]span, len(scenarios))
	for k, s := range scenarios {
		phases[k] = make([][len(phaseTasks)]span, len(s.Positions))
	}
	cr := csv.NewReader(r)
	cr.Comma = ';'
	cr.FieldsPerRecord = 3
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("tj3: report: %w", err)
	}
	if strings.Join(header, ";") != "Id;Start;End" {
		return nil, fmt.Errorf("tj3: report: header %q, want Id;Start;End", header)
	}
	for {
		record, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("tj3: report: %w", err)
		}
		k, i, phase, ok := parseTaskID(record[0])
		if !ok {
			continue // a scenario, position, decision or earliest task
		}
		line, _ := cr.FieldPos(0)
		if k >= len(scenarios) || i >= len(scenarios[k].Positions) {
			return nil, fmt.Errorf("tj3: report line %d: task %s is not in the scenarios", line, record[0])
		}
		start, err := parseTimestamp(record[1])
		if err != nil {
			return nil, fmt.Errorf("tj3: report line %d: task %s: start: %w", line, record[0], err)
		}
		end, err := parseTimestamp(record[2])
		if err != nil {
			return nil, fmt.Errorf("tj3: report line %d: task %s: end: %w", line, record[0], err)
		}
		phases[k][i][phase] = span{start, end, true}
	}
	dates := make([][]Dates, len(scenarios))
	for k, s := range scenarios {
		dates[k] = make([]Dates, len(s.Positions))
		for i := range s.Positions {
			p := &phases[k][i]
			for phase := range p {
				if !p[phase].seen {
					return nil, fmt.Errorf("tj3: report: task s%d.p%d.%s is missing", k, i, phaseTasks[phase])
				}
			}
			dates[k][i] = Dates{
				HiringStart: p[planner.Recruiting].start,
				Recruited:   p[planner.Recruiting].end,
				Filled:      p[planner.Notice].end,
				Productive:  p[planner.Onboarding].end,
			}
		}
	}
	return dates, nil
}

// parseTaskID splits a sub-task id s<k>.p<i>.<phase>.
func parseTaskID(id string) (scenario, position int, phase planner.Phase, ok bool) {
	parts := strings.Split(id, ".")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	scenario, err1 := index(parts[0], "s")
	position, err2 := index(parts[1], "p")
	if err1 != nil || err2 != nil {
		return 0, 0, 0, false
	}
	for p, name := range phaseTasks {
		if parts[2] == name {
			return scenario, position, planner.Phase(p), true
		}
	}
	return 0, 0, 0, false
}

func index(s, prefix string) (int, error) {
	digits, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return 0, errors.New("no prefix")
	}
	return strconv.Atoi(digits)
}

// parseTimestamp reads a report time, which must be midnight: anything
// else means TaskJuggler moved a task off whole days.
func parseTimestamp(s string) (date.Date, error) {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		return 0, err
	}
	if t.Hour() != 0 || t.Minute() != 0 {
		return 0, fmt.Errorf("%s is not midnight", s)
	}
	return date.NewAt(t), nil
}
