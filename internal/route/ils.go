package route

import "context"

// kickSegment bounds the length of each of the two segments a kick swaps.
// Shorter kicks are cheaper to repair but too easily undone, and on
// clustered instances (pr144) they cannot move a whole cluster's visit:
// at 30 the search stalled 3 % above optimum there, at 50 it does not.
const kickSegment = 50

// run chooses the candidate edges, builds a tour by nearest neighbour,
// takes it to a local optimum and then repeats kick-and-repair until stop
// says so, starting afresh after restartStale kicks without a gain. It
// returns the best tour and the number of kicks.
func (s *solver) run(ctx context.Context, stop stopRule) ([]int, int) {
	s.alphaCandidates(ctx, stop)
	s.restart(ctx, stop, 0)
	best, bestLen := s.t.order(), s.cur
	iters, stale, flat := 0, 0, 0
	for !s.finished(ctx, stop, iters, stale) {
		iters++
		if flat >= restartStale {
			s.restart(ctx, stop, int32(s.rng.IntN(int(s.n))))
			flat = 0
		}
		before := s.cur
		s.cur += s.kick()
		s.localSearch(ctx, stop)
		if s.cur <= before {
			s.t.journal = s.t.journal[:0]
		} else {
			s.t.undo(0)
			s.cur = before
			s.clearQueue()
		}
		if s.cur < before {
			flat = 0
		} else {
			flat++
		}
		if s.cur < bestLen {
			best, bestLen, stale = s.t.order(), s.cur, 0
		} else {
			stale++
		}
	}
	return toInts(best), iters
}

// restart builds a tour by nearest neighbour from city from and takes it
// to a local optimum.
func (s *solver) restart(ctx context.Context, stop stopRule, from int32) {
	s.t = newTour(s.nearestNeighbourTour(from))
	s.cur = s.tourLength()
	for c := range s.n {
		s.push(c)
	}
	s.localSearch(ctx, stop)
	s.t.journal = s.t.journal[:0]
}

// restartStale is how many kicks in a row may fail to shorten the current
// tour before the search starts again from a new nearest-neighbour tour
// (from a random city), keeping the best tour so far. On clustered inputs
// the kicks either find the right order of the clusters early or never:
// fl417, pr439 and p654, shuffled, mirrored and turned, ended up to 2.7 %
// above the optimum in 1 run of 4 without restarts and within 0.5 % with
// them (12,000 kicks). On uniform inputs a search that has gone 3,000
// kicks without a gain has little left to find nearby, and the restarts
// took lin318, kroB150, pcb442 and d493 to better tours than before in the
// same kicks. A stopping rule of fewer kicks without improvement
// (Options.MaxNoImprove) ends the search before any restart.
const restartStale = 3000

// finished checks the iteration caps on every kick and the clock and ctx
// on every fourth, which keeps time.Now out of the profile.
func (s *solver) finished(ctx context.Context, stop stopRule, iters, stale int) bool {
	switch {
	case stop.maxIter > 0 && iters >= stop.maxIter:
		return true
	case stop.maxNoImprove > 0 && stale >= stop.maxNoImprove:
		return true
	case iters%4 == 0:
		return stop.expired(ctx)
	}
	return false
}

// localSearch makes improving moves around queued cities until none is
// left, checking the clock now and then so a huge first descent cannot
// overrun the budget by much.
func (s *solver) localSearch(ctx context.Context, stop stopRule) {
	for pops := 1; s.size > 0; pops++ {
		if pops%1024 == 0 && stop.expired(ctx) {
			s.clearQueue()
			return
		}
		c := s.pop()
		mark := s.t.mark()
		if g := s.improveCity(c); g > 0 {
			s.cur -= g
			s.pushChanged(mark)
		}
	}
}

// improveCity tries a Lin–Kernighan move and then an Or-opt move from c,
// in both reading directions, and returns the gain of the first that
// improves the tour.
func (s *solver) improveCity(c int32) int64 {
	for back := range 2 {
		g := s.lkMove(c)
		if g == 0 {
			g = s.orMove(c)
		}
		if g > 0 {
			if back == 1 {
				s.t.rev = !s.t.rev
			}
			return g
		}
		s.t.rev = !s.t.rev // read the tour the other way, then back
	}
	return 0
}

func (s *solver) clearQueue() {
	for s.size > 0 {
		s.pop()
	}
}

// kick perturbs the tour with a segment-local double bridge: two adjacent
// segments of 1 to kickSegment cities trade places (a B C d becomes
// a C B d). This is the double bridge as it is usually coded; it changes
// three edges, and the Lin–Kernighan search cannot undo it in one move:
// each step of its chain must close back into a tour, and the first step
// of a pure segment swap leaves two cycles instead. Kept local, the kick disturbs one neighbourhood, so the repair is
// cheap and usually lands in a different local optimum nearby. (Reversing
// the order of three segments, a four-edge change, repaired more slowly
// and did worse in the same budget.) It returns the change in length and
// queues the six cities it touched.
func (s *solver) kick() int64 {
	maxSeg := min(kickSegment, int(s.n-2)/2)
	lb, lc := 1+s.rng.IntN(maxSeg), 1+s.rng.IntN(maxSeg)
	a := int32(s.rng.IntN(int(s.n)))
	b1 := s.t.next(a)
	b2 := b1
	for range lb - 1 {
		b2 = s.t.next(b2)
	}
	c1 := s.t.next(b2)
	c2 := c1
	for range lc - 1 {
		c2 = s.t.next(c2)
	}
	d1 := s.t.next(c2)
	delta := s.d(a, c1) + s.d(c2, b1) + s.d(b2, d1) - s.d(a, b1) - s.d(b2, c1) - s.d(c2, d1)
	s.t.flip(b1, c2) // a c2…c1 b2…b1 d1
	s.t.flip(c2, c1) // a c1…c2 b2…b1 d1
	s.t.flip(b2, b1) // a c1…c2 b1…b2 d1
	for _, c := range [...]int32{a, b1, b2, c1, c2, d1} {
		s.push(c)
	}
	return delta
}
