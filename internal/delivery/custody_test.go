package delivery_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/cod"
	"dakiya/internal/delivery"
	"dakiya/internal/idem"
	"dakiya/internal/manifest"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
	"dakiya/internal/proof"
	"dakiya/internal/proof/prooftest"
	"dakiya/internal/slot"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

var ist = time.FixedZone("IST", 5*3600+1800)

// day is a centre's working day with every service that acts on an
// article at the door, on a real database and a real bucket.
type day struct {
	*testkit.Centre
	t          *testing.T
	mf         *manifest.Service
	slots      *slot.Service
	otp        *otp.Service
	cod        *cod.Service
	proofs     *proof.Service
	deliveries *delivery.Service
	ids        map[string]string // by name
}

// newDay books the named articles (those starting with B on postman B's
// beat); with bucket, proofs go to a real S3 server.
func newDay(t *testing.T, db *store.DB, at time.Time, bucket bool, names ...string) *day {
	t.Helper()
	c := testkit.NewCentre(t, db, at)
	sealer, err := otp.NewSealer([]byte("otp seal key for tests, 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	issuer := otp.NewIssuer(sealer, testkit.SMSSealer(t), otp.DefaultPolicy(), c.Clock.Now, uuid.NewString)
	mf := manifest.New(db, c.Clock.Now, uuid.NewString, manifest.Options{RouteBudget: 20 * time.Millisecond, Codes: &issuer})
	codes := otp.New(db, issuer, otp.DefaultPolicy(), c.Clock.Now, mf.Reissue, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var proofs *proof.Service
	if bucket {
		proofs = proof.New(db, testkit.Bucket(t).Blobs(), c.Clock.Now, uuid.NewString, proof.Options{})
	}
	d := &day{Centre: c, t: t, mf: mf, slots: slot.New(db, slot.NewLinks(make([]byte, 32), "http://x"), c.Clock.Now),
		otp: codes, cod: cod.New(db, c.Clock.Now, uuid.NewString), proofs: proofs, ids: map[string]string{}}
	var dp delivery.Proofs
	if proofs != nil {
		dp = proofs
	}
	d.deliveries = delivery.New(db, codes, dp, nil, delivery.DefaultPolicy(), c.Clock.Now, uuid.NewString)
	var specs []testkit.ArticleSpec
	for i, name := range names {
		pin := "560034" // beat-a, postman A
		if name[0] == 'B' {
			pin = "560095" // beat-b, postman B
		}
		specs = append(specs, testkit.ArticleSpec{Serial: 52000001 + i, Service: postal.ServiceSpeedPost, COD: 49900, PIN: pin})
	}
	for i, id := range c.Book(t, specs...) {
		d.ids[names[i]] = id
	}
	return d
}

func (d *day) ctx() context.Context { return context.Background() }

func (d *day) must(err error) {
	d.t.Helper()
	if err != nil {
		d.t.Fatal(err)
	}
}

// schedule puts named articles into a slot.
func (d *day) schedule(date string, s postal.Slot, names ...string) {
	d.t.Helper()
	for _, n := range names {
		_, err := d.slots.Assign(d.ctx(), d.Supervisor, d.ids[n], article.Schedule{Date: date, Slot: s})
		d.must(err)
	}
}

// dispatch builds a slot and dispatches its manifests, returning them by
// postman.
func (d *day) dispatch(date string, s postal.Slot) map[string]string {
	d.t.Helper()
	res, err := d.mf.Build(d.ctx(), d.Supervisor, "dc-one", date, s)
	d.must(err)
	out := map[string]string{}
	for _, m := range res.Manifests {
		_, err := d.mf.Dispatch(d.ctx(), d.Supervisor, m.ID)
		d.must(err)
		out[m.PostmanID] = m.ID
	}
	return out
}

// hold brings an article back to the counter by hand.
func (d *day) hold(name string) {
	d.t.Helper()
	_, err := d.Articles.Record(d.ctx(), d.Supervisor, d.ids[name], article.Manual{Event: article.EventHeldAtCounter})
	d.must(err)
}

func (d *day) amend(manifestID string, am manifest.Amendment) {
	d.t.Helper()
	_, err := d.mf.Amend(d.ctx(), d.Supervisor, manifestID, am)
	d.must(err)
}

// delivered is a delivery against ID evidence with the cash.
func (d *day) delivered(name string) delivery.Input {
	return delivery.Input{ArticleID: d.ids[name], Outcome: delivery.Delivered, ProofIDs: []string{},
		IDEvidence: &delivery.Evidence{Type: "Aadhaar", Last4: "1234", ReceivedBy: "self"},
		Location:   &delivery.Location{Lat: 12.9361, Lon: 77.6212, AccuracyM: 8},
		CapturedAt: d.Clock.Now(), COD: &delivery.COD{Mode: "cash", AmountPaise: 49900}}
}

func (d *day) failed(name string) delivery.Input {
	return delivery.Input{ArticleID: d.ids[name], Outcome: delivery.Failed, ReasonCode: "01", ProofIDs: []string{},
		Location: &delivery.Location{Lat: 12.9361, Lon: 77.6212, AccuracyM: 8}, CapturedAt: d.Clock.Now()}
}

func (d *day) submit(p postal.Principal, in delivery.Input) (delivery.Result, error) {
	res, err := d.deliveries.Submit(d.ctx(), p, in, idem.Receipt{}, time.Time{})
	return res, err
}

// action is one thing a postman does with an article at the door.
type action struct {
	name string
	do   func(d *day, p postal.Principal, id string) error
}

func actions() []action {
	return []action{
		{"proof upload", func(d *day, p postal.Principal, id string) error {
			_, err := d.proofs.Upload(d.ctx(), p, proof.Upload{ArticleID: id, Kind: proof.KindPhoto, Key: uuid.NewString(),
				Data: prooftest.JPEG(20, 20, 3)}, idem.Receipt{})
			return err
		}},
		{"otp verify", func(d *day, p postal.Principal, id string) error {
			err := d.otp.Verify(d.ctx(), p, id, "000000")
			if postal.IsCode(err, postal.CodeUnprocessable) {
				return nil // a wrong code, told to its custodian
			}
			return err
		}},
		{"otp resend", func(d *day, p postal.Principal, id string) error { return d.otp.Resend(d.ctx(), p, id) }},
		{"upi link", func(d *day, p postal.Principal, id string) error {
			_, err := d.cod.UPILink(d.ctx(), p, id)
			return err
		}},
		{"outcome", func(d *day, p postal.Principal, id string) error {
			in := delivery.Input{ArticleID: id, Outcome: delivery.Delivered, ProofIDs: []string{},
				IDEvidence: &delivery.Evidence{Type: "Aadhaar", Last4: "1234", ReceivedBy: "self"},
				Location:   &delivery.Location{Lat: 12.9361, Lon: 77.6212, AccuracyM: 8},
				CapturedAt: d.Clock.Now(), COD: &delivery.COD{Mode: "cash", AmountPaise: 49900}}
			res, err := d.submit(p, in)
			if err == nil && res.ArticleStatus != article.StatusDelivered {
				return errors.New("delivered, but the article is " + string(res.ArticleStatus))
			}
			return err
		}},
	}
}

// TestOneCustodian moves articles off postman A's morning round in every
// way a centre does, then has both postmen try every action on each: only
// the current custodian may act, and everyone else is told the article
// does not exist, whatever resends happened on the old round meanwhile.
func TestOneCustodian(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		d := newDay(t, db, time.Date(2026, 11, 25, 5, 0, 0, 0, ist), true,
			"held", "rescheduled", "amended to B", "failed, out again", "failed, out with B", "taken off", "kept", "B's")
		d.schedule("2026-11-25", postal.SlotMorning, "held", "rescheduled", "amended to B", "failed, out again",
			"failed, out with B", "taken off", "kept")
		morning := d.dispatch("2026-11-25", postal.SlotMorning)[d.PostmanA.UserID]

		d.Clock.Set(time.Date(2026, 11, 25, 8, 0, 0, 0, ist))
		d.hold("held")
		d.hold("rescheduled")
		d.schedule("2026-11-26", postal.SlotMorning, "rescheduled")
		for _, n := range []string{"failed, out again", "failed, out with B"} {
			_, err := d.submit(d.PostmanA, d.failed(n))
			d.must(err)
		}
		d.amend(morning, manifest.Amendment{Remove: []string{d.ids["taken off"]}})
		d.hold("amended to B")

		d.Clock.Set(time.Date(2026, 11, 25, 9, 0, 0, 0, ist))
		d.schedule("2026-11-25", postal.SlotEvening, "failed, out again", "B's")
		evening := d.dispatch("2026-11-25", postal.SlotEvening)
		d.schedule("2026-11-25", postal.SlotEvening, "amended to B", "failed, out with B")
		d.amend(evening[d.PostmanB.UserID], manifest.Amendment{Add: []string{d.ids["amended to B"]}})
		d.amend(evening[d.PostmanB.UserID], manifest.Amendment{Add: []string{d.ids["failed, out with B"]}})
		// A resend on the morning round changes that manifest last; it must
		// not make A the holder of what left it.
		d.Clock.Set(time.Date(2026, 11, 25, 9, 30, 0, 0, ist))
		d.must(d.otp.Resend(d.ctx(), d.PostmanA, d.ids["kept"]))

		d.Clock.Set(time.Date(2026, 11, 25, 17, 30, 0, 0, ist))
		none := postal.Principal{}
		custodian := map[string]postal.Principal{
			"held": none, "rescheduled": none, "taken off": none,
			"amended to B": d.PostmanB, "failed, out with B": d.PostmanB, "failed, out again": d.PostmanA, "kept": d.PostmanA,
		}
		for name, holder := range custodian {
			for _, p := range []postal.Principal{d.PostmanA, d.PostmanB} {
				if p == holder {
					continue
				}
				for _, a := range actions() {
					if err := a.do(d, p, d.ids[name]); !postal.IsCode(err, postal.CodeNotFound) {
						t.Errorf("%s: %s by %s: %v, want not found", name, a.name, p.Username, err)
					}
				}
			}
			if holder == none {
				continue
			}
			for _, a := range actions() {
				if err := a.do(d, holder, d.ids[name]); err != nil {
					t.Errorf("%s: %s by its custodian %s: %v", name, a.name, holder.Username, err)
				}
			}
		}
	})
}

// TestEveningOutcomeAfterMorningResend is the round trip the old rule
// broke: attempted in the morning, out again in the evening, and a resend
// on the morning round in between. The evening outcome is recorded; sent
// again it is a final 409 carrying the stored outcome.
func TestEveningOutcomeAfterMorningResend(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		d := newDay(t, db, time.Date(2026, 11, 25, 5, 0, 0, 0, ist), false, "tried twice", "other")
		d.schedule("2026-11-25", postal.SlotMorning, "tried twice", "other")
		d.dispatch("2026-11-25", postal.SlotMorning)
		d.Clock.Set(time.Date(2026, 11, 25, 8, 0, 0, 0, ist))
		_, err := d.submit(d.PostmanA, d.failed("tried twice"))
		d.must(err)
		d.schedule("2026-11-25", postal.SlotEvening, "tried twice")
		d.Clock.Set(time.Date(2026, 11, 25, 9, 0, 0, 0, ist))
		d.dispatch("2026-11-25", postal.SlotEvening)
		d.Clock.Set(time.Date(2026, 11, 25, 10, 0, 0, 0, ist))
		d.must(d.otp.Resend(d.ctx(), d.PostmanA, d.ids["other"])) // on the morning round

		d.Clock.Set(time.Date(2026, 11, 25, 17, 45, 0, 0, ist))
		first, err := d.submit(d.PostmanA, d.delivered("tried twice"))
		if err != nil {
			t.Fatalf("evening outcome: %v", err)
		}
		_, err = d.submit(d.PostmanA, d.delivered("tried twice"))
		var pe *postal.Error
		if !errors.As(err, &pe) || pe.Code != postal.CodeAlreadyDone || pe.Message != "this article already has its outcome" {
			t.Fatalf("second outcome: %v, want already done", err)
		}
		want := delivery.Summary{ID: first.ID, Outcome: delivery.Delivered, ArticleStatus: article.StatusDelivered, Flags: first.Flags}
		if diff := cmp.Diff(want, pe.Extra["outcome"]); diff != "" {
			t.Fatalf("the stored outcome (-want +got):\n%s", diff)
		}
		// The morning attempt is its own assignment's outcome, and someone
		// else asking is told nothing.
		if _, err := d.submit(d.PostmanB, d.delivered("tried twice")); !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("postman B: %v", err)
		}
		var n int
		d.must(db.QueryRowForTest(d.ctx(), "SELECT COUNT(*) FROM deliveries WHERE article_id = ?", d.ids["tried twice"]).Scan(&n))
		if n != 2 {
			t.Fatalf("%d outcomes stored, want the morning's and the evening's", n)
		}
	})
}

// TestClockSkew flags an outcome captured more than five minutes before
// its article went out or after now, or sent by a phone whose clock is
// more than five minutes off ours, in either direction.
func TestClockSkew(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		out := time.Date(2026, 11, 25, 5, 0, 0, 0, ist)
		now := out.Add(time.Hour)
		cases := []struct {
			name     string
			captured time.Time
			device   time.Time
			skew     bool
		}{
			{"in the round", now.Add(-30 * time.Minute), time.Time{}, false},
			{"just before going out", out.Add(-4 * time.Minute), time.Time{}, false},
			{"before going out", out.Add(-6 * time.Minute), time.Time{}, true},
			{"just ahead", now.Add(4 * time.Minute), time.Time{}, false},
			{"in the future", now.Add(6 * time.Minute), time.Time{}, true},
			{"phone clock right", now, now.Add(-4 * time.Minute), false},
			{"phone clock ahead", now, now.Add(6 * time.Minute), true},
			{"phone clock behind", now, now.Add(-6 * time.Minute), true},
		}
		var names []string
		for _, c := range cases {
			names = append(names, c.name)
		}
		d := newDay(t, db, out, false, names...)
		d.schedule("2026-11-25", postal.SlotMorning, names...)
		d.dispatch("2026-11-25", postal.SlotMorning)
		d.Clock.Set(now)
		for _, c := range cases {
			in := d.failed(c.name)
			in.CapturedAt = c.captured
			res, err := d.deliveries.Submit(d.ctx(), d.PostmanA, in, idem.Receipt{}, c.device)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := slices.Contains(res.Flags, delivery.FlagClockSkew); got != c.skew {
				t.Errorf("%s: flags %v, want clock_skew %v", c.name, res.Flags, c.skew)
			}
		}
	})
}
