package main

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"
)

// TestConsoleProgress runs e2e/console-progress.mjs: the supervisor's live
// progress for the demo's dispatched slot, its bars moved by the stream and
// then by polling while the script records outcomes as a postman, the last
// sync, the postman's marker and an overdue beat, in English and Hindi,
// and nothing left running after leaving the screen. The harness has no
// server clock to move, so before the script runs this test ends the last
// beat's slot an hour ago in the database (its manifest's window_end). Then
// it checks what the server holds: the outcomes the script recorded, as the
// progress counts them, and that the browser both streamed and polled.
func TestConsoleProgress(t *testing.T) {
	var res struct {
		Date, Slot, Beat, Late string
		Recorded               []struct{ Article, Outcome string }
		Before                 map[string]int
		Polls, Streams         int
	}
	var late string
	run := runConsole(t, "console-progress.mjs", func(base string, env map[string]string) {
		dispatchFirstSlot(t, base)
		late = endLastWindow(t, base, env)
	}, &res)
	base := run.base
	if res.Beat == "" || len(res.Recorded) != 3 {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	if res.Late != late {
		t.Errorf("the script found beat %s overdue, the test ended %s's slot", res.Late, late)
	}
	checkProgress(t, base, res.Date, res.Slot, res.Beat, res.Before, res.Recorded)
	var polls, streams int
	for _, r := range run.requests() {
		switch {
		case strings.HasSuffix(r.Path, "/progress/stream") && r.Status == 200:
			streams++
		case strings.HasSuffix(r.Path, "/progress") && r.Status == 200:
			polls++
		case strings.Contains(r.Path, "/progress") && r.Status != 200:
			t.Errorf("a progress request was answered %d: %+v", r.Status, r)
		}
	}
	if polls == 0 || streams < 3 {
		t.Errorf("the server answered %d polls and %d streams; want polling and a stream per mode change", polls, streams)
	}
	t.Logf("the browser made %d polls and %d streams (the server answered %d and %d)", res.Polls, res.Streams, polls, streams)
	run.keepScreenshots(t)
}

// endLastWindow ends the slot of the last beat of blr-koramangala's first
// dispatched slot an hour ago, so its pending stops are overdue, and tells
// the script that slot and beat (PROGRESS_E2E: date slot beat).
func endLastWindow(t *testing.T, base string, env map[string]string) string {
	t.Helper()
	var list []struct {
		ID     string `json:"id"`
		BeatID string `json:"beat_id"`
		Date   string `json:"date"`
		Slot   string `json:"slot"`
		Status string `json:"status"`
	}
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/manifests", login(t, base, "supervisor1"), 200, &manifestPage{Items: &list})
	var last struct{ ID, BeatID, Date, Slot string }
	for _, m := range list {
		if m.Status != "dispatched" || (last.ID != "" && (m.Date != last.Date || m.Slot != last.Slot)) {
			continue
		}
		if m.BeatID > last.BeatID {
			last.ID, last.BeatID, last.Date, last.Slot = m.ID, m.BeatID, m.Date, m.Slot
		}
	}
	if last.ID == "" {
		t.Fatal("no dispatched manifest")
	}
	path, ok := strings.CutPrefix(env["DAKIYA_DB"], "sqlite:")
	if !ok {
		t.Fatalf("the browser tests run on SQLite, not %q", env["DAKIYA_DB"])
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	end := time.Now().Add(-time.Hour).UnixMilli()
	if _, err := db.ExecContext(context.Background(), `UPDATE manifests SET window_end = ? WHERE id = ?`, end, last.ID); err != nil {
		t.Fatalf("end the slot of %s: %v", last.BeatID, err)
	}
	t.Setenv("PROGRESS_E2E", last.Date+" "+last.Slot+" "+last.BeatID)
	t.Logf("%s %s: beat %s's slot ended an hour ago (manifest %s)", last.Date, last.Slot, last.BeatID, last.ID)
	return last.BeatID
}

// checkProgress checks that the server counts the outcomes the script
// recorded on the beat (over those it had before), and holds each as
// recorded.
func checkProgress(t *testing.T, base, date, slot, beat string, before map[string]int, recorded []struct{ Article, Outcome string }) {
	t.Helper()
	sup := login(t, base, "supervisor1")
	var board struct {
		Beats []struct {
			BeatID            string `json:"beat_id"`
			Delivered, Failed int
			LastSync          *string `json:"last_sync"`
		}
	}
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/progress?date="+date+"&slot="+slot, sup, 200, &board)
	want := map[string]int{"delivered": before["delivered"], "failed": before["failed"]}
	for _, r := range recorded {
		want[r.Outcome]++
		var a struct{ Status string }
		getJSON(t, base+"/api/v1/articles/"+r.Article, sup, 200, &a)
		if st := map[string]string{"delivered": "delivered", "failed": "attempted"}[r.Outcome]; a.Status != st {
			t.Errorf("article %s, recorded %s, is %s", r.Article, r.Outcome, a.Status)
		}
	}
	for _, b := range board.Beats {
		if b.BeatID != beat {
			continue
		}
		if b.Delivered != want["delivered"] || b.Failed != want["failed"] || b.LastSync == nil {
			t.Errorf("beat %s: %d delivered, %d failed, last sync %v; want %v", beat, b.Delivered, b.Failed, b.LastSync, want)
		}
		return
	}
	t.Errorf("beat %s is not on the progress", beat)
}
