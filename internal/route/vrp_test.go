package route

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// planar builds a VRP from points (the depot first) with rounded Euclidean
// costs, used as travel times too.
func planar(pts [][2]float64, jobs []Job, vehicles []Vehicle) VRP {
	d := NewDense(len(pts))
	for i := range pts {
		for j := i + 1; j < len(pts); j++ {
			d.Set(i, j, int64(math.Round(math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1]))))
		}
	}
	return VRP{Cost: d, Jobs: jobs, Vehicles: vehicles}
}

// checkVRP checks a result against p with its own simulation: each job
// once (on a route or unassigned), capacity, windows, vehicle windows, and
// the reported distance and cost.
func checkVRP(t *testing.T, p VRP, opt VRPOptions, res VRPResult) {
	t.Helper()
	travel := p.Travel
	if travel == nil {
		travel = p.Cost
	}
	if len(res.Routes) != len(p.Vehicles) {
		t.Fatalf("%d routes for %d vehicles", len(res.Routes), len(p.Vehicles))
	}
	seen := map[int]bool{}
	var dist, cost int64
	for v, r := range res.Routes {
		veh := p.Vehicles[v]
		var load int64
		at, clock := 0, veh.Start
		for _, u := range r {
			if u < 1 || u > len(p.Jobs) || seen[u] {
				t.Fatalf("vehicle %d: job node %d unknown or repeated", v, u)
			}
			seen[u] = true
			j := p.Jobs[u-1]
			clock = max(clock+travel.Dist(at, u), j.Ready)
			if j.Due != 0 && clock > j.Due {
				t.Fatalf("vehicle %d: job %d served at %d after due %d", v, u, clock, j.Due)
			}
			clock += j.Service
			load += j.Demand
			dist += p.Cost.Dist(at, u)
			cost += p.Cost.Dist(at, u)
			if j.Home >= 0 && j.Home != v {
				cost += opt.AwayCost
			}
			at = u
		}
		if len(r) > 0 {
			clock += travel.Dist(at, 0)
			dist += p.Cost.Dist(at, 0)
			cost += p.Cost.Dist(at, 0)
			if clock > veh.End {
				t.Fatalf("vehicle %d: back at %d after its end %d", v, clock, veh.End)
			}
		}
		if load > veh.Capacity {
			t.Fatalf("vehicle %d: load %d over capacity %d", v, load, veh.Capacity)
		}
	}
	for _, u := range res.Unassigned {
		if seen[u] {
			t.Fatalf("job %d both routed and unassigned", u)
		}
		seen[u] = true
	}
	if len(seen) != len(p.Jobs) {
		t.Fatalf("%d of %d jobs accounted for", len(seen), len(p.Jobs))
	}
	if dist != res.Distance || cost != res.Cost {
		t.Fatalf("distance %d cost %d reported, recomputed %d and %d", res.Distance, res.Cost, dist, cost)
	}
}

func fleet(k int, capacity, end int64) []Vehicle {
	v := make([]Vehicle, k)
	for i := range v {
		v[i] = Vehicle{Capacity: capacity, End: end}
	}
	return v
}

func TestSolveVRPTwoClusters(t *testing.T) {
	// Two tight clusters east and west of the depot; each vehicle can take
	// one cluster's load. The optimum serves each cluster on one route.
	pts := [][2]float64{{0, 0}, {100, 0}, {101, 0}, {100, 1}, {-100, 0}, {-101, 0}, {-100, 1}}
	jobs := make([]Job, 6)
	for i := range jobs {
		jobs[i] = Job{Demand: 1, Home: -1}
	}
	p := planar(pts, jobs, fleet(2, 3, 10000))
	opt := VRPOptions{MaxIterations: 200, Seed: 1}
	res := SolveVRP(context.Background(), p, opt)
	checkVRP(t, p, opt, res)
	// depot→100→101→100,1→depot: 100 + 1 + 1 + 100 = 202 per side
	if res.Distance != 404 || len(res.Unassigned) != 0 {
		t.Fatalf("distance %d unassigned %v, want 404 and none: %v", res.Distance, res.Unassigned, res.Routes)
	}
}

func TestSolveVRPWindowsForceOrder(t *testing.T) {
	// Three jobs on a line whose windows force far-near-far order on one
	// vehicle: the shortest tour would visit them 1,2,3 but job 3 must be
	// served first.
	pts := [][2]float64{{0, 0}, {10, 0}, {20, 0}, {30, 0}}
	jobs := []Job{
		{Demand: 1, Ready: 50, Due: 60, Home: -1},
		{Demand: 1, Ready: 60, Due: 75, Home: -1},
		{Demand: 1, Ready: 0, Due: 30, Home: -1},
	}
	p := planar(pts, jobs, fleet(1, 10, 200))
	opt := VRPOptions{MaxIterations: 100, Seed: 3}
	res := SolveVRP(context.Background(), p, opt)
	checkVRP(t, p, opt, res)
	if !slices.Equal(res.Routes[0], []int{3, 1, 2}) || res.Distance != 80 {
		t.Fatalf("routes %v distance %d, want [3 1 2] and 80", res.Routes, res.Distance)
	}
}

func TestSolveVRPUnassigned(t *testing.T) {
	pts := [][2]float64{{0, 0}, {10, 0}, {0, 10}, {500, 0}, {5, 5}}
	jobs := []Job{
		{Demand: 5, Home: -1},
		{Demand: 50, Home: -1},           // heavier than any vehicle
		{Demand: 1, Home: -1},            // too far to get back by End
		{Demand: 1, Due: 3, Home: -1},    // its window closes before anyone arrives
		{Demand: 1, Ready: 10, Home: -1}, // fine
	}
	pts = append(pts, [2]float64{3, 3})
	p := planar(pts, jobs, fleet(2, 10, 100))
	opt := VRPOptions{MaxIterations: 50}
	res := SolveVRP(context.Background(), p, opt)
	checkVRP(t, p, opt, res)
	if !slices.Equal(res.Unassigned, []int{2, 3, 4}) {
		t.Fatalf("unassigned %v, want [2 3 4]", res.Unassigned)
	}
}

func TestSolveVRPCapacityNeedsVehicles(t *testing.T) {
	// Six jobs of demand 4 with capacity 10: at least three routes, and
	// with only two vehicles two jobs stay out.
	pts := [][2]float64{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {-1, 1}, {-2, 2}, {-3, 3}}
	jobs := make([]Job, 6)
	for i := range jobs {
		jobs[i] = Job{Demand: 4, Home: -1}
	}
	p := planar(pts, jobs, fleet(2, 10, 1000))
	opt := VRPOptions{MaxIterations: 100}
	res := SolveVRP(context.Background(), p, opt)
	checkVRP(t, p, opt, res)
	if len(res.Unassigned) != 2 {
		t.Fatalf("unassigned %v, want two jobs", res.Unassigned)
	}
	p.Vehicles = fleet(4, 10, 1000)
	res = SolveVRP(context.Background(), p, opt)
	checkVRP(t, p, opt, res)
	if len(res.Unassigned) != 0 {
		t.Fatalf("unassigned %v with four vehicles", res.Unassigned)
	}
}

func TestSolveVRPEmpty(t *testing.T) {
	p := VRP{Cost: NewDense(1), Vehicles: fleet(2, 1, 1)}
	res := SolveVRP(context.Background(), p, VRPOptions{MaxIterations: 5})
	if len(res.Routes) != 2 || len(res.Routes[0]) != 0 || res.Distance != 0 || len(res.Unassigned) != 0 {
		t.Fatalf("%+v", res)
	}
	p = VRP{Cost: NewDense(3), Jobs: []Job{{Home: -1}, {Home: -1}}}
	res = SolveVRP(context.Background(), p, VRPOptions{MaxIterations: 5})
	if len(res.Routes) != 0 || !slices.Equal(res.Unassigned, []int{1, 2}) {
		t.Fatalf("no vehicles: %+v", res)
	}
}

// randomVRP is a random instance with windows wide enough to be mostly
// feasible.
func randomVRP(seed uint64, n, k int) VRP {
	rng := rand.New(rand.NewPCG(seed, 2))
	pts := [][2]float64{{50, 50}}
	jobs := make([]Job, n)
	for i := range jobs {
		pts = append(pts, [2]float64{rng.Float64() * 100, rng.Float64() * 100})
		ready := rng.Int64N(300)
		jobs[i] = Job{Demand: 1 + rng.Int64N(9), Service: 5, Ready: ready, Due: ready + 60 + rng.Int64N(200), Home: rng.IntN(k+1) - 1}
	}
	return planar(pts, jobs, fleet(k, 40, 600))
}

// bruteForceVRP returns the least distance serving all jobs of a tiny
// instance with identical vehicles, by trying every order and every way to
// cut it into at most len(Vehicles) routes.
func bruteForceVRP(p VRP) int64 {
	n := len(p.Jobs)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i + 1
	}
	best := int64(math.MaxInt64)
	veh := p.Vehicles[0]
	routeCost := func(r []int) (int64, bool) {
		var load, d int64
		at, clock := 0, veh.Start
		for _, u := range r {
			j := p.Jobs[u-1]
			clock = max(clock+p.Cost.Dist(at, u), j.Ready)
			if j.Due != 0 && clock > j.Due {
				return 0, false
			}
			clock += j.Service
			load += j.Demand
			d += p.Cost.Dist(at, u)
			at = u
		}
		d += p.Cost.Dist(at, 0)
		return d, load <= veh.Capacity && clock+p.Cost.Dist(at, 0) <= veh.End
	}
	var permute func(k int)
	permute = func(k int) {
		if k == n {
			for cuts := 0; cuts < 1<<(n-1); cuts++ {
				var total int64
				routes, start, ok := 1, 0, true
				for i := 1; i <= n && ok; i++ {
					if i == n || cuts&(1<<(i-1)) != 0 {
						c, feasible := routeCost(perm[start:i])
						total, ok, start = total+c, feasible, i
						if i < n {
							routes++
						}
					}
				}
				if ok && routes <= len(p.Vehicles) && total < best {
					best = total
				}
			}
			return
		}
		for i := k; i < n; i++ {
			perm[k], perm[i] = perm[i], perm[k]
			permute(k + 1)
			perm[k], perm[i] = perm[i], perm[k]
		}
	}
	permute(0)
	return best
}

func TestSolveVRPMatchesBruteForce(t *testing.T) {
	compared := 0
	for seed := uint64(1); seed <= 6; seed++ {
		p := randomVRP(seed, 6, 3)
		for i := range p.Jobs {
			p.Jobs[i].Home = -1
			p.Jobs[i].Demand *= 2
		}
		want := bruteForceVRP(p)
		opt := VRPOptions{MaxIterations: 300, Seed: seed}
		res := SolveVRP(context.Background(), p, opt)
		checkVRP(t, p, opt, res)
		if want == math.MaxInt64 {
			if len(res.Unassigned) == 0 {
				t.Fatalf("seed %d: served everyone where brute force found no way", seed)
			}
			continue
		}
		compared++
		if len(res.Unassigned) != 0 || res.Distance != want {
			t.Errorf("seed %d: distance %d unassigned %v, optimum %d", seed, res.Distance, res.Unassigned, want)
		}
	}
	if compared < 4 {
		t.Fatalf("only %d of 6 random instances were feasible", compared)
	}
}

func TestSolveVRPDeterministic(t *testing.T) {
	p := randomVRP(11, 60, 6)
	for _, fewer := range []bool{false, true} {
		opt := VRPOptions{MaxIterations: 400, Seed: 5, AwayCost: 30, FewerVehicles: fewer}
		a := SolveVRP(context.Background(), p, opt)
		b := SolveVRP(context.Background(), p, opt)
		checkVRP(t, p, opt, a)
		if fmt.Sprint(a) != fmt.Sprint(b) || a.Iterations != 400 {
			t.Fatalf("fewer=%v: two runs differ or wrong iterations:\n%+v\n%+v", fewer, a, b)
		}
	}
}

func TestSolveVRPAwayCost(t *testing.T) {
	// Jobs 1-2 live west, 3-4 east; vehicle 0 is home to the east jobs and
	// vehicle 1 to the west ones. Without an away cost the routes do not
	// care whose job they take; with a large one each vehicle keeps its own
	// jobs, at no extra distance here.
	pts := [][2]float64{{0, 0}, {-10, 0}, {-11, 1}, {10, 0}, {11, 1}}
	jobs := []Job{{Demand: 1, Home: 1}, {Demand: 1, Home: 1}, {Demand: 1, Home: 0}, {Demand: 1, Home: 0}}
	p := planar(pts, jobs, fleet(2, 10, 1000))
	opt := VRPOptions{MaxIterations: 100, AwayCost: 1000}
	res := SolveVRP(context.Background(), p, opt)
	checkVRP(t, p, opt, res)
	if res.Cost != res.Distance {
		t.Fatalf("cost %d distance %d: a job left home: %v", res.Cost, res.Distance, res.Routes)
	}
	// Home costs distance now: one vehicle is home to all, but capacity 2
	// forces two jobs onto the other vehicle, which pays twice the away cost.
	for i := range p.Jobs {
		p.Jobs[i].Home = 0
	}
	p.Vehicles = fleet(2, 2, 1000)
	res = SolveVRP(context.Background(), p, opt)
	checkVRP(t, p, opt, res)
	if res.Cost != res.Distance+2000 {
		t.Fatalf("cost %d distance %d, want two jobs away: %v", res.Cost, res.Distance, res.Routes)
	}
	// A small away cost does not outweigh distance: with vehicle 1 home to
	// everything but a cheap penalty, the best plan is still two routes.
	p.Vehicles = fleet(2, 10, 1000)
	opt.AwayCost = 1
	res = SolveVRP(context.Background(), p, opt)
	checkVRP(t, p, opt, res)
	if res.Distance > 50 {
		t.Fatalf("distance %d with a small away cost: %v", res.Distance, res.Routes)
	}
}

func TestSolveVRPFewerVehicles(t *testing.T) {
	p := randomVRP(21, 40, 10)
	for i := range p.Jobs {
		p.Jobs[i].Home = -1
	}
	opt := VRPOptions{MaxIterations: 600, Seed: 2}
	plain := SolveVRP(context.Background(), p, opt)
	checkVRP(t, p, opt, plain)
	opt.FewerVehicles = true
	fewer := SolveVRP(context.Background(), p, opt)
	checkVRP(t, p, opt, fewer)
	used := func(r VRPResult) int {
		k := 0
		for _, x := range r.Routes {
			if len(x) > 0 {
				k++
			}
		}
		return k
	}
	if len(fewer.Unassigned) != 0 || used(fewer) > used(plain) {
		t.Fatalf("fewer vehicles used %d (unassigned %v), plain %d", used(fewer), fewer.Unassigned, used(plain))
	}
}

func TestSolveVRPFeasibleRandom(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		p := randomVRP(seed, 50, 5)
		p.Vehicles[1].Capacity = 15
		p.Vehicles[2].Start, p.Vehicles[2].End = 200, 500
		opt := VRPOptions{MaxIterations: 200, Seed: seed, AwayCost: 20}
		res := SolveVRP(context.Background(), p, opt)
		checkVRP(t, p, opt, res)
	}
}

func TestSolveVRPBudgetAndCancel(t *testing.T) {
	p := randomVRP(3, 30, 4)
	clock := &fakeClock{t: time.Unix(0, 0), step: time.Millisecond}
	res := SolveVRP(context.Background(), p, VRPOptions{Budget: 100 * time.Millisecond, Now: clock.now})
	checkVRP(t, p, VRPOptions{}, res)
	if res.Iterations == 0 || res.Iterations > 100 {
		t.Fatalf("%d iterations under a fake clock advancing 1ms a read", res.Iterations)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res = SolveVRP(ctx, p, VRPOptions{MaxIterations: 1 << 30})
	checkVRP(t, p, VRPOptions{}, res)
	if res.Iterations > 64 {
		t.Fatalf("%d iterations after cancel", res.Iterations)
	}
}

// solWith builds a solution of p with the given routes.
func solWith(p VRP, opt VRPOptions, routes ...[]int) *sol {
	m := newModel(p, opt)
	m.tune = defaultTuning()
	s := newSol(m)
	s.absent = s.absent[:0]
	for v, r := range routes {
		s.routes[v] = append([]int(nil), r...)
		s.update(v)
	}
	return s
}

func TestVRPLocalSearchMoves(t *testing.T) {
	// A square walked corner to corner crosses itself; 2-opt uncrosses it.
	pts := [][2]float64{{0, 0}, {0, 10}, {10, 10}, {10, 0}}
	jobs := []Job{{Demand: 1, Home: -1}, {Demand: 1, Home: -1}, {Demand: 1, Home: -1}}
	p := planar(pts, jobs, fleet(2, 10, 1000))
	s := solWith(p, VRPOptions{}, []int{2, 1, 3})
	if !s.twoOpt(0) || !slices.Equal(s.routes[0], []int{1, 2, 3}) && !slices.Equal(s.routes[0], []int{3, 2, 1}) || s.dist[0] != 40 {
		t.Fatalf("2-opt: %v, distance %d", s.routes[0], s.dist[0])
	}
	// The same crossing, but job 2 must be served first: no reversal is
	// feasible, so the route stays.
	p.Jobs[1].Due = 15
	s = solWith(p, VRPOptions{}, []int{2, 1, 3})
	if s.twoOpt(0) || !slices.Equal(s.routes[0], []int{2, 1, 3}) {
		t.Fatalf("2-opt broke a window: %v", s.routes[0])
	}
	// Two routes that each go out to one side and cross back to the
	// other: exchanging tails gives two clean out-and-back routes.
	pts = [][2]float64{{0, 0}, {-10, 0}, {-10, 1}, {10, 0}, {10, 1}}
	jobs = []Job{{Demand: 1, Home: -1}, {Demand: 1, Home: -1}, {Demand: 1, Home: -1}, {Demand: 1, Home: -1}}
	p = planar(pts, jobs, fleet(2, 10, 1000))
	s = solWith(p, VRPOptions{}, []int{1, 3}, []int{4, 2})
	before := s.dist[0] + s.dist[1]
	if !s.twoOptStar(0, 1) || s.dist[0]+s.dist[1] >= before || s.where[1] != s.where[2] || s.where[3] != s.where[4] {
		t.Fatalf("2-opt*: %v %v, distance %d from %d", s.routes[0], s.routes[1], s.dist[0]+s.dist[1], before)
	}
	// With room for two jobs per vehicle, no exchange may put three on one
	// route.
	p.Vehicles = fleet(2, 2, 1000)
	s = solWith(p, VRPOptions{}, []int{1, 3}, []int{4, 2})
	s.twoOptStar(0, 1)
	if s.load[0] > 2 || s.load[1] > 2 {
		t.Fatalf("2-opt* overloaded a vehicle: %v %v", s.routes[0], s.routes[1])
	}
	// Different return times: tails are not exchanged.
	p.Vehicles[1].End = 900
	s = solWith(p, VRPOptions{}, []int{1, 3}, []int{4, 2})
	if s.twoOptStar(0, 1) {
		t.Fatalf("2-opt* between vehicles with different ends: %v %v", s.routes[0], s.routes[1])
	}
	// With vehicles first, merging two routes into one is taken.
	p.Vehicles = fleet(2, 10, 1000)
	s = solWith(p, VRPOptions{FewerVehicles: true}, []int{1, 2}, []int{3, 4})
	s.improve([]bool{true, true})
	if s.used() != 1 {
		t.Fatalf("vehicles first: %v %v", s.routes[0], s.routes[1])
	}
}

func TestVRPScanMatchesInsertCost(t *testing.T) {
	// scan is insertCost unrolled with early exits; on every route and for
	// every job of another route they must find the same cheapest place.
	p := randomVRP(8, 80, 6)
	for i := range p.Vehicles {
		p.Vehicles[i].Capacity = 200 // room left on most routes: windows bind
	}
	for i := range p.Jobs {
		p.Jobs[i].Due += 150
	}
	p.Vehicles[2].Start, p.Vehicles[2].End = 100, 450
	m := newModel(p, VRPOptions{AwayCost: 7})
	m.tune = defaultTuning()
	s := newSol(m)
	m.construct(s)
	checked := 0
	for v := range s.routes {
		for u := 1; u <= m.n; u++ {
			if s.where[u] == v {
				continue
			}
			want, wantPos := noPlace, -1
			for k := 0; k <= len(s.routes[v]); k++ {
				if c, ok := s.insertCost(u, v, k); ok && (wantPos < 0 || c < want) {
					want, wantPos = c, k
				}
			}
			got, pos := s.bestIn(u, v)
			if got != want || pos != wantPos {
				t.Fatalf("job %d on vehicle %d: scan %d at %d, insertCost %d at %d", u, v, got, pos, want, wantPos)
			}
			if pos >= 0 {
				checked++
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d feasible placements compared", checked)
	}
}
