// Package idem gives phones' state-changing requests exactly-once effects:
// the first completed response for an Idempotency-Key is stored (in the
// same transaction as the change it made) and replayed for every retry
// with the same key and body; the same key with another body is refused;
// a retry while the first request still runs is told to wait.
package idem

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"time"

	"dakiya/internal/postal"
)

// Outcomes of Begin.
const (
	New      = iota + 1 // run the request; finish the key with its response
	Replay              // answer with the stored response
	InFlight            // the first request with this key is still running
	Mismatch            // the key was used for another request
)

// Began is what Begin found for a key.
type Began struct {
	State  int
	Status int
	Body   []byte
}

// Completion is the response to store for a key; the domain transaction
// that makes the change writes it, so the change and its answer commit
// together.
type Completion struct {
	Owner  string
	Key    string
	Status int
	Body   []byte
}

// Store keeps keys.
type Store interface {
	// BeginIdempotent claims a key for a request, or reports what it
	// holds. A claim older than stale whose request never finished (its
	// server died) is taken over.
	BeginIdempotent(ctx context.Context, owner, key, hash string, now time.Time, stale time.Duration) (Began, error)
	// FinishIdempotent stores a response outside any other transaction
	// (for a final refusal).
	FinishIdempotent(ctx context.Context, c Completion, at time.Time) error
	// AbandonIdempotent releases a claim so a retry runs the request again
	// (after a failure that may pass, such as an outage).
	AbandonIdempotent(ctx context.Context, owner, key string) error
}

// Stale is how long a claim may run before a retry takes it over: longer
// than any request runs (they are cut at 30 s), short enough that a phone
// whose server died mid-request is not kept waiting long.
const Stale = 45 * time.Second

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// CheckKey validates an Idempotency-Key header: a UUID, required.
func CheckKey(key string) error {
	if !uuidPattern.MatchString(key) {
		return postal.Invalid("an Idempotency-Key header with a UUID is required",
			postal.FieldError{Field: "Idempotency-Key", Message: "a UUID made by the phone for this action"})
	}
	return nil
}

// Hash fingerprints a request: method, path and body.
func Hash(method, path string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(method + " " + path + "\n"))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Final reports whether an error status is a final answer to store and
// replay (a refusal the same request will always get) rather than one a
// retry may get past: 408, 409, 423, 429 and 5xx are not final.
func Final(status int) bool {
	switch status {
	case 408, 409, 423, 429:
		return false
	}
	return status >= 400 && status < 500
}
