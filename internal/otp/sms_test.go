package otp_test

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"dakiya/internal/notify"
	"dakiya/internal/otp"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// recorder is an SMS transport that keeps what it is given.
type recorder struct {
	mu   sync.Mutex
	sent []notify.Message
}

func (r *recorder) Send(_ context.Context, m notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m)
	return nil
}

// noCodeAtRest fails if any row of the sms table holds one of codes.
func noCodeAtRest(t *testing.T, db *store.DB, when string, codes ...string) {
	t.Helper()
	ctx := context.Background()
	var n int
	if err := db.QueryRowForTest(ctx, "SELECT COUNT(*) FROM sms").Scan(&n); err != nil || n == 0 {
		t.Fatalf("%s: %d rows, %v", when, n, err)
	}
	for i := range n {
		var row string
		err := db.QueryRowForTest(ctx, `SELECT id || ' ' || body || ' ' || COALESCE(sealed, '') || ' ' || last_error
			FROM sms ORDER BY id LIMIT 1 OFFSET ?`, i).Scan(&row)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range codes {
			if regexp.MustCompile(`\b` + c + `\b`).MatchString(row) {
				t.Fatalf("%s: the sms table holds code %s: %q", when, c, row)
			}
		}
	}
}

// TestCodesNeverAtRest: a code is in no row of the sms table after it is
// issued, resent or sent; only the transport sees it.
func TestCodesNeverAtRest(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		d := newDoor(t, db, otp.DefaultPolicy(), 2)
		ctx := context.Background()
		codes := []string{d.code(t, 0), d.code(t, 1)}
		noCodeAtRest(t, db, "after dispatch", codes...)
		d.Clock.Advance(time.Minute)
		if err := d.svc.Resend(ctx, d.PostmanA, d.ids[1]); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, d.code(t, 1))
		noCodeAtRest(t, db, "after a resend", codes...)

		rec := &recorder{}
		w := notify.NewWorker(db, rec, d.Clock.Now, slog.New(slog.DiscardHandler), notify.WorkerOptions{Sealer: d.sms})
		if n, err := w.Tick(ctx); err != nil || n != 3 {
			t.Fatalf("sent %d, %v; want the 3 code messages", n, err)
		}
		noCodeAtRest(t, db, "after sending", codes...)
		var bodies string
		for _, m := range rec.sent {
			if strings.Contains(m.Body, notify.Slot) || m.Sealed != "" {
				t.Errorf("sent unrendered: %q", m.Body)
			}
			bodies += m.Body
		}
		for _, c := range codes {
			if !strings.Contains(bodies, "code "+c+" ") {
				t.Errorf("code %s was never sent", c)
			}
		}
	})
}

// echoing is a transport that refuses every message, echoing it in its
// error as some gateways do ("invalid sender for: <body>").
type echoing struct{ permanent bool }

func (e echoing) Send(_ context.Context, m notify.Message) error {
	err := fmt.Errorf("gateway answered 400: cannot deliver %q", m.Body)
	if e.permanent {
		return &notify.PermanentError{Err: err}
	}
	return err
}

// TestGatewayErrorKeepsNoCode: a send failure whose error repeats the
// message does not put the code in last_error, retried or failed.
func TestGatewayErrorKeepsNoCode(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		d := newDoor(t, db, otp.DefaultPolicy(), 1)
		code := d.code(t, 0)
		for _, permanent := range []bool{false, true} {
			w := notify.NewWorker(db, echoing{permanent}, d.Clock.Now, slog.New(slog.DiscardHandler), notify.WorkerOptions{Sealer: d.sms})
			if _, err := w.Tick(context.Background()); err != nil {
				t.Fatal(err)
			}
			noCodeAtRest(t, db, fmt.Sprintf("after a refused send (permanent %v)", permanent), code)
			d.Clock.Advance(time.Hour)
		}
		var failed int
		if err := db.QueryRowForTest(context.Background(), "SELECT COUNT(*) FROM sms WHERE status = 'failed' AND last_error LIKE '%{code}%'").Scan(&failed); err != nil || failed != 1 {
			t.Fatalf("%d failed with the slot in last_error, %v", failed, err)
		}
	})
}

// TestUnopenableCodeIsNotSent: a message whose sealed code does not open
// (another key) fails; nothing is sent.
func TestUnopenableCodeIsNotSent(t *testing.T) {
	db := testkit.DB(t)
	d := newDoor(t, db, otp.DefaultPolicy(), 1)
	other, err := notify.NewSealer([]byte("another sms key for tests, 32 b!"))
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	w := notify.NewWorker(db, rec, d.Clock.Now, slog.New(slog.DiscardHandler), notify.WorkerOptions{Sealer: other})
	if n, err := w.Tick(context.Background()); err != nil || n != 0 || len(rec.sent) != 0 {
		t.Fatalf("sent %d (%d at the transport), %v", n, len(rec.sent), err)
	}
	var failed int
	if err := db.QueryRowForTest(context.Background(), "SELECT COUNT(*) FROM sms WHERE status = 'failed'").Scan(&failed); err != nil || failed != 1 {
		t.Fatalf("%d failed, %v", failed, err)
	}
}

// TestMessagesTellTheCentresTime: the code's SMS, at dispatch and on every
// resend, gives the slot in the centre's time (17:00–20:00 in Bengaluru),
// never in UTC.
func TestMessagesTellTheCentresTime(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		d := newDoor(t, db, otp.DefaultPolicy(), 1)
		want := "on 25 Nov between 17:00 and 20:00"
		if m := d.messages(t, 0)[0]; !strings.Contains(m.Body, want) {
			t.Fatalf("dispatch SMS: %q lacks %q", m.Body, want)
		}
		d.Clock.Advance(time.Minute)
		if err := d.svc.Resend(context.Background(), d.Supervisor, d.ids[0]); err != nil {
			t.Fatal(err)
		}
		if m := d.messages(t, 0)[0]; !strings.Contains(m.Body, want) || !strings.Contains(m.Body, "25 Nov को 17:00 से 20:00 के बीच") {
			t.Fatalf("resend SMS: %q lacks %q", m.Body, want)
		}
	})
}
