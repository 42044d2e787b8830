package route

// lkDepth bounds how many reversals one Lin–Kernighan move chains. Six
// finds nearly every improvement that ten does, at two thirds of the cost,
// which buys more kicks in the same budget.
const lkDepth = 6

// lkBreadth is how many ways to extend the chain are tried at each depth
// before giving up: several at the first two levels, where a wrong choice
// is most costly, then only the best.
func lkBreadth(depth int) int {
	switch depth {
	case 0:
		return 5
	case 1:
		return 3
	}
	return 1
}

// edge is an unordered pair of cities.
type edge struct{ a, b int32 }

func (e edge) is(a, b int32) bool { return e.a == a && e.b == b || e.a == b && e.b == a }

// lkCand is a way to extend the chain: join last to c and break (d, c).
type lkCand struct {
	c, d  int32
	score int64
}

// lkState is scratch space for lkMove, kept to avoid allocating per move.
type lkState struct {
	cands   [lkDepth][neighbours]lkCand
	added   []edge
	removed []edge
	// touched[c] == stamp when c is an end of an edge added or removed in
	// the current move: a quick test before searching the lists.
	touched []uint32
	stamp   uint32
}

func (l *lkState) start(n int32) {
	if l.touched == nil {
		l.touched = make([]uint32, n)
	}
	l.stamp++
	if l.stamp == 0 { // wrapped: forget every old stamp
		clear(l.touched)
		l.stamp = 1
	}
	l.added = l.added[:0]
	l.removed = l.removed[:0]
}

func (l *lkState) push(list *[]edge, a, b int32) {
	*list = append(*list, edge{a, b})
	l.touched[a], l.touched[b] = l.stamp, l.stamp
}

// has reports whether edge (a, b) is in list.
func (l *lkState) has(list []edge, a, b int32) bool {
	if l.touched[a] != l.stamp || l.touched[b] != l.stamp {
		return false
	}
	for _, e := range list {
		if e.is(a, b) {
			return true
		}
	}
	return false
}

// lkMove looks for an improving Lin–Kernighan move that breaks the edge
// from t1 to the city after it, built as a chain of reversals (the
// "2-opt move" variant of Johnson and McGeoch). It returns the gain and
// leaves the tour improved, or returns 0 and leaves the tour as it was.
func (s *solver) lkMove(t1 int32) int64 {
	t2 := s.t.next(t1)
	s.lk.start(s.n)
	s.lk.push(&s.lk.removed, t1, t2)
	return s.lkStep(t1, t2, s.d(t1, t2), 0, 0)
}

// lkStep extends a chain whose open end is last, the city after t1, with
// gain g so far (edges broken minus edges joined, not counting the edge
// that would close the tour). It returns the gain of the best tour found
// deeper that beats floor, leaving the tour that way, or 0 with the tour
// restored.
func (s *solver) lkStep(t1, last int32, g int64, depth int, floor int64) int64 {
	cands := s.lkCandidates(t1, last, g, depth)
	for _, cd := range cands[:min(lkBreadth(depth), len(cands))] {
		mark := s.t.mark()
		s.t.flip(last, cd.d) // now t1 → d … last → c
		gNew := g - s.d(last, cd.c) + s.d(cd.d, cd.c)
		closing := gNew - s.d(cd.d, t1)
		if depth+1 < lkDepth {
			s.lk.push(&s.lk.added, last, cd.c)
			s.lk.push(&s.lk.removed, cd.d, cd.c)
			sub := s.lkStep(t1, cd.d, gNew, depth+1, max(floor, closing))
			s.lk.added = s.lk.added[:len(s.lk.added)-1]
			s.lk.removed = s.lk.removed[:len(s.lk.removed)-1]
			if sub > 0 {
				return sub
			}
		}
		if closing > floor {
			return closing
		}
		s.t.undo(mark)
	}
	return 0
}

// lkCandidates lists the ways to extend the chain from last, best first:
// join last to a near city c while the gain stays positive, and break the
// edge from c to the city before it, so that a reversal keeps a tour.
// Edges joined in this move are never broken and broken ones never joined
// again, which keeps the chain from undoing itself.
func (s *solver) lkCandidates(t1, last int32, g int64, depth int) []lkCand {
	buf := s.lk.cands[depth][:0]
	succ := s.t.next(last)
	near, nd := s.nearOf(last)
	for i, c := range near {
		g1 := g - nd[i]
		if g1 <= 0 {
			break
		}
		if c == t1 || c == succ {
			continue
		}
		d := s.t.prev(c)
		if s.lk.has(s.lk.added, d, c) || s.lk.has(s.lk.removed, last, c) {
			continue
		}
		cd := lkCand{c: c, d: d, score: g1 + s.d(d, c)}
		buf = append(buf, cd)
		for i := len(buf) - 1; i > 0 && buf[i-1].score < cd.score; i-- {
			buf[i], buf[i-1] = buf[i-1], cd
		}
	}
	return buf
}
