package slot

import (
	"context"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/postal"
)

// Instance is one slot on one date at one centre.
type Instance struct {
	Date   string      `json:"date"`
	Slot   postal.Slot `json:"slot"`
	Start  time.Time   `json:"start"`
	End    time.Time   `json:"end"`
	Cutoff time.Time   `json:"cutoff"`
	Open   bool        `json:"open"` // choices and scheduling still accepted
}

// Runs reports which slots run on a date: morning and evening on working
// days; the sunday slot on Sundays and holidays when the centre delivers
// then.
func (c Calendar) Runs(date time.Time) []postal.Slot {
	d := date.Format(time.DateOnly)
	if date.Weekday() == time.Sunday || c.holiday(d) {
		if c.SundayDelivery {
			return []postal.Slot{postal.SlotSunday}
		}
		return nil
	}
	return []postal.Slot{postal.SlotMorning, postal.SlotEvening}
}

// Instance returns slot s on date (YYYY-MM-DD) in loc, with whether it is
// still open at now, and false if that slot does not run that day.
func (c Calendar) Instance(date string, s postal.Slot, loc *time.Location, now time.Time) (Instance, bool) {
	day, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return Instance{}, false
	}
	runs := false
	for _, r := range c.Runs(day) {
		runs = runs || r == s
	}
	w, ok := c.Windows[s]
	if !runs || !ok {
		return Instance{}, false
	}
	at := func(m int) time.Time { return time.Date(day.Year(), day.Month(), day.Day(), m/60, m%60, 0, 0, loc) }
	in := Instance{Date: date, Slot: s, Start: at(minutes(w.Start)), End: at(minutes(w.End))}
	in.Cutoff = in.Start.Add(-time.Duration(w.CutoffMinutes) * time.Minute)
	in.Open = now.Before(in.Cutoff)
	return in, true
}

// Instances lists the slots that run on days consecutive days from from
// (YYYY-MM-DD) in loc, in time order.
func (c Calendar) Instances(from string, days int, loc *time.Location, now time.Time) []Instance {
	start, err := time.ParseInLocation(time.DateOnly, from, loc)
	if err != nil {
		return nil
	}
	out := []Instance{}
	for i := range days {
		day := start.AddDate(0, 0, i)
		for _, s := range c.Runs(day) {
			if in, ok := c.Instance(day.Format(time.DateOnly), s, loc, now); ok {
				out = append(out, in)
			}
		}
	}
	return out
}

// Today returns the date at now in loc.
func Today(now time.Time, loc *time.Location) string {
	return now.In(loc).Format(time.DateOnly)
}

// Window returns the hours of slot sc.Slot on sc.Date at a centre, in the
// centre's zone, and false when that slot does not run that day. It is what
// public tracking shows as the booked delivery window.
func (s *Service) Window(ctx context.Context, dc string, sc article.Schedule) (start, end time.Time, ok bool, err error) {
	_, loc, err := s.centreZone(ctx, dc)
	if err != nil {
		return time.Time{}, time.Time{}, false, err
	}
	cal, err := s.store.Calendar(ctx, dc)
	if err != nil {
		return time.Time{}, time.Time{}, false, err
	}
	in, ok := cal.Instance(sc.Date, sc.Slot, loc, s.now())
	return in.Start, in.End, ok, nil
}
