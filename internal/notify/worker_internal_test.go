package notify

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"dakiya/internal/postal"
)

func TestBackoff(t *testing.T) {
	retryAfter := func(d time.Duration) error {
		e := postal.Wrap(errors.New("429"), postal.CodeUnavailable, "busy")
		e.RetryAfter = d
		return e
	}
	tests := []struct {
		name     string
		attempts int
		rand     float64
		err      error
		want     time.Duration
	}{
		{"first failure", 1, 0.5, nil, 2 * time.Second},
		{"doubles", 2, 0.5, nil, 4 * time.Second},
		{"doubles again", 3, 0.5, nil, 8 * time.Second},
		{"below the cap", 9, 0.5, nil, 512 * time.Second},
		{"capped", 10, 0.5, nil, 10 * time.Minute},
		{"stays capped", 200, 0.5, nil, 10 * time.Minute},
		{"jitter down 20 %", 1, 0, nil, 1600 * time.Millisecond},
		{"jitter up", 1, 0.75, nil, 2200 * time.Millisecond},
		{"jitter around the cap", 12, 0, nil, 8 * time.Minute},
		{"retry-after longer", 1, 0.5, retryAfter(time.Minute), time.Minute},
		{"retry-after shorter", 3, 0.5, retryAfter(time.Second), 8 * time.Second},
		{"retry-after capped", 1, 0.5, retryAfter(24 * time.Hour), 10 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWorker(nil, OutboxSender{}, time.Now, slog.New(slog.DiscardHandler),
				WorkerOptions{Rand: func() float64 { return tt.rand }})
			if got := w.backoff(tt.attempts, tt.err); got != tt.want {
				t.Fatalf("backoff(%d) = %v, want %v", tt.attempts, got, tt.want)
			}
		})
	}
}

func TestWorkerOptionDefaults(t *testing.T) {
	a := WorkerOptions{}.withDefaults()
	b := WorkerOptions{}.withDefaults()
	if a.Owner == "" || a.Owner == b.Owner {
		t.Fatalf("owners %q and %q: want random, distinct ids", a.Owner, b.Owner)
	}
	if a.BatchSize != 20 || a.Lease != 30*time.Second || a.SendTimeout != 10*time.Second || a.PollInterval != time.Second ||
		a.BackoffBase != 2*time.Second || a.BackoffMax != 10*time.Minute || a.MaxAttempts != 15 || a.Rand == nil {
		t.Fatalf("defaults = %+v", a)
	}
	// A send must end well inside its lease.
	if o := (WorkerOptions{Lease: 8 * time.Second, SendTimeout: time.Minute}).withDefaults(); o.SendTimeout != 4*time.Second {
		t.Fatalf("send timeout = %v with an 8 s lease, want 4 s", o.SendTimeout)
	}
}

// TestErrorTextIsStorableText: a gateway's error, however long or odd its
// bytes, is kept as text PostgreSQL takes: valid UTF-8, no U+0000, never
// cut inside a character, at most maxErrorLen bytes.
func TestErrorTextIsStorableText(t *testing.T) {
	for name, msg := range map[string]string{
		"hindi across the cut": strings.Repeat("a", maxErrorLen-1) + "भारतीय डाक",
		"nul and bad bytes":    "refused\x00 \xff\xfe",
	} {
		got := errorText(errors.New(msg))
		if !utf8.ValidString(got) || strings.IndexByte(got, 0) >= 0 || len(got) > maxErrorLen {
			t.Errorf("%s: %q", name, got)
		}
	}
}
