package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"grantplan/planner"
)

// A TimeoutError says that planning took longer than the plan timeout. It
// unwraps to context.DeadlineExceeded.
type TimeoutError struct {
	Limit time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("planning took longer than the %s allowed", e.Limit)
}

func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// Timeout is the time planning was allowed.
func (e *TimeoutError) Timeout() time.Duration { return e.Limit }

func errorsIsDeadline(err error) bool { return errors.Is(err, context.DeadlineExceeded) }

// invalid is a validation error of one problem at path.
func invalid(path, message string) *planner.ValidationError {
	return &planner.ValidationError{Problems: []planner.Problem{{Path: path, Message: message}}}
}
