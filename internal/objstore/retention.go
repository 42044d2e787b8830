package objstore

import (
	"context"
	"fmt"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/lifecycle"
)

// lifecycleRuleID names the bucket's lifecycle rule that expires proofs.
const lifecycleRuleID = "dakiya-proof-retention"

// Retention is what the bucket supports of the proof retention asked for.
type Retention struct {
	// ObjectLock is true when the bucket has object lock enabled: every
	// object Put from now on is written in COMPLIANCE mode, retained until
	// its retention runs out (WORM: nobody can delete or overwrite it
	// before).
	ObjectLock bool
	// Lifecycle is true when the bucket took the rule expiring objects
	// under the prefix after the retention; LifecycleError says why not.
	Lifecycle      bool
	LifecycleError string
}

// ConfigureRetention keeps the objects Put from now on for retention:
// under object lock when the bucket has it enabled (asked once, here: a
// bucket's object lock can only be enabled when it is created), and by a
// lifecycle rule expiring the objects under prefix after retention, when
// the store permits setting one. Neither is an error: the report says
// what the bucket supports. now gives the time retention counts from.
func (s *Store) ConfigureRetention(ctx context.Context, prefix string, retention time.Duration, now func() time.Time) Retention {
	var r Retention
	days := int(retention / (24 * time.Hour))
	if days < 1 {
		days = 1
	}
	cctx, cancel := s.withTimeout(ctx)
	enabled, _, _, _, err := s.client.GetObjectLockConfig(cctx, s.bucket)
	cancel()
	if err == nil && enabled == "Enabled" {
		r.ObjectLock = true
		s.lock.Store(&objectLock{retention: retention, now: now})
	}
	cfg := lifecycle.NewConfiguration()
	cfg.Rules = []lifecycle.Rule{{
		ID:         lifecycleRuleID,
		Status:     "Enabled",
		RuleFilter: lifecycle.Filter{Prefix: prefix},
		Expiration: lifecycle.Expiration{Days: lifecycle.ExpirationDays(days)},
	}}
	cctx, cancel = s.withTimeout(ctx)
	defer cancel()
	if err := s.client.SetBucketLifecycle(cctx, s.bucket, cfg); err != nil {
		r.LifecycleError = classify("set lifecycle", err).Error()
	} else {
		r.Lifecycle = true
	}
	return r
}

// objectLock is how Put retains objects, once ConfigureRetention found
// the bucket's object lock enabled.
type objectLock struct {
	retention time.Duration
	now       func() time.Time
}

// retain sets the object's retention on opts, when the bucket locks.
func (s *Store) retain(opts *minio.PutObjectOptions) {
	l := s.lock.Load()
	if l == nil {
		return
	}
	opts.Mode = minio.Compliance
	opts.RetainUntilDate = l.now().Add(l.retention).UTC()
}

// RetainedUntil returns when the object at key may be deleted under
// object lock, and false when it is not retained. It reads the object's
// lock headers (some servers answer GetObjectRetention in a form
// minio-go does not parse).
func (s *Store) RetainedUntil(ctx context.Context, key string) (time.Time, bool, error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return time.Time{}, false, classify("stat retention", err)
	}
	raw := info.Metadata.Get("X-Amz-Object-Lock-Retain-Until-Date")
	if raw == "" || info.Metadata.Get("X-Amz-Object-Lock-Mode") == "" {
		return time.Time{}, false, nil
	}
	until, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("objstore: retain-until %q: %w", raw, err)
	}
	return until.UTC(), true, nil
}
