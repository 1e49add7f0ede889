package planner

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestCompareRats compares compareRats with big.Rat's Cmp on numbers
// around the edges of its fast path: numerators and denominators of 63
// and 64 bits, negative numbers, integers and fractions, and numbers too
// large for it.
func TestCompareRats(t *testing.T) {
	edges := []*big.Int{
		big.NewInt(0), big.NewInt(1), big.NewInt(-1), big.NewInt(2), big.NewInt(100), big.NewInt(-55000),
		big.NewInt(math.MaxInt64), big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64 - 1),
		new(big.Int).SetUint64(math.MaxUint64), new(big.Int).Lsh(big.NewInt(1), 64), new(big.Int).Lsh(big.NewInt(1), 200),
	}
	r := rand.New(rand.NewPCG(1, 2))
	random := func() *big.Int {
		switch r.IntN(4) {
		case 0:
			return edges[r.IntN(len(edges))]
		case 1:
			return big.NewInt(r.Int64N(2000) - 1000)
		case 2:
			return new(big.Int).SetUint64(r.Uint64())
		}
		return big.NewInt(r.Int64() - math.MaxInt64/2)
	}
	rat := func() *big.Rat {
		num, den := random(), random()
		if den.Sign() == 0 {
			den = big.NewInt(1)
		}
		if r.IntN(3) == 0 {
			den = big.NewInt(1)
		}
		if r.IntN(2) == 0 {
			num = new(big.Int).Neg(num)
		}
		return new(big.Rat).SetFrac(num, den)
	}
	for range 200000 {
		a, b := rat(), rat()
		if r.IntN(10) == 0 {
			b = new(big.Rat).Set(a)
		}
		if got, want := compareRats(a, b), a.Cmp(b); got != want {
			t.Fatalf("compareRats(%s, %s) = %d, want %d", a.RatString(), b.RatString(), got, want)
		}
	}
	if got := compareRats(ratZero, ratOne); got != -1 {
		t.Errorf("compareRats(0, 1) = %d, want -1", got)
	}
}

func BenchmarkCompareRats(b *testing.B) {
	x, y := big.NewRat(458333, 100), big.NewRat(10000000, 1)
	b.ReportAllocs()
	for b.Loop() {
		if compareRats(x, y) >= 0 {
			b.Fatal("wrong order")
		}
	}
}
