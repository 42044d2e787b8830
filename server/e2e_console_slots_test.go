package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
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
	var res struct {
		Date, Slot, Moved, From, To, Removed string
		Manifests                            []string
	}
	run := runConsole(t, "console-slots.mjs", nil, &res)
	base := run.base
	if res.Moved == "" || res.Removed == "" || len(res.Manifests) < 2 {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	checkSlotsServerSide(t, base, res.Date, res.Slot, res.Moved, res.To, res.Removed)
	for _, r := range run.requests() {
		if r.Status == 403 || r.Status >= 500 {
			t.Errorf("answered %d: %+v", r.Status, r)
		}
	}
	for _, name := range []string{"build", "build-hi", "map", "print"} {
		if _, err := os.Stat(filepath.Join(run.shots, "console-slots-"+name+".png")); err != nil {
			t.Errorf("screenshot %s: %v", name, err)
		}
	}
	run.keepScreenshots(t)
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
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/manifests?date="+date+"&slot="+slot, sup, 200, &manifestPage{Items: &list})
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

// manifestPage decodes one page of GET /dcs/{dc}/manifests into Items.
type manifestPage struct {
	Items any `json:"items"`
}
