package postal

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies a failure. Each layer wraps errors freely; the domain edge
// classifies them once with a Code, and the HTTP layer maps the Code to a
// status.
type Code string

// The error codes. Their HTTP status lives in one table in httpapi.
const (
	CodeInvalid         Code = "invalid"         // malformed or invalid input
	CodeUnauthenticated Code = "unauthenticated" // missing, invalid or expired credentials
	CodeForbidden       Code = "forbidden"       // authenticated but not allowed
	CodeNotFound        Code = "not_found"       // unknown, or in another centre
	CodeConflict        Code = "conflict"        // state conflict or request in flight
	CodeTooLarge        Code = "too_large"       // body or file over its limit
	CodeUnsupported     Code = "unsupported"     // media type not accepted
	CodeUnprocessable   Code = "unprocessable"   // well-formed but refused
	CodeLocked          Code = "locked"          // attempts exhausted
	CodeAlreadyDone     Code = "already_done"    // the action already happened: a final answer, never retried
	CodeRateLimited     Code = "rate_limited"    // too many requests
	CodeUnavailable     Code = "unavailable"     // a dependency is down
	CodeInternal        Code = "internal"        // a bug or an unexpected failure
)

// CodePaymentRequired refuses a partner's booking that its wallet cannot pay
// for (402). It is not final: after a top-up the same request may pass.
const CodePaymentRequired Code = "payment_required"

// FieldError names one invalid field of an input.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a classified failure: a Code, a message safe to show a client,
// optional field errors and, for rate limits and outages, how long to wait.
// Err keeps the underlying cause for logs; it is never shown to clients.
type Error struct {
	Code       Code
	Message    string
	Fields     []FieldError
	RetryAfter time.Duration
	Extra      map[string]any // extra members for the problem document
	Err        error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a classified error with a formatted client-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap classifies err with code and a client-safe message, keeping err as the
// cause.
func Wrap(err error, code Code, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// Invalid returns a validation error listing the invalid fields.
func Invalid(message string, fields ...FieldError) *Error {
	return &Error{Code: CodeInvalid, Message: message, Fields: fields}
}

// ErrorCode returns the Code of the first *Error in err's chain, or
// CodeInternal when there is none.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// IsCode reports whether err is classified with code.
func IsCode(err error, code Code) bool {
	return err != nil && ErrorCode(err) == code
}
