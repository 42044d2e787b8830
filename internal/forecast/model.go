package forecast

import (
	"math"
	"time"
)

// The methods a forecast can come from.
const (
	MethodHoltWinters   = "holt_winters"
	MethodSeasonalNaive = "seasonal_naive" // fewer than MinHistory observed days
	MethodNone          = "none"           // no observed day at all: zeros
)

// MinHistory is the fewest observed days the Holt–Winters model is fitted
// on; shorter histories get the seasonal-naive forecast, flagged.
const MinHistory = 4 * Season

// The standard normal quantiles of the 80 % and 95 % central intervals.
const (
	z80 = 1.2815516
	z95 = 1.959964
)

// Point is the forecast for one day: the median and the 80 % and 95 %
// prediction intervals, in counts.
type Point struct {
	Date string  `json:"date,omitempty"`
	Mean float64 `json:"expected"`
	Lo80 float64 `json:"lo80"`
	Hi80 float64 `json:"hi80"`
	Lo95 float64 `json:"lo95"`
	Hi95 float64 `json:"hi95"`
}

// Forecast is a series' forecast for the days after its last one.
type Forecast struct {
	Method string  `json:"method"`
	Points []Point `json:"points"`
}

// Model is a fitted forecaster for one series.
type Model struct {
	method  string
	p       params
	st      state
	sigma2  float64
	beta    []float64 // festival effects on the log scale, by effect index
	fx      effects   // over the history and MaxHorizon days after it
	naive   naive
	history int
}

// MaxHorizon is the furthest ahead a fitted model forecasts.
const MaxHorizon = 120

// Fit fits the model to s with the festivals fs. The counts are modelled
// on the log scale (log(1+y)), so the weekly season and festival effects
// are multiplicative and the intervals skewed like counts.
func Fit(s Series, fs []Festival) *Model {
	n := len(s.Values)
	m := &Model{history: n, fx: festivalEffects(s.Start, n+MaxHorizon, fs)}
	z := make([]float64, n)
	for i, v := range s.Values {
		z[i] = math.Log1p(math.Max(v, 0))
		if math.IsNaN(v) {
			z[i] = math.NaN()
		}
	}
	m.naive = fitNaive(z)
	switch obs := s.Observed(); {
	case obs == 0:
		m.method = MethodNone
	case obs < MinHistory:
		m.method = MethodSeasonalNaive
	default:
		m.method = MethodHoltWinters
		m.fitHW(z)
	}
	return m
}

// Method says which method the model forecasts with.
func (m *Model) Method() string { return m.method }

// fitHW alternates between the smoothing parameters (with the festival
// effects removed) and the festival effects (from the one-step residuals),
// twice, then filters once more with both.
func (m *Model) fitHW(z []float64) {
	m.beta = make([]float64, len(m.fx.names))
	adj := make([]float64, len(z))
	resid := make([]float64, len(z))
	for range 2 {
		m.adjust(z, adj)
		m.p = fitParams(adj)
		run(adj, m.p, resid)
		m.updateEffects(resid)
	}
	m.adjust(z, adj)
	st, sse, cnt := run(adj, m.p, resid)
	m.st = st
	if cnt > 0 {
		m.sigma2 = sse / float64(cnt)
	}
}

// effect is the festival effect on day i on the log scale.
func (m *Model) effect(i int) float64 {
	e := 0.0
	if i < len(m.fx.at) {
		for _, t := range m.fx.at[i] {
			e += m.beta[t.k] * t.w
		}
	}
	return e
}

func (m *Model) adjust(z, adj []float64) {
	for i, v := range z {
		adj[i] = v - m.effect(i)
	}
}

// updateEffects adds to each festival effect the weighted mean one-step
// residual on its days (shrunk towards zero by a one-day prior). An effect
// never seen in the history takes the mean of the seen effects of its kind
// (before or from), so a festival that falls in the forecast but not the
// history still counts as a peak.
func (m *Model) updateEffects(resid []float64) {
	num := make([]float64, len(m.beta))
	den := make([]float64, len(m.beta))
	for i, r := range resid {
		if math.IsNaN(r) || i < warmup {
			continue
		}
		for _, t := range m.fx.at[i] {
			num[t.k] += t.w * r
			den[t.k] += t.w * t.w
		}
	}
	var pool [2]float64
	var seen [2]int
	for k := range m.beta {
		if den[k] > 0 {
			m.beta[k] += num[k] / (den[k] + 1)
			pool[k%2] += m.beta[k]
			seen[k%2]++
		}
	}
	for k := range m.beta {
		if den[k] == 0 && seen[k%2] > 0 {
			m.beta[k] = pool[k%2] / float64(seen[k%2])
		}
	}
}

// Forecast returns the h days after the history (h at most MaxHorizon).
func (m *Model) Forecast(h int) Forecast {
	h = max(0, min(h, MaxHorizon))
	out := Forecast{Method: m.method, Points: make([]Point, h)}
	for i := range h {
		day := m.history + i
		var mu, sd float64
		switch m.method {
		case MethodHoltWinters:
			mu = m.st.point(m.p, i+1) + m.effect(day)
			sd = math.Sqrt(variance(m.p, m.sigma2, i+1))
		case MethodSeasonalNaive:
			mu, sd = m.naive.at(day), m.naive.sd(i+1)
		}
		out.Points[i] = m.point(mu, sd)
	}
	return out
}

// point turns a log-scale mean and standard deviation into counts.
func (m *Model) point(mu, sd float64) Point {
	back := func(v float64) float64 { return math.Max(0, math.Expm1(v)) }
	if m.method == MethodNone {
		return Point{}
	}
	return Point{Mean: back(mu), Lo80: back(mu - z80*sd), Hi80: back(mu + z80*sd), Lo95: back(mu - z95*sd), Hi95: back(mu + z95*sd)}
}

// Predict fits s and forecasts the h days after it, dated.
func Predict(s Series, fs []Festival, h int) Forecast {
	f := Fit(s, fs).Forecast(h)
	for i := range f.Points {
		f.Points[i].Date = s.Start.AddDate(0, 0, len(s.Values)+i).Format(time.DateOnly)
	}
	return f
}
