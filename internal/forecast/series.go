// Package forecast owns the demand model: a daily series with gaps, a
// Holt–Winters (additive, damped trend, weekly season) model on log counts
// with festival effects, its prediction intervals, the seasonal-naive
// benchmark, and a rolling-origin backtest. It is pure: no I/O, no clock.
package forecast

import (
	"math"
	"time"
)

// Season is the length of the weekly season in days.
const Season = 7

// Series is a daily series: Values[i] is the count on Start+i days, NaN
// where the day is missing.
type Series struct {
	Start  time.Time // midnight UTC of the first day
	Values []float64
}

// Missing is the value of a day with no observation.
func Missing() float64 { return math.NaN() }

// Date returns the YYYY-MM-DD of day i.
func (s Series) Date(i int) string { return s.Start.AddDate(0, 0, i).Format(time.DateOnly) }

// Slice returns days [from, to) as a series of their own.
func (s Series) Slice(from, to int) Series {
	return Series{Start: s.Start.AddDate(0, 0, from), Values: s.Values[from:to]}
}

// Observed counts the days with a value.
func (s Series) Observed() int {
	n := 0
	for _, v := range s.Values {
		if !math.IsNaN(v) {
			n++
		}
	}
	return n
}

// FromPoints builds a series from dated counts (YYYY-MM-DD keys), from the
// earliest date to the latest, with the days in between missing. It
// returns an empty series when points is empty.
func FromPoints(points map[string]float64) (Series, error) {
	var first, last time.Time
	for d := range points {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return Series{}, err
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	if first.IsZero() {
		return Series{}, nil
	}
	n := int(last.Sub(first).Hours()/24) + 1
	s := Series{Start: first, Values: make([]float64, n)}
	for i := range s.Values {
		v, ok := points[s.Date(i)]
		if !ok {
			v = Missing()
		}
		s.Values[i] = v
	}
	return s, nil
}

// Arrival is a count of articles received at a centre in one hour of one
// date (in the centre's zone) for one service: a cell of the arrivals
// rollup.
type Arrival struct {
	Date    string `json:"date"`
	Hour    int    `json:"hour"`
	Service string `json:"service"`
	Count   int64  `json:"count"`
}
