package slot

import (
	"context"
	"strconv"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/postal"
)

// Horizon is how many days ahead scheduling and recipients look for a slot.
const Horizon = 14

// Key names a slot on a date.
type Key struct {
	Date string
	Slot postal.Slot
}

// Change moves one article into a slot, atomically: the new slot's load
// grows by Load if it stays within Capacity (else a conflict), the old
// slot's load shrinks, the status moves from From and Event is recorded.
type Change struct {
	ArticleID string
	From      article.Status
	Event     article.Event
	BeatID    string
	Load      int // hundredths of a letter
	Capacity  int // of the new slot, hundredths of a letter
	Old       *article.Schedule
	New       article.Schedule
	// MaxChanges, when above zero, caps the changes a recipient's link may
	// make to this article: the store counts this one only if fewer were
	// made, else refuses the change (postal.CodeRateLimited).
	MaxChanges int
}

// MaxRecipientChanges is how many times a recipient may change an
// article's slot through its links: enough to change one's mind, not to
// churn the centre's plan.
const MaxRecipientChanges = 5

// Store is what slot needs from the database.
type Store interface {
	DC(ctx context.Context, id string) (centre.DC, error)
	Calendar(ctx context.Context, dc string) (Calendar, error) // the default when none is stored
	PutCalendar(ctx context.Context, dc string, c Calendar, at time.Time) error
	Article(ctx context.Context, id string) (article.Article, error)
	// ArticlesToSchedule lists a centre's articles waiting for a slot, oldest first.
	ArticlesToSchedule(ctx context.Context, dc string) ([]article.Article, error)
	// SlotLoads sums the load booked on a beat's slots between two dates.
	SlotLoads(ctx context.Context, dc, beat, from, to string) (map[Key]int, error)
	Reschedule(ctx context.Context, c Change) error
}

// Service runs calendars and scheduling.
type Service struct {
	store Store
	links Links
	now   func() time.Time
}

// New returns a Service.
func New(store Store, links Links, now func() time.Time) *Service {
	return &Service{store: store, links: links, now: now}
}

// CalendarView is a calendar with the centre's time zone.
type CalendarView struct {
	DCID     string `json:"dc_id"`
	TimeZone string `json:"time_zone"`
	Calendar
}

// centre loads a centre p may see, with its zone.
func (s *Service) centre(ctx context.Context, p postal.Principal, dc string) (centre.DC, *time.Location, error) {
	if !p.CanSeeDC(dc) {
		return centre.DC{}, nil, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	return s.centreZone(ctx, dc)
}

func (s *Service) centreZone(ctx context.Context, dc string) (centre.DC, *time.Location, error) {
	c, err := s.store.DC(ctx, dc)
	if err != nil {
		return centre.DC{}, nil, err
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return centre.DC{}, nil, postal.Wrap(err, postal.CodeInternal, "centre has an unknown time zone")
	}
	return c, loc, nil
}

// Calendar returns a centre's calendar.
func (s *Service) Calendar(ctx context.Context, p postal.Principal, dc string) (CalendarView, error) {
	c, _, err := s.centre(ctx, p, dc)
	if err != nil {
		return CalendarView{}, err
	}
	cal, err := s.store.Calendar(ctx, dc)
	return CalendarView{DCID: dc, TimeZone: c.TimeZone, Calendar: cal}, err
}

// PutCalendar replaces a centre's calendar; its supervisor or an admin may.
// timeZone, when given, must be the centre's own: the zone belongs to the
// centre, not to its calendar.
func (s *Service) PutCalendar(ctx context.Context, p postal.Principal, dc string, cal Calendar, timeZone string) (CalendarView, error) {
	c, _, err := s.centre(ctx, p, dc)
	if err != nil {
		return CalendarView{}, err
	}
	if p.Role == postal.RolePostman {
		return CalendarView{}, postal.Errorf(postal.CodeForbidden, "only a supervisor may change the calendar")
	}
	if timeZone != "" && timeZone != c.TimeZone {
		return CalendarView{}, postal.Invalid("invalid calendar",
			postal.FieldError{Field: "time_zone", Message: "is the centre's own (" + c.TimeZone + "); it is not set here"})
	}
	if err := cal.Validate(); err != nil {
		return CalendarView{}, err
	}
	if err := s.store.PutCalendar(ctx, dc, cal, s.now()); err != nil {
		return CalendarView{}, err
	}
	return CalendarView{DCID: dc, TimeZone: c.TimeZone, Calendar: cal}, nil
}

// Slots lists the slots a centre runs on days days from from (default:
// today in the centre's zone, 7 days; at most 62).
func (s *Service) Slots(ctx context.Context, p postal.Principal, dc, from, days string) ([]Instance, error) {
	_, loc, err := s.centre(ctx, p, dc)
	if err != nil {
		return nil, err
	}
	n := 7
	if days != "" {
		if n, err = strconv.Atoi(days); err != nil || n < 1 || n > 62 {
			return nil, postal.Invalid("invalid query", postal.FieldError{Field: "days", Message: "1 to 62"})
		}
	}
	if from == "" {
		from = Today(s.now(), loc)
	} else if _, err := time.Parse(time.DateOnly, from); err != nil || len(from) != 10 {
		return nil, postal.Invalid("invalid query", postal.FieldError{Field: "from", Message: "must be YYYY-MM-DD"})
	}
	cal, err := s.store.Calendar(ctx, dc)
	if err != nil {
		return nil, err
	}
	return cal.Instances(from, n, loc, s.now()), nil
}
