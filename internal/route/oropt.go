package route

// orMove tries Or-opt moves for the segments of one to three cities that
// start at s1 and run forwards: take the segment out, close the gap, and
// put it between two adjacent cities elsewhere, either way round. It makes
// the best such move for the shortest segment that has one and returns its
// gain, or returns 0.
func (s *solver) orMove(s1 int32) int64 {
	s2 := s1
	for l := 1; l <= 3; l++ {
		if l > 1 {
			s2 = s.t.next(s2)
		}
		p, nx := s.t.prev(s1), s.t.next(s2)
		if nx == p || s2 == p {
			return 0
		}
		gap := s.d(p, s1) + s.d(s2, nx) - s.d(p, nx)
		if gap <= 0 {
			continue
		}
		if g := s.orInsert(s1, s2, nx, gap); g > 0 {
			return g
		}
	}
	return 0
}

// orPlace is where a segment goes: between x and y (y after x), forwards
// (x, s1 … s2, y) or reversed (x, s2 … s1, y).
type orPlace struct {
	x, y int32
	fwd  bool
	gain int64
}

// orInsert finds the best place for segment s1…s2, whose removal saves gap,
// among edges next to the near cities of its ends, and moves it there.
func (s *solver) orInsert(s1, s2, nx int32, gap int64) int64 {
	var best orPlace
	for _, end := range [2]int32{s1, s2} {
		near, nd := s.nearOf(end)
		for i, c := range near {
			dc := nd[i]
			if dc >= gap {
				break
			}
			if s.inSegment(c, s1, s2) {
				continue
			}
			for _, after := range [2]bool{true, false} {
				pl := orPlace{x: s.t.prev(c), y: c}
				if after {
					pl = orPlace{x: c, y: s.t.next(c)}
				}
				if s.inSegment(pl.x, s1, s2) || s.inSegment(pl.y, s1, s2) {
					continue
				}
				pl.fwd = (end == s1) == after
				pl.gain = gap - s.insertCost(pl, s1, s2)
				if pl.gain > best.gain {
					best = pl
				}
			}
		}
		if s1 == s2 {
			break
		}
	}
	if best.gain > 0 {
		s.orApply(best, s1, s2, nx)
	}
	return best.gain
}

func (s *solver) insertCost(pl orPlace, s1, s2 int32) int64 {
	if pl.fwd {
		return s.d(pl.x, s1) + s.d(s2, pl.y) - s.d(pl.x, pl.y)
	}
	return s.d(pl.x, s2) + s.d(s1, pl.y) - s.d(pl.x, pl.y)
}

// inSegment reports whether c is one of the (at most three) cities s1…s2.
func (s *solver) inSegment(c, s1, s2 int32) bool {
	for v := s1; ; v = s.t.next(v) {
		if v == c {
			return true
		}
		if v == s2 {
			return false
		}
	}
}

// orApply moves s1…s2 between pl.x and pl.y with two or three reversals.
// Reading forwards the tour is p s1…s2 nx … x y …, so:
// reversing s1…x gives p x…nx s2…s1 y, reversing x…nx gives
// p nx…x s2…s1 y, and reversing the segment itself turns it forwards.
func (s *solver) orApply(pl orPlace, s1, s2, nx int32) {
	s.t.flip(s1, pl.x)
	s.t.flip(pl.x, nx)
	if pl.fwd {
		s.t.flip(s2, s1)
	}
}
