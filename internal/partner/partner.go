// Package partner keeps the bulk customers who use the open API and their
// API keys: who they are, what each key may do, how fast, and until when.
// A key's secret is shown once when it is made and stored only as its
// SHA-256 (the secret is 160 random bits, so a slow hash buys nothing).
package partner

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"dakiya/internal/paging"
	"dakiya/internal/postal"
)

// KeyPrefix starts every live API key, so a leaked key is recognisable
// (secret scanners look for it) and never mistaken for a staff token.
const KeyPrefix = "dk_live_"

// DefaultRatePerMin is a key's rate when its maker names none.
const DefaultRatePerMin = 600

// MaxRatePerMin bounds what an admin may grant one key.
const MaxRatePerMin = 60_000

// touchEvery is how often a key's last use and count are written: at most
// once per this interval per key per replica, so tracking at a high rate
// does not turn every read into a write.
const touchEvery = 30 * time.Second

// Remittance is where a partner's cash on delivery is paid.
type Remittance struct {
	Account string `json:"account"`
	IFSC    string `json:"ifsc"`
}

// Partner is a bulk customer.
type Partner struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	GSTIN      string      `json:"gstin,omitempty"`
	BillingDC  string      `json:"billing_dc"`
	Remittance *Remittance `json:"remittance,omitempty"`
	// DiscountBP is the contract discount in basis points (1/100 of a per cent).
	DiscountBP int `json:"discount_bp"`
	// Billing is how the partner pays for bookings: BillingPrepaid from its
	// wallet (WalletPaise, its balance) or BillingAccount (invoiced).
	Billing     Billing   `json:"billing"`
	WalletPaise int64     `json:"wallet_paise"`
	CreatedAt   time.Time `json:"created_at"`
}

// Billing is how a partner pays for its bookings.
type Billing string

// The billing modes.
const (
	BillingPrepaid Billing = "prepaid" // debited from the wallet at booking
	BillingAccount Billing = "account" // not debited; invoiced per month
)

// Valid reports whether b is a billing mode.
func (b Billing) Valid() bool { return b == BillingPrepaid || b == BillingAccount }

// Key is an API key as it is listed: never its secret.
type Key struct {
	ID         string         `json:"id"`
	PartnerID  string         `json:"partner_id"`
	Prefix     string         `json:"prefix"`
	Scopes     []postal.Scope `json:"scopes"`
	RatePerMin int            `json:"rate_per_min"`
	ExpiresAt  *time.Time     `json:"expires_at"`
	RevokedAt  *time.Time     `json:"revoked_at"`
	LastUsedAt *time.Time     `json:"last_used_at"`
	Uses       int64          `json:"uses"`
	CreatedAt  time.Time      `json:"created_at"`
}

// NewKey is a key as it is made: with its secret, this once.
type NewKey struct {
	Key
	Secret string `json:"key"`
}

// Store keeps partners and keys.
type Store interface {
	InsertPartner(ctx context.Context, p Partner) error
	PartnersPage(ctx context.Context, after []any, limit int) ([]Partner, error)
	Partner(ctx context.Context, id string) (Partner, error)
	InsertKey(ctx context.Context, k Key, hash string) error
	KeysPage(ctx context.Context, partnerID string, after []any, limit int) ([]Key, error)
	// RevokeKey marks a key revoked at at; not found unless it is the partner's.
	RevokeKey(ctx context.Context, partnerID, keyID string, at time.Time) error
	// KeyByHash finds a key by the hash of its secret.
	KeyByHash(ctx context.Context, hash string) (Key, error)
	// TouchKey records n uses of a key, the last at at.
	TouchKey(ctx context.Context, keyID string, n int64, at time.Time) error
	// UpdatePartner stores a partner's changed name, billing, discount and
	// remittance account; not found for an unknown partner.
	UpdatePartner(ctx context.Context, p Partner) error
	// DCExists reports whether a delivery centre exists.
	DCExists(ctx context.Context, dc string) (bool, error)
}

// Service manages partners and authenticates their keys.
type Service struct {
	store Store
	now   func() time.Time
	newID func() string

	mu    sync.Mutex
	usage map[string]*usage // per key: uses not yet written
}

type usage struct {
	n       int64
	written time.Time
}

// New returns a Service.
func New(s Store, now func() time.Time, newID func() string) *Service {
	return &Service{store: s, now: now, newID: newID, usage: map[string]*usage{}}
}

// Input is a partner as an admin creates it.
type Input struct {
	Name       string      `json:"name"`
	GSTIN      string      `json:"gstin"`
	BillingDC  string      `json:"billing_dc"`
	Remittance *Remittance `json:"remittance"`
	DiscountBP int         `json:"discount_bp"`
}

// Create adds a partner.
func (s *Service) Create(ctx context.Context, who postal.Principal, in Input) (Partner, error) {
	if who.Role != postal.RoleAdmin {
		return Partner{}, postal.Errorf(postal.CodeForbidden, "only an admin may add a partner")
	}
	p, err := in.validate()
	if err != nil {
		return Partner{}, err
	}
	ok, err := s.store.DCExists(ctx, p.BillingDC)
	if err != nil {
		return Partner{}, err
	}
	if !ok {
		return Partner{}, postal.Invalid("invalid partner", postal.FieldError{Field: "billing_dc", Message: "no such delivery centre"})
	}
	p.ID, p.CreatedAt, p.Billing = s.newID(), s.now(), BillingPrepaid
	if err := s.store.InsertPartner(ctx, p); err != nil {
		return Partner{}, err
	}
	return p, nil
}

// Patch is an admin's change to a partner: each field set is changed.
type Patch struct {
	Name       *string     `json:"name"`
	Billing    *Billing    `json:"billing"`
	DiscountBP *int        `json:"discount_bp"`
	Remittance *Remittance `json:"remittance"`
}

// Update changes a partner (admins only) and returns it as it now is.
func (s *Service) Update(ctx context.Context, who postal.Principal, id string, in Patch) (Partner, error) {
	if who.Role != postal.RoleAdmin {
		return Partner{}, postal.Errorf(postal.CodeForbidden, "only an admin may change a partner")
	}
	p, err := s.store.Partner(ctx, id)
	if err != nil {
		return Partner{}, err
	}
	if p, err = in.apply(p); err != nil {
		return Partner{}, err
	}
	if err := s.store.UpdatePartner(ctx, p); err != nil {
		return Partner{}, err
	}
	return s.store.Partner(ctx, id)
}

// List returns the partners by name (admins only), in pages of limit
// after the cursor next (both as sent).
func (s *Service) List(ctx context.Context, who postal.Principal, limit, next string) (paging.Page[Partner], error) {
	if who.Role != postal.RoleAdmin {
		return paging.Page[Partner]{}, postal.Errorf(postal.CodeForbidden, "only an admin may list partners")
	}
	scope := paging.Scope("partners")
	r, err := paging.Parse(scope, limit, next, paging.Str, paging.Str)
	if err != nil {
		return paging.Page[Partner]{}, err
	}
	list, err := s.store.PartnersPage(ctx, r.After, r.Fetch())
	if err != nil {
		return paging.Page[Partner]{}, err
	}
	return paging.Cut(scope, r, list, func(p Partner) []any { return []any{p.Name, p.ID} }), nil
}

// Get returns one partner to an admin, or to a key of that partner.
func (s *Service) Get(ctx context.Context, id string) (Partner, error) {
	if !mayManage(ctx, id) {
		return Partner{}, postal.Errorf(postal.CodeNotFound, "partner not found")
	}
	return s.store.Partner(ctx, id)
}

// mayManage reports whether the caller in ctx is an admin or a key of partner id.
func mayManage(ctx context.Context, id string) bool {
	if p, ok := postal.PrincipalFrom(ctx); ok && p.Role == postal.RoleAdmin {
		return true
	}
	k, ok := postal.PartnerFrom(ctx)
	return ok && k.ID == id
}

// KeyInput is a key as an admin asks for it.
type KeyInput struct {
	Scopes     []postal.Scope `json:"scopes"`
	ExpiresAt  *time.Time     `json:"expires_at"`
	RatePerMin int            `json:"rate_per_min"`
}

// CreateKey makes a key for partner id and returns it with its secret.
func (s *Service) CreateKey(ctx context.Context, who postal.Principal, partnerID string, in KeyInput) (NewKey, error) {
	if who.Role != postal.RoleAdmin {
		return NewKey{}, postal.Errorf(postal.CodeForbidden, "only an admin may make API keys")
	}
	if _, err := s.store.Partner(ctx, partnerID); err != nil {
		return NewKey{}, err
	}
	k, err := in.validate(s.now())
	if err != nil {
		return NewKey{}, err
	}
	secret, err := newSecret()
	if err != nil {
		return NewKey{}, err
	}
	k.ID, k.PartnerID, k.CreatedAt = s.newID(), partnerID, s.now()
	k.Prefix = secret[:len(KeyPrefix)+6]
	if err := s.store.InsertKey(ctx, k, hashOf(secret)); err != nil {
		return NewKey{}, err
	}
	return NewKey{Key: k, Secret: secret}, nil
}

// Keys lists a partner's keys, newest first, in pages of limit after the
// cursor next (both as sent).
func (s *Service) Keys(ctx context.Context, partnerID, limit, next string) (paging.Page[Key], error) {
	if !mayManage(ctx, partnerID) {
		return paging.Page[Key]{}, postal.Errorf(postal.CodeNotFound, "partner not found")
	}
	scope := paging.Scope("keys", partnerID)
	r, err := paging.Parse(scope, limit, next, paging.Int, paging.Str)
	if err != nil {
		return paging.Page[Key]{}, err
	}
	if _, err := s.store.Partner(ctx, partnerID); err != nil {
		return paging.Page[Key]{}, err
	}
	list, err := s.store.KeysPage(ctx, partnerID, r.After, r.Fetch())
	if err != nil {
		return paging.Page[Key]{}, err
	}
	return paging.Cut(scope, r, list, func(k Key) []any { return []any{k.CreatedAt.UnixMilli(), k.ID} }), nil
}

// Revoke stops a key at once.
func (s *Service) Revoke(ctx context.Context, who postal.Principal, partnerID, keyID string) error {
	if who.Role != postal.RoleAdmin {
		return postal.Errorf(postal.CodeForbidden, "only an admin may revoke API keys")
	}
	return s.store.RevokeKey(ctx, partnerID, keyID, s.now())
}

// Authenticate returns the caller a key secret stands for. An unknown,
// revoked or expired key is unauthenticated, with one message for all
// three so a guess learns nothing. It also returns the key's rate.
func (s *Service) Authenticate(ctx context.Context, secret string) (postal.Partner, int, error) {
	bad := postal.Errorf(postal.CodeUnauthenticated, "the API key is not valid (unknown, revoked or expired)")
	if !strings.HasPrefix(secret, KeyPrefix) || len(secret) > 100 {
		return postal.Partner{}, 0, bad
	}
	k, err := s.store.KeyByHash(ctx, hashOf(secret))
	if postal.IsCode(err, postal.CodeNotFound) {
		return postal.Partner{}, 0, bad
	}
	if err != nil {
		return postal.Partner{}, 0, err
	}
	now := s.now()
	if k.RevokedAt != nil || (k.ExpiresAt != nil && !now.Before(*k.ExpiresAt)) {
		return postal.Partner{}, 0, bad
	}
	s.touch(ctx, k.ID, now)
	return postal.Partner{ID: k.PartnerID, KeyID: k.ID, Scopes: k.Scopes}, k.RatePerMin, nil
}

// touch counts a use, writing the count at most every touchEvery. A failed
// write keeps the count for the next one; the request goes on regardless.
func (s *Service) touch(ctx context.Context, keyID string, now time.Time) {
	s.mu.Lock()
	u := s.usage[keyID]
	if u == nil {
		u = &usage{}
		s.usage[keyID] = u
	}
	u.n++
	n := u.n
	due := now.Sub(u.written) >= touchEvery
	if due {
		u.n, u.written = 0, now
	}
	s.mu.Unlock()
	if !due {
		return
	}
	if err := s.store.TouchKey(ctx, keyID, n, now); err != nil {
		s.mu.Lock()
		u.n += n
		s.mu.Unlock()
	}
}

// newSecret is KeyPrefix and 160 random bits in lower-case base32.
func newSecret() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", postal.Wrap(err, postal.CodeInternal, "partner: random key")
	}
	return KeyPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

func hashOf(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}
