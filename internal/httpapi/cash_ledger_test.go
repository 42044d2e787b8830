package httpapi_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestCODLedger: a slot's settlement entries, listed by postman in the
// order they were made, each with the slot's difference after it, a
// correction naming the entry it corrects; refused like the summary.
func TestCODLedger(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		ledger := "/api/v1/dcs/dc-one/cod/settlements?date=2026-11-25&slot=evening"
		if r := e.do("GET", ledger, sup1, nil); r.status != 200 || len(r.json(t)["items"].([]any)) != 0 {
			t.Fatalf("empty ledger: %d %s", r.status, r.body)
		}
		deliverMoney(t, e, sup1, post1)
		line := e.do("GET", "/api/v1/dcs/dc-one/cod?date=2026-11-25&slot=evening", sup1, nil).json(t)["items"].([]any)[0].(map[string]any)
		settle := map[string]any{"postman_id": line["postman_id"], "date": "2026-11-25", "slot": "evening", "cash_received_paise": 40000}
		first := e.do("POST", "/api/v1/dcs/dc-one/cod/settlements", sup1, settle, "Idempotency-Key", uuid.NewString()).json(t)
		e.clock.Advance(time.Minute)
		settle["cash_received_paise"], settle["note"], settle["correction_of"] = 9900, "found in the bag", first["id"]
		fix := e.do("POST", "/api/v1/dcs/dc-one/cod/settlements", sup1, settle, "Idempotency-Key", uuid.NewString()).json(t)
		r := e.do("GET", ledger, e.login("admin"), nil)
		items := r.json(t)["items"].([]any)
		if r.status != 200 || len(items) != 2 {
			t.Fatalf("ledger: %d %s", r.status, r.body)
		}
		for i, want := range []map[string]any{first, fix} {
			got := items[i].(map[string]any)
			for k, v := range want {
				if k != "at" && got[k] != v {
					t.Errorf("entry %d: %s = %v, want %v (as answered when made)", i, k, got[k], v)
				}
			}
		}
		if got := items[1].(map[string]any); got["difference_paise"] != 0.0 || got["note"] != "found in the bag" {
			t.Errorf("the correction: %v", got)
		}
		if other := e.do("GET", "/api/v1/dcs/dc-one/cod/settlements?date=2026-11-25&slot=morning", sup1, nil); len(other.json(t)["items"].([]any)) != 0 {
			t.Errorf("another slot lists entries: %s", other.body)
		}
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/cod/settlements?date=2026-11-25", sup1, nil), 400)
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/cod/settlements?date=25-11-2026&slot=evening", sup1, nil), 400)
		wantProblem(t, e.do("GET", ledger, post1, nil), 403)
		wantProblem(t, e.do("GET", ledger, e.login("sup2"), nil), 404)
		wantProblem(t, e.do("GET", ledger, "", nil), 401)
	})
}
