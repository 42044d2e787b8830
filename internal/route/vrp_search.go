package route

// This file holds the VRP search: slack-induced string removals (SISR,
// Christiaens & Vanden Berghe 2020) ruin a few strings of neighbouring
// jobs, a greedy insertion with blinks recreates the solution, and
// simulated annealing decides what to keep; trials close to the best are
// polished by the local search of vrp_ls.go. With FewerVehicles (where a
// used vehicle costs more than any distance) the budget is split: anneal
// for 45 %, then a fleet phase until 75 % that empties whole routes and
// ruins and recreates until their jobs fit elsewhere, then anneal again
// from the solution with the fewest vehicles.

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// tuning holds the search's parameters.
type tuning struct {
	avgRemoved float64 // jobs removed per ruin, on average (SISR's c̄)
	maxString  float64 // longest string removed (SISR's Lmax)
	blink      float64 // chance to skip an insertion position
	fleetFrom  float64 // share of the budget when the fleet phase starts
	fleetTo    float64 // share of the budget when it ends
	t0, tf     float64 // annealing temperatures, in mean edge costs
	local      bool    // run the local search after each recreate
}

// defaultTuning returns what SolveVRP uses.
func defaultTuning() tuning {
	return tuning{avgRemoved: 10, maxString: 10, blink: 0.01, fleetFrom: 0.45, fleetTo: 0.75, t0: 2, tf: 0.02, local: true}
}

// control tracks the budget: time, iterations and cancellation.
type control struct {
	ctx    context.Context
	now    func() time.Time
	start  time.Time
	budget time.Duration // 0: no time limit
	maxIt  int           // 0: no iteration cap
	iters  int
	stop   bool
}

func newControl(ctx context.Context, opt VRPOptions) *control {
	c := &control{ctx: ctx, now: opt.Now, budget: opt.Budget, maxIt: max(opt.MaxIterations, 0)}
	if c.now == nil {
		c.now = time.Now
	}
	if c.budget <= 0 && c.maxIt == 0 {
		c.budget = DefaultBudget
	}
	c.start = c.now()
	return c
}

// progress is the used share of the budget, 0..1, and false once spent.
func (c *control) progress() (float64, bool) {
	if c.stop {
		return 1, false
	}
	f := 0.0
	if c.maxIt > 0 {
		f = float64(c.iters) / float64(c.maxIt)
	}
	if c.budget > 0 {
		f = max(f, float64(c.now().Sub(c.start))/float64(c.budget))
	}
	if c.iters&63 == 0 && c.ctx.Err() != nil {
		c.stop = true
	}
	if f >= 1 || c.stop {
		c.stop = true
		return 1, false
	}
	return f, true
}

// search improves s and returns the best solution and the iterations run.
func (m *model) search(ctx context.Context, s *sol, opt VRPOptions) (*sol, int) {
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed0f5157))
	c := newControl(ctx, opt)
	w := newWork(m)
	best := s.clone()
	if !m.fewer {
		m.anneal(best, c, rng, w, 0, 1)
		return best, c.iters
	}
	// Vehicles first: anneal (whose vehicle penalty already empties
	// routes), then try to remove whole routes, then anneal the result.
	m.anneal(best, c, rng, w, 0, m.tune.fleetFrom)
	if _, ok := c.progress(); ok {
		reduced := m.fleet(best.clone(), c, rng, w, m.tune.fleetTo)
		if reduced.objective() < best.objective() {
			best = reduced
		}
	}
	if f, ok := c.progress(); ok {
		m.anneal(best, c, rng, w, f, 1)
	}
	return best, c.iters
}

// work holds scratch space reused across iterations.
type work struct {
	ruined []bool
	allow  []bool
	keys   []int64
	parked []int // absent jobs left out of this iteration's recreate
}

// park keeps at most k of the jobs already absent (chosen at random) for
// this iteration's recreate and moves the rest to w.parked, so that an
// overloaded fleet with many jobs left over does not make every
// iteration try them all.
func (s *sol) park(rng *rand.Rand, w *work, k int) {
	w.parked = w.parked[:0]
	if len(s.absent) <= k {
		return
	}
	a := s.absent
	rng.Shuffle(len(a), func(i, j int) { a[i], a[j] = a[j], a[i] })
	w.parked = append(w.parked, a[k:]...)
	s.absent = a[:k]
}

func newWork(m *model) *work {
	return &work{ruined: make([]bool, len(m.veh)), allow: make([]bool, len(m.veh)),
		keys: make([]int64, m.n+1)}
}

// anneal runs ruin and recreate from best under simulated annealing until
// the budget's share until is spent (cooling from share from), keeping the
// best solution in best.
func (m *model) anneal(best *sol, c *control, rng *rand.Rand, w *work, from, until float64) {
	cur, trial := best.clone(), best.clone()
	curObj, bestObj := cur.objective(), best.objective()
	t0, tf := m.temperatures(best)
	margin := int64(t0) // trials this close to the best get the local search
	for {
		f, ok := c.progress()
		if !ok || f >= until {
			return
		}
		c.iters++
		trial.copyFrom(cur)
		clear(trial.dirty)
		trial.park(rng, w, 2*int(m.tune.avgRemoved))
		trial.ruin(rng, w)
		trial.order(rng, w)
		trial.recreate(rng, m.tune.blink, nil)
		trial.absent = append(trial.absent, w.parked...)
		obj := trial.objective()
		if m.tune.local && obj < bestObj+margin {
			// polish only the promising trials: the local search costs
			// several recreates
			trial.improve(trial.dirty)
			obj = trial.objective()
		}
		temp := t0 * math.Pow(tf/t0, (f-from)/(until-from))
		if float64(obj) < float64(curObj)-temp*math.Log(rng.Float64()) {
			cur, trial = trial, cur
			curObj = obj
			if obj < bestObj {
				best.copyFrom(cur)
				bestObj = obj
			}
		}
	}
}

// temperatures returns the annealing's start and end temperatures, scaled
// to the mean edge cost of s so they do not depend on the units.
func (m *model) temperatures(s *sol) (float64, float64) {
	var d int64
	edges := 0
	for v, r := range s.routes {
		if len(r) > 0 {
			d += s.dist[v]
			edges += len(r) + 1
		}
	}
	mean := 1.0
	if edges > 0 && d > 0 {
		mean = float64(d) / float64(edges)
	}
	return m.tune.t0 * mean, m.tune.tf * mean
}

// fleet tries to serve every job with fewer vehicles: it empties the
// route with the fewest jobs and ruins and recreates within the remaining
// routes, accepting a solution with fewer absent jobs or whose absent
// jobs were absent less often, until none are absent; then it repeats
// with one route less. It returns the solution with the fewest vehicles.
func (m *model) fleet(best *sol, c *control, rng *rand.Rand, w *work, until float64) *sol {
	var demand, capMax int64
	for u := 1; u <= m.n; u++ {
		demand += m.dem[u]
	}
	for _, v := range m.veh {
		capMax = max(capMax, v.Capacity)
	}
	lower := 1
	if capMax > 0 {
		lower = max(1, int((demand+capMax-1)/capMax))
	}
	absCount := make([]int64, m.n+1)
	sumAbs := func(s *sol) int64 {
		var t int64
		for _, u := range s.absent {
			t += absCount[u]
		}
		return t
	}
	cur, trial := best.clone(), best.clone()
	target := len(best.absent) // jobs no vehicle could take stay out
	for {
		f, ok := c.progress()
		if !ok || f >= until {
			return best
		}
		if len(cur.absent) <= target {
			if cur.used() < best.used() || (cur.used() == best.used() && cur.objective() < best.objective()) {
				best.copyFrom(cur)
			}
			if cur.used() <= lower {
				return best
			}
			cur.dropRoute(rng)
			for v := range w.allow {
				w.allow[v] = len(cur.routes[v]) > 0
			}
		}
		c.iters++
		trial.copyFrom(cur)
		trial.ruin(rng, w)
		trial.order(rng, w)
		trial.recreate(rng, m.tune.blink, w.allow)
		for _, u := range trial.absent {
			absCount[u]++
		}
		if len(trial.absent) < len(cur.absent) || sumAbs(trial) < sumAbs(cur) {
			cur, trial = trial, cur
		}
	}
}

// dropRoute empties the non-empty route with the fewest jobs (ties at
// random), making its jobs absent.
func (s *sol) dropRoute(rng *rand.Rand) {
	bv, seen := -1, 0
	for v, r := range s.routes {
		if len(r) == 0 {
			continue
		}
		switch {
		case bv < 0 || len(r) < len(s.routes[bv]):
			bv, seen = v, 1
		case len(r) == len(s.routes[bv]):
			seen++
			if rng.IntN(seen) == 0 {
				bv = v
			}
		}
	}
	if bv < 0 {
		return
	}
	for _, u := range s.routes[bv] {
		s.absent = append(s.absent, u)
		s.where[u] = -1
	}
	s.routes[bv] = s.routes[bv][:0]
	s.update(bv)
}

// ruin removes strings of jobs near a random seed job from a few routes
// (SISR): each string is cut from a different route, and half of the time
// a block inside the string is kept (a split string).
func (s *sol) ruin(rng *rand.Rand, w *work) {
	m := s.m
	assigned, used := 0, 0
	for v, r := range s.routes {
		w.ruined[v] = false
		if len(r) > 0 {
			assigned += len(r)
			used++
		}
	}
	if assigned == 0 {
		return
	}
	ls := min(m.tune.maxString, float64(assigned)/float64(used))
	ksMax := 4*m.tune.avgRemoved/(1+ls) - 1
	ks := int(rng.Float64()*ksMax) + 1
	seed := 1 + rng.IntN(m.n)
	for s.where[seed] < 0 {
		seed = 1 + rng.IntN(m.n)
	}
	done := 0
	visit := func(c int) {
		v := s.where[c]
		if v < 0 || w.ruined[v] {
			return
		}
		w.ruined[v] = true
		done++
		r := s.routes[v]
		lmax := min(len(r), int(ls))
		l := 1 + rng.IntN(max(lmax, 1))
		s.cut(rng, v, slices.Index(r, c), l)
	}
	visit(seed)
	for _, c := range m.neigh[seed] {
		if done >= ks {
			break
		}
		visit(int(c))
	}
}

// cut removes a string of l jobs containing position pos from v's route;
// with probability one half it is a split string that keeps a block of
// the route between the removed jobs.
func (s *sol) cut(rng *rand.Rand, v, pos, l int) {
	r := s.routes[v]
	keep := 0
	if rng.IntN(2) == 0 && l < len(r) {
		keep = 1
		for keep < len(r)-l && rng.Float64() < 0.5 {
			keep++
		}
	}
	span := l + keep
	lo := max(0, pos-span+1)
	hi := min(pos, len(r)-span)
	start := lo + rng.IntN(hi-lo+1)
	keepAt := -1
	if keep > 0 {
		keepAt = start + rng.IntN(l+1)
	}
	out := r[:start]
	var removed []int
	for k := start; k < start+span; k++ {
		if keepAt >= 0 && k >= keepAt && k < keepAt+keep {
			out = append(out, r[k])
			continue
		}
		removed = append(removed, r[k])
	}
	out = append(out, r[start+span:]...)
	for _, u := range removed {
		s.absent = append(s.absent, u)
		s.where[u] = -1
	}
	s.routes[v] = out
	s.update(v)
}

// order sorts the absent jobs for recreation: at random, by demand, by
// distance from the depot (far first or near first) or by ready time.
func (s *sol) order(rng *rand.Rand, w *work) {
	m, a := s.m, s.absent
	rng.Shuffle(len(a), func(i, j int) { a[i], a[j] = a[j], a[i] })
	var key func(u int) int64
	switch x := rng.IntN(12); {
	case x < 4:
		return
	case x < 8:
		key = func(u int) int64 { return -m.dem[u] }
	case x < 10:
		key = func(u int) int64 { return -m.c(0, u) }
	case x < 11:
		key = func(u int) int64 { return m.c(0, u) }
	default:
		key = func(u int) int64 { return m.ready[u] }
	}
	for _, u := range a {
		w.keys[u] = key(u)
	}
	slices.SortStableFunc(a, func(x, y int) int { return cmpInt64(w.keys[x], w.keys[y]) })
}
