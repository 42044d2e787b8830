package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
)

// statusOf is the one table from error codes to HTTP statuses.
func statusOf(c postal.Code) int {
	switch c {
	case postal.CodeInvalid:
		return http.StatusBadRequest
	case postal.CodeUnauthenticated:
		return http.StatusUnauthorized
	case postal.CodeForbidden:
		return http.StatusForbidden
	case postal.CodeNotFound:
		return http.StatusNotFound
	case postal.CodeConflict, postal.CodeAlreadyDone:
		return http.StatusConflict
	case postal.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case postal.CodeUnsupported:
		return http.StatusUnsupportedMediaType
	case postal.CodeUnprocessable:
		return http.StatusUnprocessableEntity
	case postal.CodeLocked:
		return http.StatusLocked
	case postal.CodePaymentRequired:
		return http.StatusPaymentRequired
	case postal.CodeRateLimited:
		return http.StatusTooManyRequests
	case postal.CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// codeOf is the reverse, for errors Echo raises itself (unknown route,
// wrong method, oversized body).
func codeOf(status int) postal.Code {
	switch status {
	case http.StatusBadRequest:
		return postal.CodeInvalid
	case http.StatusUnauthorized:
		return postal.CodeUnauthenticated
	case http.StatusForbidden:
		return postal.CodeForbidden
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return postal.CodeNotFound
	case http.StatusRequestEntityTooLarge:
		return postal.CodeTooLarge
	case http.StatusUnsupportedMediaType:
		return postal.CodeUnsupported
	case http.StatusTooManyRequests:
		return postal.CodeRateLimited
	case http.StatusServiceUnavailable:
		return postal.CodeUnavailable
	}
	return postal.CodeInternal
}

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail"`
	Errors    []postal.FieldError `json:"errors,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
}

// problemType names a problem kind by its code.
func problemType(c postal.Code) string { return "urn:dakiya:problem:" + string(c) }

// handleError is Echo's error handler: every error leaves as problem+json.
// Internal errors are logged with the request id and never shown.
func (a *api) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, p, extra, retry := a.problemOf(err, c)
	if retry > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(retry))
	}
	if status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="dakiya"`)
	}
	if status == http.StatusMethodNotAllowed {
		status, p.Status, p.Title = http.StatusNotFound, http.StatusNotFound, http.StatusText(http.StatusNotFound)
	}
	body := map[string]any{"type": p.Type, "title": p.Title, "status": p.Status, "detail": p.Detail}
	if len(p.Errors) > 0 {
		body["errors"] = p.Errors
	}
	if p.RequestID != "" {
		body["request_id"] = p.RequestID
	}
	for k, v := range extra {
		body[k] = v
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	c.JSON(status, body)
}

// problemOf turns an error into a status, a problem, extra members and a
// Retry-After in seconds.
func (a *api) problemOf(err error, c echo.Context) (int, Problem, map[string]any, int) {
	if gone(err, c) {
		logger(c).Info("client went away", "error", err.Error())
		return statusClientClosed, Problem{Type: problemType(postal.CodeUnavailable), Title: "Client Closed Request",
			Status: statusClientClosed, Detail: "the request was abandoned before it was answered"}, nil, 0
	}
	var pe *postal.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &pe):
		status := statusOf(pe.Code)
		p := Problem{Type: problemType(pe.Code), Title: http.StatusText(status), Status: status, Detail: pe.Message, Errors: pe.Fields}
		if pe.Code == postal.CodeInternal {
			return a.internal(err, c)
		}
		if pe.Code == postal.CodeUnavailable {
			logger(c).Warn("dependency unavailable", "error", err.Error())
		}
		return status, p, pe.Extra, retrySeconds(pe)
	case errors.As(err, &he) && he.Code < 500:
		code := codeOf(he.Code)
		detail := http.StatusText(he.Code)
		if he.Code == http.StatusRequestEntityTooLarge {
			detail = "request body too large"
		}
		return he.Code, Problem{Type: problemType(code), Title: http.StatusText(he.Code), Status: he.Code, Detail: detail}, nil, 0
	}
	return a.internal(err, c)
}

func (a *api) internal(err error, c echo.Context) (int, Problem, map[string]any, int) {
	id := requestID(c)
	logger(c).Error("internal error", "error", err.Error())
	s := http.StatusInternalServerError
	return s, Problem{Type: problemType(postal.CodeInternal), Title: http.StatusText(s), Status: s,
		Detail: "something went wrong on our side; quote the request id if you report it", RequestID: id}, nil, 0
}

// statusClientClosed is the status logged (and counted) for a request its
// client abandoned (nginx's 499): nobody reads the answer, and the failure
// is not the server's.
const statusClientClosed = 499

// gone reports whether err is the request's own context cancelled because
// its client went away (a tab closed, a deadline in the browser), not a
// failure of ours.
func gone(err error, c echo.Context) bool {
	return errors.Is(err, context.Canceled) && errors.Is(c.Request().Context().Err(), context.Canceled)
}

func retrySeconds(e *postal.Error) int {
	if e.RetryAfter <= 0 {
		if e.Code == postal.CodeUnavailable {
			return 5
		}
		return 0
	}
	return int((e.RetryAfter + 999_999_999) / 1_000_000_000)
}
