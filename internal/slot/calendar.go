// Package slot owns delivery centres' calendars: the morning, evening and
// Sunday/holiday windows with their cut-offs, holidays, each postman's
// capacity per slot, the slot instances a centre offers on given days,
// scheduling articles into them, and the recipient's own choice of slot
// through a signed link.
package slot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"dakiya/internal/postal"
)

// Window is one slot's daily delivery window and how long before its start
// choices and scheduling close.
type Window struct {
	Start         string `json:"start"` // HH:MM in the centre's zone
	End           string `json:"end"`
	CutoffMinutes int    `json:"cutoff_minutes"` // before Start
}

// Calendar is a centre's delivery calendar.
type Calendar struct {
	Windows        map[postal.Slot]Window `json:"windows"`
	SundayDelivery bool                   `json:"sunday_delivery"` // the sunday slot runs on Sundays and holidays
	Holidays       []string               `json:"holidays"`        // YYYY-MM-DD
	// Capacity is what one postman carries in one slot, in letter
	// equivalents (see Load).
	Capacity map[postal.Slot]int `json:"capacity"`
}

// DefaultCalendar is DOMAIN.md's defaults: morning 07:00–11:00, evening
// 17:00–20:00, Sunday/holiday 09:00–13:00. Capacity follows the daily norm
// of about 95 ordinary articles a postman, split by the windows' lengths.
func DefaultCalendar() Calendar {
	return Calendar{
		Windows: map[postal.Slot]Window{
			postal.SlotMorning: {Start: "07:00", End: "11:00", CutoffMinutes: 60},
			postal.SlotEvening: {Start: "17:00", End: "20:00", CutoffMinutes: 120},
			postal.SlotSunday:  {Start: "09:00", End: "13:00", CutoffMinutes: 60},
		},
		SundayDelivery: true,
		Holidays:       []string{},
		Capacity:       map[postal.Slot]int{postal.SlotMorning: 54, postal.SlotEvening: 41, postal.SlotSunday: 54},
	}
}

// Load is how much of a postman's capacity an article takes, in hundredths
// of a letter: the daily norms are about 95 ordinary articles, 42
// registered or Speed Post articles, or 60 parcels (DOMAIN.md), so a
// registered article weighs 95/42 letters and a parcel 95/60.
func Load(s postal.Service) int {
	switch s {
	case postal.ServiceRegistered, postal.ServiceSpeedPost:
		return 226
	case postal.ServiceParcel:
		return 158
	}
	return 100
}

// Validate checks a calendar a supervisor sends and fills in what it leaves
// out from the defaults.
func (c *Calendar) Validate() error {
	def := DefaultCalendar()
	if c.Windows == nil {
		c.Windows = def.Windows
	}
	if c.Capacity == nil {
		c.Capacity = def.Capacity
	}
	if c.Holidays == nil {
		c.Holidays = []string{}
	}
	var fe []postal.FieldError
	add := func(f, m string) { fe = append(fe, postal.FieldError{Field: f, Message: m}) }
	for _, s := range []postal.Slot{postal.SlotMorning, postal.SlotEvening, postal.SlotSunday} {
		w, ok := c.Windows[s]
		if !ok {
			add("windows."+string(s), "required")
			continue
		}
		if msg := w.check(); msg != "" {
			add("windows."+string(s), msg)
		}
		if n, ok := c.Capacity[s]; !ok || n < 1 || n > 1000 {
			add("capacity."+string(s), "1 to 1000 letter equivalents")
		}
	}
	for k := range c.Windows {
		if !k.Valid() {
			add("windows", fmt.Sprintf("unknown slot %q", k))
		}
	}
	if m, e := c.Windows[postal.SlotMorning], c.Windows[postal.SlotEvening]; len(fe) == 0 && minutes(m.End) > minutes(e.Start) {
		add("windows.evening", "must start after the morning window ends")
	}
	fe = append(fe, c.checkHolidays()...)
	if len(fe) > 0 {
		return postal.Invalid("invalid calendar", fe...)
	}
	return nil
}

func (c *Calendar) checkHolidays() []postal.FieldError {
	if len(c.Holidays) > 366 {
		return []postal.FieldError{{Field: "holidays", Message: "at most 366 dates"}}
	}
	for _, h := range c.Holidays {
		if _, err := time.Parse(time.DateOnly, h); err != nil || len(h) != 10 {
			return []postal.FieldError{{Field: "holidays", Message: fmt.Sprintf("%q is not a YYYY-MM-DD date", h)}}
		}
	}
	slices.Sort(c.Holidays)
	c.Holidays = slices.Compact(c.Holidays)
	return nil
}

// check returns what is wrong with a window, or "".
func (w Window) check() string {
	s, e := minutes(w.Start), minutes(w.End)
	switch {
	case s < 0 || e < 0:
		return "start and end are HH:MM"
	case e <= s:
		return "end must come after start"
	case w.CutoffMinutes < 0 || w.CutoffMinutes > 48*60:
		return "cutoff_minutes is 0 to 2880"
	}
	return ""
}

// minutes reads HH:MM as minutes after midnight, or -1.
func minutes(hhmm string) int {
	h, m, ok := strings.Cut(hhmm, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return -1
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return -1
	}
	return hh*60 + mm
}

// holiday reports whether date is one of the calendar's holidays.
func (c Calendar) holiday(date string) bool {
	_, found := slices.BinarySearch(c.Holidays, date)
	return found
}
