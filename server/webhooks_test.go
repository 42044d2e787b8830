package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"dakiya/internal/store"
)

// TestWebhooksAcrossRestart: a partner's receiver is down when an
// article's event happens; the server stops while the event waits for its
// retry, and the next server process delivers it once when the receiver
// is back, then the article's next event after it, in order.
func TestWebhooksAcrossRestart(t *testing.T) {
	env := testEnv(t)
	env["DAKIYA_OUTBOX_POLL"] = "100ms"
	ctx := context.Background()
	if out, err := runCmd(ctx, env, "", "demo"); err != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	rcv := &flakyReceiver{status: 503}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	base, stop, done := startServe(t, env)
	adm, sup := login(t, base, "admin"), login(t, base, "supervisor1")
	var p, k, hook struct{ ID, Key, Secret string }
	postJSON(t, base+"/api/v1/partners", adm, map[string]any{"name": "Acme Books", "billing_dc": "blr-koramangala"}, 201, &p)
	postJSON(t, base+"/api/v1/partners/"+p.ID+"/keys", adm, map[string]any{"scopes": []string{"webhooks"}}, 201, &k)
	postJSON(t, base+"/api/v1/webhooks", k.Key, map[string]any{"url": srv.URL + "/dakiya", "events": []string{"*"}}, 201, &hook)
	id := partnerArticle(t, base, sup, env["DAKIYA_DB"], p.ID)
	postJSON(t, base+"/api/v1/articles/"+id+"/events", sup, map[string]any{"event": "held_at_counter"}, 200, nil)
	waitUntil(t, func() bool { return rcv.tries() >= 1 })
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	rcv.set(200)
	base, stop, done = startServe(t, env)
	defer func() { stop(); <-done }()
	postJSON(t, base+"/api/v1/articles/"+id+"/events", sup, map[string]any{"event": "returned_to_sender", "reason_code": "09"}, 200, nil)
	waitUntil(t, func() bool { return len(rcv.delivered()) >= 2 })
	got := rcv.delivered()
	if len(got) != 2 || got[0].Type != "article.held" || got[1].Type != "article.returned" || got[0].ID == got[1].ID {
		t.Fatalf("delivered %+v", got)
	}
	var log struct {
		Items []struct {
			ID, State string
			Log       []struct{ Status int }
		}
	}
	getJSON(t, base+"/api/v1/webhooks/"+hook.ID+"/deliveries", k.Key, 200, &log)
	if len(log.Items) != 2 || log.Items[1].ID != got[0].ID || log.Items[1].State != "delivered" ||
		log.Items[1].Log[0].Status != 503 || log.Items[1].Log[len(log.Items[1].Log)-1].Status != 200 {
		t.Fatalf("log %+v", log)
	}
}

// partnerArticle picks an article of the demo centre that is still at the
// centre or scheduled, and makes it the partner's (as its booking would).
func partnerArticle(t *testing.T, base, sup, dsn, partnerID string) string {
	t.Helper()
	var list struct{ Items []struct{ ID, Status string } }
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/articles?limit=200", sup, 200, &list)
	id := ""
	for _, a := range list.Items {
		if a.Status == "scheduled" || a.Status == "at_dc" {
			id = a.ID
			break
		}
	}
	if id == "" {
		t.Fatalf("no article to use in %+v", list)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got string
	if err := db.QueryRowForTest(context.Background(), "UPDATE articles SET partner_id = ? WHERE id = ? RETURNING id", partnerID, id).Scan(&got); err != nil {
		t.Fatal(err)
	}
	return id
}

// waitUntil polls cond for up to 30 s of real time: the server's own
// dispatcher works on the wall clock, and its first retry comes within
// 10 s.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for range 600 {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("timed out")
}

// flakyReceiver answers with a status the test sets, and keeps the events
// it accepted.
type flakyReceiver struct {
	mu     sync.Mutex
	status int
	n      int
	got    []struct{ ID, Type string }
}

func (f *flakyReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	if f.status == 200 && strings.HasPrefix(r.Header.Get("Dakiya-Signature"), "t=") {
		var ev struct{ ID, Type string }
		json.Unmarshal(b, &ev)
		f.got = append(f.got, ev)
	}
	w.WriteHeader(f.status)
}

func (f *flakyReceiver) set(status int) { f.mu.Lock(); f.status = status; f.mu.Unlock() }

func (f *flakyReceiver) tries() int { f.mu.Lock(); defer f.mu.Unlock(); return f.n }

func (f *flakyReceiver) delivered() []struct{ ID, Type string } {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]struct{ ID, Type string }(nil), f.got...)
}
