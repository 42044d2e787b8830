package demand

import (
	"math"
	"time"

	"dakiya/internal/forecast"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

// slotKey names one forecast series.
type slotKey struct {
	slot    postal.Slot
	service postal.Service
}

// SlotSeries turns hourly arrivals into one daily series per slot and
// service, indexed by delivery date from start to end (exclusive): each
// hour's count goes to the first slot it can go out in (cal.FirstSlot).
// Days the slot does not run are missing; days it runs with nothing are
// zero. Arrivals whose slot falls outside the range are dropped (the
// first day's slots miss the evening before start; it is left out).
func SlotSeries(cal slot.Calendar, as []forecast.Arrival, start, end time.Time) map[slotKey]forecast.Series {
	n := int(end.Sub(start).Hours() / 24)
	out := map[slotKey]forecast.Series{}
	if n <= 1 {
		return out
	}
	first := start.AddDate(0, 0, 1)
	n--
	for _, sl := range []postal.Slot{postal.SlotMorning, postal.SlotEvening, postal.SlotSunday} {
		for _, sv := range services {
			v := make([]float64, n)
			for i := range v {
				v[i] = math.NaN()
				for _, r := range cal.Runs(first.AddDate(0, 0, i)) {
					if r == sl {
						v[i] = 0
					}
				}
			}
			out[slotKey{sl, sv}] = forecast.Series{Start: first, Values: v}
		}
	}
	for _, a := range as {
		date, sl, ok := cal.FirstSlot(a.Date, a.Hour)
		d, err := time.Parse(time.DateOnly, date)
		if !ok || err != nil {
			continue
		}
		s, ok := out[slotKey{sl, postal.Service(a.Service)}]
		i := int(d.Sub(first).Hours() / 24)
		if ok && i >= 0 && i < n && !math.IsNaN(s.Values[i]) {
			s.Values[i] += float64(a.Count)
		}
	}
	return out
}

// DailyTotals is the centre's total arrivals per date (by arrival date)
// from start to end (exclusive); days with none are zero.
func DailyTotals(as []forecast.Arrival, start, end time.Time) forecast.Series {
	n := max(0, int(end.Sub(start).Hours()/24))
	s := forecast.Series{Start: start, Values: make([]float64, n)}
	for _, a := range as {
		d, err := time.Parse(time.DateOnly, a.Date)
		if i := int(d.Sub(start).Hours() / 24); err == nil && i >= 0 && i < n {
			s.Values[i] += float64(a.Count)
		}
	}
	return s
}

// services are the services forecast, in the order they are reported.
var services = []postal.Service{postal.ServiceLetter, postal.ServiceSpeedPost, postal.ServiceRegistered, postal.ServiceParcel}
