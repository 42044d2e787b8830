package httpapi_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestOutcomeFixTime: an outcome carries when its position was fixed and
// when the stop was opened; a fix from before the opening (the previous
// door's) is flagged stale_fix, both times come back in the supervisor's
// list, and a time that is not RFC 3339 is refused with nothing stored.
func TestOutcomeFixTime(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		ids := dispatchN(t, e, sup1, 2)
		fail := func(id, fixAt, openedAt string) map[string]any {
			return map[string]any{"article_id": id, "outcome": "failed", "reason_code": "01", "proof_ids": []string{},
				"location":    map[string]any{"lat": 12.9361, "lon": 77.6212, "accuracy_m": 8, "fix_at": fixAt},
				"captured_at": "2026-11-25T17:00:00+05:30", "opened_at": openedAt}
		}
		wantProblem(t, e.do("POST", "/api/v1/deliveries", post1, fail(ids[0], "a minute ago", "2026-11-25T16:58:00+05:30"),
			"Idempotency-Key", uuid.NewString()), 400)
		wantProblem(t, e.do("POST", "/api/v1/deliveries", post1, fail(ids[0], "2026-11-25T16:59:00+05:30", "16:58"),
			"Idempotency-Key", uuid.NewString()), 400)
		if n := e.count("deliveries"); n != 0 {
			t.Fatalf("%d deliveries stored after refusals", n)
		}
		stale := e.do("POST", "/api/v1/deliveries", post1, fail(ids[0], "2026-11-25T16:57:59+05:30", "2026-11-25T16:58:00+05:30"),
			"Idempotency-Key", uuid.NewString())
		fresh := e.do("POST", "/api/v1/deliveries", post1, fail(ids[1], "2026-11-25T16:59:00+05:30", "2026-11-25T16:58:00+05:30"),
			"Idempotency-Key", uuid.NewString())
		if stale.status != 201 || !strings.Contains(string(stale.body), `"stale_fix"`) {
			t.Fatalf("a fix before the stop was opened: %d %s", stale.status, stale.body)
		}
		if fresh.status != 201 || strings.Contains(string(fresh.body), `"stale_fix"`) {
			t.Fatalf("a fix after the stop was opened: %d %s", fresh.status, fresh.body)
		}
		list := e.do("GET", "/api/v1/dcs/dc-one/deliveries?date=2026-11-25&slot=evening", sup1, nil)
		for _, want := range []string{`"fix_at":"2026-11-25T11:27:59Z"`, `"fix_at":"2026-11-25T11:29:00Z"`, `"opened_at":"2026-11-25T11:28:00Z"`} {
			if !strings.Contains(string(list.body), want) {
				t.Errorf("the supervisor's list lacks %s: %s", want, list.body)
			}
		}
	})
}
