package demo

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakiya/assets"
	"dakiya/internal/forecast"
)

func defaultFestivals(t *testing.T) []forecast.Festival {
	t.Helper()
	fs, err := forecast.ReadFestivals(bytes.NewReader(assets.Festivals()))
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// dailyTotals sums arrivals by date.
func dailyTotals(t *testing.T, as []forecast.Arrival) forecast.Series {
	t.Helper()
	points := map[string]float64{}
	for _, a := range as {
		points[a.Date] += float64(a.Count)
	}
	s, err := forecast.FromPoints(points)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestHistoryBeatsSeasonalNaive is the bar: on each demo centre's
// generated year, the forecast's rolling-origin backtest (8 folds of 14
// days) has MASE below 1, and below the seasonal-naive forecast's own.
func TestHistoryBeatsSeasonalNaive(t *testing.T) {
	fs := defaultFestivals(t)
	for _, dc := range HistoryCentres() {
		s := dailyTotals(t, CentreHistory(dc, fs, "2026-12-01"))
		if len(s.Values) != HistoryDays || s.Date(HistoryDays-1) != "2026-11-30" {
			t.Fatalf("%s: %d days to %s", dc, len(s.Values), s.Date(len(s.Values)-1))
		}
		bt, err := forecast.RunBacktest(s, fs, 14, 8)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: MASE %.3f sMAPE %.1f %%; seasonal naive MASE %.3f sMAPE %.1f %%", dc, bt.MASE, bt.SMAPE, bt.NaiveMASE, bt.NaiveSMAPE)
		for _, f := range bt.Folds {
			t.Logf("  %s %s MASE %.3f sMAPE %.1f | naive %.3f %.1f", f.Origin, f.Method, f.MASE, f.SMAPE, f.NaiveMASE, f.NaiveSMAPE)
		}
		if bt.MASE >= 1 || bt.MASE >= bt.NaiveMASE {
			t.Errorf("%s: MASE %.3f, naive %.3f: want below 1 and below naive", dc, bt.MASE, bt.NaiveMASE)
		}
	}
}

func TestHistoryDeterministic(t *testing.T) {
	fs := defaultFestivals(t)
	a, b := CentreHistory("jaipur-city", fs, "2026-06-01"), CentreHistory("jaipur-city", fs, "2026-06-01")
	if d := cmp.Diff(a, b); d != "" || len(a) == 0 {
		t.Errorf("two runs differ or are empty (%d):\n%s", len(a), d)
	}
	if CentreHistory("dc-unknown", fs, "2026-06-01") != nil {
		t.Error("an unknown centre has history")
	}
}
