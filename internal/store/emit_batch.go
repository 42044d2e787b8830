package store

import (
	"context"

	"dakiya/internal/article"
	"dakiya/internal/outbox"
	"dakiya/internal/webhook"
)

// partnerEvent is an event of an article a partner booked.
type partnerEvent struct {
	partner, article string
	event            article.Event
}

// emitPartnerEvents writes, in the transaction that records the events,
// what events of partner-booked articles owe partner systems: webhook
// deliveries to the subscriptions of the partner that booked each article,
// and ONDC status callbacks for ONDC orders. The statements do not grow
// with the articles: each partner's subscriptions are read once, the ONDC
// orders' seqs taken in one update per chunk, and the messages written in
// multi-row inserts. A delivered event still reads its article's proofs.
func emitPartnerEvents(ctx context.Context, x runner, evs []partnerEvent) error {
	if len(evs) == 0 {
		return nil
	}
	msgs, err := partnerWebhookMessages(ctx, x, evs)
	if err != nil {
		return err
	}
	calls, err := ondcMessages(ctx, x, evs)
	if err != nil {
		return err
	}
	return enqueueAll(ctx, x, append(msgs, calls...))
}

// partnerWebhookMessages are the webhook messages of evs, each partner's
// live subscriptions read once.
func partnerWebhookMessages(ctx context.Context, x runner, evs []partnerEvent) ([]outbox.Message, error) {
	subs := map[string][]webhook.Stored{}
	var out []outbox.Message
	for _, pe := range evs {
		typ, ok := webhook.TypeOf(pe.event.Event)
		if !ok {
			continue
		}
		live, seen := subs[pe.partner]
		if !seen {
			var err error
			if live, err = liveWebhooks(ctx, x, pe.partner); err != nil {
				return nil, err
			}
			subs[pe.partner] = live
		}
		if len(live) == 0 {
			continue
		}
		data, err := webhookData(ctx, x, pe.article, pe.event)
		if err != nil {
			return nil, err
		}
		msgs, err := webhookMessages(live, pe.partner, pe.article, typ, int64(pe.event.Seq)*seqScale, pe.event, data)
		if err != nil {
			return nil, err
		}
		out = append(out, msgs...)
	}
	return out, nil
}
