package webhook

import (
	"encoding/json"
	"slices"
	"time"

	"dakiya/internal/article"
)

// The event types a subscription may ask for ("*" is all of them).
const (
	TypeBooked         = "article.booked"
	TypeReceived       = "article.received"
	TypeScheduled      = "article.scheduled"
	TypeOutForDelivery = "article.out_for_delivery"
	TypeDelivered      = "article.delivered"
	TypeAttempted      = "article.attempted"
	TypeHeld           = "article.held" // beyond API.md: held at the counter for collection
	TypeReturned       = "article.returned"
	TypeCODCollected   = "article.cod_collected"
	TypePing           = "ping" // sent by hand to test a subscription; every subscription gets it
	All                = "*"
)

// Types lists every type a subscription may name, in the order they happen.
func Types() []string {
	return []string{TypeBooked, TypeReceived, TypeScheduled, TypeOutForDelivery, TypeAttempted, TypeDelivered,
		TypeCODCollected, TypeHeld, TypeReturned}
}

// TypeOf is the webhook type of an article event: rescheduled is
// article.scheduled again (with data.event telling them apart), held at
// the counter is article.held; false for an event partners are not told.
func TypeOf(e article.EventName) (string, bool) {
	t, ok := map[article.EventName]string{
		article.EventBooked: TypeBooked, article.EventReceivedAtDC: TypeReceived,
		article.EventScheduled: TypeScheduled, article.EventRescheduled: TypeScheduled,
		article.EventOutForDelivery: TypeOutForDelivery, article.EventDeliveryAttempted: TypeAttempted,
		article.EventDelivered: TypeDelivered, article.EventHeldAtCounter: TypeHeld,
		article.EventReturnedToSender: TypeReturned,
	}[e]
	return t, ok
}

// Wants reports whether a subscription to events receives type t.
func Wants(events []string, t string) bool {
	return t == TypePing || slices.Contains(events, All) || slices.Contains(events, t)
}

// Envelope is a webhook request's body: {id, type, created_at, data}.
type Envelope struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	CreatedAt time.Time       `json:"created_at"`
	Data      json.RawMessage `json:"data"`
}

// Data is an article event's data: the article, its status after the
// event, our event name, when and where it happened, and what the type
// adds (a failed attempt's reason, a delivery's proofs, the COD collected).
type Data struct {
	ArticleID  string    `json:"article_id"`
	Status     string    `json:"status"`
	Event      string    `json:"event"`
	At         time.Time `json:"at"`
	Place      string    `json:"place"`
	ReasonCode string    `json:"reason_code,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	// ProofOfDelivery names a delivery's proofs; as stored only id and
	// kind, and the sender adds a fresh url and expires_at to each when it
	// sends (so the link is valid 24 h from when the receiver gets it).
	ProofOfDelivery []Proof `json:"proof_of_delivery,omitempty"`
	COD             *COD    `json:"cod,omitempty"`
}

// Proof is one proof-of-delivery image of a delivered event.
type Proof struct {
	ProofID   string     `json:"proof_id"`
	Kind      string     `json:"kind"` // photo or signature
	URL       string     `json:"url,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// COD is the cash or UPI payment a delivery collected.
type COD struct {
	Mode        string `json:"mode"` // cash or upi
	AmountPaise int64  `json:"amount_paise"`
}

// EventData returns the data of an article event.
func EventData(articleID string, e article.Event) Data {
	d := Data{ArticleID: articleID, Status: string(e.Status), Event: string(e.Event), At: e.At.UTC(), Place: e.Place,
		ReasonCode: e.ReasonCode}
	if e.ReasonCode != "" {
		d.Reason, _ = article.Reason(e.ReasonCode)
	}
	return d
}

// Body renders an envelope.
func Body(id, typ string, createdAt time.Time, data any) ([]byte, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	return json.Marshal(Envelope{ID: id, Type: typ, CreatedAt: createdAt.UTC(), Data: raw})
}
