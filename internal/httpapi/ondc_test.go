package httpapi_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/uuid"

	"dakiya/assets"
	"dakiya/internal/dispatch"
	"dakiya/internal/ondc"
	"dakiya/internal/ondc/ondctest"
	"dakiya/internal/outbox"
	"dakiya/internal/pod"
	"dakiya/internal/proof/prooftest"
	"dakiya/internal/store"
	"dakiya/internal/tariff"
	"dakiya/internal/testkit"
)

// buyerApp is the test's ONDC buyer app: it signs its requests with its
// own key and receives our callbacks at its bap_uri, checking our
// signature and ONDC's schema for each.
type buyerApp struct {
	t      *testing.T
	signer ondc.Signer
	ours   ondc.Registry
	spec   ondctest.Spec
	rules  ondctest.Rules
	now    func() time.Time
	srv    *httptest.Server
	mu     sync.Mutex
	sent   map[string]string // message_id → action of each request sent
	got    []map[string]any
	bad    []string
}

func (b *buyerApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	action := strings.TrimPrefix(r.URL.Path, "/bap/")
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, err := ondc.Verify(b.ours, r.Header.Get("Authorization"), body, b.now()); err != nil {
		b.bad = append(b.bad, action+": signature: "+err.Error())
	}
	if err := b.spec.Validate(action, body); err != nil {
		b.bad = append(b.bad, action+": schema: "+err.Error()+"\n"+string(body))
	}
	var doc map[string]any
	_ = json.Unmarshal(body, &doc)
	if res := b.rules.Check(action, doc); len(res.Failed)+len(res.Unsupported) > 0 || len(res.Passed) == 0 {
		b.bad = append(b.bad, action+": validations.yaml: "+strings.Join(append(res.Failed, res.Unsupported...), ", "))
	}
	mid, _ := doc["context"].(map[string]any)["message_id"].(string)
	if req, ok := b.sent[mid]; (ok && "on_"+req != action) || (!ok && action != "on_status") {
		b.bad = append(b.bad, action+": message_id "+mid+" answers no request of ours ("+req+")")
	}
	doc["_action"] = action
	b.got = append(b.got, doc)
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"message":{"ack":{"status":"ACK"}}}`))
}

// flowStep returns the example payload of a step of one of ONDC's flows.
func flowStep(t *testing.T, flow, actionID string) map[string]any {
	t.Helper()
	steps, err := ondctest.Steps(flow)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		if s.ActionID == actionID {
			return s.Payload
		}
	}
	t.Fatalf("no step %s in %s", actionID, flow)
	return nil
}

// send signs and POSTs an action's body as the buyer app.
func (b *buyerApp) send(e *env, url, action string, doc map[string]any, txn string) resp {
	b.t.Helper()
	c := doc["context"].(map[string]any)
	c["bap_id"], c["bap_uri"], c["transaction_id"], c["message_id"] = b.signer.SubscriberID, b.srv.URL+"/bap", txn, uuid.NewString()
	c["timestamp"], c["ttl"], c["action"] = ondc.Stamp(e.clock.Now()), "PT30S", action
	c["bpp_id"], c["bpp_uri"] = "dakiya.test", url+"/ondc"
	body, _ := json.Marshal(doc)
	b.mu.Lock()
	b.sent[c["message_id"].(string)] = action
	b.mu.Unlock()
	req, _ := http.NewRequest("POST", url+"/ondc/"+action, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", b.signer.Header(body, e.clock.Now()))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	rb, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, body: rb, header: res.Header}
}

// pump runs the outbox dispatcher, with the adapter as its ONDC sender,
// until nothing is due: every callback reaches the buyer app, in order.
func pump(t *testing.T, d *dispatch.Dispatcher) {
	t.Helper()
	for range 50 {
		n, err := d.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("the outbox never emptied")
}

func setAt(doc map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	cur := doc
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	cur[parts[len(parts)-1]] = v
}

// ondcFix is an env with the ONDC adapter served, a buyer app (partner
// pid) in its registry, and the outbox dispatcher sending callbacks.
type ondcFix struct {
	e    *env
	db   *store.DB
	b    *buyerApp
	url  string
	pid  string
	disp *dispatch.Dispatcher
}

func newONDC(t *testing.T, db *store.DB) *ondcFix {
	t.Helper()
	return newONDCWith(t, db, 1_000_000)
}

// newONDCWith is newONDC with wallet paise in the buyer app's wallet.
func newONDCWith(t *testing.T, db *store.DB, wallet int64) *ondcFix {
	t.Helper()
	e := newEnv(t, db)
	f := &ondcFix{e: e, db: db, pid: e.newPartner("Buyer App", "dc-one")}
	e.newKey(f.pid, "ondc") // the buyer app is enabled by a live key with the ondc scope
	if wallet > 0 {         // its orders are paid from its wallet
		if r := e.topUp(f.pid, wallet, "NEFT-ONDC-1"); r.status != 201 {
			t.Fatalf("top up: %d %s", r.status, r.body)
		}
	}
	spec, err := ondctest.Load()
	if err != nil {
		t.Fatal(err)
	}
	rules, err := ondctest.LoadRules()
	if err != nil {
		t.Fatal(err)
	}
	buyerSigner, _ := ondc.NewSigner("buyer.test", "bk1", bytes.Repeat([]byte{7}, ed25519.SeedSize))
	regFile := filepath.Join(t.TempDir(), "registry.json")
	reg, _ := json.Marshal([]ondc.Subscriber{{SubscriberID: "buyer.test", UniqueKeyID: "bk1", SigningPublicKey: buyerSigner.PublicKey(), PartnerID: f.pid}})
	if err := os.WriteFile(regFile, reg, 0o600); err != nil {
		t.Fatal(err)
	}
	registry, err := ondc.LoadRegistry(regFile)
	if err != nil {
		t.Fatal(err)
	}
	ours, _ := ondc.NewRegistry([]ondc.Subscriber{{SubscriberID: "dakiya.test", UniqueKeyID: "dk1", SigningPublicKey: testSigner().PublicKey(), PartnerID: "-"}})
	f.b = &buyerApp{t: t, signer: buyerSigner, ours: ours, spec: spec, rules: rules, now: e.clock.Now, sent: map[string]string{}}
	f.b.srv = httptest.NewServer(f.b)
	t.Cleanup(f.b.srv.Close)
	svc := ondcService(t, db, e.clock.Now, registry)
	d := e.deps
	d.ONDC = svc
	f.url = e.replica(d)
	if f.disp, err = dispatch.New(db, map[outbox.Kind]outbox.Sender{outbox.KindONDC: svc}, e.clock.Now,
		slog.New(slog.NewTextHandler(io.Discard, nil)), dispatch.Options{Owner: "test", Guard: dispatch.Guard{Dev: true}}); err != nil {
		t.Fatal(err)
	}
	return f
}

// ack sends a request as the buyer app, wants ACK, and runs the outbox.
func (f *ondcFix) ack(t *testing.T, txn, action string, doc map[string]any) {
	t.Helper()
	r := f.b.send(f.e, f.url, action, doc, txn)
	if r.status != 200 || !strings.Contains(string(r.body), `"ACK"`) {
		t.Fatalf("%s: %d %s", action, r.status, r.body)
	}
	ourAnswer(t, r)
	pump(t, f.disp)
}

// ourAnswer checks an answer of POST /ondc/{action} against the ONDCAck
// schema of our own OpenAPI document.
func ourAnswer(t *testing.T, r resp) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(assets.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("answer %s: %v", r.body, err)
	}
	if err := doc.Components.Schemas["ONDCAck"].Value.VisitJSON(v); err != nil {
		t.Fatalf("answer %s does not match ONDCAck: %v", r.body, err)
	}
}

// drop points an order's drop-off at dc-one's beat and the test's phone.
func drop(doc map[string]any) {
	for _, f := range doc["message"].(map[string]any)["order"].(map[string]any)["fulfillments"].([]any) {
		f := f.(map[string]any)
		setAt(f, "end.location.address.area_code", "560034")
		setAt(f, "end.location.gps", "12.9361,77.6212")
		setAt(f, "end.contact.phone", "9845012345")
		setAt(f, "end.person.name", "Meera Iyer")
	}
}

// book runs search, init and confirm of a flow's examples in txn and
// returns the order.
func (f *ondcFix) book(t *testing.T, txn, flow, searchID string) ondc.Order {
	t.Helper()
	search := flowStep(t, flow, searchID)
	setAt(search, "message.intent.fulfillment.end.location.address.area_code", "560034")
	f.ack(t, txn, "search", search)
	for _, step := range []string{"init", "confirm"} {
		doc := flowStep(t, flow, step+"_LOGISTICS")
		drop(doc)
		f.e.clock.Advance(time.Minute)
		f.ack(t, txn, step, doc)
	}
	o, err := f.db.ONDCOrder(context.Background(), "buyer.test", txn)
	if err != nil || o.ArticleID == "" {
		t.Fatalf("confirm booked nothing: %v %+v", err, o)
	}
	return o
}

func TestONDCBuyerFlowThroughDelivery(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newONDC(t, db)
		e, b, url, txn := f.e, f.b, f.url, uuid.NewString()
		ack := func(action string, doc map[string]any) { t.Helper(); f.ack(t, txn, action, doc) }
		o := f.book(t, txn, "CASH_ON_DELIVERY_FLOW", "search_1_LOGISITCS")
		confirm := flowStep(t, "CASH_ON_DELIVERY_FLOW", "confirm_LOGISTICS")
		e.clock.Advance(time.Minute)
		update := flowStep(t, "STATIC_OTP_PICKUP_DELIVERY", "update_LOGISTICS")
		update["message"].(map[string]any)["order"].(map[string]any)["id"] = confirm["message"].(map[string]any)["order"].(map[string]any)["id"]
		f0 := update["message"].(map[string]any)["order"].(map[string]any)["fulfillments"].([]any)[0].(map[string]any)
		setAt(f0, "end.authorization", map[string]any{"type": "OTP", "token": "482913",
			"valid_from": ondc.Stamp(e.clock.Now()), "valid_to": ondc.Stamp(e.clock.Now().Add(48 * time.Hour))})
		ack("update", update)

		e.clock.Advance(time.Hour) // the seller's parcel reaches the delivery centre
		sup1, post1 := e.login("sup1"), e.login("post1")
		if r := e.do("POST", "/api/v1/articles/"+o.ArticleID+"/events", sup1, map[string]string{"event": "received_at_dc"}); r.status != 200 {
			t.Fatalf("received: %d %s", r.status, r.body)
		}
		if r := e.do("POST", "/api/v1/dcs/dc-one/schedule", sup1, nil); r.status != 200 {
			t.Fatalf("schedule: %d %s", r.status, r.body)
		}
		dispatched := false
		for _, slot := range []string{"morning", "evening"} {
			r := e.do("POST", "/api/v1/dcs/dc-one/manifests", sup1, map[string]string{"date": "2026-11-25", "slot": slot})
			ms, _ := r.json(t)["manifests"].([]any)
			for _, m := range ms {
				mid := m.(map[string]any)["id"].(string)
				if r := e.do("POST", "/api/v1/manifests/"+mid+"/dispatch", sup1, nil); r.status != 200 {
					t.Fatalf("dispatch: %d %s", r.status, r.body)
				}
				dispatched = true
			}
		}
		if !dispatched {
			t.Fatal("the ONDC article was put on no manifest")
		}
		id := o.ArticleID
		e.clock.Advance(10 * time.Minute)
		photoJPEG, sigPNG := prooftest.JPEG(64, 48, 1), prooftest.PNG(300, 100, 4)
		photo := e.upload(post1, uuid.NewString(), form(id, "photo", "door.jpg", photoJPEG)...)
		e.clock.Advance(time.Second)
		sig := e.upload(post1, uuid.NewString(), field("article_id", id), field("kind", "signature"),
			part{name: "file", filename: "sig.png", contentType: "image/png", body: sigPNG})
		if photo.status != 201 || sig.status != 201 {
			t.Fatalf("proofs: %d %s / %d %s", photo.status, photo.body, sig.status, sig.body)
		}
		proofIDs := []string{photo.json(t)["id"].(string), sig.json(t)["id"].(string)}
		e.clock.Advance(time.Minute)
		out := outcome(id, e.otpFor(id))
		out["proof_ids"] = proofIDs
		out["cod"] = map[string]any{"mode": "cash", "amount_paise": 30000}
		if r := e.do("POST", "/api/v1/deliveries", post1, out, "Idempotency-Key", uuid.NewString()); r.status != 201 {
			t.Fatalf("deliver: %d %s", r.status, r.body)
		}
		pump(t, f.disp)
		ack("status", map[string]any{"context": map[string]any{"domain": "ONDC:LOG11", "country": "IND", "city": "std:080", "core_version": "1.2.5"},
			"message": map[string]any{"order_id": o.Doc["id"]}})

		b.mu.Lock()
		defer b.mu.Unlock()
		if len(b.bad) > 0 {
			t.Fatalf("callbacks that fail ONDC's checks:\n%s", strings.Join(b.bad, "\n"))
		}
		var seq []string
		for _, g := range b.got {
			s := g["_action"].(string)
			if s == "on_status" || s == "on_confirm" || s == "on_update" {
				s += ":" + fulfillment(g)["state"].(map[string]any)["descriptor"].(map[string]any)["code"].(string)
			}
			seq = append(seq, s)
		}
		want := "on_search on_init on_confirm:Pending on_status:Pending on_update:Pending on_status:At-destination-hub " +
			"on_status:At-destination-hub on_status:Out-for-delivery on_status:Order-delivered on_status:Order-delivered"
		if strings.Join(seq, " ") != want {
			t.Fatalf("callbacks\n got %s\nwant %s", strings.Join(seq, " "), want)
		}
		last := fulfillment(b.got[len(b.got)-1])
		end := last["end"].(map[string]any)
		auth := end["authorization"].(map[string]any)
		if auth["type"] != "OTP" || auth["token"] != "482913" || end["time"].(map[string]any)["timestamp"] == nil {
			t.Fatalf("delivered fulfillment end: %v", end)
		}
		images := end["instructions"].(map[string]any)["images"].([]any)
		if len(images) != 2 {
			t.Fatalf("proof images: %v", images)
		}
		for i, u := range images {
			tok := strings.TrimPrefix(u.(string), "http://dakiya.test"+pod.Path)
			if got, err := podLinks().Parse(tok, e.clock.Now()); err != nil || got != proofIDs[i] {
				t.Fatalf("image %d %s names %q (%v), want %s", i, u, got, err, proofIDs[i])
			}
			if r := fetch(t, url+pod.Path+tok, ""); r.status != 200 || !bytes.Equal(r.body, [][]byte{photoJPEG, sigPNG}[i]) {
				t.Fatalf("image %d through its link: %d, %d bytes", i, r.status, len(r.body))
			}
		}
		if !strings.Contains(string(asJSON(last["tags"])), `"cod_collection_detail"`) || !strings.Contains(string(asJSON(last["tags"])), `"300.00"`) {
			t.Fatalf("no COD collected in %v", last["tags"])
		}
	})
}

// testSigner is Dakiya's ONDC signing key in tests.
func testSigner() ondc.Signer {
	s, _ := ondc.NewSigner("dakiya.test", "dk1", bytes.Repeat([]byte{9}, ed25519.SeedSize))
	return s
}

// ondcService is the ONDC adapter of the test env, trusting registry.
func ondcService(t testing.TB, db *store.DB, now func() time.Time, registry ondc.Registry) *ondc.Service {
	pricer := tariff.New(db, db, now, uuid.NewString).WithDefault(assets.DefaultTariff())
	return ondc.New(db, pricer, ondc.Config{Registry: registry, Signer: testSigner(), BppURI: "http://dakiya.test/ondc",
		TrackURL: func(id string) string { return "http://dakiya.test/track?id=" + id },
		ProofURL: podLinks().URL}, now, uuid.NewString)
}

func fulfillment(doc map[string]any) map[string]any {
	o := doc["message"].(map[string]any)["order"].(map[string]any)
	return o["fulfillments"].([]any)[0].(map[string]any)
}

func asJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// TestONDCPaidFromTheWallet: a confirmed order is paid from the buyer
// app's prepaid wallet in the booking's transaction (a ledger entry of the
// article's price, referring to the order).
func TestONDCPaidFromTheWallet(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newONDC(t, db)
		o := f.book(t, uuid.NewString(), "CASH_ON_DELIVERY_FLOW", "search_1_LOGISITCS")
		w := f.e.do("GET", "/api/v1/partners/"+f.pid+"/wallet", f.e.login("admin"), nil).json(t)
		var price float64
		for _, en := range w["entries"].([]any) {
			if en := en.(map[string]any); en["reference"] == o.ID {
				price = -en["amount_paise"].(float64)
			}
		}
		if price <= 0 || w["balance_paise"].(float64) != 1_000_000-price {
			t.Fatalf("the order %s was not paid from the wallet: %v", o.ID, w)
		}
	})
}

// TestONDCUnpaidConfirm: a buyer app whose wallet holds too little gets a
// NACK (65001) to confirm, and nothing is stored: no confirmed order, no
// article, no debit.
func TestONDCUnpaidConfirm(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newONDCWith(t, db, 0)
		txn := uuid.NewString()
		search := flowStep(t, "CASH_ON_DELIVERY_FLOW", "search_1_LOGISITCS")
		setAt(search, "message.intent.fulfillment.end.location.address.area_code", "560034")
		f.ack(t, txn, "search", search)
		doc := flowStep(t, "CASH_ON_DELIVERY_FLOW", "init_LOGISTICS")
		drop(doc)
		f.e.clock.Advance(time.Minute)
		f.ack(t, txn, "init", doc)
		articles := f.e.count("articles")
		doc = flowStep(t, "CASH_ON_DELIVERY_FLOW", "confirm_LOGISTICS")
		drop(doc)
		f.e.clock.Advance(time.Minute)
		r := f.b.send(f.e, f.url, "confirm", doc, txn)
		if r.status != 422 || !strings.Contains(string(r.body), `"NACK"`) || !strings.Contains(string(r.body), `"65001"`) {
			t.Fatalf("confirm on an empty wallet: %d %s", r.status, r.body)
		}
		ourAnswer(t, r)
		if f.e.count("articles") != articles || f.e.count("ondc_orders WHERE article_id IS NOT NULL AND article_id <> ''") != 0 ||
			f.e.count("wallet_entries") != 0 {
			t.Fatal("a refused confirm stored something")
		}
	})
}
