package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/minio/minio-go/v7"

	"dakiya/internal/postal"
)

// retryAfter is what a client is told to wait when the store is down.
const retryAfter = 5 * time.Second

// classify wraps err with the operation's name and gives it a postal code:
// a missing object or bucket is not found, an unreachable, silent or failing
// server is unavailable, refused credentials are our misconfiguration.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	wrapped := fmt.Errorf("objstore: %s: %w", op, err)
	var resp minio.ErrorResponse
	if !errors.As(err, &resp) {
		if isTransport(err) {
			return unavailable(wrapped)
		}
		return wrapped
	}
	switch {
	case resp.Code == "NoSuchBucket":
		return postal.Wrap(wrapped, postal.CodeNotFound, "bucket not found")
	case resp.Code == "NoSuchKey" || resp.StatusCode == http.StatusNotFound:
		return postal.Wrap(wrapped, postal.CodeNotFound, "object not found")
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || resp.Code == "SlowDown":
		return unavailable(wrapped)
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized:
		return postal.Wrap(wrapped, postal.CodeInternal, "object store refused our credentials (access key, secret key or region misconfigured)")
	case resp.Code == "ConditionalRequestConflict":
		return postal.Wrap(wrapped, postal.CodeConflict, "object write in progress")
	}
	return wrapped
}

func unavailable(err error) error {
	e := postal.Wrap(err, postal.CodeUnavailable, "object store unavailable")
	e.RetryAfter = retryAfter
	return e
}

// isTransport reports a failure to get an answer at all: refused or reset
// connections, DNS, timeouts, a body cut short. A caller's own cancellation
// is not an outage and is left unclassified.
func isTransport(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var urlErr *url.Error
	var netErr net.Error
	return errors.As(err, &urlErr) || errors.As(err, &netErr) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF)
}

// isPreconditionFailed reports a conditional put refused because the key
// already exists.
func isPreconditionFailed(err error) bool {
	var resp minio.ErrorResponse
	return errors.As(err, &resp) &&
		(resp.StatusCode == http.StatusPreconditionFailed || resp.Code == "PreconditionFailed")
}

// hasCode reports whether err is an S3 error with the given code.
func hasCode(err error, code string) bool {
	var resp minio.ErrorResponse
	return errors.As(err, &resp) && resp.Code == code
}
