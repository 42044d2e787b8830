package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// faulty is a transport between phones and the server that loses
// requests before they arrive, loses responses after the server committed,
// sends some requests twice at once, and delays others so they overtake.
type faulty struct {
	base                   http.RoundTripper
	mu                     sync.Mutex
	r                      *rand.Rand
	dropped, lost, doubled atomic.Int64
}

var errLost = errors.New("faulty: connection lost")

func (f *faulty) roll() float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.r.Float64()
}

func (f *faulty) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	send := func(ctx context.Context) (*http.Response, error) {
		c := req.Clone(ctx)
		c.Body = io.NopCloser(bytes.NewReader(body))
		return f.base.RoundTrip(c)
	}
	time.Sleep(time.Duration(f.roll() * float64(3*time.Millisecond))) // reorder
	switch x := f.roll(); {
	case x < 0.15:
		f.dropped.Add(1)
		return nil, errLost
	case x < 0.30:
		f.lost.Add(1)
		if res, err := send(req.Context()); err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		return nil, errLost
	case x < 0.40:
		f.doubled.Add(1)
		go func() {
			// The copy lives on its own: it is not called back when the
			// original's answer arrives.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(req.Context()), 30*time.Second)
			defer cancel()
			if res, err := send(ctx); err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		}()
	}
	return send(req.Context())
}

// fleet is a server that restarts on a fixed address, and phones.
type fleet struct {
	t        *testing.T
	restarts atomic.Int64
	env      map[string]string
	base     string
	mu       sync.Mutex
	cancel   context.CancelFunc
	done     chan error
	// codeOf, when set, reads an article's code where the SMS went (an
	// SMS gateway) instead of the development outbox.
	codeOf func(phone, id string) string
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start runs `dakiya serve` and waits until it answers.
func (f *fleet) start() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"dakiya", "serve"}, func(k string) string { return f.env[k] }, nil, io.Discard, io.Discard)
	}()
	for i := 0; ; i++ {
		if res, err := http.Get(f.base + "/healthz"); err == nil {
			res.Body.Close()
			break
		}
		if i > 500 {
			f.t.Fatal("the server did not come up")
		}
		time.Sleep(10 * time.Millisecond)
	}
	f.mu.Lock()
	f.cancel, f.done = cancel, done
	f.mu.Unlock()
}

// restart stops the server (in-flight requests finish) and starts it again.
func (f *fleet) restart() {
	f.mu.Lock()
	cancel, done := f.cancel, f.done
	f.mu.Unlock()
	cancel()
	if err := <-done; err != nil {
		f.t.Errorf("serve: %v", err)
	}
	f.restarts.Add(1)
	f.start()
}

func (f *fleet) stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cancel()
	<-f.done
}

// call sends one JSON request with a clean client and decodes the answer.
func (f *fleet) call(method, path, token string, body, out any) int {
	f.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	if out != nil {
		json.NewDecoder(res.Body).Decode(out)
	}
	return res.StatusCode
}

func (f *fleet) token(user string) string {
	var s struct {
		AccessToken string `json:"access_token"`
	}
	if st := f.call("POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": "dakiya-demo"}, &s); st != 200 {
		f.t.Fatalf("login %s: %d", user, st)
	}
	return s.AccessToken
}

// TestFaultInjection is the small run in make test; make bench runs the
// large one (every article of the slot).
func TestFaultInjection(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		faultRun(t, "sqlite:"+filepath.Join(t.TempDir(), "faults.db"), 6)
	})
	t.Run("postgres", func(t *testing.T) { faultRun(t, testkit.PostgresURL(t), 6) })
}

// job is one phone action: an outcome with its key, sent until it lands.
type job struct {
	token    string
	key      string
	body     map[string]any
	proofKey string // non-empty: upload a photo first and name it
}

// faultRun loads the demo on dsn, dispatches a slot's manifests, and has
// every postman of the centre submit perPostman outcomes through the
// faulty transport while the server restarts under them. Then every
// outcome must exist exactly once, and every answer a phone saw for a key
// must be the same one.
func faultRun(t *testing.T, dsn string, perPostman int) {
	env := testEnv(t)
	env["DAKIYA_DB"], env["DAKIYA_ADDR"] = dsn, freeAddr(t)
	if out, err := runCmd(context.Background(), env, "", "demo"); err != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	f := &fleet{t: t, env: env, base: "http://" + env["DAKIYA_ADDR"]}
	f.start()
	jobs := f.dispatchSlot(perPostman)
	tr := &faulty{base: &http.Transport{MaxIdleConnsPerHost: 8}, r: rand.New(rand.NewPCG(11, 12))}
	seen := f.runPhones(jobs, &http.Client{Transport: tr, Timeout: 10 * time.Second})
	f.stop()
	if f.restarts.Load() < 2 {
		t.Errorf("the server restarted %d times during the run; the test needs restarts under load", f.restarts.Load())
	}
	t.Logf("%d outcomes, %d with a photo; transport dropped %d requests, lost %d responses after the server got them, sent %d twice; server restarted %d times",
		len(jobs), photoJobs(jobs), tr.dropped.Load(), tr.lost.Load(), tr.doubled.Load(), f.restarts.Load())
	for key, bodies := range seen {
		if len(bodies) != 1 {
			t.Errorf("key %s got %d different answers: %v", key, len(bodies), bodies)
		}
	}
	checkExactlyOnce(t, dsn, len(jobs), photoJobs(jobs))
}

func photoJobs(jobs []job) int {
	n := 0
	for _, j := range jobs {
		if j.proofKey != "" {
			n++
		}
	}
	return n
}

// dispatchSlot builds and dispatches the manifests of the slot the demo's
// first scheduled article is in, and makes each postman's jobs.
func (f *fleet) dispatchSlot(perPostman int) []job {
	sup := f.token("supervisor1")
	var page struct {
		Items []struct{ Schedule struct{ Date, Slot string } }
	}
	f.call("GET", "/api/v1/dcs/blr-koramangala/articles?status=scheduled&limit=1", sup, nil, &page)
	day := page.Items[0].Schedule
	var built struct{ Manifests []struct{ ID string } }
	if st := f.call("POST", "/api/v1/dcs/blr-koramangala/manifests", sup, map[string]string{"date": day.Date, "slot": day.Slot}, &built); st != 201 {
		f.t.Fatalf("build: %d", st)
	}
	for _, m := range built.Manifests {
		if st := f.call("POST", "/api/v1/manifests/"+m.ID+"/dispatch", sup, nil, nil); st != 200 {
			f.t.Fatalf("dispatch: %d", st)
		}
	}
	var jobs []job
	for _, user := range []string{"postman1", "postman2", "postman3"} {
		jobs = append(jobs, f.postmanJobs(user, day.Date, day.Slot, perPostman)...)
	}
	return jobs
}

type stop struct {
	Lat, Lon float64
	Phone    string
	Articles []struct {
		ID          string
		CODPaise    int64 `json:"cod_paise"`
		OTPRequired bool  `json:"otp_required"`
	}
}

// postmanJobs makes a postman's outcomes: every fourth a failed attempt,
// the rest deliveries with the recipient's real code from the outbox.
func (f *fleet) postmanJobs(user, date, sl string, n int) []job {
	tok := f.token(user)
	var mine []struct{ ID string }
	f.call("GET", "/api/v1/me/manifests?date="+date+"&slot="+sl, tok, nil, &mine)
	var m struct{ Stops []stop }
	f.call("GET", "/api/v1/manifests/"+mine[0].ID, tok, nil, &m)
	var jobs []job
	for _, st := range m.Stops {
		for _, a := range st.Articles {
			if len(jobs) == n {
				return jobs
			}
			body := map[string]any{"article_id": a.ID, "proof_ids": []string{}, "captured_at": time.Now().Format(time.RFC3339),
				"location": map[string]any{"lat": st.Lat, "lon": st.Lon, "accuracy_m": 10}}
			if len(jobs)%4 == 3 {
				body["outcome"], body["reason_code"] = "failed", "08"
			} else {
				body["outcome"] = "delivered"
				if a.OTPRequired {
					body["otp"] = f.code(st.Phone, a.ID)
				}
				if a.CODPaise > 0 {
					body["cod"] = map[string]any{"mode": "cash", "amount_paise": a.CODPaise}
				}
			}
			j := job{token: tok, key: uuid.NewString(), body: body}
			if body["outcome"] == "delivered" && len(jobs)%2 == 0 {
				j.proofKey = uuid.NewString()
			}
			jobs = append(jobs, j)
		}
	}
	return jobs
}

// code reads an article's code from the development outbox.
func (f *fleet) code(phone, id string) string {
	if f.codeOf != nil {
		return f.codeOf(phone, id)
	}
	var out struct{ Messages []struct{ Body string } }
	f.call("GET", "/api/v1/dev/sms?phone="+strings.ReplaceAll(phone, "+", "%2B"), "", nil, &out)
	re := regexp.MustCompile(id + `\b.*? code (\d{6}) `) // one SMS may list a household's articles
	for _, m := range out.Messages {
		if c := re.FindStringSubmatch(m.Body); c != nil {
			return c[1]
		}
	}
	f.t.Fatalf("no code for %s", id)
	return ""
}

// runPhones sends every job until it lands, phones in parallel (each in
// its own order), while the server restarts again and again. It returns
// the distinct 201 answers seen per key.
func (f *fleet) runPhones(jobs []job, client *http.Client) map[string]map[string]bool {
	seen := map[string]map[string]bool{}
	var mu sync.Mutex
	done, restarter := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(restarter)
		for {
			select {
			case <-done:
				return
			case <-time.After(30 * time.Millisecond):
				f.restart()
			}
		}
	}()
	byPhone := map[string][]job{}
	for _, j := range jobs {
		byPhone[j.token] = append(byPhone[j.token], j)
	}
	var wg sync.WaitGroup
	for _, mine := range byPhone {
		wg.Go(func() { // one phone: its outbox, in order, walking between doors
			for _, j := range mine {
				body := f.send(client, j)
				mu.Lock()
				if seen[j.key] == nil {
					seen[j.key] = map[string]bool{}
				}
				seen[j.key][body] = true
				mu.Unlock()
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	close(done)
	<-restarter // a restart under way finishes before the caller stops the server
	return seen
}

// send runs one job as a phone's outbox does: the photo first, then the
// outcome naming it, each retried until the server answers 201. It returns
// both answers; every retry of a key that lands must be answered alike,
// which the caller checks.
func (f *fleet) send(client *http.Client, j job) string {
	body := j.body
	proofAnswer := ""
	if j.proofKey != "" {
		proofAnswer = f.retry(client, j.proofKey, func() *http.Request { return f.photoRequest(j) })
		var p struct{ ID string }
		json.Unmarshal([]byte(proofAnswer), &p)
		body["proof_ids"] = []string{p.ID}
	}
	b, _ := json.Marshal(body)
	return proofAnswer + f.retry(client, j.key, func() *http.Request {
		req, _ := http.NewRequest("POST", f.base+"/api/v1/deliveries", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+j.token)
		req.Header.Set("Idempotency-Key", j.key)
		return req
	})
}

// photoRequest is a proof upload of a small real JPEG.
func (f *fleet) photoRequest(j job) *http.Request {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("article_id", j.body["article_id"].(string))
	w.WriteField("kind", "photo")
	part, _ := w.CreateFormFile("file", "door.jpg")
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	jpeg.Encode(part, img, nil)
	w.Close()
	req, _ := http.NewRequest("POST", f.base+"/api/v1/proofs", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+j.token)
	req.Header.Set("Idempotency-Key", j.proofKey)
	return req
}

// retry sends a request until it lands with 201 and returns the answer.
func (f *fleet) retry(client *http.Client, key string, request func() *http.Request) string {
	var last string
	for range 400 {
		req := request()
		res, err := client.Do(req)
		if err != nil {
			time.Sleep(5 * time.Millisecond)
			continue
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		switch res.StatusCode {
		case 201:
			return string(b)
		case 409, 503:
			// The first request still runs (slowly, on a loaded
			// machine) or the database is away: wait as a phone does,
			// up to about 20 s in all.
			last = fmt.Sprintf("%d %s", res.StatusCode, b)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		f.t.Errorf("key %s: %d %s", key, res.StatusCode, b)
		return ""
	}
	f.t.Errorf("key %s never landed; last answer %s", key, last)
	return ""
}

// checkExactlyOnce reads the database: n outcomes, one per article, and
// photos proofs, each linked to its outcome.
func checkExactlyOnce(t *testing.T, dsn string, n, photos int) {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var total, articles int
	if err := db.QueryRowForTest(context.Background(), "SELECT COUNT(*), COUNT(DISTINCT article_id) FROM deliveries").Scan(&total, &articles); err != nil {
		t.Fatal(err)
	}
	if total != n || articles != n {
		t.Fatalf("%d outcomes for %d articles stored; want exactly %d", total, articles, n)
	}
	var stored, linked int
	if err := db.QueryRowForTest(context.Background(), "SELECT (SELECT COUNT(*) FROM proofs), (SELECT COUNT(*) FROM delivery_proofs)").
		Scan(&stored, &linked); err != nil {
		t.Fatal(err)
	}
	if stored != photos || linked != photos {
		t.Fatalf("%d proofs stored, %d linked to outcomes; want exactly %d", stored, linked, photos)
	}
}

// TestFaultInjectionLarge is the large run, for make bench: every article
// of the slot. It runs only with DAKIYA_FAULTS_LARGE=1.
func TestFaultInjectionLarge(t *testing.T) {
	if os.Getenv("DAKIYA_FAULTS_LARGE") != "1" {
		t.Skip("set DAKIYA_FAULTS_LARGE=1 (make bench does)")
	}
	t.Run("sqlite", func(t *testing.T) {
		faultRun(t, "sqlite:"+filepath.Join(t.TempDir(), "faults.db"), 1000)
	})
	t.Run("postgres", func(t *testing.T) { faultRun(t, testkit.PostgresURL(t), 1000) })
}
