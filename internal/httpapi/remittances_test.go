package httpapi_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/remit"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// ownCOD makes an article a partner's, with the COD fee its booking would
// have fixed. A stand-in for partner bookings (written in parallel): the
// statement reads only these two columns.
func (e *env) ownCOD(id, partnerID string, feePaise int64) {
	e.t.Helper()
	var got string
	err := e.db.QueryRowForTest(context.Background(), "UPDATE articles SET partner_id = ?, cod_fee_paise = ? WHERE id = ? RETURNING id",
		partnerID, feePaise, id).Scan(&got)
	if err != nil || got != id {
		e.t.Fatalf("own %s: %v", id, err)
	}
}

// remitDeliveries delivers four COD articles of 499.00 from post1's
// evening slot of 2026-11-25: acme's by cash (fee 600.00, above what was
// collected), by UPI with a UTR (fee 50.00) and by UPI without one; the
// other partner's by cash (fee 50.00). It returns the four ids.
func remitDeliveries(t *testing.T, e *env, acme, other string) []string {
	t.Helper()
	sup1, post1 := e.login("sup1"), e.login("post1")
	ids := dispatchN(t, e, sup1, 4)
	e.ownCOD(ids[0], acme, 60000)
	e.ownCOD(ids[1], acme, 5000)
	e.ownCOD(ids[2], acme, 5000)
	e.ownCOD(ids[3], other, 5000)
	bodies := []map[string]any{outcome(ids[0], e.otpFor(ids[0])), outcome(ids[1], e.otpFor(ids[1])),
		outcome(ids[2], e.otpFor(ids[2])), outcome(ids[3], e.otpFor(ids[3]))}
	bodies[1]["cod"] = map[string]any{"mode": "upi", "amount_paise": 49900, "upi_ref": "412345678901"}
	bodies[2]["cod"] = map[string]any{"mode": "upi", "amount_paise": 49900}
	for i, b := range bodies {
		if r := e.do("POST", "/api/v1/deliveries", post1, b, "Idempotency-Key", uuid.NewString()); r.status != 201 {
			t.Fatalf("outcome %d: %d %s", i, r.status, r.body)
		}
	}
	return ids
}

// closeCash settles and closes post1's cash for the evening of 2026-11-25.
func closeCash(t *testing.T, e *env) {
	t.Helper()
	sup1 := e.login("sup1")
	line := e.do("GET", "/api/v1/dcs/dc-one/cod?date=2026-11-25&slot=evening", sup1, nil).json(t)["items"].([]any)[0].(map[string]any)
	settle := map[string]any{"postman_id": line["postman_id"], "date": "2026-11-25", "slot": "evening", "cash_received_paise": line["expected_cash_paise"]}
	r := e.do("POST", "/api/v1/dcs/dc-one/cod/settlements", sup1, settle, "Idempotency-Key", uuid.NewString())
	if r.status != 201 {
		t.Fatalf("settle: %d %s", r.status, r.body)
	}
	if c := e.do("POST", "/api/v1/dcs/dc-one/cod/settlements/"+r.json(t)["id"].(string)+"/close", sup1, nil); c.status != 200 {
		t.Fatalf("close: %d %s", c.status, c.body)
	}
}

// lineIDs lists the article ids of a statement's or a pending list's lines.
func lineIDs(v any) []string {
	var out []string
	for _, l := range v.([]any) {
		out = append(out, l.(map[string]any)["article_id"].(string))
	}
	return out
}

func wantTotals(t *testing.T, m map[string]any, lines, collected, fee, net float64) {
	t.Helper()
	tot := m["totals"].(map[string]any)
	if tot["lines"] != lines || tot["collected_paise"] != collected || tot["fee_paise"] != fee || tot["net_paise"] != net {
		t.Fatalf("totals %v, want %v lines, %v = %v + %v", tot, lines, collected, fee, net)
	}
}

// TestRemittances: statements from real deliveries. UPI with a UTR is
// collected at once, cash once the postman's slot is closed; a statement
// is made once per partner and day (a second call answers it), for a day
// that is over, and takes late collections of earlier days the next
// time; a line is never in two statements; paid once with a bank
// reference; JSON and CSV; a key sees only its own partner's.
func TestRemittances(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		acme, other := e.newPartner("Acme Books", "dc-one"), e.newPartner("Other Co", "dc-one")
		acmeKey, otherKey := e.newKey(acme, "book"), e.newKey(other, "book")
		ids := remitDeliveries(t, e, acme, other)
		mk := func(partner, date string) resp {
			return e.do("POST", "/api/v1/partners/"+partner+"/remittances", e.login("admin"), map[string]string{"date": date})
		}
		// The day is not over yet: nothing is made.
		wantProblem(t, mk(acme, "2026-11-25"), 400)
		if n := e.count("remittances"); n != 0 {
			t.Fatalf("%d statements for a day not over", n)
		}
		pending := e.do("GET", "/api/v1/remittances/pending", acmeKey, nil).json(t)
		aw := pending["awaiting"].([]any)
		if got := lineIDs(pending["collected"]); len(got) != 1 || got[0] != ids[1] || len(aw) != 2 ||
			aw[0].(map[string]any)["awaiting"] != "cash_settlement" || aw[1].(map[string]any)["awaiting"] != "upi_ref" {
			t.Fatalf("pending before the cash is closed: %v", pending)
		}
		e.clock.Advance(24 * time.Hour)
		first := mk(acme, "2026-11-25")
		if first.status != 201 {
			t.Fatalf("make: %d %s", first.status, first.body)
		}
		st := first.json(t)
		if got := lineIDs(st["lines"]); len(got) != 1 || got[0] != ids[1] || st["state"] != "open" || st["date"] != "2026-11-25" {
			t.Fatalf("statement before the cash is closed: %s", first.body)
		}
		wantTotals(t, st, 1, 49900, 5000, 44900)
		// The cash is closed the next morning: the statement made stays as
		// it is, and the cash waits for the next one.
		closeCash(t, e)
		again := mk(acme, "2026-11-25")
		if again.status != 200 || string(again.body) != string(first.body) {
			t.Fatalf("making again: %d %s, first %s", again.status, again.body, first.body)
		}
		pending = e.do("GET", "/api/v1/remittances/pending", acmeKey, nil).json(t)
		if got := lineIDs(pending["collected"]); len(got) != 1 || got[0] != ids[0] || len(pending["awaiting"].([]any)) != 1 {
			t.Fatalf("pending after closing: %v", pending)
		}
		e.clock.Advance(24 * time.Hour)
		late := mk(acme, "2026-11-26").json(t)
		line := late["lines"].([]any)[0].(map[string]any)
		if got := lineIDs(late["lines"]); len(got) != 1 || got[0] != ids[0] || line["collected_on"] != "2026-11-25" || line["mode"] != "cash" {
			t.Fatalf("late cash: %v", late)
		}
		wantTotals(t, late, 1, 49900, 49900, 0) // the fee is withheld up to what was collected
		if n := e.count("remittance_lines"); n != 2 {
			t.Fatalf("%d lines, want 2", n)
		}
		// The database itself refuses a line in a second statement.
		var dup string
		err := db.QueryRowForTest(context.Background(), `INSERT INTO remittance_lines (delivery_id, remittance_id, article_id, dc_id,
			collected_on, delivered_at, mode, upi_ref, collected_paise, fee_paise, net_paise)
			SELECT delivery_id, ?, article_id, dc_id, collected_on, delivered_at, mode, upi_ref, collected_paise, fee_paise, net_paise
			FROM remittance_lines WHERE remittance_id = ? RETURNING delivery_id`, late["id"], st["id"]).Scan(&dup)
		if err == nil || e.count("remittance_lines") != 2 {
			t.Fatalf("a line went into a second statement: %v", err)
		}
		otherSt := mk(other, "2026-11-25").json(t)
		if got := lineIDs(otherSt["lines"]); len(got) != 1 || got[0] != ids[3] {
			t.Fatalf("other's statement: %v", otherSt)
		}
		empty := mk(other, "2026-11-26")
		if empty.status != 201 || len(empty.json(t)["lines"].([]any)) != 0 {
			t.Fatalf("a day with nothing collected: %d %s", empty.status, empty.body)
		}
		wantTotals(t, empty.json(t), 0, 0, 0, 0)
		t.Run("views", func(t *testing.T) { testRemittanceViews(t, e, st, otherSt, acmeKey, otherKey) })
		t.Run("pay", func(t *testing.T) { testRemittancePay(t, e, st["id"].(string), late["id"].(string)) })
		t.Run("refusals", func(t *testing.T) { testRemittanceRefusals(t, e, acme, acmeKey) })
	})
}

// testRemittanceViews: lists and statements as JSON and CSV, each caller
// seeing what is theirs.
func testRemittanceViews(t *testing.T, e *env, st, otherSt map[string]any, acmeKey, otherKey string) {
	admin, id, otherID := e.login("admin"), st["id"].(string), otherSt["id"].(string)
	list := func(token, q string) []any {
		t.Helper()
		r := e.do("GET", "/api/v1/remittances"+q, token, nil)
		if r.status != 200 {
			t.Fatalf("list %s: %d %s", q, r.status, r.body)
		}
		return r.json(t)["items"].([]any)
	}
	if n := len(list(admin, "")); n != 4 {
		t.Fatalf("admin sees %d statements, want 4", n)
	}
	// Both lists page (TestListsPage has the rest): four statements over
	// two days, newest day first, then by partner.
	checkWalk(t, e, "/api/v1/remittances", admin, "id", 1, 4)
	checkWalk(t, e, "/api/v1/remittances", acmeKey, "id", 1, 2)
	if n := len(list(admin, "?partner_id="+st["partner_id"].(string)+"&from=2026-11-25&to=2026-11-25&state=open")); n != 1 {
		t.Fatalf("filtered: %d", n)
	}
	mine := list(acmeKey, "")
	if len(mine) != 2 || mine[0].(map[string]any)["date"] != "2026-11-26" || mine[0].(map[string]any)["lines"] != nil {
		t.Fatalf("the key's list: %v", mine)
	}
	wantProblem(t, e.do("GET", "/api/v1/remittances?partner_id="+otherSt["partner_id"].(string), acmeKey, nil), 404)
	if r := e.do("GET", "/api/v1/remittances/"+id, acmeKey, nil); r.status != 200 || len(r.json(t)["lines"].([]any)) != 1 {
		t.Fatalf("own statement: %d %s", r.status, r.body)
	}
	wantProblem(t, e.do("GET", "/api/v1/remittances/"+otherID, acmeKey, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/remittances/"+id, otherKey, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/remittances/nope", admin, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/remittances/pending?partner_id="+otherSt["partner_id"].(string), acmeKey, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/remittances/pending", admin, nil), 400)
	wantProblem(t, e.do("GET", "/api/v1/remittances/pending?partner_id=nope", admin, nil), 404)
	if r := e.do("GET", "/api/v1/remittances/pending?partner_id="+otherSt["partner_id"].(string), admin, nil); r.status != 200 {
		t.Fatalf("admin pending: %d %s", r.status, r.body)
	}
	track := e.newKey(st["partner_id"].(string), "track")
	wantProblem(t, e.do("GET", "/api/v1/remittances", track, nil), 403)
	wantProblem(t, e.do("GET", "/api/v1/remittances", e.login("sup1"), nil), 403)
	wantProblem(t, e.do("GET", "/api/v1/remittances", "", nil), 401)
	for _, q := range []string{"?from=2026-13-01", "?to=yesterday", "?from=2026-11-26&to=2026-11-25", "?state=void", "?limit=0", "?limit=9999"} {
		wantProblem(t, e.do("GET", "/api/v1/remittances"+q, admin, nil), 400)
	}
	wantProblem(t, e.do("GET", "/api/v1/remittances/"+id+"?format=xml", acmeKey, nil), 400)
	for _, r := range []resp{e.do("GET", "/api/v1/remittances/"+id, acmeKey, nil, "Accept", "text/csv"),
		e.do("GET", "/api/v1/remittances/"+id+"?format=csv", admin, nil)} {
		rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || err != nil || len(rows) != 3 {
			t.Fatalf("csv: %d %v %s", r.status, err, r.body)
		}
		if row, total := rows[1], rows[2]; row[3] != lineIDs(st["lines"])[0] || row[8] != "upi" || row[10] != "499.00" ||
			row[11] != "50.00" || row[12] != "449.00" || total[3] != "total" || total[12] != "449.00" {
			t.Fatalf("csv rows: %v", rows)
		}
	}
}

// testRemittancePay: paid once with a bank reference; the same reference
// again answers it, another is a conflict; bad payments change nothing.
func testRemittancePay(t *testing.T, e *env, id, zeroID string) {
	admin, path := e.login("admin"), "/api/v1/remittances/"+id+"/paid"
	for _, body := range []any{
		map[string]any{}, map[string]any{"bank_ref": ""}, map[string]any{"bank_ref": "  "}, map[string]any{"bank_ref": "=SUM(A1)"},
		map[string]any{"bank_ref": strings.Repeat("A", 65)}, map[string]any{"bank_ref": "UTR1", "extra": 1},
		map[string]any{"bank_ref": "UTR1", "paid_at": e.clock.Now().Add(time.Hour)},
		map[string]any{"bank_ref": "UTR1", "paid_at": "2026-01-01T00:00:00Z"},
		map[string]any{"bank_ref": 12}, `{"bank_ref":`,
	} {
		wantProblem(t, e.do("POST", path, admin, body), 400)
	}
	wantProblem(t, e.do("POST", path, admin, strings.Repeat(" ", 70<<10)), 413)
	wantProblem(t, e.do("POST", path, admin, "bank_ref=UTR1", "Content-Type", "application/x-www-form-urlencoded"), 415)
	wantProblem(t, e.do("POST", path, e.login("sup1"), map[string]any{"bank_ref": "UTR1"}), 403)
	wantProblem(t, e.do("POST", "/api/v1/remittances/nope/paid", admin, map[string]any{"bank_ref": "UTR1"}), 404)
	wantProblem(t, e.do("POST", "/api/v1/remittances/"+zeroID+"/paid", admin, map[string]any{"bank_ref": "UTR1"}), 409)
	if n := e.count("remittances WHERE state <> 'open' OR bank_ref <> ''"); n != 0 {
		t.Fatalf("refused payments changed %d statements", n)
	}
	paidAt := e.clock.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	paid := e.do("POST", path, admin, map[string]any{"bank_ref": "SBIN526110012345", "paid_at": paidAt})
	if p := paid.json(t); paid.status != 200 || p["state"] != "paid" || p["bank_ref"] != "SBIN526110012345" || p["paid_at"] != paidAt {
		t.Fatalf("pay: %d %s", paid.status, paid.body)
	}
	if again := e.do("POST", path, admin, map[string]any{"bank_ref": "SBIN526110012345"}); again.status != 200 || string(again.body) != string(paid.body) {
		t.Fatalf("paying again: %d %s", again.status, again.body)
	}
	wantProblem(t, e.do("POST", path, admin, map[string]any{"bank_ref": "OTHER1"}), 409)
	if r := e.do("GET", "/api/v1/remittances?state=paid&limit=500", admin, nil); len(r.json(t)["items"].([]any)) != 1 {
		t.Fatalf("paid list: %s", r.body)
	}
}

// testRemittanceRefusals: bad requests to make a statement change nothing.
func testRemittanceRefusals(t *testing.T, e *env, acme, acmeKey string) {
	admin, before := e.login("admin"), e.count("remittances")
	path := "/api/v1/partners/" + acme + "/remittances"
	today := e.clock.Now().Add(330 * time.Minute).Format(time.DateOnly)
	for _, body := range []any{
		map[string]any{}, map[string]any{"date": "27-11-2026"}, map[string]any{"date": "2026-02-30"}, map[string]any{"date": today},
		map[string]any{"date": "2027-01-01"}, map[string]any{"date": "2026-11-20", "extra": true}, map[string]any{"date": 20261120},
		`{"date":`, "[]",
	} {
		wantProblem(t, e.do("POST", path, admin, body), 400)
	}
	wantProblem(t, e.do("POST", path, admin, strings.Repeat(" ", 70<<10)), 413)
	wantProblem(t, e.do("POST", path, admin, "date=2026-11-20", "Content-Type", "text/plain"), 415)
	wantProblem(t, e.do("POST", "/api/v1/partners/nope/remittances", admin, map[string]any{"date": "2026-11-20"}), 404)
	wantProblem(t, e.do("POST", path, e.login("sup1"), map[string]any{"date": "2026-11-20"}), 403)
	wantProblem(t, e.do("POST", path, acmeKey, map[string]any{"date": "2026-11-20"}), 401)
	if n := e.count("remittances"); n != before {
		t.Fatalf("refusals made %d statements", n-before)
	}
}

// TestRemittanceWorker: the worker makes yesterday's statement for each
// partner with money collected, once however often it runs, and none for
// a partner with nothing collected.
func TestRemittanceWorker(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		acme, other := e.newPartner("Acme Books", "dc-one"), e.newPartner("Other Co", "dc-one")
		e.newPartner("Idle Co", "dc-two")
		remitDeliveries(t, e, acme, other)
		closeCash(t, e)
		w := remit.New(db, e.clock.Now, uuid.NewString)
		if n, err := w.Tick(context.Background()); n != 0 || err != nil {
			t.Fatalf("the same day: %d made, %v", n, err)
		}
		e.clock.Advance(24 * time.Hour)
		for i := range 2 {
			if n, err := w.Tick(context.Background()); err != nil || n != 2-2*i {
				t.Fatalf("tick %d: %d made, %v", i, n, err)
			}
		}
		if n := e.count("remittances WHERE date = '2026-11-25' AND created_by = 'system'"); n != 2 {
			t.Fatalf("%d statements made by the worker, want 2", n)
		}
		r := e.do("GET", "/api/v1/remittances?partner_id="+acme, e.login("admin"), nil)
		if items := r.json(t)["items"].([]any); len(items) != 1 {
			t.Fatalf("acme's statements: %s", r.body)
		} else {
			wantTotals(t, items[0].(map[string]any), 2, 99800, 54900, 44900)
		}
	})
}
