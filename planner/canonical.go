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
// digits, an exponent beyond ±40), or whose plain decimal would be longer
// than that ("1e40", "1e-39"), so that what it writes it reads again.
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
	if len(out) > maxLiteralDigits {
		return "", false // "1e40": a plain decimal too long to read again
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

// Canonical returns a valid scenario written in one way (docs/scenario.md,
// Canonical JSON): members in the format's order, members whose value is
// null left out, as are empty optional texts (description, title,
// location, a source's name, which an empty text leaves to its default),
// an empty "defaults" object and an empty list of dependencies or pay
// raises;
// numbers as plain decimals (CanonicalNumber), periods in ISO form with
// only the parts that are not zero ("P0Y3M" is "P3M"), a dependency that
// is only a reference as a string. Everything given stays given: a
// default stated is kept, even where it equals the built-in one. Two
// scenarios that say the same in the same words have the same canonical
// JSON; an import writes it. The error of an invalid scenario is Decode's.
func Canonical(data []byte) ([]byte, error) {
	if _, err := Decode(data); err != nil {
		return nil, err
	}
	root, err := parseJSON(data)
	if err != nil {
		return nil, err // cannot happen: Decode parsed it
	}
	return canonicalObject(nil, root, scenarioShape), nil
}

// A shape says how to write an object's members canonically: their order
// and how to write each one's value.
type shape struct {
	members []member
}

type member struct {
	name  string
	value func(b []byte, v jsonValue) []byte
	// optionalText is a text that an empty string leaves to its default.
	optionalText bool
}

var (
	spanShape = &shape{members: []member{
		{name: "min", value: canonicalPeriod}, {name: "likely", value: canonicalPeriod}, {name: "max", value: canonicalPeriod},
	}}
	dependencyShape = &shape{members: []member{
		{name: "ref", value: canonicalString}, {name: "event", value: canonicalString},
		{name: "lag", value: canonicalPeriod}, {name: "count", value: canonicalNumber},
	}}
	// defaultableShape are the members of "defaults", which a position has
	// too, in the order a position writes them.
	defaultableMembers = []member{
		{name: "location", value: canonicalString, optionalText: true},
		{name: "fte", value: canonicalNumber},
		{name: "monthly_cost", value: canonicalNumber},
		{name: "funding", value: canonicalString},
		{name: "recruiting", value: canonicalSpan},
		{name: "notice", value: canonicalSpan},
		{name: "onboarding", value: canonicalSpan},
		{name: "start_on", value: canonicalString},
		{name: "earliest", value: canonicalString},
		{name: "employment", value: canonicalString},
	}
	defaultsShape = &shape{members: defaultableMembers}
	positionShape = &shape{members: append(append([]member{
		{name: "id", value: canonicalString},
		{name: "title", value: canonicalString, optionalText: true},
		{name: "group", value: canonicalString},
	}, defaultableMembers...),
		member{name: "after", value: canonicalDependencies},
	)}
	fundingShape = &shape{members: []member{
		{name: "id", value: canonicalString},
		{name: "name", value: canonicalString, optionalText: true},
		{name: "start", value: canonicalString},
		{name: "end", value: canonicalString},
		{name: "rate", value: canonicalNumber},
		{name: "per_fte_year", value: canonicalNumber},
		{name: "cap", value: canonicalNumber},
	}}
	payRaiseShape = &shape{members: []member{
		{name: "from", value: canonicalString}, {name: "percent", value: canonicalNumber},
	}}
	scenarioShape = &shape{members: []member{
		{name: "name", value: canonicalString},
		{name: "description", value: canonicalString, optionalText: true},
		{name: "start", value: canonicalString},
		{name: "min_productive", value: canonicalPeriod},
		{name: "hr_capacity", value: canonicalNumber},
		{name: "horizon", value: canonicalString},
		{name: "pay_raises", value: canonicalList(payRaiseShape)},
		{name: "defaults", value: func(b []byte, v jsonValue) []byte { return canonicalObject(b, v, defaultsShape) }},
		{name: "funding", value: canonicalList(fundingShape)},
		{name: "positions", value: canonicalList(positionShape)},
	}}
)

// canonicalObject writes the members of v in the shape's order.
func canonicalObject(b []byte, v jsonValue, s *shape) []byte {
	b = append(b, '{')
	first := true
	for _, m := range s.members {
		for _, given := range v.members {
			if given.key != m.name || empty(m, given.value) {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSONString(b, m.name)
			b = append(b, ':')
			b = m.value(b, given.value)
			break
		}
	}
	return append(b, '}')
}

func canonicalString(b []byte, v jsonValue) []byte { return appendJSONString(b, v.text) }

func canonicalNumber(b []byte, v jsonValue) []byte {
	n, _ := CanonicalNumber(v.text) // Decode accepted it, so it is one
	return append(b, n...)
}

func canonicalPeriod(b []byte, v jsonValue) []byte {
	p, _ := ParsePeriod(v.text) // Decode accepted it
	return appendJSONString(b, p.String())
}

func canonicalSpan(b []byte, v jsonValue) []byte {
	if v.kind == jsonObject {
		return canonicalObject(b, v, spanShape)
	}
	return canonicalPeriod(b, v)
}

func canonicalList(s *shape) func(b []byte, v jsonValue) []byte {
	return func(b []byte, v jsonValue) []byte {
		b = append(b, '[')
		for i, item := range v.items {
			if i > 0 {
				b = append(b, ',')
			}
			b = canonicalObject(b, item, s)
		}
		return append(b, ']')
	}
}

func canonicalDependencies(b []byte, v jsonValue) []byte {
	b = append(b, '[')
	for i, item := range v.items {
		if i > 0 {
			b = append(b, ',')
		}
		if item.kind == jsonObject && onlyRef(item) {
			for _, m := range item.members {
				if m.key == "ref" {
					item = m.value
				}
			}
		}
		if item.kind == jsonString {
			b = appendJSONString(b, item.text)
			continue
		}
		b = canonicalObject(b, item, dependencyShape)
	}
	return append(b, ']')
}

// empty reports whether a member's value says nothing: null, an empty
// optional text, an empty "defaults" object or list of dependencies.
func empty(m member, v jsonValue) bool {
	switch {
	case v.kind == jsonNull:
		return true
	case m.optionalText:
		return v.kind == jsonString && v.text == ""
	case m.name == "defaults":
		return len(v.members) == 0 || onlyNulls(v)
	case m.name == "after", m.name == "pay_raises":
		return len(v.items) == 0
	}
	return false
}

// onlyNulls reports whether every member of an object is null.
func onlyNulls(v jsonValue) bool {
	for _, m := range v.members {
		if m.value.kind != jsonNull {
			return false
		}
	}
	return true
}

// onlyRef reports whether a dependency object says nothing but its
// reference (its other members null).
func onlyRef(v jsonValue) bool {
	for _, m := range v.members {
		if m.key != "ref" && m.value.kind != jsonNull {
			return false
		}
	}
	return true
}
