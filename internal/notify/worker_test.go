package notify_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"dakiya/internal/notify"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

var t0 = time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)

const phone = "+919845012345"

func message(id string) notify.Message {
	return notify.NewMessage(id, phone, "Dakiya: your code is 4711", notify.KindOTP, "EE123456785IN", "", t0)
}

// firstThen answers the first request with first and the rest with then.
func firstThen(first, then int) func(int) int {
	return func(n int) int {
		if n == 1 {
			return first
		}
		return then
	}
}

// newWorker builds a worker on the test clock; without a Rand of its own it
// gets none of the jitter, so backoff waits are exact.
func newWorker(t *testing.T, st notify.Store, s notify.Sender, clock *testkit.Clock, opt notify.WorkerOptions) *notify.Worker {
	t.Helper()
	if opt.Rand == nil {
		opt.Rand = func() float64 { return 0.5 }
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	return notify.NewWorker(st, s, clock.Now, log, opt)
}

func enqueue(t *testing.T, db *store.DB, msgs ...notify.Message) {
	t.Helper()
	if n, err := db.EnqueueSMS(context.Background(), msgs...); err != nil || n != len(msgs) {
		t.Fatalf("enqueue: %d of %d queued, %v", n, len(msgs), err)
	}
}

func tick(t *testing.T, w *notify.Worker, want int) {
	t.Helper()
	sent, err := w.Tick(context.Background())
	if err != nil || sent != want {
		t.Fatalf("tick sent %d (%v), want %d", sent, err, want)
	}
}

// stored reads a message back from the queue.
func stored(t *testing.T, db *store.DB, id string) notify.Message {
	t.Helper()
	msgs, err := db.LatestSMS(context.Background(), phone, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("message %s not stored", id)
	return notify.Message{}
}

func wantState(t *testing.T, db *store.DB, id, status string, attempts int) notify.Message {
	t.Helper()
	m := stored(t, db, id)
	if m.Status != status || m.Attempts != attempts {
		t.Fatalf("%s is %s after %d attempts, want %s after %d (last error %q)", id, m.Status, m.Attempts, status, attempts, m.LastError)
	}
	return m
}

func TestOutboxWorkerSendsQueued(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(t0.Add(time.Minute))
		w := newWorker(t, db, notify.OutboxSender{}, clock, notify.WorkerOptions{})
		tick(t, w, 0) // an empty queue is no error
		enqueue(t, db, message("a"), message("b"), message("c"))
		tick(t, w, 3)
		for _, id := range []string{"a", "b", "c"} {
			m := wantState(t, db, id, notify.StatusSent, 1)
			if m.SentAt == nil || !m.SentAt.Equal(clock.Now()) {
				t.Fatalf("%s sent at %v, want %v", id, m.SentAt, clock.Now())
			}
		}
		tick(t, w, 0)
	})
}

func TestHTTPServerErrorsAreRetriedWithBackoff(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		g := newGateway(t, func(n int) int {
			if n <= 2 {
				return http.StatusInternalServerError
			}
			return http.StatusOK
		})
		clock := testkit.NewClock(t0)
		w := newWorker(t, db, g.sender(), clock, notify.WorkerOptions{})
		enqueue(t, db, message("m"))

		tick(t, w, 0) // 500: next try after 2 s
		if m := wantState(t, db, "m", notify.StatusQueued, 1); m.LastError == "" {
			t.Fatal("no last error recorded")
		}
		clock.Advance(2*time.Second - time.Millisecond)
		tick(t, w, 0) // not due yet: no request
		clock.Advance(time.Millisecond)
		tick(t, w, 0) // 500 again: next try after 4 s
		wantState(t, db, "m", notify.StatusQueued, 2)
		clock.Advance(4*time.Second - time.Millisecond)
		tick(t, w, 0)
		clock.Advance(time.Millisecond)
		tick(t, w, 1)

		m := wantState(t, db, "m", notify.StatusSent, 3)
		if !m.SentAt.Equal(t0.Add(6 * time.Second)) {
			t.Fatalf("sent at %v, want t0+6s", m.SentAt)
		}
		calls, requests, delivered := g.snapshot()
		if calls != 3 || requests["m"] != 3 || delivered["m"] != 1 {
			t.Fatalf("gateway saw %d calls, %v, delivered %v; want 3 calls all keyed m, one delivery", calls, requests, delivered)
		}
	})
}

func TestHTTPRetryAfterIsHonoured(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		g := newGateway(t, firstThen(http.StatusTooManyRequests, http.StatusOK))
		clock := testkit.NewClock(t0)
		w := newWorker(t, db, g.sender(), clock, notify.WorkerOptions{})
		enqueue(t, db, message("m"))
		tick(t, w, 0) // 429 with Retry-After: 60
		clock.Advance(59 * time.Second)
		tick(t, w, 0)
		clock.Advance(time.Second)
		tick(t, w, 1)
		wantState(t, db, "m", notify.StatusSent, 2)
	})
}

func TestHTTPTimeoutIsRetriedNotLost(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		g := newGateway(t, firstThen(hang, http.StatusOK))
		s := g.sender()
		s.Client = &http.Client{Timeout: 100 * time.Millisecond}
		clock := testkit.NewClock(t0)
		w := newWorker(t, db, s, clock, notify.WorkerOptions{})
		enqueue(t, db, message("m"))

		tick(t, w, 0) // the gateway hangs past the client's timeout
		if m := wantState(t, db, "m", notify.StatusQueued, 1); m.LastError == "" {
			t.Fatal("no last error recorded")
		}
		clock.Advance(2 * time.Second)
		tick(t, w, 1)
		wantState(t, db, "m", notify.StatusSent, 2)
		if _, requests, delivered := g.snapshot(); requests["m"] != 2 || delivered["m"] != 1 {
			t.Fatalf("requests %v, delivered %v; want 2 requests keyed m, one delivery", requests, delivered)
		}
	})
}

func TestHTTPRefusalFailsAtOnce(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		g := newGateway(t, func(int) int { return http.StatusBadRequest })
		clock := testkit.NewClock(t0)
		w := newWorker(t, db, g.sender(), clock, notify.WorkerOptions{})
		enqueue(t, db, message("m"))
		tick(t, w, 0)
		if m := wantState(t, db, "m", notify.StatusFailed, 1); m.SentAt != nil || m.LastError == "" {
			t.Fatalf("failed message = %+v", m)
		}
		clock.Advance(time.Hour)
		tick(t, w, 0)
		if calls, _, _ := g.snapshot(); calls != 1 {
			t.Fatalf("gateway called %d times, want 1: a refusal is not retried", calls)
		}
	})
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		g := newGateway(t, func(int) int { return http.StatusServiceUnavailable })
		clock := testkit.NewClock(t0)
		w := newWorker(t, db, g.sender(), clock, notify.WorkerOptions{MaxAttempts: 3})
		enqueue(t, db, message("m"))
		for range 5 {
			tick(t, w, 0)
			clock.Advance(time.Hour)
		}
		wantState(t, db, "m", notify.StatusFailed, 3)
		if calls, _, _ := g.snapshot(); calls != 3 {
			t.Fatalf("gateway called %d times, want 3", calls)
		}
	})
}

// crashBeforeMark is a store whose process "dies" between the gateway
// accepting a message and the worker recording it.
type crashBeforeMark struct{ notify.Store }

func (crashBeforeMark) MarkSMSSent(context.Context, string, string, time.Time) (bool, error) {
	return false, errors.New("process killed")
}

func TestRestartResendsWithSameKey(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		g := newGateway(t, nil)
		clock := testkit.NewClock(t0)
		opt := notify.WorkerOptions{Lease: 30 * time.Second}
		dying := newWorker(t, crashBeforeMark{db}, g.sender(), clock, opt)
		enqueue(t, db, message("m1"), message("m2"), message("m3"))
		if _, err := dying.Tick(context.Background()); err == nil {
			t.Fatal("the crashing worker's tick reported no error")
		}

		// Its leases hold until they expire; then a new worker finishes.
		next := newWorker(t, db, g.sender(), clock, opt)
		clock.Advance(30*time.Second - time.Millisecond)
		tick(t, next, 0)
		clock.Advance(time.Millisecond)
		tick(t, next, 3)

		_, requests, delivered := g.snapshot()
		for _, id := range []string{"m1", "m2", "m3"} {
			wantState(t, db, id, notify.StatusSent, 1)
			if delivered[id] != 1 {
				t.Fatalf("%s delivered %d times, want once (requests %v)", id, delivered[id], requests)
			}
		}
		if requests["m1"] != 2 || requests["m2"] != 1 || requests["m3"] != 1 {
			t.Fatalf("requests per key = %v; want m1 twice under the same key, the others once", requests)
		}
	})
}

// slowSender takes clock time for every send.
type slowSender struct {
	clock *testkit.Clock
	took  time.Duration
}

func (s slowSender) Send(context.Context, notify.Message) error { s.clock.Advance(s.took); return nil }

func TestPassHandsBackWhatItHasNoLeaseFor(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(t0)
		opt := notify.WorkerOptions{Lease: 30 * time.Second, SendTimeout: 10 * time.Second}
		slow := newWorker(t, db, slowSender{clock, 20 * time.Second}, clock, opt)
		enqueue(t, db, message("a"), message("b"), message("c"))
		// After a 20 s send, 10 s of lease is left: not enough for another.
		tick(t, slow, 1)
		wantState(t, db, "b", notify.StatusQueued, 0)
		other := newWorker(t, db, notify.OutboxSender{}, clock, opt)
		tick(t, other, 2) // handed back, so due at once, not after the lease
		wantState(t, db, "c", notify.StatusSent, 1)
	})
}

// claimSignal tells when each claim has returned.
type claimSignal struct {
	notify.Store
	claimed chan int
}

func (s claimSignal) ClaimSMS(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]notify.Message, error) {
	msgs, err := s.Store.ClaimSMS(ctx, owner, now, lease, limit)
	s.claimed <- len(msgs)
	return msgs, err
}

// chanSender reports every message it sends.
type chanSender chan string

func (c chanSender) Send(_ context.Context, m notify.Message) error { c <- m.ID; return nil }

func TestRunWakesOnNotify(t *testing.T) {
	db := testkit.DB(t)
	clock := testkit.NewClock(t0)
	st := claimSignal{db, make(chan int, 10)}
	sent := make(chanSender, 10)
	w := newWorker(t, st, sent, clock, notify.WorkerOptions{PollInterval: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()

	await(t, st.claimed, "the first pass") // the queue was empty; next poll is an hour away
	enqueue(t, db, message("m"))
	w.Notify()
	w.Notify() // a second nudge never blocks
	if id := await(t, sent, "the send"); id != "m" {
		t.Fatalf("sent %q, want m", id)
	}
	cancel()
	if err := await(t, done, "Run to return"); err != nil {
		t.Fatalf("Run = %v, want nil after cancel", err)
	}
}

// await receives from c, failing the test if nothing arrives in a long
// while (a hang, not a timing assertion).
func await[T any](t *testing.T, c <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("waited too long for %s", what)
		panic("unreachable")
	}
}

func TestConcurrentWorkersSendExactlyOnce(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		workers := 3
		if db.Dialect() == store.SQLite {
			workers = 2
		}
		g := newGateway(t, nil)
		clock := testkit.NewClock(t0)
		var msgs []notify.Message
		for i := range 200 {
			msgs = append(msgs, message(fmt.Sprintf("c%03d", i)))
		}
		enqueue(t, db, msgs...)

		results := make(chan drained, workers)
		for range workers {
			w := newWorker(t, db, g.sender(), clock, notify.WorkerOptions{BatchSize: 7})
			go func() { results <- drain(w) }()
		}
		for range workers {
			r := await(t, results, "a worker")
			if r.err != nil {
				t.Fatal(r.err)
			}
			t.Logf("worker %s sent %d", r.owner, r.sent)
		}

		_, requests, delivered := g.snapshot()
		for _, m := range msgs {
			if requests[m.ID] != 1 || delivered[m.ID] != 1 {
				t.Fatalf("%s: %d requests, %d deliveries; want exactly one", m.ID, requests[m.ID], delivered[m.ID])
			}
			wantState(t, db, m.ID, notify.StatusSent, 1)
		}
		if len(requests) != len(msgs) {
			t.Fatalf("gateway saw %d keys, want %d", len(requests), len(msgs))
		}
	})
}

type drained struct {
	owner string
	sent  int
	err   error
}

// drain ticks until a pass finds nothing to send.
func drain(w *notify.Worker) drained {
	r := drained{owner: w.Owner()}
	for {
		sent, err := w.Tick(context.Background())
		r.sent += sent
		if err != nil || sent == 0 {
			r.err = err
			return r
		}
	}
}
