package config

import (
	"fmt"
	"net/url"
	"strings"
)

// ONDC configures the ONDC logistics adapter (POST /ondc/{action}). It is
// served only when Registry names a registry file.
type ONDC struct {
	// Registry is the JSON file of the network participants we trust:
	// subscriber_id, unique_key_id, signing_public_key and the partner_id
	// each buyer app books as (DAKIYA_ONDC_REGISTRY).
	Registry string
	// SigningKey is our base64 Ed25519 seed, read from
	// DAKIYA_ONDC_SIGNING_KEY_FILE; empty derives one from the secret key
	// (development only).
	SigningKey string
	// SubscriberID is our subscriber id (DAKIYA_ONDC_SUBSCRIBER_ID; the
	// public URL's host name).
	SubscriberID string
	// UniqueKeyID names our signing key in the registry
	// (DAKIYA_ONDC_UNIQUE_KEY_ID; "k1").
	UniqueKeyID string
}

// loadONDC reads the ONDC settings; publicURL is already checked.
func loadONDC(env func(k, def string) string, readFile func(string) ([]byte, error), publicURL string, production bool) (ONDC, error) {
	o := ONDC{Registry: env("DAKIYA_ONDC_REGISTRY", ""), SubscriberID: env("DAKIYA_ONDC_SUBSCRIBER_ID", ""),
		UniqueKeyID: env("DAKIYA_ONDC_UNIQUE_KEY_ID", "k1")}
	if o.SubscriberID == "" {
		if u, err := url.Parse(publicURL); err == nil {
			o.SubscriberID = u.Hostname()
		}
	}
	if f := env("DAKIYA_ONDC_SIGNING_KEY_FILE", ""); f != "" {
		b, err := readFile(f)
		if err != nil {
			return o, fmt.Errorf("DAKIYA_ONDC_SIGNING_KEY_FILE: %w", err)
		}
		o.SigningKey = strings.TrimSpace(string(b))
	}
	if o.Registry != "" && o.SigningKey == "" && production {
		return o, fmt.Errorf("DAKIYA_ONDC_SIGNING_KEY_FILE is required in production when DAKIYA_ONDC_REGISTRY is set")
	}
	return o, nil
}
