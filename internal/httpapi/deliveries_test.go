package httpapi_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/proof/prooftest"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

func outcome(id, code string) map[string]any {
	return map[string]any{"article_id": id, "outcome": "delivered", "otp": code, "proof_ids": []string{},
		"location":    map[string]any{"lat": 12.9361, "lon": 77.6212, "accuracy_m": 8},
		"captured_at": "2026-11-25T12:00:00+05:30", "cod": map[string]any{"mode": "cash", "amount_paise": 49900}}
}

func TestDeliveryAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1, post2 := e.login("sup1"), e.login("post1"), e.login("post2")
		id := dispatchOne(t, e, sup1)
		code := e.otpFor(id)
		key := uuid.NewString()
		body := outcome(id, code)
		wantProblem(t, e.do("POST", "/api/v1/deliveries", post1, body), 400) // no key
		wantProblem(t, e.do("POST", "/api/v1/deliveries", post1, body, "Idempotency-Key", "not-a-uuid"), 400)
		wantProblem(t, e.do("POST", "/api/v1/deliveries", sup1, body, "Idempotency-Key", key), 403)
		wantProblem(t, e.do("POST", "/api/v1/deliveries", post2, body, "Idempotency-Key", uuid.NewString()), 404)
		first := e.do("POST", "/api/v1/deliveries", post1, body, "Idempotency-Key", key)
		if first.status != 201 || !strings.Contains(string(first.body), `"article_status":"delivered"`) ||
			!strings.Contains(string(first.body), `"missing_proof"`) {
			t.Fatalf("deliver: %d %s", first.status, first.body)
		}
		again := e.do("POST", "/api/v1/deliveries", post1, body, "Idempotency-Key", key)
		if again.status != 201 || string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay: %d %s", again.status, again.body)
		}
		other := outcome(id, code)
		other["captured_at"] = "2026-11-25T12:01:00+05:30"
		wantProblem(t, e.do("POST", "/api/v1/deliveries", post1, other, "Idempotency-Key", key), 422)
		done := wantProblem(t, e.do("POST", "/api/v1/deliveries", post1, body, "Idempotency-Key", uuid.NewString()), 409)
		if sum, _ := done["outcome"].(map[string]any); sum["id"] != first.json(t)["id"] || sum["outcome"] != "delivered" ||
			sum["article_status"] != "delivered" || done["type"] != "urn:dakiya:problem:already_done" {
			t.Fatalf("a second outcome is not the final answer with the stored one: %v", done)
		}
		if n := e.count("deliveries"); n != 1 {
			t.Fatalf("%d deliveries stored, want exactly 1", n)
		}
		tr := e.do("GET", "/api/v1/track/"+id, "", nil)
		if !strings.Contains(string(tr.body), `"status":"delivered"`) || !strings.Contains(string(tr.body), `"code":"EMI"`) {
			t.Fatalf("tracking after delivery: %s", tr.body)
		}
		testReviewAndCOD(t, e, sup1, post1, id)
	})
}

func testReviewAndCOD(t *testing.T, e *env, sup1, post1, id string) {
	t.Helper()
	list := e.do("GET", "/api/v1/dcs/dc-one/deliveries?date=2026-11-25&slot=evening&flagged=true", sup1, nil)
	if list.status != 200 || strings.Count(string(list.body), `"article_id"`) != 1 {
		t.Fatalf("flagged list: %d %s", list.status, list.body)
	}
	did := list.json(t)["items"].([]any)[0].(map[string]any)["id"].(string)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/deliveries?flagged=maybe", sup1, nil), 400)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/deliveries", post1, nil), 403)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/deliveries", e.login("sup2"), nil), 404)
	path := "/api/v1/deliveries/" + did + "/review"
	wantProblem(t, e.do("POST", path, sup1, map[string]string{"decision": "rejected"}), 400) // a rejection needs a note
	wantProblem(t, e.do("POST", path, sup1, map[string]string{"decision": "maybe", "note": "x"}), 400)
	wantProblem(t, e.do("POST", path, post1, map[string]string{"decision": "approved"}), 403)
	wantProblem(t, e.do("POST", "/api/v1/deliveries/nope/review", sup1, map[string]string{"decision": "approved"}), 404)
	e.do("POST", path, sup1, map[string]string{"decision": "rejected", "note": "no photo of the cash hand-over"})
	r := e.do("POST", path, sup1, map[string]string{"decision": "approved", "note": "photo arrived on paper"})
	if r.status != 200 || r.json(t)["review"] != "approved" || len(r.json(t)["reviews"].([]any)) != 2 {
		t.Fatalf("review: %d %s", r.status, r.body)
	}
	cod := e.do("GET", "/api/v1/dcs/dc-one/cod?date=2026-11-25&slot=evening", sup1, nil)
	if cod.status != 200 || !strings.Contains(string(cod.body), `"expected_cash_paise":49900`) {
		t.Fatalf("cod: %d %s", cod.status, cod.body)
	}
	postmanID := cod.json(t)["items"].([]any)[0].(map[string]any)["postman_id"].(string)
	settle := map[string]any{"postman_id": postmanID, "date": "2026-11-25", "slot": "evening", "cash_received_paise": 40000}
	settlements := "/api/v1/dcs/dc-one/cod/settlements"
	if r := e.do("POST", settlements, sup1, settle, "Idempotency-Key", uuid.NewString()); r.status != 201 || r.json(t)["difference_paise"] != float64(-9900) {
		t.Fatalf("settle: %d %s", r.status, r.body)
	}
	settle["cash_received_paise"] = 9900 // a correction is a new entry
	if r := e.do("POST", settlements, sup1, settle, "Idempotency-Key", uuid.NewString()); r.status != 201 || r.json(t)["difference_paise"] != float64(0) {
		t.Fatalf("correction: %d %s", r.status, r.body)
	}
	settle["postman_id"] = "someone"
	wantProblem(t, e.do("POST", settlements, sup1, settle, "Idempotency-Key", uuid.NewString()), 400)
	wantProblem(t, e.do("POST", settlements, post1, settle, "Idempotency-Key", uuid.NewString()), 403)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/cod?date=today&slot=evening", sup1, nil), 400)
	csv := e.do("GET", "/api/v1/dcs/dc-one/cod?date=2026-11-25&slot=evening&format=csv", sup1, nil)
	if !strings.HasPrefix(string(csv.body), "postman_id,date,slot") || !strings.Contains(string(csv.body), ",499.00,0.00,499.00,0.00,2") {
		t.Fatalf("csv: %s", csv.body)
	}
}

func TestFailedAttemptsAPI(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	sup1, post1 := e.login("sup1"), e.login("post1")
	id := dispatchOne(t, e, sup1)
	fail := map[string]any{"article_id": id, "outcome": "failed", "reason_code": "01", "proof_ids": []string{},
		"location": map[string]any{"lat": 12.9361, "lon": 77.6212, "accuracy_m": 8}, "captured_at": "2026-11-25T12:00:00+05:30"}
	bad := map[string]any{"article_id": id, "outcome": "failed", "reason_code": "04", "captured_at": "2026-11-25T12:00:00+05:30"}
	wantProblem(t, e.do("POST", "/api/v1/deliveries", post1, bad, "Idempotency-Key", uuid.NewString()), 400)
	r := e.do("POST", "/api/v1/deliveries", post1, fail, "Idempotency-Key", uuid.NewString())
	if r.status != 201 || r.json(t)["article_status"] != "attempted" {
		t.Fatalf("failed attempt: %d %s", r.status, r.body)
	}
	sms := e.do("GET", "/api/v1/dev/sms?phone=%2B919845012345", "", nil)
	if !strings.Contains(string(sms.body), "could not deliver article "+id+" today (Door locked)") {
		t.Fatalf("no new-slot SMS after the failed attempt: %s", sms.body)
	}
	ev := e.do("GET", "/api/v1/track/"+id, "", nil)
	if !strings.Contains(string(ev.body), `"event":"delivery_attempted","code":"EMH"`) {
		t.Fatalf("tracking: %s", ev.body)
	}
}

func TestOutcomeInputsAndUPI(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	sup1, post1, post2 := e.login("sup1"), e.login("post1"), e.login("post2")
	id := dispatchOne(t, e, sup1)
	wantProblem(t, e.do("GET", "/api/v1/articles/"+id+"/upi", post1, nil), 409) // the test centre has no payee VPA
	wantProblem(t, e.do("GET", "/api/v1/articles/"+id+"/upi", post2, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/articles/"+id+"/upi", sup1, nil), 404)
	code := e.otpFor(id)
	bad := map[string]func(map[string]any){
		"letters in the code": func(b map[string]any) { b["otp"] = "12a456" },
		"no position fix":     func(b map[string]any) { b["location"] = map[string]any{"lat": 0, "lon": 0, "accuracy_m": 0} },
		"unknown outcome":     func(b map[string]any) { b["outcome"] = "lost" },
		"reason on delivery":  func(b map[string]any) { b["reason_code"] = "08" },
		"no capture time":     func(b map[string]any) { delete(b, "captured_at") },
		"no cod on cod":       func(b map[string]any) { delete(b, "cod") },
		"unknown proof":       func(b map[string]any) { b["proof_ids"] = []string{uuid.NewString()} },
		"unknown field":       func(b map[string]any) { b["tip"] = 10 },
	}
	for name, mutate := range bad {
		t.Run(name, func(t *testing.T) {
			b := outcome(id, code)
			mutate(b)
			r := e.do("POST", "/api/v1/deliveries", post1, b, "Idempotency-Key", uuid.NewString())
			if r.status != 400 && r.status != 422 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			wantProblem(t, r, r.status)
		})
	}
	if n := e.count("deliveries"); n != 0 {
		t.Fatalf("refused outcomes stored %d rows", n)
	}
	up := e.upload(post1, uuid.NewString(), form(id, "photo", "cash.jpg", prooftest.JPEG(64, 48, 3))...)
	if up.status != 201 {
		t.Fatalf("upload: %d %s", up.status, up.body)
	}
	withProof := outcome(strings.ToLower(id), code)
	withProof["proof_ids"] = []string{up.json(t)["id"].(string)}
	r := e.do("POST", "/api/v1/deliveries", post1, withProof, "Idempotency-Key", uuid.NewString())
	if r.status != 201 || strings.Contains(string(r.body), "missing_proof") {
		t.Fatalf("lower-case id with a photo: %d %s", r.status, r.body)
	}
	d := e.do("GET", "/api/v1/articles/"+id, sup1, nil)
	if ps := d.json(t)["proofs"].([]any); len(ps) != 1 || ps[0].(map[string]any)["kind"] != "photo" {
		t.Fatalf("the article view lacks its proof: %s", d.body)
	}
}

// TestDatabaseOutage cuts the connection to a real PostgreSQL in the
// middle of the day: an outcome answers 503 with Retry-After and nothing
// is lost; the same request with the same key lands once it is back.
func TestDatabaseOutage(t *testing.T) {
	dsn := testkit.PostgresURL(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := testkit.NewProxy(t, u.Host)
	u.Host = proxy.Addr
	db, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, db)
	sup1, post1 := e.login("sup1"), e.login("post1")
	id := dispatchOne(t, e, sup1)
	body, key := outcome(id, e.otpFor(id)), uuid.NewString()
	proxy.Down()
	r := e.do("POST", "/api/v1/deliveries", post1, body, "Idempotency-Key", key)
	wantProblem(t, r, 503)
	if r.header.Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
	proxy.Up()
	r = e.do("POST", "/api/v1/deliveries", post1, body, "Idempotency-Key", key)
	if r.status != 201 {
		t.Fatalf("after the outage: %d %s", r.status, r.body)
	}
	if n := e.count("deliveries"); n != 1 {
		t.Fatalf("%d outcomes stored, want 1", n)
	}
}

// TestCODCashAndUPI: a slot with one cash and one UPI delivery expects
// only the cash at the counter; a refusal sends the third article back.
func TestCODCashAndUPI(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	sup1, post1 := e.login("sup1"), e.login("post1")
	ids := dispatchN(t, e, sup1, 3)
	cash, upi := outcome(ids[0], e.otpFor(ids[0])), outcome(ids[1], e.otpFor(ids[1]))
	upi["cod"] = map[string]any{"mode": "upi", "amount_paise": 49900, "upi_ref": "412345678901"}
	refused := map[string]any{"article_id": ids[2], "outcome": "failed", "reason_code": "09", "proof_ids": []string{},
		"captured_at": "2026-11-25T12:00:00+05:30"}
	for i, b := range []map[string]any{cash, upi, refused} {
		r := e.do("POST", "/api/v1/deliveries", post1, b, "Idempotency-Key", uuid.NewString())
		if r.status != 201 {
			t.Fatalf("outcome %d: %d %s", i, r.status, r.body)
		}
		if i == 2 && r.json(t)["article_status"] != "returned" {
			t.Fatalf("a refusal should return the article: %s", r.body)
		}
	}
	line := e.do("GET", "/api/v1/dcs/dc-one/cod?date=2026-11-25&slot=evening", sup1, nil).json(t)["items"].([]any)[0].(map[string]any)
	if line["expected_cash_paise"] != float64(49900) || line["upi_collected_paise"] != float64(49900) ||
		line["cod_delivered"] != float64(2) || line["difference_paise"] != float64(-49900) {
		t.Fatalf("cod line: %v", line)
	}
}
