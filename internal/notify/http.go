package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dakiya/internal/postal"
)

// DefaultHTTPTimeout bounds one request to the SMS gateway when
// NewHTTPSender makes the client. The Worker also gives every send a
// deadline shorter than its lease.
const DefaultHTTPTimeout = 10 * time.Second

// HTTPSender posts messages to an SMS gateway as JSON {"id","to","body"},
// with "Authorization: Bearer Key" and "Idempotency-Key: <message id>", so
// that a message sent again after a crash is dropped by the gateway.
//
// A 2xx answer means sent. 408, 429, 5xx, timeouts and network errors are
// retried (with the gateway's Retry-After, in seconds, as the least wait);
// any other 4xx is a *PermanentError.
type HTTPSender struct {
	URL    string
	Key    string
	Client *http.Client // nil means http.DefaultClient
}

// NewHTTPSender returns a sender for the gateway at url with its own client.
func NewHTTPSender(url, key string) *HTTPSender {
	return &HTTPSender{URL: url, Key: key, Client: &http.Client{Timeout: DefaultHTTPTimeout}}
}

// PermanentError is a send failure that retrying cannot fix, such as a
// gateway refusing a malformed number. The Worker fails the message at once.
type PermanentError struct {
	Err error
}

// Error implements error.
func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *PermanentError) Unwrap() error { return e.Err }

// IsPermanent reports whether err, or an error it wraps, is a
// *PermanentError.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// gatewayRequest is the JSON body the gateway receives.
type gatewayRequest struct {
	ID   string `json:"id"`
	To   string `json:"to"`
	Body string `json:"body"`
}

// Send posts m to the gateway.
func (s *HTTPSender) Send(ctx context.Context, m Message) error {
	req, err := s.request(ctx, m)
	if err != nil {
		// A bad URL is a configuration error: keep the message for after the fix.
		return postal.Wrap(fmt.Errorf("notify: gateway request: %w", err), postal.CodeInternal, "sms gateway misconfigured")
	}
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return postal.Wrap(fmt.Errorf("notify: gateway: %w", err), postal.CodeUnavailable, "sms gateway unreachable")
	}
	defer resp.Body.Close()
	return answerError(resp)
}

func (s *HTTPSender) request(ctx context.Context, m Message) (*http.Request, error) {
	body, err := json.Marshal(gatewayRequest{ID: m.ID, To: m.Phone, Body: m.Body})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", m.ID)
	if s.Key != "" {
		req.Header.Set("Authorization", "Bearer "+s.Key)
	}
	return req, nil
}

// answerError turns the gateway's answer into nil, a retryable error or a
// *PermanentError.
func answerError(resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		return nil
	}
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	err := fmt.Errorf("notify: gateway answered %s: %s", resp.Status, strings.TrimSpace(string(snippet)))
	if retryable(resp.StatusCode) {
		e := postal.Wrap(err, postal.CodeUnavailable, "sms gateway unavailable")
		e.RetryAfter = retryAfterHeader(resp.Header.Get("Retry-After"))
		return e
	}
	return &PermanentError{Err: postal.Wrap(err, postal.CodeUnprocessable, "sms gateway refused the message")}
}

// retryable tells the statuses worth another try: timeouts, throttling,
// server errors, and anything that is neither success nor a client error.
func retryable(status int) bool {
	return status == http.StatusRequestTimeout || status == http.StatusTooManyRequests ||
		status < 400 || status >= 500
}

// retryAfterHeader reads a Retry-After given in seconds; the HTTP-date form
// would need the wall clock and is ignored.
func retryAfterHeader(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}
