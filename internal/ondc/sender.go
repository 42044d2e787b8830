package ondc

// This file is the outbox's sender for ONDC callbacks: it renders a
// callback stored without a body from the order as it is now, and signs it
// at send time.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"dakiya/internal/outbox"
	"dakiya/internal/postal"
)

// StatusEvent is the event type of an unsolicited on_status for state fs.
func StatusEvent(fs string) string { return "on_status/" + fs }

// Request turns a due callback into the signed POST to the buyer app.
func (s *Service) Request(ctx context.Context, m outbox.Message, now time.Time) (*http.Request, error) {
	o, err := s.store.ONDCOrderByID(ctx, m.Target)
	if err != nil {
		return nil, err
	}
	action, fs, _ := strings.Cut(m.EventType, "/")
	body := m.Body
	if len(body) == 0 {
		if body, err = s.Render(ctx, o, messageID(o, m), action, fs, now); err != nil {
			return nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(o.BapURI, "/")+"/"+action, bytes.NewReader(body))
	if err != nil {
		return nil, postal.Wrap(err, postal.CodeInternal, "ondc: callback request")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", s.cfg.Signer.Header(body, now))
	return req, nil
}

// Render renders a callback of o at now: on_track, or on_status in state
// fs (the article's current state when fs is "").
func (s *Service) Render(ctx context.Context, o Order, messageID, action, fs string, now time.Time) ([]byte, error) {
	t, err := s.tracking(ctx, o, now)
	if err != nil {
		return nil, err
	}
	var msg Doc
	switch action {
	case "on_track":
		msg = s.TrackMessage(o, t)
	case "on_status":
		msg = Doc{"order": StatusOrder(o, t, fs, now)}
	default:
		return nil, postal.Errorf(postal.CodeInternal, "ondc: cannot render %s", action)
	}
	b, err := json.Marshal(Envelope(s.callbackContext(o), action, messageID, now, msg))
	if err != nil {
		return nil, postal.Wrap(err, postal.CodeInternal, "ondc: render "+action)
	}
	return b, nil
}

// messageID is a callback's message_id: its request's for a solicited
// callback (whose outbox id ends in it), its own id for an unsolicited one.
func messageID(o Order, m outbox.Message) string {
	if rest, ok := strings.CutPrefix(m.ID, o.ID+"/"); ok {
		if _, id, ok := strings.Cut(rest, "/"); ok {
			return id
		}
	}
	return m.ID
}
