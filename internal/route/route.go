// Package route orders one postman's stops: a travelling-salesman tour
// from the delivery centre (node 0) through every stop and back.
//
// The optimiser is pure: it reads no files and no clock except the one it
// is given, and for a given seed and iteration cap it always returns the
// same tour. A TSPLIB reader is included so the optimiser can be measured
// against instances with proven optima.
package route

import (
	"context"
	"time"
)

// Matrix is a symmetric distance matrix: Dist(i, j) == Dist(j, i) and
// Dist(i, i) == 0 for 0 <= i, j < Len().
type Matrix interface {
	Len() int
	Dist(i, j int) int64
}

// Dense is a Matrix held in one slice of n×n distances.
type Dense struct {
	n int
	d []int64
}

// NewDense returns an n×n matrix of zeros.
func NewDense(n int) *Dense {
	return &Dense{n: n, d: make([]int64, n*n)}
}

// DenseOf copies m into a new Dense.
func DenseOf(m Matrix) *Dense {
	n := m.Len()
	d := NewDense(n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			d.Set(i, j, m.Dist(i, j))
		}
	}
	return d
}

// Len returns the number of nodes.
func (d *Dense) Len() int { return d.n }

// Dist returns the distance between nodes i and j.
func (d *Dense) Dist(i, j int) int64 { return d.d[i*d.n+j] }

// Set sets the distance between i and j in both directions, which keeps the
// matrix symmetric.
func (d *Dense) Set(i, j int, v int64) {
	d.d[i*d.n+j] = v
	d.d[j*d.n+i] = v
}

// DefaultBudget is the time budget Solve uses when Options gives neither a
// budget nor an iteration cap.
const DefaultBudget = time.Second

// Options tune Solve. The zero value is usable.
type Options struct {
	// Budget bounds the time spent improving the tour, measured with Now.
	// Zero means DefaultBudget, unless an iteration cap is given, in which
	// case there is no time limit.
	Budget time.Duration
	// Seed seeds the random kicks; the same seed and iteration cap give the
	// same tour.
	Seed uint64
	// Now is the clock for the budget; nil means time.Now.
	Now func() time.Time
	// MaxIterations, when positive, caps the number of kicks.
	MaxIterations int
	// MaxNoImprove, when positive, stops after that many kicks in a row
	// that did not shorten the best tour.
	MaxNoImprove int
}

// Result is a tour and what it cost to find.
type Result struct {
	// Order lists every node once, starting at node 0; the tour returns from
	// the last node to node 0.
	Order []int
	// Length is the length of the closed tour.
	Length int64
	// Iterations counts the kicks of the iterated local search.
	Iterations int
	// Elapsed is the time Solve took, by Options.Now.
	Elapsed time.Duration
}

// Solve returns a short tour through every node of m, starting and ending
// at node 0. It stops when the budget or an iteration cap is reached or ctx
// is done, and returns the best tour found so far; it never fails. Problems
// of up to ten nodes are solved exactly. m must be symmetric; Solve keeps
// an n×n copy of it unless it is a *Dense, so it suits up to a few thousand
// nodes.
func Solve(ctx context.Context, m Matrix, opt Options) Result {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	start := now()
	var order []int
	iters := 0
	switch n := m.Len(); {
	case n == 0:
		order = []int{}
	case n <= exactMax:
		order = solveExact(m)
	default:
		s := newSolver(m, opt.Seed)
		end := deadline(start, opt)
		order, iters = s.run(ctx, stopRule{
			deadline:     end,
			prepDeadline: prepDeadline(start, end),
			now:          now,
			maxIter:      opt.MaxIterations,
			maxNoImprove: opt.MaxNoImprove,
		})
	}
	order = canonical(order)
	return Result{Order: order, Length: TourLength(m, order), Iterations: iters, Elapsed: now().Sub(start)}
}

// deadline returns when the search must stop; the zero time means never.
func deadline(start time.Time, opt Options) time.Time {
	switch {
	case opt.Budget > 0:
		return start.Add(opt.Budget)
	case opt.MaxIterations > 0 || opt.MaxNoImprove > 0:
		return time.Time{}
	default:
		return start.Add(DefaultBudget)
	}
}

// prepShare is the largest share of the budget the ascent that chooses the
// candidate edges may take; it needs about a tenth of two seconds for a
// thousand cities on one core, less below.
const prepShare = 8

// prepDeadline returns when the ascent must stop at the latest: the zero
// time when the search has no time limit.
func prepDeadline(start, end time.Time) time.Time {
	if end.IsZero() {
		return end
	}
	return start.Add(end.Sub(start) / prepShare)
}

// TourLength returns the length of the closed tour that visits order and
// returns to its first node.
func TourLength(m Matrix, order []int) int64 {
	var sum int64
	for i, v := range order {
		w := order[(i+1)%len(order)]
		sum += m.Dist(v, w)
	}
	return sum
}

// canonical rotates a tour to start at node 0 and orients it so that the
// second node is smaller than the last, so equal tours compare equal.
func canonical(order []int) []int {
	n := len(order)
	out := make([]int, n)
	at := 0
	for i, v := range order {
		if v == 0 {
			at = i
		}
	}
	for i := range n {
		out[i] = order[(at+i)%n]
	}
	if n > 2 && out[1] > out[n-1] {
		for i, j := 1, n-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out
}
