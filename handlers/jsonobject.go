package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// A jsonObject is a JSON object that keeps its members' order and their
// values exactly as written. The web pages edit stored scenarios through
// it, so that what a form does not show, and how the user wrote what it
// does show, survives a save unchanged.
type jsonObject []jsonMember

type jsonMember struct {
	key   string
	value json.RawMessage
}

// parseObject reads raw, which must be a JSON object.
func parseObject(raw []byte) (jsonObject, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("handlers: read object: %w", err)
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("handlers: read object: want an object, got %v", tok)
	}
	var o jsonObject
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("handlers: read object: %w", err)
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, fmt.Errorf("handlers: read object member %q: %w", key, err)
		}
		o = append(o, jsonMember{key: key, value: value})
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("handlers: read object: %w", err)
	}
	return o, nil
}

// get returns the value of member key, nil when there is none or it is
// null.
func (o jsonObject) get(key string) json.RawMessage {
	for _, m := range o {
		if m.key == key {
			if string(m.value) == "null" {
				return nil
			}
			return m.value
		}
	}
	return nil
}

// text returns the member key as a string, "" when it is not one.
func (o jsonObject) text(key string) string {
	var s string
	if raw := o.get(key); raw != nil {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}

// objects returns the member key as an array of objects; items that are
// not objects come back empty.
func (o jsonObject) objects(key string) []jsonObject {
	var items []json.RawMessage
	if raw := o.get(key); raw != nil {
		_ = json.Unmarshal(raw, &items)
	}
	list := make([]jsonObject, len(items))
	for i, item := range items {
		list[i], _ = parseObject(item)
	}
	return list
}

// set replaces the value of member key in place, or appends the member.
func (o *jsonObject) set(key string, value json.RawMessage) {
	for i := range *o {
		if (*o)[i].key == key {
			(*o)[i].value = value
			return
		}
	}
	*o = append(*o, jsonMember{key: key, value: value})
}

// setString sets member key to the JSON string s.
func (o *jsonObject) setString(key, s string) {
	raw, _ := json.Marshal(s)
	o.set(key, raw)
}

// remove deletes member key, if there is one.
func (o *jsonObject) remove(key string) {
	for i := range *o {
		if (*o)[i].key == key {
			*o = append((*o)[:i], (*o)[i+1:]...)
			return
		}
	}
}

// clone returns a copy that can be changed without changing o.
func (o jsonObject) clone() jsonObject {
	return append(jsonObject(nil), o...)
}

// MarshalJSON writes the object compactly, members in their order.
func (o jsonObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(m.key)
		b.Write(key)
		b.WriteByte(':')
		if err := json.Compact(&b, m.value); err != nil {
			return nil, fmt.Errorf("handlers: write member %q: %w", m.key, err)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// objectArray writes a list of objects as a JSON array.
func objectArray(list []jsonObject) (json.RawMessage, error) {
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
