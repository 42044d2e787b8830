package route

import "math"

// exactMax is the largest problem solved exactly. Held–Karp needs
// 2^(n-1)·(n-1)² steps: about 40,000 at n = 10, far below one kick budget.
const exactMax = 10

// solveExact returns an optimal tour starting at node 0 by dynamic
// programming over subsets (Held–Karp). Ties go to the path found first,
// so the answer is deterministic.
func solveExact(m Matrix) []int {
	n := m.Len()
	if n <= 3 {
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		return order
	}
	k := n - 1 // nodes 1..n-1 are bits 0..k-1
	full := 1<<k - 1
	cost := make([]int64, (full+1)*k)
	from := make([]int8, (full+1)*k)
	for i := range cost {
		cost[i] = math.MaxInt64
	}
	for j := range k {
		cost[(1<<j)*k+j] = m.Dist(0, j+1)
		from[(1<<j)*k+j] = -1
	}
	for set := 1; set <= full; set++ {
		for j := range k {
			c := cost[set*k+j]
			if set&(1<<j) == 0 || c == math.MaxInt64 {
				continue
			}
			for nx := range k {
				if set&(1<<nx) != 0 {
					continue
				}
				to := (set|1<<nx)*k + nx
				if v := c + m.Dist(j+1, nx+1); v < cost[to] {
					cost[to], from[to] = v, int8(j)
				}
			}
		}
	}
	return heldKarpTour(m, cost, from, k)
}

// heldKarpTour closes the cheapest full path back to node 0 and walks the
// predecessors to recover the order.
func heldKarpTour(m Matrix, cost []int64, from []int8, k int) []int {
	full := 1<<k - 1
	last, best := 0, int64(math.MaxInt64)
	for j := range k {
		if v := cost[full*k+j] + m.Dist(j+1, 0); v < best {
			last, best = j, v
		}
	}
	order := make([]int, k+1)
	set := full
	for i := k; i >= 1; i-- {
		order[i] = last + 1
		prev := int(from[set*k+last])
		set &^= 1 << last
		last = prev
	}
	return order
}
