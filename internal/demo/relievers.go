package demo

import (
	"context"
	"fmt"
	"time"

	"dakiya/internal/auth"
	"dakiya/internal/centre"
	"dakiya/internal/postal"
	"dakiya/internal/roster"
	"dakiya/internal/slot"
)

// relieversOf are a centre's postmen without a beat of their own: off by
// default in the roster, they stand in for a postman on leave when the
// supervisor puts them on duty covering that postman's beat, so a slot
// with someone away still has every beat walked.
func relieversOf(dcID string) []staff {
	switch dcID {
	case "blr-koramangala":
		return []staff{{"postman5", "Venkatesh Naik", "en"}}
	case "jaipur-city":
		return []staff{{"postman6", "Suresh Kumar Saini", "hi"}, {"postman7", "Farhan Qureshi", "hi"}}
	}
	return nil
}

// relievers creates the centre's relievers.
func (l *loader) relievers(ctx context.Context, dcID string) error {
	for _, s := range relieversOf(dcID) {
		if _, err := l.d.Auth.CreateUser(ctx, auth.NewUser{Username: s.username, Name: s.name, Role: postal.RolePostman,
			DCID: dcID, Locale: s.locale, Password: Password}); err != nil {
			return fmt.Errorf("demo: create reliever %s: %w", s.username, err)
		}
		l.sum.Users++
	}
	return nil
}

// sundayDuty puts every postman who walks a beat on Sunday duty in the
// Sunday/holiday slots of the next slot.Horizon days: the roster's default
// has nobody on duty then, and the demo schedules articles into them.
func (l *loader) sundayDuty(ctx context.Context, sup postal.Principal, dc centre.DC, postmen []string) error {
	if l.d.Rosters == nil {
		return nil
	}
	loc, err := time.LoadLocation(dc.TimeZone)
	if err != nil {
		return fmt.Errorf("demo: zone of %s: %w", dc.ID, err)
	}
	cal, err := l.d.Slots.Calendar(ctx, sup, dc.ID)
	if err != nil {
		return fmt.Errorf("demo: calendar of %s: %w", dc.ID, err)
	}
	for _, in := range cal.Instances(slot.Today(l.d.Now(), loc), slot.Horizon, loc, l.d.Now()) {
		if in.Slot != postal.SlotSunday {
			continue
		}
		for _, id := range postmen {
			if _, err := l.d.Rosters.Put(ctx, sup, dc.ID, in.Date, id, roster.Input{Status: roster.OnDuty,
				Slots: []postal.Slot{postal.SlotSunday}, Note: "Sunday duty"}); err != nil {
				return fmt.Errorf("demo: Sunday duty on %s: %w", in.Date, err)
			}
		}
	}
	return nil
}

// beatPostmen are the ids of the postmen who walk the centre's beats.
func beatPostmen(c centreSpec, users map[string]auth.User) []string {
	out := make([]string, 0, len(c.beats))
	for _, b := range c.beats {
		out = append(out, users[b.postman].ID)
	}
	return out
}
