package article

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"dakiya/internal/postal"
)

// Detail is the staff view of an article.
type Detail struct {
	Article
	Events []Event `json:"events"`
	Proofs []any   `json:"proofs"`
}

// Get returns an article with its events to staff of its centre; to anyone
// else it does not exist.
func (s *Service) Get(ctx context.Context, p postal.Principal, rawID string) (Detail, error) {
	a, err := s.visible(ctx, p, rawID)
	if err != nil {
		return Detail{}, err
	}
	evs, err := s.store.Events(ctx, a.ID)
	if err != nil {
		return Detail{}, err
	}
	return Detail{Article: a, Events: evs, Proofs: []any{}}, nil
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
	Status, Date, Slot, Beat, Limit, Next string
}

// List returns a page of a centre's articles to its staff.
func (s *Service) List(ctx context.Context, p postal.Principal, dc string, q Query) (Page, error) {
	if !p.CanSeeDC(dc) {
		return Page{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
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
	f := Filter{Status: Status(q.Status), Date: q.Date, Slot: postal.Slot(q.Slot), BeatID: q.Beat, Limit: 100}
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
	return t, nil
}
