package auth

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"dakiya/internal/postal"
)

// NewUser is the input for creating a member of staff.
type NewUser struct {
	Username string      `json:"username"`
	Name     string      `json:"name"`
	Role     postal.Role `json:"role"`
	DCID     string      `json:"dc_id"`
	Locale   string      `json:"locale"`
	Password string      `json:"password"`
}

var usernamePattern = regexp.MustCompile(`^[a-z][a-z0-9._-]{2,39}$`)

// validate checks a new user's fields.
func (n *NewUser) validate() error {
	n.Username = strings.ToLower(strings.TrimSpace(n.Username))
	n.Name = strings.TrimSpace(n.Name)
	if n.Locale == "" {
		n.Locale = "en"
	}
	var fe []postal.FieldError
	add := func(f, m string) { fe = append(fe, postal.FieldError{Field: f, Message: m}) }
	if !usernamePattern.MatchString(n.Username) {
		add("username", "3–40 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter")
	}
	if n.Name == "" || utf8.RuneCountInString(n.Name) > 100 {
		add("name", "required, at most 100 characters")
	}
	if !n.Role.Valid() {
		add("role", "must be postman, supervisor, sorter or admin")
	}
	if n.Role == postal.RoleAdmin && n.DCID != "" {
		add("dc_id", "an admin belongs to no centre")
	}
	if n.Role != postal.RoleAdmin && n.DCID == "" {
		add("dc_id", "required for postmen, supervisors and sorters")
	}
	if n.Locale != "en" && n.Locale != "hi" {
		add("locale", "must be en or hi")
	}
	if utf8.RuneCountInString(n.Password) < MinPasswordLen || len(n.Password) > 256 {
		add("password", "10 to 256 characters")
	}
	if len(fe) > 0 {
		return postal.Invalid("invalid user", fe...)
	}
	return nil
}

// CreateUser adds a member of staff. A username already taken is a
// conflict; a centre that does not exist is invalid.
func (s *Service) CreateUser(ctx context.Context, n NewUser) (User, error) {
	if err := n.validate(); err != nil {
		return User{}, err
	}
	hash, err := s.hashPassword(ctx, n.Password)
	if err != nil {
		return User{}, err
	}
	u := User{ID: s.newID(), Username: n.Username, Name: n.Name, Role: n.Role, DCID: n.DCID,
		Locale: n.Locale, PasswordHash: hash, CreatedAt: s.now()}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return User{}, err
	}
	return u, nil
}
