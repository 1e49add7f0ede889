package planner

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rickb777/date/v2"
)

// Limits on a scenario's values that SPEC §2 leaves open; they keep every
// sum exact in 64 bits and are documented in docs/scenario.md.
const (
	maxNameLength        = 200
	maxDescriptionLength = 10000
	maxHRCapacity        = 1000000
	maxMonthlyCost       = 10000000      // EUR per month and full-time post
	maxPerFTEYear        = 100000000     // EUR per full-time post and year
	maxCap               = 1000000000000 // EUR
)

// Decode parses and validates a scenario (SPEC §2–4) and resolves its
// defaults. When the scenario is invalid the error is a *ValidationError
// that names every problem with its JSON path.
func Decode(data []byte) (*Scenario, error) {
	root, err := parseJSON(data)
	if err != nil {
		return nil, &ValidationError{Problems: []Problem{{Path: "$", Message: err.Error()}}}
	}
	var d decoder
	s := d.scenario(root)
	if err := d.err(); err != nil {
		return nil, err
	}
	s.setPrices()
	return s, nil
}

type decoder struct {
	problems
}

// A field is a member an object may have and how to decode it; decode is
// not called for a null value, which counts as absent.
type field struct {
	name     string
	required bool
	decode   func(path string, v jsonValue)
}

// object decodes the members of v, reporting unknown and duplicate members
// and missing required ones. It reports false when v is not an object.
func (d *decoder) object(path string, v jsonValue, fields []field) bool {
	if v.kind != jsonObject {
		d.add(path, "want an object, got %s", v.kind)
		return false
	}
	seen := make([]bool, len(fields))
	for i, m := range v.members {
		memberPath := joinPath(path, m.key)
		f := -1
		for j := range fields {
			if fields[j].name == m.key {
				f = j
				break
			}
		}
		if f < 0 {
			d.add(memberPath, "unknown field%s", suggest(m.key, fields))
			continue
		}
		if duplicateKey(v.members[:i], m.key) {
			d.add(memberPath, "duplicate field")
			continue
		}
		if m.value.kind == jsonNull {
			continue
		}
		seen[f] = true
		fields[f].decode(memberPath, m.value)
	}
	for j, f := range fields {
		if f.required && !seen[j] {
			d.add(joinPath(path, f.name), "required")
		}
	}
	return true
}

func duplicateKey(before []jsonMember, key string) bool {
	for _, m := range before {
		if m.key == key {
			return true
		}
	}
	return false
}

// suggest names the field a misspelt key was probably meant to be.
func suggest(key string, fields []field) string {
	best, bestDistance := "", 3
	for _, f := range fields {
		if d := editDistance(key, f.name); d < bestDistance {
			best, bestDistance = f.name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
	previous := make([]int, len(b)+1)
	current := make([]int, len(b)+1)
	for j := range previous {
		previous[j] = j
	}
	for i := 1; i <= len(a); i++ {
		current[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			current[j] = min(previous[j]+1, current[j-1]+1, previous[j-1]+cost)
		}
		previous, current = current, previous
	}
	return previous[len(b)]
}

func (d *decoder) str(path string, v jsonValue, maxLength int) string {
	if v.kind != jsonString {
		d.add(path, "want a string, got %s", v.kind)
		return ""
	}
	if n := utf8.RuneCountInString(v.text); n > maxLength {
		d.add(path, "is %d characters long, at most %d allowed", n, maxLength)
	}
	return v.text
}

// isSlug reports whether s matches [a-z0-9][a-z0-9._-]{0,63}.
func isSlug(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}

func (d *decoder) slug(path string, v jsonValue) string {
	if v.kind != jsonString {
		d.add(path, "want a string, got %s", v.kind)
		return ""
	}
	if !isSlug(v.text) {
		d.add(path, "%q is not a valid id: want lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters", v.text)
		return ""
	}
	return v.text
}

func (d *decoder) date(path string, v jsonValue) date.Date {
	if v.kind != jsonString {
		d.add(path, "want a date string (YYYY-MM-DD), got %s", v.kind)
		return 0
	}
	t, err := ParseDate(v.text)
	if err != nil {
		d.add(path, "%v", err)
		return 0
	}
	return t
}

func (d *decoder) period(path string, v jsonValue) (Period, bool) {
	if v.kind != jsonString {
		d.add(path, "want a period string such as \"P3M\", got %s", v.kind)
		return Period{}, false
	}
	p, err := ParsePeriod(v.text)
	if err == errNotPeriod {
		d.add(path, "%q is not a period: want ISO 8601 with whole non-negative years, months, weeks and days only, such as P3M, P1Y2M, P6W or P0D", v.text)
		return Period{}, false
	}
	if err != nil {
		d.add(path, "%q: %v", v.text, err)
		return Period{}, false
	}
	return p, true
}

// span decodes a phase length: a period, or {"min", "likely", "max"}.
func (d *decoder) span(path string, v jsonValue) (Span, bool) {
	if v.kind != jsonObject {
		p, ok := d.period(path, v)
		return Span{Min: p, Likely: p, Max: p}, ok
	}
	s := Span{Ranged: true}
	ok := true
	part := func(p *Period) func(string, jsonValue) {
		return func(path string, v jsonValue) {
			var valid bool
			*p, valid = d.period(path, v)
			ok = ok && valid
		}
	}
	before := len(d.list)
	d.object(path, v, []field{
		{name: "min", required: true, decode: part(&s.Min)},
		{name: "likely", required: true, decode: part(&s.Likely)},
		{name: "max", required: true, decode: part(&s.Max)},
	})
	return s, ok && len(d.list) == before
}

// number decodes a JSON number exactly. Literals that are absurdly long or
// have huge exponents are refused before big.Rat would build them.
func (d *decoder) number(path string, v jsonValue) (*big.Rat, bool) {
	if v.kind != jsonNumber {
		d.add(path, "want a number, got %s", v.kind)
		return nil, false
	}
	mantissa, exponent, _ := strings.Cut(strings.ToLower(v.text), "e")
	if len(mantissa) > 40 {
		d.add(path, "%s has too many digits", v.text)
		return nil, false
	}
	if exponent != "" {
		if e, err := strconv.Atoi(exponent); err != nil || e < -40 || e > 40 {
			d.add(path, "%s is out of range", v.text)
			return nil, false
		}
	}
	r, ok := new(big.Rat).SetString(v.text)
	if !ok {
		d.add(path, "%s is not a number", v.text)
		return nil, false
	}
	return r, true
}

var (
	ratZero = new(big.Rat)
	ratOne  = big.NewRat(1, 1)
)

// money decodes an amount of EUR between 0 and limit.
func (d *decoder) money(path string, v jsonValue, limit int64) *big.Rat {
	r, ok := d.number(path, v)
	if !ok {
		return nil
	}
	if r.Sign() < 0 {
		d.add(path, "%s is negative: an amount of money must be 0 or more", v.text)
		return nil
	}
	if r.Cmp(new(big.Rat).SetInt64(limit)) > 0 {
		d.add(path, "%s is out of range (at most %d)", v.text, limit)
		return nil
	}
	return r
}

// share decodes a number in (0, 1].
func (d *decoder) share(path string, v jsonValue) *big.Rat {
	r, ok := d.number(path, v)
	if !ok {
		return nil
	}
	if r.Sign() <= 0 || r.Cmp(ratOne) > 0 {
		d.add(path, "%s is out of range: want more than 0 and at most 1", v.text)
		return nil
	}
	return r
}

func (d *decoder) integer(path string, v jsonValue, low, high int) (int, bool) {
	r, ok := d.number(path, v)
	if !ok {
		return 0, false
	}
	if !r.IsInt() {
		d.add(path, "%s is not a whole number", v.text)
		return 0, false
	}
	if r.Cmp(big.NewRat(int64(low), 1)) < 0 || r.Cmp(big.NewRat(int64(high), 1)) > 0 {
		d.add(path, "%s is out of range (%d to %d)", v.text, low, high)
		return 0, false
	}
	return int(r.Num().Int64()), true
}

// positionFields are the fields a position may leave to the scenario's
// defaults; nil or zero means "not given".
type positionFields struct {
	fte, monthlyCost *big.Rat
	phases           [phaseCount]*Span
	startOn          *Alignment
	earliest         date.Date
	funding          string
	fundingPath      string
	location         string
}

// defaultableFields are the members shared by "defaults" and a position.
func (d *decoder) defaultableFields(f *positionFields) []field {
	fields := []field{
		{name: "fte", decode: func(path string, v jsonValue) { f.fte = d.share(path, v) }},
		{name: "monthly_cost", decode: func(path string, v jsonValue) { f.monthlyCost = d.money(path, v, maxMonthlyCost) }},
		{name: "start_on", decode: func(path string, v jsonValue) {
			if v.kind != jsonString {
				d.add(path, "want a string, got %s", v.kind)
				return
			}
			a, ok := parseAlignment(v.text)
			if !ok {
				d.add(path, "%q is not one of \"any\", \"month_start\", \"quarter_start\"", v.text)
				return
			}
			f.startOn = &a
		}},
		{name: "earliest", decode: func(path string, v jsonValue) { f.earliest = d.date(path, v) }},
		{name: "funding", decode: func(path string, v jsonValue) {
			f.funding, f.fundingPath = d.slug(path, v), path
		}},
		{name: "location", decode: func(path string, v jsonValue) { f.location = d.str(path, v, maxNameLength) }},
	}
	for phase := range phaseCount {
		fields = append(fields, field{name: phase.String(), decode: func(path string, v jsonValue) {
			if s, ok := d.span(path, v); ok {
				f.phases[phase] = &s
			}
		}})
	}
	return fields
}

// rawPosition is a position as written, before defaults and references
// are resolved.
type rawPosition struct {
	path             string
	id, title, group string
	positionFields   positionFields
	after            []rawDependency
	idValid          bool
}

type rawDependency struct {
	path     string // the path of the dependency
	refPath  string // the path of its reference ("…after[0]" or "…after[0].ref")
	ref      string
	event    Event
	lag      Period
	count    int // 0 when not given
	countSet bool
	countAt  string
}

func (d *decoder) scenario(root jsonValue) *Scenario {
	s := &Scenario{MinProductive: MustParsePeriod("P6M")}
	var defaults positionFields
	var defaultsPath string
	var fundingIndex map[string]int
	var positions []rawPosition
	ok := d.object("", root, []field{
		{name: "name", required: true, decode: func(path string, v jsonValue) {
			s.Name = d.str(path, v, maxNameLength)
			if v.kind == jsonString && strings.TrimSpace(s.Name) == "" {
				d.add(path, "must not be empty")
			}
		}},
		{name: "description", decode: func(path string, v jsonValue) { s.Description = d.str(path, v, maxDescriptionLength) }},
		{name: "start", required: true, decode: func(path string, v jsonValue) { s.Start = d.date(path, v) }},
		{name: "min_productive", decode: func(path string, v jsonValue) {
			if p, ok := d.period(path, v); ok {
				s.MinProductive = p
			}
		}},
		{name: "hr_capacity", decode: func(path string, v jsonValue) { s.HRCapacity, _ = d.integer(path, v, 0, maxHRCapacity) }},
		{name: "defaults", decode: func(path string, v jsonValue) {
			defaultsPath = path
			d.object(path, v, d.defaultableFields(&defaults))
		}},
		{name: "funding", required: true, decode: func(path string, v jsonValue) {
			if v.kind != jsonArray {
				d.add(path, "want an array of funding sources, got %s", v.kind)
				return
			}
			if len(v.items) == 0 {
				d.add(path, "must name at least one funding source")
			}
			fundingIndex = d.fundingSources(s, path, v.items)
		}},
		{name: "positions", required: true, decode: func(path string, v jsonValue) {
			if v.kind != jsonArray {
				d.add(path, "want an array of positions, got %s", v.kind)
				return
			}
			switch n := len(v.items); {
			case n == 0:
				d.add(path, "must hold at least one position")
			case n > MaxPositions:
				d.add(path, "holds %d positions, at most %d allowed", n, MaxPositions)
				return
			}
			positions = make([]rawPosition, len(v.items))
			for i, item := range v.items {
				positions[i] = d.position(fmt.Sprintf("%s[%d]", path, i), item)
			}
		}},
	})
	if !ok {
		return nil
	}
	if defaults.funding != "" {
		if _, known := fundingIndex[defaults.funding]; !known {
			d.add(defaults.fundingPath, "unknown funding source %q", defaults.funding)
		}
	}
	if s.Start != 0 {
		d.checkRanges(defaultsPath, &defaults, s.Start)
	}
	d.resolvePositions(s, positions, &defaults, fundingIndex)
	return s
}

func (d *decoder) fundingSources(s *Scenario, path string, items []jsonValue) map[string]int {
	index := make(map[string]int, len(items))
	for i, item := range items {
		itemPath := fmt.Sprintf("%s[%d]", path, i)
		f := Funding{Rate: ratOne}
		d.object(itemPath, item, []field{
			{name: "id", required: true, decode: func(path string, v jsonValue) {
				f.ID = d.slug(path, v)
				if first, dup := index[f.ID]; dup && f.ID != "" {
					d.add(path, "duplicate id %q (first at funding[%d])", f.ID, first)
				}
			}},
			{name: "name", decode: func(path string, v jsonValue) { f.Name = d.str(path, v, maxNameLength) }},
			{name: "start", required: true, decode: func(path string, v jsonValue) { f.Start = d.date(path, v) }},
			{name: "end", required: true, decode: func(path string, v jsonValue) { f.End = d.date(path, v) }},
			{name: "rate", decode: func(path string, v jsonValue) { f.Rate = d.share(path, v) }},
			{name: "per_fte_year", decode: func(path string, v jsonValue) { f.PerFTEYear = d.money(path, v, maxPerFTEYear) }},
			{name: "cap", decode: func(path string, v jsonValue) { f.Cap = d.money(path, v, maxCap) }},
		})
		if f.Start != 0 && f.End != 0 && f.End < f.Start {
			d.add(itemPath+".end", "%s is before the source's start %s", f.End, f.Start)
		}
		if f.Name == "" {
			f.Name = f.ID
		}
		if _, dup := index[f.ID]; !dup && f.ID != "" {
			index[f.ID] = len(s.Funding)
		}
		s.Funding = append(s.Funding, f)
	}
	return index
}

func (d *decoder) position(path string, v jsonValue) rawPosition {
	p := rawPosition{path: path}
	fields := append(d.defaultableFields(&p.positionFields),
		field{name: "id", required: true, decode: func(path string, v jsonValue) {
			p.id = d.slug(path, v)
			p.idValid = p.id != ""
		}},
		field{name: "title", decode: func(path string, v jsonValue) { p.title = d.str(path, v, maxNameLength) }},
		field{name: "group", decode: func(path string, v jsonValue) { p.group = d.slug(path, v) }},
		field{name: "after", decode: func(path string, v jsonValue) {
			if v.kind != jsonArray {
				d.add(path, "want an array of dependencies, got %s", v.kind)
				return
			}
			for i, item := range v.items {
				if dep, ok := d.dependency(fmt.Sprintf("%s[%d]", path, i), item); ok {
					p.after = append(p.after, dep)
				}
			}
		}},
	)
	d.object(path, v, fields)
	return p
}

func (d *decoder) dependency(path string, v jsonValue) (rawDependency, bool) {
	dep := rawDependency{path: path, refPath: path, event: Filled}
	if v.kind == jsonString {
		dep.ref = v.text
		return dep, true
	}
	if v.kind != jsonObject {
		d.add(path, "want a position id, \"group:NAME\" or an object, got %s", v.kind)
		return dep, false
	}
	before := len(d.list)
	d.object(path, v, []field{
		{name: "ref", required: true, decode: func(path string, v jsonValue) {
			dep.refPath = path
			if v.kind != jsonString {
				d.add(path, "want a string, got %s", v.kind)
				return
			}
			dep.ref = v.text
		}},
		{name: "event", decode: func(path string, v jsonValue) {
			if v.kind != jsonString {
				d.add(path, "want a string, got %s", v.kind)
				return
			}
			e, ok := parseEvent(v.text)
			if !ok {
				d.add(path, "%q is not one of \"hiring_start\", \"recruited\", \"filled\", \"productive\"", v.text)
				return
			}
			dep.event = e
		}},
		{name: "lag", decode: func(path string, v jsonValue) { dep.lag, _ = d.period(path, v) }},
		{name: "count", decode: func(path string, v jsonValue) {
			dep.countAt = path
			dep.count, dep.countSet = d.integer(path, v, 1, MaxPositions)
		}},
	})
	return dep, len(d.list) == before
}

// checkRanges reports ranged phases whose min, likely and max, added to
// the scenario's start, are out of order.
func (d *decoder) checkRanges(path string, f *positionFields, start date.Date) {
	for phase, s := range f.phases {
		if s == nil || !s.Ranged {
			continue
		}
		phasePath := joinPath(path, Phase(phase).String())
		low, likely, high := s.Min.AddTo(start), s.Likely.AddTo(start), s.Max.AddTo(start)
		if low > likely {
			d.add(phasePath, "min %s is longer than likely %s", s.Min, s.Likely)
		}
		if likely > high {
			d.add(phasePath, "likely %s is longer than max %s", s.Likely, s.Max)
		}
	}
}

func (d *decoder) resolvePositions(s *Scenario, raw []rawPosition, defaults *positionFields, fundingIndex map[string]int) {
	builtIn := Span{Min: MustParsePeriod("P3M"), Likely: MustParsePeriod("P3M"), Max: MustParsePeriod("P3M")}
	ids := make(map[string]int, len(raw))
	s.groups = make(map[string][]int)
	s.Positions = make([]Position, len(raw))
	for i := range raw {
		r := &raw[i]
		if r.idValid {
			if first, dup := ids[r.id]; dup {
				d.add(r.path+".id", "duplicate id %q (first at positions[%d])", r.id, first)
			} else {
				ids[r.id] = i
			}
		}
		if r.group != "" {
			s.groups[r.group] = append(s.groups[r.group], i)
		}
		given := &r.positionFields
		if s.Start != 0 {
			d.checkRanges(r.path, given, s.Start)
		}
		p := Position{
			ID: r.id, Title: r.title, Group: r.group,
			Location:    pick(given.location, defaults.location, ""),
			FTE:         pickPointer(given.fte, defaults.fte, ratOne),
			MonthlyCost: pickPointer(given.monthlyCost, defaults.monthlyCost, ratZero),
			StartOn:     *pickPointer(given.startOn, defaults.startOn, new(Alignment(AlignMonthStart))),
			Earliest:    pick(given.earliest, defaults.earliest, 0),
		}
		for phase := range p.Phases {
			p.Phases[phase] = *pickPointer(given.phases[phase], defaults.phases[phase], &builtIn)
		}
		if given.funding != "" {
			index, known := fundingIndex[given.funding]
			if !known {
				d.add(given.fundingPath, "unknown funding source %q", given.funding)
			}
			p.Funding = index
		}
		if given.funding == "" && defaults.funding != "" {
			p.Funding = fundingIndex[defaults.funding]
		}
		s.Positions[i] = p
	}
	d.resolveDependencies(s, raw, ids)
	d.orderPositions(s)
}

func pick[T comparable](given, fallback, builtIn T) T {
	var zero T
	if given != zero {
		return given
	}
	if fallback != zero {
		return fallback
	}
	return builtIn
}

func pickPointer[T any](given, fallback, builtIn *T) *T {
	if given != nil {
		return given
	}
	if fallback != nil {
		return fallback
	}
	return builtIn
}

func (d *decoder) resolveDependencies(s *Scenario, raw []rawPosition, ids map[string]int) {
	type slotKey struct {
		group string
		event Event
		self  int
	}
	slots := make(map[slotKey]int)
	for i := range raw {
		r := &raw[i]
		for _, rd := range r.after {
			dep := Dependency{Ref: rd.ref, Event: rd.event, Lag: rd.lag, Self: -1, path: rd.path, slot: -1}
			if group, isGroup := strings.CutPrefix(rd.ref, "group:"); isGroup {
				members, known := s.groups[group]
				switch {
				case !isSlug(group):
					d.add(rd.refPath, "%q is not a valid group name", group)
					continue
				case !known:
					d.add(rd.refPath, "unknown group %q: no position has it", group)
					continue
				}
				n := len(members)
				if s.Positions[i].Group == group {
					dep.Self = i
					n--
				}
				if n == 0 {
					d.add(rd.refPath, "group %q has no members other than %s itself", group, r.id)
					continue
				}
				dep.Members, dep.Count = members, n
				key := slotKey{group, rd.event, dep.Self}
				slot, known := slots[key]
				if !known {
					slot = len(slots)
					slots[key] = slot
				}
				dep.slot = slot
				if rd.countSet {
					if rd.count > n {
						d.add(rd.countAt, "%d is out of range: group %q has %s to wait for", rd.count, group, plural(n, "member"))
						continue
					}
					dep.Count = rd.count
				}
			} else {
				q, known := ids[rd.ref]
				if !known {
					d.add(rd.refPath, "unknown position %q", rd.ref)
					continue
				}
				if rd.countSet {
					d.add(rd.countAt, "count applies only to a group dependency")
					continue
				}
				dep.Members, dep.Count = []int{q}, 1
			}
			s.Positions[i].After = append(s.Positions[i].After, dep)
		}
	}
	s.gateSlots = len(slots)
}
