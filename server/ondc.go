package main

import (
	"encoding/base64"
	"fmt"
	"time"

	"dakiya/internal/ondc"
	"dakiya/internal/outbox"
	"dakiya/internal/secret"
)

// ondcService builds the ONDC logistics adapter when a registry file is
// configured (nil otherwise, and POST /ondc/{action} is not served), and
// registers it as the outbox's sender of ONDC callbacks. Its signing key
// is DAKIYA_ONDC_SIGNING_KEY_FILE's seed, or in development one derived
// from the secret key.
func (a *app) ondcService(keys secret.Keyring) error {
	c := a.cfg.ONDC
	if c.Registry == "" {
		return nil
	}
	reg, err := ondc.LoadRegistry(c.Registry)
	if err != nil {
		return err
	}
	seed := keys.Key(secret.PurposeONDCSigning)
	if c.SigningKey != "" {
		if seed, err = base64.StdEncoding.DecodeString(c.SigningKey); err != nil {
			return fmt.Errorf("DAKIYA_ONDC_SIGNING_KEY_FILE: not base64: %w", err)
		}
	}
	signer, err := ondc.NewSigner(c.SubscriberID, c.UniqueKeyID, seed)
	if err != nil {
		return err
	}
	a.ondc = ondc.New(a.db, a.tariffs, ondc.Config{Registry: reg, Signer: signer, BppURI: a.cfg.PublicURL + "/ondc",
		TrackURL: func(id string) string { return a.cfg.PublicURL + "/track?id=" + id },
		ProofURL: func(id string, now time.Time) string { return a.podLinks.URL(id, now) },
		CheckURL: a.guard.CheckURL, Dev: !a.cfg.Production()}, a.now, newID)
	if a.outboxSenders == nil {
		a.outboxSenders = map[outbox.Kind]outbox.Sender{}
	}
	a.outboxSenders[outbox.KindONDC] = a.ondc
	a.log.Info("ondc adapter", "subscriber_id", c.SubscriberID, "unique_key_id", c.UniqueKeyID,
		"signing_public_key", signer.PublicKey(), "registry_entries", reg.Len())
	return nil
}
