package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"dakiya/assets"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// uploadTariff posts a tariff CSV as the given token.
func (e *env) uploadTariff(token, version, from, csv string) resp {
	e.t.Helper()
	return e.do("POST", "/api/v1/tariffs?version="+version+"&effective_from="+from, token, csv, "Content-Type", "text/csv")
}

// flatTariff is a tariff pricing speed post's first slab at price in every
// zone, so a quote shows which version priced it.
func flatTariff(price int) string {
	var b strings.Builder
	b.WriteString("service,zone,first_g,first_paise,slab_g,additional_paise,max_weight_g,volumetric_divisor,cod,gst_bp\n")
	for _, z := range []string{"local", "within_state", "metro", "rest_of_india", "special"} {
		fmt.Fprintf(&b, "speed_post,%s,500,%d,500,1000,35000,5000,yes,0\n", z, price)
	}
	return b.String()
}

var speedPost = map[string]any{"service": "speed_post", "weight_g": 400, "from_pin": "560034", "to_pin": "110001"}

// quoteVersion asks for speedPost's quote and returns its tariff version
// and price.
func (e *env) quoteVersion(key string) (string, float64) {
	e.t.Helper()
	r := e.do("POST", "/api/v1/quotes", key, speedPost)
	if r.status != 200 {
		e.t.Fatalf("quote: %d %s", r.status, r.body)
	}
	q := r.json(e.t)
	return q["tariff_version"].(string), q["price_paise"].(float64)
}

// TestTariffDefaultAndQuote: a new server quotes from the default tariff
// (stored at first use), with the partner's discount, GST and the COD fee
// apart from the price; the quote is kept for its partner only, until it
// expires.
func TestTariffDefaultAndQuote(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.login("admin")
		r := e.do("POST", "/api/v1/partners", admin, map[string]any{"name": "Discounted", "billing_dc": "dc-one", "discount_bp": 1000})
		if r.status != 201 {
			t.Fatalf("partner: %d %s", r.status, r.body)
		}
		acme, other := r.json(t)["id"].(string), e.newPartner("Other", "dc-two")
		key, otherKey := e.newKey(acme, "book"), e.newKey(other, "book")
		r = e.do("POST", "/api/v1/quotes", key, map[string]any{"service": "speed_post", "weight_g": 1200,
			"from_pin": "560034", "to_pin": "110001", "cod_paise": 100000})
		if r.status != 200 {
			t.Fatalf("quote: %d %s", r.status, r.body)
		}
		q := r.json(t)
		// metro: ₹60 first 500 g + 2 × ₹35; 10 % off; 18 % GST on the rest.
		want := `[{"item":"freight","paise":13000},{"item":"contract_discount","paise":-1300},{"item":"gst","paise":2106}]`
		if got := string(mustJSON(t, q["breakdown"])); got != want || q["price_paise"] != 13806.0 || q["cod_fee_paise"] != 5000.0 ||
			q["zone"] != "metro" || q["chargeable_weight_g"] != 1200.0 || q["tariff_version"] != "default" {
			t.Fatalf("quote %s", r.body)
		}
		if q["valid_until"] != e.clock.Now().Add(24*time.Hour).Format(time.RFC3339) {
			t.Fatalf("valid_until %v", q["valid_until"])
		}
		id := q["quote_id"].(string)
		if n := e.count("quotes WHERE id = '" + id + "' AND partner_id = '" + acme + "' AND price_paise = 13806 AND cod_fee_paise = 5000"); n != 1 {
			t.Fatalf("stored quotes: %d", n)
		}
		ctx := context.Background()
		if got, err := e.deps.Tariffs.Stored(ctx, acme, id); err != nil || got.PricePaise != 13806 || got.Zone != "metro" || got.TariffVersion != "default" {
			t.Fatalf("stored: %+v %v", got, err)
		}
		if _, err := e.deps.Tariffs.Stored(ctx, other, id); !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("another partner's quote: %v", err)
		}
		if _, err := e.deps.Tariffs.Stored(ctx, acme, "no-such-quote"); !postal.IsCode(err, postal.CodeNotFound) {
			t.Fatalf("unknown quote: %v", err)
		}
		// The other partner pays list price.
		if _, price := e.quoteVersion(otherKey); price != 7080 { // ₹60 metro first slab + 18 %
			t.Fatalf("list price %v", price)
		}
		e.clock.Advance(24 * time.Hour)
		if _, err := e.deps.Tariffs.Stored(ctx, acme, id); !postal.IsCode(err, postal.CodeUnprocessable) {
			t.Fatalf("expired quote: %v", err)
		}
		// The default is listed, in force, and served as it was shipped.
		admin = e.login("admin") // the clock moved on
		r = e.do("GET", "/api/v1/tariffs", key, nil)
		if r.status != 200 || r.json(t)["in_force"] != "default" {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		r = e.do("GET", "/api/v1/tariffs/default", admin, nil, "Accept", "text/csv")
		if r.status != 200 || string(r.body) != string(assets.DefaultTariff()) || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %d %s", r.status, r.header)
		}
		r = e.do("GET", "/api/v1/tariffs/default", key, nil)
		if r.status != 200 || len(r.json(t)["rates"].([]any)) != 20 {
			t.Fatalf("json: %d %s", r.status, r.body)
		}
		wantProblem(t, e.do("GET", "/api/v1/tariffs/nope", admin, nil), 404)
	})
}

// mustJSON encodes v.
func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTariffVersions: the version in force is the one with the latest
// effective date on or before today in India; versions never change
// (replay 200, another body or date 409, a taken date 409).
func TestTariffVersions(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db) // 2026-11-25 10:00 IST
		admin := e.login("admin")
		key := e.newKey(e.newPartner("Acme", "dc-one"), "book")
		for _, up := range []struct {
			version, from string
			price         int
		}{{"2026-11", "2026-11-01", 10000}, {"2026-12", "2026-12-01", 20000}, {"2027-h1", "2027-01-01", 30000}} {
			r := e.uploadTariff(admin, up.version, up.from, flatTariff(up.price))
			if r.status != 201 || r.json(t)["version"] != up.version || r.json(t)["rows"] != 5.0 {
				t.Fatalf("upload %s: %d %s", up.version, r.status, r.body)
			}
		}
		// The first upload stored the default underneath it.
		if n := e.count("tariffs"); n != 4 {
			t.Fatalf("%d versions", n)
		}
		if v, price := e.quoteVersion(key); v != "2026-11" || price != 10000 {
			t.Fatalf("on 2026-11-25: %s %v", v, price)
		}
		// 2026-12-01 starts at 18:30 UTC the day before.
		e.clock.Set(time.Date(2026, 11, 30, 18, 29, 59, 0, time.UTC))
		if v, _ := e.quoteVersion(key); v != "2026-11" {
			t.Fatalf("a second before December in India: %s", v)
		}
		e.clock.Set(time.Date(2026, 11, 30, 18, 30, 0, 0, time.UTC))
		if v, _ := e.quoteVersion(key); v != "2026-12" {
			t.Fatalf("December in India: %s", v)
		}
		admin = e.login("admin") // the clock moved on
		r := e.do("GET", "/api/v1/tariffs", admin, nil)
		list := r.json(t)
		if list["in_force"] != "2026-12" || list["today"] != "2026-12-01" || len(list["items"].([]any)) != 4 ||
			list["items"].([]any)[0].(map[string]any)["version"] != "2027-h1" {
			t.Fatalf("list: %s", r.body)
		}
		// Replays and conflicts.
		if r := e.uploadTariff(admin, "2026-12", "2026-12-01", flatTariff(20000)); r.status != 200 || r.json(t)["version"] != "2026-12" {
			t.Fatalf("replay: %d %s", r.status, r.body)
		}
		wantProblem(t, e.uploadTariff(admin, "2026-12", "2026-12-01", flatTariff(20001)), 409)
		wantProblem(t, e.uploadTariff(admin, "2026-12", "2026-12-02", flatTariff(20000)), 409)
		wantProblem(t, e.uploadTariff(admin, "other", "2026-12-01", flatTariff(20000)), 409)
		if n := e.count("tariffs"); n != 4 {
			t.Fatalf("conflicts stored: %d versions", n)
		}
		if v, price := e.quoteVersion(key); v != "2026-12" || price != 20000 {
			t.Fatalf("after conflicts: %s %v", v, price)
		}
	})
}

// TestTariffRefusals: bad uploads and reads are refused and store nothing.
func TestTariffRefusals(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, sup1 := e.login("admin"), e.login("sup1")
		p := e.newPartner("Acme", "dc-one")
		book, track := e.newKey(p, "book"), e.newKey(p, "track")
		good := flatTariff(100)
		wantProblem(t, e.uploadTariff(sup1, "v1", "2026-12-01", good), 403)
		wantProblem(t, e.uploadTariff(book, "v1", "2026-12-01", good), 401)
		wantProblem(t, e.uploadTariff("", "v1", "2026-12-01", good), 401)
		wantProblem(t, e.do("POST", "/api/v1/tariffs?version=v1&effective_from=2026-12-01", admin, good), 415) // sent as JSON
		wantProblem(t, e.uploadTariff(admin, "v1", "2026-12-01", strings.Repeat("#"+strings.Repeat("x", 99)+"\n", 700)), 413)
		for _, q := range []string{"version=&effective_from=2026-12-01", "version=v1", "version=v1&effective_from=2026-13-01",
			"version=v1&effective_from=1-12-2026", "version=../x&effective_from=2026-12-01", "version=" + strings.Repeat("v", 41) + "&effective_from=2026-12-01"} {
			wantProblem(t, e.do("POST", "/api/v1/tariffs?"+q, admin, good, "Content-Type", "text/csv"), 400)
		}
		bad := strings.Replace(good, "speed_post,metro,500,100", "speed_post,metro,-500,abc", 1)
		pr := wantProblem(t, e.uploadTariff(admin, "v1", "2026-12-01", bad), 400)
		errs := fmt.Sprint(pr["errors"])
		if !strings.Contains(errs, "row 4: first_g") || !strings.Contains(errs, "row 4: first_paise") {
			t.Fatalf("errors %s", errs)
		}
		wantProblem(t, e.uploadTariff(admin, "v1", "2026-12-01", "service,zone\n"), 400)
		wantProblem(t, e.uploadTariff(admin, "v1", "2026-12-01", ""), 400)
		if n := e.count("tariffs WHERE version <> 'default'"); n != 0 {
			t.Fatalf("refusals stored %d versions", n)
		}
		// Reading: admins and keys with book only.
		wantProblem(t, e.do("GET", "/api/v1/tariffs", sup1, nil), 403)
		wantProblem(t, e.do("GET", "/api/v1/tariffs", track, nil), 403)
		wantProblem(t, e.do("GET", "/api/v1/tariffs/default", sup1, nil), 403)
		wantProblem(t, e.do("GET", "/api/v1/tariffs", "", nil), 401)
		if r := e.do("GET", "/api/v1/tariffs", book, nil); r.status != 200 {
			t.Fatalf("book key: %d %s", r.status, r.body)
		}
	})
}

// TestQuoteRefusals: quotes need a key with book; bad requests name their
// fields and store nothing.
func TestQuoteRefusals(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		p := e.newPartner("Acme", "dc-one")
		book, track := e.newKey(p, "book"), e.newKey(p, "track")
		wantProblem(t, e.do("POST", "/api/v1/quotes", track, speedPost), 403)
		wantProblem(t, e.do("POST", "/api/v1/quotes", e.login("admin"), speedPost), 401)
		wantProblem(t, e.do("POST", "/api/v1/quotes", "", speedPost), 401)
		wantProblem(t, e.do("POST", "/api/v1/quotes", book, "service=speed_post", "Content-Type", "text/plain"), 415)
		wantProblem(t, e.do("POST", "/api/v1/quotes", book, strings.Repeat(" ", 70<<10)), 413)
		for _, tt := range []struct {
			body  any
			field string
		}{
			{`{"service":`, ""},
			{map[string]any{"service": "speed_post", "weight_g": 400, "from_pin": "560034", "to_pin": "110001", "colour": "red"}, ""},
			{map[string]any{"service": "speed_post", "weight_g": 1.5, "from_pin": "560034", "to_pin": "110001"}, ""},
			{map[string]any{"service": "courier", "weight_g": 400, "from_pin": "560034", "to_pin": "110001"}, "service"},
			{map[string]any{"service": "speed_post", "weight_g": 0, "from_pin": "560034", "to_pin": "110001"}, "weight_g"},
			{map[string]any{"service": "speed_post", "weight_g": 35001, "from_pin": "560034", "to_pin": "110001"}, "weight_g"},
			{map[string]any{"service": "speed_post", "weight_g": 400, "from_pin": "56003", "to_pin": "110001"}, "from_pin"},
			{map[string]any{"service": "speed_post", "weight_g": 400, "from_pin": "560034", "to_pin": "999999"}, "to_pin"},
			{map[string]any{"service": "speed_post", "weight_g": 400, "from_pin": "560034", "to_pin": "110001", "dims_cm": map[string]int{"l": 0, "b": 10, "h": 10}}, "dims_cm.l"},
			{map[string]any{"service": "speed_post", "weight_g": 400, "from_pin": "560034", "to_pin": "110001", "dims_cm": map[string]int{"l": 10, "b": 10, "h": 1000}}, "dims_cm.h"},
			{map[string]any{"service": "speed_post", "weight_g": 400, "from_pin": "560034", "to_pin": "110001", "dims_cm": map[string]int{"l": 150, "b": 150, "h": 150}}, "dims_cm"},
			{map[string]any{"service": "speed_post", "weight_g": 400, "from_pin": "560034", "to_pin": "110001", "cod_paise": 5000001}, "cod_paise"},
			{map[string]any{"service": "letter", "weight_g": 20, "from_pin": "560034", "to_pin": "110001", "cod_paise": 10000}, "cod_paise"},
		} {
			pr := wantProblem(t, e.do("POST", "/api/v1/quotes", book, tt.body), 400)
			if tt.field != "" && !strings.Contains(fmt.Sprint(pr["errors"]), "field:"+tt.field+" ") {
				t.Fatalf("%v: errors %v, want %s", tt.body, pr["errors"], tt.field)
			}
		}
		if n := e.count("quotes"); n != 0 {
			t.Fatalf("refusals stored %d quotes", n)
		}
	})
}
