package forecast

import (
	"fmt"
	"math"
)

// Fold is one rolling-origin backtest fold: the model and the
// seasonal-naive forecast, both made at Origin (the last training day) for
// the following days, scored against what was observed.
type Fold struct {
	Origin     string  `json:"origin"`
	Method     string  `json:"method"`
	MASE       float64 `json:"mase"`
	SMAPE      float64 `json:"smape"`
	NaiveMASE  float64 `json:"naive_mase"`
	NaiveSMAPE float64 `json:"naive_smape"`
}

// Backtest is a rolling-origin evaluation: the folds and their means.
type Backtest struct {
	Horizon    int     `json:"horizon"`
	Folds      []Fold  `json:"folds"`
	MASE       float64 `json:"mase"`
	SMAPE      float64 `json:"smape"`
	NaiveMASE  float64 `json:"naive_mase"`
	NaiveSMAPE float64 `json:"naive_smape"`
}

// RunBacktest evaluates the model on the last folds×horizon days of s:
// fold k trains on everything before its origin and forecasts horizon
// days. MASE divides the mean absolute error by the training part's
// in-sample seasonal-naive (lag 7) mean absolute error, so the naive
// forecast scores about 1; sMAPE is in percent (0–200). Missing test days
// are skipped; a fold with none is left out.
func RunBacktest(s Series, fs []Festival, horizon, folds int) (Backtest, error) {
	if horizon < 1 || horizon > MaxHorizon || folds < 1 {
		return Backtest{}, fmt.Errorf("horizon must be 1 to %d and folds at least 1", MaxHorizon)
	}
	n := len(s.Values)
	first := n - folds*horizon
	if first < 2*Season {
		return Backtest{}, fmt.Errorf("%d days cannot hold %d folds of %d days after two weeks of training", n, folds, horizon)
	}
	bt := Backtest{Horizon: horizon, Folds: []Fold{}}
	for k := range folds {
		origin := first + k*horizon
		train, test := s.Slice(0, origin), s.Values[origin:origin+horizon]
		fc := Predict(train, fs, horizon)
		model := make([]float64, horizon)
		for i, p := range fc.Points {
			model[i] = p.Mean
		}
		scale := naiveScale(train.Values)
		nv := SeasonalNaive(train, horizon)
		mae, sm, ok := score(test, model)
		if !ok {
			continue
		}
		nmae, nsm, _ := score(test, nv)
		f := Fold{Origin: s.Date(origin - 1), Method: fc.Method, MASE: mae / scale, SMAPE: sm, NaiveMASE: nmae / scale, NaiveSMAPE: nsm}
		bt.Folds = append(bt.Folds, f)
	}
	if len(bt.Folds) == 0 {
		return bt, fmt.Errorf("no fold has an observed day to score")
	}
	for _, f := range bt.Folds {
		bt.MASE += f.MASE
		bt.SMAPE += f.SMAPE
		bt.NaiveMASE += f.NaiveMASE
		bt.NaiveSMAPE += f.NaiveSMAPE
	}
	k := float64(len(bt.Folds))
	bt.MASE, bt.SMAPE, bt.NaiveMASE, bt.NaiveSMAPE = bt.MASE/k, bt.SMAPE/k, bt.NaiveMASE/k, bt.NaiveSMAPE/k
	return bt, nil
}

// naiveScale is the in-sample mean absolute error of the lag-7 naive
// forecast; a series that never changes week on week falls back to its
// mean absolute value, and an all-zero one to 1, so MASE stays finite.
func naiveScale(y []float64) float64 {
	sum, cnt, abs, obs := 0.0, 0, 0.0, 0
	for i, v := range y {
		if math.IsNaN(v) {
			continue
		}
		abs += math.Abs(v)
		obs++
		if i >= Season && !math.IsNaN(y[i-Season]) {
			sum += math.Abs(v - y[i-Season])
			cnt++
		}
	}
	switch {
	case cnt > 0 && sum > 0:
		return sum / float64(cnt)
	case abs > 0:
		return abs / float64(obs)
	}
	return 1
}

// score returns the mean absolute error and sMAPE of f against the
// observed days of y, and false when no day of y is observed.
func score(y, f []float64) (mae, smape float64, ok bool) {
	n := 0
	for i, v := range y {
		if math.IsNaN(v) {
			continue
		}
		e := math.Abs(v - f[i])
		mae += e
		if d := math.Abs(v) + math.Abs(f[i]); d > 0 {
			smape += 200 * e / d
		}
		n++
	}
	if n == 0 {
		return 0, 0, false
	}
	return mae / float64(n), smape / float64(n), true
}
