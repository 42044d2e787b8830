package config

import (
	"fmt"
	"time"
)

// DefaultOutboxPoll is how often the outbox dispatcher polls by default.
const DefaultOutboxPoll = 2 * time.Second

// Outbox tunes the outbox dispatcher.
type Outbox struct {
	// Poll is how often it looks for due messages (DAKIYA_OUTBOX_POLL, a
	// Go duration from 50ms to 1m; 2s).
	Poll time.Duration
}

// loadOutbox reads DAKIYA_OUTBOX_POLL.
func loadOutbox(env func(k, def string) string) (Outbox, error) {
	raw := env("DAKIYA_OUTBOX_POLL", DefaultOutboxPoll.String())
	d, err := time.ParseDuration(raw)
	if err != nil || d < 50*time.Millisecond || d > time.Minute {
		return Outbox{}, fmt.Errorf("DAKIYA_OUTBOX_POLL %q must be a duration from 50ms to 1m", raw)
	}
	return Outbox{Poll: d}, nil
}
