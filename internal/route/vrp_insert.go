package route

// This file holds the VRP's insertion heuristics: the regret-3
// construction and the greedy reinsertion with blinks that recreates a
// ruined solution.

import "math/rand/v2"

// noPlace marks a job/vehicle pair with no feasible position.
const noPlace = int64(-1) << 62

// bestIn returns the cheapest feasible position for u in v's route and
// its cost (opening an empty vehicle costs vehCost when vehicles come
// first), or noPlace.
func (s *sol) bestIn(u, v int) (int64, int) {
	if s.load[v]+s.m.dem[u] > s.m.veh[v].Capacity {
		return noPlace, -1
	}
	best, pos := s.scan(u, v, &blinker{})
	if pos < 0 {
		return noPlace, -1
	}
	if len(s.routes[v]) == 0 && s.m.fewer {
		best += s.m.vehCost
	}
	return best, pos
}

// construct inserts every absent job by regret-3: at each step the job
// whose best placement is most ahead of its next two (over distinct routes,
// all empty vehicles counting as one) is placed where it is cheapest. Jobs
// no vehicle can take stay absent.
func (m *model) construct(s *sol) {
	V := len(m.veh)
	cost := make([][]int64, m.n+1)
	pos := make([][]int, m.n+1)
	for _, u := range s.absent {
		cost[u], pos[u] = make([]int64, V), make([]int, V)
		for v := range V {
			cost[u][v], pos[u][v] = s.bestIn(u, v)
		}
	}
	for len(s.absent) > 0 {
		bi, bv := -1, -1
		var bestRegret, bestCost int64
		for i, u := range s.absent {
			v, regret, c := m.regret(s, cost[u])
			if v < 0 {
				continue
			}
			if bi < 0 || regret > bestRegret || (regret == bestRegret && c < bestCost) {
				bi, bv, bestRegret, bestCost = i, v, regret, c
			}
		}
		if bi < 0 {
			return
		}
		u := s.absent[bi]
		s.absent = append(s.absent[:bi], s.absent[bi+1:]...)
		s.insert(u, bv, pos[u][bv])
		for _, w := range s.absent {
			cost[w][bv], pos[w][bv] = s.bestIn(w, bv)
		}
	}
}

// regret returns, for one job's per-vehicle costs, the cheapest vehicle,
// the regret-3 value and the cheapest cost; -1 when nothing is feasible.
func (m *model) regret(s *sol, cost []int64) (int, int64, int64) {
	const k = 3
	var top [k]int64
	var nTop int
	bestV := -1
	emptySeen := false
	var emptyBest int64
	emptyV := -1
	consider := func(c int64) {
		// keep the k smallest in top
		if nTop < k {
			top[nTop] = c
			nTop++
		} else if c < top[k-1] {
			top[k-1] = c
		} else {
			return
		}
		for i := nTop - 1; i > 0 && top[i] < top[i-1]; i-- {
			top[i], top[i-1] = top[i-1], top[i]
		}
	}
	for v, c := range cost {
		if c == noPlace {
			continue
		}
		if len(s.routes[v]) == 0 {
			if !emptySeen || c < emptyBest {
				emptySeen, emptyBest, emptyV = true, c, v
			}
			continue
		}
		if bestV < 0 || c < cost[bestV] {
			bestV = v
		}
		consider(c)
	}
	if emptySeen {
		consider(emptyBest)
		if bestV < 0 || emptyBest < cost[bestV] {
			bestV = emptyV
		}
	}
	if bestV < 0 {
		return -1, 0, 0
	}
	var regret int64
	for i := 1; i < k; i++ {
		if i < nTop {
			regret += top[i] - top[0]
		} else {
			regret += m.vehCost
		}
	}
	return bestV, regret, top[0]
}

// recreate inserts the absent jobs in their current order, each at its
// cheapest feasible position, skipping each candidate position with
// probability blink. With allow nil any vehicle may be used (opening an
// empty one costs vehCost when vehicles come first); otherwise only the
// vehicles allow marks. Jobs with no position stay absent.
func (s *sol) recreate(rng *rand.Rand, blink float64, allow []bool) {
	m := s.m
	left := s.absent[:0]
	pending := append([]int(nil), s.absent...)
	b := blinker{state: rng.Uint64() | 1, threshold: uint64(blink * (1 << 63) * 2)}
	if blink <= 0 {
		b.threshold = 0
	}
	for _, u := range pending {
		bv, bk := -1, -1
		var best int64
		emptyTried := false
		for v := range s.routes {
			r := s.routes[v]
			if allow != nil && !allow[v] {
				continue
			}
			if len(r) == 0 && allow == nil {
				if emptyTried && m.uniform {
					continue
				}
				emptyTried = true
			}
			if s.load[v]+m.dem[u] > m.veh[v].Capacity {
				continue
			}
			c, k := s.scan(u, v, &b)
			if k < 0 {
				continue
			}
			if len(r) == 0 && m.fewer {
				c += m.vehCost
			}
			if bv < 0 || c < best {
				bv, bk, best = v, k, c
			}
		}
		if bv < 0 {
			left = append(left, u)
			continue
		}
		s.insert(u, bv, bk)
	}
	s.absent = left
}

// blinker draws the blinks: a xorshift generator, cheaper than rand for
// one draw per insertion position.
type blinker struct {
	state, threshold uint64
}

// skip reports whether to skip the next position.
func (b *blinker) skip() bool {
	if b.threshold == 0 {
		return false
	}
	x := b.state
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	b.state = x
	return x < b.threshold
}

// scan returns the cheapest feasible position for u in v's route, with
// blinks, and its cost (with any away penalty); position -1 if none. It
// is insertCost unrolled over the route: the departure time from each
// position and the latest start at the next are read in one pass, and the
// scan stops once the previous stop cannot start before u's due time
// (earliest starts only grow along a route).
func (s *sol) scan(u, v int, b *blinker) (int64, int) {
	m := s.m
	N := m.n + 1
	r, early, late := s.routes[v], s.early[v], s.late[v]
	cu := m.cost[u*N : (u+1)*N]
	tu := m.trv[u*N : (u+1)*N]
	readyU, dueU, svcU := m.ready[u], m.due[u], m.svc[u]
	away := m.awayOf(u, v)
	veh := m.veh[v]
	best, pos := int64(0), -1
	p, dep := 0, veh.Start
	for k := 0; k <= len(r); k++ {
		q, lt := 0, veh.End
		if k < len(r) {
			q, lt = r[k], late[k]
		}
		if k > 0 && early[k-1] > dueU {
			break
		}
		if lt >= readyU && !b.skip() {
			st := max(readyU, dep+tu[p])
			if st <= dueU && st+svcU+tu[q] <= lt {
				c := cu[p] + cu[q] - m.cost[p*N+q]
				if pos < 0 || c < best {
					best, pos = c, k
				}
			}
		}
		if k < len(r) {
			p, dep = q, early[k]+m.svc[q]
		}
	}
	return best + away, pos
}
