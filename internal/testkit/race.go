package testkit

import (
	"sync"
	"testing"

	"dakiya/internal/postal"
)

// Race runs fn(i) for i in [0, n) concurrently and returns how many
// succeeded. A failure with any code other than refused is reported as a
// test error: a racer may only lose with the expected refusal.
func Race(t testing.TB, n int, refused postal.Code, fn func(i int) error) int {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case !postal.IsCode(err, refused):
			t.Errorf("racer %d: %v, want success or %s", i, err, refused)
		}
	}
	return ok
}
