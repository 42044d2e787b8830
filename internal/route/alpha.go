package route

import (
	"cmp"
	"context"
	"slices"
)

// Alpha-nearness candidates (Helsgaun, "An effective implementation of the
// Lin–Kernighan traveling salesman heuristic", 2000). On clustered inputs
// a city's ten nearest cities all lie in its own cluster, so no candidate
// edge leaves the cluster and the search cannot repair the order in which
// the clusters are visited. The alpha value of an edge is how much the
// minimum spanning tree grows when the tree must contain that edge: the
// edges between clusters that a good tour needs have small alpha values
// although they are long.

// penalised is the cost the ascent and the alpha values work with: the
// distances scaled by ascentPrecision plus a penalty per city.
type penalised struct {
	n    int32
	dist []int64 // n×n
	pi   []int64
}

func (p *penalised) c(a, b int32) int64 {
	return p.dist[int(a)*int(p.n)+int(b)]*ascentPrecision + p.pi[a] + p.pi[b]
}

// treeNode is a node not yet in the tree being grown: its number, its
// penalty and the cheapest edge to the tree so far, kept together so the
// inner loop of tree reads memory in order.
type treeNode struct {
	j   int32
	pi  int64
	key int64
}

// tree returns the nodes' parents in a minimum spanning tree rooted at
// node 0 (parent -1), and the nodes in the order the tree reached them,
// each after its parent: Prim's algorithm on the dense matrix, O(n²). dad,
// order and rest are reused buffers.
func (p *penalised) tree(dad, order []int32, rest []treeNode) ([]int32, []int32) {
	n := int(p.n)
	order = append(order[:0], 0)
	rest = rest[:0]
	at := 0 // index in rest of the cheapest node to join
	for j := 1; j < n; j++ {
		rest = append(rest, treeNode{j: int32(j), pi: p.pi[j], key: p.dist[j]*ascentPrecision + p.pi[j] + p.pi[0]})
		dad[j] = 0
		if rest[len(rest)-1].key < rest[at].key {
			at = len(rest) - 1
		}
	}
	dad[0] = -1
	for len(rest) > 0 {
		b := rest[at].j
		rest[at] = rest[len(rest)-1]
		rest = rest[:len(rest)-1]
		order = append(order, b)
		row, pb := p.dist[int(b)*n:int(b+1)*n], p.pi[b]
		at = 0
		best := int64(1<<63 - 1)
		for i := range rest {
			e := &rest[i]
			if c := row[e.j]*ascentPrecision + pb + e.pi; c < e.key {
				e.key = c
				dad[e.j] = b
			}
			if e.key < best {
				best, at = e.key, i
			}
		}
	}
	return dad, order
}

// alphaLists returns, for each city, the k other cities with the smallest
// alpha values (ties to the shorter edge), as an n×k slice. For each city
// i it finds beta(i, j), the longest tree edge on the path from i to j,
// for every j in one pass over the tree order, so the whole table costs
// O(n²) time and O(n) space.
func (p *penalised) alphaLists(k int32) []int32 {
	n := p.n
	dad, order := p.tree(make([]int32, n), make([]int32, 0, n), make([]treeNode, 0, n))
	beta := make([]int64, n)
	up := make([]int64, n) // cost of the edge to the parent
	for v, d := range dad {
		if d >= 0 {
			up[v] = p.c(int32(v), d)
		}
	}
	mark := make([]int32, n)
	for i := range mark {
		mark[i] = -1
	}
	out := make([]int32, int(n)*int(k))
	alpha := make([]int64, k)
	for _, i := range order {
		// Along the path from i up to the root, beta is known directly.
		beta[i] = -1 << 62
		mark[i] = i
		for v := i; dad[v] >= 0; v = dad[v] {
			beta[dad[v]] = max(beta[v], up[v])
			mark[dad[v]] = i
		}
		row := out[int(i)*int(k) : int(i+1)*int(k)]
		drow := p.dist[int(i)*int(n) : int(i+1)*int(n)]
		cnt := int32(0)
		for _, j := range order {
			if mark[j] != i {
				beta[j] = max(beta[dad[j]], up[j])
			}
			if j == i {
				continue
			}
			dj := drow[j]
			a := dj*ascentPrecision + p.pi[i] + p.pi[j] - beta[j]
			if cnt == k && (a > alpha[k-1] || a == alpha[k-1] && dj >= drow[row[k-1]]) {
				continue
			}
			at := min(cnt, k-1)
			for at > 0 && (alpha[at-1] > a || alpha[at-1] == a && drow[row[at-1]] > dj) {
				row[at], alpha[at] = row[at-1], alpha[at-1]
				at--
			}
			row[at], alpha[at] = j, a
			cnt = min(cnt+1, k)
		}
	}
	return out
}

// ascentPrecision scales distances in the ascent so the penalties can move
// in steps finer than one unit of distance.
const ascentPrecision = 100

// ascentRounds bounds the spanning trees the ascent computes. A hundred
// take the bound to within about 2 % of the optimum on 400 to 1,000
// cities, and put nearly every edge of a good fl417 tour among the
// candidates (four of its edges are missing after fifty rounds, two after
// a hundred); two hundred gain another 0.5 % and, with 10,000 kicks, found
// the optimum of lin318 for 8 seeds of 8 (ten nearest neighbours: 5 of 8).
// They cost about 0.1 s on 1,000 cities.
const ascentRounds = 200

// ascentPeriods is how many periods the ascent's rounds are first split
// into.
const ascentPeriods = 4

// ascentCheck is about how many edges the ascent looks at between looks at
// the clock: every round on 2,000 cities, every 16th on 500 (a few
// milliseconds of work).
const ascentCheck = 4_000_000

// alphaCandidates replaces the nearest-neighbour candidate lists by each
// city's k alpha-nearest cities, ordered nearest first (the searches stop
// reading a list at the first city too far away to give a gain), when the
// nearest lists miss an edge of the minimum spanning tree: the sign of
// clusters, whose long connecting edges no nearest list holds. Where the
// nearest lists hold the whole tree (uniform and grid-like inputs) they
// stay: there alpha lists found no better tours, and on rat195, a
// perturbed grid, they left the search 0.22 % above the optimum for 4
// seeds of 8 where the nearest lists reach it for all 8. When every other
// city is a candidate anyway it does nothing.
func (s *solver) alphaCandidates(ctx context.Context, stop stopRule) {
	if int(s.k) >= int(s.n)-1 {
		return
	}
	p := &penalised{n: s.n, dist: s.dist, pi: make([]int64, s.n)}
	if s.nearCoversTree(p) {
		return
	}
	p.ascent(ascentRounds, func() bool {
		if ctx.Err() != nil {
			return true
		}
		return !stop.prepDeadline.IsZero() && !stop.now().Before(stop.prepDeadline)
	})
	near := p.alphaLists(s.k)
	for i := range int(s.n) {
		row := near[i*int(s.k) : (i+1)*int(s.k)]
		slices.SortFunc(row, func(a, b int32) int {
			if c := cmp.Compare(s.d(int32(i), a), s.d(int32(i), b)); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
	}
	s.setCandidates(near)
}

// ascent sets penalties that make the minimum spanning tree look more like
// a tour (every degree two), by subgradient optimisation of the Held–Karp
// bound with Helsgaun's step schedule: the step starts at one hundredth of
// a unit and doubles while the bound grows, then the step and the period
// halve after every period; each move follows 0.7 of the current degree
// excess and 0.3 of the last. It spends at most rounds spanning trees and
// stops early when done says so (asked after about ascentCheck edges).
// Alpha values under those costs pick far better candidates than under
// plain distances.
func (p *penalised) ascent(rounds int, done func() bool) {
	n := p.n
	best := make([]int64, n)
	deg := make([]int64, n)
	last := make([]int64, n)
	dad, order, rest := make([]int32, n), make([]int32, 0, n), make([]treeNode, 0, n)
	bound := func() (int64, int64) {
		dad, order = p.tree(dad, order, rest)
		clear(deg)
		var w, sumPi, norm int64
		for v, d := range dad {
			sumPi += p.pi[v]
			if d >= 0 {
				w += p.c(int32(v), d)
				deg[v]++
				deg[d]++
			}
		}
		for _, g := range deg {
			norm += (g - 2) * (g - 2)
		}
		return w - 2*sumPi, norm
	}
	bestW, norm := bound()
	copy(last, deg)
	step, period, initial := int64(1), max(rounds/ascentPeriods, 1), true
	every := max(1, ascentCheck/(int(n)*int(n)))
	for used := 1; used < rounds && step > 0 && period > 0 && norm > 0; {
		for k := 1; k <= period && used < rounds && norm > 0; k++ {
			for v := range p.pi {
				p.pi[v] += step * (7*(deg[v]-2) + 3*(last[v]-2)) / 10
			}
			copy(last, deg)
			var w int64
			w, norm = bound()
			if used++; used%every == 0 && done() {
				rounds = used
			}
			switch {
			case w > bestW:
				bestW = w
				copy(best, p.pi)
				if initial {
					step *= 2
				}
				if k == period {
					period *= 2
				}
			case initial && k > period/2:
				initial, k, step = false, 0, 3*step/4
			}
		}
		period, step = period/2, step/2
	}
	copy(p.pi, best)
}

// nearCoversTree reports whether every edge of the minimum spanning tree
// joins a city to one of its nearest cities' candidates (either end's list
// will do).
func (s *solver) nearCoversTree(p *penalised) bool {
	dad, _ := p.tree(make([]int32, s.n), make([]int32, 0, s.n), make([]treeNode, 0, s.n))
	for v, d := range dad {
		if d < 0 {
			continue
		}
		a, b := int32(v), d
		na, _ := s.nearOf(a)
		nb, _ := s.nearOf(b)
		if !slices.Contains(na, b) && !slices.Contains(nb, a) {
			return false
		}
	}
	return true
}
