package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dakiya/internal/postal"
)

// Bucket is a count of failed logins that a login attempt is checked
// against.
type Bucket struct {
	Key    string
	Since  time.Time // failures from here on count
	Record bool      // the attempt counts against it; otherwise it is only checked
}

// Count is a bucket's failures since its Since: how many, the oldest and
// the latest.
type Count struct {
	N              int
	Oldest, Latest time.Time
}

// maxUsernameLen bounds what a login may name; real usernames are shorter.
const maxUsernameLen = 256

// errBadLogin is the one answer for a wrong username or password, so the
// response does not tell which was wrong.
func errBadLogin() error {
	return postal.Errorf(postal.CodeUnauthenticated, "wrong username or password")
}

// Login checks a username and password and starts a new session. The
// attempt is counted as a failure before the password is checked (see
// reserve) and taken back when it was right, so concurrent attempts cannot
// get more passwords checked than the throttle allows. An unknown username
// costs a password check all the same, so timing does not tell.
func (s *Service) Login(ctx context.Context, username, password, clientAddr string) (Session, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if username == "" || password == "" {
		return Session{}, postal.Invalid("username and password are required")
	}
	if len(username) > maxUsernameLen {
		return Session{}, postal.Invalid("username too long", postal.FieldError{Field: "username", Message: "too long"})
	}
	u, err := s.store.UserByUsername(ctx, username)
	known := err == nil
	if err != nil && !postal.IsCode(err, postal.CodeNotFound) {
		return Session{}, err
	}
	b := s.buckets(username, clientAddr, known)
	attempt, err := s.store.ReserveLogin(ctx, s.now(), b, s.allow)
	if err != nil {
		return Session{}, err
	}
	hash := s.dummy
	if known {
		hash = u.PasswordHash
	}
	ok, err := s.checkPassword(ctx, hash, password)
	if postal.IsCode(err, postal.CodeUnavailable) {
		// Never checked, so not a failure.
		if rerr := s.release(ctx, attempt, nil); rerr != nil {
			return Session{}, rerr
		}
		return Session{}, err
	}
	if err != nil {
		return Session{}, fmt.Errorf("auth: login %s: %w", u.ID, err)
	}
	if !known || !ok || u.Disabled {
		return Session{}, errBadLogin()
	}
	if err := s.release(ctx, attempt, []string{b[0].Key}); err != nil {
		return Session{}, err
	}
	return s.start(ctx, u)
}

// release takes back an attempt, clearing the buckets in clear.
func (s *Service) release(ctx context.Context, attempt string, clear []string) error {
	longest := max(s.policy.PairWindow, s.policy.UserWindow, s.policy.AddrWindow)
	return s.store.ReleaseLogin(ctx, attempt, clear, s.now().Add(-longest))
}

// buckets are what an attempt counts against: its username and address
// together (first), its username from anywhere, and its address; the
// address counts only failures for usernames that do not exist, so staff
// mistyping passwords behind one centre's address do not lock each other
// out, and every attempt from an address over that limit is refused (a
// refusal only for unknown names would tell which names exist).
func (s *Service) buckets(username, addr string, known bool) []Bucket {
	now := s.now()
	addr = postal.ClientKey(addr) // an IPv6 address by its /64
	return []Bucket{
		{Key: "login:pair:" + username + "|" + addr, Since: now.Add(-s.policy.PairWindow), Record: true},
		{Key: "login:user:" + username, Since: now.Add(-s.policy.UserWindow), Record: true},
		{Key: "login:addr:" + addr, Since: now.Add(-s.policy.AddrWindow), Record: !known},
	}
}

// allow decides, from the counts of buckets' three buckets, whether an
// attempt may go on, refusing with a 429 that says how long to wait.
func (s *Service) allow(c []Count) error {
	now := s.now()
	wait := max(
		until(c[2].N >= s.policy.MaxAddrUnknown, c[2].Oldest.Add(s.policy.AddrWindow), now),
		until(c[1].N >= s.policy.MaxUserFails, c[1].Oldest.Add(s.policy.UserWindow), now),
		until(c[0].N >= s.policy.FreeFails, c[0].Latest.Add(s.delay(c[0].N)), now),
	)
	if wait <= 0 {
		return nil
	}
	e := postal.Errorf(postal.CodeRateLimited, "too many failed logins; try again later")
	e.RetryAfter = wait
	return e
}

// until is how long from now to t when over, else zero.
func until(over bool, t, now time.Time) time.Duration {
	if !over {
		return 0
	}
	return t.Sub(now)
}

// delay is the wait after the latest of n failures of a username and
// address: FirstDelay after FreeFails, doubling, at most MaxDelay.
func (s *Service) delay(n int) time.Duration {
	extra := n - s.policy.FreeFails
	if extra < 0 {
		return 0
	}
	if extra >= 30 {
		return s.policy.MaxDelay
	}
	return min(s.policy.FirstDelay<<extra, s.policy.MaxDelay)
}

// checkPassword checks password against hash, waiting at most CheckWait
// for one of the Checks slots; when none frees up in time the login is
// refused as unavailable, so a crowd cannot make the server hold more
// than Checks × 19 MiB for argon2id.
func (s *Service) checkPassword(ctx context.Context, hash, password string) (bool, error) {
	if err := s.acquire(ctx); err != nil {
		return false, err
	}
	defer func() { <-s.checks }()
	return CheckPassword(hash, password)
}

// hashPassword hashes a new password in one of the same slots.
func (s *Service) hashPassword(ctx context.Context, password string) (string, error) {
	if err := s.acquire(ctx); err != nil {
		return "", err
	}
	defer func() { <-s.checks }()
	return HashPassword(password)
}

func (s *Service) acquire(ctx context.Context) error {
	// A free slot is taken whatever the clock says: on a loaded machine
	// the timer can fire before the select below runs, and select picks
	// at random among ready cases.
	select {
	case s.checks <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(s.policy.CheckWait)
	defer t.Stop()
	select {
	case s.checks <- struct{}{}:
		return nil
	case <-t.C:
	case <-ctx.Done():
	}
	e := postal.Errorf(postal.CodeUnavailable, "too many sign-ins at once; try again in a moment")
	e.RetryAfter = 2 * time.Second
	return e
}
