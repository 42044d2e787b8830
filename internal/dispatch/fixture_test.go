package dispatch_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/dispatch"
	"dakiya/internal/outbox"
	"dakiya/internal/partner"
	"dakiya/internal/pod"
	"dakiya/internal/postal"
	"dakiya/internal/secret"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
	"dakiya/internal/webhook"
)

// fixture is a partner with articles on a real database, its webhook
// service and sender, and a fake clock.
type fixture struct {
	t       *testing.T
	db      *store.DB
	c       *testkit.Centre
	clock   *testkit.Clock
	partner string
	hooks   *webhook.Service
	sender  *webhook.Sender
	ctx     context.Context // the partner's key
	status  map[string]article.Status
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	c := testkit.NewCentre(t, db, time.Date(2026, 12, 1, 4, 0, 0, 0, time.UTC))
	p, err := partner.New(db, c.Clock.Now, uuid.NewString).Create(context.Background(), c.Admin,
		partner.Input{Name: "Acme Books", BillingDC: "dc-one"})
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := secret.NewSealer([]byte("webhook seal key for tests 32 by"))
	if err != nil {
		t.Fatal(err)
	}
	dev := dispatch.Guard{Dev: true}
	f := &fixture{t: t, db: db, c: c, clock: c.Clock, partner: p.ID, status: map[string]article.Status{},
		hooks:  webhook.New(db, sealer, dev.CheckURL, c.Clock.Now, uuid.NewString),
		sender: webhook.NewSender(db, sealer, pod.NewLinks([]byte("pod link key for tests, 32 bytes"), "https://dakiya.example")),
		ctx:    postal.WithPartner(context.Background(), postal.Partner{ID: p.ID, KeyID: "k1", Scopes: []postal.Scope{postal.ScopeWebhooks}})}
	return f
}

// articles books n articles for the partner (from serial) and returns their ids.
func (f *fixture) articles(serial, n int) []string {
	f.t.Helper()
	specs := make([]testkit.ArticleSpec, n)
	for i := range specs {
		specs[i] = testkit.ArticleSpec{Serial: serial + i}
	}
	ids := f.c.Book(f.t, specs...)
	for _, id := range ids {
		var got string
		if err := f.db.QueryRowForTest(context.Background(), "UPDATE articles SET partner_id = ? WHERE id = ? RETURNING id", f.partner, id).Scan(&got); err != nil {
			f.t.Fatal(err)
		}
		a, err := f.db.Article(context.Background(), id)
		if err != nil {
			f.t.Fatal(err)
		}
		f.status[id] = a.Status
	}
	return ids
}

// event records an article event moving it to status to.
func (f *fixture) event(id string, name article.EventName, to article.Status, reason string) {
	f.t.Helper()
	e := article.Event{Event: name, Status: to, At: f.clock.Now(), Place: "Koramangala DC", ReasonCode: reason, ActorID: f.c.Supervisor.UserID}
	if err := f.db.AppendEvent(context.Background(), id, f.status[id], e, nil); err != nil {
		f.t.Fatal(err)
	}
	f.status[id] = to
}

// subscribe makes a webhook for url and returns it with its secret.
func (f *fixture) subscribe(url string, events ...string) webhook.Subscription {
	f.t.Helper()
	if len(events) == 0 {
		events = []string{"*"}
	}
	s, err := f.hooks.Create(f.ctx, webhook.Input{URL: url, Events: events})
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// dispatcher is a replica named owner with quick timeouts.
func (f *fixture) dispatcher(owner string, o dispatch.Options) *dispatch.Dispatcher {
	f.t.Helper()
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Second
	}
	o.Owner, o.Guard.Dev = owner, true
	d, err := dispatch.New(f.db, map[outbox.Kind]outbox.Sender{outbox.KindWebhook: f.sender}, f.clock.Now,
		discard(), o)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

// runOnce runs one round of d and returns how many messages it attempted.
func (f *fixture) runOnce(d *dispatch.Dispatcher) int {
	f.t.Helper()
	n, err := d.RunOnce(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// log returns a subscription's delivery log, newest first.
func (f *fixture) log(id string) []webhook.Delivery {
	f.t.Helper()
	p, err := f.hooks.Deliveries(f.ctx, id, webhook.Query{})
	if err != nil {
		f.t.Fatal(err)
	}
	return p.Items
}

func (f *fixture) count(where string) int {
	f.t.Helper()
	var n int
	if err := f.db.QueryRowForTest(context.Background(), "SELECT COUNT(*) FROM "+where).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// received is one request a receiver got.
type received struct {
	Body   []byte
	Header http.Header
	Env    webhook.Envelope
	Data   map[string]any
}

// receiver is an httptest webhook receiver whose answer a test switches:
// it answers with status (after delay, if any), or hangs until released.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	status int
	delay  time.Duration
	hang   chan struct{}
	got    []received
	tries  int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t, status: 200, hang: make(chan struct{})}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() { r.release(); r.srv.Close() })
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.tries++
	status, delay, hang := r.status, r.delay, r.status == 0
	r.mu.Unlock()
	if hang {
		select {
		case <-r.hang:
		case <-req.Context().Done():
		}
		return
	}
	time.Sleep(delay)
	if status/100 == 2 {
		rec := received{Body: body, Header: req.Header.Clone()}
		if err := json.Unmarshal(body, &rec.Env); err != nil {
			r.t.Errorf("receiver: body %s: %v", body, err)
		}
		json.Unmarshal(rec.Env.Data, &rec.Data)
		r.mu.Lock()
		r.got = append(r.got, rec)
		r.mu.Unlock()
	}
	w.WriteHeader(status)
}

// answer sets what the receiver answers from now on: a status, or 0 to hang.
func (r *receiver) answer(status int, delay time.Duration) {
	r.mu.Lock()
	r.status, r.delay = status, delay
	r.mu.Unlock()
}

func (r *receiver) release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.hang:
	default:
		close(r.hang)
	}
}

func (r *receiver) received() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func (r *receiver) attempts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tries
}

// verify checks a request's Dakiya-Signature exactly as API.md writes it:
// t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>, with t the time
// it was sent.
func verify(t *testing.T, secret string, rec received, sentAt time.Time) {
	t.Helper()
	h := rec.Header.Get("Dakiya-Signature")
	ts, v1, ok := strings.Cut(h, ",")
	if !ok || !strings.HasPrefix(ts, "t=") || !strings.HasPrefix(v1, "v1=") {
		t.Fatalf("signature header %q", h)
	}
	ts, v1 = strings.TrimPrefix(ts, "t="), strings.TrimPrefix(v1, "v1=")
	if ts != strconv.FormatInt(sentAt.Unix(), 10) {
		t.Errorf("signature time %s, sent at %d", ts, sentAt.Unix())
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "." + string(rec.Body)))
	if want := hex.EncodeToString(m.Sum(nil)); !hmac.Equal([]byte(want), []byte(v1)) {
		t.Errorf("signature %s, want %s", v1, want)
	}
}

func discard() *slog.Logger { return slog.New(slog.NewJSONHandler(io.Discard, nil)) }

// fakeLookup resolves the names of a table, and nothing else.
func fakeLookup(names map[string]string) func(context.Context, string) ([]netip.Addr, error) {
	return func(_ context.Context, host string) ([]netip.Addr, error) {
		a, ok := names[host]
		if !ok {
			return nil, errors.New("no such host")
		}
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
}
