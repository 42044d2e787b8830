package store_test

import (
	"context"
	"testing"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestMoveBeat: a move applies only to the article as it was read (a
// stale beat, status or schedule is a conflict and changes nothing), and
// moving back clears the override.
func TestMoveBeat(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := testkit.NewCentre(t, db, time.Date(2026, 11, 24, 9, 0, 0, 0, ist))
		id := c.Book(t, testkit.ArticleSpec{Serial: 54000001})[0]
		a, err := db.Article(ctx, id)
		if err != nil || a.BeatID != "beat-a" {
			t.Fatalf("booked: %+v %v", a, err)
		}
		move := article.BeatMove{ArticleID: id, Service: a.Service, From: a.BeatID, Status: a.Status, To: "beat-b",
			Override: "beat-b", At: c.Clock.Now()}
		for name, stale := range map[string]article.BeatMove{
			"beat":     {ArticleID: id, From: "beat-b", Status: a.Status, To: "beat-b", Override: "beat-b"},
			"status":   {ArticleID: id, From: a.BeatID, Status: article.StatusScheduled, To: "beat-b", Override: "beat-b"},
			"schedule": {ArticleID: id, From: a.BeatID, Status: a.Status, Schedule: &article.Schedule{Date: "2026-11-25", Slot: postal.SlotEvening}, To: "beat-b"},
		} {
			if err := db.MoveBeat(ctx, stale); !postal.IsCode(err, postal.CodeConflict) {
				t.Errorf("stale %s: %v, want a conflict", name, err)
			}
		}
		if b, _ := db.Article(ctx, id); b.BeatID != "beat-a" || b.BeatOverride != "" {
			t.Fatalf("a refused move changed the article: %+v", b)
		}
		if err := db.MoveBeat(ctx, move); err != nil {
			t.Fatal(err)
		}
		if b, _ := db.Article(ctx, id); b.BeatID != "beat-b" || b.BeatOverride != "beat-b" {
			t.Fatalf("after the move: beat %q override %q", b.BeatID, b.BeatOverride)
		}
		back := article.BeatMove{ArticleID: id, Service: a.Service, From: "beat-b", Status: a.Status, To: "beat-a", At: c.Clock.Now()}
		if err := db.MoveBeat(ctx, back); err != nil {
			t.Fatal(err)
		}
		if b, _ := db.Article(ctx, id); b.BeatID != "beat-a" || b.BeatOverride != "" {
			t.Fatalf("after moving back: beat %q override %q", b.BeatID, b.BeatOverride)
		}
	})
}
