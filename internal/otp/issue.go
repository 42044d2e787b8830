package otp

import (
	"fmt"
	"time"

	"dakiya/internal/notify"
	"dakiya/internal/postal"
)

// Issuer makes codes.
type Issuer struct {
	sealer Sealer
	sms    notify.Sealer
	policy Policy
	now    func() time.Time
	newID  func() string
}

// NewIssuer returns an Issuer. sealer seals seeds; sms seals each code
// into its message, which is rendered only when sent.
func NewIssuer(sealer Sealer, sms notify.Sealer, policy Policy, now func() time.Time, newID func() string) Issuer {
	return Issuer{sealer: sealer, sms: sms, policy: policy, now: now, newID: newID}
}

// Article is what the issuer needs to know of an article.
type Article struct {
	ID      string
	Service postal.Service
	Phone   string
	Centre  string
	Start   time.Time // the slot's window
	End     time.Time
	// TimeZone is the centre's, in which the window is told; when empty,
	// the window is told in the zone its times carry.
	TimeZone string
}

// Issue makes the first code of an article for its slot.
func (is Issuer) Issue(a Article) (Issued, error) {
	seed, err := NewSeed()
	if err != nil {
		return Issued{}, err
	}
	sealed, err := is.sealer.Seal(a.ID, seed)
	if err != nil {
		return Issued{}, err
	}
	st := State{ArticleID: a.ID, Sealed: sealed, ExpiresAt: a.End.Add(is.policy.Grace).UTC()}
	return is.withCode(st, seed, a)
}

// Reissue makes the next code of an article (a resend): the counter moves
// on, so the previous code stops working; tries start again.
func (is Issuer) Reissue(st State, a Article) (Issued, error) {
	seed, err := is.sealer.Open(st.ArticleID, st.Sealed)
	if err != nil {
		return Issued{}, err
	}
	st.Counter++
	st.Resends++
	st.Attempts, st.LockedAt = 0, nil
	// A resend after the slot is over (a late delivery) still gets a code
	// that lives for the grace period from now.
	for _, exp := range []time.Time{a.End.Add(is.policy.Grace), is.now().Add(is.policy.Grace)} {
		if exp = exp.UTC(); exp.After(st.ExpiresAt) {
			st.ExpiresAt = exp
		}
	}
	return is.withCode(st, seed, a)
}

// withCode computes the code at st.Counter, its check and its SMS.
func (is Issuer) withCode(st State, seed []byte, a Article) (Issued, error) {
	code, err := Code(seed, st.Counter)
	if err != nil {
		return Issued{}, err
	}
	check, err := NewCheck(code)
	if err != nil {
		return Issued{}, err
	}
	st.Check = check.String()
	// One message per code: a later dispatch of the same article (after a
	// failed attempt) has a new seed, hence a new key.
	key := fmt.Sprintf("otp:%s:%.12s:%d", a.ID, st.Sealed, st.Counter)
	sms, err := is.sms.NewSealedMessage(is.newID(), a.Phone, smsBody(a), code, notify.KindOTP, a.ID, key, is.now())
	if err != nil {
		return Issued{}, fmt.Errorf("otp: seal the code's message: %w", err)
	}
	return Issued{State: st, SMS: sms}, nil
}

// smsBody is the recipient's message in English and Hindi, with
// notify.Slot where the code goes when it is sent: the article, the window
// in the centre's time zone, and to give the code only after receiving
// the article.
func smsBody(a Article) string {
	start, end := a.Start, a.End
	if a.TimeZone != "" {
		loc := centreZone(a.TimeZone)
		start, end = start.In(loc), end.In(loc)
	}
	day, from, to := start.Format("2 Jan"), start.Format("15:04"), end.Format("15:04")
	code := notify.Slot
	return fmt.Sprintf("India Post: article %s from %s comes on %s between %s and %s. "+
		"Give the postman code %s only after you have received it. Never share it otherwise.\n"+
		"भारतीय डाक: वस्तु %s %s को %s से %s के बीच पहुँचेगी। वस्तु मिलने के बाद ही डाकिया को कोड %s बताएं। किसी और को न बताएं।",
		a.ID, a.Centre, day, from, to, code, a.ID, day, from, to, code)
}

// centreZone returns a centre's time zone, or India's when it cannot be
// read.
func centreZone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.FixedZone("IST", 5*3600+1800)
}
