// Package idem gives phones' state-changing requests exactly-once effects:
// the first completed response for an Idempotency-Key is stored (in the
// same transaction as the change it made) and replayed for every retry
// with the same key and body; the same key with another body is refused;
// a retry while the first request still runs is told to wait.
//
// The HTTP layer owns the claim, the replay, the final refusals and the
// release of a claim; a domain service only receives a Receipt, renders
// its result into a Completion with it, and hands that to the store to
// write in the transaction that makes the change.
package idem

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
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
// together. A Completion without a Key stores nothing.
type Completion struct {
	Owner  string
	Key    string
	Status int
	Body   []byte
}

// Receipt is a claimed key as a domain service sees it: who claimed it
// and the status its route answers on success. The zero Receipt (no key)
// renders Completions that store nothing.
type Receipt struct {
	Owner  string
	Key    string
	Status int
}

// Complete renders the answer to store for a successful result: the
// route's status and the result as JSON, exactly as the route sends it
// (ending in a newline, as every JSON answer of the API does).
func (r Receipt) Complete(result any) (Completion, error) {
	body, err := json.Marshal(result)
	if err != nil {
		return Completion{}, fmt.Errorf("idem: render answer: %w", err)
	}
	return Completion{Owner: r.Owner, Key: r.Key, Status: r.Status, Body: append(body, '\n')}, nil
}

// Store keeps keys.
type Store interface {
	// BeginIdempotent claims a key for a request, or reports what it
	// holds. A claim older than stale whose request never finished (its
	// server died) is taken over.
	BeginIdempotent(ctx context.Context, owner, key, hash string, now time.Time, stale time.Duration) (Began, error)
	// FinishIdempotent stores a response outside any other transaction
	// (for a final refusal), unless the key already holds one.
	FinishIdempotent(ctx context.Context, c Completion, at time.Time) error
	// AbandonIdempotent releases a claim so a retry runs the request again
	// (after a failure that may pass, such as an outage).
	AbandonIdempotent(ctx context.Context, owner, key string) error
}

// RunBudget bounds a claimed request's work. Every route reads its whole
// body before it claims a key (the fingerprint needs it), so the budget
// covers only the server's own work, which takes milliseconds; a request
// that cannot finish in it (its database or object store hangs) fails as
// an outage and releases its claim.
const RunBudget = 15 * time.Second

// Stale is how long a claim may stay unfinished before a retry takes it
// over: the run budget, after which the claimant can no longer commit,
// plus a margin for its last statement and for the replicas' clocks
// (created_at is the claimant's time, compared with the taker's). No
// claim is taken over while its request may still commit, and a phone
// whose replica died holding its key (SIGKILL, a lost machine) waits at
// most this long; with 30 s and 45 s before, the chaos run measured the
// 45 s wait.
const Stale = RunBudget + 5*time.Second

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// CheckKey validates an Idempotency-Key header (a UUID, required) and
// returns it in lowercase: a UUID is a UUID whatever its case, so the
// same key in either case finds the same claim.
func CheckKey(key string) (string, error) {
	if !uuidPattern.MatchString(key) {
		return "", postal.Invalid("an Idempotency-Key header with a UUID is required",
			postal.FieldError{Field: "Idempotency-Key", Message: "a UUID made by the phone for this action"})
	}
	return strings.ToLower(key), nil
}

// Hash fingerprints a request: method, path and body.
func Hash(method, path string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(method + " " + path + "\n"))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Final reports whether a failure is a final answer to store and replay
// (a refusal the same request will always get) rather than one a retry
// may get past. Finality is the error's code, not its status: an
// already-done action (409) and exhausted attempts (423) are final, while
// a conflict that may pass (409: a key in flight, a state changed
// meanwhile), a rate limit, an outage and an unclassified failure are not.
func Final(err error) bool {
	if err == nil {
		return false
	}
	switch postal.ErrorCode(err) {
	case postal.CodeInvalid, postal.CodeForbidden, postal.CodeNotFound, postal.CodeTooLarge,
		postal.CodeUnsupported, postal.CodeUnprocessable, postal.CodeLocked, postal.CodeAlreadyDone:
		return true
	}
	return false
}
