// Package roster owns who is on duty at a delivery centre per date and
// slot: the default (every postman with a home beat works every slot the
// calendar runs, except their weekly off day and the Sunday/holiday slot)
// and the supervisor's entries that override it (leave, off, on duty,
// Sunday duty, a reliever covering another postman's beat).
package roster

import (
	"time"

	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

// Status is a postman's state in one slot.
type Status string

// Statuses; an entry sets OnDuty, Leave or Off, WeeklyOff comes only from
// the default.
const (
	OnDuty    Status = "on_duty"
	Leave     Status = "leave"
	WeeklyOff Status = "weekly_off"
	Off       Status = "off"
)

// NoWeeklyOff marks a postman without a weekly off day.
const NoWeeklyOff = -1

// Postman is a postman of a centre as the roster sees them.
type Postman struct {
	UserID     string
	Name       string
	HomeBeatID string // "" when the postman walks no beat (a reliever)
	WeeklyOff  int    // 0 (Sunday) to 6, or NoWeeklyOff
	Disabled   bool   // may not sign in: never on the roster
}

// Entry overrides the default for one postman on one date, in one slot
// or, with Slot "", in every slot.
type Entry struct {
	UserID       string      `json:"user_id"`
	Date         string      `json:"date"`
	Slot         postal.Slot `json:"slot,omitempty"`
	Status       Status      `json:"status"`
	CoversBeatID string      `json:"covers_beat_id,omitempty"`
	Note         string      `json:"note,omitempty"`
	UpdatedBy    string      `json:"updated_by,omitempty"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// Duty is one postman's state in one slot, and where it comes from.
type Duty struct {
	UserID       string `json:"user_id"`
	Name         string `json:"name"`
	Status       Status `json:"status"`
	HomeBeatID   string `json:"home_beat_id"`
	CoversBeatID string `json:"covers_beat_id,omitempty"`
	Note         string `json:"note,omitempty"`
	// Source is "default" or "entry" (a supervisor's override).
	Source string `json:"source"`
}

// SlotRoster is who works one slot.
type SlotRoster struct {
	Slot     postal.Slot `json:"slot"`
	Rostered int         `json:"rostered"` // postmen on duty
	Postmen  []Duty      `json:"postmen"`
}

// Day is the roster of one date: the slots the calendar runs then.
type Day struct {
	Date  string       `json:"date"`
	Slots []SlotRoster `json:"slots"`
}

// Resolve returns p's duty in slot sl on date, a weekday wd: the entry for
// that slot, else the entry for every slot, else the default.
func Resolve(p Postman, date string, wd time.Weekday, sl postal.Slot, entries []Entry) Duty {
	d := Duty{UserID: p.UserID, Name: p.Name, HomeBeatID: p.HomeBeatID, Source: "default", Status: defaultStatus(p, wd, sl)}
	var all, one *Entry
	for i := range entries {
		e := &entries[i]
		if e.UserID != p.UserID || e.Date != date {
			continue
		}
		switch e.Slot {
		case "":
			all = e
		case sl:
			one = e
		}
	}
	if one == nil {
		one = all
	}
	if one != nil {
		d.Status, d.CoversBeatID, d.Note, d.Source = one.Status, one.CoversBeatID, one.Note, "entry"
	}
	return d
}

// defaultStatus is the rule without entries.
func defaultStatus(p Postman, wd time.Weekday, sl postal.Slot) Status {
	switch {
	case sl == postal.SlotSunday || p.HomeBeatID == "":
		return Off
	case p.WeeklyOff == int(wd):
		return WeeklyOff
	}
	return OnDuty
}

// ForDay is the roster of date (YYYY-MM-DD) under a calendar: each slot
// the calendar runs that day with every postman's duty. A date that does
// not parse has no slots.
func ForDay(cal slot.Calendar, date string, postmen []Postman, entries []Entry) Day {
	day := Day{Date: date, Slots: []SlotRoster{}}
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return day
	}
	for _, sl := range cal.Runs(t) {
		sr := SlotRoster{Slot: sl, Postmen: make([]Duty, 0, len(postmen))}
		for _, p := range postmen {
			if p.Disabled {
				continue
			}
			d := Resolve(p, date, t.Weekday(), sl, entries)
			if d.Status == OnDuty {
				sr.Rostered++
			}
			sr.Postmen = append(sr.Postmen, d)
		}
		day.Slots = append(day.Slots, sr)
	}
	return day
}

// Slot returns the roster of one slot on a day, and false when the
// calendar does not run it.
func (d Day) Slot(sl postal.Slot) (SlotRoster, bool) {
	for _, s := range d.Slots {
		if s.Slot == sl {
			return s, true
		}
	}
	return SlotRoster{}, false
}
