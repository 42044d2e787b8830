package otp_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"dakiya/internal/otp"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// storm verifies a wrong code on each of ids at once, all while busy keeps
// the database's writers waiting, and counts the answers by error code.
func storm(t *testing.T, d door, busy *testkit.Busy, ids []string) map[postal.Code]int {
	t.Helper()
	busy.Hold(t, 200*time.Millisecond, "otp_groups", "otp_articles", "otp_failures")
	var mu sync.Mutex
	got := map[postal.Code]int{}
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := d.svc.Verify(context.Background(), d.PostmanA, id, fmt.Sprintf("9%05d", i))
			code := postal.Code("ok")
			if err != nil {
				code = postal.ErrorCode(err)
			}
			mu.Lock()
			got[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return got
}

func countRows(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowForTest(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestVerifyTriesCannotBeRaced: 60 wrong codes for one article at once,
// while the database is busy, get at most 5 evaluated; the others are
// refused as locked, and so is the right code afterwards.
func TestVerifyTriesCannotBeRaced(t *testing.T) {
	testkit.EachBusyDB(t, func(t *testing.T, db *store.DB, busy *testkit.Busy) {
		d := newDoor(t, db, otp.DefaultPolicy(), 1)
		right := d.code(t, 0)
		ids := make([]string, 60)
		for i := range ids {
			ids[i] = d.ids[0]
		}
		if right >= "900000" && right < "900060" {
			t.Skip("the right code is among the storm's wrong ones") // one run in 16,000
		}
		got := storm(t, d, busy, ids)
		t.Logf("answers: %v", got)
		if got[postal.CodeUnprocessable] > 5 || got[postal.CodeUnprocessable]+got[postal.CodeLocked] != len(ids) {
			t.Fatalf("answers %v: want at most 5 wrong-code answers, the rest locked", got)
		}
		if n := countRows(t, db, "SELECT g.attempts FROM otp_groups g JOIN otp_articles a ON a.group_id = g.id WHERE a.article_id = ?", d.ids[0]); n != 5 {
			t.Fatalf("attempts = %d, want 5", n)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM otp_failures WHERE article_id = ?", d.ids[0]); n > 5 {
			t.Fatalf("%d wrong codes recorded, want at most 5", n)
		}
		wantCode(t, d.svc.Verify(context.Background(), d.PostmanA, d.ids[0], right), postal.CodeLocked)
	})
}

// TestPostmanLimitCannotBeRaced: 60 wrong codes across 12 articles at once
// get at most the postman's limit evaluated, and the right code of a fresh
// article is then refused for the hour.
func TestPostmanLimitCannotBeRaced(t *testing.T) {
	policy := otp.DefaultPolicy()
	policy.PostmanWrongMax = 7
	testkit.EachBusyDB(t, func(t *testing.T, db *store.DB, busy *testkit.Busy) {
		d := newDoor(t, db, policy, 13)
		ids := make([]string, 60)
		for i := range ids {
			ids[i] = d.ids[i%12]
		}
		got := storm(t, d, busy, ids)
		t.Logf("answers: %v", got)
		if got[postal.CodeUnprocessable] > 7 || got["ok"] > 0 {
			t.Fatalf("answers %v: want at most 7 wrong-code answers", got)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM otp_failures WHERE postman_id = ?", d.PostmanA.UserID); n > 7 {
			t.Fatalf("%d wrong codes recorded, want at most 7", n)
		}
		if n := countRows(t, db, "SELECT COALESCE(SUM(attempts), 0) FROM otp_groups"); n > 7 {
			t.Fatalf("%d tries counted on articles, want at most 7", n)
		}
		wantCode(t, d.svc.Verify(context.Background(), d.PostmanA, d.ids[12], d.code(t, 12)), postal.CodeRateLimited)
	})
}
