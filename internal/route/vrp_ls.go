package route

// This file holds the VRP's local search, run on the routes each
// ruin-and-recreate step changed: 2-opt inside a route (reversing a
// stretch, which string removals rarely achieve on long routes) and 2-opt*
// between two routes (exchanging their tails). Both check time windows in
// O(1) per move: the stretch or tail keeps its latest start times (late),
// the part before it its earliest ones (early), and a reversed stretch is
// summarised as it grows by the segment algebra below.

import "slices"

// segment summarises a sequence of jobs served in order for a vehicle
// arriving at its first job at time x (x <= latest): service there ends at
// max(x+dur, done).
type segment struct {
	dur    int64 // service and travel inside, without waiting
	done   int64 // earliest end of the last service
	latest int64 // latest arrival at the first job
}

// one is the segment of job u alone.
func (m *model) one(u int) segment {
	return segment{dur: m.svc[u], done: m.ready[u] + m.svc[u], latest: m.due[u]}
}

// then appends b to a with travel t between them; false if no arrival
// time makes the pair feasible.
func then(a segment, t int64, b segment) (segment, bool) {
	if a.done+t > b.latest {
		return segment{}, false
	}
	return segment{dur: a.dur + t + b.dur, done: max(a.done+t+b.dur, b.done),
		latest: min(a.latest, b.latest-a.dur-t)}, true
}

// improve runs 2-opt on each changed route and 2-opt* between each
// changed route and every other route, until neither finds a gain.
func (s *sol) improve(dirty []bool) {
	for again := true; again; {
		again = false
		for v := range s.routes {
			if !dirty[v] {
				continue
			}
			if s.twoOpt(v) {
				again = true
			}
			for w := range s.routes {
				if w != v && s.twoOptStar(v, w) {
					dirty[w] = true
					again = true
				}
			}
		}
	}
}

// twoOpt reverses the first stretch of v's route that shortens it and
// stays feasible, repeatedly; it reports whether anything changed.
func (s *sol) twoOpt(v int) bool {
	m := s.m
	changed := false
	for again := true; again; {
		again = false
		r := s.routes[v]
		for i := 0; i+1 < len(r) && !again; i++ {
			p, dep := s.depart(v, i)
			rev := m.one(r[i])
			for j := i + 1; j < len(r); j++ {
				u := r[j]
				var ok bool
				rev, ok = then(m.one(u), m.t(u, r[j-1]), rev)
				if !ok {
					break // a longer reversal still has u before r[j-1]
				}
				q, lt := s.arrive(v, j+1)
				if m.c(p, u)+m.c(r[i], q) >= m.c(p, r[i])+m.c(u, q) {
					continue
				}
				x := dep + m.t(p, u)
				if x > rev.latest || max(x+rev.dur, rev.done)+m.t(r[i], q) > lt {
					continue
				}
				slices.Reverse(r[i : j+1])
				s.update(v)
				again, changed = true, true
				break
			}
		}
	}
	return changed
}

// starNeighbours is how many nearest neighbours of a cut's last stop
// 2-opt* tries as the first stop of the tail it receives.
const starNeighbours = 12

// twoOptStar exchanges the tails of v's and w's routes at a pair of cuts
// that lowers the cost and keeps both feasible, repeatedly; it reports
// whether anything changed. A new edge must join a stop to one of its
// nearest neighbours (or to the depot). Vehicles with different return
// times are skipped (the tails' latest starts would not carry over), as
// are empty routes.
func (s *sol) twoOptStar(v, w int) bool {
	m := s.m
	if m.veh[v].End != m.veh[w].End {
		return false
	}
	changed := false
	for s.starPass(v, w) {
		changed = true
	}
	return changed
}

// starPass applies the first improving tail exchange between v and w.
func (s *sol) starPass(v, w int) bool {
	m := s.m
	a, b := s.routes[v], s.routes[w]
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	loadA, awayA := s.prefixes(0, a, v, w)
	loadB, awayB := s.prefixes(1, b, w, v)
	// try is the exchange at cuts i (a[:i] stays on v) and j (b[:j] on w).
	try := func(i, j int) bool {
		if (i == 0 && j == 0) || (i == len(a) && j == len(b)) {
			return false
		}
		p, dep := s.depart(v, i)
		pa, ltA := s.arrive(v, i)
		pb, depB := s.depart(w, j)
		q, lt := s.arrive(w, j)
		delta := m.c(p, q) + m.c(pb, pa) - m.c(p, pa) - m.c(pb, q) +
			(awayB[len(b)][1] - awayB[j][1]) - (awayB[len(b)][0] - awayB[j][0]) +
			(awayA[len(a)][1] - awayA[i][1]) - (awayA[len(a)][0] - awayA[i][0])
		if m.fewer {
			delta += m.vehCost * int64(b2i(i+len(b)-j > 0)+b2i(j+len(a)-i > 0)-2)
		}
		if delta >= 0 ||
			loadA[i][0]+loadB[len(b)][0]-loadB[j][0] > m.veh[v].Capacity ||
			loadB[j][0]+loadA[len(a)][0]-loadA[i][0] > m.veh[w].Capacity ||
			dep+m.t(p, q) > lt || depB+m.t(pb, pa) > ltA {
			return false
		}
		na := append(slices.Clone(a[:i]), b[j:]...)
		nb := append(slices.Clone(b[:j]), a[i:]...)
		s.routes[v], s.routes[w] = na, nb
		s.update(v)
		s.update(w)
		return true
	}
	// New edge p→q: p ends a[:i], q starts b[j:].
	for i := 0; i <= len(a); i++ {
		p := 0
		if i > 0 {
			p = a[i-1]
		}
		if try(i, len(b)) {
			return true
		}
		for _, q := range m.neigh[p][:min(starNeighbours, len(m.neigh[p]))] {
			if s.where[q] == w && try(i, s.pos[q]) {
				return true
			}
		}
	}
	// New edge pb→pa: pb ends b[:j], pa starts a[i:].
	for j := 0; j <= len(b); j++ {
		pb := 0
		if j > 0 {
			pb = b[j-1]
		}
		if try(len(a), j) {
			return true
		}
		for _, pa := range m.neigh[pb][:min(starNeighbours, len(m.neigh[pb]))] {
			if s.where[pa] == v && try(s.pos[pa], j) {
				return true
			}
		}
	}
	return false
}

// prefixes returns, for each cut k of route r (on vehicle v, the other
// being w), the load of r[:k] in [0] and the away penalties of r[:k] on v
// in [0] and on w in [1], in scratch buffer b (0 or 1).
func (s *sol) prefixes(b int, r []int, v, w int) ([][1]int64, [][2]int64) {
	m := s.m
	load := slices.Grow(s.loadBuf[b][:0], len(r)+1)[:len(r)+1]
	away := slices.Grow(s.awayBuf[b][:0], len(r)+1)[:len(r)+1]
	s.loadBuf[b], s.awayBuf[b] = load, away
	load[0], away[0] = [1]int64{}, [2]int64{}
	for k, u := range r {
		load[k+1][0] = load[k][0] + m.dem[u]
		away[k+1][0] = away[k][0] + m.awayOf(u, v)
		away[k+1][1] = away[k][1] + m.awayOf(u, w)
	}
	return load, away
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
