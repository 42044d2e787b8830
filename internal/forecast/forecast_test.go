package forecast

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

var start = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC) // a Monday

// weekly is a Monday-first weekly profile: Sunday low, Monday high.
var weekly = [Season]float64{1.35, 1.1, 1.0, 1.0, 0.95, 0.9, 0.45}

// synthetic returns n days of a level with a weekly season, a slow trend
// and multiplicative log-normal noise of the given spread.
func synthetic(n int, noise float64, rng *rand.Rand) Series {
	s := Series{Start: start, Values: make([]float64, n)}
	for i := range n {
		mu := (200 + 0.1*float64(i)) * weekly[i%Season]
		s.Values[i] = math.Round(mu * math.Exp(noise*rng.NormFloat64()))
	}
	return s
}

func TestRecoversSeasonalSeries(t *testing.T) {
	s := synthetic(300, 0, rand.New(rand.NewPCG(1, 2)))
	fc := Predict(s, nil, 14)
	if fc.Method != MethodHoltWinters {
		t.Fatalf("method %s", fc.Method)
	}
	for i, p := range fc.Points {
		want := (200 + 0.1*float64(300+i)) * weekly[(300+i)%Season]
		if math.Abs(p.Mean-want) > 0.03*want {
			t.Errorf("day %d (%s): forecast %.1f, want %.1f", i, p.Date, p.Mean, want)
		}
		if !(p.Lo95 <= p.Lo80 && p.Lo80 <= p.Mean && p.Mean <= p.Hi80 && p.Hi80 <= p.Hi95) {
			t.Errorf("day %d: intervals out of order: %+v", i, p)
		}
	}
	if fc.Points[0].Date != "2025-11-02" {
		t.Errorf("first date %s, want 2025-11-02", fc.Points[0].Date)
	}
}

// TestIntervalsCover checks the 80 % and 95 % intervals' empirical
// coverage on simulated series against their nominal rates.
func TestIntervalsCover(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	in80, in95, total := 0, 0, 0
	for range 30 {
		s := synthetic(200+14, 0.15, rng)
		fc := Predict(s.Slice(0, 200), nil, 14)
		for i, p := range fc.Points {
			y := s.Values[200+i]
			if y >= p.Lo80 && y <= p.Hi80 {
				in80++
			}
			if y >= p.Lo95 && y <= p.Hi95 {
				in95++
			}
			total++
		}
	}
	c80, c95 := float64(in80)/float64(total), float64(in95)/float64(total)
	t.Logf("coverage: 80 %% interval %.3f, 95 %% interval %.3f over %d days", c80, c95, total)
	if c80 < 0.72 || c80 > 0.90 || c95 < 0.89 || c95 > 0.995 {
		t.Errorf("coverage 80 %%: %.3f, 95 %%: %.3f; want near nominal", c80, c95)
	}
}

// TestBacktestArithmetic uses a straight line, where the lag-7 naive
// forecast is off by exactly 7 on every day a week ahead: naive MASE is 1
// and its sMAPE is computable by hand.
func TestBacktestArithmetic(t *testing.T) {
	s := Series{Start: start, Values: make([]float64, 70)}
	for i := range s.Values {
		s.Values[i] = float64(100 + i)
	}
	bt, err := RunBacktest(s, nil, 7, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(bt.Folds) != 2 || bt.Folds[0].Origin != s.Date(55) || bt.Folds[1].Origin != s.Date(62) {
		t.Fatalf("folds %+v", bt.Folds)
	}
	f := bt.Folds[1] // trains on days 0..62, tests 63..69, naive repeats 56..62
	smape := 0.0
	for i := 63; i < 70; i++ {
		y, p := float64(100+i), float64(100+i-7)
		smape += 200 * 7 / (y + p) / 7
	}
	if math.Abs(f.NaiveMASE-1) > 1e-9 || math.Abs(f.NaiveSMAPE-smape) > 1e-9 {
		t.Errorf("naive fold: MASE %.6f (want 1), sMAPE %.6f (want %.6f)", f.NaiveMASE, f.NaiveSMAPE, smape)
	}
	if f.MASE > 0.2 {
		t.Errorf("the model's MASE on a straight line is %.3f; its damped trend should follow it", f.MASE)
	}
	if want := (bt.Folds[0].MASE + bt.Folds[1].MASE) / 2; math.Abs(bt.MASE-want) > 1e-12 {
		t.Errorf("summary MASE %.6f, want the fold mean %.6f", bt.MASE, want)
	}
	if _, err := RunBacktest(s, nil, 14, 8); err == nil {
		t.Error("8 folds of 14 days in 70 days: want an error")
	}
}

func TestGaps(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	s := synthetic(280, 0.05, rng)
	for i := range s.Values {
		if rng.Float64() < 0.15 {
			s.Values[i] = Missing()
		}
	}
	bt, err := RunBacktest(s, nil, 14, 4)
	if err != nil {
		t.Fatal(err)
	}
	if bt.MASE >= bt.NaiveMASE {
		t.Errorf("with 15 %% of days missing: MASE %.3f, naive %.3f", bt.MASE, bt.NaiveMASE)
	}
	pts := map[string]float64{"2025-03-01": 5, "2025-03-04": 7}
	g, err := FromPoints(pts)
	if err != nil || len(g.Values) != 4 || !math.IsNaN(g.Values[1]) || g.Values[3] != 7 {
		t.Errorf("FromPoints: %+v %v", g, err)
	}
}

func TestShortSeriesFallsBack(t *testing.T) {
	s := Series{Start: start, Values: []float64{10, 20, 30, 40, 50, 60, 70, 11, Missing(), 31}}
	fc := Predict(s, nil, 7)
	if fc.Method != MethodSeasonalNaive {
		t.Fatalf("method %s, want %s", fc.Method, MethodSeasonalNaive)
	}
	want := []float64{40, 50, 60, 70, 11, 20, 31} // day 1's weekday was last seen on day 1
	for i, p := range fc.Points {
		if math.Abs(p.Mean-want[i]) > 1e-9 || p.Lo95 > p.Mean || p.Hi95 < p.Mean {
			t.Errorf("day %d: %+v, want %v", i, p, want[i])
		}
	}
	empty := Predict(Series{Start: start, Values: []float64{Missing()}}, nil, 3)
	if empty.Method != MethodNone || len(empty.Points) != 3 || empty.Points[0].Mean != 0 {
		t.Errorf("no observation: %+v", empty)
	}
}

// TestFestivalPeak gives the model two years with a ten-day peak before
// the same festival; it forecasts the third year's peak, which seasonal
// naive cannot.
func TestFestivalPeak(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	fs := []Festival{{Date: "2025-10-20", Name: "Diwali", Before: 10, After: 1},
		{Date: "2026-11-08", Name: "Diwali", Before: 10, After: 1}, {Date: "2027-10-29", Name: "Diwali", Before: 10, After: 1}}
	n := int(time.Date(2027, 10, 27, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	s := synthetic(n, 0.05, rng) // up to 2027-10-26, so the forecast starts two days before Diwali
	for i := range s.Values {
		for _, t := range festivalEffects(start, len(s.Values), fs).at[i] {
			if t.k == 0 {
				s.Values[i] *= 1 + 1.5*t.w
			}
		}
	}
	fc := Predict(s, fs, 3)
	truth := (200 + 0.1*float64(len(s.Values))) * weekly[len(s.Values)%Season] * (1 + 1.5*0.9)
	p := fc.Points[0]
	if p.Date != "2027-10-27" || math.Abs(p.Mean-truth) > 0.15*truth {
		t.Errorf("%s, two days before Diwali: forecast %.0f, truth about %.0f", p.Date, p.Mean, truth)
	}
	if nv := SeasonalNaive(s, 1)[0]; math.Abs(nv-truth) < 2*math.Abs(p.Mean-truth) {
		t.Errorf("seasonal naive %.0f is about as close as the model's %.0f to %.0f", nv, p.Mean, truth)
	}
}

func TestReadFestivals(t *testing.T) {
	fs, err := ReadFestivals(stringsReader("date,name,region,before_days,after_days\n2026-11-08,Diwali,,10,2\n"))
	if err != nil || len(fs) != 1 || fs[0].Before != 10 {
		t.Fatalf("%+v %v", fs, err)
	}
	for _, bad := range []string{"date,name\n", "date,name,region,before_days,after_days\n2026-13-01,X,,1,1\n",
		"date,name,region,before_days,after_days\n2026-11-01,X,,a,1\n", "date,name,region,before_days,after_days\n2026-11-01,,,1,1\n"} {
		if _, err := ReadFestivals(stringsReader(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
