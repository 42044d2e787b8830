package ondc

// This file reads the registry file: the network participants whose
// signed requests we accept, their public keys, and the partner each one
// books as.

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
)

// Subscriber is one key of a network participant in the registry file.
type Subscriber struct {
	SubscriberID string `json:"subscriber_id"`
	UniqueKeyID  string `json:"unique_key_id"`
	// SigningPublicKey is the base64 Ed25519 public key (ONDC's registry
	// lookup returns it under this name).
	SigningPublicKey string `json:"signing_public_key"`
	// PartnerID is the Dakiya partner this buyer app books and is billed as.
	PartnerID string            `json:"partner_id"`
	PublicKey ed25519.PublicKey `json:"-"`
}

// Registry is the set of participants we trust, by subscriber id and key id.
type Registry struct {
	byKey map[string]Subscriber
	byID  map[string]Subscriber
}

// NewRegistry checks and indexes subscribers.
func NewRegistry(subs []Subscriber) (Registry, error) {
	r := Registry{byKey: map[string]Subscriber{}, byID: map[string]Subscriber{}}
	for i, s := range subs {
		pk, err := base64.StdEncoding.DecodeString(s.SigningPublicKey)
		if err != nil || len(pk) != ed25519.PublicKeySize {
			return Registry{}, fmt.Errorf("ondc registry: entry %d: signing_public_key is not a base64 Ed25519 public key", i)
		}
		if s.SubscriberID == "" || s.UniqueKeyID == "" || s.PartnerID == "" {
			return Registry{}, fmt.Errorf("ondc registry: entry %d: subscriber_id, unique_key_id and partner_id are required", i)
		}
		if p, ok := r.byID[s.SubscriberID]; ok && p.PartnerID != s.PartnerID {
			return Registry{}, fmt.Errorf("ondc registry: %s is listed for two partners", s.SubscriberID)
		}
		s.PublicKey = pk
		r.byKey[s.SubscriberID+"|"+s.UniqueKeyID] = s
		r.byID[s.SubscriberID] = s
	}
	return r, nil
}

// LoadRegistry reads a registry file: a JSON array of subscribers.
func LoadRegistry(path string) (Registry, error) {
	if path == "" {
		return NewRegistry(nil)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return Registry{}, fmt.Errorf("ondc registry: %w", err)
	}
	var subs []Subscriber
	if err := json.Unmarshal(b, &subs); err != nil {
		return Registry{}, fmt.Errorf("ondc registry %s: %w", path, err)
	}
	return NewRegistry(subs)
}

// Lookup finds one key of a subscriber.
func (r Registry) Lookup(subscriberID, uniqueKeyID string) (Subscriber, bool) {
	s, ok := r.byKey[subscriberID+"|"+uniqueKeyID]
	return s, ok
}

// Partner returns the partner a buyer app (its bap_id) books as.
func (r Registry) Partner(bapID string) (string, bool) {
	s, ok := r.byID[bapID]
	return s.PartnerID, ok
}

// Len is how many keys the registry holds.
func (r Registry) Len() int { return len(r.byKey) }
