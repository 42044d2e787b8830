package otp_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/cod"
	"dakiya/internal/manifest"
	"dakiya/internal/notify"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// newHousehold dispatches one stop: three coded articles for one
// recipient (ids 0–2, the third cash on delivery), one coded article for a
// second recipient at the same address (3), and a letter for the first (4).
func newHousehold(t *testing.T, db *store.DB) door {
	t.Helper()
	home := func(serial int, s postal.Service, phone string, cod int64) testkit.ArticleSpec {
		return testkit.ArticleSpec{Serial: serial, Service: s, Address: "No. 7, 5th Cross, Koramangala",
			Lat: 12.9401, Lon: 77.6301, Phone: phone, COD: cod}
	}
	return newDoorOf(t, db, otp.DefaultPolicy(), []testkit.ArticleSpec{
		home(72000001, postal.ServiceSpeedPost, "+919870000007", 0),
		home(72000002, postal.ServiceSpeedPost, "+919870000007", 0),
		home(72000003, postal.ServiceParcel, "+919870000007", 45000),
		home(72000004, postal.ServiceSpeedPost, "+919870000008", 0),
		home(72000005, postal.ServiceLetter, "+919870000007", 0),
	})
}

// codeSMS returns the code messages to the recipient of article i, newest
// first.
func (d door) codeSMS(t *testing.T, i int) []notify.Message {
	t.Helper()
	var out []notify.Message
	for _, m := range d.messages(t, i) {
		if m.Kind == notify.KindOTP {
			out = append(out, m)
		}
	}
	return out
}

// items returns the manifest's articles by id, as the phone gets them.
func (d door) items(t *testing.T) map[string]manifest.Item {
	t.Helper()
	r, err := d.manifests.Get(context.Background(), d.PostmanA, d.manifest)
	if err != nil {
		t.Fatal(err)
	}
	var m manifest.Manifest
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]manifest.Item{}
	for _, st := range m.Stops {
		for _, it := range st.Articles {
			out[it.ID] = it
		}
	}
	return out
}

// TestHouseholdOneCode: a recipient with three coded articles at a stop
// gets one SMS listing all three and one code that verifies each; the
// manifest gives the three one otp_group and the same otp_check; a second
// recipient at the stop has a group of their own; COD articles carry
// their UPI link.
func TestHouseholdOneCode(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		d := newHousehold(t, db)
		ctx := context.Background()
		msgs := d.codeSMS(t, 0)
		if len(msgs) != 1 {
			t.Fatalf("%d code messages to the household, want 1", len(msgs))
		}
		for _, want := range append(d.ids[:3:3], "3 articles", "received them", "3 वस्तुएँ", "17:00", "20:00") {
			if !strings.Contains(msgs[0].Body, want) {
				t.Errorf("the household's SMS lacks %q: %s", want, msgs[0].Body)
			}
		}
		if strings.Contains(msgs[0].Body, d.ids[3]) || strings.Contains(msgs[0].Body, d.ids[4]) {
			t.Errorf("the household's SMS lists another's or an uncoded article: %s", msgs[0].Body)
		}
		other := d.codeSMS(t, 3)
		if len(other) != 1 || !strings.Contains(other[0].Body, d.ids[3]) || strings.Contains(other[0].Body, d.ids[0]) {
			t.Fatalf("the second recipient's code messages: %+v", other)
		}
		code := d.code(t, 0)
		for _, id := range d.ids[:3] {
			if err := d.svc.Verify(ctx, d.PostmanA, id, code); err != nil {
				t.Fatalf("the household's code on %s: %v", id, err)
			}
		}
		if d.code(t, 3) == code {
			t.Skip("the two recipients drew the same code") // one run in a million
		}
		wantCode(t, d.svc.Verify(ctx, d.PostmanA, d.ids[3], code), postal.CodeUnprocessable)

		items := d.items(t)
		first := items[d.ids[0]]
		if first.OTPGroup == "" || first.OTPCheck == "" {
			t.Fatalf("no group or check: %+v", first)
		}
		for _, id := range d.ids[1:3] {
			if it := items[id]; it.OTPGroup != first.OTPGroup || it.OTPCheck != first.OTPCheck {
				t.Errorf("%s: group %q check %q, want the household's %q %q", id, it.OTPGroup, it.OTPCheck, first.OTPGroup, first.OTPCheck)
			}
		}
		if c, err := otp.ParseCheck(first.OTPCheck); err != nil || !c.Passes(code) {
			t.Errorf("the group's check refuses its code: %v", err)
		}
		if g := items[d.ids[3]].OTPGroup; g == "" || g == first.OTPGroup {
			t.Errorf("the second recipient's group %q (household's %q)", g, first.OTPGroup)
		}
		if it := items[d.ids[4]]; it.OTPGroup != "" || it.OTPCheck != "" || it.UPIURI != "" {
			t.Errorf("the letter: %+v", it)
		}
		link, err := cod.New(db, d.Clock.Now, uuid.NewString).UPILink(ctx, d.PostmanA, d.ids[2])
		if err != nil || items[d.ids[2]].UPIURI != link || !strings.HasPrefix(link, "upi://pay?") {
			t.Errorf("upi_uri %q, the endpoint's %q (%v)", items[d.ids[2]].UPIURI, link, err)
		}
		if items[d.ids[0]].UPIURI != "" {
			t.Errorf("a prepaid article has a UPI link: %q", items[d.ids[0]].UPIURI)
		}
		// Each article still records its own use: the first's delivery
		// leaves the code good for the other two.
		if ok, err := db.ConsumeOTP(ctx, d.ids[0], d.Clock.Now()); !ok || err != nil {
			t.Fatalf("consume: %v %v", ok, err)
		}
		wantCode(t, d.svc.Verify(ctx, d.PostmanA, d.ids[0], code), postal.CodeConflict)
		if err := d.svc.Verify(ctx, d.PostmanA, d.ids[1], code); err != nil {
			t.Fatalf("after the first article's delivery, the second: %v", err)
		}
		if flag, err := d.svc.Judge(ctx, d.ids[2], code, false, d.Clock.Now()); flag != "" || err != nil {
			t.Fatalf("judge the third: %q %v", flag, err)
		}
	})
}

// TestHouseholdLocksTogether: five wrong tries spread over the household's
// articles lock its code on every one of them, not the second recipient's;
// a supervisor's unlock through any article unlocks the group.
func TestHouseholdLocksTogether(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		d := newHousehold(t, db)
		ctx := context.Background()
		code := d.code(t, 0)
		for i, left := 0, 4; left >= 0; i, left = i+1, left-1 {
			e := wantCode(t, d.svc.Verify(ctx, d.PostmanA, d.ids[i%3], wrongCode(code)), postal.CodeUnprocessable)
			if e.Extra["attempts_left"] != left {
				t.Fatalf("try %d on %s: %+v, want %d left", i+1, d.ids[i%3], e.Extra, left)
			}
		}
		for _, id := range d.ids[:3] {
			wantCode(t, d.svc.Verify(ctx, d.PostmanA, id, code), postal.CodeLocked)
		}
		if err := d.svc.Verify(ctx, d.PostmanA, d.ids[3], d.code(t, 3)); err != nil {
			t.Fatalf("the other recipient's code: %v", err)
		}
		if err := d.svc.Unlock(ctx, d.Supervisor, d.ids[1]); err != nil {
			t.Fatal(err)
		}
		for _, id := range d.ids[:3] {
			if err := d.svc.Verify(ctx, d.PostmanA, id, code); err != nil {
				t.Fatalf("after unlock, %s: %v", id, err)
			}
		}
	})
}

// TestHouseholdResend: a resend through one article sends one new SMS
// listing the articles still out, and the old code stops working for all
// of them; every article of the group carries the new check.
func TestHouseholdResend(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		d := newHousehold(t, db)
		ctx := context.Background()
		old, before := d.code(t, 0), d.items(t)
		d.Clock.Advance(time.Minute)
		if err := d.svc.Resend(ctx, d.PostmanA, d.ids[1]); err != nil {
			t.Fatal(err)
		}
		msgs := d.codeSMS(t, 0)
		if len(msgs) != 2 {
			t.Fatalf("%d code messages, want 2 (the first and one resend)", len(msgs))
		}
		for _, id := range d.ids[:3] {
			if !strings.Contains(msgs[0].Body, id) {
				t.Errorf("the resend does not list %s: %s", id, msgs[0].Body)
			}
		}
		fresh := d.code(t, 0)
		if fresh == old {
			t.Fatal("the resend sent the same code")
		}
		for _, id := range d.ids[:3] {
			wantCode(t, d.svc.Verify(ctx, d.PostmanA, id, old), postal.CodeUnprocessable)
		}
		for _, id := range d.ids[:3] {
			if err := d.svc.Verify(ctx, d.PostmanA, id, fresh); err != nil {
				t.Fatalf("new code on %s: %v", id, err)
			}
		}
		after := d.items(t)
		for _, id := range d.ids[:3] {
			if it := after[id]; it.OTPCheck == before[id].OTPCheck || it.OTPCheck != after[d.ids[0]].OTPCheck ||
				it.OTPGroup != before[id].OTPGroup {
				t.Errorf("%s after the resend: %+v (before %+v)", id, it, before[id])
			}
		}
		if after[d.ids[3]] != before[d.ids[3]] {
			t.Errorf("the other recipient's code moved: %+v", after[d.ids[3]])
		}
		// Once one article is delivered and another taken off the round,
		// a resend lists only the one still waiting.
		if ok, err := db.ConsumeOTP(ctx, d.ids[0], d.Clock.Now()); !ok || err != nil {
			t.Fatalf("consume: %v %v", ok, err)
		}
		if _, err := d.manifests.Amend(ctx, d.Supervisor, d.manifest, manifest.Amendment{Remove: []string{d.ids[2]}}); err != nil {
			t.Fatal(err)
		}
		if g := d.items(t)[d.ids[1]].OTPGroup; g != before[d.ids[1]].OTPGroup {
			t.Fatalf("an amendment moved the group: %q", g)
		}
		d.Clock.Advance(time.Minute)
		if err := d.svc.Resend(ctx, d.Supervisor, d.ids[1]); err != nil {
			t.Fatal(err)
		}
		msgs = d.codeSMS(t, 0)
		if len(msgs) != 3 || !strings.Contains(msgs[0].Body, d.ids[1]) ||
			strings.Contains(msgs[0].Body, d.ids[0]) || strings.Contains(msgs[0].Body, d.ids[2]) {
			t.Fatalf("the second resend: %d messages, newest %q", len(msgs), msgs[0].Body)
		}
	})
}
