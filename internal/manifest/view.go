package manifest

import (
	"context"
	"time"

	"dakiya/internal/postal"
)

// Get returns a manifest to the supervisor of its centre, or to its
// postman once it is dispatched; to anyone else it does not exist.
func (s *Service) Get(ctx context.Context, p postal.Principal, id string) (Record, error) {
	return s.get(ctx, p, id, s.store.Manifest)
}

func (s *Service) get(ctx context.Context, p postal.Principal, id string, read func(context.Context, string) (Record, error)) (Record, error) {
	r, err := read(ctx, id)
	if err != nil {
		return Record{}, err
	}
	if !visible(p, r) {
		return Record{}, postal.Errorf(postal.CodeNotFound, "manifest not found")
	}
	return r, nil
}

func visible(p postal.Principal, r Record) bool {
	switch p.Role {
	case postal.RoleAdmin:
		return true
	case postal.RoleSupervisor:
		return p.DCID == r.DCID
	case postal.RolePostman:
		return p.UserID == r.PostmanID && r.Status == StatusDispatched
	}
	return false
}

// Mine lists a postman's dispatched manifests, optionally for one date and
// slot.
func (s *Service) Mine(ctx context.Context, p postal.Principal, date, sl string) ([]Summary, error) {
	if p.Role != postal.RolePostman {
		return nil, postal.Errorf(postal.CodeForbidden, "only a postman has manifests of their own")
	}
	f, err := filter(date, sl)
	if err != nil {
		return nil, err
	}
	f.PostmanID, f.Status = p.UserID, StatusDispatched
	return s.store.Manifests(ctx, f)
}

// List lists a centre's manifests for its supervisor.
func (s *Service) List(ctx context.Context, p postal.Principal, dc, date, sl string) ([]Summary, error) {
	if !p.CanSeeDC(dc) {
		return nil, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role == postal.RolePostman {
		return nil, postal.Errorf(postal.CodeForbidden, "postmen see their own manifests at /me/manifests")
	}
	if _, err := s.store.DC(ctx, dc); err != nil { // an admin may name a centre that does not exist
		return nil, err
	}
	f, err := filter(date, sl)
	if err != nil {
		return nil, err
	}
	f.DCID = dc
	return s.store.Manifests(ctx, f)
}

func filter(date, sl string) (Filter, error) {
	var fe []postal.FieldError
	if date != "" {
		if _, err := time.Parse(time.DateOnly, date); err != nil || len(date) != 10 {
			fe = append(fe, postal.FieldError{Field: "date", Message: "must be YYYY-MM-DD"})
		}
	}
	if sl != "" && !postal.Slot(sl).Valid() {
		fe = append(fe, postal.FieldError{Field: "slot", Message: "must be morning, evening or sunday"})
	}
	if len(fe) > 0 {
		return Filter{}, postal.Invalid("invalid query", fe...)
	}
	return Filter{Date: date, Slot: postal.Slot(sl)}, nil
}

// ParseBuild validates a build request's date and slot.
func ParseBuild(date string, sl postal.Slot) error {
	_, err := filter(date, string(sl))
	if err == nil && (date == "" || sl == "") {
		err = postal.Invalid("date and slot are required")
	}
	return err
}
