package httpapi_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"dakiya/internal/proof/prooftest"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestSettlementIdempotency: a settlement takes an Idempotency-Key like an
// outcome; a retried count is answered again and never adds the cash twice.
func TestSettlementIdempotency(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		id := dispatchOne(t, e, sup1)
		if r := e.do("POST", "/api/v1/deliveries", post1, outcome(id, e.otpFor(id)), "Idempotency-Key", uuid.NewString()); r.status != 201 {
			t.Fatalf("deliver: %d %s", r.status, r.body)
		}
		postmanID := e.do("GET", "/api/v1/dcs/dc-one/cod?date=2026-11-25&slot=evening", sup1, nil).json(t)["items"].([]any)[0].(map[string]any)["postman_id"].(string)
		path := "/api/v1/dcs/dc-one/cod/settlements"
		settle := map[string]any{"postman_id": postmanID, "date": "2026-11-25", "slot": "evening", "cash_received_paise": 49900}
		wantProblem(t, e.do("POST", path, sup1, settle), 400) // no key
		wantProblem(t, e.do("POST", path, sup1, settle, "Idempotency-Key", "not-a-uuid"), 400)
		if n := e.count("cod_settlements"); n != 0 {
			t.Fatalf("refused settlements stored %d rows", n)
		}
		key := uuid.NewString()
		first := e.do("POST", path, sup1, settle, "Idempotency-Key", key)
		if first.status != 201 || first.json(t)["difference_paise"] != float64(0) {
			t.Fatalf("settle: %d %s", first.status, first.body)
		}
		for _, k := range []string{key, strings.ToUpper(key)} {
			again := e.do("POST", path, sup1, settle, "Idempotency-Key", k)
			if again.status != 201 || string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
				t.Fatalf("retry with %s: %d %s, want the first answer replayed", k, again.status, again.body)
			}
		}
		other := map[string]any{"postman_id": postmanID, "date": "2026-11-25", "slot": "evening", "cash_received_paise": 100}
		wantProblem(t, e.do("POST", path, sup1, other, "Idempotency-Key", key), 422)
		if n := e.count("cod_settlements"); n != 1 {
			t.Fatalf("%d settlements stored, want 1", n)
		}
		line := e.do("GET", "/api/v1/dcs/dc-one/cod?date=2026-11-25&slot=evening", sup1, nil).json(t)["items"].([]any)[0].(map[string]any)
		if line["settled_cash_paise"] != float64(49900) || line["settlements"] != float64(1) {
			t.Fatalf("cod line after retries: %v", line)
		}
	})
}

// TestIdempotencyKeyCase: a UUID is a UUID whatever its case; the same key
// in capitals replays the outcome and the proof instead of running them
// again.
func TestIdempotencyKeyCase(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		id := dispatchOne(t, e, sup1)
		pkey := uuid.NewString()
		photo := prooftest.JPEG(64, 48, 5)
		up := e.upload(post1, pkey, form(id, "photo", "a.jpg", photo)...)
		upAgain := e.upload(post1, strings.ToUpper(pkey), form(id, "photo", "b.jpg", photo)...) // another boundary and file name
		if up.status != 201 || upAgain.status != 201 || string(upAgain.body) != string(up.body) || upAgain.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("proof retry: %d %s / %d %s", up.status, up.body, upAgain.status, upAgain.body)
		}
		wantProblem(t, e.upload(post1, pkey, form(id, "photo", "a.jpg", prooftest.JPEG(64, 48, 6))...), 422)
		body := outcome(id, e.otpFor(id))
		body["proof_ids"] = []string{up.json(t)["id"].(string)}
		key := uuid.NewString()
		first := e.do("POST", "/api/v1/deliveries", post1, body, "Idempotency-Key", strings.ToUpper(key))
		again := e.do("POST", "/api/v1/deliveries", post1, body, "Idempotency-Key", key)
		if first.status != 201 || again.status != 201 || string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("outcome retry in lower case: %d %s / %d %s", first.status, first.body, again.status, again.body)
		}
		if d, p := e.count("deliveries"), e.count("proofs"); d != 1 || p != 1 {
			t.Fatalf("%d deliveries and %d proofs stored, want 1 and 1", d, p)
		}
	})
}

// TestUPIReference: a UPI collection carries its 12-digit UTR or is
// flagged upi_unconfirmed; a malformed reference is refused; the review
// list shows cash or UPI and the reference.
func TestUPIReference(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		ids := dispatchN(t, e, sup1, 3)
		send := func(id string, cod map[string]any) resp {
			b := outcome(id, e.otpFor(id))
			b["cod"] = cod
			return e.do("POST", "/api/v1/deliveries", post1, b, "Idempotency-Key", uuid.NewString())
		}
		for name, cod := range map[string]map[string]any{
			"eleven digits": {"mode": "upi", "amount_paise": 49900, "upi_ref": "41234567890"},
			"letters":       {"mode": "upi", "amount_paise": 49900, "upi_ref": "41234567890A"},
			"ref with cash": {"mode": "cash", "amount_paise": 49900, "upi_ref": "412345678901"},
		} {
			p := wantProblem(t, send(ids[0], cod), 400)
			if !strings.Contains(p["errors"].([]any)[0].(map[string]any)["field"].(string), "upi_ref") {
				t.Fatalf("%s: %v", name, p)
			}
		}
		if n := e.count("deliveries"); n != 0 {
			t.Fatalf("malformed references stored %d outcomes", n)
		}
		noRef := send(ids[0], map[string]any{"mode": "upi", "amount_paise": 49900})
		withRef := send(ids[1], map[string]any{"mode": "upi", "amount_paise": 49900, "upi_ref": "412345678901"})
		cash := send(ids[2], map[string]any{"mode": "cash", "amount_paise": 49900})
		if noRef.status != 201 || !strings.Contains(string(noRef.body), `"upi_unconfirmed"`) {
			t.Fatalf("UPI without reference: %d %s", noRef.status, noRef.body)
		}
		for _, r := range []resp{withRef, cash} {
			if r.status != 201 || strings.Contains(string(r.body), "upi_unconfirmed") {
				t.Fatalf("%d %s", r.status, r.body)
			}
		}
		list := e.do("GET", "/api/v1/dcs/dc-one/deliveries?date=2026-11-25&slot=evening", sup1, nil).json(t)["items"].([]any)
		got := map[string]string{}
		for _, it := range list {
			d := it.(map[string]any)
			cod := d["cod"].(map[string]any)
			ref, _ := cod["upi_ref"].(string)
			got[d["article_id"].(string)] = cod["mode"].(string) + ":" + ref
		}
		if got[ids[0]] != "upi:" || got[ids[1]] != "upi:412345678901" || got[ids[2]] != "cash:" {
			t.Fatalf("review list money: %v", got)
		}
	})
}
