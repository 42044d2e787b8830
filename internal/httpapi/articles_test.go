package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

func s10(t testing.TB, prefix string, serial int) string {
	t.Helper()
	id, err := postal.NewS10(prefix, serial, "IN")
	if err != nil {
		t.Fatal(err)
	}
	return string(id)
}

func item(id string) map[string]any {
	return map[string]any{
		"id": id, "service": "speed_post", "cod_paise": 49900, "slot_preference": "evening",
		"recipient": map[string]any{"name": "Meera Iyer", "phone": "98450 12345", "address": "No. 14, 5th Cross, Koramangala",
			"pin": "560034", "lat": 12.9361, "lon": 77.6212},
	}
}

func TestArticlesAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, sup2, post1 := e.login("sup1"), e.login("sup2"), e.login("post1")
		id1, id2 := s10(t, "EE", 10000001), s10(t, "RR", 10000002)

		r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, item(id1))
		if r.status != 200 || fmt.Sprint(r.json(t)["created"]) != "["+id1+"]" {
			t.Fatalf("create one: %d %s", r.status, r.body)
		}
		bad := item(s10(t, "EE", 10000003))
		bad["id"] = "EE123456789IN"
		other := item(id2)
		other["service"] = "registered"
		changed := item(id1)
		changed["cod_paise"] = 100
		batch := []any{item(id1), bad, other, map[string]any{"id": id2, "bogus": 1}, changed, "not an object"}
		r = e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, batch)
		if r.status != 200 {
			t.Fatalf("batch: %d %s", r.status, r.body)
		}
		var res struct {
			Created, Unchanged []string
			Errors             []struct {
				Index  int
				ID     string
				Errors []postal.FieldError
			}
		}
		if err := json.Unmarshal(r.body, &res); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(res.Created) != "["+id2+"]" || fmt.Sprint(res.Unchanged) != "["+id1+"]" || len(res.Errors) != 4 {
			t.Fatalf("batch result: %s", r.body)
		}
		wantIndex := map[int]string{1: "check digit", 3: "unknown field", 4: "twice in this batch", 5: "malformed"}
		for _, ie := range res.Errors {
			if !strings.Contains(fmt.Sprint(ie.Errors), wantIndex[ie.Index]) {
				t.Errorf("item %d: %v, want %q", ie.Index, ie.Errors, wantIndex[ie.Index])
			}
		}

		r = e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, changed)
		if r.status != 200 || !strings.Contains(string(r.body), "already booked with different content") || strings.Contains(string(r.body), `"created":["`) {
			t.Fatalf("rebooking with other content: %d %s", r.status, r.body)
		}

		d := e.do("GET", "/api/v1/articles/"+id1, sup1, nil)
		if d.status != 200 {
			t.Fatalf("get: %d %s", d.status, d.body)
		}
		art := d.json(t)
		rec := art["recipient"].(map[string]any)
		if art["status"] != "at_dc" || art["digipin"] == "" || art["beat_id"] != "beat-a" || rec["phone"] != "+919845012345" ||
			art["cod_paise"].(float64) != 49900 || len(art["events"].([]any)) != 2 {
			t.Fatalf("article: %s", d.body)
		}
		if e.do("GET", "/api/v1/articles/"+strings.ToLower(id1), post1, nil).status != 200 {
			t.Fatal("a postman of the centre cannot see its article")
		}
		wantProblem(t, e.do("GET", "/api/v1/articles/"+id1, sup2, nil), 404)
		wantProblem(t, e.do("GET", "/api/v1/articles/"+s10(t, "EE", 99999999), sup1, nil), 404)
		wantProblem(t, e.do("GET", "/api/v1/articles/EE123456789IN", sup1, nil), 400)

		tr := e.do("GET", "/api/v1/track/"+id1, "", nil)
		if tr.status != 200 {
			t.Fatalf("track: %d %s", tr.status, tr.body)
		}
		for _, pii := range []string{"Meera", "98450", "Cross", "560034", "12.93", "recipient", "cod_paise"} {
			if strings.Contains(string(tr.body), pii) {
				t.Fatalf("public tracking shows %q: %s", pii, tr.body)
			}
		}
		evs := tr.json(t)["events"].([]any)
		first := evs[0].(map[string]any)
		if len(evs) != 2 || first["event"] != "booked" || first["code"] != "EMA" || first["place"] != "Koramangala DC" ||
			!strings.HasSuffix(first["at"].(string), "+05:30") {
			t.Fatalf("tracking events: %s", tr.body)
		}
		wantProblem(t, e.do("GET", "/api/v1/track/EE123456789IN", "", nil), 400)
		wantProblem(t, e.do("GET", "/api/v1/track/not-an-id", "", nil), 400)
		wantProblem(t, e.do("GET", "/api/v1/track/"+s10(t, "EE", 99999999), "", nil), 404)

		testEvents(t, e, sup1, post1, sup2, id1)
	})
}

func testEvents(t *testing.T, e *env, sup1, post1, sup2, id string) {
	t.Helper()
	path := "/api/v1/articles/" + id + "/events"
	wantProblem(t, e.do("POST", path, post1, map[string]any{"event": "held_at_counter"}), 403)
	wantProblem(t, e.do("POST", path, sup2, map[string]any{"event": "held_at_counter"}), 404)
	wantProblem(t, e.do("POST", path, sup1, map[string]any{"event": "delivered"}), 400)
	wantProblem(t, e.do("POST", path, sup1, map[string]any{"event": "returned_to_sender"}), 400)
	wantProblem(t, e.do("POST", path, sup1, map[string]any{"event": "received_at_dc"}), 409)
	r := e.do("POST", path, sup1, map[string]any{"event": "held_at_counter", "note": "recipient asked"})
	if r.status != 200 || r.json(t)["status"] != "held" {
		t.Fatalf("hold: %d %s", r.status, r.body)
	}
	r = e.do("POST", path, sup1, map[string]any{"event": "returned_to_sender", "reason_code": "09"})
	if r.status != 200 || r.json(t)["status"] != "returned" {
		t.Fatalf("return: %d %s", r.status, r.body)
	}
	wantProblem(t, e.do("POST", path, sup1, map[string]any{"event": "held_at_counter"}), 409)
	if n := len(e.do("GET", "/api/v1/track/"+id, "", nil).json(t)["events"].([]any)); n != 4 {
		t.Fatalf("events after hold and return = %d, want 4", n)
	}
}

func TestArticlesAPIBadInput(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	sup1, post1, sup2 := e.login("sup1"), e.login("post1"), e.login("sup2")
	tooMany := make([]any, 1001)
	for i := range tooMany {
		tooMany[i] = item(s10(t, "EE", 20000000+i))
	}
	huge := `[` + strings.Repeat(`{"id":"EE000000000IN"},`, 110000) + `{}]`
	cases := []struct {
		name, token, dc string
		body            any
		status          int
	}{
		{"no token", "", "dc-one", item(s10(t, "EE", 1)), 401},
		{"postman", post1, "dc-one", item(s10(t, "EE", 1)), 403},
		{"other centre", sup2, "dc-one", item(s10(t, "EE", 1)), 404},
		{"unknown centre", sup1, "dc-nine", item(s10(t, "EE", 1)), 404},
		{"malformed", sup1, "dc-one", `[{"id":`, 400},
		{"scalar", sup1, "dc-one", `42`, 400},
		{"empty array", sup1, "dc-one", `[]`, 400},
		{"over 1000", sup1, "dc-one", tooMany, 400},
		{"over 2 MiB", sup1, "dc-one", huge, 413},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, e.do("POST", "/api/v1/dcs/"+c.dc+"/articles", c.token, c.body), c.status)
		})
	}
	if n := e.count("articles"); n != 0 {
		t.Fatalf("refused requests stored %d articles", n)
	}
	fields := []struct{ name, field string }{
		{"service", "service"}, {"phone", "recipient.phone"}, {"pin", "recipient.pin"}, {"lat only", "recipient.lat"},
		{"outside India", "recipient.lat"}, {"negative cod", "cod_paise"}, {"huge cod", "cod_paise"}, {"slot", "slot_preference"},
		{"name", "recipient.name"},
	}
	for i, f := range fields {
		t.Run("field "+f.name, func(t *testing.T) {
			in := item(s10(t, "EE", 30000000+i))
			rec := in["recipient"].(map[string]any)
			switch f.name {
			case "service":
				in["service"] = "pigeon"
			case "phone":
				rec["phone"] = "12345"
			case "pin":
				rec["pin"] = "012345"
			case "lat only":
				delete(rec, "lon")
			case "outside India":
				rec["lat"], rec["lon"] = 51.5, -0.12
			case "negative cod":
				in["cod_paise"] = -1
			case "huge cod":
				in["cod_paise"] = 5000001
			case "slot":
				in["slot_preference"] = "midnight"
			case "name":
				rec["name"] = "   "
			}
			r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, in)
			if r.status != 200 || !strings.Contains(string(r.body), `"field":"`+f.field+`"`) {
				t.Fatalf("%d %s, want an item error on %s", r.status, r.body, f.field)
			}
		})
	}
	if n := e.count("articles"); n != 0 {
		t.Fatalf("invalid items stored %d articles", n)
	}
}

func TestListArticlesAPI(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	sup1, sup2 := e.login("sup1"), e.login("sup2")
	var batch []any
	for i := range 25 {
		batch = append(batch, item(s10(t, "RR", 40000000+i)))
	}
	if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, batch); r.status != 200 {
		t.Fatal(r.status, string(r.body))
	}
	seen := map[string]bool{}
	next := ""
	for pages := 0; ; pages++ {
		r := e.do("GET", "/api/v1/dcs/dc-one/articles?status=at_dc&beat=beat-a&limit=10&next="+next, sup1, nil)
		if r.status != 200 {
			t.Fatal(r.status, string(r.body))
		}
		p := r.json(t)
		for _, it := range p["items"].([]any) {
			seen[it.(map[string]any)["id"].(string)] = true
		}
		n, _ := p["next"].(string)
		if n == "" {
			break
		}
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		next = n
	}
	if len(seen) != 25 {
		t.Fatalf("pages held %d distinct articles, want 25", len(seen))
	}
	if r := e.do("GET", "/api/v1/dcs/dc-one/articles?status=delivered", sup1, nil); len(r.json(t)["items"].([]any)) != 0 {
		t.Fatalf("status filter: %s", r.body)
	}
	for _, q := range []string{"status=lost", "date=2026-13-01", "slot=noon", "limit=0", "limit=1001", "limit=x", "next=@@@"} {
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/articles?"+q, sup1, nil), 400)
	}
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/articles", sup2, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-nine/articles", e.login("admin"), nil), 404)
}

func TestBatchItemMessages(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	sup1 := e.login("sup1")
	r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1,
		`[{"id":"EE123456785IN","cod_paise":"ten"}, {"recipient":"x"}, 7, {"id":"EE123456785IN","extra":1}]`)
	body := string(r.body)
	for _, want := range []string{`field \"cod_paise\" must be a number`, `field \"recipient\" must be an object`,
		`must be an object`, `unknown field \"extra\"`} {
		if !strings.Contains(body, want) {
			t.Errorf("batch errors lack %s: %s", want, body)
		}
	}
	for _, leak := range []string{"int64", "Go struct", "article.Input", "json:"} {
		if strings.Contains(body, leak) {
			t.Errorf("batch errors leak %q: %s", leak, body)
		}
	}
}
