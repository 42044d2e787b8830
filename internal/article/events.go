package article

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"dakiya/internal/postal"
)

// timeLayout is RFC 3339 with the centre's offset, e.g. 2026-11-25T09:30:00+05:30.
const timeLayout = time.RFC3339

func parseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// zone returns the time zone of a centre, or India's when it cannot be read.
func (s *Service) zone(ctx context.Context, dcID string) *time.Location {
	if dc, err := s.store.DC(ctx, dcID); err == nil {
		if loc, err := time.LoadLocation(dc.TimeZone); err == nil {
			return loc
		}
	}
	return time.FixedZone("IST", 5*3600+1800)
}

// Manual is an event a supervisor records by hand: the article arrived,
// is held at the counter, or goes back to the sender.
type Manual struct {
	Event      EventName `json:"event"`
	ReasonCode string    `json:"reason_code,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// Record applies a supervisor's manual event to an article, refusing any
// move the status machine does not allow.
func (s *Service) Record(ctx context.Context, p postal.Principal, rawID string, m Manual) (Detail, error) {
	if p.Role != postal.RoleSupervisor && p.Role != postal.RoleAdmin {
		return Detail{}, postal.Errorf(postal.CodeForbidden, "only a supervisor may record this event")
	}
	a, err := s.visible(ctx, p, rawID)
	if err != nil {
		return Detail{}, err
	}
	if err := validateManual(m); err != nil {
		return Detail{}, err
	}
	to, err := Next(a.Status, m.Event)
	if err != nil {
		return Detail{}, err
	}
	dc, err := s.store.DC(ctx, a.DCID)
	if err != nil {
		return Detail{}, err
	}
	e := Event{Event: m.Event, Status: to, Code: UPUCode(m.Event), At: s.now(), Place: dc.Name,
		ReasonCode: m.ReasonCode, ActorID: p.UserID, Note: strings.TrimSpace(m.Note)}
	if err := s.store.AppendEvent(ctx, a.ID, a.Status, e, nil); err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, p, a.ID)
}

func validateManual(m Manual) error {
	var fe []postal.FieldError
	switch m.Event {
	case EventReceivedAtDC, EventHeldAtCounter, EventReturnedToSender:
	default:
		fe = append(fe, postal.FieldError{Field: "event", Message: "must be received_at_dc, held_at_counter or returned_to_sender"})
	}
	if m.ReasonCode != "" {
		if _, ok := Reason(m.ReasonCode); !ok {
			fe = append(fe, postal.FieldError{Field: "reason_code", Message: "not a known reason code"})
		}
	}
	if m.Event == EventReturnedToSender && m.ReasonCode == "" {
		fe = append(fe, postal.FieldError{Field: "reason_code", Message: "a return needs a reason"})
	}
	if utf8.RuneCountInString(m.Note) > 500 {
		fe = append(fe, postal.FieldError{Field: "note", Message: "at most 500 characters"})
	}
	if len(fe) > 0 {
		return postal.Invalid("invalid event", fe...)
	}
	return nil
}
