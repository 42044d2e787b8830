package config

import (
	"testing"
	"time"
)

func TestOutboxPoll(t *testing.T) {
	for raw, want := range map[string]time.Duration{"": DefaultOutboxPoll, "100ms": 100 * time.Millisecond, "1m": time.Minute,
		"10ms": 0, "2m": 0, "soon": 0} {
		got, err := loadOutbox(func(k, def string) string {
			if raw == "" {
				return def
			}
			return raw
		})
		if (err != nil) != (want == 0) || got.Poll != want {
			t.Errorf("%q: %v, %v", raw, got.Poll, err)
		}
	}
}
