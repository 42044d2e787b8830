// Package otp owns the recipient's one-time code at the door: issuing a
// code from a random HOTP seed (sealed at rest) when a manifest is
// dispatched, one per recipient per stop for all their coded articles there,
// sending it by one SMS in English and Hindi, verifying it with
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

// State is an article's code as stored. The code belongs to the article's
// group (the coded articles of one stop of one manifest for the same
// recipient phone, often just one): the seed, counter, tries, lock,
// resends, expiry and check are the group's, shared by its articles; only
// ConsumedAt is the article's own.
type State struct {
	ArticleID  string // the article the state was read for; "" for a new group
	GroupID    string
	Sealed     string // the seed, sealed bound to GroupID
	Counter    uint64 // HOTP counter: 0, then one more per resend
	Resends    int
	Attempts   int // wrong tries since the last code or unlock, on any article of the group
	LockedAt   *time.Time
	ConsumedAt *time.Time // when the article's delivery used it
	ExpiresAt  time.Time
	Check      string
}

// Issued is a new code ready to store: its group's state, the articles it
// covers, and the one SMS that tells the recipient (the code itself exists
// only sealed in the SMS, rendered when it is sent).
type Issued struct {
	State    State
	Articles []string
	SMS      notify.Message
}

// Holding says who holds an article now and where it is: its custody,
// the one answer every action at the door asks for. Only dispatch, an
// amendment, the counter and the outcome change it; a resend, a check
// refresh or an amendment of another article never does.
type Holding struct {
	ArticleID string
	DCID      string
	DCName    string
	// PostmanID is the custodian of the article's current assignment, or,
	// once that assignment ended with its outcome, of that outcome; "" if
	// the article is on no assignment or was taken back from it.
	PostmanID string
	Out       bool // in custody now, and out_for_delivery
	Done      bool // the assignment ended with its outcome
	// Taken says whose custody ended other than by its outcome, why and
	// when: an amendment, the counter or another move.
	Taken   postal.Taken
	Service postal.Service
	Phone   string
	Window  [2]time.Time // of that manifest's slot
	// AssignmentID names the custody period; Since is when it began (the
	// dispatch or the amendment that sent the article out).
	AssignmentID string
	Since        time.Time
	// ManifestID, Date and Slot name the assignment's manifest.
	ManifestID string
	Date       string
	Slot       postal.Slot
}

// HeldBy reports whether p is the postman holding the article: it is out
// for delivery in p's custody. Only they act on it at the door.
func (h Holding) HeldBy(p postal.Principal) bool {
	return p.Role == postal.RolePostman && h.PostmanID != "" && h.PostmanID == p.UserID && h.Out
}

// NotHeld is the answer to p acting on an article they do not hold: not
// found, with why and when to the postman it was taken from.
func (h Holding) NotHeld(p postal.Principal) error {
	return h.Taken.NotFound(p)
}

// TryRequest asks for one try at an article's code, which counts against
// the article's group.
type TryRequest struct {
	ArticleID    string
	GroupID      string
	PostmanID    string
	Counter      uint64 // the code the try is for; a resend meanwhile refuses it
	At           time.Time
	MaxTries     int       // per group, Policy.MaxAttempts
	PostmanMax   int       // wrong codes per postman…
	PostmanSince time.Time // …counted from here
}

// Why a try was refused.
const (
	RefusedArticle = "article" // its group locked, the article's code used, or the code changed
	RefusedPostman = "postman" // the postman's wrong codes reached the limit
)

// Try is a reserved try, or why there is none.
type Try struct {
	Attempt string    // names the reservation, to give it back
	Tries   int       // the group's tries, this one included
	Refused string    // "" when reserved
	Oldest  time.Time // of the postman's wrong codes, when RefusedPostman
}

// Store is what otp needs from the database.
type Store interface {
	OTP(ctx context.Context, articleID string) (State, error)
	Holding(ctx context.Context, articleID string) (Holding, error)
	// TimeZone returns a centre's time zone.
	TimeZone(ctx context.Context, dcID string) (string, error)
	// ReserveTry counts a try against the article's group (locking it at
	// the last) and against the postman BEFORE the code is compared,
	// checking both limits in the same atomic step.
	ReserveTry(ctx context.Context, r TryRequest) (Try, error)
	// ReturnTry gives back a reserved try whose code was right.
	ReturnTry(ctx context.Context, groupID string, counter uint64, attempt string) error
	// UnlockOTP clears a group's wrong tries.
	UnlockOTP(ctx context.Context, groupID string) error
	// GroupArticles lists the articles a group's code still serves: still
	// out in custody, their delivery not yet recorded, in id order.
	GroupArticles(ctx context.Context, groupID string) ([]string, error)
}

// Reissue stores a resent code if the group's code is still at counter
// from, queues its SMS and puts its new check value on every article of
// the group on the manifest of the article's custody, all in one transaction, without changing custody
// (manifest.Service.Reissue does).
type Reissue func(ctx context.Context, h Holding, from uint64, next Issued) error
