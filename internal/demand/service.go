// Package demand owns the centre's demand forecast: it turns the arrivals
// rollup into a series per slot and service (each arrival hour counted in
// the first slot it can go out in), forecasts them with internal/forecast,
// prices the forecast in letter equivalents and postmen at the calendar's
// capacity norms, sets it against the roster, and backtests the centre's
// daily total. It also keeps the festival calendar the model reads.
package demand

import (
	"context"
	"time"

	"dakiya/internal/centre"
	"dakiya/internal/forecast"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

// HistoryDays is how far back the forecast reads arrivals.
const HistoryDays = 730

// MaxDays is the most days one forecast covers, and MaxAhead how far
// after today it may start.
const (
	MaxDays  = 28
	MaxAhead = 28
)

// Store is what demand needs from the database.
type Store interface {
	DC(ctx context.Context, id string) (centre.DC, error)
	Calendar(ctx context.Context, dc string) (slot.Calendar, error)
	Arrivals(ctx context.Context, dc, from, to string) ([]forecast.Arrival, error)
	FestivalStore
}

// Roster counts the postmen on duty for a centre's slot on a date (the
// rosters' store.RosteredCount).
type Roster interface {
	RosteredCount(ctx context.Context, dcID, date string, sl postal.Slot) (int, error)
}

// Service forecasts demand and keeps the festival calendar.
type Service struct {
	store    Store
	roster   Roster
	defaults []forecast.Festival
	now      func() time.Time
}

// New returns a Service. roster may be nil (no rostered counts);
// defaults is the festival calendar loaded on first use.
func New(store Store, roster Roster, defaults []forecast.Festival, now func() time.Time) *Service {
	return &Service{store: store, roster: roster, defaults: defaults, now: now}
}

// centre checks that p may read dc's forecast (its supervisor or an admin;
// another centre is not found) and returns the centre's zone and calendar.
func (s *Service) centre(ctx context.Context, p postal.Principal, dc string) (*time.Location, slot.Calendar, error) {
	if !p.CanSeeDC(dc) {
		return nil, slot.Calendar{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role != postal.RoleSupervisor && p.Role != postal.RoleAdmin {
		return nil, slot.Calendar{}, postal.Errorf(postal.CodeForbidden, "only a supervisor or an admin reads the forecast")
	}
	c, err := s.store.DC(ctx, dc)
	if err != nil {
		return nil, slot.Calendar{}, err
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, slot.Calendar{}, postal.Wrap(err, postal.CodeInternal, "the centre's time zone is unknown")
	}
	cal, err := s.store.Calendar(ctx, dc)
	return loc, cal, err
}

// history reads the arrivals of the HistoryDays before today.
func (s *Service) history(ctx context.Context, dc string, today time.Time) ([]forecast.Arrival, time.Time, error) {
	start := today.AddDate(0, 0, -HistoryDays)
	as, err := s.store.Arrivals(ctx, dc, start.Format(time.DateOnly), today.AddDate(0, 0, -1).Format(time.DateOnly))
	return as, start, err
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
