package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

var tokenInSMS = regexp.MustCompile(`/slot/([A-Za-z0-9_.-]+)`)

// slotLink reads the slot link the recipient got by SMS.
func (e *env) slotLink(phone string) string {
	e.t.Helper()
	r := e.do("GET", "/api/v1/dev/sms?phone="+phone, "", nil)
	m := tokenInSMS.FindStringSubmatch(string(r.body))
	if r.status != 200 || m == nil {
		e.t.Fatalf("no slot link in the outbox for %s: %d %s", phone, r.status, r.body)
	}
	return m[1]
}

func TestSlotChoiceAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db) // 10:00 in India: the morning is closed, the evening open
		sup1 := e.login("sup1")
		id := s10(t, "EE", 11000001)
		if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, item(id)); r.status != 200 {
			t.Fatal(r.status, string(r.body))
		}
		if r := e.do("GET", "/api/v1/dev/sms?phone=%2B919000000001", "", nil); r.status != 200 || strings.TrimSpace(string(r.body)) != `{"messages":[]}` {
			t.Fatalf("outbox of a phone with no messages: %s", r.body)
		}
		wantProblem(t, e.do("GET", "/api/v1/dev/sms?phone=12", "", nil), 400)
		tok := e.slotLink("%2B919845012345")
		v := e.do("GET", "/api/v1/slot-choice/"+tok, "", nil)
		if v.status != 200 || strings.Contains(string(v.body), "Meera") || !strings.Contains(string(v.body), `"slot":"evening"`) ||
			strings.Contains(string(v.body), `"date":"2026-11-25","slot":"morning"`) {
			t.Fatalf("choice view: %d %s", v.status, v.body)
		}
		r := e.do("POST", "/api/v1/slot-choice/"+tok, "", map[string]string{"date": "2026-11-25", "slot": "evening"})
		if r.status != 200 || !strings.Contains(string(r.body), `"current":{"date":"2026-11-25","slot":"evening"}`) {
			t.Fatalf("choose: %d %s", r.status, r.body)
		}
		wantProblem(t, e.do("POST", "/api/v1/slot-choice/"+tok, "", map[string]string{"date": "2026-11-25", "slot": "morning"}), 409)
		wantProblem(t, e.do("POST", "/api/v1/slot-choice/"+tok, "", map[string]string{"date": "2026-11-25", "slot": "sunday"}), 400)
		wantProblem(t, e.do("POST", "/api/v1/slot-choice/"+tok, "", `{"date":"2026-11-26"}`), 400)
		wantProblem(t, e.do("POST", "/api/v1/slot-choice/"+tok, "", `{"date":`), 400)
		wantProblem(t, e.do("GET", "/api/v1/slot-choice/"+tok[:len(tok)-2]+"xx", "", nil), 404)
		wantProblem(t, e.do("GET", "/api/v1/slot-choice/garbage", "", nil), 404)
		if p := e.do("GET", "/slot/"+tok, "", nil); p.status != 200 || !strings.Contains(string(p.body), `src="/slot.js"`) ||
			p.header.Get("Referrer-Policy") != "no-referrer" || p.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("slot page: %d %v", p.status, p.header)
		}
		e.clock.Advance(7*24*time.Hour + time.Minute)
		wantProblem(t, e.do("GET", "/api/v1/slot-choice/"+tok, "", nil), 404)
	})
}

func TestCalendarAndSlotsAPI(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	sup1, post1, sup2 := e.login("sup1"), e.login("post1"), e.login("sup2")
	r := e.do("GET", "/api/v1/dcs/dc-one/slots?from=2026-11-28&days=2", post1, nil)
	if r.status != 200 || !strings.Contains(string(r.body), `"date":"2026-11-29","slot":"sunday","start":"2026-11-29T09:00:00+05:30"`) {
		t.Fatalf("slots: %d %s", r.status, r.body)
	}
	for _, q := range []string{"days=0", "days=63", "days=x", "from=28-11-2026"} {
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/slots?"+q, sup1, nil), 400)
	}
	wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/slots", sup2, nil), 404)
	cal := e.do("GET", "/api/v1/dcs/dc-one/calendar", sup1, nil)
	if cal.status != 200 || !strings.Contains(string(cal.body), `"time_zone":"Asia/Kolkata"`) {
		t.Fatalf("calendar: %d %s", cal.status, cal.body)
	}
	good := `{"windows":{"morning":{"start":"07:30","end":"11:00","cutoff_minutes":60},"evening":{"start":"17:00","end":"20:00","cutoff_minutes":120},` +
		`"sunday":{"start":"09:00","end":"13:00","cutoff_minutes":60}},"sunday_delivery":false,"holidays":["2026-11-27"],"capacity":{"morning":50,"evening":40,"sunday":40}}`
	wantProblem(t, e.do("PUT", "/api/v1/dcs/dc-one/calendar", post1, good), 403)
	wantProblem(t, e.do("PUT", "/api/v1/dcs/dc-one/calendar", sup2, good), 404)
	for _, bad := range []string{`{"windows":{"morning":{"start":"11:00","end":"07:00"}}}`, `{"holidays":["someday"]}`,
		`{"capacity":{"morning":0,"evening":1,"sunday":1}}`, `{"shifts":[]}`, `{`} {
		wantProblem(t, e.do("PUT", "/api/v1/dcs/dc-one/calendar", sup1, bad), 400)
	}
	wantProblem(t, e.do("PUT", "/api/v1/dcs/dc-one/calendar", sup1, strings.Replace(good, `{"windows"`, `{"time_zone":"Europe/London","windows"`, 1)), 400)
	wantProblem(t, e.do("PUT", "/api/v1/dcs/dc-one/calendar", sup1, strings.Replace(good, `{"windows"`, `{"dc_id":"dc-two","windows"`, 1)), 400)
	if r := e.do("GET", "/api/v1/dcs/dc-one/calendar", sup1, nil); strings.Contains(string(r.body), "07:30") {
		t.Fatal("a refused calendar was stored")
	}
	if r := e.do("PUT", "/api/v1/dcs/dc-one/calendar", sup1, good); r.status != 200 {
		t.Fatalf("put calendar: %d %s", r.status, r.body)
	}
	// What GET returns can be sent back as it is.
	back := e.do("GET", "/api/v1/dcs/dc-one/calendar", sup1, nil)
	if r := e.do("PUT", "/api/v1/dcs/dc-one/calendar", sup1, back.body); r.status != 200 || string(r.body) != string(back.body) {
		t.Fatalf("round trip: %d %s", r.status, r.body)
	}
	r = e.do("GET", "/api/v1/dcs/dc-one/slots?from=2026-11-27&days=3", sup1, nil)
	if strings.Contains(string(r.body), "sunday") || strings.Count(string(r.body), `"slot"`) != 2 {
		t.Fatalf("slots without Sunday delivery and with a holiday: %s", r.body)
	}
}

func TestManifestAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1, post2, sup2 := e.login("sup1"), e.login("post1"), e.login("post2"), e.login("sup2")
		var batch []any
		for i := range 5 {
			it := item(s10(t, "RR", 12000001+i))
			it["recipient"].(map[string]any)["lon"] = 77.6212 + float64(i)*0.001
			it["recipient"].(map[string]any)["address"] = "House " + string(rune('A'+i))
			batch = append(batch, it)
		}
		if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, batch); r.status != 200 {
			t.Fatal(r.status, string(r.body))
		}
		wantProblem(t, e.do("POST", "/api/v1/dcs/dc-one/schedule", post1, nil), 403)
		if r := e.do("POST", "/api/v1/dcs/dc-one/schedule", sup1, nil); r.status != 200 || strings.Count(string(r.body), `"slot":"evening"`) != 5 {
			t.Fatalf("schedule: %d %s", r.status, r.body)
		}
		build := map[string]string{"date": "2026-11-25", "slot": "evening"}
		wantProblem(t, e.do("POST", "/api/v1/dcs/dc-one/manifests", post1, build), 403)
		wantProblem(t, e.do("POST", "/api/v1/dcs/dc-one/manifests", sup2, build), 404)
		wantProblem(t, e.do("POST", "/api/v1/dcs/dc-one/manifests", sup1, map[string]string{"slot": "evening"}), 400)
		wantProblem(t, e.do("POST", "/api/v1/dcs/dc-one/manifests", sup1, map[string]string{"date": "2026-11-25", "slot": "noon"}), 400)
		wantProblem(t, e.do("POST", "/api/v1/dcs/dc-one/manifests", sup1, `{"date":"2026-11-25","slot":"evening","x":1}`), 400)
		r := e.do("POST", "/api/v1/dcs/dc-one/manifests", sup1, build)
		if r.status != 201 {
			t.Fatalf("build: %d %s", r.status, r.body)
		}
		id := r.json(t)["manifests"].([]any)[0].(map[string]any)["id"].(string)
		path := "/api/v1/manifests/" + id
		wantProblem(t, e.do("GET", path, post1, nil), 404) // a draft is not on the phone yet
		wantProblem(t, e.do("POST", path+"/dispatch", post1, nil), 403)
		wantProblem(t, e.do("POST", path+"/dispatch", sup2, nil), 404)
		if r := e.do("POST", path+"/dispatch", sup1, nil); r.status != 200 || r.json(t)["status"] != "dispatched" {
			t.Fatalf("dispatch: %d %s", r.status, r.body)
		}
		testPostmanView(t, e, path, post1, post2, sup1)
	})
}

func testPostmanView(t *testing.T, e *env, path, post1, post2, sup1 string) {
	t.Helper()
	m := e.do("GET", path, post1, nil, "Accept-Encoding", "identity")
	etag := m.header.Get("ETag")
	if m.status != 200 || !strings.HasPrefix(etag, `"`) || strings.Count(string(m.body), `"seq"`) != 5 {
		t.Fatalf("postman's manifest: %d %q %s", m.status, etag, m.body)
	}
	again := e.do("GET", path, post1, nil, "If-None-Match", etag)
	if again.status != 304 || len(again.body) != 0 {
		t.Fatalf("repeat with If-None-Match: %d %d bytes", again.status, len(again.body))
	}
	if r := e.do("GET", path, post1, nil, "If-None-Match", `"stale"`); r.status != 200 {
		t.Fatalf("stale ETag: %d", r.status)
	}
	gz := e.do("GET", path, post1, nil, "Accept-Encoding", "gzip")
	if gz.header.Get("Content-Encoding") != "gzip" || len(gz.body) >= len(m.body) || gz.header.Get("ETag") == etag {
		t.Fatalf("gzip: %v, %d bytes vs %d, etag %s", gz.header.Get("Content-Encoding"), len(gz.body), len(m.body), gz.header.Get("ETag"))
	}
	if r := e.do("GET", path, post1, nil, "Accept-Encoding", "gzip", "If-None-Match", gz.header.Get("ETag")); r.status != 304 {
		t.Fatalf("repeat of the gzipped version: %d", r.status)
	}
	wantProblem(t, e.do("GET", path, post2, nil), 404)
	wantProblem(t, e.do("GET", "/api/v1/manifests/nope", post1, nil), 404)
	mine := e.do("GET", "/api/v1/me/manifests?date=2026-11-25&slot=evening", post1, nil)
	if mine.status != 200 || strings.Count(string(mine.body), `"id"`) != 1 {
		t.Fatalf("my manifests: %d %s", mine.status, mine.body)
	}
	wantProblem(t, e.do("GET", "/api/v1/me/manifests", sup1, nil), 403)
	wantProblem(t, e.do("GET", "/api/v1/me/manifests?date=soon", post1, nil), 400)
	first := strings.SplitN(strings.SplitN(string(m.body), `"articles":[{"id":"`, 2)[1], `"`, 2)[0]
	wantProblem(t, e.do("POST", path+"/amend", sup1, map[string]any{"remove": []string{"EE123456789IN"}}), 400)
	wantProblem(t, e.do("POST", path+"/amend", post1, map[string]any{"remove": []string{first}}), 403)
	if r := e.do("POST", path+"/amend", sup1, map[string]any{"remove": []string{first}}); r.status != 200 || r.json(t)["version"].(float64) != 2 {
		t.Fatalf("amend: %d %s", r.status, r.body)
	}
	if r := e.do("GET", path, post1, nil, "If-None-Match", etag); r.status != 200 || strings.Count(string(r.body), `"seq"`) != 4 {
		t.Fatalf("after the amendment the phone must get the new version: %d", r.status)
	}
	testTakenOff(t, e, first, post1, post2)
	list := e.do("GET", "/api/v1/dcs/dc-one/manifests?date=2026-11-25", sup1, nil)
	if list.status != 200 || !strings.Contains(string(list.body), `"version":2`) {
		t.Fatalf("centre's manifests: %d %s", list.status, list.body)
	}
	testManifestPages(t, e, sup1)
}

// testManifestPages walks the centre's manifests one to a page over HTTP
// and has bad cursors and limits refused with a problem.
func testManifestPages(t *testing.T, e *env, sup1 string) {
	t.Helper()
	seen, next, pages := map[string]bool{}, "", 0
	for ; ; pages++ {
		r := e.do("GET", "/api/v1/dcs/dc-one/manifests?limit=1&next="+url.QueryEscape(next), sup1, nil)
		var page struct {
			Items []struct{ ID string } `json:"items"`
			Next  string                `json:"next"`
		}
		if r.status != 200 || json.Unmarshal(r.body, &page) != nil || len(page.Items) > 1 || pages > 10 {
			t.Fatalf("page %d: %d %s", pages, r.status, r.body)
		}
		for _, m := range page.Items {
			if seen[m.ID] {
				t.Fatalf("manifest %s twice", m.ID)
			}
			seen[m.ID] = true
		}
		if next = page.Next; next == "" {
			break
		}
	}
	if len(seen) < 1 || pages < 1 { // a full page of one, then the (empty) rest
		t.Fatalf("walked %d manifests in %d pages", len(seen), pages+1)
	}
	for _, q := range []string{"next=not-a-cursor!", "next=" + base64.RawURLEncoding.EncodeToString([]byte("m1|x|y|z|w")),
		"limit=0", "limit=1001", "limit=ten"} {
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/manifests?"+q, sup1, nil), 400)
	}
}

// testTakenOff: an outcome for an article a supervisor took off the
// manifest is not found, and only its former custodian is told why and
// when (problem members reason, at, time_zone).
func testTakenOff(t *testing.T, e *env, id, post1, post2 string) {
	t.Helper()
	body := map[string]any{"article_id": id, "outcome": "failed", "reason_code": "01", "proof_ids": []string{},
		"captured_at": "2026-11-25T18:00:00+05:30"}
	p := wantProblem(t, e.do("POST", "/api/v1/deliveries", post1, body, "Idempotency-Key", uuid.NewString()), 404)
	at, err := time.Parse(time.RFC3339, fmt.Sprint(p["at"]))
	if p["reason"] != "removed" || err != nil || at.IsZero() || p["time_zone"] != "Asia/Kolkata" {
		t.Errorf("the former custodian is told %v; want reason removed, at (RFC 3339) and the centre's zone", p)
	}
	p = wantProblem(t, e.do("POST", "/api/v1/deliveries", post2, body, "Idempotency-Key", uuid.NewString()), 404)
	if _, told := p["reason"]; told || p["at"] != nil {
		t.Errorf("another postman is told %v", p)
	}
}
