package httpapi_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/dispatch"
	"dakiya/internal/outbox"
	"dakiya/internal/pod"
	"dakiya/internal/proof/prooftest"
	"dakiya/internal/secret"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
	"dakiya/internal/webhook"
)

const webhookSealKey = "webhook seal key for tests 32 by"

// testWebhooks is the harness's webhook service: development rules, so
// receivers on 127.0.0.1 are accepted.
func testWebhooks(db *store.DB, now func() time.Time) *webhook.Service {
	sealer, err := secret.NewSealer([]byte(webhookSealKey))
	if err != nil {
		panic(err)
	}
	return webhook.New(db, sealer, dispatch.Guard{Dev: true}.CheckURL, now, uuid.NewString)
}

// dispatcher sends the env's outbox as a replica would.
func (e *env) dispatcher(t *testing.T) *dispatch.Dispatcher {
	t.Helper()
	sealer, _ := secret.NewSealer([]byte(webhookSealKey))
	links := pod.NewLinks([]byte("pod link key for tests, 32 bytes"), "https://dakiya.example")
	d, err := dispatch.New(e.db, map[outbox.Kind]outbox.Sender{outbox.KindWebhook: webhook.NewSender(e.db, sealer, links)},
		e.clock.Now, slog.New(slog.NewJSONHandler(io.Discard, nil)), dispatch.Options{Owner: "test", Guard: dispatch.Guard{Dev: true}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// hookReceiver keeps the bodies and signatures of what it is sent.
type hookReceiver struct {
	srv  *httptest.Server
	mu   sync.Mutex
	got  [][]byte
	sigs []string
}

func newHookReceiver(t *testing.T) *hookReceiver {
	h := &hookReceiver{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got, h.sigs = append(h.got, b), append(h.sigs, r.Header.Get("Dakiya-Signature"))
		h.mu.Unlock()
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) events(t *testing.T, secret string) []map[string]any {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]any
	for i, b := range h.got {
		ts, v1, _ := strings.Cut(h.sigs[i], ",")
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(strings.TrimPrefix(ts, "t=") + "." + string(b)))
		if strings.TrimPrefix(v1, "v1=") != hex.EncodeToString(m.Sum(nil)) {
			t.Errorf("bad signature %q on %s", h.sigs[i], b)
		}
		var ev map[string]any
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

// TestWebhooksAPI: a key with the webhooks scope subscribes and reads its
// own subscriptions, logs and pings; another partner's are 404; a key
// without the scope is 403; bad bodies are refused and change nothing; an
// admin reads any partner's.
func TestWebhooksAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, sup1 := e.login("admin"), e.login("sup1")
		acme, other := e.newPartner("Acme Books", "dc-one"), e.newPartner("Other Co", "dc-two")
		key, otherKey, trackOnly := e.newKey(acme, "webhooks"), e.newKey(other, "webhooks"), e.newKey(acme, "track")
		rcv := newHookReceiver(t)
		testWebhookRefusals(t, e, key, trackOnly, sup1)
		r := e.do("POST", "/api/v1/webhooks", key, map[string]any{"url": rcv.srv.URL + "/in", "events": []string{"*"}})
		if r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		made := r.json(t)
		id, sec := made["id"].(string), made["secret"].(string)
		if !strings.HasPrefix(sec, "whsec_") || made["url"] != rcv.srv.URL+"/in" || made["partner_id"] != acme {
			t.Fatalf("created %v", made)
		}
		if n := e.count("webhooks WHERE secret_sealed LIKE '%" + strings.TrimPrefix(sec, "whsec_") + "%'"); n != 0 {
			t.Fatal("the secret is stored in clear")
		}
		for _, path := range []string{"/api/v1/webhooks/" + id, "/api/v1/webhooks"} {
			g := e.do("GET", path, key, nil)
			if g.status != 200 || strings.Contains(string(g.body), sec) || !strings.Contains(string(g.body), id) {
				t.Fatalf("%s: %d %s", path, g.status, g.body)
			}
		}
		// Another partner's key: its own list is empty, everything of acme's is 404.
		if l := e.do("GET", "/api/v1/webhooks?partner_id="+acme, otherKey, nil); l.status != 200 || strings.Contains(string(l.body), id) {
			t.Fatalf("other's list: %d %s", l.status, l.body)
		}
		for _, c := range [][2]string{{"GET", ""}, {"DELETE", ""}, {"GET", "/deliveries"}, {"POST", "/ping"},
			{"POST", "/deliveries/evt_x/redeliver"}} {
			wantProblem(t, e.do(c[0], "/api/v1/webhooks/"+id+c[1], otherKey, nil), 404)
		}
		wantProblem(t, e.do("GET", "/api/v1/webhooks/nope", key, nil), 404)
		// Ping, then the log shows it delivered; redelivery re-queues it with its id.
		p := e.do("POST", "/api/v1/webhooks/"+id+"/ping", key, nil)
		if p.status != 202 {
			t.Fatalf("ping: %d %s", p.status, p.body)
		}
		pingID := p.json(t)["id"].(string)
		d := e.dispatcher(t)
		if _, err := d.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if evs := rcv.events(t, sec); len(evs) != 1 || evs[0]["type"] != "ping" || evs[0]["id"] != pingID {
			t.Fatalf("ping received %v", evs)
		}
		log := e.do("GET", "/api/v1/webhooks/"+id+"/deliveries?limit=1", key, nil)
		items := log.json(t)["items"].([]any)
		if log.status != 200 || len(items) != 1 || items[0].(map[string]any)["state"] != "delivered" || log.json(t)["next"] == nil {
			t.Fatalf("log: %d %s", log.status, log.body)
		}
		wantProblem(t, e.do("GET", "/api/v1/webhooks/"+id+"/deliveries?limit=0", key, nil), 400)
		wantProblem(t, e.do("GET", "/api/v1/webhooks/"+id+"/deliveries?next=@@", key, nil), 400)
		if r := e.do("POST", "/api/v1/webhooks/"+id+"/deliveries/"+pingID+"/redeliver", key, nil); r.status != 202 {
			t.Fatalf("redeliver: %d %s", r.status, r.body)
		}
		wantProblem(t, e.do("POST", "/api/v1/webhooks/"+id+"/deliveries/evt_unknown/redeliver", key, nil), 404)
		d.RunOnce(context.Background())
		if evs := rcv.events(t, sec); len(evs) != 2 || evs[1]["id"] != pingID {
			t.Fatalf("redelivered %v", evs)
		}
		// Admins read any partner's; a supervisor is refused.
		if l := e.do("GET", "/api/v1/webhooks?partner_id="+acme, admin, nil); l.status != 200 || !strings.Contains(string(l.body), id) {
			t.Fatalf("admin list: %d %s", l.status, l.body)
		}
		if l := e.do("GET", "/api/v1/webhooks/"+id+"/deliveries", admin, nil); l.status != 200 {
			t.Fatalf("admin log: %d %s", l.status, l.body)
		}
		wantProblem(t, e.do("GET", "/api/v1/webhooks", sup1, nil), 403)
		wantProblem(t, e.do("POST", "/api/v1/webhooks", admin, map[string]any{"url": rcv.srv.URL, "events": []string{"*"}}), 401)
		// Delete: gone for the key, 404 after.
		if r := e.do("DELETE", "/api/v1/webhooks/"+id, key, nil); r.status != 204 {
			t.Fatalf("delete: %d %s", r.status, r.body)
		}
		wantProblem(t, e.do("GET", "/api/v1/webhooks/"+id, key, nil), 404)
		wantProblem(t, e.do("DELETE", "/api/v1/webhooks/"+id, key, nil), 404)
	})
}

func testWebhookRefusals(t *testing.T, e *env, key, trackOnly, sup1 string) {
	t.Helper()
	good := map[string]any{"url": "http://127.0.0.1:9/in", "events": []string{"article.delivered"}}
	wantProblem(t, e.do("POST", "/api/v1/webhooks", "", good), 401)
	wantProblem(t, e.do("POST", "/api/v1/webhooks", trackOnly, good), 403)
	wantProblem(t, e.do("GET", "/api/v1/webhooks", trackOnly, nil), 403)
	wantProblem(t, e.do("POST", "/api/v1/webhooks", sup1, good), 401)
	for name, body := range map[string]any{
		"not json":      "{",
		"unknown field": map[string]any{"url": "http://127.0.0.1:9/in", "events": []string{"*"}, "colour": "red"},
		"no url":        map[string]any{"events": []string{"*"}},
		"no events":     map[string]any{"url": "http://127.0.0.1:9/in"},
		"bad event":     map[string]any{"url": "http://127.0.0.1:9/in", "events": []string{"article.lost"}},
		"twice":         map[string]any{"url": "http://127.0.0.1:9/in", "events": []string{"*", "*"}},
		"relative url":  map[string]any{"url": "/in", "events": []string{"*"}},
		"ftp":           map[string]any{"url": "ftp://example.com/in", "events": []string{"*"}},
		"credentials":   map[string]any{"url": "https://u:p@example.com/in", "events": []string{"*"}},
		"long url":      map[string]any{"url": "https://example.com/" + strings.Repeat("a", 2100), "events": []string{"*"}},
		"events string": map[string]any{"url": "http://127.0.0.1:9/in", "events": "*"},
	} {
		r := e.do("POST", "/api/v1/webhooks", key, body)
		if r.status != 400 && r.status != 422 {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
		wantProblem(t, r, r.status)
	}
	big := map[string]any{"url": "https://example.com/" + strings.Repeat("a", 2<<20), "events": []string{"*"}}
	wantProblem(t, e.do("POST", "/api/v1/webhooks", key, big), 413)
	if n := e.count("webhooks"); n != 0 {
		t.Fatalf("%d webhooks after refusals", n)
	}
}

// TestWebhookDelivered: a partner's article is delivered with a photo and
// cash: article.delivered carries a proof-of-delivery link made when it is
// sent (valid 24 h), then article.cod_collected carries the amount and
// mode, in that order, both written in the outcome's transaction.
func TestWebhookDelivered(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		acme := e.newPartner("Acme Books", "dc-one")
		key := e.newKey(acme, "webhooks")
		rcv := newHookReceiver(t)
		r := e.do("POST", "/api/v1/webhooks", key, map[string]any{"url": rcv.srv.URL,
			"events": []string{"article.delivered", "article.cod_collected"}})
		sec := r.json(t)["secret"].(string)
		id := dispatchOne(t, e, sup1)
		var got string
		if err := e.db.QueryRowForTest(context.Background(), "UPDATE articles SET partner_id = ? WHERE id = ? RETURNING id", acme, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		up := e.upload(post1, uuid.NewString(), form(id, "photo", "door.jpg", prooftest.JPEG(64, 48, 1))...)
		if up.status != 201 {
			t.Fatalf("upload: %d %s", up.status, up.body)
		}
		proofID := up.json(t)["id"].(string)
		out := outcome(id, e.otpFor(id))
		out["proof_ids"] = []string{proofID}
		if r := e.do("POST", "/api/v1/deliveries", post1, out, "Idempotency-Key", uuid.NewString()); r.status != 201 {
			t.Fatalf("deliver: %d %s", r.status, r.body)
		}
		if n := e.count("outbox WHERE partner_id = '" + acme + "'"); n != 2 {
			t.Fatalf("%d messages queued", n)
		}
		e.clock.Advance(3 * time.Hour) // sent late: the link counts from the sending
		d := e.dispatcher(t)
		d.RunOnce(context.Background())
		d.RunOnce(context.Background())
		evs := rcv.events(t, sec)
		if len(evs) != 2 || evs[0]["type"] != "article.delivered" || evs[1]["type"] != "article.cod_collected" {
			t.Fatalf("received %v", evs)
		}
		data := evs[0]["data"].(map[string]any)
		pods := data["proof_of_delivery"].([]any)
		p := pods[0].(map[string]any)
		exp, _ := time.Parse(time.RFC3339, p["expires_at"].(string))
		if data["article_id"] != id || data["status"] != "delivered" || len(pods) != 1 || p["proof_id"] != proofID ||
			p["kind"] != "photo" || !strings.HasPrefix(p["url"].(string), "https://dakiya.example/api/v1/pod/") ||
			!exp.Equal(e.clock.Now().Add(24*time.Hour).Truncate(time.Second)) {
			t.Fatalf("delivered data %v", data)
		}
		cod := evs[1]["data"].(map[string]any)["cod"].(map[string]any)
		if cod["mode"] != "cash" || cod["amount_paise"] != 49900.0 {
			t.Fatalf("cod data %v", evs[1]["data"])
		}
	})
}

// TestWebhookProductionURLs: a production server refuses to save a
// receiver on a loopback, private or link-local address, or over http,
// and saves a public https one.
func TestWebhookProductionURLs(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		key := e.newKey(e.newPartner("Acme Books", "dc-one"), "webhooks")
		sealer, _ := secret.NewSealer([]byte(webhookSealKey))
		d := e.deps
		d.Webhooks = webhook.New(db, sealer, dispatch.Guard{}.CheckURL, e.clock.Now, uuid.NewString)
		e.url = e.replica(d)
		for _, u := range []string{"http://127.0.0.1:8080/in", "https://127.0.0.1/in", "https://10.2.3.4/in",
			"https://169.254.169.254/latest/meta-data", "https://[::1]/in", "https://localhost/in", "http://93.184.216.34/in"} {
			p := wantProblem(t, e.do("POST", "/api/v1/webhooks", key, map[string]any{"url": u, "events": []string{"*"}}), 400)
			if !strings.Contains(jsonText(p), "url") {
				t.Errorf("%s: %v", u, p)
			}
		}
		if n := e.count("webhooks"); n != 0 {
			t.Fatalf("%d saved", n)
		}
		if r := e.do("POST", "/api/v1/webhooks", key, map[string]any{"url": "https://93.184.216.34/in", "events": []string{"*"}}); r.status != 201 {
			t.Fatalf("public https: %d %s", r.status, r.body)
		}
	})
}
