package httpapi_test

import (
	"net/url"
	"sort"
	"strings"
	"testing"

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
