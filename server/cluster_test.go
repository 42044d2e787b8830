package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"dakiya/internal/testkit"
)

// cluster is several `dakiya serve` processes (the real binary, so one can
// be killed with SIGKILL) on one PostgreSQL database and one S3 server,
// behind a round-robin HTTP proxy like a load balancer's. The replicas
// reach PostgreSQL through a testkit.Proxy, so the test can cut the
// database off for all of them at once.
type cluster struct {
	t        *testing.T
	bin      string
	env      map[string]string // shared by every replica (DAKIYA_DB goes through pg)
	dsn      string            // the database, reached directly (for the test's own checks)
	pg       *testkit.Proxy
	replicas []*replica
	lb       *http.Server
	base     string // the load balancer's URL
	sms      *smsGateway
	next     atomic.Uint64
	kills    atomic.Int64
	pgCuts   atomic.Int64
	// cutOff counts requests the load balancer had sent to a replica that
	// died (or was not there) before answering: the phone saw its
	// connection drop.
	cutOff atomic.Int64
}

// replica is one server process on a fixed address.
type replica struct {
	n     int
	addr  string
	proxy *httputil.ReverseProxy
	up    atomic.Bool
	mu    sync.Mutex
	cmd   *exec.Cmd
	done  chan struct{}
	// stopping is set when the test stops the process; an exit without
	// it is a crash.
	stopping bool
	log      string // its stdout and stderr
}

// secretKey is every replica's DAKIYA_SECRET_KEY: a token one signs, the
// others accept.
const secretKey = "replica-test-secret-key-0123456789abcdef"

// buildDakiya builds the server binary into t's temporary folder.
func buildDakiya(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dakiya")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// newCluster migrates a fresh PostgreSQL database, runs prepare (loading
// data in-process, before any replica runs), and starts n replicas behind
// a round-robin proxy. SMS go to an httptest gateway the cluster keeps.
func newCluster(t *testing.T, n int, prepare func(env map[string]string)) *cluster {
	t.Helper()
	dsn := testkit.PostgresURL(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{t: t, dsn: dsn, pg: testkit.NewProxy(t, u.Host), sms: newSMSGateway(t)}
	c.bin = buildDakiya(t)
	u.Host = c.pg.Addr
	s3 := testkit.S3(t)
	c.env = map[string]string{
		"DAKIYA_DB": dsn, "DAKIYA_SECRET_KEY": secretKey, "DAKIYA_VAR": t.TempDir(),
		"DAKIYA_S3_ENDPOINT": s3.Endpoint, "DAKIYA_S3_ACCESS_KEY": s3.AccessKey, "DAKIYA_S3_SECRET_KEY": s3.SecretKey,
		"DAKIYA_S3_BUCKET": s3.Bucket, "DAKIYA_SMS": "http", "DAKIYA_SMS_URL": c.sms.srv.URL + "/send",
		"DAKIYA_OUTBOX_POLL": "100ms",
	}
	if out, err := runCmd(context.Background(), c.env, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	if prepare != nil {
		prepare(c.env)
	}
	c.env["DAKIYA_DB"] = u.String() // the replicas go through the cuttable proxy
	for i := range n {
		r := &replica{n: i + 1, addr: freeAddr(t), log: filepath.Join(t.TempDir(), fmt.Sprintf("replica%d.log", i+1))}
		target := &url.URL{Scheme: "http", Host: r.addr}
		r.proxy = &httputil.ReverseProxy{
			Rewrite:   func(pr *httputil.ProxyRequest) { pr.SetURL(target); pr.Out.Host = pr.In.Host },
			Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second},
			ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
				if r.Context().Err() != nil {
					panic(http.ErrAbortHandler) // the phone hung up first
				}
				if c.cutOff.Add(1) <= 3 {
					c.t.Logf("load balancer: replica %s: %v", target.Host, err)
				}
				panic(http.ErrAbortHandler) // the phone's connection drops, as a dead replica's would
			},
		}
		c.replicas = append(c.replicas, r)
		c.start(r)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.base = "http://" + ln.Addr().String()
	c.lb = &http.Server{Handler: http.HandlerFunc(c.balance), ErrorLog: nil}
	go c.lb.Serve(ln)
	t.Cleanup(func() {
		c.lb.Close()
		for _, r := range c.replicas {
			c.stop(r, syscall.SIGTERM)
		}
		if t.Failed() {
			for _, r := range c.replicas {
				b, _ := os.ReadFile(r.log)
				t.Logf("replica %d log (tail):\n%s", r.n, tail(string(b), 4000))
			}
		}
	})
	return c
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// balance sends each request to the next replica that is up, round-robin.
func (c *cluster) balance(w http.ResponseWriter, r *http.Request) {
	for range 500 { // while every replica is down, wait for one
		for range len(c.replicas) {
			rep := c.replicas[c.next.Add(1)%uint64(len(c.replicas))]
			if rep.up.Load() {
				rep.proxy.ServeHTTP(w, r)
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.cutOff.Add(1)
	panic(http.ErrAbortHandler)
}

// start runs replica r's process and waits until it answers /healthz.
func (c *cluster) start(r *replica) {
	c.t.Helper()
	logf, err := os.OpenFile(r.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		c.t.Fatal(err)
	}
	cmd := exec.Command(c.bin, "serve")
	cmd.SysProcAttr = testkit.ChildProcAttr()
	cmd.Stdout, cmd.Stderr = logf, logf
	env := []string{"PATH=" + os.Getenv("PATH"), "DAKIYA_ADDR=" + r.addr, "DAKIYA_PUBLIC_URL=" + c.base}
	for k, v := range c.env {
		env = append(env, k+"="+v)
	}
	cmd.Env = env
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("start replica %d: %v", r.n, err)
	}
	done := make(chan struct{})
	r.mu.Lock()
	r.cmd, r.done, r.stopping = cmd, done, false
	r.mu.Unlock()
	go func() {
		err := cmd.Wait()
		logf.Close()
		r.mu.Lock()
		byUs := r.stopping
		r.mu.Unlock()
		if !byUs { // a replica must never die of what happens around it
			r.up.Store(false)
			b, _ := os.ReadFile(r.log)
			c.t.Errorf("replica %d exited by itself (%v):\n%s", r.n, err, tail(string(b), 3000))
		}
		close(done)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if res, err := http.Get("http://" + r.addr + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		select {
		case <-done:
			b, _ := os.ReadFile(r.log)
			c.t.Fatalf("replica %d exited while starting:\n%s", r.n, tail(string(b), 3000))
		default:
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("replica %d did not come up", r.n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.up.Store(true)
}

// stop signals replica r's process and waits for it to end.
func (c *cluster) stop(r *replica, sig syscall.Signal) {
	r.mu.Lock()
	cmd, done := r.cmd, r.done
	r.stopping = true
	r.mu.Unlock()
	if cmd == nil {
		return
	}
	select {
	case <-done:
		return
	default:
	}
	cmd.Process.Signal(sig)
	r.up.Store(false)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// kill SIGKILLs replica r under whatever it is doing; the load balancer
// notices only afterwards, as a real one would.
func (c *cluster) kill(r *replica) {
	c.stop(r, syscall.SIGKILL)
	c.kills.Add(1)
}

// cutDatabase cuts every replica off PostgreSQL for d, then restores it.
func (c *cluster) cutDatabase(d time.Duration) {
	c.pg.Down()
	c.pgCuts.Add(1)
	time.Sleep(d)
	c.pg.Up()
}

// call sends one JSON request to base (the load balancer or one replica)
// and returns the status and the raw answer.
func call(t *testing.T, method, url, token string, header map[string]string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// smsGateway is an SMS provider's HTTP API: it counts every message it is
// asked to send, by the message id the server gives it.
type smsGateway struct {
	srv  *httptest.Server
	mu   sync.Mutex
	sent map[string]int
	body map[string]string // message id → text
	to   map[string]string // message id → phone
}

func newSMSGateway(t *testing.T) *smsGateway {
	g := &smsGateway{sent: map[string]int{}, body: map[string]string{}, to: map[string]string{}}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct{ ID, To, Body string }
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil || m.ID == "" {
			w.WriteHeader(400)
			return
		}
		g.mu.Lock()
		g.sent[m.ID]++
		g.body[m.ID], g.to[m.ID] = m.Body, m.To
		g.mu.Unlock()
		w.WriteHeader(200)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

// counts returns how many distinct messages arrived, and how many of
// them arrived more than once.
func (g *smsGateway) counts() (messages, doubled int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, n := range g.sent {
		if n > 1 {
			doubled++
		}
	}
	return len(g.sent), doubled
}

// code finds the code an SMS to phone gave for article id.
func (g *smsGateway) code(phone, id string) string {
	re := regexp.MustCompile(id + `\b.*? code (\d{6}) `)
	g.mu.Lock()
	defer g.mu.Unlock()
	for mid, to := range g.to {
		if to != phone {
			continue
		}
		if m := re.FindStringSubmatch(g.body[mid]); m != nil {
			return m[1]
		}
	}
	return ""
}

// waitFor polls cond every 50 ms for up to limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// lander sends phones' requests until they land, as a phone's outbox does,
// and keeps what they were answered: every distinct 201 body per
// Idempotency-Key, and a tally of the other answers.
type lander struct {
	t        *testing.T
	client   *http.Client
	limit    time.Duration // how long one request may take to land
	mu       sync.Mutex
	answers  map[string]map[string]bool
	requests atomic.Int64 // attempts sent
	failed   atomic.Int64 // attempts that got no answer
	inFlight atomic.Int64 // 409: the key's first request still runs (or its replica died holding it)
	outage   atomic.Int64 // 503
	faults   atomic.Int64 // any other 5xx
	waitMu   sync.Mutex
	longest  time.Duration // the longest a key took to land
}

func newLander(t *testing.T, client *http.Client, limit time.Duration) *lander {
	return &lander{t: t, client: client, limit: limit, answers: map[string]map[string]bool{}}
}

// land sends request until it is answered 201 and returns the answer; any
// other final answer fails the test.
func (l *lander) land(key string, request func() *http.Request) string {
	start := time.Now()
	for time.Since(start) < l.limit {
		l.requests.Add(1)
		res, err := l.client.Do(request())
		if err != nil {
			l.failed.Add(1)
			time.Sleep(20 * time.Millisecond)
			continue
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		switch {
		case res.StatusCode == 201:
			l.mu.Lock()
			if l.answers[key] == nil {
				l.answers[key] = map[string]bool{}
			}
			l.answers[key][string(b)] = true
			l.mu.Unlock()
			l.waitMu.Lock()
			l.longest = max(l.longest, time.Since(start))
			l.waitMu.Unlock()
			return string(b)
		case res.StatusCode == 409:
			l.inFlight.Add(1)
		case res.StatusCode == 503:
			l.outage.Add(1)
		case res.StatusCode >= 500:
			l.faults.Add(1)
			l.t.Errorf("key %s: %d %s", key, res.StatusCode, b)
		default:
			l.t.Errorf("key %s: %d %s", key, res.StatusCode, b)
			return ""
		}
		time.Sleep(50 * time.Millisecond)
	}
	l.t.Errorf("key %s did not land within %s", key, l.limit)
	return ""
}

// mismatches counts the keys that were answered 201 with different bodies.
func (l *lander) mismatches() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for key, bodies := range l.answers {
		if len(bodies) != 1 {
			n++
			l.t.Errorf("key %s got %d different answers", key, len(bodies))
		}
	}
	return n
}

// send runs one job as a phone's outbox does through base: the photo first,
// then the outcome naming it.
func (l *lander) send(base string, j job) {
	body := j.body
	if j.proofKey != "" {
		photos := &fleet{base: base}
		answer := l.land(j.proofKey, func() *http.Request { return photos.photoRequest(j) })
		var p struct{ ID string }
		json.Unmarshal([]byte(answer), &p)
		body["proof_ids"] = []string{p.ID}
	}
	b, _ := json.Marshal(body)
	l.land(j.key, func() *http.Request {
		req, _ := http.NewRequest("POST", base+"/api/v1/deliveries", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+j.token)
		req.Header.Set("Idempotency-Key", j.key)
		return req
	})
}
