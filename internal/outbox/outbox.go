// Package outbox is the transactional outbox's vocabulary: a message owed
// to a partner system, written in the transaction of the change it reports
// and sent later by a dispatcher until it is delivered or dead-lettered.
package outbox

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Kind picks the sender of a message.
type Kind string

// The kinds of message.
const (
	KindWebhook Kind = "webhook" // target: a webhook subscription id
	KindONDC    Kind = "ondc"    // target: an ONDC order id
)

// State is where a message is in its life.
type State string

// The states of a message.
const (
	StatePending   State = "pending"
	StateDelivered State = "delivered"
	StateDead      State = "dead"
)

// Message is one message owed to a partner system.
type Message struct {
	ID        string // unique; receivers drop repeats by it
	PartnerID string
	Kind      Kind
	Target    string
	// OrderKey's messages are sent one at a time in Seq order.
	OrderKey  string
	Seq       int64
	EventType string
	Body      []byte // JSON as written; empty when the sender renders it at send time
	State     State
	Attempts  int
	NextAt    time.Time
	CreatedAt time.Time
	// FirstAt is when the current run of attempts began (zero before its
	// first attempt; a manual redelivery starts a new run).
	FirstAt time.Time
}

// Sender turns a due message into the HTTP request for its receiver, at
// send time: it renders the body when the message holds none, and signs
// it (a webhook's HMAC, an ONDC callback's Ed25519 signature) with now, so
// a retry a day later carries a fresh signature. The dispatcher sends the
// request with its own client (which refuses private addresses in
// production) and judges the answer: 2xx is delivered.
type Sender interface {
	Request(ctx context.Context, m Message, now time.Time) (*http.Request, error)
}

// ErrGone is what a Sender returns (wrapped) when the message can never be
// sent: its subscription was deleted, its order cancelled. The dispatcher
// dead-letters such a message at once instead of retrying it.
var ErrGone = errors.New("outbox: the message's receiver is gone")

// Attempt is one try at sending a message, as the delivery log shows it.
type Attempt struct {
	N          int       `json:"n"`
	At         time.Time `json:"at"`
	Status     int       `json:"status"`          // the receiver's HTTP status; 0 when none came
	Error      string    `json:"error,omitempty"` // why it failed, when it did
	DurationMS int64     `json:"duration_ms"`
}

// Result is how an attempt ended and what becomes of its message: State
// delivered or dead, or pending again from NextAt.
type Result struct {
	MessageID string
	Attempt   Attempt
	State     State
	NextAt    time.Time
}
