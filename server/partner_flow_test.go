package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/testkit"
)

// TestPartnerBookingThroughDelivery is issue 12's first "done when": a
// partner's key books 1000 articles in one request, and a webhook receiver
// gets every state change of one of them through delivery, in order, each
// signed as API.md says, across a receiver outage and a server restart
// while the delivery's event waits for its retry. On SQLite and on
// PostgreSQL (where the dispatcher claims with FOR UPDATE SKIP LOCKED).
func TestPartnerBookingThroughDelivery(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { partnerFlow(t, "") })
	t.Run("postgres", func(t *testing.T) { partnerFlow(t, testkit.PostgresURL(t)) })
}

// partnerFlow runs the test on the database dsn ("" for the test's SQLite file).
func partnerFlow(t *testing.T, dsn string) {
	env := testEnv(t)
	if dsn != "" {
		env["DAKIYA_DB"] = dsn
	}
	env["DAKIYA_OUTBOX_POLL"] = "100ms"
	// A fixed address, so the public URL in the proof links is this server's
	// before and after the restart.
	env["DAKIYA_ADDR"] = freeAddr(t)
	env["DAKIYA_PUBLIC_URL"] = "http://" + env["DAKIYA_ADDR"]
	if out, err := runCmd(context.Background(), env, "", "demo"); err != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	rcv := &signedReceiver{status: 200}
	hookSrv := httptest.NewServer(rcv)
	defer hookSrv.Close()
	base, stop, done := startServe(t, env)
	key, secret := partnerWithHook(t, base, hookSrv.URL+"/hooks/dakiya")
	rcv.setSecret(secret)

	var booked struct {
		ID    string
		Items []struct{ ID, Status string }
	}
	sendJSON(t, "POST", base+"/api/v1/bookings", key, map[string]any{"articles": thousandArticles()}, 201, &booked,
		"Idempotency-Key", uuid.NewString())
	created := 0
	for _, it := range booked.Items {
		if it.Status == "created" {
			created++
		}
	}
	if len(booked.Items) != 1000 || created != 1000 {
		t.Fatalf("booked %d items, %d created", len(booked.Items), created)
	}
	x := booked.Items[0].ID
	t.Logf("booking %s: 1000 articles; following %s", booked.ID, x)
	waitUntil(t, func() bool { return rcv.has(x, "article.booked") })

	sup := login(t, base, "supervisor1")
	postJSON(t, base+"/api/v1/articles/"+x+"/events", sup, map[string]any{"event": "received_at_dc"}, 200, nil)
	date, slot := lastOpenSlot(t, base, sup)
	sendJSON(t, "PUT", base+"/api/v1/articles/"+x+"/schedule", sup, map[string]string{"date": date, "slot": slot}, 200, nil)
	var built struct{ Manifests []struct{ ID string } }
	postJSON(t, base+"/api/v1/dcs/blr-koramangala/manifests", sup, map[string]string{"date": date, "slot": slot}, 201, &built)
	for _, m := range built.Manifests {
		postJSON(t, base+"/api/v1/manifests/"+m.ID+"/dispatch", sup, nil, 200, nil)
	}
	waitUntil(t, func() bool { return rcv.has(x, "article.out_for_delivery") })

	// The receiver goes down; the delivery happens; its event fails, and
	// the server stops while the event waits for its retry.
	rcv.set(503)
	deliverPartnerArticle(t, base, x, date, slot)
	waitUntil(t, func() bool { return rcv.refused(x, "article.delivered") >= 1 })
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	rcv.set(200)
	base, stop, done = startServe(t, env)
	defer func() { stop(); <-done }()
	waitUntil(t, func() bool { return rcv.has(x, "article.delivered") })

	checkFollowed(t, rcv, x, []string{"article.booked", "article.received", "article.scheduled", "article.out_for_delivery", "article.delivered"})
}

// partnerWithHook makes a prepaid partner of the demo's Bengaluru centre
// with money in its wallet, a key and a webhook for every event; it
// returns the key and the webhook's secret.
func partnerWithHook(t *testing.T, base, hookURL string) (string, string) {
	t.Helper()
	adm := login(t, base, "admin")
	var p, k, hook struct{ ID, Key, Secret string }
	postJSON(t, base+"/api/v1/partners", adm, map[string]any{"name": "Acme Books", "billing_dc": "blr-koramangala"}, 201, &p)
	postJSON(t, base+"/api/v1/partners/"+p.ID+"/wallet/topups", adm, map[string]any{"amount_paise": 50_000_000, "reference": "NEFT-TEST-1"}, 201, nil)
	postJSON(t, base+"/api/v1/partners/"+p.ID+"/keys", adm, map[string]any{"scopes": []string{"book", "track", "webhooks"}}, 201, &k)
	postJSON(t, base+"/api/v1/webhooks", k.Key, map[string]any{"url": hookURL, "events": []string{"*"}}, 201, &hook)
	if hook.Secret == "" {
		t.Fatal("the webhook's secret was not shown")
	}
	return k.Key, hook.Secret
}

// thousandArticles are 1000 speed post articles to the Koramangala
// centre's PINs, the first one without cash on delivery.
func thousandArticles() []map[string]any {
	pins := []struct {
		pin      string
		lat, lon float64
	}{{"560034", 12.9275, 77.6370}, {"560095", 12.9390, 77.6230}, {"560047", 12.9490, 77.6290}, {"560029", 12.9340, 77.6040}}
	items := make([]map[string]any, 1000)
	for i := range items {
		p := pins[i%len(pins)]
		lat, lon := p.lat+float64(i%17)*0.0002, p.lon+float64(i%13)*0.0002
		items[i] = map[string]any{"service": "speed_post", "weight_g": 200 + i%1500, "reference": fmt.Sprintf("ORD-%04d", i),
			"recipient": map[string]any{"name": fmt.Sprintf("Customer %d", i), "phone": fmt.Sprintf("98%08d", 45000000+i),
				"address": fmt.Sprintf("No. %d, %d Cross, Bengaluru", 1+i%90, 1+i%12), "pin": p.pin, "lat": lat, "lon": lon}}
		if i%5 == 4 {
			items[i]["cod_paise"] = 49_900
		}
	}
	return items
}

// lastOpenSlot is the latest open slot of the coming week at the demo's
// Bengaluru centre: one the demo has not built manifests for.
func lastOpenSlot(t *testing.T, base, sup string) (string, string) {
	t.Helper()
	var slots []struct {
		Date, Slot string
		Open       bool
	}
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/slots?days=7", sup, 200, &slots)
	for i := len(slots) - 1; i >= 0; i-- {
		if s := slots[i]; s.Open {
			return s.Date, s.Slot
		}
	}
	t.Fatalf("no open slot in %+v", slots)
	return "", ""
}

// deliverPartnerArticle finds the postman whose manifest holds id and
// delivers it with the recipient's code, a photo and a signature.
func deliverPartnerArticle(t *testing.T, base, id, date, slot string) {
	t.Helper()
	for _, who := range []string{"postman1", "postman2", "postman3"} {
		tok := login(t, base, who)
		var mine []struct{ ID string }
		getJSON(t, base+"/api/v1/me/manifests?date="+date+"&slot="+slot, tok, 200, &mine)
		for _, m := range mine {
			var man struct{ Stops []reviewStop }
			getJSON(t, base+"/api/v1/manifests/"+m.ID, tok, 200, &man)
			for _, st := range man.Stops {
				for _, a := range st.Articles {
					if a.ID == id {
						deliverForReview(t, base, tok, st, a, "")
						return
					}
				}
			}
		}
	}
	t.Fatalf("%s is on no postman's manifest for %s %s", id, date, slot)
}

// checkFollowed checks the article's events as the receiver got them:
// the wanted types in order, each id once, every one signed, and the
// delivery's proof links open the images.
func checkFollowed(t *testing.T, rcv *signedReceiver, id string, want []string) {
	t.Helper()
	got := rcv.events(id)
	var types []string
	seen := map[string]bool{}
	for _, e := range got {
		if seen[e.ID] {
			t.Errorf("event %s (%s) delivered twice", e.ID, e.Type)
		}
		seen[e.ID] = true
		types = append(types, e.Type)
	}
	if strings.Join(types, " ") != strings.Join(want, " ") {
		t.Fatalf("the receiver got %v for %s, want %v", types, id, want)
	}
	if n := rcv.badSignatures(); n != 0 {
		t.Fatalf("%d requests with a bad signature", n)
	}
	links := got[len(got)-1].Data.Proofs
	if len(links) != 2 {
		t.Fatalf("the delivery carries %d proof links, want photo and signature", len(links))
	}
	for _, l := range links {
		res, err := http.Get(l.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "image/") || len(b) == 0 {
			t.Fatalf("proof link %s: %d %s, %d bytes", l.URL, res.StatusCode, res.Header.Get("Content-Type"), len(b))
		}
	}
	t.Logf("%s: %v, each signed, once; %d proof images open", id, types, len(links))
}

func sendJSON(t *testing.T, method, url, token string, body any, status int, v any, headers ...string) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != status {
		t.Fatalf("%s %s = %d, want %d: %.400s", method, url, res.StatusCode, status, got)
	}
	if v != nil {
		if err := json.Unmarshal(got, v); err != nil {
			t.Fatal(err)
		}
	}
}

// hookEvent is a webhook request's body as a receiver reads it.
type hookEvent struct {
	ID, Type string
	Data     struct {
		ArticleID string                 `json:"article_id"`
		Proofs    []struct{ URL string } `json:"proof_of_delivery"`
	}
}

// signedReceiver is a partner's webhook endpoint: it checks each request's
// Dakiya-Signature with the subscription's secret (HMAC-SHA256 over
// "t.body", t within five minutes), answers with the status the test
// sets, and keeps what it accepted, per article in arrival order.
type signedReceiver struct {
	mu      sync.Mutex
	secret  string
	status  int
	bad     int
	refuses map[string]int
	got     []hookEvent
}

func (s *signedReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	var ev hookEvent
	if !validSignature(r.Header.Get("Dakiya-Signature"), s.secret, b) || json.Unmarshal(b, &ev) != nil {
		s.bad++
		w.WriteHeader(400)
		return
	}
	if s.status != 200 {
		if s.refuses == nil {
			s.refuses = map[string]int{}
		}
		s.refuses[ev.Data.ArticleID+" "+ev.Type]++
		w.WriteHeader(s.status)
		return
	}
	s.got = append(s.got, ev)
	w.WriteHeader(200)
}

// validSignature checks "t=<unix>,v1=<hex>" as API.md defines it.
func validSignature(header, secret string, body []byte) bool {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(unix, 0)).Abs() > 5*time.Minute {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "." + string(body)))
	want, err := hex.DecodeString(sig)
	return err == nil && hmac.Equal(want, m.Sum(nil))
}

func (s *signedReceiver) setSecret(v string) { s.mu.Lock(); s.secret = v; s.mu.Unlock() }

func (s *signedReceiver) set(status int) { s.mu.Lock(); s.status = status; s.mu.Unlock() }

func (s *signedReceiver) badSignatures() int { s.mu.Lock(); defer s.mu.Unlock(); return s.bad }

func (s *signedReceiver) refused(id, typ string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refuses[id+" "+typ]
}

func (s *signedReceiver) has(id, typ string) bool {
	for _, e := range s.events(id) {
		if e.Type == typ {
			return true
		}
	}
	return false
}

// events returns what was accepted for article id, in arrival order.
func (s *signedReceiver) events(id string) []hookEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []hookEvent
	for _, e := range s.got {
		if e.Data.ArticleID == id {
			out = append(out, e)
		}
	}
	return out
}
