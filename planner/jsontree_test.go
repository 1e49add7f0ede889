package planner

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// toAny converts a parsed tree to what encoding/json would decode, to
// compare the two parsers.
func toAny(v jsonValue) any {
	switch v.kind {
	case jsonBool:
		return v.boolean
	case jsonNumber:
		return json.Number(v.text)
	case jsonString:
		return v.text
	case jsonArray:
		items := make([]any, len(v.items))
		for i, item := range v.items {
			items[i] = toAny(item)
		}
		return items
	case jsonObject:
		m := make(map[string]any, len(v.members))
		for _, member := range v.members {
			m[member.key] = toAny(member.value)
		}
		return m
	}
	return nil
}

// checkAgainstStdlib parses input with both parsers: they must agree on
// whether it is JSON and, if it is, on its value.
func checkAgainstStdlib(t *testing.T, input []byte) {
	t.Helper()
	got, err := parseJSON(input)
	if valid := json.Valid(input); (err == nil) != valid {
		t.Fatalf("parseJSON(%q): error %v; encoding/json says valid: %v", input, err, valid)
	}
	if err != nil {
		return
	}
	var want any
	dec := json.NewDecoder(strings.NewReader(string(input)))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(toAny(got), want) {
		t.Fatalf("parseJSON(%q) = %#v, encoding/json gives %#v", input, toAny(got), want)
	}
}

func TestParseJSON(t *testing.T) {
	for _, input := range []string{
		`{}`, `[]`, ` {"a": [1, -2.5e3, 0, 0.25, true, false, null, "x"]} `, `"\u00e4\ud83d\ude00\n\t\/\\\""`,
		`"\ud83d"`, `"\ude00x"`, `"\ud83d\u0041"`, "\"\xff\xfe ok\"", `-0`, `1E+2`, `[[[[]]]]`,
		`{"a":1,}`, `[1,]`, `{"a" 1}`, `{a: 1}`, `01`, `1.`, `.5`, `-`, `1e`, `+1`, `"a`, `"\x"`, `"\u12"`,
		"\"tab\there\"", `tru`, `nul`, `{"a":1}}`, `[1] [2]`, ``, ` `, `{"a":}`, `["a" "b"]`, `NaN`, `"\u0000"`,
	} {
		checkAgainstStdlib(t, []byte(input))
	}
	if _, err := parseJSON([]byte(strings.Repeat("[", maxDepth+2) + strings.Repeat("]", maxDepth+2))); err == nil {
		t.Errorf("parseJSON accepts nesting deeper than %d", maxDepth)
	}
}

// TestParseJSONRandom mutates the demo byte by byte: both parsers must
// agree on every mutant.
func TestParseJSONRandom(t *testing.T) {
	demo := []byte(readDemo(t))
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte(`{}[]",:\ -+.0123456789eEtrufalsn` + "\x00\x1f\xc3\xa4")
	for range 3000 {
		mutant := append([]byte(nil), demo...)
		for range 1 + rng.IntN(3) {
			i := rng.IntN(len(mutant))
			switch rng.IntN(3) {
			case 0:
				mutant[i] = alphabet[rng.IntN(len(alphabet))]
			case 1:
				mutant = append(mutant[:i], mutant[i+1:]...)
			default:
				mutant = append(mutant[:i], append([]byte{alphabet[rng.IntN(len(alphabet))]}, mutant[i:]...)...)
			}
		}
		checkAgainstStdlib(t, mutant)
	}
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"a": [1, "\u00e4", null]}`))
	f.Add([]byte(`"\ud83d\ude00"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAgainstStdlib(t, data)
	})
}
