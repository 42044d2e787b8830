package otp_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/manifest"
	"dakiya/internal/notify"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

var ist = time.FixedZone("IST", 5*3600+1800)

// door is a dispatched evening manifest of postman A with OTP articles.
type door struct {
	*testkit.Centre
	svc       *otp.Service
	manifests *manifest.Service
	sms       notify.Sealer // renders the code into its SMS, as the worker does when sending
	ids       []string
	manifest  string
}

func newDoor(t *testing.T, db *store.DB, policy otp.Policy, n int) door {
	t.Helper()
	var specs []testkit.ArticleSpec
	for i := range n {
		specs = append(specs, testkit.ArticleSpec{Serial: 71000001 + i, Service: postal.ServiceSpeedPost})
	}
	specs = append(specs, testkit.ArticleSpec{Serial: 71000099, Service: postal.ServiceLetter}) // needs no code
	return newDoorOf(t, db, policy, specs)
}

// newDoorOf dispatches postman A's evening manifest of the articles specs
// describe.
func newDoorOf(t *testing.T, db *store.DB, policy otp.Policy, specs []testkit.ArticleSpec) door {
	t.Helper()
	c := testkit.NewCentre(t, db, time.Date(2026, 11, 25, 4, 0, 0, 0, ist))
	ctx := context.Background()
	sealer, err := otp.NewSealer([]byte("otp seal key for tests, 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	sms, err := notify.NewSealer([]byte("sms seal key for tests, 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	issuer := otp.NewIssuer(sealer, sms, policy, c.Clock.Now, uuid.NewString)
	mf := manifest.New(db, c.Clock.Now, uuid.NewString, manifest.Options{RouteBudget: 20 * time.Millisecond, Codes: &issuer})
	d := door{Centre: c, manifests: mf, sms: sms,
		svc: otp.New(db, issuer, policy, c.Clock.Now, mf.Reissue, slog.New(slog.NewTextHandler(io.Discard, nil)))}
	slots := slot.New(db, slot.NewLinks(make([]byte, 32), "http://x"), c.Clock.Now)
	d.ids = c.Book(t, specs...)
	for _, id := range d.ids {
		if _, err := slots.Assign(ctx, c.Supervisor, id, article.Schedule{Date: "2026-11-25", Slot: postal.SlotEvening}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := mf.Build(ctx, c.Supervisor, "dc-one", "2026-11-25", postal.SlotEvening)
	if err != nil {
		t.Fatal(err)
	}
	d.manifest = res.Manifests[0].ID
	if _, err := mf.Dispatch(ctx, c.Supervisor, d.manifest); err != nil {
		t.Fatal(err)
	}
	return d
}

var codeInSMS = regexp.MustCompile(`code (\d{6}) `)

// code reads the latest code the recipient of article i got by SMS.
func (d door) code(t *testing.T, i int) string {
	t.Helper()
	for _, m := range d.messages(t, i) {
		if m.Kind == "otp" {
			if got := codeInSMS.FindStringSubmatch(m.Body); got != nil {
				return got[1]
			}
		}
	}
	t.Fatalf("no code in %s's SMS", d.ids[i])
	return ""
}

// messages returns the SMS to the recipient of article i, newest first,
// rendered as they are sent.
func (d door) messages(t *testing.T, i int) []notify.Message {
	t.Helper()
	a, err := d.DB.Article(context.Background(), d.ids[i])
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := notify.Outbox(d.DB, d.sms, 10)(context.Background(), a.Recipient.Phone)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func wrongCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

func wantCode(t *testing.T, err error, code postal.Code) *postal.Error {
	t.Helper()
	if !postal.IsCode(err, code) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	e, _ := err.(*postal.Error)
	return e
}

func TestIssueAtDispatch(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		d := newDoor(t, db, otp.DefaultPolicy(), 2)
		ctx := context.Background()
		var body string
		for _, m := range d.messages(t, 0) {
			if m.Kind == "otp" {
				body = m.Body
			}
		}
		for _, want := range []string{d.ids[0], "17:00", "20:00", "only after you have received it", "वस्तु मिलने के बाद ही"} {
			if !strings.Contains(body, want) {
				t.Errorf("code SMS lacks %q: %s", want, body)
			}
		}
		r, err := d.manifests.Get(ctx, d.PostmanA, d.manifest)
		if err != nil {
			t.Fatal(err)
		}
		var m manifest.Manifest
		json.Unmarshal(r.Body, &m)
		for _, st := range m.Stops {
			for _, it := range st.Articles {
				if it.OTPRequired != (it.OTPCheck != "") {
					t.Errorf("%s: otp_required %v, otp_check %q", it.ID, it.OTPRequired, it.OTPCheck)
				}
				if it.ID == d.ids[0] {
					c, err := otp.ParseCheck(it.OTPCheck)
					if err != nil || !c.Passes(d.code(t, 0)) {
						t.Errorf("the manifest's check refuses the real code: %v", err)
					}
				}
			}
		}
		if _, err := db.OTP(ctx, d.ids[2]); !postal.IsCode(err, postal.CodeNotFound) {
			t.Errorf("a letter got a code: %v", err)
		}
	})
}

func TestVerifyAndLockOut(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		d := newDoor(t, db, otp.DefaultPolicy(), 2)
		ctx := context.Background()
		code := d.code(t, 0)
		if err := d.svc.Verify(ctx, d.PostmanA, d.ids[0], code); err != nil {
			t.Fatalf("right code: %v", err)
		}
		for left := 4; left >= 0; left-- {
			e := wantCode(t, d.svc.Verify(ctx, d.PostmanA, d.ids[0], wrongCode(code)), postal.CodeUnprocessable)
			if e.Extra["attempts_left"] != left || e.Extra["valid"] != false {
				t.Fatalf("after a wrong code: %+v, want %d left", e.Extra, left)
			}
		}
		wantCode(t, d.svc.Verify(ctx, d.PostmanA, d.ids[0], code), postal.CodeLocked)
		wantCode(t, d.svc.Unlock(ctx, d.PostmanA, d.ids[0]), postal.CodeForbidden)
		if err := d.svc.Unlock(ctx, d.Supervisor, d.ids[0]); err != nil {
			t.Fatal(err)
		}
		if err := d.svc.Verify(ctx, d.PostmanA, d.ids[0], code); err != nil {
			t.Fatalf("right code after unlock: %v", err)
		}
		// Who may verify, and what.
		wantCode(t, d.svc.Verify(ctx, d.PostmanB, d.ids[0], code), postal.CodeNotFound)
		wantCode(t, d.svc.Verify(ctx, d.Supervisor, d.ids[0], code), postal.CodeNotFound)
		wantCode(t, d.svc.Verify(ctx, d.PostmanA, d.ids[0], "12345"), postal.CodeInvalid)
		wantCode(t, d.svc.Verify(ctx, d.PostmanA, "EE123456789IN", code), postal.CodeInvalid)
		wantCode(t, d.svc.Verify(ctx, d.PostmanA, d.ids[2], "123456"), postal.CodeConflict) // a letter has no code
		// Single use: once the delivery consumed it, the code is spent.
		if ok, err := db.ConsumeOTP(ctx, d.ids[0], d.Clock.Now()); !ok || err != nil {
			t.Fatalf("consume: %v %v", ok, err)
		}
		wantCode(t, d.svc.Verify(ctx, d.PostmanA, d.ids[0], code), postal.CodeConflict)
		if ok, _ := db.ConsumeOTP(ctx, d.ids[0], d.Clock.Now()); ok {
			t.Fatal("a code was consumed twice")
		}
	})
}

func TestResendAndExpiry(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		d := newDoor(t, db, otp.DefaultPolicy(), 2)
		ctx := context.Background()
		old := d.code(t, 1)
		before, _ := d.manifests.Get(ctx, d.PostmanA, d.manifest)
		wantCode(t, d.svc.Resend(ctx, d.PostmanB, d.ids[1]), postal.CodeNotFound)
		wantCode(t, d.svc.Resend(ctx, d.Supervisor2, d.ids[1]), postal.CodeNotFound)
		d.Clock.Advance(time.Minute) // so the outbox orders the new SMS after the old
		if err := d.svc.Resend(ctx, d.PostmanA, d.ids[1]); err != nil {
			t.Fatal(err)
		}
		fresh := d.code(t, 1)
		if fresh == old {
			t.Fatal("the resend sent the same code")
		}
		wantCode(t, d.svc.Verify(ctx, d.PostmanA, d.ids[1], old), postal.CodeUnprocessable)
		if err := d.svc.Verify(ctx, d.PostmanA, d.ids[1], fresh); err != nil {
			t.Fatalf("new code: %v", err)
		}
		after, _ := d.manifests.Get(ctx, d.PostmanA, d.manifest)
		if after.ETag == before.ETag || after.Version != before.Version+1 {
			t.Fatalf("the manifest did not take the new check: v%d→v%d", before.Version, after.Version)
		}
		for range 2 {
			d.Clock.Advance(time.Minute)
			if err := d.svc.Resend(ctx, d.Supervisor, d.ids[1]); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, d.svc.Resend(ctx, d.Supervisor, d.ids[1]), postal.CodeConflict) // a fourth
		// The code lives until two hours after the slot ends (20:00 IST).
		last := d.code(t, 1)
		d.Clock.Set(time.Date(2026, 11, 25, 21, 59, 59, 0, ist))
		if err := d.svc.Verify(ctx, d.PostmanA, d.ids[1], last); err != nil {
			t.Fatalf("before expiry: %v", err)
		}
		d.Clock.Set(time.Date(2026, 11, 25, 22, 0, 0, 0, ist))
		wantCode(t, d.svc.Verify(ctx, d.PostmanA, d.ids[1], last), postal.CodeUnprocessable)
	})
}

func TestPostmanLimitAcrossArticles(t *testing.T) {
	policy := otp.DefaultPolicy()
	policy.PostmanWrongMax = 7
	d := newDoor(t, testkit.DB(t), policy, 2)
	ctx := context.Background()
	for i := range 7 {
		wantCode(t, d.svc.Verify(ctx, d.PostmanA, d.ids[i%2], wrongCode(d.code(t, i%2))), postal.CodeUnprocessable)
	}
	e := wantCode(t, d.svc.Verify(ctx, d.PostmanA, d.ids[1], d.code(t, 1)), postal.CodeRateLimited)
	if e.RetryAfter <= 0 || e.RetryAfter > time.Hour {
		t.Fatalf("retry after %v", e.RetryAfter)
	}
	d.Clock.Advance(time.Hour + time.Second)
	if err := d.svc.Verify(ctx, d.PostmanA, d.ids[1], d.code(t, 1)); err != nil {
		t.Fatalf("after the hour: %v", err)
	}
}

func TestJudgeAtSync(t *testing.T) {
	d := newDoor(t, testkit.DB(t), otp.DefaultPolicy(), 1)
	ctx := context.Background()
	at := d.Clock.Now()
	cases := []struct {
		name, id, code string
		evidence       bool
		flag           string
		err            postal.Code
	}{
		{"right code", d.ids[0], d.code(t, 0), false, "", ""},
		{"wrong code, handed over offline", d.ids[0], wrongCode(d.code(t, 0)), false, otp.FlagMismatch, ""},
		{"no code, ID evidence", d.ids[0], "", true, otp.FlagBypassed, ""},
		{"neither", d.ids[0], "", false, "", postal.CodeUnprocessable},
		{"no code needed", d.ids[1], "", false, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			flag, err := d.svc.Judge(ctx, c.id, c.code, c.evidence, at)
			if c.err != "" {
				wantCode(t, err, c.err)
				return
			}
			if err != nil || flag != c.flag {
				t.Fatalf("flag %q, %v; want %q", flag, err, c.flag)
			}
		})
	}
	// Delivered in time, synced after the code expired: judged as of the delivery.
	d.Clock.Set(time.Date(2026, 11, 26, 9, 0, 0, 0, ist))
	if flag, err := d.svc.Judge(ctx, d.ids[0], d.code(t, 0), false, at); flag != "" || err != nil {
		t.Fatalf("late sync: %q %v", flag, err)
	}
	if flag, _ := d.svc.Judge(ctx, d.ids[0], d.code(t, 0), false, d.Clock.Now()); flag != otp.FlagMismatch {
		t.Fatalf("a delivery after expiry: %q", flag)
	}
}
