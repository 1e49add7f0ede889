package planner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonKind is the type of a JSON value.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

var jsonKindNames = [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}

func (k jsonKind) String() string { return jsonKindNames[k] }

// value is the kind as a problem's argument.
func (k jsonKind) value() ValueKind {
	return [...]ValueKind{ValueNull, ValueBoolean, ValueNumber, ValueString, ValueArray, ValueObject}[k]
}

// A jsonValue is a parsed JSON value that, unlike map[string]any, keeps the
// order of an object's members and so lets the decoder report problems in
// document order and notice duplicate keys.
type jsonValue struct {
	kind    jsonKind
	text    string // a string's value or a number's literal
	boolean bool
	items   []jsonValue
	members []jsonMember
}

type jsonMember struct {
	key   string
	value jsonValue
}

// maxDepth bounds nesting; a scenario needs five levels.
const maxDepth = 64

// parseJSON reads exactly one JSON value (RFC 8259) from data. It is a
// small recursive-descent parser rather than encoding/json's Decoder.Token,
// which allocates for every token and made parsing most of a plan's cost.
// Like encoding/json, it replaces invalid UTF-8 and lone surrogates with
// U+FFFD. The tree it returns is the caller's to keep; Decode borrows a
// parser whose memory is reused instead (newJSONParser).
func parseJSON(data []byte) (jsonValue, error) {
	p := &jsonParser{}
	p.reset(data)
	return p.parse()
}

// A jsonParser reads one document. The members of every object and the
// items of every array are gathered on a stack while they are read and
// then copied, all of them together, into one large slice (an arena), so
// that a tree takes a few allocations rather than one or more for every
// object and array; a parser borrowed from the pool reuses its arenas.
type jsonParser struct {
	data []byte
	text string // data as a string
	pos  int

	memberStack []jsonMember
	itemStack   []jsonValue
	memberArena []jsonMember
	itemArena   []jsonValue
}

var jsonParsers = sync.Pool{New: func() any { return new(jsonParser) }}

// maxPooledArena is the most members or items a parser returned to the
// pool keeps room for: a parser that has read a large document leaves its
// arenas to the garbage collector rather than hold them for small ones.
const maxPooledArena = 4096

// newJSONParser borrows a parser of data from the pool. The tree it
// parses is valid until release, which gives the parser back: nothing of
// the tree may be kept but its strings.
func newJSONParser(data []byte) *jsonParser {
	p := jsonParsers.Get().(*jsonParser)
	p.reset(data)
	return p
}

func (p *jsonParser) reset(data []byte) {
	// One copy of the input as a string lets every string value without
	// escapes be a substring of it instead of an allocation of its own.
	p.data, p.text, p.pos = data, string(data), 0
}

// release gives the parser back to the pool, once its tree is no longer
// used.
func (p *jsonParser) release() {
	if cap(p.memberArena) > maxPooledArena || cap(p.itemArena) > maxPooledArena {
		return
	}
	// The arenas hold strings of the document, which must not be kept
	// alive by the pool.
	clear(p.memberArena[:cap(p.memberArena)])
	clear(p.itemArena[:cap(p.itemArena)])
	clear(p.memberStack[:cap(p.memberStack)])
	clear(p.itemStack[:cap(p.itemStack)])
	*p = jsonParser{memberStack: p.memberStack[:0], itemStack: p.itemStack[:0],
		memberArena: p.memberArena[:0], itemArena: p.itemArena[:0]}
	jsonParsers.Put(p)
}

// parse reads the document: exactly one value.
func (p *jsonParser) parse() (jsonValue, error) {
	p.skipSpace()
	v, err := p.value(0)
	if err == nil {
		p.skipSpace()
		if p.pos < len(p.data) {
			err = p.fail(ProblemJSONTrailing)
		}
	}
	if err != nil {
		return jsonValue{}, err
	}
	return v, nil
}

// The empty object and array of every tree.
var (
	noMembers = []jsonMember{}
	noItems   = []jsonValue{}
)

// keepMembers moves the members of a finished object from the top of the
// stack, from index base on, into the arena, and returns them there.
func (p *jsonParser) keepMembers(base int) []jsonMember {
	members := p.memberStack[base:]
	p.memberStack = p.memberStack[:base]
	if len(members) == 0 {
		return noMembers
	}
	if len(members) > cap(p.memberArena)-len(p.memberArena) {
		// A new arena: the old one stays where the tree points into it.
		p.memberArena = make([]jsonMember, 0, max(2*cap(p.memberArena), len(members), 64))
	}
	start := len(p.memberArena)
	p.memberArena = append(p.memberArena, members...)
	return p.memberArena[start:len(p.memberArena):len(p.memberArena)]
}

// keepItems is keepMembers for the items of an array.
func (p *jsonParser) keepItems(base int) []jsonValue {
	items := p.itemStack[base:]
	p.itemStack = p.itemStack[:base]
	if len(items) == 0 {
		return noItems
	}
	if len(items) > cap(p.itemArena)-len(p.itemArena) {
		p.itemArena = make([]jsonValue, 0, max(2*cap(p.itemArena), len(items), 32))
	}
	start := len(p.itemArena)
	p.itemArena = append(p.itemArena, items...)
	return p.itemArena[start:len(p.itemArena):len(p.itemArena)]
}

// fail describes a syntax error at the current position: an *InputError
// whose first two arguments are the line and column.
func (p *jsonParser) fail(code ProblemCode, args ...any) error {
	if p.pos >= len(p.data) {
		return inputError(ProblemJSONEnd)
	}
	line, column := 1, 1
	for _, c := range p.data[:p.pos] {
		if c == '\n' {
			line, column = line+1, 1
		} else {
			column++
		}
	}
	return inputError(code, append([]any{line, column}, args...)...)
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (jsonValue, error) {
	if depth > maxDepth {
		return jsonValue{}, p.fail(ProblemJSONTooDeep, maxDepth)
	}
	if p.pos >= len(p.data) {
		return jsonValue{}, p.fail(ProblemJSONEnd)
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.string()
		return jsonValue{kind: jsonString, text: s}, err
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case p.literal("true"):
		return jsonValue{kind: jsonBool, boolean: true}, nil
	case p.literal("false"):
		return jsonValue{kind: jsonBool}, nil
	case p.literal("null"):
		return jsonValue{kind: jsonNull}, nil
	default:
		return jsonValue{}, p.fail(ProblemJSONCharacter, rune(c))
	}
}

func (p *jsonParser) literal(word string) bool {
	if !strings.HasPrefix(p.text[p.pos:], word) {
		return false
	}
	p.pos += len(word)
	return true
}

func (p *jsonParser) object(depth int) (jsonValue, error) {
	p.pos++ // '{'
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return jsonValue{kind: jsonObject, members: noMembers}, nil
	}
	base := len(p.memberStack)
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return jsonValue{}, p.fail(ProblemJSONKey)
		}
		key, err := p.string()
		if err != nil {
			return jsonValue{}, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return jsonValue{}, p.fail(ProblemJSONColon)
		}
		p.pos++
		p.skipSpace()
		member, err := p.value(depth + 1)
		if err != nil {
			return jsonValue{}, err
		}
		p.memberStack = append(p.memberStack, jsonMember{key: key, value: member})
		p.skipSpace()
		if p.pos >= len(p.data) {
			return jsonValue{}, p.fail(ProblemJSONEnd)
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return jsonValue{kind: jsonObject, members: p.keepMembers(base)}, nil
		default:
			return jsonValue{}, p.fail(ProblemJSONObjectComma)
		}
	}
}

func (p *jsonParser) array(depth int) (jsonValue, error) {
	p.pos++ // '['
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return jsonValue{kind: jsonArray, items: noItems}, nil
	}
	base := len(p.itemStack)
	for {
		p.skipSpace()
		item, err := p.value(depth + 1)
		if err != nil {
			return jsonValue{}, err
		}
		p.itemStack = append(p.itemStack, item)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return jsonValue{}, p.fail(ProblemJSONEnd)
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return jsonValue{kind: jsonArray, items: p.keepItems(base)}, nil
		default:
			return jsonValue{}, p.fail(ProblemJSONArrayComma)
		}
	}
}

// number checks a number's syntax and keeps its literal.
func (p *jsonParser) number() (jsonValue, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return jsonValue{}, p.fail(ProblemJSONNumber)
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return jsonValue{}, p.fail(ProblemJSONFraction)
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return jsonValue{}, p.fail(ProblemJSONExponent)
		}
	}
	return jsonValue{kind: jsonNumber, text: p.text[start:p.pos]}, nil
}

// string reads a string literal, the position on its opening quote.
func (p *jsonParser) string() (string, error) {
	p.pos++ // '"'
	start := p.pos
	// The common case: no escapes, valid UTF-8.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			raw := p.text[start:p.pos]
			p.pos++
			if utf8.ValidString(raw) {
				return raw, nil
			}
			return replaceInvalidUTF8([]byte(raw)), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	var b []byte
	b = append(b, p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return replaceInvalidUTF8(b), nil
		case c < 0x20:
			return "", p.fail(ProblemJSONControl, rune(c))
		case c != '\\':
			b = append(b, c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(p.data) {
			break
		}
		escape := p.data[p.pos]
		p.pos++
		switch escape {
		case '"', '\\', '/':
			b = append(b, escape)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.fail(ProblemJSONUnicodeEscape)
			}
			if utf16.IsSurrogate(r) {
				low := rune(-1)
				if bytes.HasPrefix(p.data[p.pos:], []byte(`\u`)) {
					saved := p.pos
					p.pos += 2
					if l, ok := p.hex4(); ok && utf16.DecodeRune(r, l) != utf8.RuneError {
						low = l
					} else {
						p.pos = saved
					}
				}
				r = utf16.DecodeRune(r, low) // U+FFFD for a lone surrogate
			}
			b = utf8.AppendRune(b, r)
		default:
			p.pos--
			return "", p.fail(ProblemJSONEscape, escape)
		}
	}
	return "", p.fail(ProblemJSONEnd)
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

// replaceInvalidUTF8 replaces every byte that is not part of valid UTF-8
// with U+FFFD, as encoding/json does.
func replaceInvalidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return string(out)
}

// An Object is a JSON object whose members keep their order and their
// values exactly as written. It is the editable form of the tree above:
// the web pages change a stored scenario through it, so that what a form
// does not show, and how the user wrote what it does show, survives a save
// unchanged (docs/web.md, Editing).
type Object []Member

// A Member is one member of an Object: its key and its value's JSON text
// as written.
type Member struct {
	Key   string
	Value json.RawMessage
}

// ParseObject reads data, which must hold exactly one JSON object.
func ParseObject(data []byte) (Object, error) {
	p := &jsonParser{data: data, text: string(data)}
	p.skipSpace()
	if p.pos >= len(p.data) || p.data[p.pos] != '{' {
		return nil, fmt.Errorf("planner: read object: want an object")
	}
	var o Object
	err := p.members(0, func(key string, start int) {
		o = append(o, Member{Key: key, Value: json.RawMessage(data[start:p.pos])})
	})
	if err == nil {
		p.skipSpace()
		if p.pos < len(p.data) {
			err = p.fail(ProblemJSONTrailing)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("planner: read object: %w", err)
	}
	return o, nil
}

// members reads the object at the current position, calling member with
// each member's key and the offset where its value starts, once the value
// has been read.
func (p *jsonParser) members(depth int, member func(key string, start int)) error {
	p.pos++ // '{'
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return p.fail(ProblemJSONKey)
		}
		key, err := p.string()
		if err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return p.fail(ProblemJSONColon)
		}
		p.pos++
		p.skipSpace()
		start := p.pos
		if _, err := p.value(depth + 1); err != nil {
			return err
		}
		member(key, start)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return p.fail(ProblemJSONEnd)
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return nil
		default:
			return p.fail(ProblemJSONObjectComma)
		}
	}
}

// Get returns the value of member key, nil when there is none or it is
// null.
func (o Object) Get(key string) json.RawMessage {
	for _, m := range o {
		if m.Key == key {
			if string(m.Value) == "null" {
				return nil
			}
			return m.Value
		}
	}
	return nil
}

// Has reports whether o has a member key, even a null one.
func (o Object) Has(key string) bool {
	for _, m := range o {
		if m.Key == key {
			return true
		}
	}
	return false
}

// Text returns member key as a string, "" when it is not one.
func (o Object) Text(key string) string {
	raw := o.Get(key)
	if raw == nil {
		return ""
	}
	v, err := parseJSON(raw)
	if err != nil || v.kind != jsonString {
		return ""
	}
	return v.text
}

// Objects returns member key as an array of objects; items that are not
// objects come back empty.
func (o Object) Objects(key string) []Object {
	items := arrayItems(o.Get(key))
	list := make([]Object, len(items))
	for i, item := range items {
		list[i], _ = ParseObject(item)
	}
	return list
}

// arrayItems returns the JSON text of each item of the array raw, none
// when raw is not an array.
func arrayItems(raw []byte) []json.RawMessage {
	p := &jsonParser{data: raw, text: string(raw)}
	p.skipSpace()
	if p.pos >= len(p.data) || p.data[p.pos] != '[' {
		return nil
	}
	p.pos++
	var items []json.RawMessage
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		return items
	}
	for {
		p.skipSpace()
		start := p.pos
		if _, err := p.value(1); err != nil {
			return items
		}
		items = append(items, json.RawMessage(raw[start:p.pos]))
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ',' {
			return items
		}
		p.pos++
	}
}

// Set replaces the value of member key in place, or appends the member.
func (o *Object) Set(key string, value json.RawMessage) {
	for i := range *o {
		if (*o)[i].Key == key {
			(*o)[i].Value = value
			return
		}
	}
	*o = append(*o, Member{Key: key, Value: value})
}

// SetString sets member key to the JSON string s.
func (o *Object) SetString(key, s string) {
	raw, _ := json.Marshal(s) // a string always marshals
	o.Set(key, raw)
}

// Remove deletes member key, if there is one.
func (o *Object) Remove(key string) {
	for i := range *o {
		if (*o)[i].Key == key {
			*o = append((*o)[:i], (*o)[i+1:]...)
			return
		}
	}
}

// Clone returns a copy that can be changed without changing o.
func (o Object) Clone() Object {
	return append(Object(nil), o...)
}

// MarshalJSON writes the object compactly, members in their order and
// values as written.
func (o Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(m.Key) // a string always marshals
		b.Write(key)
		b.WriteByte(':')
		if err := json.Compact(&b, m.Value); err != nil {
			return nil, fmt.Errorf("planner: write member %q: %w", m.Key, err)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// MarshalObjects writes a list of objects as a JSON array.
func MarshalObjects(list []Object) (json.RawMessage, error) {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, o := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		raw, err := o.MarshalJSON()
		if err != nil {
			return nil, err
		}
		b.Write(raw)
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}
