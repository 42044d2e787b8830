package otp

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"time"

	"dakiya/internal/postal"
)

// Service verifies, resends and unlocks codes.
type Service struct {
	store   Store
	issuer  Issuer
	policy  Policy
	now     func() time.Time
	reissue Reissue
	log     *slog.Logger
}

// New returns a Service. reissue stores a resend with the manifest's new
// check value.
func New(store Store, issuer Issuer, policy Policy, now func() time.Time, reissue Reissue, log *slog.Logger) *Service {
	return &Service{store: store, issuer: issuer, policy: policy, now: now, reissue: reissue, log: log}
}

// held returns the article if p is the postman holding it (out for
// delivery on their dispatched manifest); to anyone else it does not exist.
func (s *Service) held(ctx context.Context, p postal.Principal, rawID string) (Holding, error) {
	id, err := postal.ParseS10(rawID)
	if err != nil {
		return Holding{}, err
	}
	h, err := s.store.Holding(ctx, string(id))
	if err != nil {
		return Holding{}, err
	}
	if !h.HeldBy(p) {
		return Holding{}, h.NotHeld(p)
	}
	return h, nil
}

// Verify checks a code the recipient gave. A right code answers valid and
// stays usable until the delivery consumes it; a wrong one costs a try of
// the article's group, whichever of its articles it was typed for (5 lock
// the group), and counts against the postman's hourly limit. The try
// is taken before the code is compared and given back when it was right,
// so no number of concurrent requests gets more codes compared than the
// limits allow.
func (s *Service) Verify(ctx context.Context, p postal.Principal, rawID, code string) error {
	h, err := s.held(ctx, p, rawID)
	if err != nil {
		return err
	}
	if _, err := codeValue(code); err != nil {
		return postal.Invalid("invalid code", postal.FieldError{Field: "otp", Message: "six digits"})
	}
	st, err := s.usable(ctx, h.ArticleID)
	if err != nil {
		return err
	}
	try, err := s.reserve(ctx, p, st)
	if err != nil {
		return err
	}
	ok, err := s.matches(st, code)
	if err != nil {
		return err
	}
	if ok {
		return s.store.ReturnTry(ctx, st.GroupID, st.Counter, try.Attempt)
	}
	return wrong(max(s.policy.MaxAttempts-try.Tries, 0))
}

// reserve takes a try at st's code for p, or says why there is none.
func (s *Service) reserve(ctx context.Context, p postal.Principal, st State) (Try, error) {
	now := s.now()
	try, err := s.store.ReserveTry(ctx, TryRequest{ArticleID: st.ArticleID, GroupID: st.GroupID, PostmanID: p.UserID, Counter: st.Counter,
		At: now, MaxTries: s.policy.MaxAttempts, PostmanMax: s.policy.PostmanWrongMax,
		PostmanSince: now.Add(-s.policy.PostmanWindow)})
	switch {
	case err != nil:
		return Try{}, err
	case try.Refused == RefusedPostman:
		e := postal.Errorf(postal.CodeRateLimited, "too many wrong codes in the last hour; wait before trying again")
		e.RetryAfter = max(try.Oldest.Add(s.policy.PostmanWindow).Sub(now), time.Second)
		return Try{}, e
	case try.Refused != "":
		// Locked, used or replaced since it was read: say which.
		if _, err := s.usable(ctx, st.ArticleID); err != nil {
			return Try{}, err
		}
		return Try{}, postal.Errorf(postal.CodeConflict, "the code changed meanwhile; try again")
	}
	return try, nil
}

// wrong is the answer to a wrong code: 422 with valid false and the tries
// left.
func wrong(left int) error {
	msg := "wrong code"
	if left == 0 {
		msg = "wrong code; the code is now locked until a supervisor unlocks it or a new code is sent"
	}
	e := postal.Errorf(postal.CodeUnprocessable, "%s", msg)
	e.Extra = map[string]any{"valid": false, "attempts_left": left}
	return e
}

// usable loads an article's code if it can still be used.
func (s *Service) usable(ctx context.Context, id string) (State, error) {
	st, err := s.store.OTP(ctx, id)
	if postal.IsCode(err, postal.CodeNotFound) {
		return State{}, postal.Errorf(postal.CodeConflict, "no code was issued for this article")
	}
	switch {
	case err != nil:
		return State{}, err
	case st.ConsumedAt != nil:
		return State{}, postal.Errorf(postal.CodeConflict, "this code was already used for the delivery")
	case st.LockedAt != nil:
		return State{}, postal.Errorf(postal.CodeLocked, "too many wrong codes; a supervisor must unlock the article or send a new code")
	case !s.now().Before(st.ExpiresAt):
		e := postal.Errorf(postal.CodeUnprocessable, "the code has expired; ask the centre to send a new one")
		e.Extra = map[string]any{"valid": false, "attempts_left": max(s.policy.MaxAttempts-st.Attempts, 0)}
		return State{}, e
	}
	return st, nil
}

// matches compares code with the group's current code in constant time.
func (s *Service) matches(st State, code string) (bool, error) {
	seed, err := s.issuer.sealer.Open(st.GroupID, st.Sealed)
	if err != nil {
		return false, err
	}
	want, err := Code(seed, st.Counter)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1, nil
}
