// Package tariff prices articles for partners: the tariff is data (a
// versioned table an admin uploads as CSV, effective from a date), a quote
// is one price worked out from it and kept, so a booking can say which
// price it was made with.
//
// This file fixes the types and the Service's methods other work codes
// against; the pricing itself is being written.
package tariff

import (
	"context"
	"time"

	"dakiya/internal/postal"
)

// Dims are an article's outer dimensions in whole centimetres.
type Dims struct {
	L int `json:"l"`
	B int `json:"b"`
	H int `json:"h"`
}

// Request is what a quote prices.
type Request struct {
	Service  postal.Service `json:"service"`
	WeightG  int            `json:"weight_g"`
	Dims     *Dims          `json:"dims_cm,omitempty"`
	FromPIN  string         `json:"from_pin"`
	ToPIN    string         `json:"to_pin"`
	CODPaise postal.Paise   `json:"cod_paise,omitempty"`
}

// Line is one item of a price's breakdown.
type Line struct {
	Item  string       `json:"item"`
	Paise postal.Paise `json:"paise"`
}

// Quote is a price for one article, kept for its booking. PricePaise is
// the sum of Breakdown and is charged at booking; CODFeePaise is withheld
// from the remittance when the article's cash is collected.
type Quote struct {
	ID            string       `json:"quote_id"`
	PartnerID     string       `json:"-"`
	Request       Request      `json:"request"`
	PricePaise    postal.Paise `json:"price_paise"`
	Breakdown     []Line       `json:"breakdown"`
	CODFeePaise   postal.Paise `json:"cod_fee_paise"`
	Zone          string       `json:"zone"`
	TariffVersion string       `json:"tariff_version"`
	ValidUntil    time.Time    `json:"valid_until"`
	CreatedAt     time.Time    `json:"created_at"`
}

// Service prices and keeps quotes.
type Service struct {
	now   func() time.Time
	newID func() string
}

// Price works out a quote for partner without keeping it (bookings price
// each article this way when they name no quote).
func (s *Service) Price(ctx context.Context, partnerID string, r Request) (Quote, error) {
	return Quote{}, postal.Errorf(postal.CodeUnavailable, "tariff: pricing is not written yet")
}

// Quote prices r for partner and keeps the quote until it expires.
func (s *Service) Quote(ctx context.Context, partnerID string, r Request) (Quote, error) {
	return Quote{}, postal.Errorf(postal.CodeUnavailable, "tariff: pricing is not written yet")
}

// Stored returns one of partner's quotes, not found when it is someone
// else's, and unprocessable when it has expired.
func (s *Service) Stored(ctx context.Context, partnerID, quoteID string) (Quote, error) {
	return Quote{}, postal.Errorf(postal.CodeNotFound, "quote not found")
}
