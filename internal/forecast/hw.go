package forecast

import "math"

// params are Holt–Winters smoothing parameters: level, trend, season and
// the trend's damping.
type params struct {
	Alpha, Beta, Gamma, Phi float64
}

// grid is the parameter search space: every combination is tried and the
// one with the least in-sample one-step squared error is kept. A grid is
// enough for four parameters on a few hundred days and never fails to
// converge.
var (
	alphas = []float64{0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.45, 0.6}
	betas  = []float64{0, 0.01, 0.03, 0.1}
	gammas = []float64{0.01, 0.05, 0.1, 0.2, 0.35}
	phis   = []float64{0.8, 0.9, 0.98}
)

// warmup is how many days of one-step errors are left out of the fit
// criterion while the initial state settles.
const warmup = 2 * Season

// state is the model after the last day: level, trend, and the season
// indexed by day number mod Season.
type state struct {
	level, trend float64
	season       [Season]float64
	n            int // days consumed
}

// initial estimates the starting state from the first four weeks: the
// level is their mean, the season each weekday's mean deviation from it,
// the trend zero (it is damped and learns quickly).
func initial(z []float64) state {
	var st state
	m := min(len(z), 4*Season)
	sum, cnt := 0.0, 0
	for _, v := range z[:m] {
		if !math.IsNaN(v) {
			sum += v
			cnt++
		}
	}
	if cnt > 0 {
		st.level = sum / float64(cnt)
	}
	var dev [Season]float64
	var num [Season]int
	for i, v := range z[:m] {
		if !math.IsNaN(v) {
			dev[i%Season] += v - st.level
			num[i%Season]++
		}
	}
	for j := range Season {
		if num[j] > 0 {
			st.season[j] = dev[j] / float64(num[j])
		}
	}
	return st
}

// run filters z (log counts with festival effects removed) through the
// model and returns the final state, the sum of squared one-step errors
// after the warm-up, and how many errors it summed. Missing days advance
// the state without an update.
func run(z []float64, p params, resid []float64) (state, float64, int) {
	st := initial(z)
	sse, cnt := 0.0, 0
	for t, y := range z {
		j := t % Season
		pred := st.level + p.Phi*st.trend + st.season[j]
		if resid != nil {
			resid[t] = math.NaN()
		}
		if math.IsNaN(y) {
			st.level += p.Phi * st.trend
			st.trend *= p.Phi
			continue
		}
		e := y - pred
		if resid != nil {
			resid[t] = e
		}
		if t >= warmup {
			sse += e * e
			cnt++
		}
		base := st.level + p.Phi*st.trend
		prevLevel := st.level
		st.level = p.Alpha*(y-st.season[j]) + (1-p.Alpha)*base
		st.trend = p.Beta*(st.level-prevLevel) + (1-p.Beta)*p.Phi*st.trend
		st.season[j] = p.Gamma*(y-base) + (1-p.Gamma)*st.season[j]
	}
	st.n = len(z)
	return st, sse, cnt
}

// fitParams searches the grid for the parameters with the least in-sample
// one-step squared error.
func fitParams(z []float64) params {
	best, bestSSE := params{Alpha: 0.2, Beta: 0, Gamma: 0.1, Phi: 0.9}, math.Inf(1)
	for _, a := range alphas {
		for _, b := range betas {
			for _, g := range gammas {
				if g > 1-a {
					continue
				}
				for _, f := range phis {
					p := params{Alpha: a, Beta: b, Gamma: g, Phi: f}
					if _, sse, _ := run(z, p, nil); sse < bestSSE {
						best, bestSSE = p, sse
					}
				}
			}
		}
	}
	return best
}

// point is the forecast h days (1, 2, …) after the state's last day, on
// the adjusted log scale.
func (st state) point(p params, h int) float64 {
	damp, f := 0.0, 1.0
	for range h {
		f *= p.Phi
		damp += f
	}
	return st.level + damp*st.trend + st.season[(st.n+h-1)%Season]
}

// variance is the h-step forecast error variance of the additive damped
// Holt–Winters model (ETS(A,Ad,A)) with one-step variance sigma2:
// sigma2 (1 + sum over j<h of c_j²), c_j = α(1 + β φ_j) + γ [j mod m = 0].
func variance(p params, sigma2 float64, h int) float64 {
	v, phiJ, f := 1.0, 0.0, 1.0
	for j := 1; j < h; j++ {
		f *= p.Phi
		phiJ += f
		c := p.Alpha * (1 + p.Beta*phiJ)
		if j%Season == 0 {
			c += p.Gamma
		}
		v += c * c
	}
	return sigma2 * v
}
