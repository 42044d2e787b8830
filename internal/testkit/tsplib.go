package testkit

import (
	"os"
	"path/filepath"
	"testing"
)

// TSPLIBDir returns the shared TSPLIB benchmark folder: $DAKIYA_TSPLIB, or
// ../shared/data/tsplib beside the repository. Without it the test is
// skipped loudly, or fails when DAKIYA_REQUIRE_SHARED=1 (as in CI).
func TSPLIBDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("DAKIYA_TSPLIB")
	if dir == "" {
		dir = filepath.Join(RepoRoot(t), "..", "shared", "data", "tsplib")
	}
	if _, err := os.Stat(filepath.Join(dir, "optima.json")); err != nil {
		if os.Getenv("DAKIYA_REQUIRE_SHARED") == "1" {
			t.Fatalf("TSPLIB data not found at %s but DAKIYA_REQUIRE_SHARED=1: %v", dir, err)
		}
		t.Skipf("SHARED DATA SUITE SKIPPED: TSPLIB data not found at %s (set DAKIYA_TSPLIB)", dir)
	}
	return dir
}
