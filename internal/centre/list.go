package centre

import (
	"context"

	"dakiya/internal/paging"
	"dakiya/internal/postal"
)

// List returns the centres p may manage by id, with their beats: every
// centre for an admin, their own for a supervisor; a postman is forbidden.
// They come in pages of limit after the cursor next (both as sent).
func (s *Service) List(ctx context.Context, p postal.Principal, limit, next string) (paging.Page[DC], error) {
	if p.Role == postal.RolePostman {
		return paging.Page[DC]{}, postal.Errorf(postal.CodeForbidden, "only a supervisor or an admin lists centres")
	}
	only := p.DCID
	if p.Role == postal.RoleAdmin {
		only = ""
	}
	scope := paging.Scope("dcs", only)
	r, err := paging.Parse(scope, limit, next, paging.Str)
	if err != nil {
		return paging.Page[DC]{}, err
	}
	list, err := s.store.DCsPage(ctx, only, r.After, r.Fetch())
	if err != nil {
		return paging.Page[DC]{}, err
	}
	return paging.Cut(scope, r, list, func(dc DC) []any { return []any{dc.ID} }), nil
}

// Beats returns a centre's beats by id with their DIGIPIN prefixes, for
// its supervisor or an admin, in pages of limit after the cursor next
// (both as sent); a postman is forbidden, staff of another centre are told
// it does not exist.
func (s *Service) Beats(ctx context.Context, p postal.Principal, dc, limit, next string) (paging.Page[Beat], error) {
	if !p.CanSeeDC(dc) {
		return paging.Page[Beat]{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role == postal.RolePostman {
		return paging.Page[Beat]{}, postal.Errorf(postal.CodeForbidden, "only a supervisor or an admin lists beats")
	}
	scope := paging.Scope("beats", dc)
	r, err := paging.Parse(scope, limit, next, paging.Str)
	if err != nil {
		return paging.Page[Beat]{}, err
	}
	if ok, err := s.store.DCExists(ctx, dc); err != nil || !ok {
		if err == nil {
			err = postal.Errorf(postal.CodeNotFound, "delivery centre not found")
		}
		return paging.Page[Beat]{}, err
	}
	list, err := s.store.BeatsPage(ctx, dc, r.After, r.Fetch())
	if err != nil {
		return paging.Page[Beat]{}, err
	}
	return paging.Cut(scope, r, list, func(b Beat) []any { return []any{b.ID} }), nil
}
