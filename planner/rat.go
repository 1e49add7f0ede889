package planner

import (
	"math/big"
	"math/bits"
)

// compareRats is a.Cmp(b). big.Rat's Cmp allocates twice, even for two
// integers; the decoder compares every amount with its limits, so
// numerators and denominators that fit in 64 bits are compared here, by
// cross-multiplying in 128 bits, and only larger ones by Cmp.
func compareRats(a, b *big.Rat) int {
	an, bn := a.Num(), b.Num()
	if a.IsInt() && b.IsInt() {
		return an.Cmp(bn) // Int's Cmp does not allocate
	}
	ad, bd := a.Denom(), b.Denom()
	if !an.IsInt64() || !bn.IsInt64() || !ad.IsUint64() || !bd.IsUint64() {
		return a.Cmp(b)
	}
	as, bs := an.Sign(), bn.Sign()
	if as != bs {
		if as < bs {
			return -1
		}
		return 1
	}
	// Same sign: compare |a.num|·b.den with |b.num|·a.den, reversed for
	// negative numbers.
	aHigh, aLow := bits.Mul64(absInt64(an.Int64()), bd.Uint64())
	bHigh, bLow := bits.Mul64(absInt64(bn.Int64()), ad.Uint64())
	c := 0
	switch {
	case aHigh != bHigh:
		c = compareUint64(aHigh, bHigh)
	default:
		c = compareUint64(aLow, bLow)
	}
	if as < 0 {
		return -c
	}
	return c
}

// ratIsInt64 reports whether r is a whole number that fits in an int64,
// and returns it.
func ratIsInt64(r *big.Rat) (int64, bool) {
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

func absInt64(x int64) uint64 {
	if x < 0 {
		return -uint64(x)
	}
	return uint64(x)
}

func compareUint64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
