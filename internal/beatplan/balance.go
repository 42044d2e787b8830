package beatplan

import (
	"context"

	"dakiya/internal/route"
)

// balance evens out the postmen's working time (travel + service): it
// moves households out of the longest-working round (or into the
// shortest), each at its cheapest place in the other round, or swaps a
// household of one with one of the other, keeping both routes within
// capacity and the window, and takes the best move only when it lowers the
// objective (distance, away costs and the balance term), until none does.
// Households stay whole; a household moved off its postman's beat still
// pays the away cost, so the absent postmen's households are the ones that
// move. With no balance weight it changes nothing.
func (p *plan) balance(ctx context.Context, prob route.VRP, routes [][]int) [][]int {
	if p.set.BalanceM <= 0 || len(routes) < 2 {
		return routes
	}
	b := &balancer{p: p, prob: prob, routes: clone(routes), cost: make([]int64, len(routes)), work: make([]int64, len(routes))}
	for v, r := range b.routes {
		b.cost[v], b.work[v] = b.routeCost(v, r), p.working(prob, r)
	}
	for pass := 0; pass < 4*len(p.jobs)+4 && ctx.Err() == nil; pass++ {
		if !b.improve() {
			break
		}
	}
	return b.routes
}

// balancer holds the routes being balanced with each one's distance plus
// away costs and its working time.
type balancer struct {
	p          *plan
	prob       route.VRP
	routes     [][]int
	cost, work []int64
}

// move is two routes' new stops and the objective they give.
type move struct {
	u, v   int
	ru, rv []int
	obj    int64
}

// improve makes the best improving relocation (or, when none improves,
// swap) between the longest round and any other, or between any other and
// the shortest; false when there is none.
func (b *balancer) improve() bool {
	long, short := 0, 0
	for v, w := range b.work {
		if w > b.work[long] {
			long = v
		}
		if w < b.work[short] {
			short = v
		}
	}
	best := move{obj: b.objective(-1, -1, nil, nil)}
	found := false
	for _, swaps := range []bool{false, true} {
		for u := range b.routes {
			for v := range b.routes {
				if u == v || u != long && v != short {
					continue
				}
				if m, ok := b.bestBetween(u, v, best.obj, swaps); ok {
					best, found = m, true
				}
			}
		}
		if found {
			break // swaps only when no relocation helps
		}
	}
	if found {
		b.routes[best.u], b.routes[best.v] = best.ru, best.rv
		b.cost[best.u], b.work[best.u] = b.routeCost(best.u, best.ru), b.p.working(b.prob, best.ru)
		b.cost[best.v], b.work[best.v] = b.routeCost(best.v, best.rv), b.p.working(b.prob, best.rv)
	}
	return found
}

// bestBetween is the best relocation from route u to route v (or with
// swaps, the best swap between them) whose objective is below bound.
func (b *balancer) bestBetween(u, v int, bound int64, swaps bool) (move, bool) {
	best, found := move{obj: bound}, false
	try := func(ru, rv []int) {
		if o := b.objective(u, v, ru, rv); o < best.obj && b.p.feasible(b.prob, ru, u) && b.p.feasible(b.prob, rv, v) {
			best, found = move{u: u, v: v, ru: ru, rv: rv, obj: o}, true
		}
	}
	for i, a := range b.routes[u] {
		rest := without(b.routes[u], i)
		if !swaps {
			try(rest, cheapest(b.prob.Cost, b.routes[v], a))
			continue
		}
		for j, c := range b.routes[v] {
			try(cheapest(b.prob.Cost, rest, c), cheapest(b.prob.Cost, without(b.routes[v], j), a))
		}
	}
	return best, found
}

// objective is the plan's objective with routes u and v replaced by ru and
// rv (u < 0: as they stand).
func (b *balancer) objective(u, v int, ru, rv []int) int64 {
	var o int64
	lo, hi := int64(-1), int64(0)
	for w := range b.routes {
		c, t := b.cost[w], b.work[w]
		switch w {
		case u:
			c, t = b.routeCost(u, ru), b.p.working(b.prob, ru)
		case v:
			c, t = b.routeCost(v, rv), b.p.working(b.prob, rv)
		}
		o += c
		if lo < 0 || t < lo {
			lo = t
		}
		hi = max(hi, t)
	}
	return o + b.p.set.BalanceM*(hi-lo)/60
}

// routeCost is route r's distance plus away costs as vehicle v's.
func (b *balancer) routeCost(v int, r []int) int64 {
	var o int64
	prev := 0
	for _, node := range r {
		o += b.prob.Cost.Dist(prev, node)
		if h := b.prob.Jobs[node-1].Home; h >= 0 && h != v {
			o += b.p.away
		}
		prev = node
	}
	return o + b.prob.Cost.Dist(prev, 0)
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
