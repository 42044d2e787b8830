package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"dakiya/internal/article"
	"dakiya/internal/delivery"
	"dakiya/internal/outbox"
	"dakiya/internal/webhook"
)

// seqScale spaces an article's webhook messages so that messages derived
// from one event (the COD collected by a delivery) follow it in order:
// event n is n·seqScale, what follows it n·seqScale + 1.
const seqScale = 10

// webhookData is what a webhook says of an article's event. A delivered
// event's data names its proofs (the sender adds fresh links when it
// sends).
func webhookData(ctx context.Context, r runner, articleID string, e article.Event) (webhook.Data, error) {
	data := webhook.EventData(articleID, e)
	if e.Event == article.EventDelivered {
		proofs, err := deliveryProofs(ctx, r, articleID)
		if err != nil {
			return data, err
		}
		data.ProofOfDelivery = proofs
	}
	return data, nil
}

// emitCODCollected enqueues article.cod_collected for a delivery that
// collected cash or UPI, in the outcome's transaction, right after its
// delivered event e.
func emitCODCollected(ctx context.Context, r runner, partnerID *string, d delivery.Delivery, e article.Event) error {
	if d.COD == nil || d.COD.AmountPaise <= 0 || partnerID == nil {
		return nil
	}
	data := webhook.EventData(d.ArticleID, e)
	data.COD = &webhook.COD{Mode: d.COD.Mode, AmountPaise: d.COD.AmountPaise}
	return enqueueWebhooks(ctx, r, *partnerID, d.ArticleID, webhook.TypeCODCollected, int64(e.Seq)*seqScale+1, e, data)
}

// enqueueWebhooks writes one message per live subscription of the partner
// that wants typ.
func enqueueWebhooks(ctx context.Context, r runner, partnerID, articleID, typ string, seq int64, e article.Event, data webhook.Data) error {
	subs, err := liveWebhooks(ctx, r, partnerID)
	if err != nil {
		return err
	}
	msgs, err := webhookMessages(subs, partnerID, articleID, typ, seq, e, data)
	if err != nil {
		return err
	}
	return enqueueAll(ctx, r, msgs)
}

// webhookMessages are the messages of an article's event for those of a
// partner's subscriptions that want typ. A message's id is derived from
// its subscription, article and seq, so writing the same event twice
// queues it once.
func webhookMessages(subs []webhook.Stored, partnerID, articleID, typ string, seq int64, e article.Event, data webhook.Data) ([]outbox.Message, error) {
	var out []outbox.Message
	for _, s := range subs {
		if !webhook.Wants(s.Events, typ) {
			continue
		}
		id := messageID(s.ID, articleID, seq)
		body, err := webhook.Body(id, typ, e.At, data)
		if err != nil {
			return nil, classify("webhook body", err)
		}
		out = append(out, outbox.Message{ID: id, PartnerID: partnerID, Kind: outbox.KindWebhook, Target: s.ID,
			OrderKey: s.ID + "/" + articleID, Seq: seq, EventType: typ, Body: body, CreatedAt: e.At})
	}
	return out, nil
}

// messageID is "evt_" and 32 hex digits of a hash of what the message is.
func messageID(webhookID, articleID string, seq int64) string {
	h := sha256.Sum256([]byte(webhookID + "\x00" + articleID + "\x00" + strconv.FormatInt(seq, 10)))
	return "evt_" + hex.EncodeToString(h[:16])
}

func liveWebhooks(ctx context.Context, r runner, partnerID string) ([]webhook.Stored, error) {
	rows, err := r.query(ctx, "SELECT "+webhookColumns+" FROM webhooks WHERE partner_id = ? AND deleted_at IS NULL ORDER BY created_at, id", partnerID)
	if err != nil {
		return nil, classify("live webhooks", err)
	}
	defer rows.Close()
	var out []webhook.Stored
	for rows.Next() {
		s, err := scanWebhook(rows)
		if err != nil {
			return nil, classify("live webhooks", err)
		}
		out = append(out, s)
	}
	return out, classify("live webhooks", rows.Err())
}

// deliveryProofs names the proofs of an article's delivered outcome.
func deliveryProofs(ctx context.Context, r runner, articleID string) ([]webhook.Proof, error) {
	rows, err := r.query(ctx, `SELECT p.id, p.kind FROM deliveries d JOIN delivery_proofs dp ON dp.delivery_id = d.id
		JOIN proofs p ON p.id = dp.proof_id WHERE d.article_id = ? AND d.outcome = ? ORDER BY p.created_at, p.id`,
		articleID, delivery.Delivered)
	if err != nil {
		return nil, classify("delivery proofs", err)
	}
	defer rows.Close()
	var out []webhook.Proof
	for rows.Next() {
		var p webhook.Proof
		if err := rows.Scan(&p.ProofID, &p.Kind); err != nil {
			return nil, classify("delivery proofs", err)
		}
		out = append(out, p)
	}
	return out, classify("delivery proofs", rows.Err())
}
