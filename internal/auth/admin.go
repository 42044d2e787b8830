package auth

import (
	"context"
	"time"
	"unicode/utf8"

	"dakiya/internal/paging"
	"dakiya/internal/postal"
)

// Patch changes a member of staff: each field left nil stays as it is.
type Patch struct {
	Disabled *bool        `json:"disabled"`
	Role     *postal.Role `json:"role"`
	DCID     *string      `json:"dc_id"` // with role: the centre of a postman or supervisor
	Password *string      `json:"password"`
}

// Users lists staff: an admin sees everyone (or one centre's with dc), a
// supervisor their own centre's; a postman is forbidden. They come by
// username in pages of limit after the cursor next (both as sent).
func (s *Service) Users(ctx context.Context, p postal.Principal, dc, limit, next string) (paging.Page[User], error) {
	switch {
	case p.Role == postal.RolePostman:
		return paging.Page[User]{}, postal.Errorf(postal.CodeForbidden, "only a supervisor or an admin lists staff")
	case p.Role != postal.RoleAdmin && dc != "" && dc != p.DCID:
		return paging.Page[User]{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	case p.Role != postal.RoleAdmin:
		dc = p.DCID
	}
	scope := paging.Scope("users", dc)
	r, err := paging.Parse(scope, limit, next, paging.Str)
	if err != nil {
		return paging.Page[User]{}, err
	}
	list, err := s.store.UsersPage(ctx, dc, r.After, r.Fetch())
	if err != nil {
		return paging.Page[User]{}, err
	}
	return paging.Cut(scope, r, list, func(u User) []any { return []any{u.Username} }), nil
}

// UpdateUser applies a patch. An admin may change anything of anyone but
// themselves (no disabling or demoting the last way in); a supervisor may
// only disable or enable a postman of their centre. Disabling, a new
// password or a new role ends the user's sessions: their refresh tokens
// are revoked in the same transaction, and a disabled user cannot log in.
func (s *Service) UpdateUser(ctx context.Context, p postal.Principal, id string, in Patch) (User, error) {
	if p.Role == postal.RolePostman {
		return User{}, postal.Errorf(postal.CodeForbidden, "only a supervisor or an admin changes staff")
	}
	u, err := s.store.UserByID(ctx, id)
	if postal.IsCode(err, postal.CodeNotFound) || err == nil && p.Role != postal.RoleAdmin && u.DCID != p.DCID {
		return User{}, postal.Errorf(postal.CodeNotFound, "user not found")
	}
	if err != nil {
		return User{}, err
	}
	if err := s.allowedPatch(p, u, in); err != nil {
		return User{}, err
	}
	revoke, err := s.apply(ctx, &u, in)
	if err != nil {
		return User{}, err
	}
	var at *time.Time
	if revoke {
		now := s.now()
		at = &now
	}
	if err := s.store.UpdateUser(ctx, u, at); err != nil {
		return User{}, err
	}
	if at != nil {
		u.SessionsRevoked = at.UnixMilli()
		s.ended.merge(map[string]int64{u.ID: u.SessionsRevoked}, at.Add(-revocationWindow).UnixMilli())
	}
	return u, nil
}

func (s *Service) allowedPatch(p postal.Principal, u User, in Patch) error {
	if p.Role != postal.RoleAdmin && (in.Role != nil || in.DCID != nil || in.Password != nil || u.Role != postal.RolePostman) {
		return postal.Errorf(postal.CodeForbidden, "a supervisor may only disable or enable a postman of the centre")
	}
	if u.ID == p.UserID && in.Disabled != nil && *in.Disabled {
		return postal.Invalid("invalid change", postal.FieldError{Field: "disabled", Message: "you cannot disable yourself"})
	}
	if u.ID == p.UserID && in.Role != nil && *in.Role != u.Role {
		return postal.Invalid("invalid change", postal.FieldError{Field: "role", Message: "you cannot change your own role"})
	}
	if in.Disabled == nil && in.Role == nil && in.DCID == nil && in.Password == nil {
		return postal.Invalid("empty change", postal.FieldError{Field: "", Message: "give disabled, role, dc_id or password"})
	}
	return nil
}

// apply changes u as in says and reports whether its sessions must end.
func (s *Service) apply(ctx context.Context, u *User, in Patch) (bool, error) {
	revoke := false
	if in.Role != nil || in.DCID != nil {
		role, dc := u.Role, u.DCID
		if in.Role != nil {
			role = *in.Role
		}
		if in.DCID != nil {
			dc = *in.DCID
		} else if role == postal.RoleAdmin {
			dc = ""
		}
		if err := checkRole(role, dc); err != nil {
			return false, err
		}
		revoke = revoke || role != u.Role || dc != u.DCID
		u.Role, u.DCID = role, dc
	}
	if in.Disabled != nil {
		revoke = revoke || *in.Disabled
		u.Disabled = *in.Disabled
	}
	if in.Password != nil {
		if n := utf8.RuneCountInString(*in.Password); n < MinPasswordLen || len(*in.Password) > 256 {
			return false, postal.Invalid("invalid change", postal.FieldError{Field: "password", Message: "10 to 256 characters"})
		}
		hash, err := s.hashPassword(ctx, *in.Password)
		if err != nil {
			return false, err
		}
		u.PasswordHash, revoke = hash, true
	}
	return revoke, nil
}

func checkRole(role postal.Role, dc string) error {
	switch {
	case !role.Valid():
		return postal.Invalid("invalid change", postal.FieldError{Field: "role", Message: "must be postman, supervisor, sorter or admin"})
	case role == postal.RoleAdmin && dc != "":
		return postal.Invalid("invalid change", postal.FieldError{Field: "dc_id", Message: "an admin belongs to no centre"})
	case role != postal.RoleAdmin && dc == "":
		return postal.Invalid("invalid change", postal.FieldError{Field: "dc_id", Message: "required for postmen, supervisors and sorters"})
	}
	return nil
}
