package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"dakiya/internal/testkit"
)

// TestSortEndToEnd runs e2e/sort.mjs in a real headless Chromium at
// 360 × 740 against a real server (SQLite, the demo data): the drafts of
// a slot are built, sorter1 downloads the slot's sort plan, the phone's
// network is cut at the TCP proxy, every article of the slot is typed in
// and shows its beat's colour and its case (its stop's place on the
// draft), an unknown id goes to the problem case, the network comes back
// and the scans sync. Then it checks what the server holds: every beat's
// articles all sorted, a sorter refused the rest of the API, and the
// postman's manifest in case order (the script checked the order).
func TestSortEndToEnd(t *testing.T) {
	root := testkit.RepoRoot(t)
	node := e2eTools(t, root)
	env := demoEnv(t)
	base, _, _ := startServe(t, env)
	phone, control := phoneNetwork(t, base)
	shots := t.TempDir()
	out := runE2E(t, node, root, "sort.mjs", phone, base, control, shots)
	var res struct {
		Date, Slot, Problem, Version string
		Articles, Beats              int
		Manifests                    []string
	}
	scriptResult(t, out, "E2E RESULT", &res)
	if res.Articles == 0 || res.Beats == 0 || len(res.Manifests) == 0 {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	sup := login(t, base, "supervisor1")
	var progress struct {
		PlanVersion string `json:"plan_version"`
		Counts      []struct {
			BeatID           string `json:"beat_id"`
			Sorted, Expected int
		}
	}
	getJSON(t, fmt.Sprintf("%s/api/v1/dcs/blr-koramangala/sort-plan/progress?date=%s&slot=%s", base, res.Date, res.Slot), sup, 200, &progress)
	total := 0
	for _, c := range progress.Counts {
		if c.Sorted != c.Expected {
			t.Errorf("beat %s: %d of %d sorted", c.BeatID, c.Sorted, c.Expected)
		}
		total += c.Sorted
	}
	if total != res.Articles || progress.PlanVersion != res.Version {
		t.Errorf("server: %d sorted under plan %s; the phone sorted %d under %s", total, progress.PlanVersion, res.Articles, res.Version)
	}
	sorter := login(t, base, "sorter1")
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/articles", sorter, 403, nil)
	getJSON(t, base+"/api/v1/manifests/"+res.Manifests[0], sorter, 403, nil)
	t.Logf("sorted %d articles of %s %s into %d beats offline; server counts match", res.Articles, res.Date, res.Slot, res.Beats)
	if os.Getenv("DAKIYA_SCREENSHOTS") == "1" {
		copyScreenshots(t, shots, filepath.Join(root, "docs"))
	}
}
