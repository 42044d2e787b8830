package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/delivery"
	"dakiya/internal/manifest"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

var ist = time.FixedZone("IST", 5*3600+1800)

// round is postman A's dispatched evening round of n Speed Post articles.
type round struct {
	*testkit.Centre
	mf       *manifest.Service
	issuer   otp.Issuer
	ids      []string
	manifest string
}

func newRound(t *testing.T, db *store.DB, n int) round {
	t.Helper()
	var specs []testkit.ArticleSpec
	for i := range n {
		specs = append(specs, testkit.ArticleSpec{Serial: 53000001 + i, Service: postal.ServiceSpeedPost})
	}
	return newRoundOf(t, db, specs)
}

// newRoundOf is postman A's dispatched evening round of the articles specs
// describe.
func newRoundOf(t *testing.T, db *store.DB, specs []testkit.ArticleSpec) round {
	t.Helper()
	ctx := context.Background()
	c := testkit.NewCentre(t, db, time.Date(2026, 11, 25, 9, 0, 0, 0, ist))
	sealer, err := otp.NewSealer([]byte("otp seal key for tests, 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	r := round{Centre: c, issuer: otp.NewIssuer(sealer, testkit.SMSSealer(t), otp.DefaultPolicy(), c.Clock.Now, uuid.NewString)}
	r.mf = manifest.New(db, c.Clock.Now, uuid.NewString, manifest.Options{RouteBudget: 20 * time.Millisecond, Codes: &r.issuer})
	r.ids = c.Book(t, specs...)
	slots := slot.New(db, slot.NewLinks(make([]byte, 32), "http://x"), c.Clock.Now)
	for _, id := range r.ids {
		if _, err := slots.Assign(ctx, c.Supervisor, id, article.Schedule{Date: "2026-11-25", Slot: postal.SlotEvening}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := r.mf.Build(ctx, c.Supervisor, "dc-one", "2026-11-25", postal.SlotEvening)
	if err != nil {
		t.Fatal(err)
	}
	r.manifest = res.Manifests[0].ID
	if _, err := r.mf.Dispatch(ctx, c.Supervisor, r.manifest); err != nil {
		t.Fatal(err)
	}
	return r
}

func holding(t *testing.T, db *store.DB, id string) otp.Holding {
	t.Helper()
	h, err := db.Holding(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// resend makes the next code of an article and stores it with the
// manifest's new version.
func (r round) resend(t *testing.T, i int) error {
	t.Helper()
	h := holding(t, r.DB, r.ids[i])
	st, err := r.DB.OTP(context.Background(), r.ids[i])
	if err != nil {
		t.Fatal(err)
	}
	next, err := r.issuer.Reissue(st, otp.Group{Articles: []string{h.ArticleID}, Phone: h.Phone, Centre: h.DCName,
		Start: h.Window[0], End: h.Window[1]})
	if err != nil {
		t.Fatal(err)
	}
	return r.mf.Reissue(context.Background(), h, st.Counter, next)
}

// TestHoldingIsCustody: dispatch gives each article its own assignment,
// and neither a resend nor amending another article changes anyone's
// answer; taking one off the round ends its custody.
func TestHoldingIsCustody(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		r := newRound(t, db, 3)
		dispatchedAt := r.Clock.Now()
		before := holding(t, db, r.ids[0])
		if !before.Out || before.Done || before.PostmanID != r.PostmanA.UserID || before.ManifestID != r.manifest ||
			before.AssignmentID == "" || !before.Since.Equal(dispatchedAt.UTC()) {
			t.Fatalf("after dispatch: %+v", before)
		}
		if other := holding(t, db, r.ids[1]); other.AssignmentID == before.AssignmentID {
			t.Fatal("two articles share an assignment")
		}
		r.Clock.Advance(time.Hour)
		if err := r.resend(t, 0); err != nil {
			t.Fatal(err)
		}
		if err := r.resend(t, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := r.mf.Amend(context.Background(), r.Supervisor, r.manifest, manifest.Amendment{Remove: []string{r.ids[2]}}); err != nil {
			t.Fatal(err)
		}
		if after := holding(t, db, r.ids[0]); after != before {
			t.Fatalf("a resend or another article's amendment moved custody:\n%+v\n%+v", before, after)
		}
		off := holding(t, db, r.ids[2])
		if off.Out || off.Done || off.PostmanID != "" {
			t.Fatalf("taken off the round, still held: %+v", off)
		}
	})
}

// TestReissueWaitsForACustodyMove: a resend that starts while another
// transaction is ending the article's custody (back at the counter) waits
// for it and then finds the custody gone: no new code, no SMS.
func TestReissueWaitsForACustodyMove(t *testing.T) {
	testkit.EachBusyDB(t, func(t *testing.T, db *store.DB, busy *testkit.Busy) {
		r := newRound(t, db, 1)
		ctx, id := context.Background(), r.ids[0]
		rs := pendingResend(t, db, r)
		sms := countRows(t, db, "sms")
		busy.Change(t, 300*time.Millisecond, fmt.Sprintf(
			"UPDATE custody SET ended_at = 1, ended_by = 'held' WHERE article_id = '%s'", id))
		if err := rs.send(ctx, db); !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("a resend racing a move off the round: %v, want not found", err)
		}
		if now, _ := db.OTP(ctx, id); now.Counter != rs.from.Counter || countRows(t, db, "sms") != sms {
			t.Fatalf("a code was resent for an article whose custody ended meanwhile: %+v", now)
		}
	})
}

// TestReissueBesideAnAmendment: a resend and an amendment that takes the
// article off the same manifest take their locks in the same order (the
// manifest, then custody), so neither deadlocks the other: the amendment
// commits and the resend then finds the custody gone.
func TestReissueBesideAnAmendment(t *testing.T) {
	testkit.EachBusyDB(t, func(t *testing.T, db *store.DB, busy *testkit.Busy) {
		r := newRound(t, db, 1)
		ctx, id := context.Background(), r.ids[0]
		rs := pendingResend(t, db, r)
		amend := busy.Begin(t)
		if err := amend.Exec(fmt.Sprintf("UPDATE manifests SET updated_at = updated_at WHERE id = '%s'", r.manifest)); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- rs.send(ctx, db) }()
		time.Sleep(300 * time.Millisecond) // the resend is now waiting
		if err := amend.Exec(fmt.Sprintf("UPDATE custody SET ended_at = 1, ended_by = 'amended' WHERE article_id = '%s'", id)); err != nil {
			t.Fatalf("the amendment: %v", err)
		}
		if err := amend.Commit(); err != nil {
			t.Fatalf("the amendment's commit: %v", err)
		}
		if err := <-done; !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("the resend beside the amendment: %v, want not found", err)
		}
	})
}

// TestCounterBesideAnOutcome: bringing an article back to the counter
// while its outcome is being recorded takes custody before the article
// row, as the outcome does, so neither deadlocks the other: the outcome
// commits and the counter is told the article changed meanwhile.
func TestCounterBesideAnOutcome(t *testing.T) {
	testkit.EachBusyDB(t, func(t *testing.T, db *store.DB, busy *testkit.Busy) {
		r := newRound(t, db, 1)
		ctx := context.Background()
		id := r.ids[0]
		outcome := busy.Begin(t) // as RecordOutcome: custody first, the article later
		if err := outcome.Exec(fmt.Sprintf("UPDATE custody SET ended_at = 1, ended_by = 'outcome' WHERE article_id = '%s'", id)); err != nil {
			t.Fatal(err)
		}
		held := article.Event{Event: article.EventHeldAtCounter, Status: article.StatusHeld,
			Code: article.UPUCode(article.EventHeldAtCounter), At: r.Clock.Now(), Place: "Koramangala DC", ActorID: r.Supervisor.UserID}
		done := make(chan error, 1)
		go func() { done <- db.AppendEvent(ctx, id, article.StatusOutForDelivery, held, nil) }()
		time.Sleep(300 * time.Millisecond) // the counter is now waiting
		if err := outcome.Exec(fmt.Sprintf("UPDATE articles SET status = 'delivered' WHERE id = '%s'", id)); err != nil {
			t.Fatalf("the outcome: %v", err)
		}
		if err := outcome.Commit(); err != nil {
			t.Fatalf("the outcome's commit: %v", err)
		}
		if err := <-done; !postal.IsCode(err, postal.CodeConflict) {
			t.Fatalf("the counter beside the outcome: %v, want conflict", err)
		}
	})
}

// TestReissueIsOneTransaction: a resend's code and the manifest version
// carrying its check commit together or not at all.
func TestReissueIsOneTransaction(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		r := newRound(t, db, 1)
		ctx, id := context.Background(), r.ids[0]
		rs := pendingResend(t, db, r)
		fresh, st, next := rs.rec, rs.from, rs.next
		rec := fresh
		rec.Version, rec.ETag = fresh.Version-1, rs.etag
		sms := countRows(t, db, "sms")
		stale := rec // a version already stored: another change won
		if err := db.Reissue(ctx, stale, rs.assignment, st.Counter, next); !postal.IsCode(err, postal.CodeConflict) {
			t.Fatalf("reissue on a stale manifest: %v, want conflict", err)
		}
		if now, _ := db.OTP(ctx, id); now.Counter != st.Counter || now.Check != st.Check || countRows(t, db, "sms") != sms {
			t.Fatalf("the code moved without its manifest: %+v", now)
		}
		if err := db.Reissue(ctx, fresh, rs.assignment, st.Counter+7, next); !postal.IsCode(err, postal.CodeConflict) {
			t.Fatalf("reissue from a stale counter: %v, want conflict", err)
		}
		if m, _ := db.Manifest(ctx, r.manifest); m.Version != rec.Version {
			t.Fatalf("the manifest moved without the code: v%d", m.Version)
		}
		if err := db.Reissue(ctx, fresh, "another assignment", st.Counter, next); !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("reissue out of custody: %v, want not found", err)
		}
		if now, _ := db.OTP(ctx, id); now.Counter != st.Counter || countRows(t, db, "sms") != sms {
			t.Fatalf("a code was resent for an article out of that custody: %+v", now)
		}
		r.Clock.Advance(time.Minute)
		if err := r.resend(t, 0); err != nil {
			t.Fatal(err)
		}
		now, _ := db.OTP(ctx, id)
		checks, _ := db.OTPChecks(ctx, r.manifest)
		m, _ := db.Manifest(ctx, r.manifest)
		if now.Counter != st.Counter+1 || m.Version != rec.Version+1 || checks[id].Check != now.Check ||
			!strings.Contains(string(m.Body), `"otp_check":"`+now.Check+`"`) {
			t.Fatalf("after a resend: counter %d, v%d, check %q in %s", now.Counter, m.Version, now.Check, m.Body)
		}
	})
}

// TestOneOutcomePerAssignment fires outcomes for one assignment at once:
// exactly one is recorded, every other is told it is already done (never
// a conflict to retry), and an assignment that is no longer current is
// not found.
func TestOneOutcomePerAssignment(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		r := newRound(t, db, 2)
		ctx := context.Background()
		h := holding(t, db, r.ids[0])
		ok := testkit.Race(t, 8, postal.CodeAlreadyDone, func(i int) error {
			return db.RecordOutcome(ctx, r.outcome(h, fmt.Sprintf("d-%d", i)))
		})
		if ok != 1 {
			t.Fatalf("%d outcomes recorded, want 1", ok)
		}
		done := holding(t, db, r.ids[0])
		if done.Out || !done.Done || done.PostmanID != r.PostmanA.UserID || done.AssignmentID != h.AssignmentID {
			t.Fatalf("after the outcome: %+v", done)
		}
		sum, err := db.AssignmentOutcome(ctx, h.AssignmentID)
		if err != nil || sum.Outcome != delivery.Delivered || sum.ArticleStatus != article.StatusDelivered || len(sum.Flags) != 0 {
			t.Fatalf("the stored outcome: %+v %v", sum, err)
		}
		// Taken off the round: the assignment is over, and not by an outcome.
		other := holding(t, db, r.ids[1])
		if _, err := r.mf.Amend(ctx, r.Supervisor, r.manifest, manifest.Amendment{Remove: []string{r.ids[1]}}); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordOutcome(ctx, r.outcome(other, "late")); !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("an outcome for an ended assignment: %v, want not found", err)
		}
		if got := countRows(t, db, "deliveries"); got != 1 {
			t.Fatalf("%d deliveries stored, want 1", got)
		}
	})
}

// outcome is a delivery by the custodian of h.
func (r round) outcome(h otp.Holding, id string) delivery.Record {
	at := r.Clock.Now()
	d := delivery.Delivery{ID: id, ArticleID: h.ArticleID, DCID: h.DCID, PostmanID: h.PostmanID, ManifestID: h.ManifestID,
		Date: h.Date, Slot: h.Slot, Outcome: delivery.Delivered, CapturedAt: at, Review: "pending", CreatedAt: at,
		Flags: []string{}, ProofIDs: []string{}, AssignmentID: h.AssignmentID, Status: article.StatusDelivered}
	return delivery.Record{Delivery: d, From: article.StatusOutForDelivery, Events: []article.Event{{Event: article.EventDelivered,
		Status: article.StatusDelivered, Code: article.UPUCode(article.EventDelivered), At: at, ActorID: h.PostmanID}}}
}

func countRows(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRowForTest(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCustodyBackfill takes a database back to before migration 0008, with
// one article out, one delivered and one taken off the round, and migrates
// it: only the article still out is in custody, with its postman.
func TestCustodyBackfill(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		r := newRound(t, db, 3)
		ctx := context.Background()
		dispatchedAt := r.Clock.Now()
		out := holding(t, db, r.ids[0])
		r.Clock.Advance(time.Hour)
		if err := db.RecordOutcome(ctx, r.outcome(holding(t, db, r.ids[1]), "d-1")); err != nil {
			t.Fatal(err)
		}
		if _, err := r.mf.Amend(ctx, r.Supervisor, r.manifest, manifest.Amendment{Remove: []string{r.ids[2]}}); err != nil {
			t.Fatal(err)
		}
		// On PostgreSQL outcomes have been partitioned since 0032: go back
		// to before that first, to the one plain table 0008 knew; migrating
		// then applies 0008 and 0032 again, keeping the rows.
		var unpartition []string
		want := 1
		if db.Dialect() == store.Postgres {
			unpartition, want = []string{
				"CREATE TABLE deliveries_flat (LIKE deliveries INCLUDING DEFAULTS INCLUDING CONSTRAINTS)",
				"INSERT INTO deliveries_flat SELECT * FROM deliveries",
				"DROP TABLE deliveries",
				"DROP TABLE delivery_keys CASCADE",
				"DROP FUNCTION delivery_keys_insert, delivery_keys_update",
				"ALTER TABLE deliveries_flat RENAME TO deliveries",
				"ALTER TABLE deliveries ADD PRIMARY KEY (id)",
				"CREATE UNIQUE INDEX deliveries_one_per_assignment ON deliveries (article_id, assignment_id)",
				"DELETE FROM schema_migrations WHERE version = 32",
			}, 2
		}
		for _, q := range append(unpartition,
			"DROP TABLE custody",
			"DROP INDEX deliveries_one_per_assignment",
			"ALTER TABLE deliveries DROP COLUMN assignment_id",
			"ALTER TABLE deliveries DROP COLUMN article_status",
			"CREATE UNIQUE INDEX deliveries_one_per_dispatch ON deliveries (article_id, manifest_id)",
			"DELETE FROM schema_migrations WHERE version = 8",
		) {
			if err := db.ExecForTest(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if n, err := db.Migrate(ctx, r.Clock.Now()); err != nil || n != want {
			t.Fatalf("migrate: %d %v", n, err)
		}
		if n := countRows(t, db, "custody"); n != 1 {
			t.Fatalf("%d articles in custody, want 1", n)
		}
		h := holding(t, db, r.ids[0])
		if !h.HeldBy(r.PostmanA) || h.ManifestID != r.manifest || !h.Since.Equal(dispatchedAt.UTC()) || h.Window != out.Window {
			t.Fatalf("backfilled: %+v", h)
		}
		for _, id := range r.ids[1:] {
			if h := holding(t, db, id); h.PostmanID != "" || h.Out {
				t.Fatalf("%s held after the backfill: %+v", id, h)
			}
		}
		var assignment string
		if err := db.QueryRowForTest(ctx, "SELECT assignment_id FROM deliveries WHERE id = 'd-1'").Scan(&assignment); err != nil ||
			assignment != "m0008-"+r.manifest {
			t.Fatalf("the old outcome's assignment: %q %v", assignment, err)
		}
	})
}

// TestCustodyHistoryBackfill takes a database back to before migration
// 0017, with one article out, one delivered and one taken off the round,
// and migrates it: each has its one period, as custody last had it.
func TestCustodyHistoryBackfill(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		r := newRound(t, db, 3)
		ctx := context.Background()
		r.Clock.Advance(time.Hour)
		if err := db.RecordOutcome(ctx, r.outcome(holding(t, db, r.ids[1]), "d-1")); err != nil {
			t.Fatal(err)
		}
		if _, err := r.mf.Amend(ctx, r.Supervisor, r.manifest, manifest.Amendment{Remove: []string{r.ids[2]}}); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{r.ids[0]: "", r.ids[1]: "outcome", r.ids[2]: "amended"}
		check := func(when string) {
			for id, by := range want {
				as, err := db.Assignments(ctx, id)
				if err != nil || len(as) != 1 || as[0].EndedBy != by || (as[0].EndedAt == nil) != (by == "") ||
					as[0].ManifestID != r.manifest || as[0].PostmanID != r.PostmanA.UserID {
					t.Fatalf("%s: %s: %+v %v", when, id, as, err)
				}
			}
		}
		check("written with custody")
		for _, q := range []string{"DROP TABLE custody_history", "DELETE FROM schema_migrations WHERE version = 17"} {
			if err := db.ExecForTest(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if n, err := db.Migrate(ctx, r.Clock.Now()); err != nil || n != 1 {
			t.Fatalf("migrate: %d %v", n, err)
		}
		check("backfilled")
	})
}

// resend is a code resend for a round's first article, ready to store.
type resend struct {
	rec        manifest.Record // the manifest's next version
	etag       string          // the stored version's ETag
	assignment string
	from       otp.State
	next       otp.Issued
}

// pendingResend prepares the resend of the code of r's first article, as
// the service would, with the manifest's next version.
func pendingResend(t *testing.T, db *store.DB, r round) resend {
	t.Helper()
	ctx, id := context.Background(), r.ids[0]
	st, _ := db.OTP(ctx, id)
	h := holding(t, db, id)
	next, err := r.issuer.Reissue(st, otp.Group{Articles: []string{id}, Phone: h.Phone, Centre: h.DCName,
		Start: h.Window[0], End: h.Window[1]})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := db.Manifest(ctx, r.manifest)
	if err != nil {
		t.Fatal(err)
	}
	etag := rec.ETag
	rec.Version, rec.ETag = rec.Version+1, `"new"`
	return resend{rec: rec, etag: etag, assignment: h.AssignmentID, from: st, next: next}
}

// send stores the resend.
func (rs resend) send(ctx context.Context, db *store.DB) error {
	return db.Reissue(ctx, rs.rec, rs.assignment, rs.from.Counter, rs.next)
}
