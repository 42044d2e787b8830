package otp

import (
	"context"
	"slices"
	"time"

	"dakiya/internal/postal"
)

// Resend sends the recipient a new code for the article's group, in one
// SMS listing the group's articles still out; the previous code stops
// working for all of them and the tries start again. The postman holding
// the article or a supervisor of its centre may; at most Policy.MaxResends
// times per group.
func (s *Service) Resend(ctx context.Context, p postal.Principal, rawID string) error {
	h, err := s.resendable(ctx, p, rawID)
	if err != nil {
		return err
	}
	st, err := s.store.OTP(ctx, h.ArticleID)
	if postal.IsCode(err, postal.CodeNotFound) {
		return postal.Errorf(postal.CodeConflict, "no code was issued for this article")
	}
	switch {
	case err != nil:
		return err
	case st.ConsumedAt != nil:
		return postal.Errorf(postal.CodeConflict, "this article's code was already used for the delivery")
	case st.Resends >= s.policy.MaxResends:
		return postal.Errorf(postal.CodeConflict, "no resends left for this article (at most %d)", s.policy.MaxResends)
	}
	a, err := s.group(ctx, h, st.GroupID)
	if err != nil {
		return err
	}
	next, err := s.issuer.Reissue(st, a)
	if err != nil {
		return err
	}
	return s.reissue(ctx, h, st.Counter, next)
}

// group is what the new code's message tells of h's group: the articles
// it still serves (h's among them) and the window in the centre's time
// zone.
func (s *Service) group(ctx context.Context, h Holding, groupID string) (Group, error) {
	tz, err := s.store.TimeZone(ctx, h.DCID)
	if err != nil {
		return Group{}, err
	}
	ids, err := s.store.GroupArticles(ctx, groupID)
	if err != nil {
		return Group{}, err
	}
	if !slices.Contains(ids, h.ArticleID) {
		ids = append([]string{h.ArticleID}, ids...)
	}
	return Group{ID: groupID, Articles: ids, Phone: h.Phone, Centre: h.DCName,
		Start: h.Window[0], End: h.Window[1], TimeZone: tz}, nil
}

// resendable finds an article out for delivery that p may resend for.
func (s *Service) resendable(ctx context.Context, p postal.Principal, rawID string) (Holding, error) {
	id, err := postal.ParseS10(rawID)
	if err != nil {
		return Holding{}, err
	}
	h, err := s.store.Holding(ctx, string(id))
	if err != nil {
		return Holding{}, err
	}
	mine := p.Role == postal.RolePostman && h.PostmanID == p.UserID
	supervises := p.Role != postal.RolePostman && p.CanSeeDC(h.DCID)
	if !mine && !supervises {
		return Holding{}, h.NotHeld(p)
	}
	if !h.Out {
		return Holding{}, postal.Errorf(postal.CodeConflict, "the article is not out for delivery")
	}
	return h, nil
}

// Unlock lets a supervisor of the article's centre clear the wrong tries
// of its code, for every article of its group.
func (s *Service) Unlock(ctx context.Context, p postal.Principal, rawID string) error {
	h, err := s.resendable(ctx, p, rawID)
	if err != nil {
		return err
	}
	if p.Role == postal.RolePostman {
		return postal.Errorf(postal.CodeForbidden, "only a supervisor may unlock an article")
	}
	st, err := s.store.OTP(ctx, h.ArticleID)
	if err != nil {
		return err
	}
	return s.store.UnlockOTP(ctx, st.GroupID)
}

// Flags a supervisor reviews on a delivery.
const (
	FlagMismatch = "otp_mismatch" // the code given did not verify at sync
	FlagBypassed = "otp_bypassed" // no code; delivered against ID evidence
)

// Judge decides what a delivery's code means when it syncs: nothing to
// flag when the code is right (or none was needed), otp_mismatch when a
// code was given but does not verify (the article was handed over
// offline, so the outcome is kept), otp_bypassed when there is no code but
// ID evidence, and an error when there is neither.
// capturedAt is when the phone recorded the delivery; a code is judged as
// of then (never later than now), so a delivery made in time and synced
// after the code expired is not held against the postman.
func (s *Service) Judge(ctx context.Context, articleID, code string, idEvidence bool, capturedAt time.Time) (string, error) {
	st, err := s.store.OTP(ctx, articleID)
	if postal.IsCode(err, postal.CodeNotFound) {
		return s.JudgeState(ctx, nil, code, idEvidence, capturedAt)
	}
	if err != nil {
		return "", err
	}
	return s.JudgeState(ctx, &st, code, idEvidence, capturedAt)
}

// JudgeState is Judge on a code state already read (with the rest of an
// outcome's facts); st is nil when no code was issued for the article.
func (s *Service) JudgeState(_ context.Context, st *State, code string, idEvidence bool, capturedAt time.Time) (string, error) {
	if st == nil {
		return "", nil // no code was required
	}
	if code == "" {
		if idEvidence {
			return FlagBypassed, nil
		}
		e := postal.Errorf(postal.CodeUnprocessable, "this delivery needs the recipient's code or ID evidence")
		e.Fields = []postal.FieldError{{Field: "otp", Message: "required, or id_evidence"}}
		return "", e
	}
	at := capturedAt
	if now := s.now(); at.IsZero() || at.After(now) {
		at = now
	}
	if st.ConsumedAt != nil || !at.Before(st.ExpiresAt) {
		return FlagMismatch, nil
	}
	ok, err := s.matches(*st, code)
	if err != nil {
		return "", err
	}
	if !ok {
		return FlagMismatch, nil
	}
	return "", nil
}
