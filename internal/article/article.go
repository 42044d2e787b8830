// Package article owns articles: their validated input, the status machine,
// tracking events, the staff view and the public tracking view.
package article

import (
	"context"
	"strings"
	"time"
	"unicode"

	"dakiya/internal/centre"
	"dakiya/internal/notify"
	"dakiya/internal/postal"
)

// Recipient is who an article goes to and where.
type Recipient struct {
	Name    string   `json:"name"`
	Phone   string   `json:"phone"`
	Address string   `json:"address"`
	PIN     string   `json:"pin"`
	Lat     *float64 `json:"lat,omitempty"`
	Lon     *float64 `json:"lon,omitempty"`
}

// Input is an article as a supervisor or partner books it.
type Input struct {
	ID             string         `json:"id"`
	Service        postal.Service `json:"service"`
	Recipient      Recipient      `json:"recipient"`
	CODPaise       int64          `json:"cod_paise,omitempty"`
	SlotPreference postal.Slot    `json:"slot_preference,omitempty"`
}

// Schedule is the date and slot an article is to be delivered in.
type Schedule struct {
	Date string      `json:"date"`
	Slot postal.Slot `json:"slot"`
}

// Article is a stored article.
type Article struct {
	ID             string         `json:"id"`
	DCID           string         `json:"dc_id"`
	Service        postal.Service `json:"service"`
	Recipient      Recipient      `json:"recipient"`
	DIGIPIN        string         `json:"digipin,omitempty"`
	CODPaise       postal.Paise   `json:"cod_paise"`
	SlotPreference postal.Slot    `json:"slot_preference,omitempty"`
	Status         Status         `json:"status"`
	Schedule       *Schedule      `json:"schedule"`
	BeatID         string         `json:"beat_id,omitempty"`
	ContentHash    string         `json:"-"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
	// BeatOverride is the beat a supervisor moved the article to (BeatID
	// then equals it); empty when the beat is the one its address maps to.
	BeatOverride string `json:"beat_override,omitempty"`
	// PartnerID is the partner that booked it through the open API (empty
	// for a centre's booking); BookingID its booking there; PricePaise what
	// the booking charged and CODFeePaise what its COD remittance withholds.
	// The staff view does not show them.
	PartnerID   string       `json:"-"`
	BookingID   string       `json:"-"`
	PricePaise  postal.Paise `json:"-"`
	CODFeePaise postal.Paise `json:"-"`
}

// Event is one tracking event of an article.
type Event struct {
	Seq        int       `json:"seq"`
	Event      EventName `json:"event"`
	Status     Status    `json:"status"`
	Code       string    `json:"code,omitempty"` // UPU EMSEVT
	At         time.Time `json:"at"`
	Place      string    `json:"place"`
	ReasonCode string    `json:"reason_code,omitempty"`
	ActorID    string    `json:"actor_id,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// Outcome of storing one article of a batch.
type Outcome int

// The outcomes of InsertArticles.
const (
	Created   Outcome = iota + 1
	Unchanged         // the same id with the same content was already there
	Clash             // the id is taken by different content
)

// Filter narrows a list of a centre's articles.
type Filter struct {
	Status Status
	Date   string
	Slot   postal.Slot
	BeatID string
	// Flag keeps the articles whose latest outcome carries this flag.
	Flag string
	// Search, when set, keeps the articles that match it by id, phone or
	// recipient's name.
	Search *Search
	After  string // the last id of the previous page
	Limit  int
}

// Search is a free-text search of a centre's articles, already split into
// what each column is matched on; an empty part matches nothing. The store
// matches literally: % and _ are not wildcards.
type Search struct {
	IDPrefix    string // upper case, the start of an S10 id
	PhoneSuffix string // the last 10 digits of a phone number
	Name        string // lower case, a part of the recipient's name
}

// Store is what article needs from the database.
type Store interface {
	DC(ctx context.Context, id string) (centre.DC, error)
	// InsertArticles stores new articles with their first events, and
	// queues notes[i] (when notes is not empty) for each article created,
	// in one transaction, and says per article what happened.
	InsertArticles(ctx context.Context, as []Article, events [][]Event, notes []notify.Message) ([]Outcome, error)
	Article(ctx context.Context, id string) (Article, error)
	Events(ctx context.Context, id string) ([]Event, error)
	ListArticles(ctx context.Context, dc string, f Filter) ([]Article, error)
	// AppendEvent moves an article from status from to e.Status and records
	// e, failing with a conflict if the article is no longer in from. A
	// non-nil schedule is stored with the move.
	AppendEvent(ctx context.Context, id string, from Status, e Event, sched *Schedule) error
	// Assignments returns an article's custody periods, oldest first.
	Assignments(ctx context.Context, id string) ([]Assignment, error)
	// MoveBeat sets an article's beat and override if it is still as
	// m.From, m.Status and m.Schedule say (a conflict otherwise), and moves
	// its booked load of its slot from the old beat to the new one, in one
	// transaction.
	MoveBeat(ctx context.Context, m BeatMove) error
}

// Assignment is one custody period of an article: the postman's
// manifest it went out on, from when, and when and how it ended (outcome,
// amended, held, moved).
type Assignment struct {
	ID          string      `json:"id"`
	ManifestID  string      `json:"manifest_id"`
	PostmanID   string      `json:"postman_id"`
	PostmanName string      `json:"postman_name"`
	BeatID      string      `json:"beat_id"`
	Date        string      `json:"date"`
	Slot        postal.Slot `json:"slot"`
	Since       time.Time   `json:"since"`
	EndedAt     *time.Time  `json:"ended_at"`
	EndedBy     string      `json:"ended_by"`
}

// HouseholdKey names the household an article goes to: the same address at
// the same spot (DIGIPIN cell, else PIN code). A household's articles are
// scheduled together and make one stop.
func HouseholdKey(a Article) string {
	spot := a.DIGIPIN
	if spot == "" {
		spot = a.Recipient.PIN
	}
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(a.Recipient.Address) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
			continue
		}
		space = true
	}
	return a.DCID + "|" + spot + "|" + b.String()
}
