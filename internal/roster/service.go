package roster

import (
	"context"
	"time"
	"unicode/utf8"

	"dakiya/internal/centre"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

// MaxDays is the longest range one roster read covers.
const MaxDays = 62

// Store is what roster needs from the database.
type Store interface {
	DC(ctx context.Context, id string) (centre.DC, error)
	Calendar(ctx context.Context, dc string) (slot.Calendar, error)
	// RosterPostmen lists a centre's enabled postmen with their home beat
	// and weekly off day.
	RosterPostmen(ctx context.Context, dcID string) ([]Postman, error)
	RosterEntries(ctx context.Context, dcID, from, to string) ([]Entry, error)
	// PutRosterEntry stores e for each of slots (none: for every slot,
	// replacing the date's other entries of that postman).
	PutRosterEntry(ctx context.Context, dcID string, e Entry, slots []postal.Slot) error
	// DeleteRosterEntries removes a postman's entries on a date (only slot
	// sl's when sl is not empty).
	DeleteRosterEntries(ctx context.Context, userID, date string, sl postal.Slot) (int, error)
	PutWeeklyOff(ctx context.Context, dcID, userID string, weekday int, by string, at time.Time) error
}

// Service reads and edits rosters.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// View is a centre's roster over a range of dates.
type View struct {
	DCID    string   `json:"dc_id"`
	From    string   `json:"from"`
	To      string   `json:"to"`
	Postmen []Person `json:"postmen"`
	Days    []Day    `json:"days"`
}

// Person is a postman as the roster lists them once, above the days.
type Person struct {
	UserID     string `json:"user_id"`
	Name       string `json:"name"`
	HomeBeatID string `json:"home_beat_id"`
	// WeeklyOff is 0 (Sunday) to 6, or null for none.
	WeeklyOff *int `json:"weekly_off"`
}

// Input is a supervisor's entry for one postman on one date.
type Input struct {
	Status       Status        `json:"status"`
	Slots        []postal.Slot `json:"slots"`
	Note         string        `json:"note"`
	CoversBeatID string        `json:"covers_beat_id"`
}

// check lets a supervisor of the centre, or an admin, edit its roster.
func check(p postal.Principal, dcID string, edit bool) error {
	if !p.CanSeeDC(dcID) {
		return postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role != postal.RoleSupervisor && p.Role != postal.RoleAdmin {
		if edit {
			return postal.Errorf(postal.CodeForbidden, "only a supervisor may change the roster")
		}
		return postal.Errorf(postal.CodeForbidden, "only a supervisor may read the roster")
	}
	return nil
}

// parseDate reads a YYYY-MM-DD date.
func parseDate(field, s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != 10 {
		return time.Time{}, postal.Invalid("invalid date", postal.FieldError{Field: field, Message: "must be YYYY-MM-DD"})
	}
	return t, nil
}

// Get returns the roster from from to to (inclusive; at most MaxDays;
// from defaults to today in the centre's zone, to to from + 13 days).
func (s *Service) Get(ctx context.Context, p postal.Principal, dcID, from, to string) (View, error) {
	if err := check(p, dcID, false); err != nil {
		return View{}, err
	}
	dc, err := s.store.DC(ctx, dcID)
	if err != nil {
		return View{}, err
	}
	first, last, err := s.span(dc, from, to)
	if err != nil {
		return View{}, err
	}
	v := View{DCID: dcID, From: first.Format(time.DateOnly), To: last.Format(time.DateOnly), Days: []Day{}}
	cal, err := s.store.Calendar(ctx, dcID)
	if err != nil {
		return View{}, err
	}
	postmen, err := s.store.RosterPostmen(ctx, dcID)
	if err != nil {
		return View{}, err
	}
	entries, err := s.store.RosterEntries(ctx, dcID, v.From, v.To)
	if err != nil {
		return View{}, err
	}
	v.Postmen = persons(postmen)
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		v.Days = append(v.Days, ForDay(cal, d.Format(time.DateOnly), postmen, entries))
	}
	return v, nil
}

// span reads and checks a range of dates.
func (s *Service) span(dc centre.DC, from, to string) (time.Time, time.Time, error) {
	if from == "" {
		loc, err := time.LoadLocation(dc.TimeZone)
		if err != nil {
			return time.Time{}, time.Time{}, postal.Wrap(err, postal.CodeInternal, "centre has an unknown time zone")
		}
		from = slot.Today(s.now(), loc)
	}
	first, err := parseDate("from", from)
	if err != nil {
		return first, first, err
	}
	last := first.AddDate(0, 0, 13)
	if to != "" {
		if last, err = parseDate("to", to); err != nil {
			return first, last, err
		}
	}
	if last.Before(first) || last.Sub(first) >= MaxDays*24*time.Hour {
		return first, last, postal.Invalid("invalid range", postal.FieldError{Field: "to",
			Message: "must be on or after from, at most 62 days in all"})
	}
	return first, last, nil
}

func persons(postmen []Postman) []Person {
	out := make([]Person, 0, len(postmen))
	for _, p := range postmen {
		if p.Disabled {
			continue
		}
		pp := Person{UserID: p.UserID, Name: p.Name, HomeBeatID: p.HomeBeatID}
		if p.WeeklyOff != NoWeeklyOff {
			wd := p.WeeklyOff
			pp.WeeklyOff = &wd
		}
		out = append(out, pp)
	}
	return out
}

// postman finds a postman of the centre.
func (s *Service) postman(ctx context.Context, dcID, userID string) (Postman, error) {
	list, err := s.store.RosterPostmen(ctx, dcID)
	if err != nil {
		return Postman{}, err
	}
	for _, p := range list {
		if p.UserID == userID {
			return p, nil
		}
	}
	return Postman{}, postal.Errorf(postal.CodeNotFound, "no such postman at this centre")
}

// Put sets a postman's entry on a date and answers that date's roster.
// Putting the same entry again changes nothing.
func (s *Service) Put(ctx context.Context, p postal.Principal, dcID, date, userID string, in Input) (Day, error) {
	if err := check(p, dcID, true); err != nil {
		return Day{}, err
	}
	if _, err := parseDate("date", date); err != nil {
		return Day{}, err
	}
	dc, err := s.store.DC(ctx, dcID)
	if err != nil {
		return Day{}, err
	}
	if err := in.validate(dc); err != nil {
		return Day{}, err
	}
	if _, err := s.postman(ctx, dcID, userID); err != nil {
		return Day{}, err
	}
	e := Entry{UserID: userID, Date: date, Status: in.Status, CoversBeatID: in.CoversBeatID, Note: in.Note,
		UpdatedBy: p.UserID, UpdatedAt: s.now()}
	if err := s.store.PutRosterEntry(ctx, dcID, e, in.Slots); err != nil {
		return Day{}, err
	}
	return s.day(ctx, dcID, date)
}

// validate checks an entry against the centre's beats.
func (in *Input) validate(dc centre.DC) error {
	var fe []postal.FieldError
	switch in.Status {
	case OnDuty, Leave, Off:
	default:
		fe = append(fe, postal.FieldError{Field: "status", Message: "on_duty, leave or off"})
	}
	seen := map[postal.Slot]bool{}
	for _, sl := range in.Slots {
		if !sl.Valid() || seen[sl] {
			fe = append(fe, postal.FieldError{Field: "slots", Message: "morning, evening or sunday, each once"})
			break
		}
		seen[sl] = true
	}
	if utf8.RuneCountInString(in.Note) > 200 {
		fe = append(fe, postal.FieldError{Field: "note", Message: "at most 200 characters"})
	}
	if in.CoversBeatID != "" {
		if in.Status != OnDuty {
			fe = append(fe, postal.FieldError{Field: "covers_beat_id", Message: "only a postman on duty covers a beat"})
		} else if _, ok := beatOf(dc, in.CoversBeatID); !ok {
			fe = append(fe, postal.FieldError{Field: "covers_beat_id", Message: "not a beat of this centre"})
		}
	}
	if len(fe) > 0 {
		return postal.Invalid("invalid roster entry", fe...)
	}
	return nil
}

func beatOf(dc centre.DC, id string) (centre.Beat, bool) {
	for _, b := range dc.Beats {
		if b.ID == id {
			return b, true
		}
	}
	return centre.Beat{}, false
}

// Delete takes a postman back to the default on a date (in one slot when
// sl is not empty) and answers that date's roster.
func (s *Service) Delete(ctx context.Context, p postal.Principal, dcID, date, userID string, sl postal.Slot) (Day, error) {
	if err := check(p, dcID, true); err != nil {
		return Day{}, err
	}
	if _, err := parseDate("date", date); err != nil {
		return Day{}, err
	}
	if sl != "" && !sl.Valid() {
		return Day{}, postal.Invalid("invalid slot", postal.FieldError{Field: "slot", Message: "morning, evening or sunday"})
	}
	if _, err := s.postman(ctx, dcID, userID); err != nil {
		return Day{}, err
	}
	if _, err := s.store.DeleteRosterEntries(ctx, userID, date, sl); err != nil {
		return Day{}, err
	}
	return s.day(ctx, dcID, date)
}

// PutWeeklyOff sets a postman's weekly off day (nil: none).
func (s *Service) PutWeeklyOff(ctx context.Context, p postal.Principal, dcID, userID string, weekday *int) (Person, error) {
	if err := check(p, dcID, true); err != nil {
		return Person{}, err
	}
	if weekday != nil && (*weekday < 0 || *weekday > 6) {
		return Person{}, postal.Invalid("invalid weekly off", postal.FieldError{Field: "weekday", Message: "0 (Sunday) to 6 (Saturday), or null"})
	}
	pm, err := s.postman(ctx, dcID, userID)
	if err != nil {
		return Person{}, err
	}
	pm.WeeklyOff = NoWeeklyOff
	if weekday != nil {
		pm.WeeklyOff = *weekday
	}
	if err := s.store.PutWeeklyOff(ctx, dcID, userID, pm.WeeklyOff, p.UserID, s.now()); err != nil {
		return Person{}, err
	}
	pm.Disabled = false // answered even so
	return persons([]Postman{pm})[0], nil
}

// day is one date's roster.
func (s *Service) day(ctx context.Context, dcID, date string) (Day, error) {
	cal, err := s.store.Calendar(ctx, dcID)
	if err != nil {
		return Day{}, err
	}
	postmen, err := s.store.RosterPostmen(ctx, dcID)
	if err != nil {
		return Day{}, err
	}
	entries, err := s.store.RosterEntries(ctx, dcID, date, date)
	if err != nil {
		return Day{}, err
	}
	return ForDay(cal, date, postmen, entries), nil
}
