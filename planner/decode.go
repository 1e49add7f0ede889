package planner

import (
	"cmp"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rickb777/date/v2"
)

// Limits on a scenario's values (docs/scenario.md, A scenario); they keep every
// sum exact in 64 bits and are documented in docs/scenario.md.
const (
	maxNameLength        = 200
	maxDescriptionLength = 10000
	maxHRCapacity        = 1000000
	maxPayRaises         = 1000
)

// Limits on amounts of money, in EUR.
var (
	maxMonthlyCost = big.NewRat(10000000, 1)      // per month and full-time post
	maxPerFTEYear  = big.NewRat(100000000, 1)     // per full-time post and year
	maxCap         = big.NewRat(1000000000000, 1) // per source
	// maxPayroll bounds what all posts together cost a month at the highest
	// pay the raises reach, so that every sum over the years up to 2199
	// stays inside 64 bits of cents.
	maxPayroll = big.NewRat(10000000000000, 1)
)

// The range of a pay raise in percent.
var (
	minPercent = big.NewRat(-50, 1)
	maxPercent = big.NewRat(100, 1)
)

// Decode parses and validates a scenario (docs/scenario.md) and resolves its
// defaults. When the scenario is invalid the error is a *ValidationError
// that names every problem with its JSON path.
func Decode(data []byte) (*Scenario, error) {
	parser := newJSONParser(data)
	defer parser.release()
	root, err := parser.parse()
	if err != nil {
		return nil, &ValidationError{Problems: []Problem{problemOf("$", err)}}
	}
	var d decoder
	s := d.scenario(root)
	if err := d.err(); err != nil {
		return nil, err
	}
	s.setPrices(d.payFactors)
	return s, nil
}

type decoder struct {
	problems
	numbers    map[string]*big.Rat // parsed number literals
	payFactors []*big.Rat          // of a valid scenario, by checkPayroll
}

// A loc is where a value is in the document: the member key of the object
// at base (base itself when key is empty), then, if index is not zero,
// its item index−1, and then that item's member. It is formatted only
// when a problem is reported, so decoding a valid scenario does not build
// a path string for every member: a loc holds the paths of the items of
// the scenario's lists and of their members (positions[3].title) without
// a string of its own.
type loc struct {
	base, key string
	index     int
	member    string
}

func (l loc) String() string {
	path := joinPath(l.base, l.key)
	if l.index > 0 {
		path += "[" + strconv.Itoa(l.index-1) + "]"
	}
	return joinPath(path, l.member)
}

// item is the location of element i of the array at l.
func (l loc) item(i int) loc {
	if l.index == 0 && l.member == "" {
		return loc{base: l.base, key: l.key, index: i + 1}
	}
	return loc{base: l.String(), index: i + 1}
}

// child is the location of member key of the object at l.
func (l loc) child(key string) loc {
	switch {
	case l.index > 0 && l.member == "":
		return loc{base: l.base, key: l.key, index: l.index, member: key}
	case l.index == 0 && l.member == "" && (l.base == "" || l.key == ""):
		return loc{base: joinPath(l.base, l.key), key: key}
	}
	return loc{base: l.String(), key: key}
}

func (d *decoder) problem(at loc, code ProblemCode, args ...any) {
	d.add(at.String(), code, args...)
}

// A field is a member an object of type T may have and how to decode it
// into a T; decode is not called for a null value, which counts as absent.
// Field tables are package variables, built once.
type field[T any] struct {
	name     string
	required bool
	decode   func(d *decoder, t *T, at loc, v jsonValue)
}

// decodeObject decodes the members of v into t, reporting unknown and
// duplicate members and missing required ones. It reports false when v is
// not an object.
func decodeObject[T any](d *decoder, at loc, v jsonValue, t *T, fields []field[T]) bool {
	if v.kind != jsonObject {
		d.problem(at, ProblemWantObject, v.kind.value())
		return false
	}
	// Bit j of present: fields[j] was a member before, of seen: it was
	// given (not null). No table has 64 fields. A key that comes twice is
	// one of the fields, since an unknown key is reported and skipped.
	var present, seen uint64
	for i := range v.members {
		m := &v.members[i]
		memberAt := at.child(m.key)
		f := -1
		for j := range fields {
			if fields[j].name == m.key {
				f = j
				break
			}
		}
		if f < 0 {
			unknownField(d, memberAt, m.key, fields)
			continue
		}
		if present&(1<<f) != 0 {
			d.problem(memberAt, ProblemDuplicateField)
			continue
		}
		present |= 1 << f
		if m.value.kind == jsonNull {
			continue
		}
		seen |= 1 << f
		fields[f].decode(d, t, memberAt, m.value)
	}
	for j, f := range fields {
		if f.required && seen&(1<<j) == 0 {
			d.add(at.child(f.name).String(), ProblemRequired)
		}
	}
	return true
}

// unknownField reports a member no field of fields has, naming the field
// a misspelt key was probably meant to be.
func unknownField[T any](d *decoder, at loc, key string, fields []field[T]) {
	best, bestDistance := "", 3
	for _, f := range fields {
		if d := editDistance(key, f.name); d < bestDistance {
			best, bestDistance = f.name, d
		}
	}
	if best == "" {
		d.problem(at, ProblemUnknownField)
		return
	}
	d.problem(at, ProblemUnknownFieldLike, best)
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return max(len(a), len(b)) // not worth the work: no field is that long
	}
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

func (d *decoder) str(at loc, v jsonValue, maxLength int) string {
	if v.kind != jsonString {
		d.problem(at, ProblemWantString, v.kind.value())
		return ""
	}
	if n := utf8.RuneCountInString(v.text); n > maxLength {
		d.problem(at, ProblemTooLong, n, maxLength)
	}
	return v.text
}

// name decodes a name or title: a string of at most maxNameLength
// characters without bidirectional control characters, which can make a
// name read differently on screen than it is stored (such as a title
// that shows its characters reversed).
func (d *decoder) name(at loc, v jsonValue) string {
	s := d.str(at, v, maxNameLength)
	if i, r, ok := BidiControl(s); ok {
		d.problem(at, ProblemBidiControl, r, i+1)
	}
	return s
}

// BidiControl finds the first bidirectional control character in s (the
// embeddings, overrides and isolates, and the marks LRM, RLM and ALM): its
// index in characters, the character, and whether there is one. Names
// must not hold them.
func BidiControl(s string) (int, rune, bool) {
	i := 0
	for _, r := range s {
		switch {
		case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return i, r, true
		}
		i++
	}
	return 0, 0, false
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

func (d *decoder) slug(at loc, v jsonValue) string {
	if v.kind != jsonString {
		d.problem(at, ProblemWantString, v.kind.value())
		return ""
	}
	if !isSlug(v.text) {
		d.problem(at, ProblemInvalidID, v.text)
		return ""
	}
	return v.text
}

func (d *decoder) date(at loc, v jsonValue) date.Date {
	if v.kind != jsonString {
		d.problem(at, ProblemWantDate, v.kind.value())
		return 0
	}
	t, err := ParseDate(v.text)
	if err != nil {
		d.list = append(d.list, problemOf(at.String(), err))
		return 0
	}
	return t
}

func (d *decoder) period(at loc, v jsonValue) (Period, bool) {
	if v.kind != jsonString {
		d.problem(at, ProblemWantPeriod, v.kind.value())
		return Period{}, false
	}
	p, err := ParsePeriod(v.text)
	if err != nil {
		d.list = append(d.list, problemOf(at.String(), err))
		return Period{}, false
	}
	return p, true
}

// spanFields are the members of a ranged period.
var spanFields = []field[Span]{
	{name: "min", required: true, decode: func(d *decoder, s *Span, at loc, v jsonValue) { s.Min, _ = d.period(at, v) }},
	{name: "likely", required: true, decode: func(d *decoder, s *Span, at loc, v jsonValue) { s.Likely, _ = d.period(at, v) }},
	{name: "max", required: true, decode: func(d *decoder, s *Span, at loc, v jsonValue) { s.Max, _ = d.period(at, v) }},
}

// span decodes a phase length: a period, or {"min", "likely", "max"}.
func (d *decoder) span(at loc, v jsonValue) (Span, bool) {
	if v.kind != jsonObject {
		p, ok := d.period(at, v)
		return Span{Min: p, Likely: p, Max: p}, ok
	}
	s := Span{Ranged: true}
	before := len(d.list)
	decodeObject(d, at, v, &s, spanFields)
	return s, len(d.list) == before
}

// number decodes a JSON number exactly. Literals that are absurdly long or
// have huge exponents are refused before big.Rat would build them.
func (d *decoder) number(at loc, v jsonValue) (*big.Rat, bool) {
	if v.kind != jsonNumber {
		d.problem(at, ProblemWantNumber, v.kind.value())
		return nil, false
	}
	mantissa, exponent, _ := strings.Cut(strings.ToLower(v.text), "e")
	if len(mantissa) > 40 {
		d.problem(at, ProblemTooManyDigits, Number(v.text))
		return nil, false
	}
	if exponent != "" {
		if e, err := strconv.Atoi(exponent); err != nil || e < -40 || e > 40 {
			d.problem(at, ProblemNumberOutOfRange, Number(v.text))
			return nil, false
		}
	}
	if r, ok := d.numbers[v.text]; ok {
		return r, true
	}
	r, ok := new(big.Rat).SetString(v.text)
	if !ok {
		// Cannot happen: the literal's syntax and size are checked.
		d.problem(at, ProblemNumberOutOfRange, Number(v.text))
		return nil, false
	}
	// Shared values for 0 and 1 let price arithmetic skip trivial work,
	// and a literal seen before (most posts repeat a few) is not parsed
	// again; the values are never modified.
	switch {
	case r.Sign() == 0:
		r = ratZero
	case compareRats(r, ratOne) == 0:
		r = ratOne
	}
	if d.numbers == nil {
		d.numbers = make(map[string]*big.Rat)
	}
	d.numbers[v.text] = r
	return r, true
}

var (
	ratZero = new(big.Rat)
	ratOne  = big.NewRat(1, 1)
)

// money decodes an amount of EUR between 0 and limit.
func (d *decoder) money(at loc, v jsonValue, limit *big.Rat) *big.Rat {
	r, ok := d.number(at, v)
	if !ok {
		return nil
	}
	if r.Sign() < 0 {
		d.problem(at, ProblemNegativeMoney, Number(v.text))
		return nil
	}
	if compareRats(r, limit) > 0 {
		d.problem(at, ProblemMoneyOutOfRange, Number(v.text), Number(limit.RatString()))
		return nil
	}
	return r
}

// share decodes a number in (0, 1].
func (d *decoder) share(at loc, v jsonValue) *big.Rat {
	r, ok := d.number(at, v)
	if !ok {
		return nil
	}
	if r.Sign() <= 0 || compareRats(r, ratOne) > 0 {
		d.problem(at, ProblemShareOutOfRange, Number(v.text))
		return nil
	}
	return r
}

func (d *decoder) integer(at loc, v jsonValue, low, high int) (int, bool) {
	r, ok := d.number(at, v)
	if !ok {
		return 0, false
	}
	if !r.IsInt() {
		d.problem(at, ProblemNotWhole, Number(v.text))
		return 0, false
	}
	if n, ok := ratIsInt64(r); !ok || n < int64(low) || n > int64(high) {
		d.problem(at, ProblemWholeOutOfRange, Number(v.text), low, high)
		return 0, false
	}
	return int(r.Num().Int64()), true
}

// positionFields are the fields a position may leave to the scenario's
// defaults; nil or zero means "not given".
type positionFields struct {
	fte, monthlyCost *big.Rat
	phases           [phaseCount]Span
	phasesGiven      [phaseCount]bool
	startOn          *Alignment
	earliest         date.Date
	funding          string
	fundingAt        loc
	location         string
	employment       *Employment
}

// phase returns the span given for phase, nil when there is none.
func (f *positionFields) phase(phase Phase) *Span {
	if !f.phasesGiven[phase] {
		return nil
	}
	return &f.phases[phase]
}

// defaultableFields are the members shared by "defaults" and a position.
var defaultableFields = []field[positionFields]{
	{name: "fte", decode: func(d *decoder, f *positionFields, at loc, v jsonValue) { f.fte = d.share(at, v) }},
	{name: "monthly_cost", decode: func(d *decoder, f *positionFields, at loc, v jsonValue) {
		f.monthlyCost = d.money(at, v, maxMonthlyCost)
	}},
	{name: "start_on", decode: func(d *decoder, f *positionFields, at loc, v jsonValue) {
		if v.kind != jsonString {
			d.problem(at, ProblemWantString, v.kind.value())
			return
		}
		a, ok := parseAlignment(v.text)
		if !ok {
			d.problem(at, ProblemNotAlignment, v.text)
			return
		}
		f.startOn = &alignments[a]
	}},
	{name: "earliest", decode: func(d *decoder, f *positionFields, at loc, v jsonValue) { f.earliest = d.date(at, v) }},
	{name: "funding", decode: func(d *decoder, f *positionFields, at loc, v jsonValue) {
		f.funding, f.fundingAt = d.slug(at, v), at
	}},
	{name: "location", decode: func(d *decoder, f *positionFields, at loc, v jsonValue) {
		f.location = d.name(at, v)
	}},
	{name: "employment", decode: func(d *decoder, f *positionFields, at loc, v jsonValue) {
		if v.kind != jsonString {
			d.problem(at, ProblemWantString, v.kind.value())
			return
		}
		e, ok := parseEmployment(v.text)
		if !ok {
			d.problem(at, ProblemNotEmployment, v.text)
			return
		}
		f.employment = &employments[e]
	}},
	{name: "recruiting", decode: phaseField(Recruiting)},
	{name: "notice", decode: phaseField(Notice)},
	{name: "onboarding", decode: phaseField(Onboarding)},
}

// alignments and employments give every value an address to point to.
var (
	alignments  = [...]Alignment{AlignAny, AlignMonthStart, AlignQuarterStart}
	employments = [...]Employment{Fixed, Permanent}
)

func phaseField(phase Phase) func(*decoder, *positionFields, loc, jsonValue) {
	return func(d *decoder, f *positionFields, at loc, v jsonValue) {
		if s, ok := d.span(at, v); ok {
			f.phases[phase], f.phasesGiven[phase] = s, true
		}
	}
}

// rawPosition is a position as written, before defaults and references
// are resolved.
type rawPosition struct {
	at               loc
	id, title, group string
	positionFields   positionFields
	after            []rawDependency
	idValid          bool
}

// positionOwnFields are a position's members that defaults cannot give.
var positionOwnFields = []field[rawPosition]{
	{name: "id", required: true, decode: func(d *decoder, p *rawPosition, at loc, v jsonValue) {
		p.id = d.slug(at, v)
		p.idValid = p.id != ""
	}},
	{name: "title", decode: func(d *decoder, p *rawPosition, at loc, v jsonValue) { p.title = d.name(at, v) }},
	{name: "group", decode: func(d *decoder, p *rawPosition, at loc, v jsonValue) { p.group = d.slug(at, v) }},
	{name: "after", decode: func(d *decoder, p *rawPosition, at loc, v jsonValue) {
		if v.kind != jsonArray {
			d.problem(at, ProblemWantDependencyList, v.kind.value())
			return
		}
		list := loc{base: at.String()} // formatted once for all its items
		for i, item := range v.items {
			if dep, ok := d.dependency(list.item(i), item); ok {
				p.after = append(p.after, dep)
			}
		}
	}},
}

// positionFieldTable is every member a position may have.
var positionFieldTable = func() []field[rawPosition] {
	var fields []field[rawPosition]
	for _, f := range defaultableFields {
		fields = append(fields, field[rawPosition]{name: f.name, decode: func(d *decoder, p *rawPosition, at loc, v jsonValue) {
			f.decode(d, &p.positionFields, at, v)
		}})
	}
	return append(fields, positionOwnFields...)
}()

// position decodes the position at at into p.
func (d *decoder) position(p *rawPosition, at loc, v jsonValue) {
	p.at = at
	decodeObject(d, at, v, p, positionFieldTable)
}

type rawDependency struct {
	at       loc  // where the dependency is
	inObject bool // written as an object, so its reference is at its "ref"
	ref      string
	event    Event
	lag      Period
	count    int
	countSet bool
}

func (r *rawDependency) refAt() loc {
	if r.inObject {
		return r.at.child("ref")
	}
	return r.at
}

func (r *rawDependency) countAt() loc { return r.at.child("count") }

var dependencyFields = []field[rawDependency]{
	{name: "ref", required: true, decode: func(d *decoder, dep *rawDependency, at loc, v jsonValue) {
		if v.kind != jsonString {
			d.problem(at, ProblemWantString, v.kind.value())
			return
		}
		dep.ref = v.text
	}},
	{name: "event", decode: func(d *decoder, dep *rawDependency, at loc, v jsonValue) {
		if v.kind != jsonString {
			d.problem(at, ProblemWantString, v.kind.value())
			return
		}
		e, ok := parseEvent(v.text)
		if !ok {
			d.problem(at, ProblemNotEvent, v.text)
			return
		}
		dep.event = e
	}},
	{name: "lag", decode: func(d *decoder, dep *rawDependency, at loc, v jsonValue) { dep.lag, _ = d.period(at, v) }},
	{name: "count", decode: func(d *decoder, dep *rawDependency, at loc, v jsonValue) {
		dep.count, dep.countSet = d.integer(at, v, 1, MaxPositions)
	}},
}

func (d *decoder) dependency(at loc, v jsonValue) (rawDependency, bool) {
	dep := rawDependency{at: at, event: Filled}
	if v.kind == jsonString {
		dep.ref = v.text
		return dep, true
	}
	if v.kind != jsonObject {
		d.problem(at, ProblemWantDependency, v.kind.value())
		return dep, false
	}
	dep.inObject = true
	before := len(d.list)
	decodeObject(d, at, v, &dep, dependencyFields)
	return dep, len(d.list) == before
}

// scenarioBuilder collects the top level of a scenario while decoding.
type scenarioBuilder struct {
	s            *Scenario
	defaults     positionFields
	defaultsAt   loc
	fundingIndex map[string]int
	positions    []rawPosition
	horizonAt    loc // where the horizon is given; zero when it is not
	payRaisesAt  loc
}

var scenarioFields = []field[scenarioBuilder]{
	{name: "name", required: true, decode: func(d *decoder, b *scenarioBuilder, at loc, v jsonValue) {
		b.s.Name = d.name(at, v)
		if v.kind == jsonString && strings.TrimSpace(b.s.Name) == "" {
			d.problem(at, ProblemEmpty)
		}
	}},
	{name: "description", decode: func(d *decoder, b *scenarioBuilder, at loc, v jsonValue) {
		b.s.Description = d.str(at, v, maxDescriptionLength)
	}},
	{name: "start", required: true, decode: func(d *decoder, b *scenarioBuilder, at loc, v jsonValue) { b.s.Start = d.date(at, v) }},
	{name: "min_productive", decode: func(d *decoder, b *scenarioBuilder, at loc, v jsonValue) {
		if p, ok := d.period(at, v); ok {
			b.s.MinProductive = p
		}
	}},
	{name: "hr_capacity", decode: func(d *decoder, b *scenarioBuilder, at loc, v jsonValue) {
		b.s.HRCapacity, _ = d.integer(at, v, 0, maxHRCapacity)
	}},
	{name: "horizon", decode: func(d *decoder, b *scenarioBuilder, at loc, v jsonValue) {
		b.horizonAt = at
		b.s.Horizon = d.date(at, v)
	}},
	{name: "pay_raises", decode: func(d *decoder, b *scenarioBuilder, at loc, v jsonValue) {
		b.payRaisesAt = at
		b.s.PayRaises = d.payRaises(at, v)
	}},
	{name: "defaults", decode: func(d *decoder, b *scenarioBuilder, at loc, v jsonValue) {
		b.defaultsAt = at
		decodeObject(d, at, v, &b.defaults, defaultableFields)
	}},
	{name: "funding", required: true, decode: func(d *decoder, b *scenarioBuilder, at loc, v jsonValue) {
		if v.kind != jsonArray {
			d.problem(at, ProblemWantFundingList, v.kind.value())
			return
		}
		if len(v.items) == 0 {
			d.problem(at, ProblemNoFunding)
		}
		b.fundingIndex = d.fundingSources(b.s, at, v.items)
	}},
	{name: "positions", required: true, decode: func(d *decoder, b *scenarioBuilder, at loc, v jsonValue) {
		if v.kind != jsonArray {
			d.problem(at, ProblemWantPositionList, v.kind.value())
			return
		}
		switch n := len(v.items); {
		case n == 0:
			d.problem(at, ProblemNoPositions)
		case n > MaxPositions:
			d.problem(at, ProblemTooManyPositions, n, MaxPositions)
			return
		}
		b.positions = make([]rawPosition, len(v.items))
		for i, item := range v.items {
			d.position(&b.positions[i], at.item(i), item)
		}
	}},
}

func (d *decoder) scenario(root jsonValue) *Scenario {
	b := scenarioBuilder{s: &Scenario{MinProductive: Period{Months: 6}}}
	if !decodeObject(d, loc{}, root, &b, scenarioFields) {
		return nil
	}
	if b.defaults.funding != "" {
		if _, known := b.fundingIndex[b.defaults.funding]; !known {
			d.problem(b.defaults.fundingAt, ProblemUnknownFunding, b.defaults.funding)
		}
	}
	if b.s.Start != 0 {
		d.checkRanges(b.defaultsAt, &b.defaults, b.s.Start)
	}
	d.resolveHorizon(b.s, b.horizonAt)
	d.resolvePositions(b.s, b.positions, &b.defaults, b.fundingIndex)
	if len(d.list) == 0 {
		d.checkPayroll(b.s, b.payRaisesAt)
	}
	return b.s
}

// payRaiseFields are the members of a pay raise.
var payRaiseFields = []field[PayRaise]{
	{name: "from", required: true, decode: func(d *decoder, r *PayRaise, at loc, v jsonValue) { r.From = d.date(at, v) }},
	{name: "percent", required: true, decode: func(d *decoder, r *PayRaise, at loc, v jsonValue) { r.Percent = d.percent(at, v) }},
}

// payRaises decodes the list of pay raises and returns the valid ones in
// date order; the order of the list does not matter, but two raises on
// one date are an error.
func (d *decoder) payRaises(at loc, v jsonValue) []PayRaise {
	if v.kind != jsonArray {
		d.problem(at, ProblemWantRaiseList, v.kind.value())
		return nil
	}
	if n := len(v.items); n > maxPayRaises {
		d.problem(at, ProblemTooManyRaises, n, maxPayRaises)
		return nil
	}
	raises := make([]PayRaise, 0, len(v.items))
	first := make(map[date.Date]int, len(v.items))
	for i, item := range v.items {
		itemAt := at.item(i)
		before := len(d.list)
		var r PayRaise
		if !decodeObject(d, itemAt, item, &r, payRaiseFields) {
			continue
		}
		if r.From != 0 {
			if j, dup := first[r.From]; dup {
				d.problem(itemAt.child("from"), ProblemDuplicateRaiseDate, r.From, at.item(j).String())
			} else {
				first[r.From] = i
			}
		}
		if len(d.list) == before {
			raises = append(raises, r)
		}
	}
	slices.SortFunc(raises, func(a, b PayRaise) int { return cmp.Compare(a.From, b.From) })
	return raises
}

// percent decodes a pay raise in percent: −50 to 100, in whole hundredths.
func (d *decoder) percent(at loc, v jsonValue) *big.Rat {
	r, ok := d.number(at, v)
	if !ok {
		return nil
	}
	valid := true
	if compareRats(r, minPercent) < 0 || compareRats(r, maxPercent) > 0 {
		d.problem(at, ProblemPercentOutOfRange, Number(v.text))
		valid = false
	}
	// r·100 is whole exactly when r's denominator divides 100, r being in
	// lowest terms.
	if den := r.Denom(); !den.IsUint64() || 100%den.Uint64() != 0 {
		d.problem(at, ProblemPercentPlaces, Number(v.text))
		valid = false
	}
	if !valid {
		return nil
	}
	return r
}

var (
	ratHundred    = big.NewRat(100, 1)
	ratTwoHundred = big.NewRat(200, 1)
)

// resolveHorizon checks a given horizon against the latest funding end,
// or sets the default: 31 December of that end's year.
func (d *decoder) resolveHorizon(s *Scenario, at loc) {
	latest, latestSource := date.Date(0), -1
	for i, f := range s.Funding {
		if f.End == 0 {
			return // the source's end is missing or invalid, already reported
		}
		if f.End > latest {
			latest, latestSource = f.End, i
		}
	}
	switch {
	case latestSource < 0:
		return // no funding: already reported
	case at.key != "": // given
		if s.Horizon != 0 && s.Horizon < latest {
			d.problem(at, ProblemHorizonBeforeEnd, s.Horizon, latest, latestSource)
		}
	default:
		year, _, _ := civil(latest)
		s.Horizon = fromCivil(year, time.December, 31)
	}
}

// checkPayroll refuses raises that would make the posts' pay so large that
// the sums would leave 64 bits of cents: all posts together may cost at
// most maxPayroll a month at the highest pay the raises reach by the
// horizon. It keeps the pay factors for the prices (setPrices).
func (d *decoder) checkPayroll(s *Scenario, at loc) {
	d.payFactors = payFactors(s.PayRaises, s.Horizon)
	highest := ratOne
	for _, f := range d.payFactors {
		if compareRats(f, highest) > 0 {
			highest = f
		}
	}
	// Without raises above ×200 the limits on monthly_cost and positions
	// keep the payroll below maxPayroll.
	if compareRats(highest, ratTwoHundred) <= 0 {
		return
	}
	payroll := new(big.Rat)
	for i := range s.Positions {
		payroll.Add(payroll, product(s.Positions[i].MonthlyCost, s.Positions[i].FTE))
	}
	payroll.Mul(payroll, highest)
	if payroll.Cmp(maxPayroll) > 0 {
		d.problem(at, ProblemPayrollTooLarge,
			Number(highest.FloatString(2)), Number(payroll.FloatString(2)), Number(maxPayroll.RatString()))
	}
}

type fundingBuilder struct {
	f     Funding
	index map[string]int
}

var fundingFields = []field[fundingBuilder]{
	{name: "id", required: true, decode: func(d *decoder, b *fundingBuilder, at loc, v jsonValue) {
		b.f.ID = d.slug(at, v)
		if first, dup := b.index[b.f.ID]; dup && b.f.ID != "" {
			d.problem(at, ProblemDuplicateFundingID, b.f.ID, first)
		}
	}},
	{name: "name", decode: func(d *decoder, b *fundingBuilder, at loc, v jsonValue) { b.f.Name = d.name(at, v) }},
	{name: "start", required: true, decode: func(d *decoder, b *fundingBuilder, at loc, v jsonValue) { b.f.Start = d.date(at, v) }},
	{name: "end", required: true, decode: func(d *decoder, b *fundingBuilder, at loc, v jsonValue) { b.f.End = d.date(at, v) }},
	{name: "rate", decode: func(d *decoder, b *fundingBuilder, at loc, v jsonValue) { b.f.Rate = d.share(at, v) }},
	{name: "per_fte_year", decode: func(d *decoder, b *fundingBuilder, at loc, v jsonValue) {
		b.f.PerFTEYear = d.money(at, v, maxPerFTEYear)
	}},
	{name: "cap", decode: func(d *decoder, b *fundingBuilder, at loc, v jsonValue) { b.f.Cap = d.money(at, v, maxCap) }},
}

func (d *decoder) fundingSources(s *Scenario, at loc, items []jsonValue) map[string]int {
	index := make(map[string]int, len(items))
	for i, item := range items {
		itemAt := at.item(i)
		b := fundingBuilder{f: Funding{Rate: ratOne}, index: index}
		decodeObject(d, itemAt, item, &b, fundingFields)
		f := b.f
		if f.Rate == nil {
			f.Rate = ratOne // an invalid rate, already reported
		}
		if f.Start != 0 && f.End != 0 && f.End < f.Start {
			d.problem(itemAt.child("end"), ProblemEndBeforeStart, f.End, f.Start)
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

// checkRanges reports ranged phases whose min, likely and max, added to
// the scenario's start, are out of order.
func (d *decoder) checkRanges(at loc, f *positionFields, start date.Date) {
	for phase := range phaseCount {
		s := f.phase(phase)
		if s == nil || !s.Ranged {
			continue
		}
		low, likely, high := s.Min.AddTo(start), s.Likely.AddTo(start), s.Max.AddTo(start)
		if low > likely {
			d.problem(at.child(phase.String()), ProblemMinAfterLikely, s.Min, s.Likely)
		}
		if likely > high {
			d.problem(at.child(phase.String()), ProblemLikelyAfterMax, s.Likely, s.Max)
		}
	}
}

func (d *decoder) resolvePositions(s *Scenario, raw []rawPosition, defaults *positionFields, fundingIndex map[string]int) {
	threeMonths := Period{Months: 3}
	builtIn := Span{Min: threeMonths, Likely: threeMonths, Max: threeMonths}
	ids := make(map[string]int, len(raw))
	s.groups = make(map[string][]int)
	s.Positions = make([]Position, len(raw))
	for i := range raw {
		r := &raw[i]
		if r.idValid {
			if first, dup := ids[r.id]; dup {
				d.problem(r.at.child("id"), ProblemDuplicatePostID, r.id, first)
			} else {
				ids[r.id] = i
			}
		}
		if r.group != "" {
			s.groups[r.group] = append(s.groups[r.group], i)
		}
		given := &r.positionFields
		if s.Start != 0 {
			d.checkRanges(r.at, given, s.Start)
		}
		p := Position{
			ID: r.id, Title: r.title, Group: r.group,
			Location:    pick(given.location, defaults.location, ""),
			FTE:         pickPointer(given.fte, defaults.fte, ratOne),
			MonthlyCost: pickPointer(given.monthlyCost, defaults.monthlyCost, ratZero),
			StartOn:     *pickPointer(given.startOn, defaults.startOn, &alignments[AlignMonthStart]),
			Earliest:    pick(given.earliest, defaults.earliest, 0),
			Employment:  *pickPointer(given.employment, defaults.employment, &employments[Fixed]),
		}
		for phase := range p.Phases {
			p.Phases[phase] = *pickPointer(given.phase(Phase(phase)), defaults.phase(Phase(phase)), &builtIn)
		}
		if given.funding != "" {
			index, known := fundingIndex[given.funding]
			if !known {
				d.problem(given.fundingAt, ProblemUnknownFunding, given.funding)
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
			dep := Dependency{Ref: rd.ref, Event: rd.event, Lag: rd.lag, Self: -1, path: rd.at, slot: -1}
			if group, isGroup := strings.CutPrefix(rd.ref, "group:"); isGroup {
				members, known := s.groups[group]
				switch {
				case !isSlug(group):
					d.problem(rd.refAt(), ProblemInvalidGroup, group)
					continue
				case !known:
					d.problem(rd.refAt(), ProblemUnknownGroup, group)
					continue
				}
				n := len(members)
				if s.Positions[i].Group == group {
					dep.Self = i
					n--
				}
				if n == 0 {
					d.problem(rd.refAt(), ProblemGroupOnlySelf, group, r.id)
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
						d.problem(rd.countAt(), ProblemCountOutOfRange, rd.count, group, Count{N: n, Noun: "member"})
						continue
					}
					dep.Count = rd.count
				}
			} else {
				q, known := ids[rd.ref]
				if !known {
					d.problem(rd.refAt(), ProblemUnknownPosition, rd.ref)
					continue
				}
				if rd.countSet {
					d.problem(rd.countAt(), ProblemCountNotGroup)
					continue
				}
				dep.Members, dep.Count = []int{q}, 1
			}
			s.Positions[i].After = append(s.Positions[i].After, dep)
		}
	}
	s.gateSlots = len(slots)
}
