package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// deliverMoney delivers three COD articles of 499.00: by cash, by UPI
// with a UTR and by UPI without one.
func deliverMoney(t *testing.T, e *env, sup1, post1 string) {
	t.Helper()
	ids := dispatchN(t, e, sup1, 3)
	cash, upi, open := outcome(ids[0], e.otpFor(ids[0])), outcome(ids[1], e.otpFor(ids[1])), outcome(ids[2], e.otpFor(ids[2]))
	upi["cod"] = map[string]any{"mode": "upi", "amount_paise": 49900, "upi_ref": "412345678901"}
	open["cod"] = map[string]any{"mode": "upi", "amount_paise": 49900}
	for i, b := range []map[string]any{cash, upi, open} {
		if r := e.do("POST", "/api/v1/deliveries", post1, b, "Idempotency-Key", uuid.NewString()); r.status != 201 {
			t.Fatalf("outcome %d: %d %s", i, r.status, r.body)
		}
	}
}

// TestCODCloseAndCorrect: the summary keeps cash and UPI apart (UPI with
// and without a UTR); a closed slot refuses a plain entry with 409 and
// takes a correction naming the entry it corrects.
func TestCODCloseAndCorrect(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1, sup2 := e.login("sup1"), e.login("post1"), e.login("sup2")
		deliverMoney(t, e, sup1, post1)
		summary := "/api/v1/dcs/dc-one/cod?date=2026-11-25&slot=evening"
		line := e.do("GET", summary, sup1, nil).json(t)["items"].([]any)[0].(map[string]any)
		want := map[string]any{"expected_cash_paise": 49900.0, "cash_collected_paise": 49900.0, "upi_collected_paise": 99800.0,
			"upi_confirmed_paise": 49900.0, "upi_unconfirmed_paise": 49900.0, "cod_delivered": 3.0, "closed": false}
		for k, v := range want {
			if line[k] != v {
				t.Fatalf("%s = %v, want %v: %v", k, line[k], v, line)
			}
		}
		postman := line["postman_id"].(string)
		settlements := "/api/v1/dcs/dc-one/cod/settlements"
		settle := map[string]any{"postman_id": postman, "date": "2026-11-25", "slot": "evening", "cash_received_paise": 40000}
		first := e.do("POST", settlements, sup1, settle, "Idempotency-Key", uuid.NewString())
		if first.status != 201 {
			t.Fatalf("settle: %d %s", first.status, first.body)
		}
		sid := first.json(t)["id"].(string)
		closePath := settlements + "/" + sid + "/close"
		wantProblem(t, e.do("POST", closePath, post1, nil), 403)
		wantProblem(t, e.do("POST", closePath, sup2, nil), 404)
		wantProblem(t, e.do("POST", "/api/v1/dcs/dc-two/cod/settlements/"+sid+"/close", sup2, nil), 404)
		wantProblem(t, e.do("POST", settlements+"/nope/close", sup1, nil), 404)
		if e.count("cod_closings") != 0 {
			t.Fatal("a refused close closed the slot")
		}
		closed := e.do("POST", closePath, sup1, nil)
		if closed.status != 200 || closed.json(t)["settlement_id"] != sid || closed.json(t)["postman_id"] != postman {
			t.Fatalf("close: %d %s", closed.status, closed.body)
		}
		e.clock.Advance(time.Minute)
		if again := e.do("POST", closePath, sup1, nil); again.status != 200 || string(again.body) != string(closed.body) {
			t.Fatalf("closing again should answer the first closing: %d %s, first %s", again.status, again.body, closed.body)
		}
		settle["cash_received_paise"] = 9900
		wantProblem(t, e.do("POST", settlements, sup1, settle, "Idempotency-Key", uuid.NewString()), 409)
		settle["correction_of"] = "nope"
		wantProblem(t, e.do("POST", settlements, sup1, settle, "Idempotency-Key", uuid.NewString()), 400)
		if n := e.count("cod_settlements"); n != 1 {
			t.Fatalf("%d entries after refusals, want 1", n)
		}
		settle["correction_of"] = sid
		fix := e.do("POST", settlements, sup1, settle, "Idempotency-Key", uuid.NewString())
		if fix.status != 201 || fix.json(t)["difference_paise"] != 0.0 || fix.json(t)["correction_of"] != sid {
			t.Fatalf("correction: %d %s", fix.status, fix.body)
		}
		line = e.do("GET", summary, sup1, nil).json(t)["items"].([]any)[0].(map[string]any)
		if line["closed"] != true || line["settled_cash_paise"] != 49900.0 || line["difference_paise"] != 0.0 || line["settlements"] != 2.0 {
			t.Fatalf("closed line: %v", line)
		}
		csv := e.do("GET", summary+"&format=csv", sup1, nil)
		if !strings.Contains(string(csv.body), ",499.00,998.00,499.00,0.00,2,499.00,499.00,499.00,true") {
			t.Fatalf("csv: %s", csv.body)
		}
	})
}

// TestCODDay: a day's cash per slot for a centre, with the day's totals.
func TestCODDay(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		day := "/api/v1/dcs/dc-one/cod/day?date=2026-11-25"
		if r := e.do("GET", day, sup1, nil); r.status != 200 || len(r.json(t)["slots"].([]any)) != 0 {
			t.Fatalf("empty day: %d %s", r.status, r.body)
		}
		deliverMoney(t, e, sup1, post1)
		r := e.do("GET", day, e.login("admin"), nil)
		slots := r.json(t)["slots"].([]any)
		if r.status != 200 || len(slots) != 1 {
			t.Fatalf("day: %d %s", r.status, r.body)
		}
		evening, total := slots[0].(map[string]any), r.json(t)["total"].(map[string]any)
		for _, m := range []map[string]any{evening, total} {
			if m["expected_cash_paise"] != 49900.0 || m["upi_unconfirmed_paise"] != 49900.0 || m["difference_paise"] != -49900.0 ||
				m["postmen"] != 1.0 || m["open"] != 1.0 || m["closed"] != 0.0 {
				t.Fatalf("totals: %v", m)
			}
		}
		if evening["slot"] != "evening" {
			t.Fatalf("slot: %v", evening)
		}
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/cod/day?date=25-11-2026", sup1, nil), 400)
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/cod/day", sup1, nil), 400)
		wantProblem(t, e.do("GET", day, post1, nil), 403)
		wantProblem(t, e.do("GET", day, e.login("sup2"), nil), 404)
	})
}
