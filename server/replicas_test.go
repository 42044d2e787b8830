package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"dakiya/internal/store"
)

// TestReplicas runs three `dakiya serve` processes on one PostgreSQL
// database and one S3 server behind a round-robin proxy: a token from one
// replica works on the others, a refresh rotates across them, an
// Idempotency-Key replays byte for byte on every replica (and refuses
// another body), three SMS workers and three webhook dispatchers never
// send one message twice, and a replica killed with SIGKILL in the middle
// of a stream of outcomes loses none of them.
func TestReplicas(t *testing.T) {
	c := newCluster(t, 3, func(env map[string]string) {
		if out, err := runCmd(context.Background(), env, "", "demo"); err != nil {
			t.Fatalf("demo: %v %s", err, out)
		}
	})
	var res replicaResult
	res.tokens = c.checkTokens(t)
	res.refreshes = c.checkRefresh(t)

	// The next slot's manifests go out through the load balancer while
	// three SMS workers run: each code SMS must reach the gateway once.
	f := &fleet{t: t, base: c.base, codeOf: func(phone, id string) string {
		code := ""
		waitFor(t, 30*time.Second, "the code SMS of "+id, func() bool { code = c.sms.code(phone, id); return code != "" })
		return code
	}}
	jobs := f.dispatchSlot(12)
	c.waitQueuesDrained(t)
	res.sms, res.smsDoubled = c.sms.counts()
	if res.smsDoubled != 0 {
		t.Errorf("%d of %d SMS were sent more than once by three replicas", res.smsDoubled, res.sms)
	}
	res.webhooks, res.webhooksDoubled = c.checkWebhooks(t, 20)

	// One outcome (without its photo) with its key on each replica in turn.
	jobs[0].proofKey = ""
	res.replays = c.checkIdempotency(t, jobs[0])

	// The rest of the outcomes (and their photos) stream in from three
	// phones while replica 2 is killed mid-stream; every one must land once.
	l := newLander(t, &http.Client{Timeout: 20 * time.Second}, 3*time.Minute)
	rest := jobs[1:]
	var sent sync.WaitGroup
	progress := make(chan struct{}, len(rest))
	byPhone := map[string][]job{}
	for _, j := range rest {
		byPhone[j.token] = append(byPhone[j.token], j)
	}
	for _, mine := range byPhone {
		sent.Go(func() {
			for _, j := range mine {
				l.send(c.base, j)
				progress <- struct{}{}
			}
		})
	}
	for range len(rest) / 3 {
		<-progress
	}
	victim := c.replicas[1]
	c.kill(victim)
	killedAt := time.Now()
	sent.Wait()
	res.afterKill = time.Since(killedAt)
	c.start(victim) // it comes back and serves again
	if st, _ := call(t, "GET", "http://"+victim.addr+"/readyz", "", nil, nil); st != 200 {
		t.Errorf("the restarted replica is not ready: %d", st)
	}
	res.outcomes, res.photos = len(jobs), photoJobs(jobs)
	res.cutOff, res.inFlight, res.longest = c.cutOff.Load(), l.inFlight.Load(), l.longest
	res.mismatches = l.mismatches()
	checkExactlyOnce(t, c.dsn, len(jobs), photoJobs(jobs))
	c.waitQueuesDrained(t)
	res.smsAfter, res.smsDoubledAfter = c.sms.counts()
	t.Log(res)
	fmt.Println(res)
}

// replicaResult is what TestReplicas measured, printed as one line.
type replicaResult struct {
	tokens, refreshes, replays   int
	sms, smsDoubled, smsAfter    int
	smsDoubledAfter              int
	webhooks, webhooksDoubled    int
	outcomes, photos, mismatches int
	cutOff, inFlight             int64
	longest, afterKill           time.Duration
}

func (r replicaResult) String() string {
	return fmt.Sprintf("REPLICA RESULT replicas=3 token_accepted_by=%d refresh_rotations=%d idem_replays=%d idem_mismatch=422 "+
		"sms=%d sms_doubled=%d webhooks=%d webhooks_doubled=%d kills=1 outcomes=%d photos=%d stored_once=%d "+
		"cut_off_by_kill=%d answered_409=%d longest_wait=%s stream_after_kill=%s mismatches=%d sms_after_kill=%d sms_doubled_after_kill=%d",
		r.tokens, r.refreshes, r.replays, r.sms, r.smsDoubled, r.webhooks, r.webhooksDoubled, r.outcomes, r.photos, r.outcomes,
		r.cutOff, r.inFlight, r.longest.Round(100*time.Millisecond), r.afterKill.Round(100*time.Millisecond), r.mismatches,
		r.smsAfter, r.smsDoubledAfter)
}

// session is a login's answer.
type session struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// checkTokens logs in on replica 1 and uses the token on every replica.
func (c *cluster) checkTokens(t *testing.T) int {
	t.Helper()
	st, b := call(t, "POST", "http://"+c.replicas[0].addr+"/api/v1/auth/login", "", nil,
		map[string]string{"username": "supervisor1", "password": "dakiya-demo"})
	var s session
	if st != 200 || json.Unmarshal(b, &s) != nil {
		t.Fatalf("login on replica 1: %d %s", st, b)
	}
	ok := 0
	for _, r := range c.replicas {
		if st, b := call(t, "GET", "http://"+r.addr+"/api/v1/me", s.AccessToken, nil, nil); st != 200 {
			t.Errorf("replica %d refused replica 1's token: %d %s", r.n, st, b)
			continue
		}
		ok++
	}
	return ok
}

// checkRefresh rotates a refresh token on replica 2, then on replica 3;
// the rotated-out first token is refused on replica 1 and, as a reuse,
// revokes the chain: the newest token is refused on replica 2.
func (c *cluster) checkRefresh(t *testing.T) int {
	t.Helper()
	refresh := func(r *replica, token string) (int, session) {
		st, b := call(t, "POST", "http://"+r.addr+"/api/v1/auth/refresh", "", nil, map[string]string{"refresh_token": token})
		var s session
		json.Unmarshal(b, &s)
		return st, s
	}
	st, b := call(t, "POST", "http://"+c.replicas[0].addr+"/api/v1/auth/login", "", nil,
		map[string]string{"username": "postman1", "password": "dakiya-demo"})
	var s1 session
	if st != 200 || json.Unmarshal(b, &s1) != nil {
		t.Fatalf("login: %d %s", st, b)
	}
	st2, s2 := refresh(c.replicas[1], s1.RefreshToken)
	st3, s3 := refresh(c.replicas[2], s2.RefreshToken)
	if st2 != 200 || st3 != 200 || s3.RefreshToken == s2.RefreshToken || s2.RefreshToken == s1.RefreshToken {
		t.Fatalf("refresh on replica 2: %d, then on replica 3: %d", st2, st3)
	}
	if st, _ := call(t, "GET", "http://"+c.replicas[0].addr+"/api/v1/me", s3.AccessToken, nil, nil); st != 200 {
		t.Errorf("replica 1 refused the access token replica 3 issued: %d", st)
	}
	if st, _ := refresh(c.replicas[0], s1.RefreshToken); st != 401 {
		t.Errorf("the rotated-out refresh token on replica 1: %d, want 401", st)
	}
	if st, _ := refresh(c.replicas[1], s3.RefreshToken); st != 401 {
		t.Errorf("after a reuse, the chain's newest refresh token on replica 2: %d, want 401", st)
	}
	return 2
}

// checkIdempotency sends j's outcome to replica 1, replays its key on
// replicas 2 and 3 (the same bytes must come back), and sends another body
// with the key on replica 3 (422).
func (c *cluster) checkIdempotency(t *testing.T, j job) int {
	t.Helper()
	j.body["proof_ids"] = []string{}
	hdr := map[string]string{"Idempotency-Key": j.key}
	st, first := call(t, "POST", "http://"+c.replicas[0].addr+"/api/v1/deliveries", j.token, hdr, j.body)
	if st != 201 {
		t.Fatalf("outcome on replica 1: %d %s", st, first)
	}
	replays := 0
	for _, r := range c.replicas[1:] {
		st, again := call(t, "POST", "http://"+r.addr+"/api/v1/deliveries", j.token, hdr, j.body)
		if st != 201 || !bytes.Equal(again, first) {
			t.Errorf("replay on replica %d: %d %q, want 201 %q", r.n, st, again, first)
			continue
		}
		replays++
	}
	other := map[string]any{}
	for k, v := range j.body {
		other[k] = v
	}
	other["captured_at"] = time.Now().Add(-time.Minute).Format(time.RFC3339)
	if st, b := call(t, "POST", "http://"+c.replicas[2].addr+"/api/v1/deliveries", j.token, hdr, other); st != 422 {
		t.Errorf("the key with another body on replica 3: %d %s, want 422", st, b)
	}
	return replays
}

// checkWebhooks subscribes a partner to every event, gives it n articles,
// makes an event on each through the load balancer, and counts what the
// receiver got per event id once three dispatchers have drained the
// outbox.
func (c *cluster) checkWebhooks(t *testing.T, n int) (events, doubled int) {
	t.Helper()
	rcv := &countingReceiver{got: map[string]int{}}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	f := &fleet{t: t, base: c.base}
	adm, sup := f.token("admin"), f.token("supervisor1")
	var p, k struct{ ID, Key string }
	if st := f.call("POST", "/api/v1/partners", adm, map[string]any{"name": "Acme Books", "billing_dc": "blr-koramangala"}, &p); st != 201 {
		t.Fatalf("partner: %d", st)
	}
	if st := f.call("POST", "/api/v1/partners/"+p.ID+"/keys", adm, map[string]any{"scopes": []string{"webhooks"}}, &k); st != 201 {
		t.Fatalf("key: %d", st)
	}
	if st := f.call("POST", "/api/v1/webhooks", k.Key, map[string]any{"url": srv.URL + "/dakiya", "events": []string{"*"}}, nil); st != 201 {
		t.Fatalf("webhook: %d", st)
	}
	var list struct{ Items []struct{ ID, Status string } }
	f.call("GET", "/api/v1/dcs/blr-koramangala/articles?limit=300", sup, nil, &list)
	db, err := store.Open(context.Background(), c.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids []string
	for _, a := range list.Items {
		if len(ids) < n && (a.Status == "scheduled" || a.Status == "at_dc") {
			var got string
			if err := db.QueryRowForTest(context.Background(), "UPDATE articles SET partner_id = ? WHERE id = ? RETURNING id", p.ID, a.ID).Scan(&got); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
	}
	if len(ids) < n {
		t.Fatalf("only %d articles for the partner", len(ids))
	}
	for _, id := range ids {
		if st := f.call("POST", "/api/v1/articles/"+id+"/events", sup, map[string]any{"event": "held_at_counter"}, nil); st != 200 {
			t.Fatalf("event on %s: %d", id, st)
		}
	}
	waitFor(t, 60*time.Second, "the webhooks", func() bool { e, _ := rcv.counts(); return e >= n })
	c.waitQueuesDrained(t)
	time.Sleep(500 * time.Millisecond) // five more polls of each dispatcher
	events, doubled = rcv.counts()
	if events != n || doubled != 0 {
		t.Errorf("the receiver got %d events (want %d), %d of them more than once", events, n, doubled)
	}
	return events, doubled
}

// waitQueuesDrained waits until no SMS and no outbox message is pending.
func (c *cluster) waitQueuesDrained(t *testing.T) {
	t.Helper()
	db, err := store.Open(context.Background(), c.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waitFor(t, 60*time.Second, "the SMS queue and the outbox to drain", func() bool {
		var sms, outbox int
		err := db.QueryRowForTest(context.Background(),
			"SELECT (SELECT COUNT(*) FROM sms WHERE status = 'queued'), (SELECT COUNT(*) FROM outbox WHERE state = 'pending')").Scan(&sms, &outbox)
		return err == nil && sms == 0 && outbox == 0
	})
}

// countingReceiver is a partner's webhook endpoint that counts each event
// by its id.
type countingReceiver struct {
	mu  sync.Mutex
	got map[string]int
}

func (r *countingReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	var ev struct{ ID string }
	if json.Unmarshal(b, &ev) != nil || ev.ID == "" {
		w.WriteHeader(400)
		return
	}
	r.mu.Lock()
	r.got[ev.ID]++
	r.mu.Unlock()
	w.WriteHeader(200)
}

func (r *countingReceiver) counts() (events, doubled int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.got {
		if n > 1 {
			doubled++
		}
	}
	return len(r.got), doubled
}
