// Package otp owns the recipient's one-time code at the door: issuing a
// code from a random per-article HOTP seed (sealed at rest) when a manifest
// is dispatched, sending it by SMS in English and Hindi, verifying it with
// throttling and lock-out, resending, the offline check value, and judging
// the code an offline delivery carries when it syncs.
package otp

import (
	"context"
	"time"

	"dakiya/internal/notify"
	"dakiya/internal/postal"
)

// Policy holds the limits of the delivery code.
type Policy struct {
	MaxAttempts     int           // wrong tries before the article locks
	MaxResends      int           // resends per article, each a new code
	Grace           time.Duration // after the slot's end, before the code expires
	PostmanWrongMax int           // wrong codes one postman may enter across articles…
	PostmanWindow   time.Duration // …in this window, before 429
}

// DefaultPolicy is DESIGN.md's: 5 tries, 3 resends, valid until two hours
// after the slot ends, and 30 wrong codes an hour per postman.
func DefaultPolicy() Policy {
	return Policy{MaxAttempts: 5, MaxResends: 3, Grace: 2 * time.Hour, PostmanWrongMax: 30, PostmanWindow: time.Hour}
}

// State is an article's code as stored.
type State struct {
	ArticleID  string
	Sealed     string // the seed, sealed
	Counter    uint64 // HOTP counter: 0, then one more per resend
	Resends    int
	Attempts   int // wrong tries since the last code or unlock
	LockedAt   *time.Time
	ConsumedAt *time.Time // when a delivery used it
	ExpiresAt  time.Time
	Check      string
}

// Issued is a new code ready to store: its state, and the SMS that tells
// the recipient (the code itself exists only sealed in the SMS, rendered
// when it is sent).
type Issued struct {
	State State
	SMS   notify.Message
}

// Holding says who holds an article now and where it is.
type Holding struct {
	ArticleID string
	DCID      string
	DCName    string
	PostmanID string // of the latest dispatched manifest it is on; "" if none
	Out       bool   // status out_for_delivery
	Service   postal.Service
	Phone     string
	Window    [2]time.Time // of that manifest's slot
	// ManifestID, Date and Slot name that manifest.
	ManifestID string
	Date       string
	Slot       postal.Slot
}

// HeldBy reports whether p is the postman holding the article: it is out
// for delivery on p's dispatched manifest. Only they act on it at the door.
func (h Holding) HeldBy(p postal.Principal) bool {
	return p.Role == postal.RolePostman && h.PostmanID != "" && h.PostmanID == p.UserID && h.Out
}

// Store is what otp needs from the database.
type Store interface {
	OTP(ctx context.Context, articleID string) (State, error)
	Holding(ctx context.Context, articleID string) (Holding, error)
	// TimeZone returns a centre's time zone.
	TimeZone(ctx context.Context, dcID string) (string, error)
	// WrongOTP counts a wrong try against the article (locking it at max)
	// and against the postman, in one transaction, returning the tries.
	WrongOTP(ctx context.Context, articleID, postmanID string, at time.Time, max int) (int, error)
	PostmanWrongOTPs(ctx context.Context, postmanID string, since time.Time) (int, time.Time, error)
	// ReissueOTP replaces an article's code (a resend) if it is still at
	// counter from, and queues its SMS, in one transaction.
	ReissueOTP(ctx context.Context, from uint64, next Issued) error
	UnlockOTP(ctx context.Context, articleID string) error
}
