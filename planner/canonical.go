package planner

import (
	"strconv"
	"strings"
)

// maxLiteralDigits and maxLiteralExponent bound the number literals Decode
// accepts (and CanonicalNumber writes).
const (
	maxLiteralDigits   = 40
	maxLiteralExponent = 40
)

// CanonicalNumber writes a JSON number literal as a plain decimal, the
// form what people type is stored in (docs/scenario.md, Numbers): no
// exponent, no leading zeros, no trailing zeros after the point and no
// point without places, no minus on zero. "4.6360E3" gives "4636", "0.50"
// gives "0.5", "-0.0" gives "0". It reports false for a literal that is
// not a JSON number, or one Decode refuses for its size (more than 40
// digits, an exponent beyond ±40).
func CanonicalNumber(literal string) (string, bool) {
	s := literal
	negative := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mantissa, exponentText, hasExponent := strings.Cut(strings.ToLower(s), "e")
	whole, fraction, hasPoint := strings.Cut(mantissa, ".")
	switch {
	case whole == "" || !allDigits(whole) || !allDigits(fraction) || hasPoint && fraction == "",
		len(whole) > 1 && whole[0] == '0',
		len(mantissa) > maxLiteralDigits:
		return "", false
	}
	exponent := 0
	if hasExponent {
		e, err := strconv.Atoi(strings.TrimPrefix(exponentText, "+"))
		if err != nil || exponentText == "" || strings.HasPrefix(exponentText, "+-") || strings.HasPrefix(exponentText, "-+") ||
			e < -maxLiteralExponent || e > maxLiteralExponent {
			return "", false
		}
		exponent = e
	}
	digits := whole + fraction
	point := len(whole) + exponent // the point is after this many digits
	if point < 0 {
		digits = strings.Repeat("0", -point) + digits
		point = 0
	}
	if point > len(digits) {
		digits += strings.Repeat("0", point-len(digits))
	}
	intPart := strings.TrimLeft(digits[:point], "0")
	fracPart := strings.TrimRight(digits[point:], "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if fracPart != "" {
		out += "." + fracPart
	}
	if negative && out != "0" {
		out = "-" + out
	}
	return out, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
