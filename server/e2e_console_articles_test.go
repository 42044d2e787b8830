package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"dakiya/internal/testkit"
)

// TestConsoleArticles runs e2e/console-articles.mjs: a supervisor of demo
// centre 1 signs in through the app and works the console's articles
// screen in headless Chromium (1280 × 800), in English and Hindi: the list
// and its pages, search by id, phone and name, filters kept in the
// address, an article's page with a failed attempt's photo loaded through
// the API, a slot change, holds, a return with a reason, a refusal shown
// as the server gave it, and a CSV import with bad rows. Then it checks
// on the server what the browser changed: the slot, the holds, the return
// and its reason, the article returned behind the page still returned (its
// refused hold changed nothing), the CSV's good rows booked and the bad
// ones not. No request was answered 403 or 5xx. With DAKIYA_SCREENSHOTS=1
// its screenshots (console-articles-*) replace those in docs/.
func TestConsoleArticles(t *testing.T) {
	root := testkit.RepoRoot(t)
	node := e2eTools(t, root)
	env := demoEnv(t)
	base, requests := serveLogged(t, env)
	phone, control := phoneNetwork(t, base)
	shots := t.TempDir()
	began := time.Now()
	out := runE2E(t, node, root, "console-articles.mjs", phone, base, control, shots)
	t.Logf("browser run took %s", time.Since(began).Round(100*time.Millisecond))
	var res struct {
		Slot     struct{ ID, Date, Slot string }
		Held     []string
		Returned struct{ ID, Reason string }
		Refused  string
		Good     []string
		Bad      []string
		BadCheck string `json:"bad_check"`
	}
	scriptResult(t, out, "E2E RESULT", &res)
	if res.Slot.ID == "" || len(res.Held) != 2 || res.Returned.ID == "" || res.Refused == "" || len(res.Good) != 2 || len(res.Bad) != 1 {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	sup := login(t, base, "supervisor1")
	artCheck(t, base, sup, res.Slot.ID, "scheduled", "rescheduled", "", func(a artArticle) bool {
		return a.Schedule != nil && a.Schedule.Date == res.Slot.Date && a.Schedule.Slot == res.Slot.Slot
	})
	for _, id := range res.Held {
		artCheck(t, base, sup, id, "held", "held_at_counter", "", nil)
	}
	artCheck(t, base, sup, res.Returned.ID, "returned", "returned_to_sender", res.Returned.Reason, nil)
	artCheck(t, base, sup, res.Refused, "returned", "returned_to_sender", "01", nil)
	for _, id := range res.Good {
		artCheck(t, base, sup, id, "at_dc", "received_at_dc", "", nil)
	}
	for _, id := range res.Bad {
		getJSON(t, base+"/api/v1/articles/"+id, sup, 404, nil)
	}
	getJSON(t, base+"/api/v1/articles/"+res.BadCheck, sup, 400, nil)
	var bySupervisor int
	for _, r := range requests() {
		if r.Status == 403 || r.Status >= 500 {
			t.Errorf("answered %d: %+v", r.Status, r)
		}
		if r.User == "supervisor1" {
			bySupervisor++
		}
	}
	if bySupervisor == 0 {
		t.Error("the server logged no request by supervisor1")
	}
	if os.Getenv("DAKIYA_SCREENSHOTS") == "1" {
		artCopyShots(t, shots, filepath.Join(root, "docs"))
	}
}

// artCopyShots replaces docs/console-articles-*.png with the run's
// (copyScreenshots takes only the app's pwa-*.png).
func artCopyShots(t *testing.T, from, to string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(from, "console-articles-*.png"))
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

// artArticle is what the console test reads back of an article.
type artArticle struct {
	Status   string
	Schedule *struct{ Date, Slot string }
	Events   []struct {
		Event      string
		ReasonCode string `json:"reason_code"`
	}
}

// artCheck fails the test unless article id has the status, its last
// event is event (with reason, when given) and ok (when given) holds.
func artCheck(t *testing.T, base, token, id, status, event, reason string, ok func(artArticle) bool) {
	t.Helper()
	var a artArticle
	getJSON(t, base+"/api/v1/articles/"+id, token, 200, &a)
	if len(a.Events) == 0 {
		t.Errorf("article %s has no events", id)
		return
	}
	last := a.Events[len(a.Events)-1]
	if a.Status != status || last.Event != event || reason != "" && last.ReasonCode != reason {
		t.Errorf("article %s is %s after %s (reason %q), want %s after %s (reason %q)", id, a.Status, last.Event, last.ReasonCode, status, event, reason)
	}
	if ok != nil && !ok(a) {
		t.Errorf("article %s: %+v", id, a)
	}
}
