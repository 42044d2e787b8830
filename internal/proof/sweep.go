package proof

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Sweeper timing.
const (
	// OrphanAge is how old an object without a row must be before it is
	// deleted: far longer than any upload takes between writing its object
	// and its row.
	OrphanAge = 24 * time.Hour
	// SweepEvery is how often Run sweeps.
	SweepEvery = time.Hour

	sweepBatch = 500 // keys checked against the database at once
)

// Index is what the Sweeper needs from the database.
type Index interface {
	// ProofObjectKeys returns which of keys a proof row names.
	ProofObjectKeys(ctx context.Context, keys []string) (map[string]bool, error)
}

// Sweeper deletes orphans: proof objects whose row was never written
// because the server stopped, or the database failed, between the two.
// Every replica may run one; deleting an object twice is harmless.
type Sweeper struct {
	index   Index
	objects Objects
	now     func() time.Time
	log     *slog.Logger
}

// NewSweeper returns a Sweeper. now is compared with the object store's
// LastModified times, which are real time.
func NewSweeper(index Index, objects Objects, now func() time.Time, log *slog.Logger) *Sweeper {
	return &Sweeper{index: index, objects: objects, now: now, log: log}
}

// Sweep deletes the objects under Prefix older than OrphanAge that no row
// names, and returns how many it deleted. A failed delete does not stop
// the sweep (the first is returned at its end); a failed listing or
// database lookup does.
func (s *Sweeper) Sweep(ctx context.Context) (int, error) {
	var t tally
	batch := make([]string, 0, sweepBatch)
	for key, err := range s.objects.Keys(ctx, Prefix, s.now().Add(-OrphanAge)) {
		if err != nil {
			return t.deleted, err
		}
		if batch = append(batch, key); len(batch) < sweepBatch {
			continue
		}
		if err := s.sweepBatch(ctx, batch, &t); err != nil {
			return t.deleted, err
		}
		batch = batch[:0]
	}
	if err := s.sweepBatch(ctx, batch, &t); err != nil {
		return t.deleted, err
	}
	return t.deleted, t.failed
}

// tally is what a sweep did so far.
type tally struct {
	deleted int
	failed  error // the first failed delete
}

// sweepBatch deletes those of keys that no row names. Its error ends the
// sweep; failed deletes are only tallied.
func (s *Sweeper) sweepBatch(ctx context.Context, keys []string, t *tally) error {
	if len(keys) == 0 {
		return nil
	}
	known, err := s.index.ProofObjectKeys(ctx, keys)
	if err != nil {
		return err
	}
	for _, key := range keys {
		if known[key] {
			continue
		}
		if err := s.objects.Delete(ctx, key); err != nil {
			if t.failed == nil {
				t.failed = fmt.Errorf("proof: delete orphan %s: %w", key, err)
			}
			continue
		}
		s.log.Info("orphan proof object deleted", "key", key)
		t.deleted++
	}
	return ctx.Err()
}

// Run sweeps at once and then every SweepEvery until ctx ends.
func (s *Sweeper) Run(ctx context.Context) {
	t := time.NewTicker(SweepEvery)
	defer t.Stop()
	for {
		n, err := s.Sweep(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Error("proof sweep failed", "deleted", n, "error", err.Error())
		case n > 0:
			s.log.Info("proof sweep done", "deleted", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
