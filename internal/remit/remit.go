// Package remit owns partners' cash-on-delivery remittance: the money
// collected for a partner's COD articles, less the COD fee, paid to the
// partner per day in a statement that an admin marks paid with the bank's
// reference.
//
// What counts as collected: money is remitted only once it is in the post
// office. UPI is collected when the delivery recorded the payment's UTR
// (upi_ref); cash is collected when the postman's slot is closed at the
// centre (cod_closings: the supervisor has counted and closed the cash
// handed over). A delivery's collection day is its slot's date, which is
// the centre's day. A statement for day D takes every collected line of
// the partner up to D that is in no statement yet, so a slot closed late
// or a delivery synced late is remitted the next time, never lost; each
// line keeps its own collection day.
//
// The amount remitted is what the postman recorded taking from the
// recipient (the delivery's COD amount): a shortfall in a postman's cash
// at settlement is the post office's to recover, not the partner's. The
// fee withheld is the article's COD fee (fixed when it was booked), but
// never more than what was collected: a line's net is never negative.
package remit

import (
	"context"
	"time"

	"dakiya/internal/centre"
	"dakiya/internal/partner"
	"dakiya/internal/postal"
)

// States of a statement.
const (
	StateOpen = "open" // made, not yet paid
	StatePaid = "paid" // paid, with the bank's reference
)

// Modes of collection.
const (
	ModeCash = "cash"
	ModeUPI  = "upi"
)

// Why a delivered COD article is not yet collected.
const (
	AwaitingSettlement = "cash_settlement" // cash not yet counted and closed at the centre
	AwaitingUPIRef     = "upi_ref"         // UPI without a UTR to reconcile it by
	AwaitingMoney      = "no_amount"       // delivered without a COD amount recorded
)

// Line is one delivery's money in a statement.
type Line struct {
	ArticleID   string       `json:"article_id"`
	DeliveryID  string       `json:"delivery_id"`
	DCID        string       `json:"dc_id"`
	CollectedOn string       `json:"collected_on"` // the slot's date at the centre
	DeliveredAt time.Time    `json:"delivered_at"`
	Mode        string       `json:"mode"`
	UPIRef      string       `json:"upi_ref,omitempty"`
	Collected   postal.Paise `json:"collected_paise"`
	Fee         postal.Paise `json:"fee_paise"`
	Net         postal.Paise `json:"net_paise"`
}

// Totals add up a statement's lines.
type Totals struct {
	Lines     int          `json:"lines"`
	Collected postal.Paise `json:"collected_paise"`
	Fee       postal.Paise `json:"fee_paise"`
	Net       postal.Paise `json:"net_paise"`
}

// add counts a line.
func (t *Totals) add(l Line) {
	t.Lines++
	t.Collected += l.Collected
	t.Fee += l.Fee
	t.Net += l.Net
}

// Statement is a partner's remittance for a day, without its lines.
type Statement struct {
	ID        string              `json:"id"`
	PartnerID string              `json:"partner_id"`
	Date      string              `json:"date"`
	State     string              `json:"state"`
	Totals    Totals              `json:"totals"`
	RemitTo   *partner.Remittance `json:"remit_to,omitempty"` // the partner's account when it was made
	CreatedBy string              `json:"created_by"`
	CreatedAt time.Time           `json:"created_at"`
	BankRef   string              `json:"bank_ref,omitempty"`
	PaidAt    *time.Time          `json:"paid_at,omitempty"`
	PaidBy    string              `json:"paid_by,omitempty"`
}

// Detail is a statement with its lines.
type Detail struct {
	Statement
	Lines []Line `json:"lines"`
}

// Open is a delivered COD article of a partner that is in no statement:
// collected (Awaiting empty) or still to be collected.
type Open struct {
	Line
	Awaiting string `json:"awaiting,omitempty"`
}

// Filter narrows a list of statements; empty fields match everything.
type Filter struct {
	PartnerID string
	From, To  string // dates, inclusive
	State     string
	After     []any // the date, partner and id of the previous page's last statement
	Limit     int   // rows to read
}

// Store is what remit needs from the database.
type Store interface {
	Partner(ctx context.Context, id string) (partner.Partner, error)
	Partners(ctx context.Context) ([]partner.Partner, error)
	DC(ctx context.Context, id string) (centre.DC, error)
	// OpenLines lists a partner's delivered COD articles in no statement.
	OpenLines(ctx context.Context, partnerID string) ([]Open, error)
	// MakeStatement stores the statement build returns from the
	// partner's open lines, in one transaction with reading them. When
	// the partner has a statement for the day it returns that one and
	// false instead, building nothing.
	MakeStatement(ctx context.Context, partnerID, date string, build func([]Open) (Detail, error)) (Detail, bool, error)
	// Statement finds a statement with its lines.
	Statement(ctx context.Context, id string) (Detail, error)
	// Statements lists statements newest day first.
	Statements(ctx context.Context, f Filter) ([]Statement, error)
	// MarkPaid records the payment of an open statement; a conflict when
	// it is not open.
	MarkPaid(ctx context.Context, id, bankRef string, paidAt time.Time, by string, at time.Time) error
}

// Service makes, pays and shows remittance statements.
type Service struct {
	store Store
	now   func() time.Time
	newID func() string
}

// New returns a Service.
func New(store Store, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, now: now, newID: newID}
}

// Withhold splits money collected for an article with COD fee fee into
// the fee withheld and the net remitted: the fee is withheld up to what
// was collected, so net is never negative (a fee above a short collection
// is not recovered from the partner's other articles).
func Withhold(collected, fee postal.Paise) (withheld, net postal.Paise) {
	withheld = max(min(fee, collected), 0)
	return withheld, collected - withheld
}
