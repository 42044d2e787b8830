package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"iter"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"dakiya/assets"
	"dakiya/internal/article"
	"dakiya/internal/auth"
	"dakiya/internal/beatplan"
	"dakiya/internal/booking"
	"dakiya/internal/centre"
	"dakiya/internal/cod"
	"dakiya/internal/delivery"
	"dakiya/internal/demand"
	"dakiya/internal/httpapi"
	"dakiya/internal/manifest"
	"dakiya/internal/notify"
	"dakiya/internal/objstore"
	"dakiya/internal/ondc"
	"dakiya/internal/otp"
	"dakiya/internal/partner"
	"dakiya/internal/postal"
	"dakiya/internal/privacy"
	"dakiya/internal/progress"
	"dakiya/internal/proof"
	"dakiya/internal/remit"
	"dakiya/internal/roster"
	"dakiya/internal/slot"
	"dakiya/internal/sorting"
	"dakiya/internal/stats"
	"dakiya/internal/store"
	"dakiya/internal/tariff"
	"dakiya/internal/testkit"
	"dakiya/pwa"
)

const password = "long-enough-pw"

// env is a running API on a real database with two centres: dc-one
// (sup1, post1, post2) and dc-two (sup2), and an admin.
type env struct {
	t     testing.TB
	store *switchable // the proof service's object store
	links slot.Links
	url   string
	db    *store.DB
	clock *testkit.Clock
	logs  *bytes.Buffer
	deps  httpapi.Deps // what the server was built from, for replicas
}

func newEnv(t testing.TB, db *store.DB, ready ...httpapi.Check) *env {
	t.Helper()
	return newEnvWith(t, db, auth.DefaultPolicy(), ready...)
}

// newEnvWith is newEnv with a login policy of the test's choosing.
func newEnvWith(t testing.TB, db *store.DB, policy auth.Policy, ready ...httpapi.Check) *env {
	t.Helper()
	ctx := context.Background()
	clock := testkit.NewClock(time.Date(2026, 11, 25, 4, 30, 0, 0, time.UTC))
	authSvc, err := auth.New(db, []byte("0123456789abcdef0123456789abcdef"), policy, clock.Now, uuid.NewString)
	if err != nil {
		t.Fatal(err)
	}
	centres := centre.New(db, clock.Now, uuid.NewString)
	seed(t, ctx, authSvc, centres)
	logs := &bytes.Buffer{}
	links := slot.NewLinks([]byte("slot link key for tests, 32 bytes"), "http://dakiya.test")
	sealer, err := otp.NewSealer([]byte("otp seal key for tests, 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	smsSealer, err := notify.NewSealer([]byte("sms seal key for tests, 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	issuer := otp.NewIssuer(sealer, smsSealer, otp.DefaultPolicy(), clock.Now, uuid.NewString)
	mf := manifest.New(db, clock.Now, uuid.NewString, manifest.Options{RouteBudget: 50 * time.Millisecond, Codes: &issuer})
	otpSvc := otp.New(db, issuer, otp.DefaultPolicy(), clock.Now, mf.Reissue, slog.New(slog.NewJSONHandler(logs, nil)))
	objects := newSwitchable(t)
	proofs := proof.New(db, objects, clock.Now, uuid.NewString, proof.Options{}) // on a real S3 server
	deps := httpapi.Deps{
		Log: slog.New(slog.NewJSONHandler(logs, nil)), Now: clock.Now, Auth: authSvc, Centres: centres,
		Articles: article.New(db, clock.Now).WithNotice(links.ReceivedNotice(clock.Now, uuid.NewString)), Slots: slot.New(db, links, clock.Now),
		Manifests: mf, OTP: otpSvc, Idem: db, COD: cod.New(db, clock.Now, uuid.NewString),
		Deliveries: delivery.New(db, otpSvc, proofs, links.FailedNotice(clock.Now, uuid.NewString), delivery.DefaultPolicy(), clock.Now, uuid.NewString),
		Proofs:     proofs, Progress: progress.New(db, clock.Now), Stats: stats.New(db, clock.Now),
		Ready: ready, Registry: prometheus.NewRegistry(),
		DevSMS: notify.Outbox(db, smsSealer, 50), DevSMSOpen: true, // as DAKIYA_DEV_OUTBOX=1
		PWA: pwa.Files(), Metrics: httpapi.MetricsAccess{Serve: true},
		Partners: partner.New(db, clock.Now, uuid.NewString),
		Tariffs:  tariff.New(db, db, clock.Now, uuid.NewString).WithDefault(assets.DefaultTariff()),
		// tariffs (quotes): deps above this line
		Bookings: booking.New(db, tariff.New(db, db, clock.Now, uuid.NewString).WithDefault(assets.DefaultTariff()), clock.Now, uuid.NewString, booking.Options{}),
		PODLinks: podLinks(),
		// bookings (bulk booking, wallet, labels): deps above this line
		Webhooks: testWebhooks(db, clock.Now),
		// webhooks (outbox, dispatcher): deps above this line
		Remit: remit.New(db, clock.Now, uuid.NewString),
		// remittances (partner COD): deps above this line
		ONDC: ondcService(t, db, clock.Now, ondc.Registry{}),
		// ondc (LOG11 adapter): deps above this line
		Demand: demand.New(db, db, testFestivals(t), clock.Now),
		// forecast and festivals (fc.): deps above this line
		Rosters:   roster.New(db, clock.Now),
		BeatPlans: beatplan.New(db, mf, clock.Now, uuid.NewString, testBeatPlanSettings()),
		// rosters and beat plans (plan.): deps above this line
		Sorting: sorting.New(db, clock.Now),
		// sorting (sort.): deps above this line
		Privacy: privacy.New(db, nil, clock.Now, uuid.NewString, privacy.Options{}),
		// privacy (retention, audit): deps above this line
	}
	deps.Articles.WithWindows(deps.Slots)
	e := &env{t: t, db: db, clock: clock, logs: logs, links: links, store: objects, deps: deps}
	e.url = e.replica(deps)
	return e
}

// replica starts another server like the env's, with d changed as wanted,
// on the same database, services and clock, and returns its URL. Each has
// its own in-memory state (rate limits), as replicas behind a load
// balancer do.
func (e *env) replica(d httpapi.Deps) string {
	e.t.Helper()
	d.Registry = prometheus.NewRegistry()
	h, err := httpapi.New(d)
	if err != nil {
		e.t.Fatal(err)
	}
	srv := httptest.NewServer(apiContract.check(e.t, h)) // every answer held to assets/openapi.yaml
	e.t.Cleanup(srv.Close)
	return srv.URL
}

func seed(t testing.TB, ctx context.Context, a *auth.Service, c *centre.Service) {
	t.Helper()
	admin := postal.Principal{Role: postal.RoleAdmin, UserID: "seed"}
	for _, dc := range []centre.DC{
		{ID: "dc-one", Name: "Koramangala DC", Address: "80 Feet Road", PIN: "560034", Lat: 12.9352, Lon: 77.6245},
		{ID: "dc-two", Name: "Jaipur City DC", Address: "M.I. Road", PIN: "302001", Lat: 26.9157, Lon: 75.8036},
	} {
		if _, err := c.Create(ctx, admin, dc); err != nil {
			t.Fatal(err)
		}
	}
	users := []auth.NewUser{
		{Username: "admin", Name: "Admin", Role: postal.RoleAdmin},
		{Username: "sup1", Name: "Sup One", Role: postal.RoleSupervisor, DCID: "dc-one"},
		{Username: "post1", Name: "Post One", Role: postal.RolePostman, DCID: "dc-one"},
		{Username: "post2", Name: "Post Two", Role: postal.RolePostman, DCID: "dc-one"},
		{Username: "sup2", Name: "Sup Two", Role: postal.RoleSupervisor, DCID: "dc-two"},
	}
	ids := map[string]string{}
	for _, u := range users {
		u.Password = password
		made, err := a.CreateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		ids[u.Username] = made.ID
	}
	if _, err := c.AddBeat(ctx, admin, centre.Beat{DCID: "dc-one", ID: "beat-a", Name: "Beat A", PostmanID: ids["post1"],
		PINs: []string{"560034"}}); err != nil {
		t.Fatal(err)
	}
}

// resp is a finished response with its body read.
type resp struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a map.
func (r resp) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// do sends a request. body may be nil, a string (sent as is) or a value
// (sent as JSON); token may be empty.
func (e *env) do(method, path, token string, body any, headers ...string) resp {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.url+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	return answer(e.t, res, err)
}

// answer reads a response (or fails t with the request's error) into a
// resp.
func answer(t testing.TB, res *http.Response, err error) resp {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// login returns an access token for a seeded user.
func (e *env) login(username string) string {
	e.t.Helper()
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password})
	if r.status != 200 {
		e.t.Fatalf("login %s: %d %s", username, r.status, r.body)
	}
	return r.json(e.t)["access_token"].(string)
}

// wantProblem checks a problem+json answer with the given status.
func wantProblem(t testing.TB, r resp, status int) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type = %q, want application/problem+json", ct)
	}
	p := r.json(t)
	if int(p["status"].(float64)) != status || p["title"] == "" || p["detail"] == "" || !strings.HasPrefix(p["type"].(string), "urn:dakiya:problem:") {
		t.Fatalf("not a complete problem document: %s", r.body)
	}
	for _, leak := range []string{"SQL", "sql:", "store:", ".go:", "goroutine", "/work/", "sqlite", "pgx"} {
		if strings.Contains(string(r.body), leak) {
			t.Fatalf("problem leaks %q: %s", leak, r.body)
		}
	}
	return p
}

// count returns the number of rows in a table, to prove a refused request
// wrote nothing.
func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRowForTest(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// switchable is the proof service's object store: a real S3 server, which
// a test may swap for one that is down.
type switchable struct {
	st       *objstore.Store
	mu       sync.Mutex
	real, to proof.Objects
}

func newSwitchable(t testing.TB) *switchable {
	t.Helper()
	st := testkit.Bucket(t)
	s := &switchable{st: st, real: st.Blobs(), to: st.Blobs()}
	return s
}

func (e *env) objects() *switchable { return e.store }

// down points the proof service at a port nothing listens on, until up.
func (s *switchable) down(t testing.TB) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	st, err := objstore.New(objstore.Config{Endpoint: "http://" + addr, AccessKey: "a", SecretKey: "s", Bucket: "proofs", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.set(st.Blobs())
}

func (s *switchable) up() { s.set(s.real) }

func (s *switchable) set(o proof.Objects) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.to = o
}

func (s *switchable) get() proof.Objects {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.to
}

func (s *switchable) Put(ctx context.Context, key string, data []byte, ct string, meta map[string]string) error {
	return s.get().Put(ctx, key, data, ct, meta)
}
func (s *switchable) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	return s.get().Open(ctx, key)
}
func (s *switchable) PresignGet(ctx context.Context, key string, ttl time.Duration) (*url.URL, error) {
	return s.get().PresignGet(ctx, key, ttl)
}
func (s *switchable) Delete(ctx context.Context, key string) error { return s.get().Delete(ctx, key) }
func (s *switchable) Keys(ctx context.Context, prefix string, before time.Time) iter.Seq2[string, error] {
	return s.get().Keys(ctx, prefix, before)
}

// stored counts the objects in the real bucket.
func (s *switchable) stored(t testing.TB) int {
	t.Helper()
	n := 0
	for _, err := range s.real.Keys(context.Background(), proof.Prefix, time.Now().Add(time.Hour)) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}
