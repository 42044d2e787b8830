// Package booking books partners' articles in bulk through the open API:
// up to 1000 per request (JSON or CSV), each priced by the tariff (or the
// quote named), sent to the centre that serves its PIN, with an S10 id
// allocated from the partner's own series when it brings none, paid from
// the partner's wallet (prepaid) or left for the monthly invoice (on
// account), and labelled as PDF.
package booking

import (
	"context"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/idem"
	"dakiya/internal/partner"
	"dakiya/internal/postal"
	"dakiya/internal/tariff"
)

// MaxItems is the most articles one booking may carry.
const MaxItems = article.MaxBatch

// Item is one article as a partner books it: the article's input (its id
// optional) and what pricing needs.
type Item struct {
	article.Input
	WeightG int          `json:"weight_g"`
	Dims    *tariff.Dims `json:"dims_cm,omitempty"`
	// FromPIN is where the article starts; empty: the PIN of the
	// partner's billing centre.
	FromPIN string `json:"from_pin,omitempty"`
	// Reference is the partner's own order id, echoed in the results.
	Reference string `json:"reference,omitempty"`
}

// Request is a decoded booking: its items, the items that could not be
// decoded (reported in place), and the quote it names.
type Request struct {
	QuoteID string
	Items   []Item
	Bad     []article.ItemError
	// CSV numbers each result by its row in the file.
	CSV bool
}

// The statuses of one item of a booking.
const (
	ItemCreated   = "created"   // booked now
	ItemUnchanged = "unchanged" // this id was booked before with the same content
	ItemRefused   = "refused"   // not booked: see its error
)

// Problem says why one item was refused, shaped like the API's problem
// documents.
type Problem struct {
	Status int                 `json:"status"`
	Title  string              `json:"title"`
	Detail string              `json:"detail"`
	Errors []postal.FieldError `json:"errors,omitempty"`
}

// ItemResult is what happened to one item.
type ItemResult struct {
	Index       int          `json:"index"`
	Row         int          `json:"row,omitempty"` // its row in a CSV file (the header is row 1)
	ID          string       `json:"id,omitempty"`
	Reference   string       `json:"reference,omitempty"`
	Status      string       `json:"status"`
	Error       *Problem     `json:"error,omitempty"`
	PricePaise  postal.Paise `json:"price_paise"`
	CODFeePaise postal.Paise `json:"cod_fee_paise"`
}

// Result is a booking's answer: per item, in the request's order, and
// what it charged (TotalPaise: the price of the items created now).
type Result struct {
	ID         string          `json:"id"`
	Billing    partner.Billing `json:"billing"`
	TotalPaise postal.Paise    `json:"total_paise"`
	// WalletPaise is a prepaid partner's balance after the booking.
	WalletPaise *int64       `json:"wallet_paise,omitempty"`
	Items       []ItemResult `json:"items"`
}

// Row is one valid item ready to store. An Article without an ID gets one
// from the partner's series for Indicator.
type Row struct {
	Index     int
	Article   article.Article
	Events    []article.Event
	Indicator string
}

// Batch is a booking ready to store: its valid rows, and its result with
// the refused items already filled in (the others are filled by Book).
type Batch struct {
	ID        string
	PartnerID string
	KeyID     string
	QuoteID   string
	Country   string // of allocated ids
	Rows      []Row
	Result    Result
	CreatedAt time.Time
}

// Booking is a stored booking.
type Booking struct {
	ID         string          `json:"id"`
	PartnerID  string          `json:"-"`
	KeyID      string          `json:"-"`
	QuoteID    string          `json:"quote_id,omitempty"`
	Billing    partner.Billing `json:"billing"`
	TotalPaise postal.Paise    `json:"total_paise"`
	Result     Result          `json:"-"`
	CreatedAt  time.Time       `json:"created_at"`
}

// Store is what booking needs from the database.
type Store interface {
	Partner(ctx context.Context, id string) (partner.Partner, error)
	DC(ctx context.Context, id string) (centre.DC, error)
	// PINCentres maps each PIN code a beat lists to its centre.
	PINCentres(ctx context.Context) (map[string]string, error)
	// Book stores a batch in one transaction: allocates the missing ids,
	// inserts the articles and their booked events, debits a prepaid
	// partner's wallet by the price of the articles created (refusing the
	// whole booking, unprocessable, if it would overdraw), keeps the
	// booking and, through render, its idempotent answer.
	Book(ctx context.Context, b Batch, render func(Result) (idem.Completion, error)) (Result, error)
	// Booking returns one of a partner's bookings; not found otherwise.
	Booking(ctx context.Context, partnerID, id string) (Booking, error)
	// BookingArticles lists the articles a booking created, by id.
	BookingArticles(ctx context.Context, bookingID string) ([]article.Article, error)
	Article(ctx context.Context, id string) (article.Article, error)
	Events(ctx context.Context, id string) ([]article.Event, error)
	// TopUp adds a top-up to a wallet, or returns the one already recorded
	// with its reference (a conflict if its amount differs).
	TopUp(ctx context.Context, e Entry) (Entry, error)
	// Wallet returns a partner's balance, latest entries and monthly totals.
	Wallet(ctx context.Context, partnerID string, limit int, tz *time.Location) (Wallet, error)
}

// Pricer prices articles: *tariff.Service.
type Pricer interface {
	Price(ctx context.Context, partnerID string, r tariff.Request) (tariff.Quote, error)
	Stored(ctx context.Context, partnerID, quoteID string) (tariff.Quote, error)
}
