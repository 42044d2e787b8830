package route

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// randomMatrix returns a symmetric matrix of n nodes: Euclidean points when
// metric, otherwise independent random distances (no triangle inequality).
func randomMatrix(n int, seed uint64, metric bool) *Dense {
	if metric {
		return randomEuclidean(n, seed).Matrix()
	}
	rng := rand.New(rand.NewPCG(seed, 3))
	m := NewDense(n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			m.Set(i, j, 1+rng.Int64N(1000))
		}
	}
	return m
}

// bruteForce returns the length of a shortest tour by trying every order of
// nodes 1…n-1.
func bruteForce(m Matrix) int64 {
	n := m.Len()
	rest := make([]int, n-1)
	for i := range rest {
		rest[i] = i + 1
	}
	best := int64(-1)
	var try func(k int)
	try = func(k int) {
		if k == len(rest) {
			l := TourLength(m, append([]int{0}, rest...))
			if best < 0 || l < best {
				best = l
			}
			return
		}
		for i := k; i < len(rest); i++ {
			rest[k], rest[i] = rest[i], rest[k]
			try(k + 1)
			rest[k], rest[i] = rest[i], rest[k]
		}
	}
	try(0)
	return best
}

// checkTour fails unless res.Order visits every node of m once starting at
// 0 and res.Length is its length.
func checkTour(t *testing.T, m Matrix, res Result) {
	t.Helper()
	n := m.Len()
	if len(res.Order) != n {
		t.Fatalf("order has %d nodes, want %d", len(res.Order), n)
	}
	if n > 0 && res.Order[0] != 0 {
		t.Fatalf("order starts at %d, want 0", res.Order[0])
	}
	sorted := slices.Sorted(slices.Values(res.Order))
	for i, v := range sorted {
		if v != i {
			t.Fatalf("order %v is not a permutation of 0…%d", res.Order, n-1)
		}
	}
	if got := TourLength(m, res.Order); got != res.Length {
		t.Fatalf("Length %d, recomputed %d", res.Length, got)
	}
}

func TestSolveTiny(t *testing.T) {
	tests := []struct {
		n      int
		order  []int
		length int64
	}{
		{0, []int{}, 0},
		{1, []int{0}, 0},
		{2, []int{0, 1}, 2 * 5},
		{3, []int{0, 1, 2}, 5 + 5 + 8},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			res := Solve(context.Background(), tinyLine(tc.n), Options{})
			if diff := cmp.Diff(tc.order, res.Order); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
			if res.Length != tc.length {
				t.Errorf("length %d, want %d", res.Length, tc.length)
			}
		})
	}
}

// tinyLine is up to 3 nodes with d(0,1) = 5, d(1,2) = 5, d(0,2) = 8.
func tinyLine(n int) *Dense {
	m := NewDense(n)
	if n >= 2 {
		m.Set(0, 1, 5)
	}
	if n == 3 {
		m.Set(1, 2, 5)
		m.Set(0, 2, 8)
	}
	return m
}

// TestSolveExactSmall checks the exact solver Solve uses for small problems
// against brute force, on metric and non-metric matrices.
func TestSolveExactSmall(t *testing.T) {
	for n := 4; n <= 9; n++ {
		for seed := range uint64(25) {
			for _, metric := range []bool{true, false} {
				m := randomMatrix(n, seed, metric)
				res := Solve(context.Background(), m, Options{Seed: seed})
				checkTour(t, m, res)
				if want := bruteForce(m); res.Length != want {
					t.Errorf("n=%d seed=%d metric=%v: length %d, brute force %d", n, seed, metric, res.Length, want)
				}
			}
		}
	}
}

// TestHeuristicSmall runs the iterated local search itself, not the exact
// solver, on small problems and expects the optimum every time; the exact
// solver (checked against brute force above) is the oracle.
func TestHeuristicSmall(t *testing.T) {
	for n := 5; n <= 13; n++ {
		for seed := range uint64(20) {
			for _, metric := range []bool{true, false} {
				m := randomMatrix(n, seed, metric)
				want := TourLength(m, solveExact(m))
				s := newSolver(m, seed)
				order, _ := s.run(context.Background(), stopRule{maxIter: 300})
				res := Result{Order: canonical(order), Length: TourLength(m, order)}
				checkTour(t, m, res)
				if res.Length != want {
					t.Errorf("n=%d seed=%d metric=%v: length %d, optimum %d", n, seed, metric, res.Length, want)
				}
			}
		}
	}
}

// TestSolveValid checks tours of many sizes, and that the length the search
// keeps track of matches the tour it has.
func TestSolveValid(t *testing.T) {
	for _, n := range []int{10, 11, 12, 20, 57, 150} {
		for _, metric := range []bool{true, false} {
			t.Run(fmt.Sprintf("n=%d metric=%v", n, metric), func(t *testing.T) {
				m := randomMatrix(n, uint64(n), metric)
				res := Solve(context.Background(), m, Options{Seed: 7, MaxIterations: 500})
				checkTour(t, m, res)
				if n > exactMax && res.Iterations != 500 {
					t.Errorf("iterations %d, want 500", res.Iterations)
				}
				s := newSolver(m, 7)
				s.run(context.Background(), stopRule{maxIter: 200})
				if got := s.tourLength(); got != s.cur {
					t.Errorf("tracked length %d, tour length %d", s.cur, got)
				}
			})
		}
	}
}

func TestSolveDeterministic(t *testing.T) {
	m := randomEuclidean(120, 5).Matrix()
	tests := []Options{
		{Seed: 3, MaxIterations: 400},
		{Seed: 3, MaxNoImprove: 150},
		{Seed: 3, MaxIterations: 400, Budget: time.Hour},
	}
	for _, opt := range tests {
		t.Run(fmt.Sprintf("%+v", opt), func(t *testing.T) {
			a := Solve(context.Background(), m, opt)
			b := Solve(context.Background(), m, opt)
			if diff := cmp.Diff(a.Order, b.Order); diff != "" || a.Length != b.Length || a.Iterations != b.Iterations {
				t.Errorf("two runs differ: %d/%d vs %d/%d kicks\n%s", a.Length, a.Iterations, b.Length, b.Iterations, diff)
			}
		})
	}
}

// fakeClock advances by step every time it is read and calls onRead with
// the number of reads so far.
type fakeClock struct {
	t      time.Time
	step   time.Duration
	reads  int
	onRead func(int)
}

func (c *fakeClock) now() time.Time {
	c.reads++
	if c.onRead != nil {
		c.onRead(c.reads)
	}
	c.t = c.t.Add(c.step)
	return c.t
}

func TestSolveStopsOnBudget(t *testing.T) {
	m := randomEuclidean(100, 9).Matrix()
	clock := &fakeClock{t: time.Unix(0, 0), step: time.Millisecond}
	res := Solve(context.Background(), m, Options{Budget: 50 * time.Millisecond, Now: clock.now})
	checkTour(t, m, res)
	// The clock is read every fourth kick, so 50 reads allow about 200.
	if res.Iterations > 4*50 {
		t.Errorf("%d kicks after the budget ran out", res.Iterations)
	}
	if res.Elapsed < 50*time.Millisecond {
		t.Errorf("elapsed %v by the fake clock, want at least the budget", res.Elapsed)
	}
}

func TestSolveStopsOnCancel(t *testing.T) {
	m := randomEuclidean(150, 4).Matrix()
	t.Run("before start", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		res := Solve(ctx, m, Options{Budget: time.Hour})
		checkTour(t, m, res)
		if res.Iterations != 0 {
			t.Errorf("%d kicks after cancellation", res.Iterations)
		}
	})
	t.Run("while running", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		clock := &fakeClock{t: time.Unix(0, 0), onRead: func(n int) {
			if n == 20 {
				cancel()
			}
		}}
		res := Solve(ctx, m, Options{Budget: time.Hour, Now: clock.now})
		checkTour(t, m, res)
		if res.Iterations == 0 || res.Iterations > 4*20 {
			t.Errorf("%d kicks; want some, and none long after cancellation", res.Iterations)
		}
	})
}

// TestTourUndo makes random reversals in both reading directions and checks
// that undo restores the cycle exactly.
func TestTourUndo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{5, 6, 31, 100} {
		order := make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		tr := newTour(order)
		want := slices.Clone(tr.order())
		for range 200 {
			a, b := int32(rng.IntN(n)), int32(rng.IntN(n))
			if rng.IntN(3) == 0 {
				tr.rev = !tr.rev
			}
			tr.flip(a, b)
		}
		tr.undo(0)
		if got := tr.order(); !sameCycle(got, want) {
			t.Errorf("n=%d: after undo %v, want %v", n, got, want)
		}
	}
}

// sameCycle reports whether a and b are the same cycle, in either direction.
func sameCycle(a, b []int32) bool {
	n := len(a)
	at := slices.Index(a, b[0])
	fwd, bwd := true, true
	for i := range n {
		fwd = fwd && a[(at+i)%n] == b[i]
		bwd = bwd && a[(at-i+n)%n] == b[i]
	}
	return fwd || bwd
}
