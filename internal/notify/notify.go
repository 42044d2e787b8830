// Package notify owns the SMS queue: the messages recipients get (an OTP at
// dispatch, a link to choose a slot), the worker that sends them, and the two
// transports, the development outbox and an HTTP SMS gateway.
//
// A message is queued in the database, in the same transaction as the change
// that causes it, and sent later by a Worker, so a gateway outage delays an
// SMS but never loses it. Any number of workers, in any number of replicas,
// may run at once:
//
//   - A worker claims due messages by taking a lease on them (an owner id and
//     an expiry). On PostgreSQL the claim locks its rows with FOR UPDATE SKIP
//     LOCKED, so concurrent claims never take the same message; SQLite has a
//     single writer, so one UPDATE … RETURNING is enough.
//   - Only the lease owner can record the outcome (sent, retry later, failed).
//     A worker whose lease was taken over is told so and records nothing.
//   - Each send has a deadline shorter than the lease, and a pass hands back
//     the messages it has no lease time left for, so while no worker crashes
//     or stalls (and replicas' clocks roughly agree, since leases are in
//     wall-clock time) a message is sent exactly once.
//   - If a worker dies after the gateway accepted a message but before it
//     recorded that, the lease expires and another worker sends the message
//     again. Delivery to the gateway is therefore at least once; every
//     request carries the message id as its Idempotency-Key, so the gateway
//     drops the repeat and the recipient gets one SMS.
//
// Failed sends are retried with exponential backoff and jitter up to a
// maximum number of attempts; a gateway that refuses a message outright
// (a 4xx other than 408 and 429) fails it at once.
package notify

import (
	"context"
	"time"
)

// The states of a queued message.
const (
	StatusQueued = "queued" // waiting to be sent, or to be retried
	StatusSent   = "sent"   // accepted by the transport
	StatusFailed = "failed" // refused, or out of attempts; never retried
)

// The kinds of message, for support and statistics.
const (
	KindOTP      = "otp"       // the delivery code, sent at dispatch and on resend
	KindSlotLink = "slot_link" // the link to choose a delivery slot
)

// Message is one SMS to one phone.
type Message struct {
	ID        string     `json:"id"`                   // also the gateway's Idempotency-Key
	Phone     string     `json:"phone"`                // E.164, +91…
	Body      string     `json:"body"`                 // stored with Slot for its sealed secret; rendered, it may hold an OTP: never log it
	Sealed    string     `json:"-"`                    // the secret (a code), sealed; "" when the body is all there is
	Kind      string     `json:"kind"`                 // otp, slot_link
	ArticleID string     `json:"article_id,omitempty"` // empty when the message is about no article
	DedupeKey string     `json:"-"`                    // empty, or a key that makes enqueueing idempotent
	Status    string     `json:"status"`
	Attempts  int        `json:"attempts"` // sends tried so far
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	LastError string     `json:"last_error,omitempty"`
}

// NewMessage returns a queued message created at now. dedupeKey, when not
// empty, makes a second message with the same key a no-op at enqueue time.
func NewMessage(id, phone, body, kind, articleID, dedupeKey string, now time.Time) Message {
	return Message{
		ID: id, Phone: phone, Body: body, Kind: kind, ArticleID: articleID, DedupeKey: dedupeKey,
		Status: StatusQueued, CreatedAt: now.UTC(),
	}
}

// Sender hands one message to a transport. A nil error means the transport
// accepted it. A *PermanentError means retrying cannot help; any other error
// is retried.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Store is the queue the Worker works. *store.DB implements it. Every method
// that records an outcome succeeds only while owner holds the message's
// lease and reports false otherwise.
type Store interface {
	// ClaimSMS leases up to limit due, unleased (or lease-expired) queued
	// messages to owner until now+lease, oldest first.
	ClaimSMS(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]Message, error)
	// MarkSMSSent records a successful send, counting it as an attempt.
	MarkSMSSent(ctx context.Context, id, owner string, at time.Time) (bool, error)
	// RetrySMS sets the attempts made so far and the time of the next one,
	// and releases the lease.
	RetrySMS(ctx context.Context, id, owner string, attempts int, next time.Time, lastErr string) (bool, error)
	// FailSMS records a final failed attempt; the message is never sent.
	FailSMS(ctx context.Context, id, owner string, lastErr string) (bool, error)
	// LatestSMS lists a phone's messages, newest first.
	LatestSMS(ctx context.Context, phone string, limit int) ([]Message, error)
}

// OutboxSender is the development transport: the sms table is the outbox,
// read back through LatestSMS, so sending succeeds at once.
type OutboxSender struct{}

// Send accepts every message.
func (OutboxSender) Send(context.Context, Message) error { return nil }
