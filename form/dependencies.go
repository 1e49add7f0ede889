package form

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"grantplan/locale"
	"grantplan/planner"
)

// A post's dependencies as text: items separated by commas (or
// semicolons), each
//
//	[N of ]REF[@EVENT][+LAG]
//
// REF a post's id or "group:NAME"; EVENT what it waits for (hiring_start,
// recruited, filled, productive, or their words in either language:
// "@Zusage"); LAG a period ("+2 Wochen", "+P2W"); N, for a group, how many
// of its members ("2 von group:cm" in German). "group:overhead, 2 of
// group:cm@recruited+2 weeks" is two dependencies.

var countPrefix = regexp.MustCompile(`^(\d+)\s+(?:of|von)\s+(.+)$`)

// eventIDs are the message ids of the events' words.
var eventIDs = map[string]string{
	"hiring_start": "event.hiring_start", "recruited": "event.recruited",
	"filled": "event.filled", "productive": "event.productive",
}

var eventWords = words(eventIDs)

// ParseDependencies reads a post's dependencies as text, typed in l, as
// the JSON array of the scenario format: a plain string where an item is
// only a reference, an object {"ref", "event", "lag", "count"} otherwise.
// The references are the planner's to check.
func ParseDependencies(text string, l locale.Lang) (json.RawMessage, error) {
	separator := ","
	if strings.Contains(text, ";") {
		separator = ";"
	}
	var items []json.RawMessage
	for part := range strings.SplitSeq(text, separator) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		item, err := parseDependency(part)
		if err != nil {
			return nil, err
		}
		items = append(items, item)
	}
	if items == nil {
		return nil, nil
	}
	raw, _ := json.Marshal(items)
	return raw, nil
}

func parseDependency(part string) (json.RawMessage, error) {
	fail := func() (json.RawMessage, error) { return nil, inputError(ProblemDependency, part) }
	rest := part
	count := ""
	if m := countPrefix.FindStringSubmatch(rest); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n > planner.MaxPositions {
			return fail()
		}
		count, rest = strconv.Itoa(n), m[2]
	}
	lag := ""
	if ref, lagText, ok := strings.Cut(rest, "+"); ok {
		p, err := locale.ParsePeriod(lagText)
		if err != nil {
			return fail()
		}
		lag, rest = p.String(), ref
	}
	event := ""
	if ref, eventText, ok := strings.Cut(rest, "@"); ok {
		e, known := eventWords[strings.ToLower(strings.TrimSpace(eventText))]
		if !known {
			return fail()
		}
		event, rest = e, ref
	}
	ref := strings.TrimSpace(rest)
	if ref == "" || strings.ContainsAny(ref, " \t@+") {
		return fail()
	}
	if count == "" && lag == "" && event == "" {
		return marshal(ref), nil
	}
	var b strings.Builder
	b.WriteString(`{"ref":`)
	b.Write(marshal(ref))
	if event != "" {
		b.WriteString(`,"event":`)
		b.Write(marshal(event))
	}
	if lag != "" {
		b.WriteString(`,"lag":`)
		b.Write(marshal(lag))
	}
	if count != "" {
		b.WriteString(`,"count":` + count)
	}
	b.WriteString("}")
	return json.RawMessage(b.String()), nil
}

// DependencyText writes a dependency list as text in l; it reports false
// for a value that is not a list of dependencies.
func DependencyText(raw json.RawMessage, l locale.Lang) (string, bool) {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return "", false
	}
	parts := make([]string, len(items))
	for i, item := range items {
		var s string
		if json.Unmarshal(item, &s) == nil {
			parts[i] = s
			continue
		}
		var d struct {
			Ref, Event, Lag string
			Count           json.Number
		}
		if json.Unmarshal(item, &d) != nil || d.Ref == "" {
			return "", false
		}
		text := d.Ref
		if d.Event != "" {
			id, ok := eventIDs[d.Event]
			if !ok {
				return "", false
			}
			text += "@" + l.Text(id)
		}
		if d.Lag != "" {
			p, err := planner.ParsePeriod(d.Lag)
			if err != nil {
				return "", false
			}
			text += "+" + l.Period(p)
		}
		if d.Count != "" {
			text = l.Printf("form.count_of", string(d.Count), text)
		}
		parts[i] = text
	}
	return strings.Join(parts, ", "), true
}
