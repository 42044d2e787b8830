// Package centre owns delivery centres and their beats: where a centre is,
// which time zone its slots run in, and which area each beat covers.
package centre

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"dakiya/internal/postal"
)

// DC is a delivery centre.
type DC struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Address   string    `json:"address"`
	PIN       string    `json:"pin"`
	Lat       float64   `json:"lat"`
	Lon       float64   `json:"lon"`
	DIGIPIN   string    `json:"digipin"`
	TimeZone  string    `json:"time_zone"`
	UPIVPA    string    `json:"upi_vpa,omitempty"`
	Beats     []Beat    `json:"beats"`
	CreatedAt time.Time `json:"created_at"`
}

// Beat is one postman's delivery area, given by DIGIPIN prefixes and/or PIN
// codes.
type Beat struct {
	ID              string    `json:"id"`
	DCID            string    `json:"dc_id"`
	Name            string    `json:"name"`
	PostmanID       string    `json:"postman_id,omitempty"`
	DIGIPINPrefixes []string  `json:"digipin_prefixes"`
	PINs            []string  `json:"pins"`
	CreatedAt       time.Time `json:"created_at"`
}

// Covers reports whether the beat covers an address with this DIGIPIN and
// PIN code. A DIGIPIN prefix match is the finer rule and is tried first.
func (b Beat) Covers(digipin, pin string) bool {
	code := strings.ReplaceAll(digipin, "-", "")
	for _, p := range b.DIGIPINPrefixes {
		if code != "" && strings.HasPrefix(code, strings.ReplaceAll(p, "-", "")) {
			return true
		}
	}
	for _, p := range b.PINs {
		if p == pin {
			return true
		}
	}
	return false
}

// BeatFor picks the beat covering an address: the one with the longest
// matching DIGIPIN prefix, else the first whose PIN codes include pin.
// It returns false when no beat covers it.
func BeatFor(beats []Beat, digipin, pin string) (Beat, bool) {
	code := strings.ReplaceAll(digipin, "-", "")
	best, bestLen := Beat{}, 0
	for _, b := range beats {
		for _, p := range b.DIGIPINPrefixes {
			p = strings.ReplaceAll(p, "-", "")
			if code != "" && len(p) > bestLen && strings.HasPrefix(code, p) {
				best, bestLen = b, len(p)
			}
		}
	}
	if bestLen > 0 {
		return best, true
	}
	for _, b := range beats {
		if b.Covers("", pin) {
			return b, true
		}
	}
	return Beat{}, false
}

// Store is what centre needs from the database.
type Store interface {
	DC(ctx context.Context, id string) (DC, error)
	// DCsPage lists up to limit centres with their beats by id after the
	// id in after; only that one when only is not empty.
	DCsPage(ctx context.Context, only string, after []any, limit int) ([]DC, error)
	// BeatsPage lists up to limit of a centre's beats by id after the id
	// in after.
	BeatsPage(ctx context.Context, dc string, after []any, limit int) ([]Beat, error)
	DCExists(ctx context.Context, dc string) (bool, error)
	CreateDC(ctx context.Context, dc DC) error
	CreateBeat(ctx context.Context, b Beat) error
	// UpdateBeat stores a beat's name and postman.
	UpdateBeat(ctx context.Context, b Beat) error
	// StaffMember returns the role and centre of a user.
	StaffMember(ctx context.Context, userID string) (postal.Role, string, error)
}

// Service reads and creates centres.
type Service struct {
	store Store
	now   func() time.Time
	newID func() string
}

// New returns a Service.
func New(store Store, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, now: now, newID: newID}
}

// Get returns a centre with its beats, to staff of that centre or an admin;
// anyone else is told it does not exist.
func (s *Service) Get(ctx context.Context, p postal.Principal, id string) (DC, error) {
	if !p.CanSeeDC(id) {
		return DC{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	return s.store.DC(ctx, id)
}

// Create adds a centre, for an admin.
func (s *Service) Create(ctx context.Context, p postal.Principal, dc DC) (DC, error) {
	if p.Role != postal.RoleAdmin {
		return DC{}, postal.Errorf(postal.CodeForbidden, "only an admin may add a delivery centre")
	}
	if err := validateDC(&dc); err != nil {
		return DC{}, err
	}
	dc.CreatedAt, dc.Beats = s.now(), []Beat{}
	if err := s.store.CreateDC(ctx, dc); err != nil {
		return DC{}, err
	}
	return dc, nil
}

// AddBeat adds a beat to a centre, for an admin or the centre's supervisor.
func (s *Service) AddBeat(ctx context.Context, p postal.Principal, b Beat) (Beat, error) {
	if !p.CanSeeDC(b.DCID) {
		return Beat{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role == postal.RolePostman {
		return Beat{}, postal.Errorf(postal.CodeForbidden, "only a supervisor or an admin may add a beat")
	}
	if err := validateBeat(&b); err != nil {
		return Beat{}, err
	}
	dc, err := s.store.DC(ctx, b.DCID)
	if err != nil {
		return Beat{}, err
	}
	if err := s.checkBeat(ctx, dc, b); err != nil {
		return Beat{}, err
	}
	if b.ID == "" {
		b.ID = s.newID()
	}
	b.CreatedAt = s.now()
	return b, s.store.CreateBeat(ctx, b)
}

// BeatPatch changes a beat: each field left nil stays as it is; a
// PostmanID of "" takes the postman off (the beat's articles then wait, at
// the next build, for one to be given).
type BeatPatch struct {
	Name      *string `json:"name"`
	PostmanID *string `json:"postman_id"`
}

// UpdateBeat renames a beat or gives it another postman (one on leave, one
// moved to another job), for an admin or the centre's supervisor. The area
// a beat covers is not changed here: the articles already scheduled keep
// the beat they were given (move one with PUT /articles/{id}/beat).
func (s *Service) UpdateBeat(ctx context.Context, p postal.Principal, dcID, id string, in BeatPatch) (Beat, error) {
	if !p.CanSeeDC(dcID) {
		return Beat{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role == postal.RolePostman {
		return Beat{}, postal.Errorf(postal.CodeForbidden, "only a supervisor or an admin may change a beat")
	}
	if in.Name == nil && in.PostmanID == nil {
		return Beat{}, postal.Invalid("empty change", postal.FieldError{Field: "", Message: "give name or postman_id"})
	}
	dc, err := s.store.DC(ctx, dcID)
	if err != nil {
		return Beat{}, err
	}
	i := slices.IndexFunc(dc.Beats, func(b Beat) bool { return b.ID == id })
	if i < 0 {
		return Beat{}, postal.Errorf(postal.CodeNotFound, "beat not found")
	}
	b := dc.Beats[i]
	if in.Name != nil {
		b.Name = *in.Name
	}
	if in.PostmanID != nil {
		b.PostmanID = strings.TrimSpace(*in.PostmanID)
	}
	if err := validateBeat(&b); err != nil {
		return Beat{}, err
	}
	others := DC{ID: dc.ID, Beats: slices.Delete(slices.Clone(dc.Beats), i, i+1)}
	if err := s.checkBeat(ctx, others, b); err != nil {
		return Beat{}, err
	}
	return b, s.store.UpdateBeat(ctx, b)
}

// checkBeat refuses a beat whose postman is not a postman of its centre, or
// that claims a DIGIPIN prefix or PIN code another beat of the centre has.
// Nested prefixes are fine: the longest match wins.
func (s *Service) checkBeat(ctx context.Context, dc DC, b Beat) error {
	if b.PostmanID != "" {
		role, at, err := s.store.StaffMember(ctx, b.PostmanID)
		if err != nil && !postal.IsCode(err, postal.CodeNotFound) {
			return err
		}
		if err != nil || role != postal.RolePostman || at != dc.ID {
			return postal.Invalid("invalid beat", postal.FieldError{Field: "postman_id", Message: "not a postman of this centre"})
		}
	}
	for _, other := range dc.Beats {
		if shared(other.DIGIPINPrefixes, b.DIGIPINPrefixes) || shared(other.PINs, b.PINs) {
			return postal.Errorf(postal.CodeConflict, "beat %s already covers part of this area", other.ID)
		}
	}
	return nil
}

// shared reports whether two lists have an element in common.
func shared(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

var idRunes = "abcdefghijklmnopqrstuvwxyz0123456789-"

func validateDC(dc *DC) error {
	var fe []postal.FieldError
	add := func(f, m string) { fe = append(fe, postal.FieldError{Field: f, Message: m}) }
	dc.ID = strings.TrimSpace(dc.ID)
	if n := len(dc.ID); n < 2 || n > 40 || strings.Trim(dc.ID, idRunes) != "" {
		add("id", "2–40 characters: lower-case letters, digits and '-'")
	}
	if dc.Name = strings.TrimSpace(dc.Name); dc.Name == "" || utf8.RuneCountInString(dc.Name) > 100 {
		add("name", "required, at most 100 characters")
	}
	if dc.Address = strings.TrimSpace(dc.Address); dc.Address == "" || utf8.RuneCountInString(dc.Address) > 300 {
		add("address", "required, at most 300 characters")
	}
	if !postal.ValidPIN(dc.PIN) {
		add("pin", "must be a six-digit PIN code")
	}
	if code, err := postal.EncodeDIGIPIN(dc.Lat, dc.Lon); err != nil {
		add("lat", "lat/lon must lie within India's DIGIPIN grid")
	} else {
		dc.DIGIPIN = code
	}
	if dc.TimeZone == "" {
		dc.TimeZone = "Asia/Kolkata"
	}
	// "Local" would make the centre's day depend on where the server runs.
	if _, err := time.LoadLocation(dc.TimeZone); err != nil || dc.TimeZone == "Local" {
		add("time_zone", "unknown time zone (an IANA name such as Asia/Kolkata)")
	}
	if len(fe) > 0 {
		return postal.Invalid("invalid delivery centre", fe...)
	}
	return nil
}

func validateBeat(b *Beat) error {
	var fe []postal.FieldError
	add := func(f, m string) { fe = append(fe, postal.FieldError{Field: f, Message: m}) }
	if b.Name = strings.TrimSpace(b.Name); b.Name == "" || utf8.RuneCountInString(b.Name) > 100 {
		add("name", "required, at most 100 characters")
	}
	prefixes := make([]string, 0, len(b.DIGIPINPrefixes)) // never write into the caller's slice
	for _, p := range b.DIGIPINPrefixes {
		norm := strings.ToUpper(strings.ReplaceAll(p, "-", ""))
		if norm == "" || len(norm) > postal.DIGIPINLevels || strings.Trim(norm, "23456789CFJKLMPT") != "" {
			add("digipin_prefixes", "each prefix is 1–10 DIGIPIN symbols")
			break
		}
		prefixes = append(prefixes, norm)
	}
	b.DIGIPINPrefixes = prefixes
	if b.PINs == nil {
		b.PINs = []string{}
	}
	for _, p := range b.PINs {
		if !postal.ValidPIN(p) {
			add("pins", "each PIN code is six digits")
			break
		}
	}
	if len(b.DIGIPINPrefixes) == 0 && len(b.PINs) == 0 {
		add("digipin_prefixes", "a beat needs DIGIPIN prefixes or PIN codes")
	}
	if len(fe) > 0 {
		return postal.Invalid("invalid beat", fe...)
	}
	return nil
}
