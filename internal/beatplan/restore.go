package beatplan

import (
	"context"

	"dakiya/internal/manifest"
	"dakiya/internal/route"
)

// restore brings households home in blocks: for each postman, all their
// home households that another route serves move back together (each at
// its cheapest place in the route) when that is feasible and lowers the
// distance plus the away costs. A solver moving one household at a time
// cannot make this move: bringing the first one home costs a whole round
// trip that only the block as a whole pays back.
func (p *plan) restore(prob route.VRP, routes [][]int) [][]int {
	for improved := true; improved; {
		improved = false
		for v := range routes {
			if next, ok := p.bringHome(prob, routes, v); ok {
				routes, improved = next, true
			}
		}
	}
	return routes
}

// bringHome tries the block move into route v.
func (p *plan) bringHome(prob route.VRP, routes [][]int, v int) ([][]int, bool) {
	next := make([][]int, len(routes))
	var block []int
	for u, r := range routes {
		if u == v {
			next[u] = append([]int(nil), r...)
			continue
		}
		for _, node := range r {
			if prob.Jobs[node-1].Home == v {
				block = append(block, node)
			} else {
				next[u] = append(next[u], node)
			}
		}
	}
	if len(block) == 0 {
		return routes, false
	}
	for _, node := range block {
		next[v] = cheapest(prob.Cost, next[v], node)
	}
	if !p.feasible(prob, next[v], v) || p.objective(prob, next) >= p.objective(prob, routes) {
		return routes, false
	}
	return next, true
}

// cheapest inserts node where it lengthens the route least.
func cheapest(m route.Matrix, r []int, node int) []int {
	best, at := int64(-1), 0
	for i := 0; i <= len(r); i++ {
		prev, nxt := 0, 0
		if i > 0 {
			prev = r[i-1]
		}
		if i < len(r) {
			nxt = r[i]
		}
		d := m.Dist(prev, node) + m.Dist(node, nxt) - m.Dist(prev, nxt)
		if best < 0 || d < best {
			best, at = d, i
		}
	}
	out := append(append(append([]int(nil), r[:at]...), node), r[at:]...)
	return out
}

// feasible checks route r of vehicle v against its capacity and window
// (the jobs have no windows of their own).
func (p *plan) feasible(prob route.VRP, r []int, v int) bool {
	veh := prob.Vehicles[v]
	var load int64
	t, prev := veh.Start, 0
	for _, node := range r {
		j := prob.Jobs[node-1]
		load += j.Demand
		t += prob.Travel.Dist(prev, node) + j.Service
		prev = node
	}
	return load <= veh.Capacity && t+prob.Travel.Dist(prev, 0) <= veh.End
}

// objective is the routes' distance plus the away costs plus the balance
// term: BalanceM metres-equivalent for each minute between the longest and
// the shortest working time.
func (p *plan) objective(prob route.VRP, routes [][]int) int64 {
	o := p.routeCost(prob, routes)
	if p.set.BalanceM > 0 && len(routes) > 1 {
		o += p.set.BalanceM * p.spread(prob, routes) / 60
	}
	return o
}

// routeCost is the routes' distance plus the away costs.
func (p *plan) routeCost(prob route.VRP, routes [][]int) int64 {
	var o int64
	for v, r := range routes {
		prev := 0
		for _, node := range r {
			o += prob.Cost.Dist(prev, node)
			if h := prob.Jobs[node-1].Home; h >= 0 && h != v {
				o += p.away
			}
			prev = node
		}
		o += prob.Cost.Dist(prev, 0)
	}
	return o
}

// homeFirst is the fixed beats as a candidate plan: each postman's home
// households in the order Build would walk them (dropping from the end
// what does not fit), then the rest each at its cheapest feasible place.
// It returns the routes and the job nodes left out.
func (p *plan) homeFirst(ctx context.Context, prob route.VRP) ([][]int, []int) {
	routes := make([][]int, len(prob.Vehicles))
	byStop := make(map[string]int, len(p.jobs))
	home := make([][]manifest.Stop, len(prob.Vehicles))
	var pool []int
	for i, h := range p.jobs {
		byStop[h.Stop.StopID] = i + 1
		if v := prob.Jobs[i].Home; v >= 0 {
			home[v] = append(home[v], h.Stop)
		} else {
			pool = append(pool, i+1)
		}
	}
	for v := range routes {
		if len(home[v]) == 0 {
			continue
		}
		for _, st := range p.in.Tour(ctx, p.out.Routes[v].BeatID, home[v]) {
			routes[v] = append(routes[v], byStop[st.StopID])
		}
		for len(routes[v]) > 0 && !p.feasible(prob, routes[v], v) {
			pool = append(pool, routes[v][len(routes[v])-1])
			routes[v] = routes[v][:len(routes[v])-1]
		}
	}
	var out []int
	for _, node := range pool {
		if !p.place(prob, routes, node) {
			out = append(out, node)
		}
	}
	return routes, out
}

// place puts node in the route where it costs least and fits.
func (p *plan) place(prob route.VRP, routes [][]int, node int) bool {
	best, bestV := int64(-1), -1
	var bestR []int
	for v := range routes {
		r := cheapest(prob.Cost, routes[v], node)
		if !p.feasible(prob, r, v) {
			continue
		}
		c := p.routeCost(prob, [][]int{r}) - p.routeCost(prob, [][]int{routes[v]})
		if h := prob.Jobs[node-1].Home; h >= 0 && h != v {
			c += p.away
		}
		if best < 0 || c < best {
			best, bestV, bestR = c, v, r
		}
	}
	if bestV < 0 {
		return false
	}
	routes[bestV] = bestR
	return true
}
