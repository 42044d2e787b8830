package store

import (
	"context"

	"dakiya/internal/article"
)

// emitWebhooks enqueues an article event for the partner's webhook
// subscriptions that want it. (Filled in by the webhooks work.)
func emitWebhooks(ctx context.Context, r runner, partnerID, articleID string, e article.Event) error {
	return nil
}
