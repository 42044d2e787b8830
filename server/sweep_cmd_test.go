package main

import (
	"context"
	"strings"
	"testing"
)

// TestSweepCommand runs `dakiya sweep` once over recent folders and once
// over every proof object of an empty bucket.
func TestSweepCommand(t *testing.T) {
	ctx := context.Background()
	env := testEnv(t)
	if out, err := runCmd(ctx, env, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	for _, args := range [][]string{{"sweep"}, {"sweep", "-all"}} {
		if out, err := runCmd(ctx, env, "", args...); err != nil || !strings.Contains(out, "deleted 0 orphan proof objects") {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	if _, err := runCmd(ctx, env, "", "sweep", "-bogus"); err == nil {
		t.Fatal("sweep with an unknown flag")
	}
}
