package notify

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Slot marks, in a stored body, where the message's secret (a recipient's
// code) goes when the message is sent. The secret itself is kept only
// sealed, so the sms table, and every backup of it, holds no code.
const Slot = "{code}"

// Sealer seals a message's secret with AES-256-GCM, bound to the
// message's id so a sealed secret cannot be moved to another message, and
// renders a message at send time.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a Sealer with a 32-byte key (derive it for
// secret.PurposeSMSSeal).
func NewSealer(key []byte) (Sealer, error) {
	if len(key) != 32 {
		return Sealer{}, errors.New("notify: the seal key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return Sealer{}, fmt.Errorf("notify: seal key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return Sealer{}, fmt.Errorf("notify: seal key: %w", err)
	}
	return Sealer{aead: aead}, nil
}

// NewSealedMessage returns a queued message whose body is template, with
// secret sealed beside it: Render puts it in place of every Slot.
func (s Sealer) NewSealedMessage(id, phone, template, secret, kind, articleID, dedupeKey string, now time.Time) (Message, error) {
	if !strings.Contains(template, Slot) {
		return Message{}, errors.New("notify: a sealed message's template has no slot for its secret")
	}
	if s.aead == nil {
		return Message{}, errors.New("notify: no seal key")
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return Message{}, fmt.Errorf("notify: nonce: %w", err)
	}
	m := NewMessage(id, phone, template, kind, articleID, dedupeKey, now)
	m.Sealed = base64.RawStdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(secret), []byte(id)))
	return m, nil
}

// Render returns m as the recipient reads it: a sealed secret opened and
// put in its slots. A message without one is returned as it is.
func (s Sealer) Render(m Message) (Message, error) {
	if m.Sealed == "" {
		return m, nil
	}
	raw, err := base64.RawStdEncoding.DecodeString(m.Sealed)
	if err != nil || s.aead == nil || len(raw) < s.aead.NonceSize() {
		return Message{}, fmt.Errorf("notify: message %s: malformed sealed secret, or no key", m.ID)
	}
	n := s.aead.NonceSize()
	secret, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(m.ID))
	if err != nil {
		return Message{}, fmt.Errorf("notify: message %s: sealed secret does not open with this key", m.ID)
	}
	m.Body, m.Sealed = strings.ReplaceAll(m.Body, Slot, string(secret)), ""
	return m, nil
}

// Outbox reads the development outbox: the latest limit messages to a
// phone, newest first, rendered as the recipient got them. It shows codes,
// so whoever serves it must keep it to the developer.
func Outbox(s Store, sealer Sealer, limit int) func(ctx context.Context, phone string) ([]Message, error) {
	return func(ctx context.Context, phone string) ([]Message, error) {
		msgs, err := s.LatestSMS(ctx, phone, limit)
		if err != nil {
			return nil, err
		}
		for i, m := range msgs {
			if r, err := sealer.Render(m); err == nil {
				msgs[i] = r // one that does not open (another key) shows its slot
			}
		}
		return msgs, nil
	}
}
