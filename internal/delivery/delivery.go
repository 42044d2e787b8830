// Package delivery owns what happens at the door: the outcome a postman's
// phone submits (delivered or a failed attempt), checked and recorded
// exactly once in one transaction with its tracking events, the code's
// consumption, the proofs it names and the flags a supervisor should look
// at; failed attempts and returns to sender; and the supervisor's review.
package delivery

import (
	"context"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/idem"
	"dakiya/internal/notify"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
)

// Outcomes.
const (
	Delivered = "delivered"
	Failed    = "failed"
)

// Flags a supervisor reviews.
const (
	FlagFar          = "far_from_address"
	FlagMissingProof = "missing_proof"
	FlagClockSkew    = "clock_skew"
	FlagCODShort     = "cod_short"
	FlagNoLocation   = "no_location"
	// FlagStaleFix: the position was fixed before the stop was opened
	// (or, when the phone does not say when it opened it, well before the
	// capture): likely the previous door's.
	FlagStaleFix = "stale_fix"
)

// Evidence is the ID a recipient showed instead of a code (Post Office
// Regulations 2024, reg. 54).
type Evidence struct {
	Type       string `json:"type"`
	Last4      string `json:"last4"`
	ReceivedBy string `json:"received_by"`
}

// Location is where the phone was, with its accuracy and when the fix was
// taken (FixAt, absent from older phones).
type Location struct {
	Lat       float64    `json:"lat"`
	Lon       float64    `json:"lon"`
	AccuracyM float64    `json:"accuracy_m"`
	FixAt     *time.Time `json:"fix_at,omitempty"`
}

// COD is the money collected at the door.
type COD struct {
	Mode        string `json:"mode"` // cash or upi
	AmountPaise int64  `json:"amount_paise"`
	UPIRef      string `json:"upi_ref,omitempty"`
}

// Input is an outcome as the phone sends it.
type Input struct {
	ArticleID  string    `json:"article_id"`
	Outcome    string    `json:"outcome"`
	ReasonCode string    `json:"reason_code,omitempty"`
	OTP        string    `json:"otp,omitempty"`
	IDEvidence *Evidence `json:"id_evidence,omitempty"`
	ProofIDs   []string  `json:"proof_ids"`
	Location   *Location `json:"location"`
	CapturedAt time.Time `json:"captured_at"`
	COD        *COD      `json:"cod,omitempty"`
	// OpenedAt is when the postman opened the stop's door flow: a fix
	// older than that is the previous door's.
	OpenedAt *time.Time `json:"opened_at,omitempty"`
}

// Result is the answer to a submitted outcome.
type Result struct {
	ID            string         `json:"id"`
	ArticleStatus article.Status `json:"article_status"`
	Flags         []string       `json:"flags"`
}

// Summary is a recorded outcome in brief: what a phone that sends the
// same outcome again is told, with a final 409.
type Summary struct {
	ID            string         `json:"id"`
	Outcome       string         `json:"outcome"`
	ArticleStatus article.Status `json:"article_status"`
	Flags         []string       `json:"flags"`
}

// Delivery is a recorded outcome.
type Delivery struct {
	ID         string         `json:"id"`
	ArticleID  string         `json:"article_id"`
	DCID       string         `json:"dc_id"`
	PostmanID  string         `json:"postman_id"`
	ManifestID string         `json:"manifest_id"`
	Date       string         `json:"date"`
	Slot       postal.Slot    `json:"slot"`
	Outcome    string         `json:"outcome"`
	ReasonCode string         `json:"reason_code,omitempty"`
	OTPGiven   bool           `json:"otp_given"`
	IDEvidence *Evidence      `json:"id_evidence,omitempty"`
	Location   *Location      `json:"location"`
	CapturedAt time.Time      `json:"captured_at"`
	OpenedAt   *time.Time     `json:"opened_at,omitempty"`
	COD        *COD           `json:"cod,omitempty"`
	Flags      []string       `json:"flags"`
	Review     string         `json:"review"` // pending, approved, rejected
	ProofIDs   []string       `json:"proof_ids"`
	Reviews    []Review       `json:"reviews"`
	CreatedAt  time.Time      `json:"created_at"`
	Status     article.Status `json:"-"` // the article's; when recorded, the one the outcome moves it to

	// AssignmentID is the custody period the outcome ends: one outcome per
	// article per assignment.
	AssignmentID string `json:"-"`
}

// Review is one supervisor's decision on a delivery; every one is kept.
type Review struct {
	ID         string    `json:"id"`
	ReviewerID string    `json:"reviewer_id"`
	Decision   string    `json:"decision"`
	Note       string    `json:"note"`
	At         time.Time `json:"at"`
}

// Record is everything one outcome writes, in one transaction.
type Record struct {
	Delivery   Delivery
	ConsumeOTP bool
	From       article.Status
	Events     []article.Event // applied in order, starting from From
	SMS        *notify.Message
	Completion idem.Completion
}

// Facts is what an outcome is judged on: the article's custody, the
// article, its centre (without its beats), its code's state (nil when none
// was issued) and how many failed attempts it has had so far.
type Facts struct {
	Holding        otp.Holding
	Article        article.Article
	DC             centre.DC
	OTP            *otp.State
	FailedAttempts int
}

// Store is what delivery needs from the database.
type Store interface {
	Holding(ctx context.Context, articleID string) (otp.Holding, error)
	Article(ctx context.Context, id string) (article.Article, error)
	DC(ctx context.Context, id string) (centre.DC, error)
	FailedAttempts(ctx context.Context, articleID string) (int, error)
	// OutcomeFacts reads in one query what an outcome is judged on; its
	// error is CodeNotFound when the article does not exist.
	OutcomeFacts(ctx context.Context, articleID string) (Facts, error)
	// RecordOutcome writes r and ends its assignment, in one transaction:
	// CodeAlreadyDone when the assignment has its outcome already,
	// CodeNotFound when the article left it meanwhile.
	RecordOutcome(ctx context.Context, r Record) error
	// AssignmentOutcome returns the outcome an assignment ended with.
	AssignmentOutcome(ctx context.Context, assignmentID string) (Summary, error)
	Deliveries(ctx context.Context, f Filter) ([]Delivery, error)
	Delivery(ctx context.Context, id string) (Delivery, error)
	AddReview(ctx context.Context, deliveryID string, r Review) error
}

// Filter narrows a centre's list of deliveries.
type Filter struct {
	DCID, Date string
	ArticleID  string // one article's outcomes, oldest first
	Slot       postal.Slot
	Flagged    *bool
	Review     string  // pending, approved or rejected; "" for any
	After      *Cursor // the previous page's last outcome
	Limit      int     // at most this many; 0 for MaxPage
}

// Judge decides what an outcome's code means (otp.Service does).
type Judge interface {
	// JudgeState judges code against the article's code state st, nil
	// when no code was issued for it.
	JudgeState(ctx context.Context, st *otp.State, code string, idEvidence bool, capturedAt time.Time) (string, error)
}

// Proofs checks the proofs an outcome names (proof.Service does). It
// returns the kind of each.
type Proofs interface {
	Kinds(ctx context.Context, p postal.Principal, ids []string, articleID string) ([]string, error)
}

// Notice makes the SMS a recipient gets after a failed attempt: the reason
// and a link to choose a new slot.
type Notice func(a article.Article, dc centre.DC, reason string) notify.Message

// Policy holds the rules of outcomes.
type Policy struct {
	FarMetres   float64       // a delivery further than this from the address is flagged
	MaxAttempts int           // failed attempts before the article goes back to the sender
	MaxSkew     time.Duration // a clock or capture time off by more than this is flagged
	// MaxFixAge is how much older than the capture a fix may be when the
	// phone does not say when the stop was opened.
	MaxFixAge time.Duration
}

// DefaultPolicy: 250 m, 3 attempts, 5 minutes, fixes at most 2 minutes old.
func DefaultPolicy() Policy {
	return Policy{FarMetres: 250, MaxAttempts: 3, MaxSkew: 5 * time.Minute, MaxFixAge: 2 * time.Minute}
}
