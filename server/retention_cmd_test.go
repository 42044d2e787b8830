package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestRetentionCommand: `dakiya retention` runs the job once and prints
// its report as JSON; a bad setting or argument is refused.
func TestRetentionCommand(t *testing.T) {
	ctx := context.Background()
	env := testEnv(t)
	env["DAKIYA_RETENTION_DAYS"] = "30"
	out, err := runCmd(ctx, env, "", "retention")
	if err != nil {
		t.Fatalf("retention: %v %s", err, out)
	}
	var r struct {
		Articles *int `json:"articles_erased"`
		Proofs   *int `json:"proofs_expired"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Articles == nil || r.Proofs == nil || *r.Articles != 0 {
		t.Fatalf("retention's report: %v %s", err, out)
	}
	if _, err := runCmd(ctx, env, "", "retention", "now"); err == nil {
		t.Fatal("an argument accepted")
	}
	env["DAKIYA_RETENTION_DAYS"] = "0"
	if out, err := runCmd(ctx, env, "", "retention"); err == nil || !strings.Contains(err.Error(), "DAKIYA_RETENTION_DAYS") {
		t.Fatalf("a zero retention: %v %s", err, out)
	}
}
