package otp

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dakiya/internal/notify"
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

// Group is what the issuer needs to know of the articles one code covers:
// the coded articles of one stop of one manifest for the same recipient
// phone (often just one).
type Group struct {
	ID       string   // "" for a new group: Issue names it
	Articles []string // ids, at least one
	Phone    string
	Centre   string
	Start    time.Time // the slot's window
	End      time.Time
	// TimeZone is the centre's, in which the window is told; when empty,
	// the window is told in the zone its times carry.
	TimeZone string
}

// Issue makes the first code of a group of articles for its slot, and its
// one SMS listing them.
func (is Issuer) Issue(g Group) (Issued, error) {
	if len(g.Articles) == 0 {
		return Issued{}, errors.New("otp: a code covers at least one article")
	}
	if g.ID == "" {
		g.ID = is.newID()
	}
	seed, err := NewSeed()
	if err != nil {
		return Issued{}, err
	}
	sealed, err := is.sealer.Seal(g.ID, seed)
	if err != nil {
		return Issued{}, err
	}
	st := State{GroupID: g.ID, Sealed: sealed, ExpiresAt: g.End.Add(is.policy.Grace).UTC()}
	return is.withCode(st, seed, g)
}

// Reissue makes the next code of a group (a resend): the counter moves on,
// so the previous code stops working for every article of the group;
// tries start again. g names the articles the new SMS lists.
func (is Issuer) Reissue(st State, g Group) (Issued, error) {
	if len(g.Articles) == 0 {
		return Issued{}, errors.New("otp: a code covers at least one article")
	}
	g.ID = st.GroupID
	seed, err := is.sealer.Open(st.GroupID, st.Sealed)
	if err != nil {
		return Issued{}, err
	}
	st.Counter++
	st.Resends++
	st.Attempts, st.LockedAt = 0, nil
	// A resend after the slot is over (a late delivery) still gets a code
	// that lives for the grace period from now.
	for _, exp := range []time.Time{g.End.Add(is.policy.Grace), is.now().Add(is.policy.Grace)} {
		if exp = exp.UTC(); exp.After(st.ExpiresAt) {
			st.ExpiresAt = exp
		}
	}
	return is.withCode(st, seed, g)
}

// withCode computes the code at st.Counter, its check and its SMS.
func (is Issuer) withCode(st State, seed []byte, g Group) (Issued, error) {
	code, err := Code(seed, st.Counter)
	if err != nil {
		return Issued{}, err
	}
	check, err := NewCheck(code)
	if err != nil {
		return Issued{}, err
	}
	st.Check = check.String()
	// One message per code: a later dispatch of the same articles (after a
	// failed attempt) makes a new group, hence a new key.
	key := fmt.Sprintf("otp:%s:%.12s:%d", g.ID, st.Sealed, st.Counter)
	sms, err := is.sms.NewSealedMessage(is.newID(), g.Phone, smsBody(g), code, notify.KindOTP, g.Articles[0], key, is.now())
	if err != nil {
		return Issued{}, fmt.Errorf("otp: seal the code's message: %w", err)
	}
	return Issued{State: st, Articles: slices.Clone(g.Articles), SMS: sms}, nil
}

// smsBody is the recipient's message in English and Hindi, with
// notify.Slot where the code goes when it is sent: the articles, the
// window in the centre's time zone, and to give the code only after
// receiving them.
func smsBody(g Group) string {
	start, end := g.Start, g.End
	if g.TimeZone != "" {
		loc := centreZone(g.TimeZone)
		start, end = start.In(loc), end.In(loc)
	}
	day, from, to := start.Format("2 Jan"), start.Format("15:04"), end.Format("15:04")
	code := notify.Slot
	if len(g.Articles) == 1 {
		id := g.Articles[0]
		return fmt.Sprintf("India Post: article %s from %s comes on %s between %s and %s. "+
			"Give the postman code %s only after you have received it. Never share it otherwise.\n"+
			"भारतीय डाक: वस्तु %s %s को %s से %s के बीच पहुँचेगी। वस्तु मिलने के बाद ही डाकिया को कोड %s बताएं। किसी और को न बताएं।",
			id, g.Centre, day, from, to, code, id, day, from, to, code)
	}
	n, ids := len(g.Articles), strings.Join(g.Articles, ", ")
	return fmt.Sprintf("India Post: %d articles (%s) from %s come on %s between %s and %s. "+
		"Give the postman code %s only after you have received them all; the one code is for all of them. Never share it otherwise.\n"+
		"भारतीय डाक: %d वस्तुएँ (%s) %s को %s से %s के बीच पहुँचेंगी। सभी वस्तुएँ मिलने के बाद ही डाकिया को कोड %s बताएं; यह एक कोड सभी के लिए है। किसी और को न बताएं।",
		n, ids, g.Centre, day, from, to, code, n, ids, day, from, to, code)
}

// centreZone returns a centre's time zone, or India's when it cannot be
// read.
func centreZone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.FixedZone("IST", 5*3600+1800)
}
