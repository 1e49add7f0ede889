package planner

import (
	"strconv"
)

// A Decimal is a rounded result: Units / 10^Places, exactly. Money has two
// places, utilisation four. It marshals to a plain JSON number.
type Decimal struct {
	Units  int64
	Places uint8
}

// String formats d with all its places: "174166.67", "-0.50", "0.1667".
func (d Decimal) String() string {
	return string(d.Append(nil))
}

// Append appends d.String() to b.
func (d Decimal) Append(b []byte) []byte {
	units := uint64(d.Units)
	if d.Units < 0 {
		b = append(b, '-')
		units = -units
	}
	var buffer [20]byte
	digits := strconv.AppendUint(buffer[:0], units, 10)
	places := int(d.Places)
	if places == 0 {
		return append(b, digits...)
	}
	whole := len(digits) - places
	if whole <= 0 {
		b = append(b, '0', '.')
		for range -whole {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	b = append(b, digits[:whole]...)
	b = append(b, '.')
	return append(b, digits[whole:]...)
}

// MarshalJSON writes d as a JSON number with all its places.
func (d Decimal) MarshalJSON() ([]byte, error) { return d.Append(nil), nil }

// Add returns d + e; both must have the same places.
func (d Decimal) Add(e Decimal) Decimal {
	return Decimal{Units: d.Units + e.Units, Places: d.Places}
}

// Sub returns d − e; both must have the same places.
func (d Decimal) Sub(e Decimal) Decimal {
	return Decimal{Units: d.Units - e.Units, Places: d.Places}
}

// roundInt returns num/den rounded half away from zero for int64 values;
// den > 0 and num·2 must not overflow.
func roundInt(num, den int64) int64 {
	if num < 0 {
		return -roundInt(-num, den)
	}
	q, rem := num/den, num%den
	if 2*rem >= den {
		q++
	}
	return q
}
