package demand

import (
	"context"
	"strings"
	"time"
	"unicode"

	"dakiya/internal/forecast"
	"dakiya/internal/paging"
	"dakiya/internal/postal"
)

// FestivalStore keeps the festival calendar.
type FestivalStore interface {
	LoadFestivals(ctx context.Context, defaults []forecast.Festival, now time.Time) (bool, error)
	Festivals(ctx context.Context) ([]forecast.Festival, error)
	FestivalsPage(ctx context.Context, after []any, limit int) ([]forecast.Festival, error)
	Festival(ctx context.Context, id string) (forecast.Festival, error)
	CreateFestival(ctx context.Context, f forecast.Festival, now time.Time) error
	UpdateFestival(ctx context.Context, f forecast.Festival, now time.Time) error
	DeleteFestival(ctx context.Context, id string) error
}

// festivals returns the calendar, loading the defaults on first use.
func (s *Service) festivals(ctx context.Context) ([]forecast.Festival, error) {
	if err := s.loadFestivals(ctx); err != nil {
		return nil, err
	}
	return s.store.Festivals(ctx)
}

// loadFestivals stores the default calendar on first use.
func (s *Service) loadFestivals(ctx context.Context) error {
	defaults := make([]forecast.Festival, len(s.defaults))
	for i, f := range s.defaults {
		f.ID = festivalID(f)
		defaults[i] = f
	}
	_, err := s.store.LoadFestivals(ctx, defaults, s.now())
	return err
}

// Festivals lists the festival calendar by date for any member of staff,
// in pages of limit after the cursor next (both as sent).
func (s *Service) Festivals(ctx context.Context, p postal.Principal, limit, next string) (paging.Page[forecast.Festival], error) {
	if !p.Role.Valid() {
		return paging.Page[forecast.Festival]{}, postal.Errorf(postal.CodeForbidden, "staff only")
	}
	scope := paging.Scope("festivals")
	r, err := paging.Parse(scope, limit, next, paging.Str, paging.Str, paging.Str)
	if err != nil {
		return paging.Page[forecast.Festival]{}, err
	}
	if err := s.loadFestivals(ctx); err != nil {
		return paging.Page[forecast.Festival]{}, err
	}
	list, err := s.store.FestivalsPage(ctx, r.After, r.Fetch())
	if err != nil {
		return paging.Page[forecast.Festival]{}, err
	}
	return paging.Cut(scope, r, list, func(f forecast.Festival) []any { return []any{f.Date, f.Name, f.ID} }), nil
}

// CreateFestival adds a festival (admins only); a conflict if that name
// is on that date already.
func (s *Service) CreateFestival(ctx context.Context, p postal.Principal, f forecast.Festival) (forecast.Festival, error) {
	if err := admin(p); err != nil {
		return f, err
	}
	if err := check(f); err != nil {
		return f, err
	}
	if _, err := s.festivals(ctx); err != nil {
		return f, err
	}
	f.ID = festivalID(f)
	if err := s.store.CreateFestival(ctx, f, s.now()); err != nil {
		return f, err
	}
	return f, nil
}

// UpdateFestival replaces a festival's date, name, region and window
// (admins only).
func (s *Service) UpdateFestival(ctx context.Context, p postal.Principal, id string, f forecast.Festival) (forecast.Festival, error) {
	if err := admin(p); err != nil {
		return f, err
	}
	if err := check(f); err != nil {
		return f, err
	}
	if _, err := s.festivals(ctx); err != nil {
		return f, err
	}
	f.ID = id
	if err := s.store.UpdateFestival(ctx, f, s.now()); err != nil {
		return f, err
	}
	return s.store.Festival(ctx, id)
}

// DeleteFestival removes a festival (admins only).
func (s *Service) DeleteFestival(ctx context.Context, p postal.Principal, id string) error {
	if err := admin(p); err != nil {
		return err
	}
	if _, err := s.festivals(ctx); err != nil {
		return err
	}
	return s.store.DeleteFestival(ctx, id)
}

func admin(p postal.Principal) error {
	if p.Role != postal.RoleAdmin {
		return postal.Errorf(postal.CodeForbidden, "only an admin edits the festival calendar")
	}
	return nil
}

func check(f forecast.Festival) error {
	bad := f.Check()
	if bad == nil {
		return nil
	}
	var fe []postal.FieldError
	for _, k := range []string{"date", "name", "region", "before_days", "after_days"} {
		if m, ok := bad[k]; ok {
			fe = append(fe, postal.FieldError{Field: k, Message: m})
		}
	}
	return postal.Invalid("invalid festival", fe...)
}

// festivalID is a festival's key: its date and a slug of its name.
func festivalID(f forecast.Festival) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(f.Name) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	slug := strings.TrimSuffix(b.String(), "-")
	if slug == "" {
		slug = "festival"
	}
	return f.Date + "-" + slug
}
