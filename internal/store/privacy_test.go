package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/beatplan"
	"dakiya/internal/delivery"
	"dakiya/internal/idem"
	"dakiya/internal/manifest"
	"dakiya/internal/postal"
	"dakiya/internal/privacy"
	"dakiya/internal/proof"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

const day = 24 * time.Hour

// personal is what the database holds about one article's recipient.
type personal struct {
	name, phone, address string
	lat                  sql.NullFloat64
	erased               sql.NullInt64
	sms, smsBlank        int // SMS of the article, and of them with neither phone nor body
	receivedBy, last4    string
	codes                int // otp_articles rows
	events               int
	notes                int // events with a note
}

func personalOf(t *testing.T, db *store.DB, id string) personal {
	t.Helper()
	ctx := context.Background()
	var p personal
	if err := db.QueryRowForTest(ctx, `SELECT recipient_name, recipient_phone, address, lat, erased_at FROM articles WHERE id = ?`, id).
		Scan(&p.name, &p.phone, &p.address, &p.lat, &p.erased); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowForTest(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN phone = '' AND body = '' THEN 1 ELSE 0 END), 0)
		FROM sms WHERE article_id = ?`, id).Scan(&p.sms, &p.smsBlank); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowForTest(ctx, `SELECT COALESCE(MAX(received_by), ''), COALESCE(MAX(evidence_last4), '') FROM deliveries WHERE article_id = ?`, id).
		Scan(&p.receivedBy, &p.last4); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM otp_articles WHERE article_id = ?`, id).Scan(&p.codes); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowForTest(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN note <> '' THEN 1 ELSE 0 END), 0) FROM article_events WHERE article_id = ?`, id).
		Scan(&p.events, &p.notes); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRetentionJob: a final article past the retention loses its
// recipient's data everywhere (article, SMS, outcome, codes, event notes)
// while its tracking events stay and still answer; a final article within
// the retention and one not final keep theirs; a second run changes
// nothing; a proof past its own retention is marked expired; a replica
// holding the job keeps the others out.
func TestRetentionJob(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := newRound(t, db, 3)
		old, recent, open := r.ids[0], r.ids[1], r.ids[2]
		pid := uuid.NewString()
		if err := db.InsertProof(ctx, proof.Meta{ID: pid, ArticleID: old, DCID: "dc-one", PostmanID: r.PostmanA.UserID,
			Kind: proof.KindPhoto, ObjectKey: "proofs/" + pid + ".jpg", ContentType: "image/jpeg", Size: 1,
			SHA256: "00", Width: 1, Height: 1, IdempotencyKey: pid, CreatedAt: r.Clock.Now()}, proof.MaxPerArticle, idem.Completion{}); err != nil {
			t.Fatal(err)
		}
		deliver := func(id string) {
			rec := r.outcome(holding(t, db, id), uuid.NewString())
			rec.Delivery.IDEvidence = &delivery.Evidence{Type: "Aadhaar", Last4: "4321", ReceivedBy: "neighbour Ravi"}
			rec.Events[0].Note = "left with neighbour Ravi"
			if err := db.RecordOutcome(ctx, rec); err != nil {
				t.Fatal(err)
			}
		}
		deliver(old)
		r.Clock.Advance(30 * day)
		deliver(recent)
		before := map[string]personal{}
		for _, id := range r.ids {
			before[id] = personalOf(t, db, id)
			if before[id].name == "" || before[id].phone == "" || before[id].erased.Valid {
				t.Fatalf("%s before the job: %+v", id, before[id])
			}
		}
		if before[old].receivedBy == "" || before[old].notes == 0 || before[old].sms == 0 || before[old].codes == 0 {
			t.Fatalf("the fixture lacks personal data to erase: %+v", before[old])
		}

		// 95 days after the old article's delivery, 65 after the recent one's.
		r.Clock.Advance(65 * day)
		svc := privacy.New(db, nil, r.Clock.Now, uuid.NewString, privacy.Options{Retention: 90 * day, ProofRetention: 400 * day})
		if ok, err := db.TakeLock(ctx, "retention", "replica-b", r.Clock.Now(), r.Clock.Now().Add(time.Hour)); err != nil || !ok {
			t.Fatalf("replica b takes the job: %v %v", ok, err)
		}
		rep, err := svc.RunOnce(ctx, "replica-a")
		if err != nil || !rep.Skipped {
			t.Fatalf("while replica b holds the job: %+v %v, want skipped", rep, err)
		}
		if p := personalOf(t, db, old); p != before[old] {
			t.Fatalf("a skipped run changed %+v", p)
		}
		if err := db.ReleaseLock(ctx, "retention", "replica-b"); err != nil {
			t.Fatal(err)
		}
		rep, err = svc.RunOnce(ctx, "replica-a")
		if err != nil || rep.Skipped || rep.Articles != 1 || rep.Proofs != 0 {
			t.Fatalf("first run: %+v %v, want one article erased", rep, err)
		}
		got := personalOf(t, db, old)
		if got.name != store.Erased || got.phone != "" || got.address != store.Erased || got.lat.Valid || !got.erased.Valid ||
			got.smsBlank != got.sms || got.receivedBy != "" || got.last4 != "" || got.codes != 0 || got.notes != 0 {
			t.Fatalf("the old final article after the job: %+v", got)
		}
		var body string
		if err := db.QueryRowForTest(ctx, `SELECT body FROM manifests WHERE id = ?`, r.manifest).Scan(&body); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(body, before[old].name) || strings.Contains(body, before[old].phone) ||
			!strings.Contains(body, before[recent].name) || !strings.Contains(body, before[recent].phone) {
			t.Fatalf("the manifest after the job still names the erased recipient, or lost another: %s", body)
		}
		if got.events != before[old].events {
			t.Fatalf("%d events after the job, want the %d kept", got.events, before[old].events)
		}
		tr, err := r.Articles.Track(ctx, old)
		if err != nil || len(tr.Events) != before[old].events || tr.Status != "delivered" {
			t.Fatalf("tracking after the job: %+v %v", tr, err)
		}
		for _, id := range []string{recent, open} {
			if p := personalOf(t, db, id); p != before[id] {
				t.Fatalf("%s (recent or not final) changed: %+v, was %+v", id, p, before[id])
			}
		}
		x, err := db.HeldAbout(ctx, before[old].phone)
		if err != nil || len(x.Articles) != 0 {
			t.Fatalf("held about the erased phone: %+v %v", x, err)
		}
		x, err = db.HeldAbout(ctx, before[recent].phone)
		if err != nil || len(x.Articles) != 1 || len(x.Articles[0].Events) == 0 || len(x.Articles[0].Deliveries) != 1 ||
			x.Articles[0].Deliveries[0].ReceivedBy != "neighbour Ravi" {
			t.Fatalf("held about the recent phone: %+v %v", x, err)
		}

		snapshot := dumpArticles(t, db, r.ids)
		rep, err = svc.RunOnce(ctx, "replica-a")
		if err != nil || rep != (privacy.Report{}) {
			t.Fatalf("second run: %+v %v, want nothing done", rep, err)
		}
		if again := dumpArticles(t, db, r.ids); again != snapshot {
			t.Fatalf("a second run changed the articles:\n%s\nwas\n%s", again, snapshot)
		}

		// The proof, 401 days old, is past its retention.
		r.Clock.Advance(306 * day)
		rep, err = svc.RunOnce(ctx, "replica-a")
		if err != nil || rep.Proofs != 1 {
			t.Fatalf("run past the proof's retention: %+v %v", rep, err)
		}
		var expired sql.NullInt64
		if err := db.QueryRowForTest(ctx, `SELECT expired_at FROM proofs WHERE id = ?`, pid).Scan(&expired); err != nil || !expired.Valid {
			t.Fatalf("the proof's row: expired_at %v %v", expired, err)
		}
		if rep, err = svc.RunOnce(ctx, "replica-a"); err != nil || rep.Proofs != 0 {
			t.Fatalf("again: %+v %v", rep, err)
		}
	})
}

// dumpArticles prints every article's stored personal columns.
func dumpArticles(t *testing.T, db *store.DB, ids []string) string {
	t.Helper()
	var out string
	for _, id := range ids {
		var name, phone, addr string
		var erased sql.NullInt64
		err := db.QueryRowForTest(context.Background(), `SELECT recipient_name, recipient_phone, address, erased_at FROM articles WHERE id = ?`, id).
			Scan(&name, &phone, &addr, &erased)
		if err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintf("%s %q %q %q %v\n", id, name, phone, addr, erased)
	}
	return out
}

// TestRetentionPrunesPlansAndAudit: the retention job deletes the
// balanced-beat proposals of slots past the retention (with their articles
// and the slot's choice) and audit log entries past the audit retention,
// keeps the newer ones, and a second run deletes nothing more.
func TestRetentionPrunesPlansAndAudit(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := newRound(t, db, 2)
		start := r.Clock.Now()
		plan := func(id string, date time.Time) {
			p := beatplan.Record{ID: id, DCID: "dc-one", Date: date.Format(time.DateOnly), Slot: postal.SlotEvening,
				Body: []byte(`{"stops":["12 MG Road"]}`), CreatedBy: r.Supervisor.UserID, CreatedAt: r.Clock.Now(),
				Routes: []manifest.PlanRoute{{PostmanID: r.PostmanA.UserID, BeatID: "beat-a", ArticleIDs: r.ids}}}
			if err := db.SaveBeatPlan(ctx, p); err != nil {
				t.Fatal(err)
			}
			if err := db.ChooseBeatPlan(ctx, p, r.Supervisor.UserID, r.Clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		audit := func(id string) {
			if err := db.RecordAudit(ctx, privacy.Entry{ID: id, At: r.Clock.Now(), ActorID: r.Supervisor.UserID,
				ActorRole: postal.RoleSupervisor, Action: "view", SubjectType: "article", Subject: r.ids[0]}); err != nil {
				t.Fatal(err)
			}
		}
		plan("plan-old", start)
		audit("audit-old")
		r.Clock.Advance(300 * day)
		plan("plan-new", r.Clock.Now())
		audit("audit-new")
		rows := func(q string, args ...any) int {
			var n int
			if err := db.QueryRowForTest(ctx, q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		left := func(id string) [3]int {
			return [3]int{rows("SELECT COUNT(*) FROM beat_plans WHERE id = ?", id),
				rows("SELECT COUNT(*) FROM beat_plan_articles WHERE plan_id = ?", id),
				rows("SELECT COUNT(*) FROM beat_plan_choices WHERE plan_id = ?", id)}
		}
		if left("plan-old") != [3]int{1, 2, 1} || left("plan-new") != [3]int{1, 2, 1} {
			t.Fatalf("before the job: %v %v", left("plan-old"), left("plan-new"))
		}

		// 370 days on: the old plan's slot and the old entry are past their
		// retentions (90 days, a year); the new plan's slot and the new
		// entry are 70 days old.
		r.Clock.Advance(70 * day)
		svc := privacy.New(db, nil, r.Clock.Now, uuid.NewString, privacy.Options{Retention: 90 * day,
			ProofRetention: 4000 * day, AuditRetention: 365 * day})
		rep, err := svc.RunOnce(ctx, "replica-a")
		if err != nil || rep.BeatPlans != 1 || rep.AuditEntries != 1 {
			t.Fatalf("the job: %+v %v, want 1 plan and 1 audit entry deleted", rep, err)
		}
		if left("plan-old") != [3]int{} || left("plan-new") != [3]int{1, 2, 1} {
			t.Fatalf("plans left: %v %v", left("plan-old"), left("plan-new"))
		}
		if rows("SELECT COUNT(*) FROM audit_log WHERE id = ?", "audit-old") != 0 ||
			rows("SELECT COUNT(*) FROM audit_log WHERE id = ?", "audit-new") != 1 {
			t.Fatal("the audit log after the job: the old entry kept or the new one lost")
		}
		if rep, err = svc.RunOnce(ctx, "replica-a"); err != nil || rep.BeatPlans != 0 || rep.AuditEntries != 0 {
			t.Fatalf("second run: %+v %v, want nothing more", rep, err)
		}
	})
}
