package main

import (
	"context"
	"os"

	"dakiya/internal/dispatch"
	"dakiya/internal/outbox"
	"dakiya/internal/pod"
	"dakiya/internal/secret"
	"dakiya/internal/webhook"
)

// webhookServices builds the webhook subscriptions and the outbox
// dispatcher that sends their messages. Outside production the guard lets
// messages go to http and loopback receivers.
func (a *app) webhookServices(keys secret.Keyring) error {
	sealer, err := secret.NewSealer(keys.Key(secret.PurposeWebhookSeal), keys.Previous(secret.PurposeWebhookSeal)...)
	if err != nil {
		return err
	}
	a.guard = dispatch.Guard{Dev: !a.cfg.Production()}
	a.webhooks = webhook.New(a.db, sealer, a.guard.CheckURL, a.now, newID)
	links := pod.NewLinks(keys.Key(secret.PurposePODLink), a.cfg.PublicURL, keys.Previous(secret.PurposePODLink)...)
	a.outboxSenders = map[outbox.Kind]outbox.Sender{outbox.KindWebhook: webhook.NewSender(a.db, sealer, links)}
	return nil
}

// startDispatcher runs the outbox dispatcher on ctx beside the other
// workers. It returns stop wrapped so that it also waits for the
// dispatcher, which finishes the messages in flight.
func (a *app) startDispatcher(ctx context.Context, stop context.CancelFunc) context.CancelFunc {
	host, _ := os.Hostname()
	d, err := dispatch.New(a.db, a.outboxSenders, a.now, a.log.With("worker", "outbox"),
		dispatch.Options{Poll: a.cfg.Outbox.Poll, Guard: a.guard, Owner: host + "/" + newID()})
	if err != nil {
		a.log.Error("outbox dispatcher not started", "error", err.Error())
		return stop
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run(ctx)
	}()
	return func() { stop(); <-done }
}
