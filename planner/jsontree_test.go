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

// TestObjectKeepsWhatItDoesNotTouch: members keep their order, and values
// their literals, through a parse and a write; only what is set changes.
func TestObjectKeepsWhatItDoesNotTouch(t *testing.T) {
	const input = ` {"b": 1.0, "a":{"x" : [1, 2]},"s":"caf\u00e9","n":null, "b2":true} `
	o, err := ParseObject([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	out, err := o.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"b":1.0,"a":{"x":[1,2]},"s":"caf\u00e9","n":null,"b2":true}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	tests := []struct {
		name string
		edit func(o *Object)
		want string
	}{
		{"set existing", func(o *Object) { o.Set("a", json.RawMessage(`2`)) }, `{"b":1.0,"a":2,"s":"caf\u00e9","n":null,"b2":true}`},
		{"set new", func(o *Object) { o.SetString("z", "x<y") }, `{"b":1.0,"a":{"x":[1,2]},"s":"caf\u00e9","n":null,"b2":true,"z":"x\u003cy"}`},
		{"remove", func(o *Object) { o.Remove("a"); o.Remove("missing") }, `{"b":1.0,"s":"caf\u00e9","n":null,"b2":true}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed := o.Clone()
			tt.edit(&changed)
			got, err := changed.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			if again, _ := o.MarshalJSON(); string(again) != string(out) {
				t.Errorf("the edit of a clone changed the original: %s", again)
			}
		})
	}
	if got := o.Text("s"); got != "café" {
		t.Errorf("Text(s): got %q, want café", got)
	}
	if o.Text("b") != "" || o.Get("n") != nil || !o.Has("n") || o.Has("missing") {
		t.Errorf("a number read as text, a null as a value, or Has is wrong")
	}
}

func TestObjectList(t *testing.T) {
	o, err := ParseObject([]byte(`{"list":[{"id":"a"}, 3, {"id":"b","k":[]}],"none":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	list := o.Objects("list")
	if len(list) != 3 || list[0].Text("id") != "a" || list[1] != nil || list[2].Text("id") != "b" {
		t.Fatalf("got %v", list)
	}
	if got := o.Objects("none"); len(got) != 0 {
		t.Errorf("a string as a list: got %v", got)
	}
	list[0].SetString("id", "c")
	raw, err := MarshalObjects(list)
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{"id":"c"},{},{"id":"b","k":[]}]`; string(raw) != want {
		t.Errorf("got %s, want %s", raw, want)
	}
}

func TestParseObjectErrors(t *testing.T) {
	for _, input := range []string{``, `[]`, `"x"`, `{"a":}`, `{"a":1} x`, `{"a":1`, `{1:2}`} {
		if _, err := ParseObject([]byte(input)); err == nil {
			t.Errorf("ParseObject(%q): got no error", input)
		}
	}
}
