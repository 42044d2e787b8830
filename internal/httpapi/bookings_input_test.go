package httpapi_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestBookingRefusals: bad requests as a whole are problems and store
// nothing: malformed JSON and CSV (400), the wrong media type (415), more
// than 1000 articles (413), no articles (400), staff tokens (401), a key
// without the book scope (403).
func TestBookingRefusals(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		p, key := e.bookingPartner("Refusals Ltd", 100_000)
		many := make([]any, 1001)
		for i := range many {
			many[i] = bookItem("")
		}
		csvHead := "service,name,phone,address,pin,weight_g\n"
		for name, c := range map[string]struct {
			body    any
			headers []string
			want    int
		}{
			"malformed JSON":   {`{"articles": [`, nil, 400},
			"not an object":    {`[{"service":"parcel"}]`, nil, 400},
			"unknown field":    {map[string]any{"articles": []any{bookItem("")}, "extra": 1}, nil, 400},
			"no articles":      {map[string]any{"articles": []any{}}, nil, 400},
			"articles missing": {map[string]any{"quote_id": "q"}, nil, 400},
			"1001 articles":    {map[string]any{"articles": many}, nil, 413},
			"trailing data":    {`{"articles":[]} {}`, nil, 400},
			"malformed CSV":    {csvHead + "parcel,\"Asha,98450 12345,x,560034,100\n", []string{"Content-Type", "text/csv"}, 400},
			"CSV bad header":   {"service,name,colour\nparcel,Asha,red\n", []string{"Content-Type", "text/csv"}, 400},
			"CSV header only":  {csvHead, []string{"Content-Type", "text/csv"}, 400},
			"CSV in Latin-1":   {csvHead, []string{"Content-Type", "text/csv; charset=iso-8859-1"}, 415},
			"XML":              {"<articles/>", []string{"Content-Type", "application/xml"}, 415},
		} {
			t.Run(name, func(t *testing.T) {
				wantProblem(t, e.do("POST", "/api/v1/bookings", key, c.body, c.headers...), c.want)
			})
		}
		wantProblem(t, e.do("POST", "/api/v1/bookings?quote_id=q1", key, map[string]any{"articles": []any{bookItem("")}}), 400)
		wantProblem(t, e.do("POST", "/api/v1/bookings", key, strings.Repeat(" ", 3<<20)), 413)
		wantProblem(t, e.do("POST", "/api/v1/bookings", e.login("sup1"), map[string]any{"articles": []any{bookItem("")}}), 401)
		wantProblem(t, e.do("POST", "/api/v1/bookings", "", map[string]any{"articles": []any{bookItem("")}}), 401)
		trackOnly := e.newKey(p, "track")
		wantProblem(t, e.do("POST", "/api/v1/bookings", trackOnly, map[string]any{"articles": []any{bookItem("")}}), 403)
		wantProblem(t, e.do("GET", "/api/v1/bookings/x", trackOnly, nil), 403)
		if n := e.count("articles") + e.count("bookings"); n != 0 {
			t.Fatalf("refused bookings stored %d rows", n)
		}
	})
}

// TestBookingCSV: a booking as CSV, its columns in any order, each row's
// refusal numbered as a spreadsheet shows it.
func TestBookingCSV(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, key := e.bookingPartner("CSV Co", 100_000)
		id := s10(t, "RR", 30000001)
		csv := "reference,id,service,name,phone,address,pin,weight_g,cod_paise,l_cm,b_cm,h_cm\n" +
			"A-1," + id + ",registered,Asha Rao,98450 12345,12 MG Road,560034,250,,,,\n" +
			"A-2,,parcel,Ravi,98450 12346,14 MG Road,560034,1200,150000,30,20,10\n" +
			"A-3,,parcel,Ravi,12,14 MG Road,560034,heavy,,,,\n" +
			"A-4,,parcel,Short row\n"
		r := e.do("POST", "/api/v1/bookings", key, csv, "Content-Type", "text/csv; charset=utf-8")
		if r.status != 201 {
			t.Fatalf("CSV booking: %d %s", r.status, r.body)
		}
		its := items(r, t)
		if len(its) != 4 || its[0]["status"] != "created" || its[0]["id"] != id || its[1]["status"] != "created" || its[1]["reference"] != "A-2" {
			t.Fatalf("CSV results: %s", r.body)
		}
		if its[2]["status"] != "refused" || its[2]["row"] != float64(4) || !strings.Contains(fmt.Sprint(its[2]["error"]), "weight_g") ||
			its[3]["status"] != "refused" || its[3]["row"] != float64(5) {
			t.Fatalf("CSV refusals: %v %v", its[2], its[3])
		}
		price, fee := e.priceOf(key, map[string]any{"service": "parcel", "weight_g": 1200, "cod_paise": 150000,
			"dims_cm": map[string]int{"l": 30, "b": 20, "h": 10}, "recipient": map[string]any{"pin": "560034"}})
		if its[1]["price_paise"] != price || its[1]["cod_fee_paise"] != fee {
			t.Fatalf("CSV prices: %v", its[1])
		}
		if n := e.count("articles"); n != 2 {
			t.Fatalf("%d articles", n)
		}
	})
}

// TestBookingIdempotency: the same Idempotency-Key with the same body
// replays the first answer (nothing booked twice, not even allocated ids);
// with another body it is 422.
func TestBookingIdempotency(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		p, key := e.bookingPartner("Retry Co", 100_000)
		idem := uuid.NewString()
		body := map[string]any{"articles": []any{bookItem(""), bookItem("")}}
		first := e.do("POST", "/api/v1/bookings", key, body, "Idempotency-Key", idem)
		if first.status != 201 {
			t.Fatalf("first: %d %s", first.status, first.body)
		}
		again := e.do("POST", "/api/v1/bookings", e.newKey(p, "book"), body, "Idempotency-Key", idem)
		if again.status != 201 || string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay: %d %s", again.status, again.body)
		}
		body["articles"] = []any{bookItem("")}
		wantProblem(t, e.do("POST", "/api/v1/bookings", key, body, "Idempotency-Key", idem), 422)
		wantProblem(t, e.do("POST", "/api/v1/bookings", key, body, "Idempotency-Key", "not-a-uuid"), 400)
		if n := e.count("articles"); n != 2 {
			t.Fatalf("%d articles after retries", n)
		}
		// Another partner's same key is its own.
		_, other := e.bookingPartner("Other Retry Co", 100_000)
		if r := e.do("POST", "/api/v1/bookings", other, body, "Idempotency-Key", idem); r.status != 201 || r.header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("another partner's key: %d %s", r.status, r.body)
		}
	})
}

// TestBookingConcurrency: concurrent bookings draw distinct ids from the
// partners' series, and a wallet that pays for one of two bookings pays
// for exactly one (402 for the other, which stores nothing).
func TestBookingConcurrency(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, keyA := e.bookingPartner("Series A", 10_000_000)
		_, keyB := e.bookingPartner("Series B", 10_000_000)
		batch := func(n int) map[string]any {
			arts := make([]any, n)
			for i := range arts {
				arts[i] = bookItem("")
				if i%2 == 1 {
					arts[i].(map[string]any)["service"] = "parcel"
				}
			}
			return map[string]any{"articles": arts}
		}
		var mu sync.Mutex
		seen := map[string]bool{}
		var wg sync.WaitGroup
		for w := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				key := []string{keyA, keyB}[w%2]
				r := e.do("POST", "/api/v1/bookings", key, batch(20))
				mu.Lock()
				defer mu.Unlock()
				if r.status != 201 {
					t.Errorf("booking %d: %d %s", w, r.status, r.body)
					return
				}
				for _, it := range items(r, t) {
					id, _ := it["id"].(string)
					if it["status"] != "created" || seen[id] {
						t.Errorf("id %q twice or not created: %v", id, it)
					}
					seen[id] = true
				}
			}()
		}
		wg.Wait()
		if len(seen) != 120 || e.count("articles") != 120 {
			t.Fatalf("%d distinct ids, %d articles", len(seen), e.count("articles"))
		}
		// Two bookings against a wallet that pays for one and a half.
		p, key := e.bookingPartner("Thin Wallet", 0)
		speed, _ := e.priceOf(key, batch(2)["articles"].([]any)[0].(map[string]any))
		parcel, _ := e.priceOf(key, batch(2)["articles"].([]any)[1].(map[string]any))
		cost := int64(5*speed + 5*parcel)
		if r := e.topUp(p, cost*3/2, "UTR-thin"); r.status != 201 {
			t.Fatalf("top up: %d %s", r.status, r.body)
		}
		codes := make(chan int, 2)
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes <- e.do("POST", "/api/v1/bookings", key, batch(10)).status
			}()
		}
		wg.Wait()
		close(codes)
		got := map[int]int{}
		for c := range codes {
			got[c]++
		}
		if got[201] != 1 || got[402] != 1 {
			t.Fatalf("statuses %v, want one 201 and one 402", got)
		}
		w := e.do("GET", "/api/v1/partners/"+p+"/wallet", key, nil).json(t)
		if w["balance_paise"] != float64(cost*3/2-cost) || e.count("articles WHERE partner_id = '"+p+"'") != 10 {
			t.Fatalf("after the race: %v", w)
		}
	})
}

// BenchmarkBook1000 times one booking of 1000 articles with allocated ids,
// on SQLite and PostgreSQL.
func BenchmarkBook1000(b *testing.B) {
	for name, open := range map[string]func(testing.TB) *store.DB{"sqlite": testkit.DB, "postgres": testkit.Postgres} {
		b.Run(name, func(b *testing.B) {
			e := newEnv(b, open(b))
			_, key := e.bookingPartner("Bench Co", 1_000_000_000)
			arts := make([]any, 1000)
			for i := range arts {
				arts[i] = bookItem("")
			}
			body := map[string]any{"articles": arts}
			for b.Loop() {
				if r := e.do("POST", "/api/v1/bookings", key, body); r.status != 201 {
					b.Fatalf("book: %d %.300s", r.status, r.body)
				}
			}
		})
	}
}

// TestBook1000: a key books 1000 articles in one request, each with an id
// of its own from the partner's series.
func TestBook1000(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		p, key := e.bookingPartner("Thousand Co", 0)
		price, _ := e.priceOf(key, bookItem(""))
		if r := e.topUp(p, int64(1000*price), "UTR-1000"); r.status != 201 {
			t.Fatalf("top up: %d %s", r.status, r.body)
		}
		arts := make([]any, 1000)
		for i := range arts {
			arts[i] = bookItem("")
			arts[i].(map[string]any)["reference"] = fmt.Sprintf("ORD-%04d", i)
		}
		r := e.do("POST", "/api/v1/bookings", key, map[string]any{"articles": arts})
		if r.status != 201 {
			t.Fatalf("book 1000: %d %.300s", r.status, r.body)
		}
		seen := map[string]bool{}
		for i, it := range items(r, t) {
			id, _ := it["id"].(string)
			if it["status"] != "created" || seen[id] || it["reference"] != fmt.Sprintf("ORD-%04d", i) {
				t.Fatalf("item %d: %v", i, it)
			}
			seen[id] = true
		}
		if n := e.count("articles WHERE partner_id = '" + p + "'"); n != 1000 || r.json(t)["wallet_paise"] != float64(0) {
			t.Fatalf("%d articles stored, wallet %v", n, r.json(t)["wallet_paise"])
		}
	})
}
