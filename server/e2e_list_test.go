package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dakiya/internal/testkit"
)

// TestPWAStopListAndMap runs e2e/list.mjs in headless Chromium on the
// throttled phone profile against a real server with the demo data and a
// dispatched slot: the stop list (next stop pinned, kinds as icons with
// words, distances, delivered / failed / mixed stops distinct, done stops
// folded at the end) and the beat's map (a drawing offline; online Leaflet
// loads, asks for OpenStreetMap tiles that cannot load here, and falls
// back to the drawing). Then it checks the server side: the failed attempt
// made through the app, and the centre the map drew from. With
// DAKIYA_SCREENSHOTS=1 its screenshots (pwa-list*, pwa-map*) replace those
// in docs/.
func TestPWAStopListAndMap(t *testing.T) {
	root := testkit.RepoRoot(t)
	node := e2eTools(t, root)
	env := demoEnv(t)
	base, _, _ := startServe(t, env)
	dispatchFirstSlot(t, base)
	phone, control := phoneNetwork(t, base)

	shots := t.TempDir()
	began := time.Now()
	out := runE2E(t, node, root, "list.mjs", phone, base, control, shots)
	t.Logf("browser run took %s", time.Since(began).Round(100*time.Millisecond))
	var res struct {
		Manifest   string
		Date, Slot string
		Failed     []string
		Placed     int
		Points     int
		Tiles      int
		Centre     *struct{ Lat, Lon float64 }
	}
	scriptResult(t, out, "E2E LIST", &res)
	if res.Manifest == "" || len(res.Failed) == 0 || res.Points == 0 || res.Points != res.Placed || res.Tiles == 0 {
		t.Fatalf("the script printed no complete E2E LIST line: %+v", res)
	}

	sup := login(t, base, "supervisor1")
	var dc struct{ Lat, Lon float64 }
	getJSON(t, base+"/api/v1/dcs/blr-koramangala", sup, 200, &dc)
	if res.Centre == nil || res.Centre.Lat != dc.Lat || res.Centre.Lon != dc.Lon {
		t.Errorf("the map drew its centre at %+v, the centre is at %+v", res.Centre, dc)
	}
	var list struct {
		Items []struct {
			ArticleID  string `json:"article_id"`
			ManifestID string `json:"manifest_id"`
			Outcome    string `json:"outcome"`
		}
	}
	getJSON(t, fmt.Sprintf("%s/api/v1/dcs/blr-koramangala/deliveries?date=%s&slot=%s", base, res.Date, res.Slot), sup, 200, &list)
	failed := map[string]bool{}
	for _, d := range list.Items {
		if d.ManifestID == res.Manifest && d.Outcome == "failed" {
			failed[d.ArticleID] = true
		}
	}
	for _, id := range res.Failed {
		if !failed[id] {
			t.Errorf("the failed attempt on %s made in the app is not on the server: %+v", id, list.Items)
		}
	}
	if len(list.Items) != len(res.Failed) {
		t.Errorf("the server has %d outcomes, want only the %d failed through the app (the others were marked on the phone only)", len(list.Items), len(res.Failed))
	}
	if os.Getenv("DAKIYA_SCREENSHOTS") == "1" {
		copyScreenshots(t, shots, filepath.Join(root, "docs"))
	}
}
