package store

import (
	"context"
	"strconv"

	"dakiya/internal/ondc"
	"dakiya/internal/outbox"
)

// ondcMessages are the unsolicited on_status callbacks that events owe
// ONDC orders whose article's fulfillment state they change: rendered at
// send time in the state the event put it in. Each confirmed order's seq
// is taken in one update per chunk of articles; a cancelled order's
// events owe nothing (on_cancel said it).
func ondcMessages(ctx context.Context, x runner, evs []partnerEvent) ([]outbox.Message, error) {
	of := make(map[string]partnerEvent, len(evs))
	var ids []string
	for _, pe := range evs {
		if ondc.EventState(pe.event.Event) != "" {
			of[pe.article] = pe
			ids = append(ids, pe.article)
		}
	}
	var out []outbox.Message
	err := inChunks(ids, func(chunk []string) error {
		rows, err := x.query(ctx, "UPDATE ondc_orders SET seq = seq + 1 WHERE stage = ? AND article_id IN ("+marks(len(chunk))+
			") RETURNING id, article_id, seq", append([]any{ondc.StageConfirmed}, anys(chunk)...)...)
		if err != nil {
			return classify("ondc seq", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, art string
			var seq int64
			if err := rows.Scan(&id, &art, &seq); err != nil {
				return classify("ondc seq", err)
			}
			pe := of[art]
			out = append(out, outbox.Message{
				ID: "ondc-" + art + "-" + strconv.Itoa(pe.event.Seq), PartnerID: pe.partner, Kind: outbox.KindONDC,
				Target: id, OrderKey: "ondc:" + id, Seq: seq, EventType: ondc.StatusEvent(ondc.EventState(pe.event.Event)),
				CreatedAt: pe.event.At,
			})
		}
		return classify("ondc seq", rows.Err())
	})
	return out, err
}
