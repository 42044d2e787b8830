package main

import (
	"context"
	"strings"
	"testing"
)

// TestAddUserSorter: `dakiya adduser` makes sorters, bound to a centre.
func TestAddUserSorter(t *testing.T) {
	ctx := context.Background()
	env := demoEnv(t)
	pw := "a long enough password\n"
	if _, err := runCmd(ctx, env, pw, "adduser", "-username", "sorter9", "-name", "Sort Nine", "-role", "sorter"); err == nil ||
		!strings.Contains(err.Error(), "dc_id") {
		t.Fatalf("a sorter of no centre: %v", err)
	}
	if _, err := runCmd(ctx, env, pw, "adduser", "-username", "sorter9", "-name", "Sort Nine", "-role", "boss", "-dc", "blr-koramangala"); err == nil ||
		!strings.Contains(err.Error(), "sorter") {
		t.Fatalf("an unknown role: %v", err)
	}
	if out, err := runCmd(ctx, env, pw, "adduser", "-username", "sorter9", "-name", "Sort Nine", "-role", "sorter", "-dc", "blr-koramangala"); err != nil ||
		!strings.Contains(out, "created sorter sorter9") {
		t.Fatalf("adduser sorter: %v %s", err, out)
	}
}
