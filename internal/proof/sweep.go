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

	// SweepDays is how many of a centre's day folders a sweep walks, back
	// from tomorrow (a centre's day may run ahead of UTC): an orphan is
	// swept on the days after its upload, while its folder is recent.
	SweepDays = 4
	// SweepLease names the lease one replica holds to sweep.
	SweepLease = "proof-sweep"
)

// Index is what the Sweeper needs from the database.
type Index interface {
	// ProofObjectKeys returns which of keys a proof row names.
	ProofObjectKeys(ctx context.Context, keys []string) (map[string]bool, error)
	// DCIDs lists every delivery centre's id.
	DCIDs(ctx context.Context) ([]string, error)
	// TakeLease gives the lease name to holder until now+ttl if it is
	// free, expired or holder's already; it reports whether holder has it.
	TakeLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error)
}

// Sweeper deletes orphans: proof objects whose row was never written
// because the server stopped, or the database failed, between the two.
// Of several replicas only the one holding the sweep lease sweeps, and it
// walks only each centre's recent day folders, not every proof kept.
type Sweeper struct {
	index   Index
	objects Objects
	now     func() time.Time
	log     *slog.Logger
	holder  string // this replica's name for the lease; "" sweeps without one
}

// NewSweeper returns a Sweeper. now is compared with the object store's
// LastModified times, which are real time.
func NewSweeper(index Index, objects Objects, now func() time.Time, log *slog.Logger) *Sweeper {
	return &Sweeper{index: index, objects: objects, now: now, log: log}
}

// WithLease makes the sweeper sweep only while holder (this replica's
// unique name) holds the sweep lease, taken or renewed at each sweep for
// twice SweepEvery.
func (s *Sweeper) WithLease(holder string) *Sweeper {
	s.holder = holder
	return s
}

// Sweep deletes the objects in the centres' recent day folders older than
// OrphanAge that no row names, and returns how many it deleted; with a
// lease held by another replica it does nothing. A failed delete does not
// stop the sweep (the first is returned at its end); a failed listing or
// database lookup does.
func (s *Sweeper) Sweep(ctx context.Context) (int, error) {
	now := s.now()
	if s.holder != "" {
		ok, err := s.index.TakeLease(ctx, SweepLease, s.holder, now, 2*SweepEvery)
		if err != nil || !ok {
			return 0, err
		}
	}
	dcs, err := s.index.DCIDs(ctx)
	if err != nil {
		return 0, err
	}
	var t tally
	for _, dc := range dcs {
		for d := range SweepDays {
			day := now.UTC().AddDate(0, 0, 1-d).Format("2006/01/02")
			if err := s.sweepPrefix(ctx, Prefix+dc+"/"+day+"/", now, &t); err != nil {
				return t.deleted, err
			}
		}
	}
	return t.deleted, t.failed
}

// SweepAll is Sweep over every object under Prefix, whatever its day, and
// without a lease: for an operator, after a sweeper stood still for days.
func (s *Sweeper) SweepAll(ctx context.Context) (int, error) {
	var t tally
	if err := s.sweepPrefix(ctx, Prefix, s.now(), &t); err != nil {
		return t.deleted, err
	}
	return t.deleted, t.failed
}

// sweepPrefix sweeps the objects under prefix.
func (s *Sweeper) sweepPrefix(ctx context.Context, prefix string, now time.Time, t *tally) error {
	batch := make([]string, 0, sweepBatch)
	for key, err := range s.objects.Keys(ctx, prefix, now.Add(-OrphanAge)) {
		if err != nil {
			return err
		}
		if batch = append(batch, key); len(batch) < sweepBatch {
			continue
		}
		if err := s.sweepBatch(ctx, batch, t); err != nil {
			return err
		}
		batch = batch[:0]
	}
	return s.sweepBatch(ctx, batch, t)
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
