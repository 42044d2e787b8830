package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestLeaseOneHolder has eight replicas take one free lease at once:
// exactly one gets it, and only it renews it until it expires.
func TestLeaseOneHolder(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 25, 4, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		var won []string
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				who := fmt.Sprintf("replica-%d", i)
				ok, err := db.TakeLease(ctx, "job", who, now, time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					won = append(won, who)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(won) != 1 {
			t.Fatalf("holders: %v", won)
		}
		other := "replica-0"
		if won[0] == other {
			other = "replica-1"
		}
		if ok, err := db.TakeLease(ctx, "job", won[0], now.Add(30*time.Second), time.Minute); err != nil || !ok {
			t.Fatalf("renewal: %v %v", ok, err)
		}
		if ok, _ := db.TakeLease(ctx, "job", other, now.Add(80*time.Second), time.Minute); ok {
			t.Fatal("taken before the renewed lease expired")
		}
		if ok, err := db.TakeLease(ctx, "job", other, now.Add(90*time.Second), time.Minute); err != nil || !ok {
			t.Fatalf("after expiry: %v %v", ok, err)
		}
	})
}
