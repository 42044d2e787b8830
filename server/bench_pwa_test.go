package main

import (
	"os"
	"strings"
	"testing"

	"dakiya/internal/testkit"
)

// TestPWABench measures the postman's app on an emulated cheap phone and a
// bad network (e2e/bench.mjs: CPU slowed 4×, 400 ms latency, 400 kbit/s,
// with the same measurements unthrottled as the baseline) against a real
// server with the demo loaded and a slot dispatched, set up as
// TestPWAEndToEnd does. It is a measurement, not a timed test: it fails
// only when the app's flow cannot be walked, never on a slow number. The
// script prints a markdown table and writes it to var/bench-pwa.md, which
// deploy/bench.sh (make bench) appends to var/bench.md.
//
// It runs only with DAKIYA_BENCH=1.
func TestPWABench(t *testing.T) {
	if os.Getenv("DAKIYA_BENCH") != "1" {
		t.Skip("the PWA benchmark runs under `make bench` (DAKIYA_BENCH=1)")
	}
	root := testkit.RepoRoot(t)
	node := e2eTools(t, root)
	env := demoEnv(t)
	base, _, _ := startServe(t, env)
	dispatchFirstSlot(t, base)
	phone, control := phoneNetwork(t, base)
	out := runE2E(t, node, root, "bench.mjs", phone, base, control, t.TempDir())
	if !strings.Contains(out, "BENCH TABLE WRITTEN") {
		t.Fatal("e2e/bench.mjs ended without writing its table")
	}
}
