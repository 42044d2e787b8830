// Package proof owns proofs of delivery: the photos and signatures a
// postman captures at the door. It checks an upload's size, type (by its
// bytes) and image dimensions, decodes it whole (nothing may follow the
// image), caps proofs per article, hashes it, stores it write-once in the
// object store under a server-made key and then records it in the
// database, idempotently by the phone's key. It serves proofs to the
// capturing postman, the centre's supervisors and admins, recording every
// view for the audit before it is answered, hands the delivery
// outcome the proofs it names, and sweeps objects whose row was never
// written.
package proof

import (
	"context"
	"errors"
	"io"
	"iter"
	"net/url"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/idem"
	"dakiya/internal/postal"
)

// Kind is what a proof shows.
type Kind string

// The proof kinds.
const (
	KindPhoto     Kind = "photo"     // of the article at the door, or of the door on a failed attempt
	KindSignature Kind = "signature" // the recipient's, drawn on the phone
)

// Prefix is where every proof object lives in the bucket.
const Prefix = "proofs/"

// Meta is a stored proof: its row in the database.
type Meta struct {
	ID             string
	ArticleID      string
	DCID           string
	PostmanID      string // who captured it
	Kind           Kind
	ObjectKey      string
	ContentType    string
	Size           int64
	SHA256         string // lowercase hex
	Width, Height  int
	IdempotencyKey string
	CreatedAt      time.Time // UTC, to the millisecond
	TimeZone       string    // the centre's, in which CreatedAt is shown
}

// View is a proof as the API shows it.
type View struct {
	ID          string `json:"id"`
	ArticleID   string `json:"article_id"`
	Kind        Kind   `json:"kind"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	CreatedAt   string `json:"created_at"` // RFC 3339 in the centre's time zone
}

// View returns the proof as the API shows it.
func (m Meta) View() View {
	return View{ID: m.ID, ArticleID: m.ArticleID, Kind: m.Kind, SHA256: m.SHA256, Size: m.Size,
		ContentType: m.ContentType, Width: m.Width, Height: m.Height,
		CreatedAt: m.CreatedAt.In(zone(m.TimeZone)).Format(time.RFC3339)}
}

// zone returns a centre's time zone, or India's when it cannot be read.
func zone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.FixedZone("IST", 5*3600+1800)
}

// Subject is the article a proof is uploaded for, and who holds it.
type Subject struct {
	ArticleID string
	DCID      string
	TimeZone  string
	PostmanID string       // its custodian, or of the outcome that ended the custody; "" if none
	Taken     postal.Taken // whose custody ended otherwise, why and when
	Status    article.Status
	Proofs    int // how many it has
}

// MaxPerArticle is the most proofs one article may have, over all its
// attempts: a photo and a signature at the door, and a photo per failed
// attempt, with room to retake a few.
const MaxPerArticle = 10

// ErrFull is what Store.InsertProof returns when the article already has
// the most proofs allowed.
var ErrFull = errors.New("proof: the article has all the proofs it may have")

// ErrNotHeld is what Store.InsertProof returns when, by the time the row is
// written, the uploader no longer holds the article out for delivery (its
// outcome was recorded, or it was moved, meanwhile).
var ErrNotHeld = errors.New("proof: the uploader no longer holds the article out for delivery")

// Store is what proof needs from the database.
type Store interface {
	ProofSubject(ctx context.Context, articleID string) (Subject, error)
	// InsertProof records a proof unless its article already has max,
	// and, in the same transaction, the answer to its request's
	// idempotency key; a taken id, object key or (postman, idempotency
	// key) is a CodeConflict error, a full article ErrFull, and an article
	// the uploader no longer holds out for delivery ErrNotHeld. Checking
	// and inserting are one atomic step, so racing uploads cannot pass max
	// nor land after the article's outcome or move.
	InsertProof(ctx context.Context, m Meta, max int, answer idem.Completion) error
	Proof(ctx context.Context, id string) (Meta, error)
	ProofByKey(ctx context.Context, postmanID, idempotencyKey string) (Meta, error)
	// RecordProofView records one view of a proof.
	RecordProofView(ctx context.Context, v Viewing) error
	// ProofViews returns a proof's views, oldest first, with the viewers'
	// names.
	ProofViewsPage(ctx context.Context, proofID string, after []any, limit int) ([]Viewing, error)
	// ProofsByID returns those of ids that exist, in no particular order.
	ProofsByID(ctx context.Context, ids []string) ([]Meta, error)
	// ProofsOf returns an article's proofs, oldest first.
	ProofsOf(ctx context.Context, articleID string) ([]Meta, error)
}

// Objects is what proof needs from the object store. Put is write-once:
// the same bytes again succeed, other bytes under a taken key conflict.
type Objects interface {
	Put(ctx context.Context, key string, data []byte, contentType string, meta map[string]string) error
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	PresignGet(ctx context.Context, key string, ttl time.Duration) (*url.URL, error)
	Delete(ctx context.Context, key string) error
	// Keys yields the keys under prefix last modified before olderThan.
	Keys(ctx context.Context, prefix string, olderThan time.Time) iter.Seq2[string, error]
}

// Limits are the largest files accepted, in bytes.
type Limits struct {
	Photo     int64
	Signature int64
}

// DefaultLimits are 2 MiB for a photo and 256 KiB for a signature: a
// phone's photo scaled for evidence, not for print.
func DefaultLimits() Limits { return Limits{Photo: 2 << 20, Signature: 256 << 10} }

// Options configure a Service.
type Options struct {
	Limits Limits // DefaultLimits when zero
	// Stream serves content through the API rather than redirecting to the
	// object store, for deployments whose browsers cannot reach it.
	Stream bool
	// Decoders is how many images may be decoded at once; DefaultDecoders
	// when zero.
	Decoders int
}
