package postal

import (
	"context"
	"slices"
)

// Scope is what a partner's API key may do.
type Scope string

// The API key scopes.
const (
	ScopeBook     Scope = "book"
	ScopeTrack    Scope = "track"
	ScopeWebhooks Scope = "webhooks"
	ScopeONDC     Scope = "ondc"
)

// Scopes lists every scope, in the order they are shown.
func Scopes() []Scope { return []Scope{ScopeBook, ScopeTrack, ScopeWebhooks, ScopeONDC} }

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return slices.Contains(Scopes(), s) }

// Partner is the caller of a request made with a partner's API key. It is
// kept apart from Principal on purpose: a staff route reads a Principal,
// finds none, and so lets a key see nothing.
type Partner struct {
	ID     string // the partner
	KeyID  string // the key that authenticated the request
	Scopes []Scope
}

// Can reports whether the key carries scope s.
func (p Partner) Can(s Scope) bool { return slices.Contains(p.Scopes, s) }

type partnerKey struct{}

// WithPartner returns a context carrying p.
func WithPartner(ctx context.Context, p Partner) context.Context {
	return context.WithValue(ctx, partnerKey{}, p)
}

// PartnerFrom returns the partner caller in ctx, if any.
func PartnerFrom(ctx context.Context) (Partner, bool) {
	p, ok := ctx.Value(partnerKey{}).(Partner)
	return p, ok
}
