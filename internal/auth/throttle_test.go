package auth_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"dakiya/internal/auth"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// retryAfter returns a refusal's Retry-After, failing unless err is a 429.
func retryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	wantCode(t, err, postal.CodeRateLimited)
	var pe *postal.Error
	if !asError(err, &pe) || pe.RetryAfter <= 0 {
		t.Fatalf("no Retry-After on %v", err)
	}
	return pe.RetryAfter
}

// login tries asha's password (right or not) from an address.
func (f fixture) login(user, password, addr string) error {
	_, err := f.svc.Login(context.Background(), user, password, addr)
	return err
}

func (f fixture) addUser(t *testing.T, name string) {
	t.Helper()
	if _, err := f.svc.CreateUser(context.Background(), auth.NewUser{Username: name, Name: name, Role: postal.RolePostman,
		DCID: "dc-one", Password: "correct horse"}); err != nil {
		t.Fatal(err)
	}
}

// TestLoginFailuresCannotBeRaced: 60 wrong passwords for one user from one
// address at once, while the database is busy, get at most 5 checked; the
// right password from there is then refused, and from elsewhere accepted.
func TestLoginFailuresCannotBeRaced(t *testing.T) {
	testkit.EachBusyDB(t, func(t *testing.T, db *store.DB, busy *testkit.Busy) {
		f := newFixture(t, db)
		busy.Hold(t, 200*time.Millisecond, "login_failures")
		var mu sync.Mutex
		got := map[postal.Code]int{}
		var wg sync.WaitGroup
		for i := range 60 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code := postal.ErrorCode(f.login("asha", fmt.Sprintf("wrong %d", i), "10.0.0.2"))
				mu.Lock()
				got[code]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		t.Logf("answers: %v", got)
		if got[postal.CodeUnauthenticated] > 5 || got[postal.CodeUnauthenticated]+got[postal.CodeRateLimited]+got[postal.CodeUnavailable] != 60 {
			t.Fatalf("answers %v: want at most 5 passwords checked, the rest refused", got)
		}
		retryAfter(t, f.login("asha", "correct horse", "10.0.0.2"))
		if err := f.login("asha", "correct horse", "10.0.0.3"); err != nil {
			t.Fatalf("from another address: %v", err)
		}
	})
}

// TestLoginThrottle checks each property of the throttle, on both databases.
func TestLoginThrottle(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		t.Run("a storm from one address does not lock the user out elsewhere", func(t *testing.T) {
			for range 5 {
				wantCode(t, f.login("asha", "wrong", "10.0.0.2"), postal.CodeUnauthenticated)
			}
			if d := retryAfter(t, f.login("asha", "correct horse", "10.0.0.2")); d > time.Second {
				t.Fatalf("first delay %v, want 1s", d)
			}
			if err := f.login("asha", "correct horse", "10.0.0.3"); err != nil {
				t.Fatalf("from another address: %v", err)
			}
		})
		t.Run("delays grow, are capped, and a good login ends them", func(t *testing.T) {
			var last time.Duration
			for i := range 12 {
				f.clock.Advance(retryAfter(t, f.login("asha", "correct horse", "10.0.0.2")))
				wantCode(t, f.login("asha", "wrong", "10.0.0.2"), postal.CodeUnauthenticated)
				d := retryAfter(t, f.login("asha", "wrong", "10.0.0.2"))
				if i < 5 && d != time.Second<<(i+1) || d > time.Minute || d < last {
					t.Fatalf("delay after failure %d: %v (before: %v)", 6+i, d, last)
				}
				last = d
			}
			if last != time.Minute {
				t.Fatalf("delay after 17 failures %v, want the cap of 1m", last)
			}
			f.clock.Advance(last)
			if err := f.login("asha", "correct horse", "10.0.0.2"); err != nil {
				t.Fatalf("after the delay: %v", err)
			}
			wantCode(t, f.login("asha", "wrong", "10.0.0.2"), postal.CodeUnauthenticated) // no delay now
		})
		t.Run("known-username failures behind a NAT do not lock the others out", func(t *testing.T) {
			for i := range 7 {
				f.addUser(t, fmt.Sprintf("staff%d", i))
			}
			for i := range 6 {
				for range 5 {
					wantCode(t, f.login(fmt.Sprintf("staff%d", i), "wrong", "10.5.5.5"), postal.CodeUnauthenticated)
				}
			}
			if err := f.login("staff6", "correct horse", "10.5.5.5"); err != nil {
				t.Fatalf("a colleague behind the same address after 30 failures: %v", err)
			}
		})
		t.Run("an address trying unknown usernames is limited", func(t *testing.T) {
			for i := range 30 {
				wantCode(t, f.login(fmt.Sprintf("nobody%d", i), "guess", "10.9.9.9"), postal.CodeUnauthenticated)
			}
			if d := retryAfter(t, f.login("asha", "correct horse", "10.9.9.9")); d > 15*time.Minute {
				t.Fatalf("retry after %v", d)
			}
			retryAfter(t, f.login("nobody99", "guess", "10.9.9.9"))
			if err := f.login("asha", "correct horse", "10.9.9.8"); err != nil {
				t.Fatalf("from another address: %v", err)
			}
			f.clock.Advance(15 * time.Minute)
			if err := f.login("asha", "correct horse", "10.9.9.9"); err != nil {
				t.Fatalf("after the window: %v", err)
			}
		})
		t.Run("an IPv6 /64 is one address", func(t *testing.T) {
			for i := range 30 {
				wantCode(t, f.login(fmt.Sprintf("nobody%d", i), "guess", fmt.Sprintf("2001:db8:1:2::%x", i+1)), postal.CodeUnauthenticated)
			}
			retryAfter(t, f.login("asha", "correct horse", "2001:db8:1:2:ffff::1"))
			if err := f.login("asha", "correct horse", "2001:db8:1:3::1"); err != nil {
				t.Fatalf("from the next /64: %v", err)
			}
		})
	})
}

// TestLoginCeiling: failures for one username from many addresses stop at
// the per-username ceiling, whatever the address, for the window.
func TestLoginCeiling(t *testing.T) {
	policy := auth.DefaultPolicy()
	policy.MaxUserFails = 12
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixtureWith(t, db, policy)
		for i := range 12 {
			wantCode(t, f.login("asha", "wrong", fmt.Sprintf("10.1.0.%d", i/4)), postal.CodeUnauthenticated)
		}
		if d := retryAfter(t, f.login("asha", "correct horse", "10.2.0.1")); d > time.Hour {
			t.Fatalf("retry after %v", d)
		}
		f.clock.Advance(time.Hour)
		if err := f.login("asha", "correct horse", "10.2.0.1"); err != nil {
			t.Fatalf("after the hour: %v", err)
		}
	})
}

// TestLoginChecksBounded: with room for one password check at a time,
// concurrent logins (for unknown usernames too, which still cost a check)
// beyond it are refused as unavailable with a Retry-After, and such a
// refusal is not counted as a failure.
func TestLoginChecksBounded(t *testing.T) {
	policy := auth.DefaultPolicy()
	policy.Checks, policy.CheckWait = 1, time.Millisecond
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixtureWith(t, db, policy)
		var mu sync.Mutex
		got := map[postal.Code]int{}
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := f.login(fmt.Sprintf("nobody%d", i), "guess", fmt.Sprintf("10.3.0.%d", i))
				var pe *postal.Error
				if asError(err, &pe) && pe.Code == postal.CodeUnavailable && pe.RetryAfter <= 0 {
					t.Errorf("503 without Retry-After: %v", err)
				}
				mu.Lock()
				got[postal.ErrorCode(err)]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		t.Logf("answers: %v", got)
		if got[postal.CodeUnavailable] == 0 || got[postal.CodeUnavailable]+got[postal.CodeUnauthenticated] != 16 {
			t.Fatalf("answers %v: want some refused as unavailable, the rest wrong", got)
		}
		var n int
		if err := db.QueryRowForTest(context.Background(),
			"SELECT COUNT(*) FROM login_failures WHERE bucket LIKE 'login:addr:%'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != got[postal.CodeUnauthenticated] {
			t.Fatalf("%d failures counted for %d wrong logins", n, got[postal.CodeUnauthenticated])
		}
	})
}
