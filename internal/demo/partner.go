package demo

import (
	"context"
	"fmt"

	"dakiya/internal/booking"
	"dakiya/internal/idem"
	"dakiya/internal/partner"
	"dakiya/internal/postal"
)

// The demo's bulk customer: a bookshop in Bengaluru that books through the
// open API and pays from its wallet.
const (
	partnerName  = "Shree Ganesh Books"
	partnerDC    = "blr-koramangala"
	partnerTopUp = 2_000_000 // ₹20,000
	partnerBooks = 12        // articles it has booked
)

// partner makes the demo partner with a wallet, a key with every scope
// (returned: shown this once) and a first booking of a few articles.
func (l *loader) partner(ctx context.Context) (string, error) {
	p, err := l.d.Partners.Create(ctx, l.admin, partner.Input{Name: partnerName, BillingDC: partnerDC, GSTIN: "29AAGCB7383J1Z4",
		Remittance: &partner.Remittance{Account: "50100234567891", IFSC: "HDFC0000523"}, DiscountBP: 500})
	if err != nil {
		return "", fmt.Errorf("demo: create partner: %w", err)
	}
	if _, err := l.d.Bookings.TopUp(ctx, l.admin, p.ID, booking.TopUpInput{AmountPaise: partnerTopUp, Reference: "NEFT-DEMO-0001"}); err != nil {
		return "", fmt.Errorf("demo: top up: %w", err)
	}
	k, err := l.d.Partners.CreateKey(ctx, l.admin, p.ID, partner.KeyInput{Scopes: postal.Scopes()})
	if err != nil {
		return "", fmt.Errorf("demo: partner key: %w", err)
	}
	items, err := l.partnerItems()
	if err != nil {
		return "", err
	}
	caller := postal.Partner{ID: p.ID, KeyID: k.ID, Scopes: k.Scopes}
	res, err := l.d.Bookings.Book(ctx, caller, booking.Request{Items: items}, idem.Receipt{})
	if err != nil {
		return "", fmt.Errorf("demo: partner booking: %w", err)
	}
	for _, it := range res.Items {
		if it.Status != booking.ItemCreated {
			return "", fmt.Errorf("demo: partner booking item %d: %s %v", it.Index, it.Status, it.Error)
		}
	}
	return k.Secret, nil
}

// partnerItems are the partner's books on their way to readers around
// the Bengaluru centre, drawn like the centre's own articles.
func (l *loader) partnerItems() ([]booking.Item, error) {
	spec := koramangala()
	items := make([]booking.Item, 0, partnerBooks)
	for i := range partnerBooks {
		in, err := l.plan.article(l.plan.household(spec))
		if err != nil {
			return nil, err
		}
		in.ID, in.Service = "", postal.ServiceSpeedPost // Dakiya allocates from the partner's series
		if i%3 == 0 {
			in.CODPaise = int64(29_900 + 10_000*i)
		} else {
			in.CODPaise = 0
		}
		items = append(items, booking.Item{Input: in, WeightG: 350 + 40*i, Reference: fmt.Sprintf("SGB-%04d", 1001+i)})
	}
	return items, nil
}
