package booking

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"dakiya/internal/partner"
	"dakiya/internal/postal"
)

// The kinds of wallet entries.
const (
	EntryTopUp   = "topup"   // money an admin recorded as received
	EntryBooking = "booking" // a prepaid booking's debit
)

// MaxTopUp bounds one top-up (₹1 crore).
const MaxTopUp = 1_000_000_000

// Entry is one line of a wallet's ledger; AmountPaise is negative for a
// debit, BalancePaise the balance after it.
type Entry struct {
	ID           string       `json:"id"`
	PartnerID    string       `json:"-"`
	Kind         string       `json:"kind"`
	AmountPaise  postal.Paise `json:"amount_paise"`
	BalancePaise postal.Paise `json:"balance_paise"`
	Reference    string       `json:"reference"`
	ActorID      string       `json:"-"`
	CreatedAt    time.Time    `json:"created_at"`
}

// Month is what a partner booked in one calendar month (Asia/Kolkata):
// what an on-account partner is invoiced.
type Month struct {
	Month      string       `json:"month"` // YYYY-MM
	Bookings   int          `json:"bookings"`
	Articles   int          `json:"articles"`
	TotalPaise postal.Paise `json:"total_paise"`
}

// Wallet is a partner's balance, its latest ledger entries (newest first)
// and its bookings' totals per month (newest first).
type Wallet struct {
	PartnerID    string          `json:"partner_id"`
	Billing      partner.Billing `json:"billing"`
	BalancePaise postal.Paise    `json:"balance_paise"`
	Entries      []Entry         `json:"entries"`
	Months       []Month         `json:"months"`
}

// TopUpInput is a top-up as an admin records it.
type TopUpInput struct {
	AmountPaise int64  `json:"amount_paise"`
	Reference   string `json:"reference"`
}

// walletEntries is how many ledger entries a wallet shows.
const walletEntries = 100

// billingZone is the time zone months are counted in.
var billingZone = mustZone("Asia/Kolkata")

func mustZone(name string) *time.Location {
	if z, err := time.LoadLocation(name); err == nil {
		return z
	}
	return time.FixedZone("IST", 5*3600+1800)
}

// TopUp records money received into a partner's wallet (admins only). A
// top-up is idempotent by its reference (a bank or receipt number): the
// same reference again returns the entry recorded first, and is a
// conflict if the amount differs.
func (s *Service) TopUp(ctx context.Context, who postal.Principal, partnerID string, in TopUpInput) (Entry, error) {
	if who.Role != postal.RoleAdmin {
		return Entry{}, postal.Errorf(postal.CodeForbidden, "only an admin may record a top-up")
	}
	ref := strings.TrimSpace(in.Reference)
	var fe []postal.FieldError
	if in.AmountPaise < 1 || in.AmountPaise > MaxTopUp {
		fe = append(fe, postal.FieldError{Field: "amount_paise", Message: "1 to 1000000000 paise"})
	}
	if ref == "" || utf8.RuneCountInString(ref) > maxReference || postal.TextProblem(ref) != "" {
		fe = append(fe, postal.FieldError{Field: "reference", Message: "required (the payment's reference), at most 100 characters"})
	}
	if len(fe) > 0 {
		return Entry{}, postal.Invalid("invalid top-up", fe...)
	}
	if _, err := s.store.Partner(ctx, partnerID); err != nil {
		return Entry{}, err
	}
	return s.store.TopUp(ctx, Entry{ID: s.newID(), PartnerID: partnerID, Kind: EntryTopUp, AmountPaise: postal.Paise(in.AmountPaise),
		Reference: ref, ActorID: who.UserID, CreatedAt: s.now()})
}

// Wallet returns a partner's wallet to an admin or to the partner's own
// keys; to anyone else it does not exist.
func (s *Service) Wallet(ctx context.Context, partnerID string) (Wallet, error) {
	p, isAdmin := postal.PrincipalFrom(ctx)
	k, isKey := postal.PartnerFrom(ctx)
	if !(isAdmin && p.Role == postal.RoleAdmin) && !(isKey && k.ID == partnerID) {
		return Wallet{}, postal.Errorf(postal.CodeNotFound, "partner not found")
	}
	if _, err := s.store.Partner(ctx, partnerID); err != nil {
		return Wallet{}, err
	}
	return s.store.Wallet(ctx, partnerID, walletEntries, billingZone)
}
