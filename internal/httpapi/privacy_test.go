package httpapi_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestAuditLog: viewing an article's page and searching articles by phone
// are recorded with who, when, what and the route; only an admin reads
// the log, newest first, filtered by actor, subject and date, page by
// page; bad parameters are problem+json and record nothing.
func TestAuditLog(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1, sup2, admin := e.login("sup1"), e.login("post1"), e.login("sup2"), e.login("admin")
		id := s10(t, "EE", 20000001)
		if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, item(id)); r.status != 200 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		if n := e.count("audit_log"); n != 0 {
			t.Fatalf("%d audit lines before any view", n)
		}
		e.clock.Advance(time.Minute)
		if r := e.do("GET", "/api/v1/articles/"+id, sup1, nil); r.status != 200 {
			t.Fatalf("article page: %d %s", r.status, r.body)
		}
		e.clock.Advance(time.Minute)
		if r := e.do("GET", "/api/v1/dcs/dc-one/articles?q=12345", sup1, nil); r.status != 200 {
			t.Fatalf("search: %d %s", r.status, r.body)
		}
		e.clock.Advance(time.Minute)
		if r := e.do("GET", "/api/v1/dcs/dc-one/articles", sup1, nil); r.status != 200 {
			t.Fatalf("list: %d", r.status)
		}
		wantProblem(t, e.do("GET", "/api/v1/articles/"+id, sup2, nil), 404) // another centre's: nothing shown
		if n := e.count("audit_log"); n != 2 {
			t.Fatalf("%d audit lines, want the view and the search (a plain list and a refused view record nothing)", n)
		}

		r := e.do("GET", "/api/v1/audit", admin, nil)
		if r.status != 200 {
			t.Fatalf("audit: %d %s", r.status, r.body)
		}
		items := r.json(t)["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("audit items: %s", r.body)
		}
		search, view := items[0].(map[string]any), items[1].(map[string]any)
		if search["action"] != "article.search" || search["subject"] != "dc-one" || search["detail"] != "q=12345" ||
			search["route"] != "GET /api/v1/dcs/{dc}/articles" || search["actor_name"] != "Sup One" {
			t.Fatalf("the search line: %v", search)
		}
		if view["action"] != "article.view" || view["subject"] != id || view["actor_role"] != "supervisor" ||
			view["at"] != "2026-11-25T04:31:00Z" {
			t.Fatalf("the view line: %v", view)
		}
		supID := view["actor_id"].(string)

		// Pages of one, by the cursor.
		r = e.do("GET", "/api/v1/audit?limit=1", admin, nil)
		page := r.json(t)
		if len(page["items"].([]any)) != 1 || page["next"] == nil {
			t.Fatalf("first page: %s", r.body)
		}
		r = e.do("GET", "/api/v1/audit?limit=1&next="+url.QueryEscape(page["next"].(string)), admin, nil)
		page = r.json(t)
		if got := page["items"].([]any); len(got) != 1 || got[0].(map[string]any)["action"] != "article.view" {
			t.Fatalf("second page: %s", r.body)
		}
		if page["next"] != nil {
			r = e.do("GET", "/api/v1/audit?limit=1&next="+url.QueryEscape(page["next"].(string)), admin, nil)
			if got := r.json(t)["items"].([]any); len(got) != 0 {
				t.Fatalf("third page: %s", r.body)
			}
		}

		// Filters.
		for q, want := range map[string]int{
			"actor=" + supID: 2, "actor=nobody": 0, "subject=" + id: 1, "subject=dc-one": 1,
			"from=2026-11-25": 2, "from=2026-11-26": 0, "to=2026-11-24": 0, "to=2026-11-25": 2,
			"from=2026-11-25T04:32:00Z": 1, "to=2026-11-25T04:32:00Z": 1,
		} {
			r := e.do("GET", "/api/v1/audit?"+q, admin, nil)
			if r.status != 200 || len(r.json(t)["items"].([]any)) != want {
				t.Fatalf("?%s: %d %s, want %d items", q, r.status, r.body, want)
			}
		}
		for _, q := range []string{"limit=0", "limit=1001", "limit=x", "next=%21%21", "next=" + strings.Repeat("A", 300),
			"from=yesterday", "to=2026-13-01", "from=2026-11-26&to=2026-11-25", "actor=" + strings.Repeat("x", 201)} {
			p := wantProblem(t, e.do("GET", "/api/v1/audit?"+q, admin, nil), 400)
			if p["errors"] == nil {
				t.Fatalf("?%s: no field errors: %v", q, p)
			}
		}
		for _, who := range []string{sup1, post1, sup2} {
			wantProblem(t, e.do("GET", "/api/v1/audit", who, nil), 403)
		}
		wantProblem(t, e.do("GET", "/api/v1/audit", "", nil), 401)
		if n := e.count("audit_log"); n != 2 {
			t.Fatalf("reading the log recorded something: %d lines", n)
		}
	})
}

// TestPrivacyRequests: an admin's export of what is held about a phone is
// audited and carries the articles, events and messages; an erasure
// erases the final articles and lists the others, and asking again
// erases nothing more; bad input and non-admins are refused, changing
// nothing.
func TestPrivacyRequests(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1, admin := e.login("sup1"), e.login("post1"), e.login("admin")
		done, open := s10(t, "EE", 20000002), s10(t, "EE", 20000003)
		if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, []any{item(done), item(open)}); r.status != 200 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		if r := e.do("POST", "/api/v1/articles/"+done+"/events", sup1,
			map[string]any{"event": "returned_to_sender", "reason_code": "09", "note": "Meera Iyer refused it"}); r.status != 200 {
			t.Fatalf("return: %d %s", r.status, r.body)
		}

		r := e.do("GET", "/api/v1/privacy/export?phone=98450-12345", admin, nil)
		if r.status != 200 {
			t.Fatalf("export: %d %s", r.status, r.body)
		}
		x := r.json(t)
		arts := x["articles"].([]any)
		if x["phone"] != "+919845012345" || len(arts) != 2 || x["messages"] == nil {
			t.Fatalf("export: %s", r.body)
		}
		first := arts[0].(map[string]any)
		if first["recipient_name"] != "Meera Iyer" || len(first["events"].([]any)) == 0 {
			t.Fatalf("export's article: %v", first)
		}
		var n int
		if err := db.QueryRowForTest(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE action = 'privacy.export' AND subject = '+919845012345'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("export audited %d times (%v), want 1", n, err)
		}

		before := e.count("audit_log")
		for _, c := range []struct {
			path   string
			status int
		}{
			{"/api/v1/privacy/export", 400},
			{"/api/v1/privacy/export?phone=", 400},
			{"/api/v1/privacy/export?phone=12345", 400},
			{"/api/v1/privacy/export?phone=" + strings.Repeat("9", 40), 400},
		} {
			wantProblem(t, e.do("GET", c.path, admin, nil), c.status)
		}
		for _, who := range []string{sup1, post1} {
			wantProblem(t, e.do("GET", "/api/v1/privacy/export?phone=9845012345", who, nil), 403)
			wantProblem(t, e.do("POST", "/api/v1/privacy/erase", who, map[string]any{"phone": "9845012345"}), 403)
		}
		wantProblem(t, e.do("POST", "/api/v1/privacy/erase", admin, map[string]any{}), 400)
		wantProblem(t, e.do("POST", "/api/v1/privacy/erase", admin, map[string]any{"phone": "123"}), 400)
		wantProblem(t, e.do("POST", "/api/v1/privacy/erase", admin, map[string]any{"phone": "9845012345", "name": "x"}), 400)
		wantProblem(t, e.do("POST", "/api/v1/privacy/erase", admin, `{"phone": "9845012345"`), 400)
		wantProblem(t, e.do("POST", "/api/v1/privacy/erase", admin, `{"phone": "`+strings.Repeat("9", 70<<10)+`"}`), 413)
		wantProblem(t, e.do("POST", "/api/v1/privacy/erase", admin, "phone=9845012345", "Content-Type", "application/x-www-form-urlencoded"), 415)
		if got := e.count("audit_log"); got != before {
			t.Fatalf("refused requests recorded %d lines", got-before)
		}
		var erased int
		if err := db.QueryRowForTest(t.Context(), `SELECT COUNT(*) FROM articles WHERE erased_at IS NOT NULL`).Scan(&erased); err != nil || erased != 0 {
			t.Fatalf("refused requests erased %d articles (%v)", erased, err)
		}

		r = e.do("POST", "/api/v1/privacy/erase", admin, map[string]any{"phone": "+91 98450 12345"})
		if r.status != 200 {
			t.Fatalf("erase: %d %s", r.status, r.body)
		}
		er := r.json(t)
		refused := er["refused"].([]any)
		if got := er["erased"].([]any); len(got) != 1 || got[0] != done || len(refused) != 1 ||
			refused[0].(map[string]any)["id"] != open || refused[0].(map[string]any)["status"] != "at_dc" {
			t.Fatalf("erase: %s", r.body)
		}
		r = e.do("POST", "/api/v1/privacy/erase", admin, map[string]any{"phone": "9845012345"})
		if r.status != 200 || len(r.json(t)["erased"].([]any)) != 0 || len(r.json(t)["refused"].([]any)) != 1 {
			t.Fatalf("erase again: %d %s", r.status, r.body)
		}
		r = e.do("GET", "/api/v1/articles/"+done, sup1, nil)
		a := r.json(t)
		rec := a["recipient"].(map[string]any)
		if r.status != 200 || rec["name"] != "(erased)" || rec["phone"] != "" || rec["address"] != "(erased)" {
			t.Fatalf("the erased article's page: %d %s", r.status, r.body)
		}
		tr := e.do("GET", "/api/v1/track/"+done, "", nil)
		if tr.status != 200 || len(tr.json(t)["events"].([]any)) < 2 {
			t.Fatalf("tracking the erased article: %d %s", tr.status, tr.body)
		}
		if strings.Contains(string(r.body), "Meera") || strings.Contains(string(tr.body), "Meera") {
			t.Fatalf("the recipient's name is still shown: %s %s", r.body, tr.body)
		}
		x = e.do("GET", "/api/v1/privacy/export?phone=9845012345", admin, nil).json(t)
		if arts := x["articles"].([]any); len(arts) != 1 || arts[0].(map[string]any)["id"] != open {
			t.Fatalf("export after the erasure: %v", x)
		}
	})
}
