package httpapi_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"dakiya/internal/auth"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestLoginBusyAPI: with room for one password check at a time, a crowd of
// logins beyond it gets 503 problem+json with Retry-After, not a queue that
// holds 19 MiB per login.
func TestLoginBusyAPI(t *testing.T) {
	policy := auth.DefaultPolicy()
	policy.Checks, policy.CheckWait = 1, time.Millisecond
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnvWith(t, db, policy)
		var mu sync.Mutex
		var busy []resp
		statuses := map[int]int{}
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": fmt.Sprintf("nobody%d", i), "password": "guess"})
				mu.Lock()
				defer mu.Unlock()
				statuses[r.status]++
				if r.status == 503 {
					busy = append(busy, r)
				}
			}()
		}
		wg.Wait()
		if len(busy) == 0 || statuses[503]+statuses[401] != 16 {
			t.Fatalf("statuses %v: want some 503, the rest 401", statuses)
		}
		wantProblem(t, busy[0], 503)
		if ra := busy[0].header.Get("Retry-After"); ra == "" || ra == "0" {
			t.Fatalf("503 without Retry-After: %v", busy[0].header)
		}
		e.login("sup1") // the crowd gone, a login goes through
	})
}
