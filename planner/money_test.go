package planner

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestRoundMatchesRationals compares the ledger's rounding, with its
// machine-word shortcut, with rounding the exact fraction, on numbers of
// one to three words over denominators of one or two words, half-way
// cases and negative amounts included.
func TestRoundMatchesRationals(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	randomInt := func(words int) *big.Int {
		z := new(big.Int)
		for range words {
			z.Lsh(z, 64)
			z.Or(z, new(big.Int).SetUint64(rng.Uint64()>>rng.IntN(64)))
		}
		return z
	}
	want := func(num, den *big.Int) int64 {
		r := new(big.Rat).SetFrac(new(big.Int).Mul(num, big.NewInt(100)), den)
		abs := new(big.Rat).Abs(r)
		q, rest := new(big.Int).QuoRem(abs.Num(), abs.Denom(), new(big.Int))
		if rest.Lsh(rest, 1).Cmp(abs.Denom()) >= 0 {
			q.Add(q, big.NewInt(1))
		}
		if r.Sign() < 0 {
			q.Neg(q)
		}
		return q.Int64()
	}
	l := newLedger(&prices{})
	for i := range 20000 {
		den := randomInt(1 + rng.IntN(2))
		if den.Sign() == 0 {
			continue
		}
		var num *big.Int
		switch i % 4 {
		case 0: // exactly half a cent over a whole number of cents
			num = new(big.Int).Mul(den, big.NewInt(rng.Int64N(1<<40)))
			num.Mul(num, big.NewInt(2))
			num.Add(num, den)
			den = new(big.Int).Mul(den, big.NewInt(200))
		default:
			num = randomInt(1 + rng.IntN(3))
		}
		// Results must fit in int64, as the scenario limits ensure.
		if new(big.Int).Quo(new(big.Int).Mul(num, big.NewInt(100)), den).BitLen() > 62 {
			continue
		}
		if rng.IntN(2) == 0 {
			num.Neg(num)
		}
		if got, want := l.round(num, den, 2).Units, want(num, den); got != want {
			t.Fatalf("round(%s / %s) = %d cents, want %d", num, den, got, want)
		}
	}
}

func TestDecimalString(t *testing.T) {
	tests := []struct {
		d    Decimal
		want string
	}{
		{Decimal{Units: 17416667, Places: 2}, "174166.67"},
		{Decimal{Units: -50, Places: 2}, "-0.50"},
		{Decimal{Units: -5, Places: 2}, "-0.05"},
		{Decimal{Units: 0, Places: 2}, "0.00"},
		{Decimal{Units: 1667, Places: 4}, "0.1667"},
		{Decimal{Units: 10000, Places: 4}, "1.0000"},
		{Decimal{Units: 42, Places: 0}, "42"},
		{Decimal{Units: -9223372036854775808, Places: 2}, "-92233720368547758.08"},
		{Decimal{Units: 9223372036854775807, Places: 2}, "92233720368547758.07"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("Decimal{%d, %d}.String() = %s, want %s", tt.d.Units, tt.d.Places, got, tt.want)
		}
	}
}
