package planner

import (
	"fmt"
	"slices"
	"strconv"
)

// A ProblemCode names a kind of problem with a scenario or a request's
// options, as a flag's Code names a kind of flag. The planner writes each
// problem's sentence in English (Problem.Message, what the JSON API
// answers); package locale writes it in the reader's language from the
// code and the problem's Args.
type ProblemCode string

// The problem codes of JSON syntax (the path is always "$").
const (
	ProblemJSONEnd           ProblemCode = "json_end"
	ProblemJSONTrailing      ProblemCode = "json_trailing"
	ProblemJSONTooDeep       ProblemCode = "json_too_deep"
	ProblemJSONCharacter     ProblemCode = "json_character"
	ProblemJSONKey           ProblemCode = "json_key"
	ProblemJSONColon         ProblemCode = "json_colon"
	ProblemJSONObjectComma   ProblemCode = "json_object_comma"
	ProblemJSONArrayComma    ProblemCode = "json_array_comma"
	ProblemJSONNumber        ProblemCode = "json_number"
	ProblemJSONFraction      ProblemCode = "json_fraction"
	ProblemJSONExponent      ProblemCode = "json_exponent"
	ProblemJSONControl       ProblemCode = "json_control"
	ProblemJSONUnicodeEscape ProblemCode = "json_unicode_escape"
	ProblemJSONEscape        ProblemCode = "json_escape"
)

// The problem codes of a scenario's members and values.
const (
	ProblemWantObject       ProblemCode = "want_object"
	ProblemUnknownField     ProblemCode = "unknown_field"
	ProblemUnknownFieldLike ProblemCode = "unknown_field_like"
	ProblemDuplicateField   ProblemCode = "duplicate_field"
	ProblemRequired         ProblemCode = "required"
	ProblemEmpty            ProblemCode = "empty"
	ProblemWantString       ProblemCode = "want_string"
	ProblemTooLong          ProblemCode = "too_long"
	ProblemInvalidID        ProblemCode = "invalid_id"
	ProblemWantDate         ProblemCode = "want_date"
	ProblemNotDate          ProblemCode = "not_date"
	ProblemNotCalendarDay   ProblemCode = "not_calendar_day"
	ProblemDateOutOfRange   ProblemCode = "date_out_of_range"
	ProblemWantPeriod       ProblemCode = "want_period"
	ProblemNotPeriod        ProblemCode = "not_period"
	ProblemPeriodTooLarge   ProblemCode = "period_too_large"
	ProblemWantNumber       ProblemCode = "want_number"
	ProblemTooManyDigits    ProblemCode = "too_many_digits"
	ProblemNumberOutOfRange ProblemCode = "number_out_of_range"
	ProblemNegativeMoney    ProblemCode = "negative_money"
	ProblemMoneyOutOfRange  ProblemCode = "money_out_of_range"
	ProblemShareOutOfRange  ProblemCode = "share_out_of_range"
	ProblemNotWhole         ProblemCode = "not_whole"
	ProblemWholeOutOfRange  ProblemCode = "whole_out_of_range"
	ProblemNotAlignment     ProblemCode = "not_alignment"
	ProblemNotEvent         ProblemCode = "not_event"
)

// The problem codes of the scenario's structure: funding sources, posts
// and their dependencies.
const (
	ProblemWantFundingList    ProblemCode = "want_funding_list"
	ProblemNoFunding          ProblemCode = "no_funding"
	ProblemWantPositionList   ProblemCode = "want_position_list"
	ProblemNoPositions        ProblemCode = "no_positions"
	ProblemTooManyPositions   ProblemCode = "too_many_positions"
	ProblemUnknownFunding     ProblemCode = "unknown_funding"
	ProblemDuplicateFundingID ProblemCode = "duplicate_funding_id"
	ProblemEndBeforeStart     ProblemCode = "end_before_start"
	ProblemMinAfterLikely     ProblemCode = "min_after_likely"
	ProblemLikelyAfterMax     ProblemCode = "likely_after_max"
	ProblemDuplicatePostID    ProblemCode = "duplicate_position_id"
	ProblemWantDependencyList ProblemCode = "want_dependency_list"
	ProblemWantDependency     ProblemCode = "want_dependency"
	ProblemInvalidGroup       ProblemCode = "invalid_group"
	ProblemUnknownGroup       ProblemCode = "unknown_group"
	ProblemGroupOnlySelf      ProblemCode = "group_only_self"
	ProblemCountOutOfRange    ProblemCode = "count_out_of_range"
	ProblemUnknownPosition    ProblemCode = "unknown_position"
	ProblemCountNotGroup      ProblemCode = "count_not_group"
	ProblemDependencyCycle    ProblemCode = "dependency_cycle"
)

// The problem codes of cost and budget years: employment, pay raises, the
// horizon.
const (
	ProblemNotEmployment      ProblemCode = "not_employment"
	ProblemWantRaiseList      ProblemCode = "want_raise_list"
	ProblemTooManyRaises      ProblemCode = "too_many_raises"
	ProblemDuplicateRaiseDate ProblemCode = "duplicate_raise_date"
	ProblemPercentOutOfRange  ProblemCode = "percent_out_of_range"
	ProblemPercentPlaces      ProblemCode = "percent_places"
	ProblemHorizonBeforeEnd   ProblemCode = "horizon_before_end"
	ProblemPayrollTooLarge    ProblemCode = "payroll_too_large"
)

// The problem codes of a risk run's options.
const (
	ProblemTrialsOutOfRange     ProblemCode = "trials_out_of_range"
	ProblemSeedOutOfRange       ProblemCode = "seed_out_of_range"
	ProblemConfidenceOutOfRange ProblemCode = "confidence_out_of_range"
	ProblemSpreadMinOutOfRange  ProblemCode = "spread_min_out_of_range"
	ProblemSpreadMaxOutOfRange  ProblemCode = "spread_max_out_of_range"
)

// problemTexts are the English sentences of the codes, fmt formats of a
// problem's Args. Package locale's English catalog holds the same texts
// (its tests compare them), and its German catalog their translations.
var problemTexts = map[ProblemCode]string{
	ProblemJSONEnd:           "invalid JSON: unexpected end of input",
	ProblemJSONTrailing:      "invalid JSON at line %d, column %d: unexpected data after the top-level value",
	ProblemJSONTooDeep:       "invalid JSON at line %d, column %d: nested deeper than %d levels",
	ProblemJSONCharacter:     "invalid JSON at line %d, column %d: invalid character %q looking for a value",
	ProblemJSONKey:           "invalid JSON at line %d, column %d: want a string as an object key",
	ProblemJSONColon:         "invalid JSON at line %d, column %d: want ':' after an object key",
	ProblemJSONObjectComma:   "invalid JSON at line %d, column %d: want ',' or '}' after an object member",
	ProblemJSONArrayComma:    "invalid JSON at line %d, column %d: want ',' or ']' after an array element",
	ProblemJSONNumber:        "invalid JSON at line %d, column %d: invalid number",
	ProblemJSONFraction:      "invalid JSON at line %d, column %d: invalid number: want digits after '.'",
	ProblemJSONExponent:      "invalid JSON at line %d, column %d: invalid number: want digits in the exponent",
	ProblemJSONControl:       "invalid JSON at line %d, column %d: control character %q in a string",
	ProblemJSONUnicodeEscape: "invalid JSON at line %d, column %d: invalid \\u escape",
	ProblemJSONEscape:        "invalid JSON at line %d, column %d: invalid escape '\\%c' in a string",

	ProblemWantObject:       "want an object, got %s",
	ProblemUnknownField:     "unknown field",
	ProblemUnknownFieldLike: "unknown field (did you mean %q?)",
	ProblemDuplicateField:   "duplicate field",
	ProblemRequired:         "required",
	ProblemEmpty:            "must not be empty",
	ProblemWantString:       "want a string, got %s",
	ProblemTooLong:          "is %d characters long, at most %d allowed",
	ProblemInvalidID:        "%q is not a valid id: want lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters",
	ProblemWantDate:         "want a date string (YYYY-MM-DD), got %s",
	ProblemNotDate:          "%q is not a date (want YYYY-MM-DD)",
	ProblemNotCalendarDay:   "%q is not a calendar day",
	ProblemDateOutOfRange:   "%s is out of range (%s to %s)",
	ProblemWantPeriod:       "want a period string such as \"P3M\", got %s",
	ProblemNotPeriod:        "%q is not a period: want ISO 8601 with whole non-negative years, months, weeks and days only, such as P3M, P1Y2M, P6W or P0D",
	ProblemPeriodTooLarge:   "%q: part %s is too large",
	ProblemWantNumber:       "want a number, got %s",
	ProblemTooManyDigits:    "%s has too many digits",
	ProblemNumberOutOfRange: "%s is out of range",
	ProblemNegativeMoney:    "%s is negative: an amount of money must be 0 or more",
	ProblemMoneyOutOfRange:  "%s is out of range (at most %s)",
	ProblemShareOutOfRange:  "%s is out of range: want more than 0 and at most 1",
	ProblemNotWhole:         "%s is not a whole number",
	ProblemWholeOutOfRange:  "%s is out of range (%d to %d)",
	ProblemNotAlignment:     "%q is not one of \"any\", \"month_start\", \"quarter_start\"",
	ProblemNotEvent:         "%q is not one of \"hiring_start\", \"recruited\", \"filled\", \"productive\"",

	ProblemWantFundingList:    "want an array of funding sources, got %s",
	ProblemNoFunding:          "must name at least one funding source",
	ProblemWantPositionList:   "want an array of positions, got %s",
	ProblemNoPositions:        "must hold at least one position",
	ProblemTooManyPositions:   "holds %d positions, at most %d allowed",
	ProblemUnknownFunding:     "unknown funding source %q",
	ProblemDuplicateFundingID: "duplicate id %q (first at funding[%d])",
	ProblemEndBeforeStart:     "%s is before the source's start %s",
	ProblemMinAfterLikely:     "min %s is longer than likely %s",
	ProblemLikelyAfterMax:     "likely %s is longer than max %s",
	ProblemDuplicatePostID:    "duplicate id %q (first at positions[%d])",
	ProblemWantDependencyList: "want an array of dependencies, got %s",
	ProblemWantDependency:     "want a position id, \"group:NAME\" or an object, got %s",
	ProblemInvalidGroup:       "%q is not a valid group name",
	ProblemUnknownGroup:       "unknown group %q: no position has it",
	ProblemGroupOnlySelf:      "group %q has no members other than %s itself",
	ProblemCountOutOfRange:    "%d is out of range: group %q has %s to wait for",
	ProblemUnknownPosition:    "unknown position %q",
	ProblemCountNotGroup:      "count applies only to a group dependency",
	ProblemDependencyCycle:    "dependency cycle: %s",

	ProblemNotEmployment:      "%q is not one of \"fixed\", \"permanent\"",
	ProblemWantRaiseList:      "want an array of pay raises, got %s",
	ProblemTooManyRaises:      "holds %d pay raises, at most %d allowed",
	ProblemDuplicateRaiseDate: "duplicate date %s (first at %s): two raises on one date are not allowed",
	ProblemPercentOutOfRange:  "%s is out of range (-50 to 100)",
	ProblemPercentPlaces:      "%s has more than 2 decimals: a raise is given in whole hundredths of a percent",
	ProblemHorizonBeforeEnd:   "%s is before the latest funding end %s (funding[%d].end): the budget must cover the funding",
	ProblemPayrollTooLarge:    "the raises multiply pay by up to %s, so the posts would cost %s EUR a month in all: at most %s allowed",

	ProblemTrialsOutOfRange:     "%d is out of range: a risk run has 1 to %d trials",
	ProblemSeedOutOfRange:       "%d is out of range: a seed is a whole number from 0 to %d",
	ProblemConfidenceOutOfRange: "%v is out of range: a confidence is a number between 0 and 1 (0 skips the search for the decision date)",
	ProblemSpreadMinOutOfRange:  "%v is out of range: the factor for the shortest time is between 0 and 1",
	ProblemSpreadMaxOutOfRange:  "%v is out of range: the factor for the longest time is between 1 and %d",
}

// ProblemCodes lists every problem code of the planner, sorted. Whatever
// speaks of problems (package locale's catalogs) is tested against it.
func ProblemCodes() []ProblemCode {
	codes := make([]ProblemCode, 0, len(problemTexts))
	for code := range problemTexts {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return codes
}

// ProblemText is the English sentence of code, a fmt format of a
// problem's Args; "" for a code the planner does not know.
func ProblemText(code ProblemCode) string { return problemTexts[code] }

// NewProblem returns the problem of code at path with args and its
// English message.
func NewProblem(path string, code ProblemCode, args ...any) Problem {
	return Problem{Path: path, Message: fmt.Sprintf(problemTexts[code], args...), Code: code, Args: args}
}

// The types below are arguments of problems that a language writes in
// its own way; the rest are strings (user input, quoted by %q), whole
// numbers, dates (date.Date), periods (Period) and float64 factors.

// A Number is a number as the user wrote it, a JSON number literal; a
// German sentence writes it with a decimal comma.
type Number string

// A ValueKind is the kind of a JSON value, in a sentence: "a string".
type ValueKind string

// The kinds of JSON values.
const (
	ValueNull    ValueKind = "null"
	ValueBoolean ValueKind = "boolean"
	ValueNumber  ValueKind = "number"
	ValueString  ValueKind = "string"
	ValueArray   ValueKind = "array"
	ValueObject  ValueKind = "object"
)

var kindPhrases = map[ValueKind]string{
	ValueNull: "null", ValueBoolean: "a boolean", ValueNumber: "a number",
	ValueString: "a string", ValueArray: "an array", ValueObject: "an object",
}

// ValueKinds lists the kinds of JSON values.
func ValueKinds() []ValueKind {
	return []ValueKind{ValueNull, ValueBoolean, ValueNumber, ValueString, ValueArray, ValueObject}
}

func (k ValueKind) String() string { return kindPhrases[k] }

// An InputError is a problem with one value, before it has a path: a
// date, period or number that does not read. Problem puts it at a path.
// Message is the English sentence; a code the planner does not know
// (package locale's, of what people type) comes with it.
type InputError struct {
	Code    ProblemCode
	Args    []any
	Message string
}

func (e *InputError) Error() string {
	if e.Message != "" {
		return e.Message
	}
	return fmt.Sprintf(problemTexts[e.Code], e.Args...)
}

// Problem is the problem at path.
func (e *InputError) Problem(path string) Problem {
	return Problem{Path: path, Message: e.Error(), Code: e.Code, Args: e.Args}
}

func inputError(code ProblemCode, args ...any) *InputError {
	return &InputError{Code: code, Args: args}
}

// A Count is a number of things, in a sentence: "2 members".
type Count struct {
	N    int
	Noun string // singular, English: "member"
}

func (c Count) String() string {
	if c.N == 1 {
		return "1 " + c.Noun
	}
	return strconv.Itoa(c.N) + " " + c.Noun + "s"
}

// problemOf is the problem at path of err, an *InputError from parsing a
// value (or, should one be missing its code, any error).
func problemOf(path string, err error) Problem {
	if e, ok := err.(*InputError); ok {
		return e.Problem(path)
	}
	return Problem{Path: path, Message: err.Error()}
}
