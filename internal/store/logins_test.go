package store_test

import (
	"context"
	"testing"
	"time"

	"dakiya/internal/auth"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestGoodLoginSweepsItsKey: a good login forgets its cleared bucket
// whole, failures and key row, in the same call; another bucket's
// recent failures stay.
func TestGoodLoginSweepsItsKey(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
		pair, user := "login:pair:posta|192.0.2.7", "login:user:posta"
		buckets := []auth.Bucket{{Key: pair, Since: now.Add(-15 * time.Minute), Record: true},
			{Key: user, Since: now.Add(-time.Hour), Record: true}}
		allow := func([]auth.Count) error { return nil }
		if _, err := db.ReserveLogin(ctx, now.Add(-time.Minute), buckets, allow); err != nil {
			t.Fatal(err)
		}
		attempt, err := db.ReserveLogin(ctx, now, buckets, allow)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ReleaseLogin(ctx, attempt, []string{pair}, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		count := func(q, key string) int {
			var n int
			if err := db.QueryRowForTest(ctx, q, key).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count("SELECT COUNT(*) FROM limit_keys WHERE key = ?", pair); n != 0 {
			t.Errorf("the cleared bucket's key row is still there (%d)", n)
		}
		if n := count("SELECT COUNT(*) FROM login_failures WHERE bucket = ?", pair); n != 0 {
			t.Errorf("the cleared bucket still has %d failures", n)
		}
		if n := count("SELECT COUNT(*) FROM login_failures WHERE bucket = ?", user); n != 1 {
			t.Errorf("the other bucket has %d failures, want the earlier 1", n)
		}
		if n := count("SELECT COUNT(*) FROM limit_keys WHERE key = ?", user); n != 1 {
			t.Errorf("the other bucket's key row: %d, want 1", n)
		}
	})
}
