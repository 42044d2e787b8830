package booking

import (
	"context"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/postal"
)

// Event is a tracking event as a partner sees it: no staff ids or notes.
type Event struct {
	Seq        int               `json:"seq"`
	Event      article.EventName `json:"event"`
	Status     article.Status    `json:"status"`
	Code       string            `json:"code,omitempty"`
	At         time.Time         `json:"at"`
	Place      string            `json:"place"`
	ReasonCode string            `json:"reason_code,omitempty"`
}

// Article is one of its articles as a partner sees it.
type Article struct {
	ID             string            `json:"id"`
	BookingID      string            `json:"booking_id"`
	Service        postal.Service    `json:"service"`
	Status         article.Status    `json:"status"`
	Recipient      article.Recipient `json:"recipient"`
	DIGIPIN        string            `json:"digipin,omitempty"`
	CODPaise       postal.Paise      `json:"cod_paise"`
	PricePaise     postal.Paise      `json:"price_paise"`
	CODFeePaise    postal.Paise      `json:"cod_fee_paise"`
	Schedule       *article.Schedule `json:"schedule"`
	SlotPreference postal.Slot       `json:"slot_preference,omitempty"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	Events         []Event           `json:"events"`
	// Proofs are filled by the HTTP layer: signed links valid 24 hours.
	Proofs []ProofLink `json:"proofs"`
}

// ProofLink is a proof of delivery a partner may fetch without an account.
type ProofLink struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	ContentType string    `json:"content_type"`
	URL         string    `json:"url"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// View is a booking as its partner sees it: its results as answered, and
// the articles it created as they are now.
type View struct {
	Booking
	Items    []ItemResult `json:"items"`
	Articles []Article    `json:"articles"`
}

// Get returns one of the calling partner's bookings; another partner's
// does not exist.
func (s *Service) Get(ctx context.Context, caller postal.Partner, id string) (View, error) {
	b, err := s.store.Booking(ctx, caller.ID, id)
	if err != nil {
		return View{}, err
	}
	as, err := s.store.BookingArticles(ctx, b.ID)
	if err != nil {
		return View{}, err
	}
	v := View{Booking: b, Items: b.Result.Items, Articles: make([]Article, 0, len(as))}
	for _, a := range as {
		pa, err := s.partnerView(ctx, a)
		if err != nil {
			return View{}, err
		}
		v.Articles = append(v.Articles, pa)
	}
	return v, nil
}

// Article returns an article the calling partner booked; any other
// article does not exist for it.
func (s *Service) Article(ctx context.Context, caller postal.Partner, rawID string) (Article, error) {
	id, err := postal.ParseS10(rawID)
	if err != nil {
		return Article{}, err
	}
	a, err := s.store.Article(ctx, string(id))
	if postal.IsCode(err, postal.CodeNotFound) || (err == nil && a.PartnerID != caller.ID) {
		return Article{}, postal.Errorf(postal.CodeNotFound, "article not found")
	}
	if err != nil {
		return Article{}, err
	}
	return s.partnerView(ctx, a)
}

func (s *Service) partnerView(ctx context.Context, a article.Article) (Article, error) {
	evs, err := s.store.Events(ctx, a.ID)
	if err != nil {
		return Article{}, err
	}
	out := Article{ID: a.ID, BookingID: a.BookingID, Service: a.Service, Status: a.Status, Recipient: a.Recipient,
		DIGIPIN: a.DIGIPIN, CODPaise: a.CODPaise, PricePaise: a.PricePaise, CODFeePaise: a.CODFeePaise,
		Schedule: a.Schedule, SlotPreference: a.SlotPreference, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
		Events: make([]Event, len(evs)), Proofs: []ProofLink{}}
	for i, e := range evs {
		out.Events[i] = Event{Seq: e.Seq, Event: e.Event, Status: e.Status, Code: e.Code, At: e.At, Place: e.Place, ReasonCode: e.ReasonCode}
	}
	return out, nil
}
