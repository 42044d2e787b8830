package proof

import (
	"context"
	"time"

	"dakiya/internal/paging"
	"dakiya/internal/postal"
)

// Seen is what of a proof a view read.
type Seen string

// What a view reads.
const (
	SeenMetadata Seen = "metadata" // its record: kind, size, hash, dimensions
	SeenContent  Seen = "content"  // its bytes, streamed or through a link
)

// Viewing is one recorded view of a proof.
type Viewing struct {
	ID         string
	ProofID    string
	ViewerID   string
	ViewerName string // filled when read back
	Role       postal.Role
	What       Seen
	At         time.Time
}

// ViewingView is a Viewing as the API shows it.
type ViewingView struct {
	ID      string     `json:"id"`
	ProofID string     `json:"proof_id"`
	Viewer  ViewerView `json:"viewer"`
	What    Seen       `json:"what"`
	At      string     `json:"at"`
}

// ViewerView is who viewed a proof.
type ViewerView struct {
	ID   string      `json:"id"`
	Name string      `json:"name"`
	Role postal.Role `json:"role"`
}

// View returns v for the API, its time in the centre's zone tz.
func (v Viewing) View(tz string) ViewingView {
	return ViewingView{ID: v.ID, ProofID: v.ProofID, What: v.What,
		Viewer: ViewerView{ID: v.ViewerID, Name: v.ViewerName, Role: v.Role},
		At:     v.At.In(zone(tz)).Format(time.RFC3339Nano)}
}

// Open returns a proof's metadata to whoever may see it, as Get does,
// after recording the view: evidence is never shown unrecorded, so a
// failure to record refuses the view with CodeUnavailable.
func (s *Service) Open(ctx context.Context, p postal.Principal, id string, what Seen) (Meta, error) {
	m, err := s.Get(ctx, p, id)
	if err != nil {
		return Meta{}, err
	}
	v := Viewing{ID: s.newID(), ProofID: m.ID, ViewerID: p.UserID, Role: p.Role, What: what, At: s.now()}
	if err := s.store.RecordProofView(ctx, v); err != nil {
		return Meta{}, postal.Wrap(err, postal.CodeUnavailable, "the view of this proof could not be recorded; try again")
	}
	return m, nil
}

// Views lists who viewed a proof, oldest first, to an admin or a
// supervisor of its centre. The capturing postman may see the proof but
// not its audit; to anyone else it does not exist.
//
// They come in pages of limit after the cursor next (both as sent).
func (s *Service) Views(ctx context.Context, p postal.Principal, id, limit, next string) (paging.Page[ViewingView], error) {
	m, err := s.Get(ctx, p, id)
	if err != nil {
		return paging.Page[ViewingView]{}, err
	}
	if p.Role == postal.RolePostman {
		return paging.Page[ViewingView]{}, postal.Errorf(postal.CodeForbidden, "only supervisors and admins read who viewed a proof")
	}
	scope := paging.Scope("proof-views", m.ID)
	r, err := paging.Parse(scope, limit, next, paging.Int, paging.Str)
	if err != nil {
		return paging.Page[ViewingView]{}, err
	}
	list, err := s.store.ProofViewsPage(ctx, m.ID, r.After, r.Fetch())
	if err != nil {
		return paging.Page[ViewingView]{}, err
	}
	page := paging.Cut(scope, r, list, func(v Viewing) []any { return []any{v.At.UnixMilli(), v.ID} })
	out := paging.Page[ViewingView]{Items: make([]ViewingView, len(page.Items)), Next: page.Next}
	for i, v := range page.Items {
		out.Items[i] = v.View(m.TimeZone)
	}
	return out, nil
}
