package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"dakiya/internal/secret"
)

// Slot marks, in a stored body, where the message's secret (a recipient's
// code) goes when the message is sent. The secret itself is kept only
// sealed, so the sms table, and every backup of it, holds no code.
const Slot = "{code}"

// Sealer seals a message's secret, bound to the message's id so a sealed
// secret cannot be moved to another message, and renders a message at send
// time. The zero Sealer opens none.
type Sealer struct {
	box secret.Sealer
}

// NewSealer returns a Sealer with a 32-byte key (derive it for
// secret.PurposeSMSSeal).
// It opens with the previous keys too, during a rotation.
func NewSealer(key []byte, previous ...[]byte) (Sealer, error) {
	box, err := secret.NewSealer(key, previous...)
	if err != nil {
		return Sealer{}, fmt.Errorf("notify: %w", err)
	}
	return Sealer{box: box}, nil
}

// NewSealedMessage returns a queued message whose body is template, with
// secret sealed beside it: Render puts it in place of every Slot.
func (s Sealer) NewSealedMessage(id, phone, template, secret, kind, articleID, dedupeKey string, now time.Time) (Message, error) {
	if !strings.Contains(template, Slot) {
		return Message{}, errors.New("notify: a sealed message's template has no slot for its secret")
	}
	sealed, err := s.box.Seal(id, []byte(secret))
	if err != nil {
		return Message{}, fmt.Errorf("notify: message %s: %w", id, err)
	}
	m := NewMessage(id, phone, template, kind, articleID, dedupeKey, now)
	m.Sealed = sealed
	return m, nil
}

// Render returns m as the recipient reads it: a sealed secret opened and
// put in its slots. A message without one is returned as it is.
func (s Sealer) Render(m Message) (Message, error) {
	secret, err := s.open(m)
	if err != nil {
		return Message{}, err
	}
	return render(m, secret), nil
}

// open returns m's sealed secret, or "" when it has none.
func (s Sealer) open(m Message) (string, error) {
	if m.Sealed == "" {
		return "", nil
	}
	plain, err := s.box.Open(m.ID, m.Sealed)
	if err != nil {
		return "", fmt.Errorf("notify: message %s: %w", m.ID, err)
	}
	return string(plain), nil
}

// render puts secret in m's slots, if m has a sealed secret.
func render(m Message, secret string) Message {
	if m.Sealed == "" {
		return m
	}
	m.Body, m.Sealed = strings.ReplaceAll(m.Body, Slot, secret), ""
	return m
}

// redacted is a send failure with the message's secret taken out of its
// text (a gateway may echo the message), since that text is kept as the
// message's last error and logged. It unwraps to the failure itself.
type redacted struct {
	err    error
	secret string
}

func (r redacted) Error() string { return strings.ReplaceAll(r.err.Error(), r.secret, Slot) }
func (r redacted) Unwrap() error { return r.err }

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
