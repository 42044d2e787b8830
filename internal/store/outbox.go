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
	_, err := r.exec(ctx, outboxInsert+" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING", outboxRow(m)...)
	return classify("enqueue", err)
}

const outboxInsert = "INSERT INTO outbox (id, partner_id, kind, target, order_key, seq, event_type, body, next_at, created_at)"

// outboxRow is m's values in outboxInsert's order; a message with no
// NextAt is due when it was created.
func outboxRow(m outbox.Message) []any {
	next := m.NextAt
	if next.IsZero() {
		next = m.CreatedAt
	}
	return []any{m.ID, m.PartnerID, string(m.Kind), m.Target, m.OrderKey, m.Seq, m.EventType, string(m.Body), ms(next), ms(m.CreatedAt)}
}

// enqueueAll is enqueue for many messages, in multi-row inserts.
func enqueueAll(ctx context.Context, r runner, msgs []outbox.Message) error {
	rows := make([][]any, len(msgs))
	for i, m := range msgs {
		rows[i] = outboxRow(m)
	}
	return insertRows(ctx, r, "enqueue", outboxInsert, 10, rows, "ON CONFLICT (id) DO NOTHING")
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
	return emitPartnerEvents(ctx, r, []partnerEvent{{partner: *partnerID, article: articleID, event: e}})
}
