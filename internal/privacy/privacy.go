// Package privacy keeps recipients' personal data only as long as India's
// Digital Personal Data Protection Act, 2023 allows: a retention job erases
// a final article's recipient data a configured time after it became final
// (its tracking events stay), marks proofs past their retention expired, an
// audit log records who viewed which proof or personal record, and an
// admin answers a data principal's request with an export or an erasure.
package privacy

import (
	"context"
	"time"

	"dakiya/internal/postal"
)

// Defaults.
const (
	// DefaultRetention is how long a final article keeps its recipient's
	// name, phone and address.
	DefaultRetention = 90 * 24 * time.Hour
	// DefaultProofRetention is how long a proof is kept, under object lock
	// where the store supports it.
	DefaultProofRetention = 400 * 24 * time.Hour
	// DefaultAuditRetention is how long an audit log entry is kept.
	DefaultAuditRetention = 365 * 24 * time.Hour
	// RunEvery is how often the worker runs the job.
	RunEvery = 24 * time.Hour
	// Batch is how many articles or proofs one transaction handles.
	Batch = 200
	// lockName names the job's row in job_locks.
	lockName = "retention"
	// lockLease is how long a replica holds the job without renewing it.
	lockLease = 30 * time.Minute
)

// Store is what the package needs from the database.
type Store interface {
	// TakeLock takes or renews the lease on job name for owner until
	// until; false when another owner's lease has not run out at now.
	TakeLock(ctx context.Context, name, owner string, now, until time.Time) (bool, error)
	// ReleaseLock gives the lease up, if owner holds it.
	ReleaseLock(ctx context.Context, name, owner string) error
	// EraseFinalArticles erases the recipient data of at most limit final
	// articles last changed before cutoff and not yet erased, marking them
	// erased at now; it returns how many it erased.
	EraseFinalArticles(ctx context.Context, cutoff, now time.Time, limit int) (int, error)
	// EraseArticles erases the given final articles (a data principal's
	// request); it returns the ids it erased now.
	EraseArticles(ctx context.Context, ids []string, now time.Time) ([]string, error)
	// ClearOldMessages empties the bodies of partner messages delivered or
	// dead before cutoff and drops idempotent answers completed before
	// cutoff, at most limit of each; it returns how many rows it changed.
	ClearOldMessages(ctx context.Context, cutoff time.Time, limit int) (int, error)
	// ExpireProofs marks at most limit proofs created before cutoff
	// expired at now and returns their object keys.
	ExpireProofs(ctx context.Context, cutoff, now time.Time, limit int) ([]string, error)
	// PruneBeatPlans deletes at most limit balanced-beat proposals for
	// slots before date (YYYY-MM-DD), with their articles and choices; it
	// returns how many it deleted.
	PruneBeatPlans(ctx context.Context, before string, limit int) (int, error)
	// PruneAuditLog deletes at most limit audit log entries made before
	// cutoff; it returns how many it deleted.
	PruneAuditLog(ctx context.Context, cutoff time.Time, limit int) (int, error)
	// RecordAudit appends one entry to the audit log.
	RecordAudit(ctx context.Context, e Entry) error
	// AuditLog returns a page of the audit log, newest first.
	AuditLog(ctx context.Context, q AuditQuery) ([]Entry, error)
	// HeldAbout gathers everything held about phone.
	HeldAbout(ctx context.Context, phone string) (Export, error)
}

// Objects is what the job needs from the object store: deleting an
// expired proof's object (refused while it is locked, which is fine: its
// lifecycle rule removes it).
type Objects interface {
	Delete(ctx context.Context, key string) error
}

// Service runs the retention job, keeps the audit log and answers data
// principals' requests.
type Service struct {
	store          Store
	objects        Objects
	now            func() time.Time
	newID          func() string
	retention      time.Duration
	proofRetention time.Duration
	auditRetention time.Duration
}

// Options tunes a Service; zero values take the defaults.
type Options struct {
	Retention      time.Duration
	ProofRetention time.Duration
	AuditRetention time.Duration
}

// New returns a Service. objects may be nil: expired proofs' objects are
// then left to the bucket's lifecycle rule.
func New(store Store, objects Objects, now func() time.Time, newID func() string, o Options) *Service {
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	if o.ProofRetention <= 0 {
		o.ProofRetention = DefaultProofRetention
	}
	if o.AuditRetention <= 0 {
		o.AuditRetention = DefaultAuditRetention
	}
	return &Service{store: store, objects: objects, now: now, newID: newID, retention: o.Retention,
		proofRetention: o.ProofRetention, auditRetention: o.AuditRetention}
}

// Retention is how long a final article keeps its recipient's data.
func (s *Service) Retention() time.Duration { return s.retention }

// ProofRetention is how long a proof is kept.
func (s *Service) ProofRetention() time.Duration { return s.proofRetention }

// requireAdmin refuses everyone but admins.
func requireAdmin(p postal.Principal, what string) error {
	if p.Role != postal.RoleAdmin {
		return postal.Errorf(postal.CodeForbidden, "only admins %s", what)
	}
	return nil
}
