package demand

import (
	"context"
	"math"
	"time"

	"dakiya/internal/forecast"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

// Query is what a forecast covers: Days days from From (YYYY-MM-DD, ""
// for tomorrow).
type Query struct {
	From string
	Days int
}

// View is a centre's forecast per date and slot.
type View struct {
	DCID        string `json:"dc_id"`
	From        string `json:"from"`
	Days        int    `json:"days"`
	HistoryFrom string `json:"history_from"` // first delivery date of the history read
	HistoryTo   string `json:"history_to"`
	Dates       []Date `json:"dates"`
}

// Date is one date's slots.
type Date struct {
	Date  string     `json:"date"`
	Slots []SlotView `json:"slots"`
}

// SlotView is one slot's forecast: articles by service and in total, the
// letter equivalents they weigh, the postmen that takes at the calendar's
// capacity norm (for the median and for the 80 % upper bound), and the
// postmen rostered (null when rosters are not known).
type SlotView struct {
	Slot              postal.Slot   `json:"slot"`
	Services          []ServiceView `json:"services"`
	Expected          float64       `json:"expected"`
	Hi80              float64       `json:"hi80"`
	LetterEquivalents float64       `json:"letter_equivalents"`
	LetterEquivHi80   float64       `json:"letter_equivalents_hi80"`
	Capacity          int           `json:"capacity"`
	PostmenNeeded     int           `json:"postmen_needed"`
	PostmenNeededHi80 int           `json:"postmen_needed_hi80"`
	Rostered          *int          `json:"rostered"`
	Understaffed      bool          `json:"understaffed"`
}

// ServiceView is one service's forecast in a slot.
type ServiceView struct {
	Service postal.Service `json:"service"`
	Method  string         `json:"method"`
	forecast.Point
}

// Forecast forecasts a centre's slots for q's dates.
func (s *Service) Forecast(ctx context.Context, p postal.Principal, dc string, q Query) (View, error) {
	loc, cal, err := s.centre(ctx, p, dc)
	if err != nil {
		return View{}, err
	}
	today := day(s.now().In(loc))
	from, err := checkQuery(q, today)
	if err != nil {
		return View{}, err
	}
	fests, err := s.festivals(ctx)
	if err != nil {
		return View{}, err
	}
	as, start, err := s.history(ctx, dc, today)
	if err != nil {
		return View{}, err
	}
	start = firstArrival(as, start, today)
	series := SlotSeries(cal, as, start, today)
	ahead := int(from.Sub(today).Hours()/24) + q.Days
	fc := map[slotKey]forecast.Forecast{}
	for _, sl := range []postal.Slot{postal.SlotMorning, postal.SlotEvening, postal.SlotSunday} {
		for _, sv := range services {
			k := slotKey{sl, sv}
			sr, ok := series[k]
			if !ok { // no history at all: zeros, flagged "none"
				sr = forecast.Series{Start: today}
			}
			fc[k] = forecast.Fit(sr, fests).Forecast(ahead)
		}
	}
	v := View{DCID: dc, From: from.Format(time.DateOnly), Days: q.Days, Dates: []Date{},
		HistoryFrom: start.AddDate(0, 0, 1).Format(time.DateOnly), HistoryTo: today.AddDate(0, 0, -1).Format(time.DateOnly)}
	offset := int(from.Sub(today).Hours() / 24)
	for i := range q.Days {
		d := from.AddDate(0, 0, i)
		date := Date{Date: d.Format(time.DateOnly), Slots: []SlotView{}}
		for _, sl := range cal.Runs(d) {
			sv, err := s.slotView(ctx, dc, cal, date.Date, sl, fc, offset+i)
			if err != nil {
				return View{}, err
			}
			date.Slots = append(date.Slots, sv)
		}
		v.Dates = append(v.Dates, date)
	}
	return v, nil
}

// slotView prices one slot's forecast h days after the history (0 is
// today) and sets it against the roster.
func (s *Service) slotView(ctx context.Context, dc string, cal slot.Calendar, date string, sl postal.Slot, fc map[slotKey]forecast.Forecast, h int) (SlotView, error) {
	v := SlotView{Slot: sl, Services: []ServiceView{}, Capacity: cal.Capacity[sl]}
	for _, sv := range services {
		f := fc[slotKey{sl, sv}]
		pt := f.Points[h]
		pt.Date = ""
		v.Services = append(v.Services, ServiceView{Service: sv, Method: f.Method, Point: round(pt)})
		w := float64(slot.Load(sv)) / 100
		v.Expected += pt.Mean
		v.Hi80 += pt.Hi80
		v.LetterEquivalents += pt.Mean * w
		v.LetterEquivHi80 += pt.Hi80 * w
	}
	v.Expected, v.Hi80 = round1(v.Expected), round1(v.Hi80)
	v.LetterEquivalents, v.LetterEquivHi80 = round1(v.LetterEquivalents), round1(v.LetterEquivHi80)
	v.PostmenNeeded, v.PostmenNeededHi80 = needed(v.LetterEquivalents, v.Capacity), needed(v.LetterEquivHi80, v.Capacity)
	if s.roster != nil {
		n, err := s.roster.RosteredCount(ctx, dc, date, sl)
		if err != nil {
			return v, err
		}
		v.Rostered, v.Understaffed = &n, n < v.PostmenNeeded
	}
	return v, nil
}

// needed is the postmen a load takes at capacity letter equivalents each.
func needed(letters float64, capacity int) int {
	if capacity <= 0 {
		return 0
	}
	return int(math.Ceil(letters/float64(capacity) - 1e-9))
}

func checkQuery(q Query, today time.Time) (time.Time, error) {
	var fe []postal.FieldError
	from := today.AddDate(0, 0, 1)
	if q.From != "" {
		t, err := time.Parse(time.DateOnly, q.From)
		switch {
		case err != nil || len(q.From) != 10:
			fe = append(fe, postal.FieldError{Field: "from", Message: "a YYYY-MM-DD date"})
		case t.Before(today) || t.After(today.AddDate(0, 0, MaxAhead)):
			fe = append(fe, postal.FieldError{Field: "from", Message: "today to 28 days ahead"})
		default:
			from = t
		}
	}
	if q.Days < 1 || q.Days > MaxDays {
		fe = append(fe, postal.FieldError{Field: "days", Message: "1 to 28"})
	}
	if len(fe) > 0 {
		return from, postal.Invalid("invalid query", fe...)
	}
	return from, nil
}

// firstArrival is the day before the earliest arrival, or start if that
// is later: a centre's history begins when its arrivals do. With no
// arrivals at all the history is empty: it starts yesterday.
func firstArrival(as []forecast.Arrival, start time.Time, today time.Time) time.Time {
	if len(as) == 0 {
		return today.AddDate(0, 0, -1)
	}
	t, err := time.Parse(time.DateOnly, as[0].Date) // Arrivals come in date order
	if err != nil || !t.After(start) {
		return start
	}
	return t.AddDate(0, 0, -1)
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func round(p forecast.Point) forecast.Point {
	return forecast.Point{Date: p.Date, Mean: round1(p.Mean), Lo80: round1(p.Lo80), Hi80: round1(p.Hi80), Lo95: round1(p.Lo95), Hi95: round1(p.Hi95)}
}
