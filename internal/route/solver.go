package route

import (
	"context"
	"math/rand/v2"
	"time"
)

// neighbours is how many cities each city keeps as candidates for new
// edges (its nearest, or on clustered inputs its alpha-nearest: see
// alpha.go). Ten is the usual sweet spot for
// 2-D instances: fewer misses good moves (on fl417, eight leave out three
// more of a good tour's long edges), more slows every search without
// finding better tours.
const neighbours = 10

// solver holds one optimisation run: the distances as one dense slice (an
// interface call per distance would dominate the run time), the candidate
// lists, the tour and the queue of cities to look at.
type solver struct {
	n    int32
	dist []int64 // n×n
	near []int32 // n×k candidates, nearest first
	nd   []int64 // distances to near, in the same order
	k    int32
	rng  *rand.Rand
	t    *tour
	cur  int64 // length of t

	queue  []int32 // ring buffer of cities whose edges changed
	head   int
	size   int
	queued []bool

	lk lkState
}

func newSolver(m Matrix, seed uint64) *solver {
	n := m.Len()
	s := &solver{
		n:      int32(n),
		k:      int32(min(neighbours, n-1)),
		rng:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		queue:  make([]int32, n),
		queued: make([]bool, n),
	}
	if d, ok := m.(*Dense); ok {
		s.dist = d.d // only read
	} else {
		s.dist = DenseOf(m).d
	}
	s.setCandidates(s.nearestLists())
	return s
}

// setCandidates makes near (n×k) the candidate lists.
func (s *solver) setCandidates(near []int32) {
	s.near = near
	s.nd = make([]int64, len(near))
	for i, c := range near {
		s.nd[i] = s.d(int32(i/int(s.k)), c)
	}
}

// d returns the distance between cities a and b.
func (s *solver) d(a, b int32) int64 { return s.dist[int(a)*int(s.n)+int(b)] }

// nearestLists returns each city's k nearest other cities, nearest first,
// ties broken by city number, by insertion into a short sorted list.
func (s *solver) nearestLists() []int32 {
	n, k := s.n, s.k
	near := make([]int32, int(n)*int(k))
	for i := range n {
		row := near[int(i)*int(k) : int(i+1)*int(k)]
		cnt := int32(0)
		for j := range n {
			if j == i {
				continue
			}
			dj := s.d(i, j)
			if cnt == k && dj >= s.d(i, row[k-1]) {
				continue
			}
			at := min(cnt, k-1)
			for at > 0 && s.d(i, row[at-1]) > dj {
				row[at] = row[at-1]
				at--
			}
			row[at] = j
			cnt = min(cnt+1, k)
		}
	}
	return near
}

// nearOf returns city c's candidate list and the distances to them.
func (s *solver) nearOf(c int32) ([]int32, []int64) {
	lo, hi := int(c)*int(s.k), int(c+1)*int(s.k)
	return s.near[lo:hi], s.nd[lo:hi]
}

// nearestNeighbourTour starts at city from and always goes to the nearest
// unvisited city.
func (s *solver) nearestNeighbourTour(from int32) []int32 {
	n := s.n
	order := make([]int32, 0, n)
	seen := make([]bool, n)
	c := from
	for {
		order = append(order, c)
		seen[c] = true
		if int32(len(order)) == n {
			return order
		}
		best, bd := int32(-1), int64(0)
		for j := range n {
			if !seen[j] && (best < 0 || s.d(c, j) < bd) {
				best, bd = j, s.d(c, j)
			}
		}
		c = best
	}
}

// push queues city c for a look unless it is already queued: a city out of
// the queue has its don't-look bit set.
func (s *solver) push(c int32) {
	if s.queued[c] {
		return
	}
	s.queued[c] = true
	s.queue[(s.head+s.size)%len(s.queue)] = c
	s.size++
}

func (s *solver) pop() int32 {
	c := s.queue[s.head]
	s.head = (s.head + 1) % len(s.queue)
	s.size--
	s.queued[c] = false
	return c
}

// pushChanged queues the ends of every edge changed since journal mark.
func (s *solver) pushChanged(mark int) {
	for _, st := range s.t.journal[mark:] {
		for _, c := range st.ends {
			s.push(c)
		}
	}
}

// stopRule says when the search ends.
type stopRule struct {
	deadline     time.Time // zero: no time limit
	prepDeadline time.Time // when the ascent must stop; zero: no time limit
	now          func() time.Time
	maxIter      int
	maxNoImprove int
}

// expired reports whether the time is up or ctx is done.
func (r stopRule) expired(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	return !r.deadline.IsZero() && !r.now().Before(r.deadline)
}

// tourLength returns the length of the current tour.
func (s *solver) tourLength() int64 {
	var sum int64
	for i := range s.n {
		c := s.t.city[i]
		sum += s.d(c, s.t.next(c))
	}
	return sum
}

func toInts(order []int32) []int {
	out := make([]int, len(order))
	for i, c := range order {
		out[i] = int(c)
	}
	return out
}
