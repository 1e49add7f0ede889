package scenariotest

import (
	"bytes"
	"testing"

	"grantplan/planner"
)

// TestRandomIsValid: every random scenario, with and without the extra
// fields, is one the planner accepts, and a seed always gives the same.
func TestRandomIsValid(t *testing.T) {
	ranged := 0
	for seed := int64(1); seed <= 500; seed++ {
		for _, opts := range []Options{{}, {Ranges: true, Texts: true}} {
			sc := Random(seed, opts)
			if !bytes.Equal(sc, Random(seed, opts)) {
				t.Fatalf("seed %d gives two scenarios", seed)
			}
			s, err := planner.Decode(sc)
			if err != nil {
				t.Fatalf("seed %d %+v: %v\n%s", seed, opts, err, sc)
			}
			for _, p := range s.Positions {
				for _, span := range p.Phases {
					if span.Ranged {
						ranged++
					}
				}
			}
		}
	}
	if ranged < 100 {
		t.Errorf("only %d ranged phases in 500 scenarios", ranged)
	}
}
