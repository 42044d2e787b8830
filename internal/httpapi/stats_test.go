package httpapi_test

import (
	"fmt"
	"testing"
	"time"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestStatsAPI: the numbers come from real outcomes (store tests check
// them by hand); here the access rules and the shape of the answer.
func TestStatsAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		deliverMoney(t, e, sup1, post1) // three deliveries on the evening of 2026-11-25
		e.clock.Advance(24 * time.Hour)
		sup1, post1 = e.login("sup1"), e.login("post1") // the old tokens expired
		r := e.do("GET", "/api/v1/dcs/dc-one/stats?days=2", sup1, nil)
		if r.status != 200 {
			t.Fatalf("stats: %d %s", r.status, r.body)
		}
		b := r.json(t)
		got := fmt.Sprint(b["from"], " ", b["to"], " ", b["per_slot"], " ", len(b["time_in_slot"].(map[string]any)["buckets"].([]any)))
		want := "2026-11-25 2026-11-26 [map[date:2026-11-25 delivered:0 failed:0 slot:morning] map[date:2026-11-25 delivered:3 failed:0 slot:evening] " +
			"map[date:2026-11-26 delivered:0 failed:0 slot:morning] map[date:2026-11-26 delivered:0 failed:0 slot:evening]] 16"
		if got != want {
			t.Fatalf("stats:\n got %s\nwant %s", got, want)
		}
		if r := e.do("GET", "/api/v1/dcs/dc-one/stats", e.login("admin"), nil); r.status != 200 || r.json(t)["from"] != "2026-11-13" {
			t.Fatalf("the default 14 days: %d %s", r.status, r.body)
		}
		for _, bad := range []string{"days=abc", "days=0", "days=61"} {
			wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/stats?"+bad, sup1, nil), 400)
		}
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/stats", post1, nil), 403)
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/stats", e.login("sup2"), nil), 404)
	})
}
