package route

// tour is a cyclic order of cities held as an array with each city's
// position, read forwards or backwards according to rev. Every change is a
// reversal of a path (a 2-opt move), and every reversal is journalled so a
// trial can be undone exactly.
//
// Reversing a path of k cities costs min(k, n-k) swaps: when the path is
// longer than half the tour, its complement is reversed instead and the
// reading direction flipped, which yields the same cycle.
type tour struct {
	n       int32
	city    []int32 // city at each position
	pos     []int32 // position of each city
	rev     bool    // read the array backwards
	journal []step
}

// step is one journalled reversal: the physical positions lo…hi reversed
// (nothing when empty), whether the reading direction was flipped, and the
// cities at the ends of the two edges it changed.
type step struct {
	lo, hi  int32
	empty   bool
	flipped bool
	ends    [4]int32
}

func newTour(order []int32) *tour {
	n := int32(len(order))
	t := &tour{n: n, city: make([]int32, n), pos: make([]int32, n)}
	copy(t.city, order)
	for i, c := range order {
		t.pos[c] = int32(i)
	}
	return t
}

// next returns the city after c in the current reading direction.
func (t *tour) next(c int32) int32 {
	p := t.pos[c]
	if t.rev {
		if p == 0 {
			return t.city[t.n-1]
		}
		return t.city[p-1]
	}
	if p == t.n-1 {
		return t.city[0]
	}
	return t.city[p+1]
}

// prev returns the city before c in the current reading direction.
func (t *tour) prev(c int32) int32 {
	p := t.pos[c]
	if t.rev {
		if p == t.n-1 {
			return t.city[0]
		}
		return t.city[p+1]
	}
	if p == 0 {
		return t.city[t.n-1]
	}
	return t.city[p-1]
}

// flip reverses the path that runs forwards from a to b: the edges
// (prev(a), a) and (b, next(b)) become (prev(a), b) and (a, next(b)).
func (t *tour) flip(a, b int32) {
	if a == b {
		return
	}
	st := step{ends: [4]int32{t.prev(a), a, b, t.next(b)}}
	i, j := t.pos[a], t.pos[b]
	if t.rev {
		i, j = j, i
	}
	k := j - i + 1 // cities on the physical path i..j, cyclically
	if k <= 0 {
		k += t.n
	}
	if 2*k > t.n {
		i, j = j+1, i-1
		if i == t.n {
			i = 0
		}
		if j < 0 {
			j = t.n - 1
		}
		st.flipped = true
		t.rev = !t.rev
		st.empty = k == t.n
	}
	st.lo, st.hi = i, j
	if !st.empty {
		t.reverse(i, j)
	}
	t.journal = append(t.journal, st)
}

// reverse reverses the physical positions i..j, cyclically.
func (t *tour) reverse(i, j int32) {
	k := j - i + 1
	if k <= 0 {
		k += t.n
	}
	for range k / 2 {
		a, b := t.city[i], t.city[j]
		t.city[i], t.pos[b] = b, i
		t.city[j], t.pos[a] = a, j
		if i++; i == t.n {
			i = 0
		}
		if j--; j < 0 {
			j = t.n - 1
		}
	}
}

// mark returns a point in the journal to undo back to.
func (t *tour) mark() int { return len(t.journal) }

// undo reverts every reversal made since mark, newest first.
func (t *tour) undo(mark int) {
	for k := len(t.journal) - 1; k >= mark; k-- {
		st := t.journal[k]
		if !st.empty {
			t.reverse(st.lo, st.hi)
		}
		if st.flipped {
			t.rev = !t.rev
		}
	}
	t.journal = t.journal[:mark]
}

// order returns the cities in reading order starting at position 0's city.
func (t *tour) order() []int32 {
	out := make([]int32, t.n)
	c := t.city[0]
	for i := range out {
		out[i] = c
		c = t.next(c)
	}
	return out
}
