package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"dakiya/internal/article"
	"dakiya/internal/ondc"
	"dakiya/internal/outbox"
)

// emitONDC enqueues an unsolicited on_status for an ONDC order when its
// article's fulfillment state changes: rendered at send time in the state
// the event put it in. A cancelled order's events owe nothing (on_cancel
// said it).
func emitONDC(ctx context.Context, r runner, partnerID, articleID string, e article.Event) error {
	fs := ondc.EventState(e.Event)
	if fs == "" {
		return nil
	}
	var id, stage string
	err := r.queryRow(ctx, "SELECT id, stage FROM ondc_orders WHERE article_id = ?", articleID).Scan(&id, &stage)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && stage != ondc.StageConfirmed) {
		return nil
	}
	if err != nil {
		return classify("emit ondc", err)
	}
	return enqueueONDC(ctx, r, id, outbox.Message{
		ID: "ondc-" + articleID + "-" + strconv.Itoa(e.Seq), PartnerID: partnerID, Kind: outbox.KindONDC,
		Target: id, OrderKey: "ondc:" + id, EventType: ondc.StatusEvent(fs), CreatedAt: e.At,
	})
}
