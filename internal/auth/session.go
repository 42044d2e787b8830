package auth

import (
	"context"

	"dakiya/internal/postal"
)

// start opens a new refresh family for u.
func (s *Service) start(ctx context.Context, u User) (Session, error) {
	value, hash, err := newRefresh()
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	t := RefreshToken{Hash: hash, FamilyID: s.newID(), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.policy.RefreshTTL)}
	if err := s.store.CreateRefreshFamily(ctx, t); err != nil {
		return Session{}, err
	}
	return s.session(u, value)
}

// Refresh rotates a refresh token: the presented token stops working and a
// new one of the same family takes its place, expiring when the family's
// shift ends. Presenting a token that was already rotated out means it was
// copied: the whole family is revoked, so both the thief's and the owner's
// sessions end.
func (s *Service) Refresh(ctx context.Context, value string) (Session, error) {
	old, err := s.liveToken(ctx, value)
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	won, err := s.store.UseRefreshToken(ctx, old.Hash, now)
	if err != nil {
		return Session{}, err
	}
	if !won {
		return Session{}, s.revokeForReuse(ctx, old.FamilyID)
	}
	u, err := s.store.UserByID(ctx, old.UserID)
	if err != nil {
		return Session{}, err
	}
	if u.Disabled {
		return Session{}, postal.Errorf(postal.CodeUnauthenticated, "account disabled")
	}
	next, hash, err := newRefresh()
	if err != nil {
		return Session{}, err
	}
	t := RefreshToken{Hash: hash, FamilyID: old.FamilyID, UserID: u.ID, CreatedAt: now, ExpiresAt: old.ExpiresAt}
	if err := s.store.AddRefreshToken(ctx, t); err != nil {
		return Session{}, err
	}
	return s.session(u, next)
}

// liveToken finds a refresh token that may be rotated, revoking its family
// when it was already used.
func (s *Service) liveToken(ctx context.Context, value string) (RefreshToken, error) {
	if value == "" {
		return RefreshToken{}, postal.Invalid("refresh_token is required",
			postal.FieldError{Field: "refresh_token", Message: "required"})
	}
	t, err := s.store.RefreshToken(ctx, hashRefresh(value))
	if postal.IsCode(err, postal.CodeNotFound) {
		return RefreshToken{}, postal.Errorf(postal.CodeUnauthenticated, "invalid refresh token")
	}
	if err != nil {
		return RefreshToken{}, err
	}
	switch {
	case t.RevokedAt != nil:
		return RefreshToken{}, postal.Errorf(postal.CodeUnauthenticated, "session revoked")
	case t.UsedAt != nil:
		return RefreshToken{}, s.revokeForReuse(ctx, t.FamilyID)
	case !s.now().Before(t.ExpiresAt):
		return RefreshToken{}, postal.Errorf(postal.CodeUnauthenticated, "refresh token expired")
	}
	return t, nil
}

func (s *Service) revokeForReuse(ctx context.Context, family string) error {
	if err := s.store.RevokeRefreshFamily(ctx, family, s.now()); err != nil {
		return err
	}
	return postal.Errorf(postal.CodeUnauthenticated, "refresh token reused; session revoked")
}

// Logout ends the session the refresh token belongs to. An unknown token is
// not an error: the session is over either way.
func (s *Service) Logout(ctx context.Context, value string) error {
	if value == "" {
		return postal.Invalid("refresh_token is required",
			postal.FieldError{Field: "refresh_token", Message: "required"})
	}
	t, err := s.store.RefreshToken(ctx, hashRefresh(value))
	if postal.IsCode(err, postal.CodeNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.store.RevokeRefreshFamily(ctx, t.FamilyID, s.now())
}

// Me returns the user behind a principal.
func (s *Service) Me(ctx context.Context, p postal.Principal) (User, error) {
	return s.store.UserByID(ctx, p.UserID)
}
