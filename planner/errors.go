package planner

import (
	"errors"
	"fmt"
	"strings"
)

// A Problem is one thing wrong with a scenario, at a JSON path such as
// "positions[3].after[0]"; the path "$" stands for the whole document.
// Message says it in English; Code and Args let package locale say it in
// another language (a problem without a code has only its Message).
type Problem struct {
	Path    string      `json:"path"`
	Message string      `json:"message"`
	Code    ProblemCode `json:"-"`
	Args    []any       `json:"-"`
}

func (p Problem) String() string { return p.Path + ": " + p.Message }

// A ValidationError lists every problem found in a scenario, in document
// order.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "invalid scenario: " + strings.Join(lines, "; ")
}

// Prefixed returns the problems with prefix put in front of their paths, for
// a scenario that is itself part of a larger document ("scenario").
func (e *ValidationError) Prefixed(prefix string) *ValidationError {
	out := &ValidationError{Problems: make([]Problem, len(e.Problems))}
	for i, p := range e.Problems {
		out.Problems[i] = p
		out.Problems[i].Path = joinPath(prefix, p.Path)
	}
	return out
}

// joinPath appends a path relative to a document to the path of that
// document within a larger one.
func joinPath(prefix, path string) string {
	switch {
	case prefix == "" || prefix == "$":
		return path
	case path == "$" || path == "":
		return prefix
	case strings.HasPrefix(path, "["):
		return prefix + path
	}
	return prefix + "." + path
}

// problems collects Problems during decoding and validation.
type problems struct {
	list []Problem
}

func (ps *problems) add(path string, code ProblemCode, args ...any) {
	if path == "" {
		path = "$"
	}
	ps.list = append(ps.list, NewProblem(path, code, args...))
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps.list}
}

// ErrorKind classifies the errors that adapters (the store, the handlers)
// must tell apart; the HTTP layer maps each kind to one status.
type ErrorKind uint8

// The error kinds.
const (
	KindInternal     ErrorKind = iota // unexpected: a bug or a broken disk
	KindInvalid                       // the input is wrong; a *ValidationError names where
	KindNotFound                      // no such scenario or revision
	KindConflict                      // the request clashes with the stored state
	KindPrecondition                  // an If-Match names a revision that is no longer current
)

// An Error is an expected failure of a kind the caller can act on.
type Error struct {
	Kind    ErrorKind
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error of the given kind.
func Errorf(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of err: that of the first *Error in its chain,
// KindInvalid for a *ValidationError, and KindInternal otherwise.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	var v *ValidationError
	if errors.As(err, &v) {
		return KindInvalid
	}
	return KindInternal
}
