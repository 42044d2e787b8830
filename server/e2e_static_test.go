package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"dakiya/internal/testkit"
)

// TestStaticEndToEnd runs e2e/static.mjs in a real headless Chromium
// against a real server with the demo data: the tracking page in English
// and Hindi with a booked window and readable events, the slot page in both
// languages taking a new slot, a broken slot link in Hindi, and the app's
// files arriving br-encoded and revalidated with 304. Then it checks that
// the slot the recipient took is the article's schedule. With
// DAKIYA_SCREENSHOTS=1 its screenshots replace docs/track.png,
// docs/track-result.png, docs/track-result-hi.png and docs/slot-choice.png.
func TestStaticEndToEnd(t *testing.T) {
	root := testkit.RepoRoot(t)
	node := e2eTools(t, root)
	env := demoEnv(t)
	base, _, _ := startServe(t, env)
	phone, control := phoneNetwork(t, base)
	shots := t.TempDir()
	began := time.Now()
	out := runE2E(t, node, root, "static.mjs", phone, base, control, shots)
	t.Logf("browser run took %s", time.Since(began).Round(100*time.Millisecond))
	var res struct {
		Article string
		Chosen  struct{ Date, Slot string }
	}
	scriptResult(t, out, "E2E RESULT", &res)
	if res.Article == "" || res.Chosen.Date == "" {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	var a struct {
		Status   string
		Schedule struct{ Date, Slot string }
	}
	getJSON(t, base+"/api/v1/articles/"+res.Article, login(t, base, "supervisor1"), 200, &a)
	if a.Status != "scheduled" || a.Schedule != res.Chosen {
		t.Errorf("article %s is %s in %+v, want scheduled in the slot the recipient chose, %+v", res.Article, a.Status, a.Schedule, res.Chosen)
	}
	if os.Getenv("DAKIYA_SCREENSHOTS") == "1" {
		for _, name := range []string{"track", "track-result", "track-result-hi", "slot-choice"} {
			b, err := os.ReadFile(filepath.Join(shots, name+".png"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, "docs", name+".png"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
