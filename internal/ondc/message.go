// Package ondc makes Dakiya a logistics service provider (LSP, a "BPP") on
// ONDC's logistics network, LOG11 P2H2P version 1.2.5: it checks a buyer
// app's signed Beckn request (search, init, confirm, status, track, cancel,
// update), answers at once with ACK or NACK, and writes the on_* callback
// to the outbox, from where it is signed and POSTed to the buyer app's
// bap_uri. It also renders the unsolicited on_status sent when an ONDC
// order's article changes fulfillment state.
//
// Decisions:
//   - A buyer app is a partner: the registry file (DAKIYA_ONDC_REGISTRY, a
//     JSON array of {subscriber_id, unique_key_id, signing_public_key,
//     partner_id}) lists its signing keys and names the partner its bap_id
//     books and is billed as. The signature is the credential (the signer
//     must be the request's bap_id); the partner must also hold a live API
//     key with the ondc scope, so an admin turns a buyer app off by revoking
//     it (its secret is never sent: Beckn has no place for it).
//   - The delivery OTP: the buyer app's code (update's end.authorization,
//     or a static code in end.instructions code 5) is recorded and echoed in
//     end.authorization of every later document, as the spec places it. At
//     the door the postman still checks the recipient's own one-time code,
//     sent by SMS to the number on file (DOMAIN.md's OTP rules); our code is
//     never given to the buyer app.
//   - An ONDC order's article is booked Pending at confirm, for the centre
//     whose beat serves the drop-off PIN, and is At-destination-hub once
//     received there; a cancellation (only before dispatch) returns it to
//     sender with reason 41.
package ondc

// This file holds the Beckn envelope: context, ACK and NACK.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"time"
)

// The protocol this adapter speaks.
const (
	Domain      = "ONDC:LOG11"
	CoreVersion = "1.2.5"
	Country     = "IND"
)

// TimeLayout is how timestamps are written (RFC 3339, UTC, milliseconds).
const TimeLayout = "2006-01-02T15:04:05.000Z"

// Stamp formats t as a Beckn timestamp.
func Stamp(t time.Time) string { return t.UTC().Format(TimeLayout) }

// Context is a Beckn message's context.
type Context struct {
	Domain        string `json:"domain"`
	Country       string `json:"country"`
	City          string `json:"city"`
	Action        string `json:"action"`
	CoreVersion   string `json:"core_version"`
	BapID         string `json:"bap_id"`
	BapURI        string `json:"bap_uri"`
	BppID         string `json:"bpp_id,omitempty"`
	BppURI        string `json:"bpp_uri,omitempty"`
	TransactionID string `json:"transaction_id"`
	MessageID     string `json:"message_id"`
	Timestamp     string `json:"timestamp"`
	TTL           string `json:"ttl,omitempty"`
}

// Request is an inbound Beckn request: its context and its message, kept
// raw until the action's handler reads it.
type Request struct {
	Context Context         `json:"context"`
	Message json.RawMessage `json:"message"`
}

// Error is a Beckn error object; Code is one of errors.yaml.
type Error struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

// Error makes *Error an error, so handlers can return one.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// The error codes of errors.yaml this adapter answers with.
const (
	ErrPickupNotServiceable = "60001"
	ErrDropNotServiceable   = "60002"
	ErrInvalidSignature     = "60005"
	ErrInvalidRequest       = "60006"
	ErrCancelNotPossible    = "60007"
	ErrCancelReasonInvalid  = "60009"
	ErrTrackingNotEnabled   = "60012"
	ErrFeatureNotSupported  = "61001"
	ErrConfirmFailed        = "65001"
	ErrStaleRequest         = "65003"
	ErrInternal             = "66001"
	ErrOrderValidation      = "66002"
	ErrOrderNotFound        = "66004"
	ErrQuoteUnavailable     = "66005"
)

// Errorf makes a Beckn error of type typ and code.
func Errorf(typ, code, format string, args ...any) *Error {
	return &Error{Type: typ, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Ack is the immediate answer to a request.
type Ack struct {
	Message struct {
		Ack struct {
			Status string `json:"status"`
		} `json:"ack"`
	} `json:"message"`
	Error *Error `json:"error,omitempty"`
}

// ACK is the answer to a request we accepted.
func ACK() Ack {
	var a Ack
	a.Message.Ack.Status = "ACK"
	return a
}

// NACK is the answer to a request we refuse, with why.
func NACK(e *Error) Ack {
	var a Ack
	a.Message.Ack.Status = "NACK"
	a.Error = e
	return a
}

// Actions lists the requests we serve and the callback each one gets.
var actions = map[string]string{
	"search": "on_search", "init": "on_init", "confirm": "on_confirm", "status": "on_status",
	"track": "on_track", "cancel": "on_cancel", "update": "on_update",
}

// Callback returns the on_* action answering action, and whether we serve it.
func Callback(action string) (string, bool) {
	cb, ok := actions[action]
	return cb, ok
}

// MaxTTL is the outer limit the protocol sets on a request's ttl.
const MaxTTL = 30 * time.Second

var isoDuration = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// ParseDuration reads the ISO 8601 durations Beckn uses (P1D, PT30S, PT1H30M).
func ParseDuration(s string) (time.Duration, bool) {
	m := isoDuration.FindStringSubmatch(s)
	if m == nil || s == "P" || s == "PT" {
		return 0, false
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if m[i+1] != "" {
			n, err := strconv.Atoi(m[i+1])
			if err != nil {
				return 0, false
			}
			d += time.Duration(n) * unit
		}
	}
	return d, true
}

// checkContext validates a request's context for action at now; dev allows
// http and loopback bap_uris.
func checkContext(c Context, action string, now time.Time) *Error {
	bad := func(format string, args ...any) *Error {
		return Errorf("CONTEXT-ERROR", ErrInvalidRequest, format, args...)
	}
	switch {
	case c.Domain != Domain:
		return bad("context.domain must be %s", Domain)
	case c.CoreVersion != CoreVersion:
		return bad("context.core_version must be %s", CoreVersion)
	case c.Action != action:
		return bad("context.action must be %s, the path's action", action)
	case c.Country != Country:
		return bad("context.country must be %s", Country)
	case c.City == "" || len(c.City) > 32:
		return bad("context.city is required")
	case !idLike(c.BapID):
		return bad("context.bap_id is required")
	case !idLike(c.TransactionID) || !idLike(c.MessageID):
		return bad("context.transaction_id and context.message_id are required")
	}
	if u, err := url.Parse(c.BapURI); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(c.BapURI) > 500 {
		return bad("context.bap_uri must be an http(s) URL")
	}
	ts, err := time.Parse(time.RFC3339Nano, c.Timestamp)
	if err != nil {
		return bad("context.timestamp must be RFC 3339")
	}
	ttl := MaxTTL
	if c.TTL != "" {
		d, ok := ParseDuration(c.TTL)
		if !ok || d <= 0 || d > MaxTTL {
			return bad("context.ttl must be an ISO 8601 duration of at most PT30S")
		}
		ttl = d
	}
	if ts.After(now.Add(maxSkew)) || now.After(ts.Add(ttl)) {
		return Errorf("CONTEXT-ERROR", ErrStaleRequest, "the request's timestamp plus ttl has passed (or lies in the future)")
	}
	return nil
}

func idLike(s string) bool { return s != "" && len(s) <= 200 }
