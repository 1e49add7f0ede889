package planner

import "testing"

func TestCanonicalNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"5500", "5500"}, {"5500.00", "5500"}, {"0.50", "0.5"}, {"-0.0", "0"}, {"4.6360E3", "4636"},
		{"5.5e3", "5500"}, {"1e-2", "0.01"}, {"12E+1", "120"}, {"0", "0"}, {"-12.250", "-12.25"},
		{"1e40", "1" + "0000000000" + "0000000000" + "0000000000" + "0000000000"},
		{"00", ""}, {"1.", ""}, {".5", ""}, {"1e", ""}, {"1e41", ""}, {"1e+-2", ""}, {"+1", ""}, {"", ""}, {"x", ""},
	}
	for _, tt := range tests {
		got, ok := CanonicalNumber(tt.in)
		if tt.want == "" && ok || tt.want != "" && got != tt.want {
			t.Errorf("CanonicalNumber(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}
