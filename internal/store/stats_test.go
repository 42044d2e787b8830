package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakiya/internal/postal"
	"dakiya/internal/stats"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// attempt is a delivery row of the built history; at is IST.
type attempt struct {
	article, dc, date, slot, outcome, reason, at string
}

// buildHistory books five articles (a1–a4 on beat-a, b1 on beat-b) and
// records attempts straight into the table, as phones would have.
func buildHistory(t *testing.T, db *store.DB, c *testkit.Centre) {
	t.Helper()
	ctx := context.Background()
	ids := c.Book(t, testkit.ArticleSpec{Serial: 1}, testkit.ArticleSpec{Serial: 2}, testkit.ArticleSpec{Serial: 3},
		testkit.ArticleSpec{Serial: 4}, testkit.ArticleSpec{Serial: 5, PIN: "560095"})
	art := map[string]string{"a1": ids[0], "a2": ids[1], "a3": ids[2], "a4": ids[3], "b1": ids[4]}
	for k, id := range art {
		beat := "beat-a"
		if k == "b1" {
			beat = "beat-b"
		}
		if err := db.ExecForTest(ctx, "UPDATE articles SET beat_id = ? WHERE id = ?", beat, id); err != nil {
			t.Fatal(err)
		}
	}
	ist := time.FixedZone("IST", 5*3600+1800)
	for i, a := range []attempt{
		{"a4", "dc-one", "2026-11-20", "morning", "failed", "01", "2026-11-20 08:00"}, // before the window: a4's first
		{"a1", "dc-one", "2026-11-23", "morning", "failed", "01", "2026-11-23 07:10"},
		{"a1", "dc-one", "2026-11-23", "evening", "delivered", "", "2026-11-23 17:40"},
		{"a2", "dc-one", "2026-11-24", "morning", "delivered", "", "2026-11-24 07:00"},
		{"a3", "dc-one", "2026-11-24", "morning", "failed", "01", "2026-11-24 08:00"},
		{"a4", "dc-one", "2026-11-24", "evening", "delivered", "", "2026-11-24 16:50"},
		{"a1", "dc-two", "2026-11-24", "morning", "delivered", "", "2026-11-24 09:00"}, // another centre
		{"a3", "dc-one", "2026-11-25", "morning", "failed", "02", "2026-11-25 10:59"},
		{"b1", "dc-one", "2026-11-25", "morning", "delivered", "", "2026-11-25 11:30"},
	} {
		at, err := time.ParseInLocation("2006-01-02 15:04", a.at, ist)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ExecForTest(ctx, `INSERT INTO deliveries (id, article_id, dc_id, postman_id, manifest_id, date, slot,
			outcome, reason_code, captured_at, created_at, assignment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			fmt.Sprintf("d%d", i), art[a.article], a.dc, c.PostmanA.UserID, fmt.Sprintf("m%d", i), a.date, a.slot,
			a.outcome, a.reason, at.UnixMilli(), at.UnixMilli(), fmt.Sprintf("as%d", i)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestStatsBoard checks every figure of a built history against numbers
// worked out by hand.
func TestStatsBoard(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		c := testkit.NewCentre(t, db, time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC)) // 18:30 IST, Wednesday
		buildHistory(t, db, c)
		svc := stats.New(db, c.Clock.Now)
		ctx := context.Background()
		b, err := svc.Board(ctx, c.Supervisor, "dc-one", 3)
		if err != nil {
			t.Fatal(err)
		}
		want := stats.Board{DCID: "dc-one", From: "2026-11-23", To: "2026-11-25",
			PerSlot: []stats.SlotDay{
				{Date: "2026-11-23", Slot: "morning", Failed: 1}, {Date: "2026-11-23", Slot: "evening", Delivered: 1},
				{Date: "2026-11-24", Slot: "morning", Delivered: 1, Failed: 1}, {Date: "2026-11-24", Slot: "evening", Delivered: 1},
				{Date: "2026-11-25", Slot: "morning", Delivered: 1, Failed: 1}, {Date: "2026-11-25", Slot: "evening"},
			},
			// beat-a: a1 failed, a2 delivered, a3 failed (a4's first try is before the window).
			FirstAttempt: []stats.BeatRate{{BeatID: "beat-a", Attempts: 3, Delivered: 1, Rate: 1.0 / 3},
				{BeatID: "beat-b", Attempts: 1, Delivered: 1, Rate: 1}},
			Reasons: []stats.Reason{{Code: "01", Label: "Door locked", Count: 2}, {Code: "02", Label: "Addressee moved", Count: 1}},
			// 16 buckets (the longest window, 4 h); a2 at 0 min, a1 at 40 min; a4 at 16:50 before
			// its evening; b1 at 11:30 after its morning.
			TimeInSlot: stats.Histogram{BucketMinutes: 15, Buckets: []int{1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
				BeforeStart: 1, AfterEnd: 1},
		}
		if d := cmp.Diff(want, b); d != "" {
			t.Fatalf("board (-want +got):\n%s", d)
		}
		// 00:30 IST on Thursday is already the 26th in the centre's zone.
		c.Clock.Set(time.Date(2026, 11, 25, 19, 0, 0, 0, time.UTC))
		b, err = svc.Board(ctx, c.Admin, "dc-one", 1)
		if err != nil || b.From != "2026-11-26" || b.To != "2026-11-26" || len(b.PerSlot) != 2 || b.PerSlot[0].Delivered+b.PerSlot[0].Failed != 0 ||
			len(b.FirstAttempt) != 0 || len(b.Reasons) != 0 {
			t.Fatalf("the next day in IST: %+v %v", b, err)
		}
		for name, tc := range map[string]struct {
			p    postal.Principal
			dc   string
			days int
			code postal.Code
		}{
			"postman":        {c.PostmanA, "dc-one", 14, postal.CodeForbidden},
			"another centre": {c.Supervisor2, "dc-one", 14, postal.CodeNotFound},
			"unknown centre": {c.Admin, "dc-nope", 14, postal.CodeNotFound},
			"no days":        {c.Supervisor, "dc-one", 0, postal.CodeInvalid},
			"too many days":  {c.Supervisor, "dc-one", 61, postal.CodeInvalid},
		} {
			if _, err := svc.Board(ctx, tc.p, tc.dc, tc.days); !postal.IsCode(err, tc.code) {
				t.Errorf("%s: %v, want %s", name, err, tc.code)
			}
		}
	})
}
