package progress

import (
	"context"
	"time"

	"dakiya/internal/postal"
)

// Service reads a slot's progress for the supervisors of its centre and
// for admins.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// Board returns the progress of a centre's slot on a date. A postman gets
// CodeForbidden; a supervisor of another centre, or an unknown centre,
// CodeNotFound.
func (s *Service) Board(ctx context.Context, p postal.Principal, dc, date, slot string) (Board, error) {
	if !p.CanSeeDC(dc) {
		return Board{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role == postal.RolePostman {
		return Board{}, postal.Errorf(postal.CodeForbidden, "only supervisors and admins watch a slot's progress")
	}
	if err := checkDay(date, slot); err != nil {
		return Board{}, err
	}
	centre, err := s.store.DC(ctx, dc)
	if err != nil {
		return Board{}, err
	}
	list, err := s.store.Progress(ctx, dc, date, postal.Slot(slot))
	if err != nil {
		return Board{}, err
	}
	loc := zone(centre.TimeZone)
	b := Board{DCID: dc, Date: date, Slot: slot, Beats: make([]Beat, len(list))}
	now := s.now()
	for i, m := range list {
		b.Beats[i] = beat(m, now, loc)
	}
	return b, nil
}

// beat counts a manifest's stops. A pending stop is overdue once now is
// past the manifest's window end, the end of its slot on its date.
func beat(m Manifest, now time.Time, loc *time.Location) Beat {
	b := Beat{ManifestID: m.ID, BeatID: m.BeatID, Status: m.Status, Version: m.Version,
		Postman: Postman{ID: m.PostmanID, Name: m.PostmanName}, Overdue: []OverdueStop{},
		WindowEnd: stamp(m.WindowEnd, loc)}
	late := !m.WindowEnd.IsZero() && now.After(m.WindowEnd)
	for _, st := range m.Stops {
		switch st.Outcome {
		case "delivered":
			b.Delivered++
		case "failed":
			b.Failed++
		default:
			b.Pending++
			if late {
				b.Overdue = append(b.Overdue, OverdueStop{ArticleID: st.ArticleID, Seq: st.Seq})
			}
		}
	}
	if m.LastSync != nil {
		b.LastSync = stamp(*m.LastSync, loc)
	}
	if p := m.Position; p != nil {
		b.LastPosition = &PositionView{Lat: p.Lat, Lon: p.Lon, AccuracyM: p.AccuracyM, At: *stamp(p.At, loc)}
	}
	return b
}

// stamp formats t in loc, or nil when t is zero.
func stamp(t time.Time, loc *time.Location) *string {
	if t.IsZero() {
		return nil
	}
	v := t.In(loc).Format(time.RFC3339Nano)
	return &v
}

// zone returns a centre's time zone, or India's when it cannot be read.
func zone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.FixedZone("IST", 5*3600+1800)
}

// checkDay validates the date and slot asked for.
func checkDay(date, slot string) error {
	var fe []postal.FieldError
	if d, err := time.Parse(time.DateOnly, date); err != nil || d.Format(time.DateOnly) != date {
		fe = append(fe, postal.FieldError{Field: "date", Message: "required, YYYY-MM-DD"})
	}
	if !postal.Slot(slot).Valid() {
		fe = append(fe, postal.FieldError{Field: "slot", Message: "required: morning, evening or sunday"})
	}
	if len(fe) > 0 {
		return postal.Invalid("invalid query", fe...)
	}
	return nil
}
