package store_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"dakiya/internal/notify"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

var smsT0 = time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)

func sms(id, phone, dedupe string, created time.Time) notify.Message {
	return notify.NewMessage(id, phone, "Your Dakiya code is 123456", notify.KindOTP, "EE123456785IN", dedupe, created)
}

func enqueue(t *testing.T, db *store.DB, msgs ...notify.Message) int {
	t.Helper()
	n, err := db.EnqueueSMS(context.Background(), msgs...)
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	return n
}

func claimIDs(t *testing.T, db *store.DB, owner string, now time.Time, limit int) []string {
	t.Helper()
	msgs, err := db.ClaimSMS(context.Background(), owner, now, 30*time.Second, limit)
	if err != nil {
		t.Fatalf("claim by %s: %v", owner, err)
	}
	ids := []string{}
	for _, m := range msgs {
		if m.Status != notify.StatusQueued {
			t.Fatalf("claimed %s in status %q", m.ID, m.Status)
		}
		ids = append(ids, m.ID)
	}
	return ids
}

func sameIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s = %v, want %v", what, got, want)
		}
	}
}

func TestEnqueueSMSDedupes(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if n := enqueue(t, db, sms("a", "+919845012345", "otp:EE123456785IN:1", smsT0)); n != 1 {
			t.Fatalf("first enqueue queued %d, want 1", n)
		}
		// The same key again, alone or twice in one batch, queues nothing.
		if n := enqueue(t, db, sms("b", "+919845012345", "otp:EE123456785IN:1", smsT0)); n != 0 {
			t.Fatalf("same dedupe key queued %d, want 0", n)
		}
		n := enqueue(t, db, sms("c", "+919845012345", "k2", smsT0), sms("d", "+919845012345", "k2", smsT0),
			sms("e", "+919845012345", "", smsT0), sms("f", "+919845012345", "", smsT0))
		if n != 3 {
			t.Fatalf("batch queued %d, want 3 (c, e, f)", n)
		}
		// An id used twice without a key is a bug in the caller, not a dedupe.
		if _, err := db.EnqueueSMS(ctx, sms("e", "+919845012345", "", smsT0)); !postal.IsCode(err, postal.CodeConflict) {
			t.Fatalf("duplicate id: %v, want conflict", err)
		}
		got, err := db.LatestSMS(ctx, "+919845012345", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 {
			t.Fatalf("stored %d messages, want 4: %+v", len(got), got)
		}
	})
}

func TestClaimSMSRespectsDueTimeAndLeases(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		enqueue(t, db, sms("m1", "+919845012345", "", smsT0), sms("m2", "+919845012345", "", smsT0.Add(time.Second)),
			sms("later", "+919845012345", "", smsT0.Add(time.Hour)))

		sameIDs(t, "claim by a", claimIDs(t, db, "a", smsT0.Add(time.Second), 1), "m1")
		sameIDs(t, "claim by b", claimIDs(t, db, "b", smsT0.Add(10*time.Second), 10), "m2")
		sameIDs(t, "claim by c while leased", claimIDs(t, db, "c", smsT0.Add(31*time.Second-time.Millisecond), 10))

		// a's lease ran out (b's has not): c takes m1 over, and a can no longer record it.
		sameIDs(t, "claim by c after expiry", claimIDs(t, db, "c", smsT0.Add(31*time.Second), 10), "m1")
		if ok, err := db.MarkSMSSent(ctx, "m1", "a", smsT0.Add(32*time.Second)); ok || err != nil {
			t.Fatalf("old owner's mark = %v, %v; want false", ok, err)
		}
		if ok, err := db.MarkSMSSent(ctx, "m1", "c", smsT0.Add(32*time.Second)); !ok || err != nil {
			t.Fatalf("new owner's mark = %v, %v; want true", ok, err)
		}
		if ok, err := db.MarkSMSSent(ctx, "m1", "c", smsT0.Add(33*time.Second)); ok || err != nil {
			t.Fatalf("second mark = %v, %v; want false", ok, err)
		}
		if ok, err := db.MarkSMSSent(ctx, "m2", "b", smsT0.Add(33*time.Second)); !ok || err != nil {
			t.Fatalf("b's mark = %v, %v; want true", ok, err)
		}
		// Sent messages are never claimed again; "later" becomes due on time.
		sameIDs(t, "claim before later is due", claimIDs(t, db, "d", smsT0.Add(time.Hour-time.Millisecond), 10))
		sameIDs(t, "claim when later is due", claimIDs(t, db, "d", smsT0.Add(time.Hour), 10), "later")

		m := latest(t, db, "m1")
		if m.Status != notify.StatusSent || m.Attempts != 1 || m.SentAt == nil || !m.SentAt.Equal(smsT0.Add(32*time.Second)) {
			t.Fatalf("m1 = %+v, want sent once at t0+32s", m)
		}
	})
}

func TestRetryAndFailSMS(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		enqueue(t, db, sms("r", "+919845012345", "", smsT0), sms("f", "+919845012345", "", smsT0))
		sameIDs(t, "claim", claimIDs(t, db, "a", smsT0, 10), "f", "r")

		if ok, err := db.RetrySMS(ctx, "r", "intruder", 1, smsT0, "x"); ok || err != nil {
			t.Fatalf("retry by a non-owner = %v, %v; want false", ok, err)
		}
		if ok, err := db.RetrySMS(ctx, "r", "a", 1, smsT0.Add(10*time.Second), "gateway answered 503"); !ok || err != nil {
			t.Fatalf("retry = %v, %v", ok, err)
		}
		if ok, err := db.FailSMS(ctx, "f", "a", "gateway answered 400"); !ok || err != nil {
			t.Fatalf("fail = %v, %v", ok, err)
		}
		// The retry released the lease but is not due before next.
		sameIDs(t, "claim before next", claimIDs(t, db, "b", smsT0.Add(9*time.Second), 10))
		msgs, err := db.ClaimSMS(ctx, "b", smsT0.Add(10*time.Second), time.Minute, 10)
		if err != nil || len(msgs) != 1 || msgs[0].ID != "r" || msgs[0].Attempts != 1 || msgs[0].LastError != "gateway answered 503" {
			t.Fatalf("claim at next = %+v, %v", msgs, err)
		}
		f := latest(t, db, "f")
		if f.Status != notify.StatusFailed || f.Attempts != 1 || f.LastError != "gateway answered 400" || f.SentAt != nil {
			t.Fatalf("failed message = %+v", f)
		}
		if ok, err := db.FailSMS(ctx, "f", "a", "again"); ok || err != nil {
			t.Fatalf("failing a failed message = %v, %v; want false", ok, err)
		}
	})
}

func TestLatestSMS(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i, id := range []string{"s1", "s2", "s3", "s4"} {
			enqueue(t, db, sms(id, "+919845012345", "", smsT0.Add(time.Duration(i)*time.Minute)))
		}
		enqueue(t, db, sms("other", "+919800000000", "", smsT0.Add(time.Hour)))

		got, err := db.LatestSMS(ctx, "+919845012345", 3)
		if err != nil {
			t.Fatal(err)
		}
		ids := []string{}
		for _, m := range got {
			ids = append(ids, m.ID)
		}
		sameIDs(t, "latest 3", ids, "s4", "s3", "s2")
		m := got[0]
		want := sms("s4", "+919845012345", "", smsT0.Add(3*time.Minute))
		if m.Phone != want.Phone || m.Body != want.Body || m.Kind != want.Kind || m.ArticleID != want.ArticleID ||
			m.DedupeKey != "" || m.Status != notify.StatusQueued || !m.CreatedAt.Equal(want.CreatedAt) || m.SentAt != nil {
			t.Fatalf("latest = %+v, want %+v", m, want)
		}
		if none, err := db.LatestSMS(ctx, "+910000000000", 3); err != nil || len(none) != 0 {
			t.Fatalf("unknown phone = %v, %v", none, err)
		}
	})
}

// latest returns one message by id, read through LatestSMS.
func latest(t *testing.T, db *store.DB, id string) notify.Message {
	t.Helper()
	msgs, err := db.LatestSMS(context.Background(), "+919845012345", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("message %s not found", id)
	return notify.Message{}
}

// TestSealedSMS: a message's sealed code is stored beside its template and
// read back by the claim and the outbox, and rendered only by the sealer.
func TestSealedSMS(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		sealer, err := notify.NewSealer([]byte("sms seal key for tests, 32 bytes"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := sealer.NewSealedMessage("sealed-1", "+919845012345", "Your code is "+notify.Slot+".", "123456",
			notify.KindOTP, "EE123456785IN", "", smsT0)
		if err != nil {
			t.Fatal(err)
		}
		enqueue(t, db, m, sms("plain", "+919845012345", "", smsT0.Add(time.Minute)))
		got := latest(t, db, "sealed-1")
		if got.Body != "Your code is {code}." || got.Sealed != m.Sealed || got.Sealed == "" {
			t.Fatalf("stored %q sealed %q, want the template and %q", got.Body, got.Sealed, m.Sealed)
		}
		if plain := latest(t, db, "plain"); plain.Sealed != "" {
			t.Fatalf("a plain message came back sealed: %q", plain.Sealed)
		}
		claimed, err := db.ClaimSMS(context.Background(), "w", smsT0.Add(time.Hour), 30*time.Second, 10)
		if err != nil || len(claimed) != 2 || claimed[0].Sealed != m.Sealed {
			t.Fatalf("claimed %+v, %v", claimed, err)
		}
		if r, err := sealer.Render(claimed[0]); err != nil || r.Body != "Your code is 123456." || r.Sealed != "" {
			t.Fatalf("rendered %+v, %v", r, err)
		}
	})
}

// TestMigrationRemovesCodesInClear runs migration 0010's update on code
// messages written the old way, with their code in the body: none is left
// in clear, and a queued one is failed rather than sent from the table.
func TestMigrationRemovesCodesInClear(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sealer, _ := notify.NewSealer([]byte("sms seal key for tests, 32 bytes"))
		sealed, err := sealer.NewSealedMessage("new", "+919845012345", "code "+notify.Slot, "654321", notify.KindOTP, "", "", smsT0)
		if err != nil {
			t.Fatal(err)
		}
		link := notify.NewMessage("link", "+919845012345", "choose: http://x/slot/abc", notify.KindSlotLink, "", "", smsT0)
		enqueue(t, db, sms("sent", "+919845012345", "", smsT0), sms("queued", "+919845012345", "", smsT0.Add(time.Minute)), sealed, link)
		if _, err := db.ClaimSMS(ctx, "w", smsT0.Add(time.Hour), time.Minute, 10); err != nil {
			t.Fatal(err)
		}
		if ok, err := db.MarkSMSSent(ctx, "sent", "w", smsT0); err != nil || !ok {
			t.Fatalf("mark sent: %v %v", ok, err)
		}
		ms, err := store.Migrations()
		if err != nil {
			t.Fatal(err)
		}
		var update string
		for _, m := range ms {
			if m.Version == 10 {
				update = m.SQL[strings.Index(m.SQL, "UPDATE sms"):]
			}
		}
		if err := db.QueryRowForTest(ctx, update).Scan(); err != nil && !errors.Is(err, sql.ErrNoRows) {
			t.Fatal(err)
		}
		for id, want := range map[string]string{"sent": notify.StatusSent, "queued": notify.StatusFailed} {
			m := latest(t, db, id)
			if strings.Contains(m.Body, "123456") || m.Status != want {
				t.Errorf("%s after the migration: %q, %s; want no code, %s", id, m.Body, m.Status, want)
			}
		}
		if m := latest(t, db, "new"); m.Body != "code "+notify.Slot || m.Status != notify.StatusQueued {
			t.Errorf("a sealed message was touched: %+v", m)
		}
		if m := latest(t, db, "link"); m.Body != link.Body || m.Status != notify.StatusQueued {
			t.Errorf("a slot link was touched: %+v", m)
		}
	})
}
