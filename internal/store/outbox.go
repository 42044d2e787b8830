package store

import (
	"context"

	"dakiya/internal/article"
	"dakiya/internal/outbox"
)

// enqueue writes a message to the outbox inside the caller's transaction,
// due at once (m.NextAt) or when the caller says. A message whose id is
// already stored is left alone, so writing it twice sends it once.
func enqueue(ctx context.Context, r runner, m outbox.Message) error {
	next := m.NextAt
	if next.IsZero() {
		next = m.CreatedAt
	}
	_, err := r.exec(ctx, `INSERT INTO outbox (id, partner_id, kind, target, order_key, seq, event_type, body, next_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		m.ID, m.PartnerID, string(m.Kind), m.Target, m.OrderKey, m.Seq, m.EventType, string(m.Body), ms(next), ms(m.CreatedAt))
	return classify("enqueue", err)
}

// emitEvent writes, in the transaction that records an article's event,
// what that event owes partner systems: webhook deliveries to the
// subscriptions of the partner that booked it, and ONDC status callbacks
// for an ONDC order. An article no partner booked owes nothing.
func emitEvent(ctx context.Context, r runner, articleID string, e article.Event) error {
	var partnerID *string
	if err := r.queryRow(ctx, "SELECT partner_id FROM articles WHERE id = ?", articleID).Scan(&partnerID); err != nil {
		return classify("emit event", err)
	}
	return emitPartnerEvent(ctx, r, partnerID, articleID, e)
}

// emitPartnerEvent is emitEvent for an article whose partner (nil for
// none) the caller has read already.
func emitPartnerEvent(ctx context.Context, r runner, partnerID *string, articleID string, e article.Event) error {
	if partnerID == nil {
		return nil
	}
	if err := emitWebhooks(ctx, r, *partnerID, articleID, e); err != nil {
		return err
	}
	return emitONDC(ctx, r, *partnerID, articleID, e)
}
