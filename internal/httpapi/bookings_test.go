package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dakiya/internal/pod"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

func podLinks() *pod.Links {
	l := pod.NewLinks([]byte("pod link key for tests, 32 bytes"), "http://dakiya.test")
	return &l
}

// bookItem is an article as a partner books it, to dc-one's beat (560034).
func bookItem(id string) map[string]any {
	it := item(id)
	it["weight_g"] = 700
	if id == "" {
		delete(it, "id")
	}
	return it
}

// topUp credits a partner's wallet as the admin.
func (e *env) topUp(partnerID string, paise int64, ref string) resp {
	e.t.Helper()
	return e.do("POST", "/api/v1/partners/"+partnerID+"/wallet/topups", e.login("admin"), map[string]any{"amount_paise": paise, "reference": ref})
}

// bookingPartner makes a partner with a wallet of paise and a key with
// every scope.
func (e *env) bookingPartner(name string, paise int64) (string, string) {
	e.t.Helper()
	p := e.newPartner(name, "dc-one")
	if paise > 0 {
		if r := e.topUp(p, paise, "NEFT-"+name); r.status != 201 {
			e.t.Fatalf("top up: %d %s", r.status, r.body)
		}
	}
	return p, e.newKey(p)
}

// priceOf asks the tariff (POST /quotes) what an item booked from the
// partner's billing centre (dc-one, 560034) costs the key's partner:
// its price and its COD fee.
func (e *env) priceOf(key string, it map[string]any) (float64, float64) {
	e.t.Helper()
	q := map[string]any{"service": it["service"], "weight_g": it["weight_g"], "from_pin": "560034",
		"to_pin": it["recipient"].(map[string]any)["pin"], "cod_paise": it["cod_paise"]}
	if d, ok := it["dims_cm"]; ok {
		q["dims_cm"] = d
	}
	r := e.do("POST", "/api/v1/quotes", key, q)
	if r.status != 200 {
		e.t.Fatalf("quote: %d %s", r.status, r.body)
	}
	m := r.json(e.t)
	return m["price_paise"].(float64), m["cod_fee_paise"].(float64)
}

func items(r resp, t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, it := range r.json(t)["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

// TestBookingsAPI: a key books a mixed batch: valid items are booked (ids
// allocated from the partner's series when left out), bad ones refused in
// place; the wallet pays for what was created; a repeat is unchanged and
// a changed repeat a clash; the partner sees its booking, labels and
// articles, and nobody else's.
func TestBookingsAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		p, key := e.bookingPartner("Acme Books", 100_000)
		_, otherKey := e.bookingPartner("Other Co", 100_000)
		own := s10(t, "EE", 20000001)
		badPhone := bookItem(s10(t, "EE", 20000002))
		badPhone["recipient"].(map[string]any)["phone"] = "12345"
		unknownPIN := bookItem("")
		unknownPIN["recipient"].(map[string]any)["pin"] = "110001"
		parcel := bookItem("")
		parcel["service"], parcel["reference"], parcel["cod_paise"] = "parcel", "ORDER-7", 0
		body := map[string]any{"articles": []any{
			bookItem(own), bookItem(""), parcel, bookItem("EE123456789IN"), unknownPIN, badPhone, bookItem(own),
			map[string]any{"id": 5},
		}}
		r := e.do("POST", "/api/v1/bookings", key, body)
		if r.status != 201 {
			t.Fatalf("book: %d %s", r.status, r.body)
		}
		res := r.json(t)
		its := items(r, t)
		want := []string{"created", "created", "created", "refused", "refused", "refused", "refused", "refused"}
		for i, it := range its {
			if it["status"] != want[i] || it["index"] != float64(i) {
				t.Fatalf("item %d: %v", i, it)
			}
		}
		for i, field := range map[int]string{3: "id", 5: "recipient.phone", 6: "id"} {
			if !strings.Contains(fmt.Sprint(its[i]["error"]), field) {
				t.Errorf("item %d's error does not name %s: %v", i, field, its[i]["error"])
			}
		}
		if !strings.Contains(fmt.Sprint(its[4]["error"]), "110001") || its[4]["error"].(map[string]any)["status"] != float64(422) {
			t.Errorf("unknown PIN: %v", its[4]["error"])
		}
		if its[0]["id"] != own || its[2]["reference"] != "ORDER-7" {
			t.Fatalf("ids and references: %v", its)
		}
		for i, prefix := range map[int]string{1: "EE", 2: "CP"} {
			id, _ := its[i]["id"].(string)
			if _, err := postal.ParseS10(id); err != nil || !strings.HasPrefix(id, prefix) || !strings.HasSuffix(id, "IN") {
				t.Fatalf("allocated id %q: %v", id, err)
			}
		}
		// Each is priced by the tariff as a quote would be; the COD fee is
		// withheld later, not charged now.
		speed, fee := e.priceOf(key, bookItem(own))
		parcelPrice, _ := e.priceOf(key, parcel)
		total := 2*speed + parcelPrice
		if its[0]["price_paise"] != speed || its[0]["cod_fee_paise"] != fee || fee == 0 || its[2]["price_paise"] != parcelPrice ||
			res["total_paise"] != total || res["wallet_paise"] != 100_000-total {
			t.Fatalf("prices: %v (speed post %v, fee %v, parcel %v)", res, speed, fee, parcelPrice)
		}
		bid := res["id"].(string)
		if n := e.count(fmt.Sprintf("articles WHERE partner_id = '%s' AND booking_id = '%s' AND price_paise > 0 AND status = 'booked'", p, bid)); n != 3 {
			t.Fatalf("%d articles stored with partner, booking and price", n)
		}
		if n := e.count(fmt.Sprintf("wallet_entries WHERE partner_id = '%s' AND kind = 'booking' AND amount_paise = -%d", p, int(total))); n != 1 {
			t.Fatalf("%d debits", n)
		}
		testRepeat(t, e, key, own, speed)
		testBookingViews(t, e, key, otherKey, bid, its)
	})
}

// testRepeat: booking an id again with the same content is unchanged and
// free; with other content it is refused as a clash, as is another
// partner's booking of it.
func testRepeat(t *testing.T, e *env, key, own string, price float64) {
	t.Helper()
	r := e.do("POST", "/api/v1/bookings", key, map[string]any{"articles": []any{bookItem(own)}})
	if its := items(r, t); r.status != 201 || its[0]["status"] != "unchanged" || r.json(t)["total_paise"] != float64(0) || its[0]["price_paise"] != price {
		t.Fatalf("repeat: %d %s", r.status, r.body)
	}
	changed := bookItem(own)
	changed["weight_g"] = 900
	r = e.do("POST", "/api/v1/bookings", key, map[string]any{"articles": []any{changed}})
	if its := items(r, t); r.status != 201 || its[0]["status"] != "refused" || its[0]["error"].(map[string]any)["status"] != float64(409) {
		t.Fatalf("changed repeat: %d %s", r.status, r.body)
	}
}

// testBookingViews: the booking, its labels and its articles, to their
// partner only.
func testBookingViews(t *testing.T, e *env, key, otherKey, bid string, its []map[string]any) {
	t.Helper()
	r := e.do("GET", "/api/v1/bookings/"+bid, key, nil)
	if r.status != 200 {
		t.Fatalf("get booking: %d %s", r.status, r.body)
	}
	got := r.json(t)
	arts := got["articles"].([]any)
	if len(arts) != 3 || len(got["items"].([]any)) != 8 {
		t.Fatalf("booking view: %s", r.body)
	}
	ev := arts[0].(map[string]any)["events"].([]any)
	if len(ev) != 1 || ev[0].(map[string]any)["event"] != "booked" {
		t.Fatalf("events: %v", ev)
	}
	wantProblem(t, e.do("GET", "/api/v1/bookings/"+bid, otherKey, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/bookings/"+bid+"/labels.pdf", otherKey, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/bookings/nope", key, nil), 404)
	pdf := e.do("GET", "/api/v1/bookings/"+bid+"/labels.pdf", key, nil)
	if pdf.status != 200 || pdf.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(pdf.body), "%PDF-") {
		t.Fatalf("labels: %d %s", pdf.status, pdf.header)
	}
	if n := strings.Count(string(pdf.body), "/Type /Page\n"); n != 3 {
		t.Fatalf("%d label pages", n)
	}
	one := e.do("GET", "/api/v1/bookings/"+bid+"/labels.pdf?items="+its[1]["id"].(string), key, nil)
	if n := strings.Count(string(one.body), "/Type /Page\n"); one.status != 200 || n != 1 {
		t.Fatalf("one label: %d, %d pages", one.status, n)
	}
	wantProblem(t, e.do("GET", "/api/v1/bookings/"+bid+"/labels.pdf?items=RR287043775IN", key, nil), 400)
	// The partner's view of its article; another partner's key and a staff
	// member of another centre do not see it; its centre's staff do.
	id := its[0]["id"].(string)
	r = e.do("GET", "/api/v1/articles/"+id, key, nil)
	if r.status != 200 || r.json(t)["booking_id"] != bid || r.json(t)["status"] != "booked" {
		t.Fatalf("partner article: %d %s", r.status, r.body)
	}
	wantProblem(t, e.do("GET", "/api/v1/articles/"+id, otherKey, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/articles/"+id, e.newKey(partnerOfKey(t, e, key), "book"), nil), 403)
	wantProblem(t, e.do("GET", "/api/v1/articles/"+id, e.login("sup2"), nil), 404)
	if r := e.do("GET", "/api/v1/articles/"+id, e.login("sup1"), nil); r.status != 200 || r.json(t)["dc_id"] != "dc-one" {
		t.Fatalf("staff view: %d %s", r.status, r.body)
	}
}

// TestBookingWithQuote: a booking naming a quote charges the quoted price
// for the items the quote prices exactly, even after the partner's
// discount changed, and today's price for the others; an unknown quote, or
// another partner's, refuses the booking.
func TestBookingWithQuote(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		p, key := e.bookingPartner("Quote Co", 1_000_000)
		_, otherKey := e.bookingPartner("Other Quote Co", 1_000_000)
		it := bookItem("")
		r := e.do("POST", "/api/v1/quotes", key, map[string]any{"service": "speed_post", "weight_g": 700, "from_pin": "560034",
			"to_pin": "560034", "cod_paise": 49900})
		if r.status != 200 {
			t.Fatalf("quote: %d %s", r.status, r.body)
		}
		quote := r.json(t)
		if r := e.do("PATCH", "/api/v1/partners/"+p, e.login("admin"), map[string]any{"discount_bp": 2000}); r.status != 200 {
			t.Fatalf("discount: %d %s", r.status, r.body)
		}
		heavy := bookItem("")
		heavy["weight_g"] = 1700
		heavyPrice, _ := e.priceOf(key, heavy)
		body := map[string]any{"quote_id": quote["quote_id"], "articles": []any{it, heavy}}
		r = e.do("POST", "/api/v1/bookings", key, body)
		its := items(r, t)
		if r.status != 201 || its[0]["price_paise"] != quote["price_paise"] || its[1]["price_paise"] != heavyPrice {
			t.Fatalf("with a quote: %d %s (quoted %v, heavy %v)", r.status, r.body, quote["price_paise"], heavyPrice)
		}
		if fresh, _ := e.priceOf(key, it); fresh == quote["price_paise"] {
			t.Fatal("the discount did not change the price, so the test shows nothing")
		}
		got := e.do("GET", "/api/v1/bookings/"+r.json(t)["id"].(string), key, nil).json(t)
		if got["quote_id"] != quote["quote_id"] {
			t.Fatalf("booking's quote: %v", got["quote_id"])
		}
		wantProblem(t, e.do("POST", "/api/v1/bookings", otherKey, body), 404)
		body["quote_id"] = "no-such-quote"
		wantProblem(t, e.do("POST", "/api/v1/bookings", key, body), 404)
		if n := e.count("bookings"); n != 1 {
			t.Fatalf("%d bookings", n)
		}
	})
}

// partnerOfKey finds the partner a key belongs to by the key's visible
// prefix.
func partnerOfKey(t *testing.T, e *env, key string) string {
	t.Helper()
	var id string
	if err := e.db.QueryRowForTest(context.Background(), "SELECT partner_id FROM api_keys WHERE prefix = ?", key[:len("dk_live_")+6]).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
