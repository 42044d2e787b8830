package httpapi_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/ondc"
	"dakiya/internal/ondc/ondctest"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// dispatchAll schedules dc-one and dispatches every manifest it builds.
func dispatchAll(t *testing.T, e *env, sup1 string) {
	t.Helper()
	if r := e.do("POST", "/api/v1/dcs/dc-one/schedule", sup1, nil); r.status != 200 {
		t.Fatalf("schedule: %d %s", r.status, r.body)
	}
	n := 0
	for _, slot := range []string{"morning", "evening"} {
		r := e.do("POST", "/api/v1/dcs/dc-one/manifests", sup1, map[string]string{"date": "2026-11-25", "slot": slot})
		ms, _ := r.json(t)["manifests"].([]any)
		for _, m := range ms {
			if r := e.do("POST", "/api/v1/manifests/"+m.(map[string]any)["id"].(string)+"/dispatch", sup1, nil); r.status != 200 {
				t.Fatalf("dispatch: %d %s", r.status, r.body)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("nothing dispatched")
	}
}

// states lists the fulfillment state of each callback received (action:state).
func (b *buyerApp) states() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, g := range b.got {
		s := g["_action"].(string)
		if m, ok := g["message"].(map[string]any)["order"].(map[string]any); ok {
			fs := m["fulfillments"].([]any)
			for _, f := range fs {
				if st, ok := f.(map[string]any)["state"].(map[string]any); ok {
					s += ":" + st["descriptor"].(map[string]any)["code"].(string)
				}
			}
		}
		out = append(out, s)
	}
	return out
}

func (b *buyerApp) failures(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.bad) > 0 {
		t.Fatalf("callbacks that fail ONDC's checks:\n%s", strings.Join(b.bad, "\n"))
	}
}

// TestONDCFailedRescheduledReturnedAndCancelled drives an ONDC order
// through a failed attempt, a reschedule and a return to origin, tracks
// it, cancels another before dispatch, and checks every callback against
// ONDC's schema and rules.
func TestONDCFailedRescheduledReturnedAndCancelled(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newONDC(t, db)
		e, b := f.e, f.b
		txn, txn2 := uuid.NewString(), uuid.NewString()
		o := f.book(t, txn, "PICKUP_DELIVERY_ATTEMPT", "search_LOGISTICS")
		e.clock.Advance(time.Hour)
		sup1, post1 := e.login("sup1"), e.login("post1")
		if r := e.do("POST", "/api/v1/articles/"+o.ArticleID+"/events", sup1, map[string]string{"event": "received_at_dc"}); r.status != 200 {
			t.Fatalf("received: %d %s", r.status, r.body)
		}
		dispatchAll(t, e, sup1)
		cancel := map[string]any{"context": map[string]any{"domain": "ONDC:LOG11", "country": "IND", "city": "std:080", "core_version": "1.2.5"},
			"message": map[string]any{"order_id": o.Doc["id"], "cancellation_reason_id": "005"}}
		r := b.send(e, f.url, "cancel", cancel, txn)
		if r.status != 422 || !strings.Contains(string(r.body), `"NACK"`) || !strings.Contains(string(r.body), `"60007"`) {
			t.Fatalf("cancel after dispatch: %d %s", r.status, r.body)
		}
		e.clock.Advance(10 * time.Minute)
		fail := map[string]any{"article_id": o.ArticleID, "outcome": "failed", "reason_code": "01", "proof_ids": []string{},
			"location": map[string]any{"lat": 12.9361, "lon": 77.6212, "accuracy_m": 8}, "captured_at": "2026-11-25T12:00:00+05:30"}
		if r := e.do("POST", "/api/v1/deliveries", post1, fail, "Idempotency-Key", uuid.NewString()); r.status != 201 {
			t.Fatalf("fail: %d %s", r.status, r.body)
		}
		if r := e.do("PUT", "/api/v1/articles/"+o.ArticleID+"/schedule", sup1, map[string]any{"date": "2026-11-26", "slot": "evening"}); r.status != 200 {
			t.Fatalf("reschedule: %d %s", r.status, r.body)
		}
		pump(t, f.disp)
		order := map[string]any{"context": map[string]any{"domain": "ONDC:LOG11", "country": "IND", "city": "std:080", "core_version": "1.2.5"},
			"message": map[string]any{"order_id": o.Doc["id"]}}
		f.ack(t, txn, "track", order)
		if r := e.do("POST", "/api/v1/articles/"+o.ArticleID+"/events", sup1, map[string]string{"event": "returned_to_sender", "reason_code": "01"}); r.status != 200 {
			t.Fatalf("return: %d %s", r.status, r.body)
		}
		pump(t, f.disp)

		o2 := f.book(t, txn2, "CASH_ON_DELIVERY_FLOW", "search_1_LOGISITCS")
		cancel["message"].(map[string]any)["order_id"] = o2.Doc["id"]
		f.ack(t, txn2, "cancel", cancel)
		if r := b.send(e, f.url, "cancel", cancel, txn2); r.status != 409 || !strings.Contains(string(r.body), `"60007"`) {
			t.Fatalf("second cancel: %d %s", r.status, r.body)
		}
		order["message"].(map[string]any)["order_id"] = o2.Doc["id"]
		f.ack(t, txn2, "status", order)
		if r := e.do("GET", "/api/v1/track/"+o2.ArticleID, "", nil); !strings.Contains(string(r.body), `"status":"returned"`) {
			t.Fatalf("a cancelled order's article: %s", r.body)
		}

		b.failures(t)
		got := strings.Join(b.states(), " ")
		want := "on_search on_init on_confirm:Pending on_status:Pending on_status:At-destination-hub on_status:At-destination-hub " +
			"on_status:Out-for-delivery on_status:Delivery-failed on_status:Delivery-rescheduled on_track " +
			"on_status:Cancelled:RTO-Initiated " +
			"on_search on_init on_confirm:Pending on_status:Pending on_cancel:Cancelled on_status:Cancelled"
		if got != want {
			t.Fatalf("callbacks\n got %s\nwant %s", got, want)
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		failed := fulfillment(b.got[7])["state"].(map[string]any)["descriptor"].(map[string]any)
		if failed["short_desc"] != "01" {
			t.Fatalf("the failed attempt's reason: %v", failed)
		}
		tr := b.got[9]["message"].(map[string]any)["tracking"].(map[string]any)
		if tr["status"] != "active" || tr["url"] != "http://dakiya.test/track?id="+o.ArticleID {
			t.Fatalf("on_track: %v", tr)
		}
	})
}

// TestONDCRefusals: every malformed, unsigned, badly signed, stale,
// unknown or out-of-turn request is refused with a NACK (or a problem for
// the transport) and changes nothing.
func TestONDCRefusals(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newONDC(t, db)
		e, b := f.e, f.b
		txn := uuid.NewString()
		search := func() map[string]any {
			s := flowStep(t, "ORDER_FLOW_BASE_LINE", "search_LOGISTICS")
			setAt(s, "message.intent.fulfillment.end.location.address.area_code", "560034")
			return s
		}
		post := func(action string, body []byte, headers ...string) resp {
			req, _ := http.NewRequest("POST", f.url+"/ondc/"+action, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			for i := 0; i+1 < len(headers); i += 2 {
				req.Header.Set(headers[i], headers[i+1])
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			rb, _ := io.ReadAll(res.Body)
			return resp{status: res.StatusCode, body: rb, header: res.Header}
		}
		// signed is a search body as the buyer app would send it, and its signature.
		signed := func(edit func(c map[string]any)) ([]byte, string) {
			doc := search()
			c := doc["context"].(map[string]any)
			c["bap_id"], c["bap_uri"], c["transaction_id"], c["message_id"] = "buyer.test", b.srv.URL+"/bap", txn, uuid.NewString()
			c["timestamp"], c["ttl"] = ondc.Stamp(e.clock.Now()), "PT30S"
			if edit != nil {
				edit(c)
			}
			if mid, ok := c["message_id"].(string); ok {
				b.mu.Lock()
				b.sent[mid] = "search"
				b.mu.Unlock()
			}
			body, _ := json.Marshal(doc)
			return body, b.signer.Header(body, e.clock.Now())
		}
		other, _ := ondc.NewSigner("buyer.test", "bk1", bytes.Repeat([]byte{8}, ed25519.SeedSize))
		stranger, _ := ondc.NewSigner("stranger.test", "s1", bytes.Repeat([]byte{8}, ed25519.SeedSize))
		good, auth := signed(nil)
		old := e.clock.Now()
		nack := func(name string, r resp, status int, code string) {
			t.Helper()
			if r.status != status || !strings.Contains(string(r.body), `"NACK"`) || !strings.Contains(string(r.body), `"code":"`+code+`"`) {
				t.Errorf("%s: %d %s, want %d NACK %s", name, r.status, r.body, status, code)
			}
			ourAnswer(t, r)
		}
		nack("unsigned", post("search", good), 401, "60005")
		nack("tampered", post("search", append(good[:len(good)-1:len(good)-1], ' ', '}'), "Authorization", auth), 401, "60005")
		nack("another key", post("search", good, "Authorization", other.Header(good, old)), 401, "60005")
		nack("not in the registry", post("search", good, "Authorization", stranger.Header(good, old)), 401, "60005")
		nack("garbled header", post("search", good, "Authorization", "Signature keyId=\"x\""), 401, "60005")
		wrongBap, wrongAuth := signed(func(c map[string]any) { c["bap_id"] = "stranger.test" })
		nack("bap_id not the signer", post("search", wrongBap, "Authorization", wrongAuth), 401, "60005")
		for name, edit := range map[string]func(c map[string]any){
			"domain":       func(c map[string]any) { c["domain"] = "ONDC:RET10" },
			"version":      func(c map[string]any) { c["core_version"] = "1.2.0" },
			"action":       func(c map[string]any) { c["action"] = "init" },
			"no txn":       func(c map[string]any) { delete(c, "transaction_id") },
			"bap_uri":      func(c map[string]any) { c["bap_uri"] = "ftp://buyer.test" },
			"ttl":          func(c map[string]any) { c["ttl"] = "PT5M" },
			"no timestamp": func(c map[string]any) { c["timestamp"] = "yesterday" },
		} {
			body, a := signed(edit)
			nack(name, post("search", body, "Authorization", a), 400, "60006")
		}
		stale, staleAuth := signed(func(c map[string]any) { c["timestamp"] = ondc.Stamp(old.Add(-time.Minute)) })
		nack("stale", post("search", stale, "Authorization", staleAuth), 400, "65003")
		far, farAuth := signed(func(c map[string]any) {
			c["message_id"] = uuid.NewString()
		})
		e.clock.Advance(6 * time.Minute) // the signature has expired
		nack("expired signature", post("search", far, "Authorization", farAuth), 401, "60005")
		nack("unknown action", post("select", good, "Authorization", b.signer.Header(good, e.clock.Now())), 404, "61001")
		junk := []byte(`{"context": 1`)
		nack("malformed", post("search", junk, "Authorization", b.signer.Header(junk, e.clock.Now())), 400, "60006")
		wantProblem(t, post("search", good, "Content-Type", "text/plain"), 415)
		big := append([]byte(`{"x":"`), bytes.Repeat([]byte("a"), 300<<10)...)
		wantProblem(t, post("search", append(big, '"', '}')), 413)

		unserved := search()
		setAt(unserved, "message.intent.fulfillment.end.location.address.area_code", "110001")
		nack("unserviceable", b.send(e, f.url, "search", unserved, txn), 422, "60002")
		initDoc := flowStep(t, "ORDER_FLOW_BASE_LINE", "init_LOGISTICS")
		drop(initDoc)
		nack("init before search", b.send(e, f.url, "init", initDoc, txn), 404, "66005")
		order := map[string]any{"context": map[string]any{"domain": "ONDC:LOG11", "country": "IND", "city": "std:080", "core_version": "1.2.5"},
			"message": map[string]any{"order_id": "nobody's"}}
		nack("status of nothing", b.send(e, f.url, "status", order, txn), 404, "66004")
		nack("track of nothing", b.send(e, f.url, "track", order, txn), 404, "66004")
		if n, m := e.count("ondc_orders"), e.count("outbox"); n != 0 || m != 0 {
			t.Fatalf("refused requests left %d orders and %d messages", n, m)
		}
		once, onceAuth := signed(nil)
		for range 2 { // a buyer app's retry of the same message is answered once
			if r := post("search", once, "Authorization", onceAuth); r.status != 200 {
				t.Fatalf("search: %d %s", r.status, r.body)
			}
		}
		pump(t, f.disp)
		if n := len(b.states()); n != 1 || e.count("outbox") != 1 {
			t.Fatalf("a repeated search was answered %d times", n)
		}
		admin := e.login("admin")
		keys := e.do("GET", "/api/v1/partners/"+f.pid+"/keys", admin, nil).json(t)["items"].([]any)
		if r := e.do("DELETE", "/api/v1/partners/"+f.pid+"/keys/"+keys[0].(map[string]any)["id"].(string), admin, nil); r.status != 204 {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		nack("the buyer app's ondc key revoked", b.send(e, f.url, "search", search(), txn), 403, "60005")
		if e.count("outbox") != 1 {
			t.Fatal("a refused buyer app's search was answered")
		}
		b.failures(t)
	})
}

// TestONDCFlowRequestsAccepted sends every buyer-side request of ONDC's
// example flows, in order, each in its own transaction, and wants each
// ACKed (the drop-off moved to a PIN we serve, the timestamps to now).
func TestONDCFlowRequestsAccepted(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) { flowRequestsAccepted(t, newONDC(t, db)) })
}

func flowRequestsAccepted(t *testing.T, f *ondcFix) {
	flows, err := ondctest.Flows()
	if err != nil || len(flows) == 0 {
		t.Fatalf("flows: %v %v", flows, err)
	}
	n := 0
	for _, flow := range flows {
		steps, err := ondctest.Steps(flow)
		if err != nil {
			t.Fatal(err)
		}
		txn := uuid.NewString()
		for _, st := range steps {
			if st.Owner != "BAP" {
				continue
			}
			doc := st.Payload
			switch st.API {
			case "search":
				setAt(doc, "message.intent.fulfillment.end.location.address.area_code", "560034")
			case "init", "confirm", "update":
				drop(doc)
			}
			f.e.clock.Advance(time.Second)
			r := f.b.send(f.e, f.url, st.API, doc, txn)
			if r.status != 200 || !strings.Contains(string(r.body), `"ACK"`) {
				t.Errorf("%s %s: %d %s", flow, st.ActionID, r.status, r.body)
			}
			n++
			pump(t, f.disp)
		}
	}
	if n < 25 {
		t.Fatalf("only %d buyer-side requests in the flows", n)
	}
	f.b.failures(t)
}
