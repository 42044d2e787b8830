package beatplan

import (
	"context"

	"dakiya/internal/route"
)

// balance evens out the postmen's working time (travel + service): it
// moves households from the longest-working round to another at its
// cheapest place, or swaps one of its households with another round's,
// keeping every route within capacity and the window, and takes a move
// only when it lowers the objective (distance, away costs and the
// balance term), until none does. Households stay whole; a household
// moved off its postman's beat still pays the away cost, so the absent
// postmen's households are the ones that move. With no balance weight it
// changes nothing.
func (p *plan) balance(ctx context.Context, prob route.VRP, routes [][]int) [][]int {
	if p.set.BalanceM <= 0 || len(routes) < 2 {
		return routes
	}
	routes = clone(routes)
	cur := p.objective(prob, routes)
	for pass := 0; pass < 4*len(p.jobs)+4 && ctx.Err() == nil; pass++ {
		next, o := p.bestMove(prob, routes, cur)
		if o >= cur {
			break
		}
		routes, cur = next, o
	}
	return routes
}

// bestMove is the best relocate or swap out of the longest-working round,
// and the objective it gives; the routes themselves and cur when no move
// is feasible.
func (p *plan) bestMove(prob route.VRP, routes [][]int, cur int64) ([][]int, int64) {
	long := 0
	for v := range routes {
		if p.working(prob, routes[v]) > p.working(prob, routes[long]) {
			long = v
		}
	}
	best, bestO := routes, cur
	try := func(v int, rl, rv []int) {
		if !p.feasible(prob, rl, long) || !p.feasible(prob, rv, v) {
			return
		}
		next := clone(routes)
		next[long], next[v] = rl, rv
		if o := p.objective(prob, next); o < bestO {
			best, bestO = next, o
		}
	}
	for i, a := range routes[long] {
		rest := without(routes[long], i)
		for v := range routes {
			if v == long {
				continue
			}
			try(v, rest, cheapest(prob.Cost, routes[v], a))
			for j, b := range routes[v] {
				try(v, cheapest(prob.Cost, rest, b), cheapest(prob.Cost, without(routes[v], j), a))
			}
		}
	}
	return best, bestO
}

// working is a route's time of travel and service.
func (p *plan) working(prob route.VRP, r []int) int64 {
	var t int64
	prev := 0
	for _, node := range r {
		t += prob.Travel.Dist(prev, node) + prob.Jobs[node-1].Service
		prev = node
	}
	if len(r) > 0 {
		t += prob.Travel.Dist(prev, 0)
	}
	return t
}

// spread is the difference in seconds between the longest and the
// shortest working time among the routes (every postman on duty with a
// beat, an empty round counting zero).
func (p *plan) spread(prob route.VRP, routes [][]int) int64 {
	if len(routes) == 0 {
		return 0
	}
	lo, hi := p.working(prob, routes[0]), p.working(prob, routes[0])
	for _, r := range routes[1:] {
		t := p.working(prob, r)
		lo, hi = min(lo, t), max(hi, t)
	}
	return hi - lo
}

// without is r less its i-th node, in a new slice.
func without(r []int, i int) []int {
	return append(append([]int(nil), r[:i]...), r[i+1:]...)
}

// clone copies the routes so a move never changes the ones it started from.
func clone(routes [][]int) [][]int {
	out := make([][]int, len(routes))
	for v, r := range routes {
		out[v] = append([]int(nil), r...)
	}
	return out
}
