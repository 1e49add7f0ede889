package planner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// parseJSON reads exactly one JSON value from data.
func parseJSON(data []byte) (jsonValue, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec, 0)
	if err != nil {
		return jsonValue{}, describeSyntaxError(data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return jsonValue{}, describeSyntaxError(data, dec, errors.New("unexpected data after the top-level value"))
	}
	return v, nil
}

func parseValue(dec *json.Decoder, depth int) (jsonValue, error) {
	if depth > maxDepth {
		return jsonValue{}, fmt.Errorf("nested deeper than %d levels", maxDepth)
	}
	token, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return jsonValue{}, io.ErrUnexpectedEOF
		}
		return jsonValue{}, err
	}
	switch t := token.(type) {
	case nil:
		return jsonValue{kind: jsonNull}, nil
	case bool:
		return jsonValue{kind: jsonBool, boolean: t}, nil
	case json.Number:
		return jsonValue{kind: jsonNumber, text: string(t)}, nil
	case string:
		return jsonValue{kind: jsonString, text: t}, nil
	case json.Delim:
		if t == '[' {
			v := jsonValue{kind: jsonArray, items: []jsonValue{}}
			for dec.More() {
				item, err := parseValue(dec, depth+1)
				if err != nil {
					return jsonValue{}, err
				}
				v.items = append(v.items, item)
			}
			_, err := dec.Token() // ']'
			return v, err
		}
		v := jsonValue{kind: jsonObject}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return jsonValue{}, err
			}
			value, err := parseValue(dec, depth+1)
			if err != nil {
				return jsonValue{}, err
			}
			v.members = append(v.members, jsonMember{key: key.(string), value: value})
		}
		_, err := dec.Token() // '}'
		return v, err
	}
	return jsonValue{}, fmt.Errorf("unexpected token %v", token)
}

// describeSyntaxError says where in data the JSON went wrong.
func describeSyntaxError(data []byte, dec *json.Decoder, err error) error {
	offset := dec.InputOffset()
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		offset = syntax.Offset
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return errors.New("invalid JSON: unexpected end of input")
	}
	line, column := 1, 1
	for _, c := range data[:min(int(offset), len(data))] {
		if c == '\n' {
			line, column = line+1, 1
		} else {
			column++
		}
	}
	return fmt.Errorf("invalid JSON at line %d, column %d: %v", line, column, err)
}
