package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// listWalk is what walking a list page by page saw.
type listWalk struct {
	ids   []string // every item's key, in the order the pages gave them
	next  string   // the first page's cursor
	stmts []int64  // statements sent for each page
}

// walkList reads path (with its filters) limit items at a time, following
// next until it is absent; every page must hold at most limit items and
// every page but the last exactly limit. key names an item's identity.
func walkList(t *testing.T, e *env, path, token, key string, limit int) listWalk {
	t.Helper()
	var w listWalk
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	for next, pages := "", 0; ; pages++ {
		if pages > 100 {
			t.Fatalf("%s: more than 100 pages", path)
		}
		q := fmt.Sprintf("%s%slimit=%d", path, sep, limit)
		if next != "" {
			q += "&next=" + url.QueryEscape(next)
		}
		before := e.db.SQLCount()
		r := e.do("GET", q, token, nil)
		w.stmts = append(w.stmts, e.db.SQLCount()-before)
		var page struct {
			Items []map[string]any `json:"items"`
			Next  *string          `json:"next"`
		}
		if r.status != 200 || json.Unmarshal(r.body, &page) != nil || page.Items == nil {
			t.Fatalf("%s: %d %s", q, r.status, r.body)
		}
		if len(page.Items) > limit || (page.Next != nil && len(page.Items) != limit) || (page.Next != nil && *page.Next == "") {
			t.Fatalf("%s: %d items, next %v", q, len(page.Items), page.Next)
		}
		for _, it := range page.Items {
			w.ids = append(w.ids, fmt.Sprint(it[key]))
		}
		if pages == 0 && page.Next != nil {
			w.next = *page.Next
		}
		if page.Next == nil {
			return w
		}
		next = *page.Next
	}
}

// checkWalk walks path a few items at a time and compares what it saw with
// the whole list read in one page: every item once, in the same order,
// the same statements for every page, and a cursor that other lists, the
// same list under another filter, a tampered copy and bad limits are
// refused with a 400 problem. It returns the first page's cursor.
func checkWalk(t *testing.T, e *env, path, token, key string, limit, atLeast int) string {
	t.Helper()
	all := walkList(t, e, path, token, key, 1000)
	if len(all.ids) < atLeast || all.next != "" {
		t.Fatalf("%s: %d items in one page (next %q), want at least %d", path, len(all.ids), all.next, atLeast)
	}
	got := walkList(t, e, path, token, key, limit)
	if !slices.Equal(got.ids, all.ids) {
		t.Fatalf("%s by %d: %v, want %v", path, limit, got.ids, all.ids)
	}
	seen := map[string]bool{}
	for _, id := range got.ids {
		if seen[id] {
			t.Fatalf("%s: %s twice", path, id)
		}
		seen[id] = true
	}
	if len(got.stmts) < 2 {
		t.Fatalf("%s by %d: only %d page", path, limit, len(got.stmts))
	}
	for i, n := range got.stmts {
		if n != got.stmts[0] {
			t.Fatalf("%s: page %d took %d statements, page 1 %d: %v", path, i+1, n, got.stmts[0], got.stmts)
		}
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	raw, err := base64.RawURLEncoding.DecodeString(got.next)
	if err != nil {
		t.Fatalf("%s: the cursor %q is not base64url: %v", path, got.next, err)
	}
	raw[0] ^= 1
	for _, q := range []string{"limit=0", "limit=1001", "limit=abc", "limit=", "next=" + base64.RawURLEncoding.EncodeToString(raw),
		"next=not-a-cursor!", "next=" + got.next[:len(got.next)-2]} {
		if q == "limit=" {
			continue // absent: the default
		}
		p := wantProblem(t, e.do("GET", path+sep+q, token, nil), 400)
		if !strings.Contains(fmt.Sprint(p), strings.SplitN(q, "=", 2)[0]) {
			t.Errorf("%s?%s: the problem does not name the parameter: %v", path, q, p)
		}
	}
	return got.next
}

// TestListsPage walks every list the API answers with {items, next} a few
// items at a time on both databases (see checkWalk), and has each list
// refuse the others' cursors.
func TestListsPage(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, sup1 := e.login("admin"), e.login("sup1")
		for i, pin := range []string{"560095", "560096", "560097"} {
			if r := e.do("POST", "/api/v1/dcs/dc-one/beats", admin, map[string]any{"name": fmt.Sprint("Beat ", i), "pins": []string{pin}}); r.status != 201 {
				t.Fatalf("beat: %d %s", r.status, r.body)
			}
		}
		acme := e.newPartner("Acme Books", "dc-one")
		for _, name := range []string{"Zed Traders", "Acme Books", "Mid Co", "Acme Books"} { // names repeat: ids break ties
			e.newPartner(name, "dc-two")
		}
		key := ""
		for range 4 { // made at the same instant: ids break ties
			key = e.newKey(acme, "webhooks", "track", "book")
		}
		for i := range 3 {
			if r := e.do("POST", "/api/v1/webhooks", key, map[string]any{"url": fmt.Sprintf("http://127.0.0.1:9/in%d", i), "events": []string{"*"}}); r.status != 201 {
				t.Fatalf("webhook: %d %s", r.status, r.body)
			}
			e.clock.Advance(1)
		}
		for i, from := range []string{"2026-02-01", "2026-06-01", "2027-01-01"} {
			if r := e.uploadTariff(admin, fmt.Sprintf("v%d", i+2), from, flatTariff(10000+i)); r.status != 201 {
				t.Fatalf("tariff: %d %s", r.status, r.body)
			}
		}
		cases := []struct {
			list             string // the same list (and filter), however asked for
			path, token, key string
			limit, atLeast   int
		}{
			{"users", "/api/v1/users", admin, "username", 2, 5},
			{"users of dc-one", "/api/v1/users?dc_id=dc-one", admin, "username", 2, 3},
			{"users of dc-one", "/api/v1/users", sup1, "username", 1, 3},
			{"centres", "/api/v1/dcs", admin, "id", 1, 2},
			{"beats", "/api/v1/dcs/dc-one/beats", sup1, "id", 2, 4},
			{"partners", "/api/v1/partners", admin, "id", 2, 5},
			{"keys", "/api/v1/partners/" + acme + "/keys", admin, "id", 3, 4},
			{"keys", "/api/v1/partners/" + acme + "/keys", key, "id", 1, 4},
			{"webhooks", "/api/v1/webhooks", key, "id", 2, 3},
			{"webhooks", "/api/v1/webhooks?partner_id=" + acme, admin, "id", 1, 3},
			{"festivals", "/api/v1/festivals", sup1, "id", 7, 20},
			{"tariffs", "/api/v1/tariffs", admin, "version", 2, 4},
			{"tariffs", "/api/v1/tariffs", key, "version", 3, 4},
		}
		cursors := make([]string, len(cases))
		for i, c := range cases {
			t.Run(strings.TrimPrefix(c.path, "/api/v1/"), func(t *testing.T) {
				cursors[i] = checkWalk(t, e, c.path, c.token, c.key, c.limit, c.atLeast)
			})
		}
		// A cursor is refused on every other list, and on the same list
		// under another filter; the same list asked for another way takes it.
		for _, c := range cases {
			for j, other := range cases {
				if cursors[j] == "" || other.list == c.list {
					continue
				}
				sep := "?"
				if strings.Contains(c.path, "?") {
					sep = "&"
				}
				wantProblem(t, e.do("GET", c.path+sep+"next="+url.QueryEscape(cursors[j]), c.token, nil), 400)
			}
		}
		wantProblem(t, e.do("GET", "/api/v1/users?dc_id=dc-two&next="+url.QueryEscape(cursors[1]), admin, nil), 400)
		if r := e.do("GET", "/api/v1/users?dc_id=dc-one&limit=1&next="+url.QueryEscape(cursors[2]), admin, nil); r.status != 200 {
			t.Fatalf("a supervisor's cursor of their centre's staff, on the admin's list of it: %d %s", r.status, r.body)
		}
	})
}
