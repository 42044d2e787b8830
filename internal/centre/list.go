package centre

import (
	"context"

	"dakiya/internal/postal"
)

// List returns the centres p may manage, with their beats: every centre
// for an admin, their own for a supervisor; a postman is forbidden.
func (s *Service) List(ctx context.Context, p postal.Principal) ([]DC, error) {
	if p.Role == postal.RolePostman {
		return nil, postal.Errorf(postal.CodeForbidden, "only a supervisor or an admin lists centres")
	}
	ids := []string{p.DCID}
	if p.Role == postal.RoleAdmin {
		var err error
		if ids, err = s.store.DCIDs(ctx); err != nil {
			return nil, err
		}
	}
	out := make([]DC, 0, len(ids))
	for _, id := range ids {
		dc, err := s.store.DC(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, dc)
	}
	return out, nil
}

// Beats returns a centre's beats with their DIGIPIN prefixes, for its
// supervisor or an admin; a postman is forbidden, staff of another
// centre are told it does not exist.
func (s *Service) Beats(ctx context.Context, p postal.Principal, dc string) ([]Beat, error) {
	if !p.CanSeeDC(dc) {
		return nil, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role == postal.RolePostman {
		return nil, postal.Errorf(postal.CodeForbidden, "only a supervisor or an admin lists beats")
	}
	got, err := s.store.DC(ctx, dc)
	return got.Beats, err
}
