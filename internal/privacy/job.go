package privacy

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Report is what one run of the retention job did.
type Report struct {
	// Skipped is true when another replica holds the job.
	Skipped bool `json:"skipped,omitempty"`
	// Articles is how many final articles had their recipient data erased.
	Articles int `json:"articles_erased"`
	// Messages is how many old partner messages and idempotent answers
	// were emptied or dropped.
	Messages int `json:"messages_cleared"`
	// Proofs is how many proofs were marked expired.
	Proofs int `json:"proofs_expired"`
	// ObjectsDeleted is how many expired proofs' objects were deleted
	// (the rest are locked until their retention, or already gone, and
	// left to the bucket's lifecycle rule).
	ObjectsDeleted int `json:"proof_objects_deleted"`
	// BeatPlans is how many balanced-beat proposals of slots past the
	// retention were deleted (they list their recipients' addresses).
	BeatPlans int `json:"beat_plans_deleted"`
	// AuditEntries is how many audit log entries past the audit
	// retention were deleted.
	AuditEntries int `json:"audit_entries_deleted"`
}

// RunOnce runs the retention job to the end, in batches, as owner (the
// replica's id), unless another replica holds it. Running it again
// changes nothing more: every step picks only rows not yet done.
func (s *Service) RunOnce(ctx context.Context, owner string) (Report, error) {
	var r Report
	ok, err := s.store.TakeLock(ctx, lockName, owner, s.now(), s.now().Add(lockLease))
	if err != nil {
		return r, fmt.Errorf("retention: lock: %w", err)
	}
	if !ok {
		r.Skipped = true
		return r, nil
	}
	defer s.store.ReleaseLock(context.WithoutCancel(ctx), lockName, owner)
	now := s.now()
	cutoff := now.Add(-s.retention)
	renew := func() error {
		ok, err := s.store.TakeLock(ctx, lockName, owner, s.now(), s.now().Add(lockLease))
		if err == nil && !ok {
			err = fmt.Errorf("lost the lease to another replica")
		}
		if err != nil {
			return fmt.Errorf("retention: lock: %w", err)
		}
		return nil
	}
	if err := batches(&r.Articles, renew, func() (int, error) {
		return s.store.EraseFinalArticles(ctx, cutoff, now, Batch)
	}); err != nil {
		return r, fmt.Errorf("retention: articles: %w", err)
	}
	if err := batches(&r.Messages, renew, func() (int, error) {
		return s.store.ClearOldMessages(ctx, cutoff, Batch)
	}); err != nil {
		return r, fmt.Errorf("retention: messages: %w", err)
	}
	if err := batches(&r.BeatPlans, renew, func() (int, error) {
		return s.store.PruneBeatPlans(ctx, cutoff.UTC().Format(time.DateOnly), Batch)
	}); err != nil {
		return r, fmt.Errorf("retention: beat plans: %w", err)
	}
	if err := batches(&r.AuditEntries, renew, func() (int, error) {
		return s.store.PruneAuditLog(ctx, now.Add(-s.auditRetention), Batch)
	}); err != nil {
		return r, fmt.Errorf("retention: audit log: %w", err)
	}
	proofCutoff := now.Add(-s.proofRetention)
	for {
		keys, err := s.store.ExpireProofs(ctx, proofCutoff, now, Batch)
		if err != nil {
			return r, fmt.Errorf("retention: proofs: %w", err)
		}
		r.Proofs += len(keys)
		for _, k := range keys {
			if s.objects != nil && s.objects.Delete(ctx, k) == nil {
				r.ObjectsDeleted++
			}
		}
		if len(keys) < Batch {
			break
		}
		if err := renew(); err != nil {
			return r, err
		}
	}
	return r, nil
}

// batches runs step until it does less than a Batch, adding what it did
// to total and renewing the lease between batches.
func batches(total *int, renew func() error, step func() (int, error)) error {
	for {
		n, err := step()
		if err != nil {
			return err
		}
		if *total += n; n < Batch {
			return nil
		}
		if err := renew(); err != nil {
			return err
		}
	}
}

// Run runs the job now and then every RunEvery until ctx ends, logging
// each run; a failed run is retried at the next.
func (s *Service) Run(ctx context.Context, owner string, log *slog.Logger) {
	for {
		r, err := s.RunOnce(ctx, owner)
		switch {
		case err != nil:
			log.Error("retention run failed", "error", err.Error())
		case r.Skipped:
			log.Info("retention run skipped: another replica holds it")
		default:
			log.Info("retention run", "articles_erased", r.Articles, "messages_cleared", r.Messages,
				"proofs_expired", r.Proofs, "proof_objects_deleted", r.ObjectsDeleted,
				"beat_plans_deleted", r.BeatPlans, "audit_entries_deleted", r.AuditEntries)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(RunEvery):
		}
	}
}
