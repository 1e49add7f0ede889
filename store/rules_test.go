package store

import (
	"testing"

	"grantplan/planner"
)

func TestFreeID(t *testing.T) {
	tests := []struct {
		name  string
		base  string
		taken []string
		want  string
	}{
		{"free", "kim", nil, "kim"},
		{"taken", "kim", []string{"kim"}, "kim-2"},
		{"gap", "kim", []string{"kim", "kim-2", "kim-4"}, "kim-3"},
		{"suffix of a suffix", "kim-2", []string{"kim-2"}, "kim-2-2"},
		{"others only", "kim", []string{"kim-2", "kim-3"}, "kim"},
		{"ten", "a", []string{"a", "a-2", "a-3", "a-4", "a-5", "a-6", "a-7", "a-8", "a-9"}, "a-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			taken := make(map[string]bool)
			for _, id := range tt.taken {
				taken[id] = true
			}
			if got := FreeID(tt.base, func(id string) bool { return taken[id] }); got != tt.want {
				t.Errorf("FreeID(%q) with %v taken: got %q, want %q", tt.base, tt.taken, got, tt.want)
			}
		})
	}
}

// noError marks a check that must pass.
const noError planner.ErrorKind = 255

func TestChecks(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want planner.ErrorKind
	}{
		{"empty id", CheckID(""), planner.KindInvalid},
		{"id", CheckID("a"), noError},
		{"scenario", CheckScenario("a", []byte("{}")), noError},
		{"empty body", CheckScenario("a", nil), planner.KindInvalid},
		{"figures", CheckFigures("a", Figures{Version: 1, Body: []byte("{}")}), noError},
		{"figures version 0", CheckFigures("a", Figures{Body: []byte("{}")}), planner.KindInvalid},
		{"list", CheckList(ListOptions{Offset: 3, Limit: 2, FiguresVersion: 1}), noError},
		{"negative offset", CheckList(ListOptions{Offset: -1}), planner.KindInvalid},
		{"stale", Stale("a", 2, 1), planner.KindPrecondition},
		{"taken", Taken("a"), planner.KindConflict},
		{"not found", NotFound("a"), planner.KindNotFound},
		{"no revision", RevisionNotFound("a", 3), planner.KindNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			switch {
			case tt.want == noError && tt.err != nil:
				t.Errorf("got %v, want no error", tt.err)
			case tt.want != noError && planner.KindOf(tt.err) != tt.want:
				t.Errorf("got %v (kind %d), want kind %d", tt.err, planner.KindOf(tt.err), tt.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"KIM Siegen", "kim siegen"},
		{"KÖLN Ärger ÜBER", "köln ärger über"},
		{"STRAßE", "straße"},
		{"100% _x_", "100% _x_"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
