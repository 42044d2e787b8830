package booking

import (
	"context"
	"fmt"
	"strings"

	"dakiya/internal/label"
	"dakiya/internal/postal"
)

// MaxLabelsAsked bounds the ids one labels request may name.
const MaxLabelsAsked = MaxItems

// Labels returns the labels of the articles a booking of the calling
// partner created, in id order; only, when ids is not empty, those named
// (each must be one of the booking's, else invalid).
func (s *Service) Labels(ctx context.Context, caller postal.Partner, bookingID string, ids []string) ([]label.Label, error) {
	if len(ids) > MaxLabelsAsked {
		return nil, postal.Invalid(fmt.Sprintf("name at most %d articles", MaxLabelsAsked), postal.FieldError{Field: "items", Message: "too many ids"})
	}
	b, err := s.store.Booking(ctx, caller.ID, bookingID)
	if err != nil {
		return nil, err
	}
	p, err := s.store.Partner(ctx, caller.ID)
	if err != nil {
		return nil, err
	}
	as, err := s.store.BookingArticles(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[strings.ToUpper(strings.TrimSpace(id))] = true
	}
	out := []label.Label{}
	pick := len(want) > 0
	for _, a := range as {
		if pick && !want[a.ID] {
			continue
		}
		delete(want, a.ID)
		out = append(out, label.Label{ID: a.ID, Service: a.Service, Name: a.Recipient.Name, Address: a.Recipient.Address,
			PIN: a.Recipient.PIN, DIGIPIN: a.DIGIPIN, Sender: p.Name, CODPaise: a.CODPaise, Booked: a.CreatedAt})
	}
	for id := range want {
		return nil, postal.Invalid("not an article of this booking", postal.FieldError{Field: "items", Message: id + " is not one of this booking's articles"})
	}
	if len(out) == 0 {
		return nil, postal.Errorf(postal.CodeNotFound, "this booking created no articles, so it has no labels")
	}
	return out, nil
}
