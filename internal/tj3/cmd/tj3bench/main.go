// Command tj3bench prepares and checks the timing of grantplan against
// TaskJuggler 3 (scripts/compare-tj3.sh).
//
//	tj3bench [-n 1000] [-seed 1] DIR
//
// writes a generated scenario of n posts, DIR/project-N.json, and the same
// project for TaskJuggler, DIR/project-N.tjp; running `tj3 project-N.tjp`
// in DIR writes the report dates.csv.
//
//	tj3bench -check PLAN [-n 1000] DIR
//
// compares the dates of PLAN, the output of `grantplan plan
// project-N.json --json`, with those of DIR/dates.csv, so that the timing
// compares two programs that agree.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"grantplan/internal/tj3"
	"grantplan/planner"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "tj3bench:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("tj3bench", flag.ContinueOnError)
	flags.SetOutput(stderr)
	n := flags.Int("n", 1000, "number of posts")
	seed := flags.Uint64("seed", 1, "generator seed")
	check := flags.String("check", "", "compare this plan (grantplan plan --json) with DIR/dates.csv")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() != 1 {
		return fmt.Errorf("want one directory, got %d arguments", flags.NArg())
	}
	dir := flags.Arg(0)
	if *n < 1 || *n > planner.MaxPositions {
		return fmt.Errorf("-n %d is out of range 1..%d", *n, planner.MaxPositions)
	}
	base := filepath.Join(dir, fmt.Sprintf("project-%d", *n))
	if *check != "" {
		return compare(base+".json", *check, filepath.Join(dir, tj3.ReportName+".csv"), stdout)
	}

	data := tj3.Generate(*n, *seed)
	s, err := planner.Decode(data)
	if err != nil {
		return fmt.Errorf("generated scenario: %w", err)
	}
	var project bytes.Buffer
	if err := tj3.Write(&project, s); err != nil {
		return err
	}
	if err := os.WriteFile(base+".json", data, 0o644); err != nil {
		return err
	}
	return os.WriteFile(base+".tjp", project.Bytes(), 0o644)
}

// compare checks every position's four dates in the plan document against
// tj3's report.
func compare(scenarioPath, planPath, reportPath string, stdout io.Writer) error {
	data, err := os.ReadFile(scenarioPath)
	if err != nil {
		return err
	}
	s, err := planner.Decode(data)
	if err != nil {
		return fmt.Errorf("%s: %w", scenarioPath, err)
	}
	report, err := os.Open(reportPath)
	if err != nil {
		return err
	}
	defer report.Close()
	dates, err := tj3.ReadReport(report, []*planner.Scenario{s})
	if err != nil {
		return err
	}
	data, err = os.ReadFile(planPath)
	if err != nil {
		return err
	}
	var plan struct {
		Positions []struct {
			ID          string `json:"id"`
			HiringStart string `json:"hiring_start"`
			Recruited   string `json:"recruited"`
			Filled      string `json:"filled"`
			Productive  string `json:"productive"`
		} `json:"positions"`
	}
	if err := json.Unmarshal(data, &plan); err != nil {
		return fmt.Errorf("%s: %w", planPath, err)
	}
	if len(plan.Positions) != len(s.Positions) {
		return fmt.Errorf("%s: %d positions, the scenario has %d", planPath, len(plan.Positions), len(s.Positions))
	}
	mismatches := 0
	for i, p := range plan.Positions {
		want := dates[0][i]
		for _, field := range []struct {
			name, grantplan, tj3 string
		}{
			{"hiring_start", p.HiringStart, want.HiringStart.String()},
			{"recruited", p.Recruited, want.Recruited.String()},
			{"filled", p.Filled, want.Filled.String()},
			{"productive", p.Productive, want.Productive.String()},
		} {
			if field.grantplan != field.tj3 {
				mismatches++
				fmt.Fprintf(stdout, "%s: %s: grantplan %s, tj3 %s\n", p.ID, field.name, field.grantplan, field.tj3)
			}
		}
	}
	if mismatches > 0 {
		return fmt.Errorf("%d dates differ between grantplan and tj3", mismatches)
	}
	fmt.Fprintf(stdout, "grantplan and tj3 agree on all %d dates of %d positions\n", 4*len(s.Positions), len(s.Positions))
	return nil
}
