package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"dakiya/internal/privacy"
	"dakiya/internal/proof"
)

// privacyService builds the retention job, audit log and data principals'
// requests from the configuration.
func (a *app) privacyService() {
	a.privacy = privacy.New(a.db, a.objects.Blobs(), a.now, newID, privacy.Options{
		Retention: a.cfg.Retention.Personal, ProofRetention: a.cfg.Retention.Proofs, AuditRetention: a.cfg.Retention.Audit})
}

// configureProofRetention asks the bucket once whether it has object lock
// (then every proof is written retained for DAKIYA_PROOF_RETENTION_DAYS)
// and sets its lifecycle rule expiring proofs after that long, reporting
// what the store refuses.
func (a *app) configureProofRetention(ctx context.Context) {
	r := a.objects.ConfigureRetention(ctx, proof.Prefix, a.cfg.Retention.Proofs, a.now)
	log := a.log.With("retention", a.cfg.Retention.Proofs.String())
	if r.ObjectLock {
		log.Info("proofs are written under object lock (COMPLIANCE)")
	} else {
		log.Warn("the bucket has no object lock: proofs are written without retention (create the bucket with object lock for WORM)")
	}
	if r.Lifecycle {
		log.Info("bucket lifecycle rule set: proofs expire after their retention")
	} else {
		log.Warn("the object store refused the lifecycle rule: expired proofs are deleted by the retention job instead",
			"error", r.LifecycleError)
	}
}

// startRetention runs the retention job daily beside the other workers;
// the replicas take turns through its lock row. It returns stop wrapped
// so that it also waits for the job.
func (a *app) startRetention(ctx context.Context, stop context.CancelFunc) context.CancelFunc {
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.privacy.Run(ctx, newID(), a.log.With("worker", "retention"))
	}()
	return func() { stop(); <-done }
}

// retentionCmd runs the retention job once (unless a replica runs it
// now) and prints what it did as one JSON line.
func retentionCmd(ctx context.Context, env environment, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("retention takes no arguments")
	}
	a, err := open(ctx, env, newLogger(env.stderr, slog.LevelWarn))
	if err != nil {
		return err
	}
	defer a.close()
	r, err := a.privacy.RunOnce(ctx, newID())
	if err != nil {
		return err
	}
	return json.NewEncoder(env.stdout).Encode(r)
}
