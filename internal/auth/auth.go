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
	"math"
	"runtime"
	"runtime/debug"
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
	Disabled     bool        `json:"disabled"`
	CreatedAt    time.Time   `json:"-"`
	// SessionsRevoked is when the user's sessions were last ended (Unix
	// ms, 0 for never): access tokens carry it, and one issued before a
	// later ending is refused.
	SessionsRevoked int64 `json:"-"`
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
	// Users lists staff, of one centre when dc is not empty.
	UsersPage(ctx context.Context, dc string, after []any, limit int) ([]User, error)
	// UpdateUser stores u's role, centre, password hash and disabled flag
	// and, when revokeAt is set, revokes every refresh family of u in the
	// same transaction.
	UpdateUser(ctx context.Context, u User, revokeAt *time.Time) error
	// RevokedSessions maps each user whose sessions were ended after since
	// to when (Unix ms).
	RevokedSessions(ctx context.Context, since time.Time) (map[string]int64, error)
	// CreateRefreshFamily starts a login's family with its first token.
	CreateRefreshFamily(ctx context.Context, first RefreshToken) error
	RefreshToken(ctx context.Context, hash string) (RefreshToken, error)
	// UseRefreshToken marks a token rotated out, reporting false when it
	// already was (someone else got there first).
	UseRefreshToken(ctx context.Context, hash string, at time.Time) (bool, error)
	AddRefreshToken(ctx context.Context, t RefreshToken) error
	RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error
	// ReserveLogin checks a login attempt against buckets and records it as
	// a failure in each bucket it Records, in one atomic step, BEFORE the
	// password is checked: allow sees the buckets' counts and refuses by
	// returning an error, and then nothing is written. It returns the
	// attempt's name.
	ReserveLogin(ctx context.Context, at time.Time, buckets []Bucket, allow func([]Count) error) (string, error)
	// ReleaseLogin takes back an attempt's failures (the login succeeded or
	// was never checked), forgets every failure of the buckets in clear,
	// and prunes failures older than pruneBefore.
	ReleaseLogin(ctx context.Context, attempt string, clear []string, pruneBefore time.Time) error
}

// Policy sets the limits of sessions, login throttling and password checks
// (the README's "Login throttling" section explains the numbers).
type Policy struct {
	RefreshTTL time.Duration // one working shift
	// Per username and address: FreeFails failures in PairWindow, then each
	// further try waits FirstDelay after the latest failure, doubling with
	// every failure up to MaxDelay.
	PairWindow time.Duration
	FreeFails  int
	FirstDelay time.Duration
	MaxDelay   time.Duration
	// Per username, from every address: at most MaxUserFails in UserWindow.
	UserWindow   time.Duration
	MaxUserFails int
	// Per address: at most MaxAddrUnknown failed logins for usernames that
	// do not exist in AddrWindow; failures of real users do not count.
	AddrWindow     time.Duration
	MaxAddrUnknown int
	// Checks is how many password checks may run at once (each holds
	// 19 MiB); 0 means DefaultChecks(). A login waits at most CheckWait
	// for one, then is refused as unavailable.
	Checks    int
	CheckWait time.Duration
}

// DefaultPolicy: a 14-hour shift; per username and address 5 free failures
// in 15 minutes, then delays of 1 s, 2 s, 4 s … up to a minute; at most 100
// failures an hour per username; at most 30 unknown usernames per address
// in 15 minutes; password checks bounded by DefaultChecks, waiting 3 s.
func DefaultPolicy() Policy {
	return Policy{RefreshTTL: 14 * time.Hour,
		PairWindow: 15 * time.Minute, FreeFails: 5, FirstDelay: time.Second, MaxDelay: time.Minute,
		UserWindow: time.Hour, MaxUserFails: 100,
		AddrWindow: 15 * time.Minute, MaxAddrUnknown: 30,
		CheckWait: 3 * time.Second}
}

// DefaultChecks sizes the password-check semaphore: twice the CPUs Go may
// use (more checks at once only queue for the CPU while holding memory),
// and with a memory limit set (GOMEMLIMIT) no more than a quarter of it
// spent on checks.
func DefaultChecks() int {
	n := 2 * runtime.GOMAXPROCS(0)
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
		n = min(n, int(limit/4/(argonMemoryKiB*1024)))
	}
	return max(n, 1)
}

// Service authenticates staff.
type Service struct {
	store  Store
	tokens tokens
	policy Policy
	now    func() time.Time
	newID  func() string
	dummy  string        // a hash checked for unknown users, so timing does not tell
	checks chan struct{} // a slot per password check that may run
	ended  *revocations  // users whose sessions ended lately, kept in memory
	seen   *verified     // access tokens already checked, until they expire
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
	if policy.Checks <= 0 {
		policy.Checks = DefaultChecks()
	}
	return &Service{store: store, tokens: tokens{key: key, now: now}, policy: policy, now: now, newID: newID, dummy: dummy,
		checks: make(chan struct{}, policy.Checks), ended: newRevocations(), seen: newVerified(maxVerified)}, nil
}

// AcceptPrevious lets the access-token keys of a rotation's previous
// secrets (secret.Keyring.Previous) verify the tokens they signed; only the
// current key signs. Call it before serving.
func (s *Service) AcceptPrevious(keys ...[]byte) {
	s.tokens.previous = append(s.tokens.previous, keys...)
}

// Session is what a successful login or refresh returns.
type Session struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	User         User   `json:"user"`
}

// Authenticate verifies an access token and returns its principal. It
// reads no database: a token issued before its user's sessions were ended
// (disabled, new password, role or centre) is refused from the memory that
// UpdateUser and WatchRevocations keep.
func (s *Service) Authenticate(raw string) (postal.Principal, error) {
	now := s.now()
	p, rv, ok := s.seen.get(raw, now)
	if !ok {
		var exp time.Time
		var err error
		if p, rv, exp, err = s.tokens.verify(raw); err != nil {
			return postal.Principal{}, err
		}
		s.seen.put(raw, p, rv, exp, now)
	}
	if s.ended.refuses(p.UserID, rv) {
		return postal.Principal{}, postal.Errorf(postal.CodeUnauthenticated, "session ended: sign in again")
	}
	return p, nil
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
