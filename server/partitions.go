package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"dakiya/internal/config"
	"dakiya/internal/store"
)

// partitionEvery is how often a replica checks the months' partitions.
const partitionEvery = 24 * time.Hour

// partitionWorker keeps PostgreSQL's monthly partitions ahead of the
// clock and, when a retention is set, drops months past it. Every replica
// runs one; the store's advisory lock makes them take turns.
type partitionWorker struct {
	db  *store.DB
	now func() time.Time
	cfg config.Partitions
	log *slog.Logger
	// after waits between rounds (time.After in production).
	after func(time.Duration) <-chan time.Time
}

// once runs one round of maintenance and logs what it did.
func (w partitionWorker) once(ctx context.Context) (store.PartitionReport, error) {
	now := w.now()
	rep, err := w.db.EnsurePartitions(ctx, now, w.cfg.MonthsAhead)
	if err != nil {
		return rep, err
	}
	rep.Dropped, err = w.db.DropPartitionsBefore(ctx, now, w.cfg.KeepMonths)
	if err != nil {
		return rep, err
	}
	if len(rep.Created)+len(rep.Dropped) > 0 || rep.Moved > 0 {
		w.log.Info("partitions maintained", "created", rep.Created, "moved", rep.Moved, "dropped", rep.Dropped)
	}
	return rep, nil
}

// Run maintains the partitions at start and then every partitionEvery,
// until ctx ends. A failed round is logged and tried again next time.
func (w partitionWorker) Run(ctx context.Context) {
	if w.db.Dialect() != store.Postgres {
		return
	}
	for {
		if _, err := w.once(ctx); err != nil && ctx.Err() == nil {
			w.log.Error("partition maintenance failed", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-w.after(partitionEvery):
		}
	}
}

// startPartitionWorker runs the partition worker beside the other
// workers. It returns stop wrapped so that it also waits for the worker.
func (a *app) startPartitionWorker(ctx context.Context, stop context.CancelFunc) context.CancelFunc {
	w := partitionWorker{db: a.db, now: a.now, cfg: a.cfg.Partitions, log: a.log.With("worker", "partitions"), after: time.After}
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	return func() { stop(); <-done }
}

// partitionsCmd runs one round of partition maintenance by hand and prints
// what it did and every partition with its rows, as JSON.
func partitionsCmd(ctx context.Context, env environment, args []string) error {
	fs := flag.NewFlagSet("partitions", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	ahead := fs.Int("ahead", -1, "months ahead to create (default DAKIYA_PARTITION_MONTHS_AHEAD)")
	keep := fs.Int("keep", -1, "whole months to keep before the current one; older are dropped (default DAKIYA_PARTITION_KEEP_MONTHS, 0 keeps all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("partitions takes no arguments, only flags")
	}
	a, err := open(ctx, env, newLogger(env.stderr, slog.LevelWarn))
	if err != nil {
		return err
	}
	defer a.close()
	if a.db.Dialect() != store.Postgres {
		fmt.Fprintln(env.stdout, `{"partitioned":false,"note":"SQLite keeps one table per kind; nothing to do"}`)
		return nil
	}
	cfg := a.cfg.Partitions
	if *ahead >= 0 {
		cfg.MonthsAhead = *ahead
	}
	if *keep >= 0 {
		cfg.KeepMonths = *keep
	}
	w := partitionWorker{db: a.db, now: a.now, cfg: cfg, log: a.log}
	rep, err := w.once(ctx)
	if err != nil {
		return err
	}
	rows, err := a.db.Partitions(ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(env.stdout).Encode(map[string]any{"partitioned": true, "created": nonNil(rep.Created),
		"moved": rep.Moved, "dropped": nonNil(rep.Dropped), "rows": rows})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
