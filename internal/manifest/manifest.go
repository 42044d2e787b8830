// Package manifest owns delivery manifests: which postman carries which
// articles in a slot, grouped into stops a household each, in the order
// the route optimiser found; building and rebuilding drafts, dispatching
// them, amending dispatched ones, and the postman's view.
package manifest

import (
	"context"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

// Statuses of a manifest.
const (
	StatusDraft      = "draft"      // built; rebuilt freely; not on any phone
	StatusDispatched = "dispatched" // out with the postman; changed only by amendment
)

// Item is an article on a stop, as the phone gets it.
type Item struct {
	ID          string         `json:"id"`
	Service     postal.Service `json:"service"`
	CODPaise    postal.Paise   `json:"cod_paise"`
	OTPRequired bool           `json:"otp_required"`
	OTPCheck    string         `json:"otp_check,omitempty"`
	// OTPGroup names the code the article shares with the recipient's
	// other coded articles at the stop (the same id, the same code and
	// check); opaque; empty when the article has no code.
	OTPGroup string `json:"otp_group,omitempty"`
	// UPIURI is the upi://pay link of a COD article, the one
	// GET /articles/{id}/upi answers, so the phone draws it offline.
	UPIURI string `json:"upi_uri,omitempty"`
}

// Code is an article's code as the manifest names it.
type Code struct {
	Group string
	Check string
}

// Stop is one household on the route.
type Stop struct {
	Seq           int      `json:"seq"`
	StopID        string   `json:"stop_id"`
	Lat           *float64 `json:"lat"`
	Lon           *float64 `json:"lon"`
	DIGIPIN       string   `json:"digipin,omitempty"`
	Address       string   `json:"address"`
	RecipientName string   `json:"recipient_name"`
	Phone         string   `json:"phone"`
	Articles      []Item   `json:"articles"`
}

// Window is when the slot runs.
type Window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Load is how full the postman's bag is, in letter equivalents.
type Load struct {
	Letters  float64 `json:"letters"`
	Capacity float64 `json:"capacity"`
	Over     bool    `json:"over"`
}

// Point is a place on the map.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Manifest is a postman's work for one slot.
type Manifest struct {
	ID        string      `json:"id"`
	Version   int         `json:"version"`
	DCID      string      `json:"dc_id"`
	BeatID    string      `json:"beat_id"`
	PostmanID string      `json:"postman_id"`
	Date      string      `json:"date"`
	Slot      postal.Slot `json:"slot"`
	Window    Window      `json:"window"`
	Status    string      `json:"status"`
	DistanceM int64       `json:"distance_m"`
	Centre    *Point      `json:"centre,omitempty"` // where the tour starts and ends: the delivery centre
	Load      Load        `json:"load"`
	Stops     []Stop      `json:"stops"`
}

// Summary describes a manifest without its stops.
type Summary struct {
	ID        string      `json:"id"`
	Version   int         `json:"version"`
	DCID      string      `json:"dc_id"`
	BeatID    string      `json:"beat_id"`
	PostmanID string      `json:"postman_id"`
	Date      string      `json:"date"`
	Slot      postal.Slot `json:"slot"`
	Status    string      `json:"status"`
	Stops     int         `json:"stops"`
	Articles  int         `json:"articles"`
	DistanceM int64       `json:"distance_m"`
	Load      Load        `json:"load"`
}

// Record is a stored manifest: its summary, the exact JSON the phone gets,
// that JSON gzipped and its strong ETag.
type Record struct {
	Summary
	Booked   int // hundredths of a letter
	Capacity int
	Body     []byte
	Gzip     []byte // Body gzipped; nil in a row stored before it was kept (read back by Manifest: not filled)
	ETag     string
	Articles []string  // ids, in route order (derived from Body)
	StopSeqs []int     // the stop of each of Articles, by its seq
	At       time.Time // when this version was made
	Window   Window
	// Assignments names the new custody period of each article this write
	// sends out (all of a dispatch's, an amendment's added ones).
	Assignments map[string]string
}

// Filter narrows a list of manifests.
type Filter struct {
	DCID, PostmanID, Date, Status string
	Slot                          postal.Slot
	Limit                         int     // at most this many; 0 for MaxPage
	After                         *Cursor // only those after this one in the list's order
}

// Store is what manifest needs from the database.
type Store interface {
	DC(ctx context.Context, id string) (centre.DC, error)
	Calendar(ctx context.Context, dc string) (slot.Calendar, error)
	Article(ctx context.Context, id string) (article.Article, error)
	// ArticlesByID returns those of ids that exist, in a few reads.
	ArticlesByID(ctx context.Context, ids []string) (map[string]article.Article, error)
	// ScheduledFor lists a centre's articles scheduled for a slot and not
	// yet out.
	ScheduledFor(ctx context.Context, dc, date string, s postal.Slot) ([]article.Article, error)
	ManifestFor(ctx context.Context, dc, beat, date string, s postal.Slot) (Record, error)
	// DraftOf returns the id of the draft an article is on, or "".
	DraftOf(ctx context.Context, articleID string) (string, error)
	Manifest(ctx context.Context, id string) (Record, error)
	// ManifestServed reads what a phone's fetch needs with one statement
	// by primary key: who may see the manifest, its ETag, and its bodies
	// unless that ETag is known (then Body and Gzip are nil).
	ManifestServed(ctx context.Context, id, known string) (Served, error)
	// SaveManifestGzip stores the gzipped body of a row written before it
	// was kept, if the row is still at etag and has none.
	SaveManifestGzip(ctx context.Context, id, etag string, gz []byte) error
	Manifests(ctx context.Context, f Filter) ([]Summary, error)
	// SaveDraft inserts a draft or replaces one that is still a draft at
	// version r.Version-1 (a conflict otherwise).
	SaveDraft(ctx context.Context, r Record) error
	// Dispatch marks a draft dispatched, moves every article on it out for
	// delivery (each still scheduled for its date and slot) into the
	// postman's custody (r.Assignments) recording the events, and stores
	// the recipients' codes and queues their SMS, in one transaction.
	Dispatch(ctx context.Context, r Record, ev article.Event, codes []otp.Issued) error
	// Reissue replaces the code of an article's group (a resend) if it is
	// still at counter from and the article still in the custody
	// assignment names, queues its SMS and replaces the dispatched manifest at version
	// r.Version-1 with r, which carries the new check value, in one
	// transaction; custody does not change.
	Reissue(ctx context.Context, r Record, assignment string, from uint64, next otp.Issued) error
	// OTPChecks returns the current code group and check value of every
	// article on a manifest that has a code.
	OTPChecks(ctx context.Context, manifestID string) (map[string]Code, error)
	// Amend replaces a dispatched manifest's content at version
	// r.Version-1, moving the added articles out into the postman's custody
	// (r.Assignments; storing their codes and queueing their SMS) and the
	// removed ones out of it, back to the counter.
	Amend(ctx context.Context, r Record, added, removed []string, out, held article.Event, codes []otp.Issued) error
	PlanStore
}
