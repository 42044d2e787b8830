package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// listIDs returns the ids of every page of a list query, following next.
func listIDs(t *testing.T, e *env, token, query string) []string {
	t.Helper()
	var ids []string
	next := ""
	for pages := 0; pages < 20; pages++ {
		r := e.do("GET", "/api/v1/dcs/dc-one/articles?"+query+"&next="+url.QueryEscape(next), token, nil)
		if r.status != 200 {
			t.Fatalf("list %s: %d %s", query, r.status, r.body)
		}
		p := r.json(t)
		for _, it := range p["items"].([]any) {
			ids = append(ids, it.(map[string]any)["id"].(string))
		}
		if next, _ = p["next"].(string); next == "" {
			sort.Strings(ids)
			return ids
		}
	}
	t.Fatalf("list %s does not end", query)
	return nil
}

// bookNamed books one article for a recipient with this name and phone.
func bookNamed(t *testing.T, e *env, token, id, name, phone string) {
	t.Helper()
	it := item(id)
	rec := it["recipient"].(map[string]any)
	rec["name"], rec["phone"] = name, phone
	if r := e.do("POST", "/api/v1/dcs/dc-one/articles", token, it); r.status != 200 || !strings.Contains(string(r.body), id) {
		t.Fatalf("book %s: %d %s", id, r.status, r.body)
	}
}

func TestConsoleArticleSearch(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, sup2, post1 := e.login("sup1"), e.login("sup2"), e.login("post1")
		delivered := dispatchOne(t, e, sup1) // Meera Iyer, +919845012345
		if r := e.do("POST", "/api/v1/deliveries", post1, outcome(delivered, e.otpFor(delivered)),
			"Idempotency-Key", uuid.NewString()); r.status != 201 || !strings.Contains(string(r.body), "missing_proof") {
			t.Fatalf("deliver: %d %s", r.status, r.body)
		}
		meera, ravi, asha := s10(t, "RR", 50000001), s10(t, "CP", 50000002), s10(t, "RR", 50000003)
		bookNamed(t, e, sup1, meera, "Meera Krishnan", "98450 99999")
		bookNamed(t, e, sup1, ravi, "Ravi_Kumar", "+91 90000 00001")
		bookNamed(t, e, sup1, asha, "Asha 50%", "9000000002")
		cases := []struct{ query, want string }{
			{"q=" + strings.ToLower(delivered[:4]), delivered},
			{"q=" + ravi, ravi},
			{"q=%2B91+90000+00001", ravi},
			{"q=0900000-0002", asha},
			{"q=MEERA", strings.Join(sorted(delivered, meera), " ")},
			{"q=meera&limit=1", strings.Join(sorted(delivered, meera), " ")},
			{"q=meera&status=at_dc", meera},
			{"q=_", ravi},
			{"q=%25", asha},
			{"q=nobody", ""},
			{"flag=missing_proof", delivered},
			{"flag=far_from_address", ""},
			{"status=delivered&flag=missing_proof", delivered},
			{"beat=beat-a&q=rr", strings.Join(sorted(meera, asha), " ")},
		}
		for _, c := range cases {
			if got := strings.Join(listIDs(t, e, sup1, c.query), " "); got != c.want {
				t.Errorf("%s: got [%s], want [%s]", c.query, got, c.want)
			}
		}
		if got := listIDs(t, e, e.login("admin"), "q=ravi"); len(got) != 1 || got[0] != ravi {
			t.Errorf("admin search: %v", got)
		}
		for _, q := range []string{"q=+++", "q=" + strings.Repeat("a", 101), "flag=Bad-Flag", "flag=" + strings.Repeat("a", 33),
			"q=a%00", "next=" + url.QueryEscape("not base64!")} {
			wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/articles?"+q, sup1, nil), 400)
		}
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/articles?q=meera", post1, nil), 403)
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/articles?q=meera", sup2, nil), 404)
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/articles?q=meera", "", nil), 401)
	})
}

func sorted(ids ...string) []string {
	sort.Strings(ids)
	return ids
}

// csvRow is one data row of a bulk booking.
func csvRow(id, name string) string {
	return id + `,speed_post,` + name + `,98450 12345,"No. 14, 5th Cross, Koramangala",560034,12.9361,77.6212,49900,evening`
}

const csvHead = "id,service,name,phone,address,pin,lat,lon,cod_paise,slot_preference\n"

func TestCSVImport(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, sup2, post1 := e.login("sup1"), e.login("sup2"), e.login("post1")
		ok1, ok2, badPhone, badLat := s10(t, "EE", 60000001), s10(t, "EE", 60000002), s10(t, "EE", 60000003), s10(t, "EE", 60000004)
		body := csvHead + csvRow(ok1, "Meera Iyer") + "\n" +
			strings.Replace(csvRow(badPhone, "Ravi"), "98450 12345", "12345", 1) + "\n" +
			"EE123456789IN,speed_post,Asha,9845012345,Somewhere,560034,,,,\n" +
			strings.Replace(csvRow(badLat, "Asha"), "12.9361", "north", 1) + "\n" +
			ok2 + ",letter,Ravi Kumar,9000000001,\"Flat 2, \"\"Lake View\"\"\",560034,,,,\n" +
			"too,few\n"
		path := "/api/v1/dcs/dc-one/articles"
		r := e.do("POST", path, sup1, body, "Content-Type", "text/csv; charset=utf-8")
		if r.status != 200 {
			t.Fatalf("import: %d %s", r.status, r.body)
		}
		var res struct {
			Created, Unchanged []string
			Errors             []struct {
				Index, Row int
				ID         string
				Errors     []struct{ Field, Message string }
			}
		}
		if err := json.Unmarshal(r.body, &res); err != nil {
			t.Fatal(err)
		}
		if strings.Join(sorted(res.Created...), " ") != strings.Join(sorted(ok1, ok2), " ") || len(res.Errors) != 4 {
			t.Fatalf("import result: %s", r.body)
		}
		want := map[int]string{3: "recipient.phone", 4: "id", 5: "recipient.lat", 7: ""}
		for _, ie := range res.Errors {
			f, ok := want[ie.Row]
			if !ok || ie.Index != ie.Row-2 || len(ie.Errors) == 0 || ie.Errors[0].Field != f {
				t.Errorf("row error %+v, want rows %v", ie, want)
			}
		}
		d := e.do("GET", "/api/v1/articles/"+ok2, sup1, nil).json(t)
		if rec := d["recipient"].(map[string]any); rec["address"] != `Flat 2, "Lake View"` || rec["phone"] != "+919000000001" {
			t.Fatalf("quoted fields: %v", rec)
		}
		if r := e.do("POST", path, sup1, body, "Content-Type", "text/csv"); r.status != 200 ||
			!strings.Contains(string(r.body), `"unchanged":["`) || strings.Contains(string(r.body), `"created":["`) {
			t.Fatalf("same file again: %d %s", r.status, r.body)
		}
		before := e.count("articles")
		many := csvHead
		for i := range 1001 {
			many += csvRow(s10(t, "RR", 61000000+i), "Meera") + "\n"
		}
		for name, c := range map[string]struct {
			token, body string
			status      int
		}{
			"unterminated quote": {sup1, csvHead + csvRow(s10(t, "RR", 62000001), "Meera") + "\n" + `RR1,"open`, 400},
			"wrong header":       {sup1, "id,service,naam\n" + csvRow(s10(t, "RR", 62000001), "Meera") + "\n", 400},
			"missing column":     {sup1, "id,service,name,phone,address\nRR1,letter,A,9000000001,x\n", 400},
			"header only":        {sup1, csvHead, 400},
			"empty":              {sup1, "\n", 400},
			"over 1000 rows":     {sup1, many, 413},
			"postman":            {post1, csvHead + csvRow(s10(t, "RR", 62000001), "Meera") + "\n", 403},
			"other centre":       {sup2, csvHead + csvRow(s10(t, "RR", 62000001), "Meera") + "\n", 404},
		} {
			t.Run(name, func(t *testing.T) {
				wantProblem(t, e.do("POST", path, c.token, c.body, "Content-Type", "text/csv"), c.status)
			})
		}
		wantProblem(t, e.do("POST", path, sup1, body, "Content-Type", "text/plain"), 415)
		wantProblem(t, e.do("POST", path, sup1, csvHead+strings.Repeat(csvRow(ok1, "Meera")+"\n", 30000), "Content-Type", "text/csv"), 413)
		if n := e.count("articles"); n != before {
			t.Fatalf("refused imports stored %d articles", n-before)
		}
	})
}

// failedAt is a failed attempt at the door, captured at the given time.
func failedAt(id, at string) map[string]any {
	return map[string]any{"article_id": id, "outcome": "failed", "reason_code": "08", "proof_ids": []string{},
		"location": map[string]any{"lat": 12.9361, "lon": 77.6212, "accuracy_m": 8}, "captured_at": at}
}

func TestArticlePageHistory(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, sup2, post1 := e.login("sup1"), e.login("sup2"), e.login("post1")
		id := dispatchOne(t, e, sup1)
		if r := e.do("POST", "/api/v1/articles/"+id+"/events", sup1, map[string]any{"event": "held_at_counter"}); r.status != 200 {
			t.Fatalf("hold: %d %s", r.status, r.body)
		}
		if r := e.do("PUT", "/api/v1/articles/"+id+"/schedule", sup1, map[string]any{"date": "2026-11-26", "slot": "evening"}); r.status != 200 {
			t.Fatalf("reschedule: %d %s", r.status, r.body)
		}
		e.clock.Set(time.Date(2026, 11, 26, 4, 30, 0, 0, time.UTC))
		sup1, sup2, post1 = e.login("sup1"), e.login("sup2"), e.login("post1")
		r := e.do("POST", "/api/v1/dcs/dc-one/manifests", sup1, map[string]string{"date": "2026-11-26", "slot": "evening"})
		if r.status != 201 || !strings.Contains(string(r.body), `"manifests":[{`) {
			t.Fatalf("build again: %d %s", r.status, r.body)
		}
		mid := r.json(t)["manifests"].([]any)[0].(map[string]any)["id"].(string)
		if r := e.do("POST", "/api/v1/manifests/"+mid+"/dispatch", sup1, nil); r.status != 200 {
			t.Fatalf("dispatch again: %d %s", r.status, r.body)
		}
		if r := e.do("POST", "/api/v1/deliveries", post1, failedAt(id, "2026-11-26T10:00:00+05:30"),
			"Idempotency-Key", uuid.NewString()); r.status != 201 {
			t.Fatalf("attempt: %d %s", r.status, r.body)
		}
		for _, who := range []string{sup1, e.login("admin")} {
			page := e.do("GET", "/api/v1/articles/"+id, who, nil)
			var d struct {
				Status      string
				Assignments []struct {
					ID          string     `json:"id"`
					ManifestID  string     `json:"manifest_id"`
					PostmanID   string     `json:"postman_id"`
					PostmanName string     `json:"postman_name"`
					BeatID      string     `json:"beat_id"`
					Date        string     `json:"date"`
					Slot        string     `json:"slot"`
					EndedBy     string     `json:"ended_by"`
					EndedAt     *time.Time `json:"ended_at"`
				}
				Deliveries []map[string]any
				Events     []any
			}
			if err := json.Unmarshal(page.body, &d); err != nil || page.status != 200 {
				t.Fatalf("page: %d %s", page.status, page.body)
			}
			as := d.Assignments
			if d.Status != "attempted" || len(as) != 2 || as[0].Date != "2026-11-25" || as[0].EndedBy != "held" ||
				as[1].Date != "2026-11-26" || as[1].ManifestID != mid || as[1].EndedBy != "outcome" || as[1].EndedAt == nil {
				t.Fatalf("assignments: %s", page.body)
			}
			for _, a := range as {
				if a.ID == "" || a.PostmanName != "Post One" || a.BeatID != "beat-a" || a.Slot != "evening" || a.PostmanID == "" {
					t.Fatalf("assignment: %+v", a)
				}
			}
			if len(d.Deliveries) != 1 || d.Deliveries[0]["outcome"] != "failed" || d.Deliveries[0]["flags"] == nil ||
				d.Deliveries[0]["manifest_id"] != mid {
				t.Fatalf("deliveries: %s", page.body)
			}
		}
		page := e.do("GET", "/api/v1/articles/"+id, post1, nil)
		if page.status != 200 || strings.Contains(string(page.body), `"assignments"`) || strings.Contains(string(page.body), `"deliveries"`) {
			t.Fatalf("a postman's view of the article: %d %s", page.status, page.body)
		}
		wantProblem(t, e.do("GET", "/api/v1/articles/"+id, sup2, nil), 404)
		fresh := s10(t, "RR", 63000001)
		bookNamed(t, e, sup1, fresh, "Asha", "9000000002")
		if r := e.do("GET", "/api/v1/articles/"+fresh, sup1, nil); !strings.Contains(string(r.body), `"assignments":[]`) ||
			!strings.Contains(string(r.body), `"deliveries":[]`) {
			t.Fatalf("an article never out: %s", r.body)
		}
	})
}

// manual records a manual event on an article.
func manual(e *env, token, id, event, reason string) resp {
	body := map[string]any{"event": event}
	if reason != "" {
		body["reason_code"] = reason
	}
	return e.do("POST", "/api/v1/articles/"+id+"/events", token, body)
}

// lastEvent returns an article's latest public tracking event and its code.
func lastEvent(t *testing.T, e *env, id string) (string, string) {
	t.Helper()
	evs := e.do("GET", "/api/v1/track/"+id, "", nil).json(t)["events"].([]any)
	last := evs[len(evs)-1].(map[string]any)
	return last["event"].(string), last["code"].(string)
}

func TestHoldAndReturn(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, sup2, post1, admin := e.login("sup1"), e.login("sup2"), e.login("post1"), e.login("admin")
		ids := dispatchN(t, e, sup1, 3) // out_for_delivery
		delivered, attempted, returned := ids[0], ids[1], ids[2]
		wantProblem(t, manual(e, sup1, returned, "returned_to_sender", "09"), 409) // still on the street
		if r := e.do("POST", "/api/v1/deliveries", post1, outcome(delivered, e.otpFor(delivered)), "Idempotency-Key", uuid.NewString()); r.status != 201 {
			t.Fatalf("deliver: %d %s", r.status, r.body)
		}
		for _, id := range []string{attempted, returned} {
			if r := e.do("POST", "/api/v1/deliveries", post1, failedAt(id, "2026-11-25T10:00:00+05:30"), "Idempotency-Key", uuid.NewString()); r.status != 201 {
				t.Fatalf("attempt: %d %s", r.status, r.body)
			}
		}
		atDC, scheduled := s10(t, "RR", 64000001), s10(t, "RR", 64000002)
		bookNamed(t, e, sup1, atDC, "Asha", "9000000002")
		bookNamed(t, e, sup1, scheduled, "Ravi", "9000000001")
		if r := e.do("PUT", "/api/v1/articles/"+scheduled+"/schedule", sup1, map[string]any{"date": "2026-11-26", "slot": "morning"}); r.status != 200 {
			t.Fatalf("schedule: %d %s", r.status, r.body)
		}
		steps := []struct {
			token, id, event, reason, status string
		}{
			{sup1, attempted, "held_at_counter", "", "held"},
			{sup1, scheduled, "held_at_counter", "", "held"},
			{admin, returned, "returned_to_sender", "08", "returned"},
			{sup1, atDC, "returned_to_sender", "29", "returned"},
			{sup1, attempted, "returned_to_sender", "09", "returned"},
		}
		for _, s := range steps {
			r := manual(e, s.token, s.id, s.event, s.reason)
			if r.status != 200 || r.json(t)["status"] != s.status {
				t.Fatalf("%s from %s: %d %s", s.event, s.id, r.status, r.body)
			}
			if ev, code := lastEvent(t, e, s.id); ev != s.event || (s.event == "held_at_counter" && code != "EDH") {
				t.Fatalf("%s: last tracking event %s %q", s.id, ev, code)
			}
		}
		before := e.count("article_events")
		for _, c := range []struct {
			token, id, event, reason string
			status                   int
		}{
			{sup1, delivered, "held_at_counter", "", 409},
			{sup1, delivered, "returned_to_sender", "09", 409},
			{sup1, returned, "held_at_counter", "", 409},
			{sup1, scheduled, "held_at_counter", "", 409}, // already held
			{sup1, scheduled, "returned_to_sender", "", 400},
			{sup1, scheduled, "returned_to_sender", "04", 400},
			{post1, scheduled, "returned_to_sender", "09", 403},
			{sup2, scheduled, "returned_to_sender", "09", 404},
			{sup1, s10(t, "RR", 64999999), "held_at_counter", "", 404},
			{sup1, "RR123", "held_at_counter", "", 400},
		} {
			wantProblem(t, manual(e, c.token, c.id, c.event, c.reason), c.status)
		}
		path := "/api/v1/articles/" + scheduled + "/events"
		wantProblem(t, e.do("POST", path, sup1, map[string]any{"event": "returned_to_sender", "reason_code": "09", "note": strings.Repeat("x", 501)}), 400)
		wantProblem(t, e.do("POST", path, sup1, map[string]any{"event": "returned_to_sender", "reason_code": "09", "by": "me"}), 400)
		wantProblem(t, e.do("POST", path, sup1, `{"event":`), 400)
		wantProblem(t, e.do("POST", path, sup1, `{"event":"held_at_counter","note":"`+strings.Repeat("x", 70<<10)+`"}`), 413)
		if n := e.count("article_events"); n != before {
			t.Fatalf("refused events stored %d rows", n-before)
		}
	})
}

func TestChangeSlot(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, sup2, post1, admin := e.login("sup1"), e.login("sup2"), e.login("post1"), e.login("admin")
		cal := `{"windows":{"morning":{"start":"07:30","end":"11:00","cutoff_minutes":60},"evening":{"start":"17:00","end":"20:00","cutoff_minutes":120},` +
			`"sunday":{"start":"09:00","end":"13:00","cutoff_minutes":60}},"sunday_delivery":false,"holidays":["2026-11-27"],"capacity":{"morning":50,"evening":3,"sunday":40}}`
		if r := e.do("PUT", "/api/v1/dcs/dc-one/calendar", sup1, cal); r.status != 200 {
			t.Fatalf("calendar: %d %s", r.status, r.body)
		}
		one, two := s10(t, "RR", 65000001), s10(t, "RR", 65000002)
		bookNamed(t, e, sup1, one, "Asha", "9000000002")
		bookNamed(t, e, sup1, two, "Ravi", "9000000001")
		put := func(token, id string, body any) resp {
			return e.do("PUT", "/api/v1/articles/"+id+"/schedule", token, body)
		}
		evening := map[string]any{"date": "2026-11-26", "slot": "evening"} // room for one Speed Post article
		r := put(sup1, one, evening)
		if d := r.json(t); r.status != 200 || d["status"] != "scheduled" || fmt.Sprint(d["schedule"]) != "map[date:2026-11-26 slot:evening]" {
			t.Fatalf("change slot: %d %s", r.status, r.body)
		}
		if p := wantProblem(t, put(sup1, two, evening), 409); !strings.Contains(fmt.Sprint(p["detail"]), "full") {
			t.Fatalf("a full slot: %v", p)
		}
		if r := put(admin, one, map[string]any{"date": "2026-11-26", "slot": "morning"}); r.status != 200 {
			t.Fatalf("admin moves it: %d %s", r.status, r.body)
		}
		if r := put(sup1, two, evening); r.status != 200 { // the move freed the room
			t.Fatalf("after the move: %d %s", r.status, r.body)
		}
		before := e.count("article_events")
		for _, c := range []struct {
			token, id string
			body      any
			status    int
		}{
			{sup1, one, map[string]any{"date": "2026-11-25", "slot": "morning"}, 409}, // past its cut-off
			{sup1, one, map[string]any{"date": "2026-11-27", "slot": "morning"}, 400}, // a holiday
			{sup1, one, map[string]any{"date": "26-11-2026", "slot": "morning"}, 400},
			{sup1, one, map[string]any{"date": "2026-11-26", "slot": "noon"}, 400},
			{sup1, one, map[string]any{"date": "2026-11-26", "slot": "morning", "beat": "x"}, 400},
			{sup1, one, `{"date":`, 400},
			{post1, one, evening, 403},
			{sup2, one, evening, 404},
			{sup1, s10(t, "RR", 65999999), evening, 404},
		} {
			wantProblem(t, put(c.token, c.id, c.body), c.status)
		}
		if n := e.count("article_events"); n != before {
			t.Fatalf("refused changes stored %d events", n-before)
		}
	})
}
