package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"dakiya/internal/testkit"
)

// TestConsoleSlots runs e2e/console-slots.mjs: the demo supervisor of
// centre 1 builds the next scheduled slot in the console, sees the stops
// as tables and on the map's drawing, moves an article to another beat,
// rebuilds and dispatches in Hindi, takes an article off a dispatched
// manifest and prints one. Then it checks the server holds what the
// browser did: every manifest of the slot dispatched, the moved article on
// the other beat's manifest (and overridden to that beat), the removed one
// held at the counter; and no request was refused or failed.
func TestConsoleSlots(t *testing.T) {
	root := testkit.RepoRoot(t)
	node := e2eTools(t, root)
	env := demoEnv(t)
	base, requests := serveLogged(t, env)
	phone, control := phoneNetwork(t, base)
	shots := t.TempDir()
	out := runE2E(t, node, root, "console-slots.mjs", phone, base, control, shots)
	var res struct {
		Date, Slot, Moved, From, To, Removed string
		Manifests                            []string
	}
	scriptResult(t, out, "E2E RESULT", &res)
	if res.Moved == "" || res.Removed == "" || len(res.Manifests) < 2 {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	checkSlotsServerSide(t, base, res.Date, res.Slot, res.Moved, res.To, res.Removed)
	for _, r := range requests() {
		if r.Status == 403 || r.Status >= 500 {
			t.Errorf("answered %d: %+v", r.Status, r)
		}
	}
	for _, name := range []string{"build", "build-hi", "map", "print"} {
		if _, err := os.Stat(filepath.Join(shots, "console-slots-"+name+".png")); err != nil {
			t.Errorf("screenshot %s: %v", name, err)
		}
	}
	if os.Getenv("DAKIYA_SCREENSHOTS") == "1" {
		copySlotsShots(t, shots, filepath.Join(root, "docs"))
	}
}

// checkSlotsServerSide reads the slot's manifests and the two articles
// back from the API.
func checkSlotsServerSide(t *testing.T, base, date, slot, moved, to, removed string) {
	t.Helper()
	sup := login(t, base, "supervisor1")
	var list []struct {
		ID, Status string
		BeatID     string `json:"beat_id"`
	}
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/manifests?date="+date+"&slot="+slot, sup, 200, &list)
	var onTo string
	for _, m := range list {
		if m.Status != "dispatched" {
			t.Errorf("manifest %s of %s is %s, want dispatched", m.ID, m.BeatID, m.Status)
		}
		if m.BeatID == to {
			onTo = m.ID
		}
	}
	var full struct {
		Stops []struct{ Articles []struct{ ID string } }
	}
	getJSON(t, base+"/api/v1/manifests/"+onTo, sup, 200, &full)
	var ids []string
	for _, s := range full.Stops {
		for _, a := range s.Articles {
			ids = append(ids, a.ID)
		}
	}
	if !slices.Contains(ids, moved) {
		t.Errorf("the moved article %s is not on %s's manifest %s: %v", moved, to, onTo, ids)
	}
	var a struct {
		Status       string
		BeatID       string `json:"beat_id"`
		BeatOverride string `json:"beat_override"`
	}
	getJSON(t, base+"/api/v1/articles/"+moved, sup, 200, &a)
	if a.BeatID != to || a.BeatOverride != to || a.Status != "out_for_delivery" {
		t.Errorf("the moved article %s: %+v, want out for delivery on %s", moved, a, to)
	}
	getJSON(t, base+"/api/v1/articles/"+removed, sup, 200, &a)
	if a.Status != "held" {
		t.Errorf("the article %s taken off is %s, want held", removed, a.Status)
	}
	t.Logf("%d manifests of %s %s dispatched; %s on %s; %s held", len(list), date, slot, moved, to, removed)
}

// copySlotsShots replaces docs/console-slots-*.png with the run's.
func copySlotsShots(t *testing.T, from, to string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(from, "console-slots-*.png"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("DAKIYA_SCREENSHOTS=1: copied %d screenshots to %s", len(files), to)
}
