// Package tariff prices articles for partners: the tariff is data (a
// versioned table an admin uploads as CSV, effective from a date), a quote
// is one price worked out from it and kept, so a booking can say which
// price it was made with.
//
// The version in force on a day (in India, Asia/Kolkata) is the one with
// the latest effective date on or before it. Versions are immutable: the
// same name again with the same body and date is a replay, with anything
// else a conflict. When there is no tariff at all, the first use stores
// the default one the server was given (WithDefault) as version "default"
// effective from 2026-01-01, so a new server quotes out of the box.
package tariff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"sync"
	"time"

	"dakiya/internal/paging"
	"dakiya/internal/partner"
	"dakiya/internal/postal"
)

// QuoteValidity is how long a quote may be booked with.
const QuoteValidity = 24 * time.Hour

// The default tariff's version name and effective date.
const (
	DefaultVersion = "default"
	DefaultFrom    = "2026-01-01"
)

// DateLayout is the layout of effective dates.
const DateLayout = "2006-01-02"

// versionName is what a version may be called.
var versionName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// Dims are an article's outer dimensions in whole centimetres.
type Dims struct {
	L int `json:"l"`
	B int `json:"b"`
	H int `json:"h"`
}

// Request is what a quote prices.
type Request struct {
	Service  postal.Service `json:"service"`
	WeightG  int            `json:"weight_g"`
	Dims     *Dims          `json:"dims_cm,omitempty"`
	FromPIN  string         `json:"from_pin"`
	ToPIN    string         `json:"to_pin"`
	CODPaise postal.Paise   `json:"cod_paise,omitempty"`
}

// Line is one item of a price's breakdown.
type Line struct {
	Item  string       `json:"item"`
	Paise postal.Paise `json:"paise"`
}

// Quote is a price for one article, kept for its booking. PricePaise is
// the sum of Breakdown and is charged at booking; CODFeePaise is withheld
// from the remittance when the article's cash is collected.
type Quote struct {
	ID                string       `json:"quote_id"`
	PartnerID         string       `json:"-"`
	Request           Request      `json:"request"`
	PricePaise        postal.Paise `json:"price_paise"`
	Breakdown         []Line       `json:"breakdown"`
	CODFeePaise       postal.Paise `json:"cod_fee_paise"`
	Zone              string       `json:"zone"`
	ChargeableWeightG int          `json:"chargeable_weight_g"`
	VolumetricWeightG int          `json:"volumetric_weight_g"`
	TariffVersion     string       `json:"tariff_version"`
	ValidUntil        time.Time    `json:"valid_until"`
	CreatedAt         time.Time    `json:"created_at"`
}

// Version is one stored tariff. CSV is the body as it was uploaded.
type Version struct {
	Name          string    `json:"version"`
	EffectiveFrom string    `json:"effective_from"`
	SHA256        string    `json:"sha256"`
	Rows          int       `json:"rows"`
	CreatedBy     string    `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
	CSV           string    `json:"-"`
}

// Store keeps tariff versions and quotes.
type Store interface {
	// InsertTariff stores a version; a conflict when its name or its
	// effective date is taken.
	InsertTariff(ctx context.Context, v Version) error
	// TariffsPage lists up to limit versions without their CSV, latest
	// effective first, after the effective date and name in after.
	TariffsPage(ctx context.Context, after []any, limit int) ([]Version, error)
	// Tariff returns one version with its CSV; not found when unknown.
	Tariff(ctx context.Context, name string) (Version, error)
	// TariffOn returns the version in force on day (YYYY-MM-DD) with its
	// CSV; not found when none is.
	TariffOn(ctx context.Context, day string) (Version, error)
	InsertQuote(ctx context.Context, q Quote) error
	// Quote returns a stored quote; not found when unknown.
	Quote(ctx context.Context, id string) (Quote, error)
}

// Partners finds a partner, for its contract discount.
type Partners interface {
	Partner(ctx context.Context, id string) (partner.Partner, error)
}

// Service prices and keeps quotes.
type Service struct {
	store    Store
	partners Partners
	now      func() time.Time
	newID    func() string
	fallback []byte // the default tariff's CSV; nil: none

	mu     sync.Mutex
	tables map[string]*Table // parsed versions by name (they never change)
}

// New returns the tariff service.
func New(store Store, partners Partners, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, partners: partners, now: now, newID: newID, tables: map[string]*Table{}}
}

// WithDefault gives the service the tariff it stores as version "default"
// when there is none at all; it must parse.
func (s *Service) WithDefault(csv []byte) *Service {
	s.fallback = csv
	return s
}

// ist is India Standard Time, the day effective dates are counted in.
func ist() *time.Location { return time.FixedZone("IST", 5*3600+1800) }

// Today returns the date in India now.
func (s *Service) Today() string { return s.now().In(ist()).Format(DateLayout) }

// Price works out a quote for partner without keeping it (bookings price
// each article this way when they name no quote). An empty partnerID
// prices at list price, without a contract discount.
func (s *Service) Price(ctx context.Context, partnerID string, r Request) (Quote, error) {
	discount := 0
	if partnerID != "" {
		p, err := s.partners.Partner(ctx, partnerID)
		if err != nil {
			return Quote{}, err
		}
		discount = p.DiscountBP
	}
	v, t, err := s.inForce(ctx)
	if err != nil {
		return Quote{}, err
	}
	p, err := t.Price(r, discount)
	if err != nil {
		return Quote{}, err
	}
	now := s.now()
	return Quote{PartnerID: partnerID, Request: r, PricePaise: p.Price, Breakdown: p.Breakdown, CODFeePaise: p.CODFee,
		Zone: string(p.Zone), ChargeableWeightG: p.ChargeableG, VolumetricWeightG: p.VolumetricG,
		TariffVersion: v.Name, CreatedAt: now, ValidUntil: now.Add(QuoteValidity)}, nil
}

// Quote prices r for partner and keeps the quote until it expires.
func (s *Service) Quote(ctx context.Context, partnerID string, r Request) (Quote, error) {
	if partnerID == "" {
		return Quote{}, postal.Errorf(postal.CodeForbidden, "only a partner's key may ask for a quote")
	}
	q, err := s.Price(ctx, partnerID, r)
	if err != nil {
		return Quote{}, err
	}
	q.ID = s.newID()
	if err := s.store.InsertQuote(ctx, q); err != nil {
		return Quote{}, err
	}
	return q, nil
}

// Stored returns one of partner's quotes, not found when it is someone
// else's, and unprocessable when it has expired.
func (s *Service) Stored(ctx context.Context, partnerID, quoteID string) (Quote, error) {
	q, err := s.store.Quote(ctx, quoteID)
	if err != nil {
		return Quote{}, err
	}
	if q.PartnerID != partnerID || partnerID == "" {
		return Quote{}, postal.Errorf(postal.CodeNotFound, "quote not found")
	}
	if !s.now().Before(q.ValidUntil) {
		return Quote{}, postal.Errorf(postal.CodeUnprocessable, "quote %s expired at %s; ask for a new one", q.ID, q.ValidUntil.Format(time.RFC3339))
	}
	return q, nil
}

// inForce returns today's version and its table, storing the default
// tariff first when there is no tariff at all.
func (s *Service) inForce(ctx context.Context) (Version, *Table, error) {
	if err := s.ensureDefault(ctx); err != nil {
		return Version{}, nil, err
	}
	day := s.Today()
	v, err := s.store.TariffOn(ctx, day)
	if postal.IsCode(err, postal.CodeNotFound) {
		return Version{}, nil, postal.Errorf(postal.CodeUnprocessable, "no tariff is in force on %s", day)
	}
	if err != nil {
		return Version{}, nil, err
	}
	t, err := s.table(v)
	return v, t, err
}

// table parses a stored version once.
func (s *Service) table(v Version) (*Table, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tables[v.Name]; ok {
		return t, nil
	}
	t, err := Parse([]byte(v.CSV))
	if err != nil {
		return nil, postal.Wrap(err, postal.CodeInternal, "a stored tariff does not parse")
	}
	s.tables[v.Name] = t
	return t, nil
}

// ensureDefault stores the default tariff when there is none at all.
func (s *Service) ensureDefault(ctx context.Context) error {
	if s.fallback == nil {
		return nil
	}
	vs, err := s.store.TariffsPage(ctx, nil, 1)
	if err != nil || len(vs) > 0 {
		return err
	}
	_, _, err = s.put(ctx, "system", DefaultVersion, DefaultFrom, s.fallback)
	return err
}

// Upload stores a new tariff version (admins only). It returns the
// version and whether it is new: the same name, date and body again is a
// replay (false); the same name with anything else, or another version
// effective from the same date, is a conflict.
func (s *Service) Upload(ctx context.Context, who postal.Principal, name, effectiveFrom string, csv []byte) (Version, bool, error) {
	if who.Role != postal.RoleAdmin {
		return Version{}, false, postal.Errorf(postal.CodeForbidden, "only an admin may upload a tariff")
	}
	var fields []postal.FieldError
	if !versionName.MatchString(name) {
		fields = append(fields, postal.FieldError{Field: "version", Message: "1 to 40 letters, digits, dots, hyphens or underscores, starting with a letter or digit"})
	}
	if d, err := time.Parse(DateLayout, effectiveFrom); err != nil || d.Year() < 2000 || d.Year() > 2100 {
		fields = append(fields, postal.FieldError{Field: "effective_from", Message: "must be a date YYYY-MM-DD (India time) from 2000 to 2100"})
	}
	if len(fields) > 0 {
		return Version{}, false, postal.Invalid("invalid tariff version", fields...)
	}
	if err := s.ensureDefault(ctx); err != nil {
		return Version{}, false, err
	}
	return s.put(ctx, who.UserID, name, effectiveFrom, csv)
}

// put parses and stores a version, or recognises its replay.
func (s *Service) put(ctx context.Context, by, name, from string, csv []byte) (Version, bool, error) {
	t, err := Parse(csv)
	if err != nil {
		return Version{}, false, err
	}
	sum := sha256.Sum256(csv)
	v := Version{Name: name, EffectiveFrom: from, SHA256: hex.EncodeToString(sum[:]), Rows: len(t.Rates),
		CreatedBy: by, CreatedAt: s.now(), CSV: string(csv)}
	if old, err := s.store.Tariff(ctx, name); err == nil {
		return replay(old, v)
	} else if !postal.IsCode(err, postal.CodeNotFound) {
		return Version{}, false, err
	}
	err = s.store.InsertTariff(ctx, v)
	if postal.IsCode(err, postal.CodeConflict) {
		if old, err := s.store.Tariff(ctx, name); err == nil {
			return replay(old, v) // a concurrent upload of the same name
		}
		return Version{}, false, postal.Errorf(postal.CodeConflict, "another version is already effective from %s; choose another date", from)
	}
	if err != nil {
		return Version{}, false, err
	}
	v.CSV = ""
	return v, true, nil
}

// replay answers an upload of a name that is taken.
func replay(old, v Version) (Version, bool, error) {
	if old.SHA256 != v.SHA256 || old.EffectiveFrom != v.EffectiveFrom {
		return Version{}, false, postal.Errorf(postal.CodeConflict, "version %s is already stored with another body or date; versions never change, upload a new one", v.Name)
	}
	old.CSV = ""
	return old, false, nil
}

// mayRead reports whether the caller may read tariffs: an admin, or a
// partner's key (the route asks for its book scope).
func mayRead(ctx context.Context) error {
	if p, ok := postal.PrincipalFrom(ctx); ok && p.Role == postal.RoleAdmin {
		return nil
	}
	if _, ok := postal.PartnerFrom(ctx); ok {
		return nil
	}
	return postal.Errorf(postal.CodeForbidden, "only an admin or a partner's key may read tariffs")
}

// Versions lists the versions, latest effective first, in pages of limit
// after the cursor next (both as sent), with which is in force today.
func (s *Service) Versions(ctx context.Context, limit, next string) (paging.Page[Version], string, error) {
	if err := mayRead(ctx); err != nil {
		return paging.Page[Version]{}, "", err
	}
	scope := paging.Scope("tariffs")
	r, err := paging.Parse(scope, limit, next, paging.Str, paging.Str)
	if err != nil {
		return paging.Page[Version]{}, "", err
	}
	if err := s.ensureDefault(ctx); err != nil {
		return paging.Page[Version]{}, "", err
	}
	vs, err := s.store.TariffsPage(ctx, r.After, r.Fetch())
	if err != nil {
		return paging.Page[Version]{}, "", err
	}
	current := ""
	switch v, err := s.store.TariffOn(ctx, s.Today()); {
	case err == nil:
		current = v.Name
	case !postal.IsCode(err, postal.CodeNotFound):
		return paging.Page[Version]{}, "", err
	}
	return paging.Cut(scope, r, vs, func(v Version) []any { return []any{v.EffectiveFrom, v.Name} }), current, nil
}

// Get returns one version with its CSV and its rates.
func (s *Service) Get(ctx context.Context, name string) (Version, *Table, error) {
	if err := mayRead(ctx); err != nil {
		return Version{}, nil, err
	}
	if err := s.ensureDefault(ctx); err != nil {
		return Version{}, nil, err
	}
	v, err := s.store.Tariff(ctx, name)
	if err != nil {
		return Version{}, nil, err
	}
	t, err := s.table(v)
	return v, t, err
}
