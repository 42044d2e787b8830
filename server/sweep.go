package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
)

// sweepCmd runs the orphan proof sweep once: over the centres' recent day
// folders under the sweep lease, as a replica does hourly, or with -all
// over every proof object, without a lease.
func sweepCmd(ctx context.Context, env environment, args []string) error {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	all := fs.Bool("all", false, "sweep every proof object, not only recent day folders")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := open(ctx, env, newLogger(env.stderr, slog.LevelWarn))
	if err != nil {
		return err
	}
	defer a.close()
	if a.sweeper == nil {
		return errors.New("sweep: no object store is configured")
	}
	if err := a.objects.EnsureBucket(ctx); err != nil { // as serve does: a fresh bucket has nothing to sweep
		return err
	}
	sweep := a.sweeper.Sweep
	if *all {
		sweep = a.sweeper.SweepAll
	}
	n, err := sweep(ctx)
	fmt.Fprintf(env.stdout, "deleted %d orphan proof objects\n", n)
	return err
}
