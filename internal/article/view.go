package article

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"dakiya/internal/postal"
)

// Detail is the staff view of an article.
type Detail struct {
	Article
	Events []Event `json:"events"`
	Proofs []any   `json:"proofs"`
	// Assignments and Deliveries (its outcomes) are the supervisor's
	// view: left out for a postman.
	Assignments []Assignment `json:"assignments,omitzero"`
	Deliveries  []any        `json:"deliveries,omitzero"`
}

// Get returns an article with its events to staff of its centre, and its
// custody periods to its supervisor or an admin; to anyone else it does
// not exist.
func (s *Service) Get(ctx context.Context, p postal.Principal, rawID string) (Detail, error) {
	a, err := s.visible(ctx, p, rawID)
	if err != nil {
		return Detail{}, err
	}
	evs, err := s.store.Events(ctx, a.ID)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Article: a, Events: evs, Proofs: []any{}}
	if p.Role == postal.RoleSupervisor || p.Role == postal.RoleAdmin {
		if d.Assignments, err = s.store.Assignments(ctx, a.ID); err != nil {
			return Detail{}, err
		}
	}
	return d, nil
}

// visible loads an article that p may see.
func (s *Service) visible(ctx context.Context, p postal.Principal, rawID string) (Article, error) {
	id, err := postal.ParseS10(rawID)
	if err != nil {
		return Article{}, err
	}
	a, err := s.store.Article(ctx, string(id))
	if err != nil {
		return Article{}, err
	}
	if !p.CanSeeDC(a.DCID) {
		return Article{}, postal.Errorf(postal.CodeNotFound, "article not found")
	}
	return a, nil
}

// Page is one page of a list.
type Page struct {
	Items []Article `json:"items"`
	Next  string    `json:"next,omitempty"`
}

// Query is a list request as it arrives: every field a string.
type Query struct {
	Q, Status, Date, Slot, Beat, Flag, Limit, Next string
}

// List returns a page of a centre's articles to its supervisor (or an
// admin), searched and filtered as q says.
func (s *Service) List(ctx context.Context, p postal.Principal, dc string, q Query) (Page, error) {
	if !p.CanSeeDC(dc) {
		return Page{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role != postal.RoleSupervisor && p.Role != postal.RoleAdmin {
		return Page{}, postal.Errorf(postal.CodeForbidden, "only a supervisor lists a centre's articles")
	}
	if _, err := s.store.DC(ctx, dc); err != nil { // an admin may name a centre that does not exist
		return Page{}, err
	}
	f, err := parseQuery(q)
	if err != nil {
		return Page{}, err
	}
	items, err := s.store.ListArticles(ctx, dc, f)
	if err != nil {
		return Page{}, err
	}
	page := Page{Items: items}
	if len(items) == f.Limit {
		page.Next = base64.RawURLEncoding.EncodeToString([]byte(items[len(items)-1].ID))
	}
	return page, nil
}

// parseQuery validates a list query.
func parseQuery(q Query) (Filter, error) {
	var fe []postal.FieldError
	add := func(f, m string) { fe = append(fe, postal.FieldError{Field: f, Message: m}) }
	f := Filter{Status: Status(q.Status), Date: q.Date, Slot: postal.Slot(q.Slot), BeatID: q.Beat, Flag: q.Flag, Limit: 100}
	if q.Q != "" {
		sr, msg := parseSearch(q.Q)
		if msg != "" {
			add("q", msg)
		}
		f.Search = sr
	}
	if q.Flag != "" && !validFlag(q.Flag) {
		add("flag", "unknown flag")
	}
	if len(q.Beat) > 64 {
		add("beat", "at most 64 characters")
	}
	if q.Status != "" && !f.Status.Valid() {
		add("status", "unknown status")
	}
	if q.Date != "" && !validDate(q.Date) {
		add("date", "must be YYYY-MM-DD")
	}
	if q.Slot != "" && !f.Slot.Valid() {
		add("slot", "must be morning, evening or sunday")
	}
	if q.Limit != "" {
		n, err := strconv.Atoi(q.Limit)
		if err != nil || n < 1 || n > 1000 {
			add("limit", "must be 1 to 1000")
		}
		f.Limit = n
	}
	if q.Next != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.Next)
		if err != nil || len(b) == 0 || len(b) > 64 {
			add("next", "not a cursor from this list")
		}
		f.After = string(b)
	}
	if len(fe) > 0 {
		return Filter{}, postal.Invalid("invalid query", fe...)
	}
	return f, nil
}

// validDate reports whether s is a real YYYY-MM-DD date.
func validDate(s string) bool {
	if len(s) != 10 || strings.Count(s, "-") != 2 {
		return false
	}
	_, err := parseDate(s)
	return err == nil
}

// Tracking is the public view of an article: no name, phone or address.
type Tracking struct {
	ID     string       `json:"id"`
	Status Status       `json:"status"`
	Events []TrackEvent `json:"events"`
	// Window is when the postman is due: the booked slot's hours while the
	// article waits for them or is on its way; null otherwise.
	Window *TrackWindow `json:"window"`
}

// TrackWindow is a booked delivery window, in the centre's zone.
type TrackWindow struct {
	Date  string      `json:"date"`
	Slot  postal.Slot `json:"slot"`
	Start string      `json:"start"` // RFC 3339 with the centre's offset
	End   string      `json:"end"`
}

// Windows finds a slot's hours on a date at a centre, in the centre's zone;
// ok is false when that slot does not run that day.
type Windows interface {
	Window(ctx context.Context, dc string, sc Schedule) (start, end time.Time, ok bool, err error)
}

// WithWindows makes tracking show the booked delivery window, found by w.
func (s *Service) WithWindows(w Windows) *Service {
	s.windows = w
	return s
}

// window returns an article's booked window, if it has one that is still
// to come: once delivered, attempted, held or returned, the booking is
// history.
func (s *Service) window(ctx context.Context, a Article, loc *time.Location) (*TrackWindow, error) {
	if s.windows == nil || a.Schedule == nil || (a.Status != StatusScheduled && a.Status != StatusOutForDelivery) {
		return nil, nil
	}
	start, end, ok, err := s.windows.Window(ctx, a.DCID, *a.Schedule)
	if err != nil || !ok {
		return nil, err
	}
	return &TrackWindow{Date: a.Schedule.Date, Slot: a.Schedule.Slot,
		Start: start.In(loc).Format(timeLayout), End: end.In(loc).Format(timeLayout)}, nil
}

// TrackEvent is one event in the public view.
type TrackEvent struct {
	Event EventName `json:"event"`
	Code  string    `json:"code"` // UPU EMSEVT, "" for events UPU has no code for
	At    string    `json:"at"`
	Place string    `json:"place"`
}

// Track returns the public view of an article. A malformed id is invalid;
// an unknown one is not found.
func (s *Service) Track(ctx context.Context, rawID string) (Tracking, error) {
	id, err := postal.ParseS10(rawID)
	if err != nil {
		return Tracking{}, err
	}
	a, err := s.store.Article(ctx, string(id))
	if err != nil {
		return Tracking{}, err
	}
	evs, err := s.store.Events(ctx, a.ID)
	if err != nil {
		return Tracking{}, err
	}
	t := Tracking{ID: a.ID, Status: a.Status, Events: make([]TrackEvent, 0, len(evs))}
	loc := s.zone(ctx, a.DCID)
	for _, e := range evs {
		t.Events = append(t.Events, TrackEvent{Event: e.Event, Code: e.Code, At: e.At.In(loc).Format(timeLayout), Place: e.Place})
	}
	if t.Window, err = s.window(ctx, a, loc); err != nil {
		return Tracking{}, err
	}
	return t, nil
}
