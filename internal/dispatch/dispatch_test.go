package dispatch_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/dispatch"
	"dakiya/internal/outbox"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
	"dakiya/internal/webhook"
)

// TestWebhookEvents: an article's events reach the subscription in order,
// one at a time per article, as {id, type, created_at, data} signed per
// API.md, with the message id as the idempotency key; a subscription gets
// only the types it asked for; every attempt is in the log.
func TestWebhookEvents(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rcv, only := newReceiver(t), newReceiver(t)
		sub := f.subscribe(rcv.srv.URL+"/hooks", "*")
		f.subscribe(only.srv.URL, webhook.TypeAttempted)
		id := f.articles(1, 1)[0]
		f.event(id, article.EventReceivedAtDC, article.StatusAtDC, "")
		f.event(id, article.EventScheduled, article.StatusScheduled, "")
		f.event(id, article.EventOutForDelivery, article.StatusOutForDelivery, "")
		f.event(id, article.EventDeliveryAttempted, article.StatusAttempted, "01")
		f.event(id, article.EventRescheduled, article.StatusScheduled, "")
		f.event(id, article.EventHeldAtCounter, article.StatusHeld, "")
		f.event(id, article.EventReturnedToSender, article.StatusReturned, "")
		if n := f.count("outbox WHERE target = '" + sub.ID + "'"); n != 7 {
			t.Fatalf("%d messages queued for *, want 7", n)
		}
		d := f.dispatcher("a", dispatch.Options{})
		for i := 0; i < 10 && f.count("outbox WHERE state = 'pending'") > 0; i++ {
			f.runOnce(d)
			f.clock.Advance(time.Second)
		}
		got := rcv.received()
		want := []string{"article.received", "article.scheduled", "article.out_for_delivery", "article.attempted",
			"article.scheduled", "article.held", "article.returned"}
		if len(got) != len(want) {
			t.Fatalf("received %d, want %d", len(got), len(want))
		}
		ids := map[string]bool{}
		for i, r := range got {
			if r.Env.Type != want[i] || r.Data["article_id"] != id || ids[r.Env.ID] {
				t.Errorf("#%d: %s %v (ids seen %v)", i, r.Env.Type, r.Data, ids)
			}
			ids[r.Env.ID] = true
			if r.Header.Get("Idempotency-Key") != r.Env.ID || r.Header.Get("Content-Type") != "application/json" ||
				!strings.HasPrefix(r.Header.Get("User-Agent"), "Dakiya-Webhooks/") {
				t.Errorf("#%d headers %v", i, r.Header)
			}
		}
		verify(t, sub.Secret, got[0], time.Date(2026, 12, 1, 4, 0, 0, 0, time.UTC))
		att := got[3]
		if att.Data["reason_code"] != "01" || att.Data["reason"] != "Door locked" || att.Data["status"] != "attempted" ||
			att.Data["event"] != "delivery_attempted" || att.Data["place"] != "Koramangala DC" || att.Data["at"] == nil {
			t.Errorf("attempted data %v", att.Data)
		}
		if got[4].Data["event"] != "rescheduled" {
			t.Errorf("rescheduled data %v", got[4].Data)
		}
		if o := only.received(); len(o) != 1 || o[0].Env.Type != webhook.TypeAttempted || o[0].Env.ID == att.Env.ID {
			t.Errorf("the attempted-only subscription got %+v", o)
		}
		log := f.log(sub.ID)
		if len(log) != 7 || log[0].Type != "article.returned" || log[0].State != outbox.StateDelivered ||
			len(log[0].Log) != 1 || log[0].Log[0].Status != 200 || log[0].ArticleID != id || log[0].NextRetryAt != nil {
			t.Errorf("log %+v", log)
		}
	})
}

// TestRetryKeepsOrder: a failing receiver (500, then a hang past the
// client's timeout) gets the article's first event again after a backoff;
// the second waits, unsent, until the first is delivered; both arrive once,
// in order, when the receiver recovers. A slow answer within the timeout
// is a delivery.
func TestRetryKeepsOrder(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rcv := newReceiver(t)
		sub := f.subscribe(rcv.srv.URL)
		id := f.articles(1, 1)[0]
		f.event(id, article.EventReceivedAtDC, article.StatusAtDC, "")
		f.event(id, article.EventScheduled, article.StatusScheduled, "")
		d := f.dispatcher("a", dispatch.Options{Timeout: 300 * time.Millisecond})
		rcv.answer(500, 0)
		if n := f.runOnce(d); n != 1 {
			t.Fatalf("attempted %d, want only the first event", n)
		}
		if n := f.runOnce(d); n != 0 {
			t.Fatalf("attempted %d before the backoff ran out", n)
		}
		rcv.answer(0, 0) // hang
		f.clock.Advance(time.Hour)
		if n := f.runOnce(d); n != 1 {
			t.Fatalf("retry attempted %d", n)
		}
		rcv.answer(200, 150*time.Millisecond) // slow, within the timeout
		f.clock.Advance(time.Hour)
		f.runOnce(d)
		f.clock.Advance(time.Second)
		f.runOnce(d)
		got := rcv.received()
		if len(got) != 2 || got[0].Env.Type != "article.received" || got[1].Env.Type != "article.scheduled" {
			t.Fatalf("received %+v", got)
		}
		first := f.log(sub.ID)[1]
		if first.State != outbox.StateDelivered || len(first.Log) != 3 || first.Log[0].Status != 500 ||
			first.Log[1].Status != 0 || first.Log[1].Error == "" || first.Log[2].Status != 200 || first.Attempts != 3 {
			t.Fatalf("first event's log %+v", first)
		}
		if first.Log[2].DurationMS < 100 {
			t.Errorf("the slow answer took %d ms by the log", first.Log[2].DurationMS)
		}
	})
}

// TestDeadAfterADay: a receiver that never answers 2xx is retried with
// growing waits (each at most an hour) until an attempt fails a day after
// the first; the message is then dead, visible in the log, and a manual
// redelivery sends it again at once with the same id.
func TestDeadAfterADay(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rcv := newReceiver(t)
		sub := f.subscribe(rcv.srv.URL)
		id := f.articles(1, 1)[0]
		f.event(id, article.EventReceivedAtDC, article.StatusAtDC, "")
		rcv.answer(503, 0)
		d := f.dispatcher("a", dispatch.Options{})
		start := f.clock.Now()
		for i := 0; i < 200 && f.count("outbox WHERE state = 'dead'") == 0; i++ {
			f.runOnce(d)
			f.clock.Advance(10 * time.Minute)
		}
		log := f.log(sub.ID)
		if len(log) != 1 || log[0].State != outbox.StateDead || log[0].DoneAt == nil || log[0].LastStatus != 503 {
			t.Fatalf("log %+v", log)
		}
		tries := log[0].Log
		last := tries[len(tries)-1].At
		if last.Sub(start) < 24*time.Hour || last.Sub(start) > 25*time.Hour || len(tries) < 24 {
			t.Fatalf("dead after %d attempts over %s", len(tries), last.Sub(start))
		}
		for i := 1; i < len(tries); i++ {
			if gap := tries[i].At.Sub(tries[i-1].At); gap > time.Hour+10*time.Minute {
				t.Errorf("attempt %d came %s after the one before", tries[i].N, gap)
			}
		}
		f.clock.Advance(time.Hour)
		if n := f.runOnce(d); n != 0 {
			t.Fatal("a dead message was sent")
		}
		rcv.answer(200, 0)
		if err := f.hooks.Redeliver(f.ctx, sub.ID, log[0].ID); err != nil {
			t.Fatal(err)
		}
		if n := f.runOnce(d); n != 1 {
			t.Fatalf("redelivery attempted %d", n)
		}
		got := rcv.received()
		if len(got) != 1 || got[0].Env.ID != log[0].ID {
			t.Fatalf("redelivered %+v", got)
		}
		if l := f.log(sub.ID)[0]; l.State != outbox.StateDelivered || len(l.Log) != len(tries)+1 {
			t.Fatalf("after redelivery %+v", l)
		}
		// Redelivering a delivered message sends it again too; unknown ones are 404.
		if err := f.hooks.Redeliver(f.ctx, sub.ID, "evt_nope"); !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("unknown delivery: %v", err)
		}
	})
}

// TestRestartInBackoff: a dispatcher fails a message and stops; a new one
// (another process) on the same database sends nothing before the backoff
// is over, then sends the message once; nothing is lost or repeated.
func TestRestartInBackoff(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rcv := newReceiver(t)
		sub := f.subscribe(rcv.srv.URL)
		ids := f.articles(1, 3)
		for _, id := range ids {
			f.event(id, article.EventReceivedAtDC, article.StatusAtDC, "")
		}
		rcv.answer(500, 0)
		first := f.dispatcher("before", dispatch.Options{Poll: 20 * time.Millisecond})
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { first.Run(ctx); close(done) }()
		waitFor(t, func() bool { return f.count("outbox_attempts") == 3 })
		stop()
		<-done
		rcv.answer(200, 0)
		second := f.dispatcher("after", dispatch.Options{})
		f.clock.Advance(500 * time.Millisecond) // less than any wait (at least 1 s)
		if n := f.runOnce(second); n != 0 {
			t.Fatalf("sent %d during the backoff", n)
		}
		f.clock.Advance(time.Hour)
		if n := f.runOnce(second); n != 3 {
			t.Fatalf("sent %d after the backoff", n)
		}
		f.clock.Advance(time.Hour)
		f.runOnce(second)
		if got := rcv.received(); len(got) != 3 {
			t.Fatalf("received %d, want 3", len(got))
		}
		for _, l := range f.log(sub.ID) {
			if l.State != outbox.StateDelivered || len(l.Log) != 2 {
				t.Errorf("%+v", l)
			}
		}
	})
}

// TestReplicas: two dispatchers on one database, racing, send every
// message exactly once and each article's events in order; a message
// leased by one is not taken by the other until the lease runs out.
func TestReplicas(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rcv := newReceiver(t)
		f.subscribe(rcv.srv.URL)
		ids := f.articles(1, 8)
		for _, id := range ids {
			f.event(id, article.EventReceivedAtDC, article.StatusAtDC, "")
			f.event(id, article.EventScheduled, article.StatusScheduled, "")
			f.event(id, article.EventOutForDelivery, article.StatusOutForDelivery, "")
		}
		a, b := f.dispatcher("replica-a", dispatch.Options{Batch: 3}), f.dispatcher("replica-b", dispatch.Options{Batch: 3})
		var wg sync.WaitGroup
		for _, d := range []*dispatch.Dispatcher{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 60; i++ {
					if _, err := d.RunOnce(context.Background()); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		got := rcv.received()
		if len(got) != 24 {
			t.Fatalf("received %d, want 24", len(got))
		}
		seen, order := map[string]bool{}, map[string][]string{}
		for _, r := range got {
			if seen[r.Env.ID] {
				t.Errorf("%s received twice", r.Env.ID)
			}
			seen[r.Env.ID] = true
			aid := r.Data["article_id"].(string)
			order[aid] = append(order[aid], r.Env.Type)
		}
		for aid, o := range order {
			if fmt.Sprint(o) != "[article.received article.scheduled article.out_for_delivery]" {
				t.Errorf("%s in order %v", aid, o)
			}
		}
		// A lease keeps the other replica off until it runs out.
		f.event(ids[0], article.EventDeliveryAttempted, article.StatusAttempted, "08")
		held, err := db.Claim(context.Background(), "replica-a", f.clock.Now(), time.Minute, 10, []outbox.Kind{outbox.KindWebhook})
		if err != nil || len(held) != 1 {
			t.Fatalf("claim: %v %v", held, err)
		}
		if n := f.runOnce(b); n != 0 {
			t.Fatalf("replica b took %d leased messages", n)
		}
		f.clock.Advance(time.Minute)
		if n := f.runOnce(b); n != 1 {
			t.Fatalf("replica b took %d after the lease ran out", n)
		}
		// replica a's late answer changes nothing and logs a second try of the same number at most.
		if err := db.Finish(context.Background(), "replica-a", outbox.Result{MessageID: held[0].ID, State: outbox.StateDead,
			Attempt: outbox.Attempt{N: 1, At: f.clock.Now(), Error: "late"}}); err != nil {
			t.Fatal(err)
		}
		if n := f.count("outbox WHERE id = '" + held[0].ID + "' AND state = 'delivered'"); n != 1 {
			t.Fatal("a lost lease's answer overwrote the message")
		}
	})
}

// TestPingAndDelete: a ping goes through the outbox to the receiver;
// deleting the subscription dead-letters what it still had pending and
// queues nothing more for it.
func TestPingAndDelete(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rcv := newReceiver(t)
		sub := f.subscribe(rcv.srv.URL, webhook.TypeReceived)
		mid, err := f.hooks.Ping(f.ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		d := f.dispatcher("a", dispatch.Options{})
		f.runOnce(d)
		got := rcv.received()
		if len(got) != 1 || got[0].Env.Type != "ping" || got[0].Env.ID != mid || got[0].Data["webhook_id"] != sub.ID {
			t.Fatalf("ping %+v", got)
		}
		verify(t, sub.Secret, got[0], f.clock.Now())
		id := f.articles(1, 1)[0]
		f.event(id, article.EventReceivedAtDC, article.StatusAtDC, "")
		if err := f.hooks.Delete(f.ctx, sub.ID); err != nil {
			t.Fatal(err)
		}
		if n := f.count("outbox WHERE target = '" + sub.ID + "' AND state = 'dead'"); n != 1 {
			t.Fatalf("%d dead after delete", n)
		}
		if _, err := f.hooks.Get(f.ctx, sub.ID); !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("deleted webhook: %v", err)
		}
		f.event(id, article.EventScheduled, article.StatusScheduled, "")
		if n := f.count("outbox WHERE target = '" + sub.ID + "'"); n != 2 {
			t.Fatalf("%d messages for a deleted webhook", n)
		}
	})
}

// TestProductionGuard: in production a message to a loopback, private or
// link-local receiver, or over http, is refused when the connection is
// made, even though the URL was saved (in development) before.
func TestProductionGuard(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rcv := newReceiver(t)
		port := rcv.srv.URL[strings.LastIndex(rcv.srv.URL, ":"):]
		subs := []webhook.Subscription{f.subscribe(rcv.srv.URL), f.subscribe("https://127.0.0.1" + port),
			f.subscribe("https://localhost" + port), f.subscribe("https://10.1.2.3" + port),
			f.subscribe("https://169.254.169.254/latest"), f.subscribe("https://[::1]" + port)}
		id := f.articles(1, 1)[0]
		f.event(id, article.EventReceivedAtDC, article.StatusAtDC, "")
		prod := dispatch.Guard{}
		d, err := dispatch.New(db, map[outbox.Kind]outbox.Sender{outbox.KindWebhook: f.sender}, f.clock.Now, discard(),
			dispatch.Options{Owner: "prod", Guard: prod, Timeout: 500 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if n := f.runOnce(d); n != len(subs) {
			t.Fatalf("attempted %d", n)
		}
		if rcv.attempts() != 0 {
			t.Fatal("the receiver was reached")
		}
		for _, s := range subs {
			l := f.log(s.ID)[0].Log[0]
			if l.Status != 0 || !(strings.Contains(l.Error, "not a public") || strings.Contains(l.Error, "only https")) {
				t.Errorf("%s: %+v", s.URL, l)
			}
		}
	})
}

func TestCheckURL(t *testing.T) {
	ctx := context.Background()
	prod := dispatch.Guard{Lookup: fakeLookup(map[string]string{"hooks.example.com": "93.184.216.34", "inside.example.com": "10.0.0.7"})}
	dev := dispatch.Guard{Dev: true}
	for _, c := range []struct {
		url     string
		prod    bool
		devToo  bool
		comment string
	}{
		{"https://hooks.example.com/in", true, true, "public name"},
		{"https://93.184.216.34:8443/in", true, true, "public address"},
		{"http://hooks.example.com/in", false, true, "http"},
		{"https://127.0.0.1/in", false, true, "loopback"},
		{"https://localhost/in", false, true, "localhost"},
		{"https://10.0.0.1/in", false, true, "private"},
		{"https://192.168.1.1/in", false, true, "private"},
		{"https://169.254.169.254/latest/meta-data", false, true, "link-local (cloud metadata)"},
		{"https://[::1]/in", false, true, "v6 loopback"},
		{"https://[fe80::1]/in", false, true, "v6 link-local"},
		{"https://0.0.0.0/in", false, true, "unspecified"},
		{"https://100.64.1.1/in", false, true, "carrier NAT"},
		{"https://[::ffff:127.0.0.1]/in", false, true, "mapped loopback"},
		{"https://inside.example.com/in", false, true, "a name resolving to a private address"},
		{"https://nowhere.example.com/in", false, true, "a name that does not resolve"},
		{"https://user:pw@hooks.example.com/in", false, false, "credentials"},
		{"ftp://hooks.example.com/in", false, false, "scheme"},
		{"/relative", false, false, "relative"},
		{"https://hooks.example.com/in#x", false, false, "fragment"},
	} {
		if err := prod.CheckURL(ctx, c.url); (err == nil) != c.prod {
			t.Errorf("production %s (%s): %v", c.url, c.comment, err)
		}
		if err := dev.CheckURL(ctx, c.url); (err == nil) != c.devToo {
			t.Errorf("development %s (%s): %v", c.url, c.comment, err)
		}
	}
}

func TestBackoff(t *testing.T) {
	top := func(n int64) int64 { return n - 1 }
	for n, want := range map[int]time.Duration{1: 10 * time.Second, 2: 20 * time.Second, 3: 40 * time.Second,
		9: 2560 * time.Second, 10: time.Hour, 40: time.Hour, 80: time.Hour} {
		if got := dispatch.Backoff(n, 10*time.Second, time.Hour, top); got != want-time.Nanosecond {
			t.Errorf("backoff(%d) = %s, want just under %s", n, got, want)
		}
	}
	if got := dispatch.Backoff(3, 10*time.Second, time.Hour, func(int64) int64 { return 0 }); got != time.Second {
		t.Errorf("the least wait is %s", got)
	}
}

// waitFor polls cond for up to 10 s of real time (a background worker's
// progress, not a timing assertion).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("timed out waiting")
}

// TestOtherKindsLeftAlone: a dispatcher claims only the kinds it has a
// sender for, so a replica without the ONDC sender leaves ONDC callbacks to
// one that has it.
func TestOtherKindsLeftAlone(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		now := f.clock.Now()
		m := outbox.Message{ID: "ondc-1", PartnerID: f.partner, Kind: outbox.KindONDC, Target: "order-1", OrderKey: "order-1",
			Seq: 1, EventType: "on_status", Body: []byte(`{}`), CreatedAt: now}
		if err := db.Enqueue(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		if n := f.runOnce(f.dispatcher("a", dispatch.Options{})); n != 0 {
			t.Fatalf("attempted %d", n)
		}
		if n := f.count("outbox WHERE id = 'ondc-1' AND attempts = 0 AND lease_owner = ''"); n != 1 {
			t.Fatal("the ONDC message was touched")
		}
	})
}
