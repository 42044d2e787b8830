// Package auth owns staff identity: password hashing, access JWTs, refresh
// tokens with rotation and reuse detection, login throttling, and creating
// users.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"dakiya/internal/postal"
)

// User is a member of staff.
type User struct {
	ID           string      `json:"id"`
	Username     string      `json:"username"`
	Name         string      `json:"name"`
	Role         postal.Role `json:"role"`
	DCID         string      `json:"dc_id,omitempty"` // none for an admin
	Locale       string      `json:"locale"`
	PasswordHash string      `json:"-"`
	Disabled     bool        `json:"-"`
	CreatedAt    time.Time   `json:"-"`
}

// RefreshToken is one issued refresh token, known to the store only by the
// SHA-256 of its value.
type RefreshToken struct {
	Hash      string
	FamilyID  string
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time // set when it was rotated out
	RevokedAt *time.Time // of its family
}

// Store is what auth needs from the database.
type Store interface {
	UserByUsername(ctx context.Context, username string) (User, error)
	UserByID(ctx context.Context, id string) (User, error)
	CreateUser(ctx context.Context, u User) error
	// CreateRefreshFamily starts a login's family with its first token.
	CreateRefreshFamily(ctx context.Context, first RefreshToken) error
	RefreshToken(ctx context.Context, hash string) (RefreshToken, error)
	// UseRefreshToken marks a token rotated out, reporting false when it
	// already was (someone else got there first).
	UseRefreshToken(ctx context.Context, hash string, at time.Time) (bool, error)
	AddRefreshToken(ctx context.Context, t RefreshToken) error
	RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error
	RecordLoginFailure(ctx context.Context, buckets []string, at, pruneBefore time.Time) error
	// LoginFailures counts a bucket's failures since a time and gives the
	// oldest of them.
	LoginFailures(ctx context.Context, bucket string, since time.Time) (int, time.Time, error)
	ClearLoginFailures(ctx context.Context, bucket string) error
}

// Policy sets the limits of sessions and throttling.
type Policy struct {
	RefreshTTL     time.Duration // one working shift
	ThrottleWindow time.Duration
	MaxUserFails   int // failed logins per username in the window
	MaxAddrFails   int // failed logins per client address in the window
}

// DefaultPolicy: a 14-hour shift; 5 wrong passwords per username or 30 per
// address in 15 minutes.
func DefaultPolicy() Policy {
	return Policy{RefreshTTL: 14 * time.Hour, ThrottleWindow: 15 * time.Minute, MaxUserFails: 5, MaxAddrFails: 30}
}

// Service authenticates staff.
type Service struct {
	store  Store
	tokens tokens
	policy Policy
	now    func() time.Time
	newID  func() string
	dummy  string // a hash checked for unknown users, so timing does not tell
}

// New returns a Service. key signs access tokens (derive it for
// secret.PurposeAccessToken); now and newID are the clock and id source.
func New(store Store, key []byte, policy Policy, now func() time.Time, newID func() string) (*Service, error) {
	if len(key) < 32 {
		return nil, fmt.Errorf("auth: signing key must be at least 32 bytes")
	}
	dummy, err := HashPassword("not a real password, only for timing")
	if err != nil {
		return nil, err
	}
	return &Service{store: store, tokens: tokens{key: key, now: now}, policy: policy, now: now, newID: newID, dummy: dummy}, nil
}

// Session is what a successful login or refresh returns.
type Session struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	User         User   `json:"user"`
}

// Authenticate verifies an access token and returns its principal.
func (s *Service) Authenticate(raw string) (postal.Principal, error) {
	return s.tokens.verify(raw)
}

// session issues an access token and wraps it with the refresh token.
func (s *Service) session(u User, refresh string) (Session, error) {
	access, exp, err := s.tokens.issue(u)
	if err != nil {
		return Session{}, err
	}
	return Session{AccessToken: access, TokenType: "Bearer", ExpiresIn: int(exp.Sub(s.now()).Seconds()),
		RefreshToken: refresh, User: u}, nil
}

// newRefresh makes a random refresh token value and its stored hash.
func newRefresh() (value, hash string, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", "", fmt.Errorf("auth: refresh token: %w", err)
	}
	value = "rt_" + base64.RawURLEncoding.EncodeToString(raw)
	return value, hashRefresh(value), nil
}

func hashRefresh(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}
