package auth

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// revocations remembers, per user, when their sessions were last ended, for
// as long as an access token issued before that could still be alive. It
// lets Authenticate refuse such tokens without reading the database.
type revocations struct {
	mu    sync.RWMutex
	ended map[string]int64 // user id -> Unix ms
}

func newRevocations() *revocations { return &revocations{ended: map[string]int64{}} }

// refuses reports whether a token of user issued under the sessions-ended
// time rv predates a later ending.
func (r *revocations) refuses(user string, rv int64) bool {
	r.mu.RLock()
	at, ok := r.ended[user]
	r.mu.RUnlock()
	return ok && at > rv
}

// merge adds endings, keeping the later of two for a user, and forgets the
// ones before horizon (every token they could refuse has expired).
func (r *revocations) merge(endings map[string]int64, horizon int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, at := range endings {
		if at > r.ended[id] {
			r.ended[id] = at
		}
	}
	for id, at := range r.ended {
		if at < horizon {
			delete(r.ended, id)
		}
	}
}

// revocationWindow is how far back endings matter: an access token's life
// and a minute for clocks that disagree between replicas.
const revocationWindow = AccessTTL + time.Minute

// LoadRevocations reads the endings of the last revocationWindow from the
// store, so tokens ended on another replica are refused here too.
func (s *Service) LoadRevocations(ctx context.Context) error {
	since := s.now().Add(-revocationWindow)
	endings, err := s.store.RevokedSessions(ctx, since)
	if err != nil {
		return err
	}
	s.ended.merge(endings, since.UnixMilli())
	return nil
}

// WatchRevocations loads the endings every interval until ctx ends; a
// user disabled on another replica is refused here within one interval
// (at once on the replica that disabled them).
func (s *Service) WatchRevocations(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.LoadRevocations(ctx); err != nil && ctx.Err() == nil {
				log.Warn("loading ended sessions", "error", err.Error())
			}
		}
	}
}
