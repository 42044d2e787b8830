package store

import (
	"context"

	"dakiya/internal/article"
)

// emitONDC enqueues an unsolicited on_status for an ONDC order when its
// article's fulfillment state changes. (Filled in by the ONDC work.)
func emitONDC(ctx context.Context, r runner, partnerID, articleID string, e article.Event) error {
	return nil
}
