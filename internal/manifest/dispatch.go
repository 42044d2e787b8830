package manifest

import (
	"context"
	"encoding/json"
	"fmt"

	"dakiya/internal/article"
	"dakiya/internal/postal"
)

// load reads a stored manifest and decodes its body.
func (s *Service) load(ctx context.Context, id string) (Record, Manifest, error) {
	r, err := s.store.Manifest(ctx, id)
	if err != nil {
		return Record{}, Manifest{}, err
	}
	var m Manifest
	if err := json.Unmarshal(r.Body, &m); err != nil {
		return Record{}, Manifest{}, fmt.Errorf("manifest: decode %s: %w", id, err)
	}
	r.Articles = articleIDs(m)
	return r, m, nil
}

// articleIDs lists a manifest's articles in route order.
func articleIDs(m Manifest) []string {
	var ids []string
	for _, st := range m.Stops {
		for _, it := range st.Articles {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

// supervised loads a manifest for a supervisor (or admin) of its centre.
func (s *Service) supervised(ctx context.Context, p postal.Principal, id string) (Record, Manifest, error) {
	r, m, err := s.load(ctx, id)
	if err != nil {
		return Record{}, Manifest{}, err
	}
	if !p.CanSeeDC(r.DCID) {
		return Record{}, Manifest{}, postal.Errorf(postal.CodeNotFound, "manifest not found")
	}
	if p.Role != postal.RoleSupervisor && p.Role != postal.RoleAdmin {
		return Record{}, Manifest{}, postal.Errorf(postal.CodeForbidden, "only a supervisor may do this")
	}
	return r, m, nil
}

// Dispatch sends a draft out: its articles become out for delivery, each
// with its tracking event, and the postman's phone can fetch it. A
// manifest already dispatched is returned as it is, so a retry is safe.
func (s *Service) Dispatch(ctx context.Context, p postal.Principal, id string) (Summary, error) {
	r, m, err := s.supervised(ctx, p, id)
	if err != nil || r.Status == StatusDispatched {
		return r.Summary, err
	}
	dc, err := s.store.DC(ctx, r.DCID)
	if err != nil {
		return Summary{}, err
	}
	m.Status = StatusDispatched
	next, err := render(m, r.Booked, r.Capacity, s.now())
	if err != nil {
		return Summary{}, err
	}
	ev := article.Event{Event: article.EventOutForDelivery, Status: article.StatusOutForDelivery,
		Code: article.UPUCode(article.EventOutForDelivery), At: s.now(), Place: dc.Name, ActorID: p.UserID}
	if err := s.store.Dispatch(ctx, next, ev); err != nil {
		return Summary{}, err
	}
	return next.Summary, nil
}

// Amendment changes a dispatched manifest.
type Amendment struct {
	Add    []string `json:"add"`
	Remove []string `json:"remove"`
}

// Amend adds articles to or takes them off a dispatched manifest: added
// ones (scheduled, of the same centre) go out for delivery, removed ones
// (still out) go back to the counter. The stops are re-ordered and the
// version bumped, so the phone sees a new ETag.
func (s *Service) Amend(ctx context.Context, p postal.Principal, id string, am Amendment) (Summary, error) {
	r, m, err := s.supervised(ctx, p, id)
	if err != nil {
		return Summary{}, err
	}
	if r.Status != StatusDispatched {
		return Summary{}, postal.Errorf(postal.CodeConflict, "a draft is rebuilt, not amended")
	}
	arts, added, removed, err := s.amended(ctx, r, am)
	if err != nil {
		return Summary{}, err
	}
	dc, err := s.store.DC(ctx, r.DCID)
	if err != nil {
		return Summary{}, err
	}
	m.Version++
	s.layout(ctx, &m, dc, arts)
	next, err := render(m, booked(arts), r.Capacity, s.now())
	if err != nil {
		return Summary{}, err
	}
	now, note := s.now(), fmt.Sprintf("manifest %s v%d", m.ID, m.Version)
	out := article.Event{Event: article.EventOutForDelivery, Status: article.StatusOutForDelivery,
		Code: article.UPUCode(article.EventOutForDelivery), At: now, Place: dc.Name, ActorID: p.UserID, Note: note}
	held := article.Event{Event: article.EventHeldAtCounter, Status: article.StatusHeld,
		Code: article.UPUCode(article.EventHeldAtCounter), At: now, Place: dc.Name, ActorID: p.UserID, Note: "taken off " + note}
	if err := s.store.Amend(ctx, next, added, removed, out, held); err != nil {
		return Summary{}, err
	}
	return next.Summary, nil
}
