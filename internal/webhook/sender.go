package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"dakiya/internal/outbox"
	"dakiya/internal/pod"
	"dakiya/internal/postal"
	"dakiya/internal/secret"
)

// SignatureHeader carries a request's signature: t=<unix>,v1=<hex
// HMAC-SHA256(secret, t + "." + body)>, the secret being the whole string
// shown when the subscription was made.
const SignatureHeader = "Dakiya-Signature"

// UserAgent is what the requests say they come from.
const UserAgent = "Dakiya-Webhooks/1"

// Sign returns the signature header's value for body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

// Subscriptions finds a live subscription for the sender.
type Subscriptions interface {
	Webhook(ctx context.Context, id string) (Stored, error)
}

// Sender makes a webhook message's request at send time: it finds the
// subscription (gone when deleted), adds fresh proof-of-delivery links to
// a delivery's body, and signs it with now.
type Sender struct {
	subs   Subscriptions
	sealer secret.Sealer
	links  pod.Links
}

// NewSender returns the outbox.Sender of webhook messages.
func NewSender(subs Subscriptions, sealer secret.Sealer, links pod.Links) *Sender {
	return &Sender{subs: subs, sealer: sealer, links: links}
}

// Request implements outbox.Sender.
func (s *Sender) Request(ctx context.Context, m outbox.Message, now time.Time) (*http.Request, error) {
	sub, err := s.subs.Webhook(ctx, m.Target)
	if postal.IsCode(err, postal.CodeNotFound) {
		return nil, fmt.Errorf("webhook %s: %w", m.Target, outbox.ErrGone)
	}
	if err != nil {
		return nil, err
	}
	sec, err := s.sealer.Open(sub.ID, sub.SecretSealed)
	if err != nil {
		return nil, fmt.Errorf("webhook %s: %w", sub.ID, err)
	}
	body, err := s.render(m.Body, now)
	if err != nil {
		return nil, fmt.Errorf("webhook message %s: %w", m.ID, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.URL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("webhook %s: %w", sub.ID, err)
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", UserAgent)
	h.Set("Idempotency-Key", m.ID)
	h.Set("Dakiya-Event", m.EventType)
	h.Set(SignatureHeader, Sign(string(sec), now, body))
	return req, nil
}

// render adds a url and expires_at, valid 24 h from now, to each proof of
// a body's data.proof_of_delivery; other bodies go as stored.
func (s *Sender) render(stored []byte, now time.Time) ([]byte, error) {
	var env struct {
		ID        string          `json:"id"`
		Type      string          `json:"type"`
		CreatedAt time.Time       `json:"created_at"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(stored, &env); err != nil {
		return nil, err
	}
	var data map[string]json.RawMessage
	if err := json.Unmarshal(env.Data, &data); err != nil || data["proof_of_delivery"] == nil {
		return stored, nil
	}
	var proofs []Proof
	if err := json.Unmarshal(data["proof_of_delivery"], &proofs); err != nil {
		return nil, err
	}
	exp := pod.Expiry(now).UTC()
	for i := range proofs {
		proofs[i].URL, proofs[i].ExpiresAt = s.links.URL(proofs[i].ProofID, now), &exp
	}
	raw, err := json.Marshal(proofs)
	if err != nil {
		return nil, err
	}
	data["proof_of_delivery"] = raw
	return Body(env.ID, env.Type, env.CreatedAt, data)
}
