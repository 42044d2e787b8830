package slot

import (
	"time"

	"dakiya/internal/postal"
)

// FirstSlot returns the first slot an article received at a centre in hour
// (0–23, the centre's zone) of date (YYYY-MM-DD) can go out in: a slot of
// that date counts when the hour begins before the slot starts; otherwise
// the first slot of the next day the centre delivers (Sundays and holidays
// have the sunday slot when the centre delivers then, none otherwise). It
// is how the demand forecast turns hourly arrivals into slot loads. False
// when date is not a date or no slot runs within two weeks.
func (c Calendar) FirstSlot(date string, hour int) (string, postal.Slot, bool) {
	day, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return "", "", false
	}
	for i := range 14 {
		d := day.AddDate(0, 0, i)
		for _, s := range c.Runs(d) {
			w, ok := c.Windows[s]
			if !ok {
				continue
			}
			if i > 0 || hour*60 < minutes(w.Start) {
				return d.Format(time.DateOnly), s, true
			}
		}
	}
	return "", "", false
}
