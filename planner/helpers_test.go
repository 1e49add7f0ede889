package planner

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rickb777/date/v2"
)

// readDemo reads the demo scenario of data/.
func readDemo(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "data", "kim-siegen-wittgenstein.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func mustDate(t testing.TB, s string) date.Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Date shortens date.Date in tests.
type Date = date.Date

// decode decodes a scenario that the test expects to be valid.
func decode(t testing.TB, scenario string) *Scenario {
	t.Helper()
	s, err := Decode([]byte(scenario))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return s
}

// planOf decodes and plans a scenario.
func planOf(t testing.TB, scenario string) *Plan {
	t.Helper()
	p, err := decode(t, scenario).Plan(context.Background())
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return p
}

// positionByID finds a position's row in a plan.
func positionByID(t testing.TB, p *Plan, id string) *PositionPlan {
	t.Helper()
	for i := range p.Positions {
		if p.Positions[i].ID == id {
			return &p.Positions[i]
		}
	}
	t.Fatalf("no position %q in plan", id)
	return nil
}
