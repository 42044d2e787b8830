package route

// This file holds the capacitated vehicle routing problem with time windows
// (VRPTW): its API, the internal model the solver works on, and the route
// caches that make an insertion's feasibility an O(1) check.
//
// Time windows are checked with forward and backward slack: for each
// position k of a route, early[k] is the earliest time service can start
// there (arriving as soon as possible, waiting for Ready when early) and
// late[k] is the latest time service may start there without making any
// later stop or the return to the depot late. Inserting u between p and q
// is feasible exactly when u is reached by its Due from early[p] and q is
// then reached by late[q]. Everything is in int64: callers with real-valued
// distances scale them (the Solomon reader uses ×10⁴, travel times rounded
// up, so an integer-feasible schedule is feasible in real numbers too).

import (
	"context"
	"math"
	"slices"
	"time"
)

// VRP is a vehicle routing problem: jobs served from one depot by a fleet
// of vehicles, each with a capacity and a working window.
type VRP struct {
	// Cost is minimised (distance); node 0 is the depot and node i
	// (1..len(Jobs)) is Jobs[i-1].
	Cost Matrix
	// Travel is the travel time between nodes, in the units of windows and
	// service; nil means Cost. Like every Matrix it is symmetric.
	Travel   Matrix
	Jobs     []Job
	Vehicles []Vehicle
}

// Job is one stop to serve.
type Job struct {
	Demand  int64 // load units (letter equivalents ×100 in Dakiya)
	Service int64 // time spent at the job
	// Ready and Due bound the time service starts (arrival may be earlier,
	// then the vehicle waits). Due == 0 means only the vehicle's window
	// applies.
	Ready, Due int64
	Home       int // index in Vehicles of the preferred vehicle; -1 none
}

// Vehicle is one member of the fleet (a postman, in Dakiya).
type Vehicle struct {
	Capacity   int64
	Start, End int64 // leaves the depot at or after Start, back by End
}

// VRPOptions tune SolveVRP. The zero value is usable.
type VRPOptions struct {
	// Budget bounds the search time, measured with Now. Zero means
	// DefaultBudget unless MaxIterations > 0, in which case only the
	// iteration cap applies.
	Budget time.Duration
	// Seed seeds the search; the same seed and iteration cap (without a
	// budget) give the same result.
	Seed uint64
	// Now is the clock for the budget; nil means time.Now.
	Now func() time.Time
	// MaxIterations, when positive, caps the ruin-and-recreate iterations.
	MaxIterations int
	// AwayCost is added to the cost for each job served by a vehicle other
	// than its Home.
	AwayCost int64
	// FewerVehicles minimises the vehicles used first (the Solomon
	// convention), then the cost.
	FewerVehicles bool
}

// VRPResult is the best solution found.
type VRPResult struct {
	// Routes has one entry per vehicle, same index as Vehicles: job nodes
	// (1..n) in visit order; empty if the vehicle is unused.
	Routes [][]int
	// Unassigned lists the job nodes that no vehicle could take within
	// capacity and windows.
	Unassigned []int
	Distance   int64 // sum of Cost along the routes (depot to depot)
	Cost       int64 // Distance + AwayCost penalties
	Iterations int
}

// SolveVRP builds routes for p's jobs with a regret insertion, then
// improves them by ruin and recreate (with 2-opt and 2-opt* on promising
// trials) under the budget, on the calling goroutine. The budget bounds
// the search, not the construction before it (about 0.05 s for 300 jobs
// and 0.6 s for 1000 on ten vehicles, one core). Every returned route
// respects its vehicle's capacity and window and every job's window; a job
// that cannot be placed is reported in Unassigned, never forced in.
func SolveVRP(ctx context.Context, p VRP, opt VRPOptions) VRPResult {
	return solveVRP(ctx, p, opt, defaultTuning())
}

// solveVRP is SolveVRP with the search parameters given.
func solveVRP(ctx context.Context, p VRP, opt VRPOptions, tune tuning) VRPResult {
	m := newModel(p, opt)
	m.tune = tune
	res := VRPResult{Routes: make([][]int, len(p.Vehicles))}
	for i := range res.Routes {
		res.Routes[i] = []int{}
	}
	if m.n == 0 {
		return res
	}
	s := newSol(m)
	m.construct(s)
	best, iters := m.search(ctx, s, opt)
	res.Iterations = iters
	for v := range best.routes {
		res.Routes[v] = slices.Clone(best.routes[v])
		res.Distance += best.dist[v]
		res.Cost += best.dist[v] + best.away[v]
	}
	res.Unassigned = slices.Clone(best.absent)
	slices.Sort(res.Unassigned)
	return res
}

// noDue stands for "no deadline" in windows; far below overflow when sums
// of a few times are added to it.
const noDue = math.MaxInt64 / 4

// model is the problem in flat arrays, indexed by node.
type model struct {
	n         int       // jobs; nodes are 0..n
	cost, trv []int64   // (n+1)² row-major
	dem, svc  []int64   // per node; the depot's are zero
	ready     []int64   // per node
	due       []int64   // per node; noDue when unbounded
	home      []int     // per node; -1 none
	veh       []Vehicle // the fleet
	away      int64     // penalty for a job off its home vehicle
	fewer     bool      // vehicles first
	uniform   bool      // all vehicles alike and no away cost: empty ones are interchangeable
	vehCost   int64     // added per used vehicle when fewer
	absCost   int64     // added per absent job; dominates everything else
	neigh     [][]int32 // per node, the other job nodes nearest first
	tune      tuning    // search parameters
}

// newModel copies p into flat arrays and sets the penalty weights.
func newModel(p VRP, opt VRPOptions) *model {
	n := len(p.Jobs)
	N := n + 1
	m := &model{n: n, cost: make([]int64, N*N), trv: make([]int64, N*N),
		dem: make([]int64, N), svc: make([]int64, N), ready: make([]int64, N),
		due: make([]int64, N), home: make([]int, N), veh: p.Vehicles,
		away: opt.AwayCost, fewer: opt.FewerVehicles}
	travel := p.Travel
	if travel == nil {
		travel = p.Cost
	}
	var sumMax int64
	for i := range N {
		var rowMax int64
		for j := range N {
			c := p.Cost.Dist(i, j)
			m.cost[i*N+j] = c
			m.trv[i*N+j] = travel.Dist(i, j)
			rowMax = max(rowMax, c)
		}
		sumMax += rowMax
	}
	m.due[0] = noDue
	m.home[0] = -1
	for i, j := range p.Jobs {
		k := i + 1
		m.dem[k], m.svc[k], m.ready[k], m.home[k] = j.Demand, j.Service, j.Ready, j.Home
		m.due[k] = j.Due
		if j.Due == 0 {
			m.due[k] = noDue
		}
		if j.Home >= len(p.Vehicles) {
			m.home[k] = -1
		}
	}
	m.uniform = m.away == 0
	for _, v := range p.Vehicles {
		m.uniform = m.uniform && v == p.Vehicles[0]
	}
	// A vehicle costs more than any distance and away penalties together;
	// an absent job costs more than the whole fleet.
	m.vehCost = 2*sumMax + int64(n)*max(opt.AwayCost, 0) + 1
	m.absCost = m.vehCost * int64(len(p.Vehicles)+1)
	m.neigh = make([][]int32, N)
	for i := range N {
		nb := make([]int32, 0, n)
		for j := 1; j <= n; j++ {
			if j != i {
				nb = append(nb, int32(j))
			}
		}
		row := m.cost[i*N : (i+1)*N]
		slices.SortStableFunc(nb, func(a, b int32) int {
			return cmpInt64(row[a], row[b])
		})
		m.neigh[i] = nb
	}
	return m
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// c and t return the cost and travel time from i to j.
func (m *model) c(i, j int) int64 { return m.cost[i*(m.n+1)+j] }
func (m *model) t(i, j int) int64 { return m.trv[i*(m.n+1)+j] }

// awayOf is the penalty for serving node u with vehicle v.
func (m *model) awayOf(u, v int) int64 {
	if m.home[u] >= 0 && m.home[u] != v {
		return m.away
	}
	return 0
}

// sol is a solution with per-route caches.
type sol struct {
	m      *model
	routes [][]int   // per vehicle, job nodes in order
	load   []int64   // per vehicle
	dist   []int64   // per vehicle, depot to depot
	away   []int64   // per vehicle, away penalties
	early  [][]int64 // per vehicle and position: earliest service start
	late   [][]int64 // per vehicle and position: latest service start
	absent []int     // job nodes not on any route
	where  []int     // per node, its vehicle or -1
	pos    []int     // per node on a route, its position there
	dirty  []bool    // per vehicle: route changed since the flags were cleared

	loadBuf [2][][1]int64 // scratch for the local search
	awayBuf [2][][2]int64
}

// newSol returns a solution with every job absent.
func newSol(m *model) *sol {
	V := len(m.veh)
	s := &sol{m: m, routes: make([][]int, V), load: make([]int64, V),
		dist: make([]int64, V), away: make([]int64, V), early: make([][]int64, V),
		late: make([][]int64, V), where: make([]int, m.n+1), pos: make([]int, m.n+1), dirty: make([]bool, V)}
	for i := 1; i <= m.n; i++ {
		s.absent = append(s.absent, i)
		s.where[i] = -1
	}
	s.where[0] = -1
	return s
}

// copyFrom makes s equal to o, reusing s's slices.
func (s *sol) copyFrom(o *sol) {
	for v := range o.routes {
		s.routes[v] = append(s.routes[v][:0], o.routes[v]...)
		s.early[v] = append(s.early[v][:0], o.early[v]...)
		s.late[v] = append(s.late[v][:0], o.late[v]...)
	}
	copy(s.load, o.load)
	copy(s.dist, o.dist)
	copy(s.away, o.away)
	copy(s.where, o.where)
	copy(s.pos, o.pos)
	s.absent = append(s.absent[:0], o.absent...)
}

// clone returns a copy of s.
func (s *sol) clone() *sol {
	c := newSol(s.m)
	c.copyFrom(s)
	return c
}

// used is the number of non-empty routes.
func (s *sol) used() int {
	k := 0
	for _, r := range s.routes {
		if len(r) > 0 {
			k++
		}
	}
	return k
}

// objective is what the search minimises: absent jobs first, then vehicles
// (when fewer), then distance and away penalties.
func (s *sol) objective() int64 {
	o := int64(len(s.absent)) * s.m.absCost
	for v := range s.routes {
		o += s.dist[v] + s.away[v]
	}
	if s.m.fewer {
		o += int64(s.used()) * s.m.vehCost
	}
	return o
}

// update recomputes vehicle v's caches after its route changed.
func (s *sol) update(v int) {
	m, r, veh := s.m, s.routes[v], s.m.veh[v]
	n := len(r)
	s.early[v] = slices.Grow(s.early[v][:0], n)[:n]
	s.late[v] = slices.Grow(s.late[v][:0], n)[:n]
	early, late := s.early[v], s.late[v]
	var load, dist, away int64
	prev, t := 0, veh.Start
	for k, u := range r {
		t = max(m.ready[u], t+m.svc[prev]+m.t(prev, u))
		early[k] = t
		load += m.dem[u]
		dist += m.c(prev, u)
		away += m.awayOf(u, v)
		s.where[u] = v
		s.pos[u] = k
		prev = u
	}
	if n > 0 {
		dist += m.c(prev, 0)
	}
	next, lt := 0, veh.End
	for k := n - 1; k >= 0; k-- {
		u := r[k]
		lt = min(m.due[u], lt-m.svc[u]-m.t(u, next))
		late[k] = lt
		next = u
	}
	s.load[v], s.dist[v], s.away[v] = load, dist, away
	s.dirty[v] = true
}

// depart returns the node at position k-1 of v's route (the depot for k ==
// 0) and the earliest time the vehicle can leave it.
func (s *sol) depart(v, k int) (int, int64) {
	if k == 0 {
		return 0, s.m.veh[v].Start
	}
	u := s.routes[v][k-1]
	return u, s.early[v][k-1] + s.m.svc[u]
}

// arrive returns the node at position k of v's route (the depot for k ==
// len) and the latest time service may start there.
func (s *sol) arrive(v, k int) (int, int64) {
	r := s.routes[v]
	if k == len(r) {
		return 0, s.m.veh[v].End
	}
	return r[k], s.late[v][k]
}

// insertCost returns the added objective (without vehicle or absence
// terms) of inserting u at position k of v's route, and whether that is
// feasible. O(1).
func (s *sol) insertCost(u, v, k int) (int64, bool) {
	m := s.m
	if s.load[v]+m.dem[u] > m.veh[v].Capacity {
		return 0, false
	}
	p, dep := s.depart(v, k)
	q, lt := s.arrive(v, k)
	st := max(m.ready[u], dep+m.t(p, u))
	if st > m.due[u] || st+m.svc[u]+m.t(u, q) > lt {
		return 0, false
	}
	return m.c(p, u) + m.c(u, q) - m.c(p, q) + m.awayOf(u, v), true
}

// insert puts u at position k of v's route and refreshes the caches.
func (s *sol) insert(u, v, k int) {
	s.routes[v] = slices.Insert(s.routes[v], k, u)
	s.where[u] = v
	s.update(v)
}
