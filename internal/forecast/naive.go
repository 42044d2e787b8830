package forecast

import "math"

// naive is the seasonal-naive forecast on the log scale: each day is the
// last observed day of the same weekday, with a spread from the history's
// week-on-week changes.
type naive struct {
	last  [Season]float64 // last observed value by day mod Season, NaN if none
	mean  float64
	sigma float64
}

func fitNaive(z []float64) naive {
	var nv naive
	for j := range nv.last {
		nv.last[j] = math.NaN()
	}
	sum, cnt, ss, pairs := 0.0, 0, 0.0, 0
	for i, v := range z {
		if math.IsNaN(v) {
			continue
		}
		sum += v
		cnt++
		if i >= Season && !math.IsNaN(z[i-Season]) {
			d := v - z[i-Season]
			ss += d * d
			pairs++
		}
		nv.last[i%Season] = v
	}
	if cnt > 0 {
		nv.mean = sum / float64(cnt)
	}
	if pairs > 0 {
		nv.sigma = math.Sqrt(ss / float64(pairs))
	}
	return nv
}

// at is the forecast for day i.
func (nv naive) at(i int) float64 {
	if v := nv.last[i%Season]; !math.IsNaN(v) {
		return v
	}
	return nv.mean
}

// sd is the spread h days ahead: a random walk in weeks.
func (nv naive) sd(h int) float64 {
	k := (h + Season - 1) / Season
	return nv.sigma * math.Sqrt(float64(k))
}

// SeasonalNaive forecasts the h days after s by repeating the last
// observed value of the same weekday (the mean where a weekday has none).
func SeasonalNaive(s Series, h int) []float64 {
	last := [Season]float64{}
	have := [Season]bool{}
	sum, cnt := 0.0, 0
	for i, v := range s.Values {
		if !math.IsNaN(v) {
			last[i%Season], have[i%Season] = v, true
			sum += v
			cnt++
		}
	}
	out := make([]float64, h)
	for i := range out {
		j := (len(s.Values) + i) % Season
		switch {
		case have[j]:
			out[i] = last[j]
		case cnt > 0:
			out[i] = sum / float64(cnt)
		}
	}
	return out
}
