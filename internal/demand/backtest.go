package demand

import (
	"context"
	"time"

	"dakiya/internal/forecast"
	"dakiya/internal/postal"
)

// The backtest's shape: the 8 folds of 14 days.
const (
	BacktestHorizon = 14
	BacktestFolds   = 8
)

// BacktestView is the backtest of a centre's daily total arrivals.
type BacktestView struct {
	DCID        string `json:"dc_id"`
	HistoryFrom string `json:"history_from"`
	HistoryTo   string `json:"history_to"`
	forecast.Backtest
}

// Backtest runs the rolling-origin backtest on the centre's daily total
// arrivals up to yesterday; unprocessable when the history is too short.
func (s *Service) Backtest(ctx context.Context, p postal.Principal, dc string) (BacktestView, error) {
	loc, _, err := s.centre(ctx, p, dc)
	if err != nil {
		return BacktestView{}, err
	}
	today := day(s.now().In(loc))
	fests, err := s.festivals(ctx)
	if err != nil {
		return BacktestView{}, err
	}
	as, start, err := s.history(ctx, dc, today)
	if err != nil {
		return BacktestView{}, err
	}
	start = firstArrival(as, start, today).AddDate(0, 0, 1)
	series := DailyTotals(as, start, today)
	bt, err := forecast.RunBacktest(series, fests, BacktestHorizon, BacktestFolds)
	if err != nil {
		return BacktestView{}, postal.Errorf(postal.CodeUnprocessable, "not enough history for the backtest: %s", err.Error())
	}
	return BacktestView{DCID: dc, HistoryFrom: start.Format(time.DateOnly),
		HistoryTo: today.AddDate(0, 0, -1).Format(time.DateOnly), Backtest: bt}, nil
}
