package httpapi_test

import (
	"strings"
	"testing"

	"dakiya/internal/beatplan"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// testBeatPlanSettings are the server's defaults with the search capped
// by iterations instead of time, and a fixed seed.
func testBeatPlanSettings() beatplan.Settings {
	s := beatplan.DefaultSettings()
	s.Budget, s.MaxIterations, s.Seed = 0, 200, 1
	return s
}

// beatFor gives post2 a beat of his own (PIN 560095) and returns its id.
func (e *env) beatFor(username string) string {
	e.t.Helper()
	r := e.do("POST", "/api/v1/dcs/dc-one/beats", e.login("admin"), map[string]any{"name": "Beat B", "pins": []string{"560095"},
		"postman_id": e.userID(username)})
	if r.status != 201 {
		e.t.Fatalf("beat: %d %s", r.status, r.body)
	}
	return r.json(e.t)["id"].(string)
}

// TestBeatPlanAPI: with post1 on leave, the fixed beats leave beat-a's
// articles unassigned while a proposal gives them to post2; chosen, the
// build follows it; cleared, the build goes back to the fixed beats; a
// plan made stale by the roster or by a dispatch is refused.
func TestBeatPlanAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup, post, sup2 := e.login("sup1"), e.login("post1"), e.login("sup2")
		beatB := e.beatFor("post2")
		ids := bookThree(t, e, sup) // beat-a, evening of 2026-11-25
		p1, p2 := e.userID("post1"), e.userID("post2")
		if r := e.do("PUT", "/api/v1/dcs/dc-one/roster/2026-11-25/"+p1, sup, map[string]any{"status": "leave"}); r.status != 200 {
			t.Fatalf("leave: %d %s", r.status, r.body)
		}
		slot := map[string]any{"date": "2026-11-25", "slot": "evening", "speed_kmh": 5, "balance_m": 50}
		r := e.do("POST", "/api/v1/dcs/dc-one/beat-plans", sup, slot)
		if r.status != 201 {
			t.Fatalf("propose: %d %s", r.status, r.body)
		}
		plan := r.json(t)
		id := plan["id"].(string)
		routes := plan["routes"].([]any)
		if len(routes) != 1 || plan["chosen"] != false || plan["fixed"].(map[string]any)["unassigned"].(float64) != 3 ||
			plan["balanced"].(map[string]any)["unassigned"].(float64) != 0 || plan["settings"].(map[string]any)["speed_kmh"].(float64) != 5 ||
			plan["settings"].(map[string]any)["balance_m"].(float64) != 50 || plan["balanced"].(map[string]any)["spread_s"].(float64) != 0 {
			t.Fatalf("proposal: %s", r.body)
		}
		route := routes[0].(map[string]any)
		if route["postman_id"] != p2 || route["beat_id"] != beatB || len(route["article_ids"].([]any)) != 3 || route["moved"].(float64) != 3 {
			t.Fatalf("post2's route: %v", route)
		}
		if reason := plan["fixed_unassigned"].([]any)[0].(map[string]any)["reason"]; reason != "postman Post One is on leave on 2026-11-25" {
			t.Fatalf("fixed reason: %v", reason)
		}
		if r = e.do("GET", "/api/v1/dcs/dc-one/beat-plans/"+id, sup, nil); r.status != 200 || r.json(t)["id"] != id {
			t.Fatalf("get: %d %s", r.status, r.body)
		}
		build := func() map[string]any {
			t.Helper()
			r := e.do("POST", "/api/v1/dcs/dc-one/manifests", sup, map[string]any{"date": "2026-11-25", "slot": "evening"})
			if r.status != 201 {
				t.Fatalf("build: %d %s", r.status, r.body)
			}
			return r.json(t)
		}
		if b := build(); len(b["manifests"].([]any)) != 0 || len(b["unassigned"].([]any)) != 3 {
			t.Fatalf("fixed build: %v", b)
		}
		for range 2 {
			if r = e.do("POST", "/api/v1/dcs/dc-one/beat-plans/"+id+"/choose", sup, nil); r.status != 200 || r.json(t)["chosen"] != true {
				t.Fatalf("choose: %d %s", r.status, r.body)
			}
		}
		b := build()
		ms := b["manifests"].([]any)
		if len(ms) != 1 || len(b["unassigned"].([]any)) != 0 {
			t.Fatalf("planned build: %v", b)
		}
		m := ms[0].(map[string]any)
		if m["postman_id"] != p2 || m["beat_id"] != beatB || m["articles"].(float64) != 3 {
			t.Fatalf("post2's manifest: %v", m)
		}
		if r = e.do("DELETE", "/api/v1/dcs/dc-one/beat-plans/"+id+"/choice", sup, nil); r.status != 200 || r.json(t)["chosen"] != false {
			t.Fatalf("clear: %d %s", r.status, r.body)
		}
		if b := build(); len(b["unassigned"].([]any)) != 3 {
			t.Fatalf("fixed again: %v", b)
		}
		// The roster changes: post2 goes on leave too, post1 comes back.
		e.do("PUT", "/api/v1/dcs/dc-one/roster/2026-11-25/"+p2, sup, map[string]any{"status": "leave"})
		e.do("DELETE", "/api/v1/dcs/dc-one/roster/2026-11-25/"+p1, sup, nil)
		if p := wantProblem(t, e.do("POST", "/api/v1/dcs/dc-one/beat-plans/"+id+"/choose", sup, nil), 409); !strings.Contains(p["detail"].(string), "roster changed") {
			t.Fatalf("stale roster: %v", p)
		}
		e.do("DELETE", "/api/v1/dcs/dc-one/roster/2026-11-25/"+p2, sup, nil)
		// Dispatched since: the plan is stale.
		b = build()
		for _, s := range b["manifests"].([]any) {
			if sm := s.(map[string]any); sm["beat_id"] == "beat-a" {
				if r := e.do("POST", "/api/v1/manifests/"+sm["id"].(string)+"/dispatch", sup, nil); r.status != 200 {
					t.Fatalf("dispatch: %d %s", r.status, r.body)
				}
			}
		}
		if p := wantProblem(t, e.do("POST", "/api/v1/dcs/dc-one/beat-plans/"+id+"/choose", sup, nil), 409); !strings.Contains(p["detail"].(string), ids[0]) &&
			!strings.Contains(p["detail"].(string), ids[1]) && !strings.Contains(p["detail"].(string), ids[2]) {
			t.Fatalf("stale articles: %v", p)
		}

		before := e.count("beat_plans")
		for _, c := range []struct {
			name, method, path, token string
			body                      any
			status                    int
		}{
			{"postman proposes", "POST", "/api/v1/dcs/dc-one/beat-plans", post, slot, 403},
			{"postman reads", "GET", "/api/v1/dcs/dc-one/beat-plans/" + id, post, nil, 403},
			{"postman chooses", "POST", "/api/v1/dcs/dc-one/beat-plans/" + id + "/choose", post, nil, 403},
			{"postman clears", "DELETE", "/api/v1/dcs/dc-one/beat-plans/" + id + "/choice", post, nil, 403},
			{"other centre proposes", "POST", "/api/v1/dcs/dc-one/beat-plans", sup2, slot, 404},
			{"other centre reads", "GET", "/api/v1/dcs/dc-one/beat-plans/" + id, sup2, nil, 404},
			{"through another centre", "GET", "/api/v1/dcs/dc-two/beat-plans/" + id, sup2, nil, 404},
			{"other centre chooses", "POST", "/api/v1/dcs/dc-two/beat-plans/" + id + "/choose", sup2, nil, 404},
			{"unknown plan", "GET", "/api/v1/dcs/dc-one/beat-plans/nope", sup, nil, 404},
			{"choose unknown plan", "POST", "/api/v1/dcs/dc-one/beat-plans/nope/choose", sup, nil, 404},
			{"clear unknown plan", "DELETE", "/api/v1/dcs/dc-one/beat-plans/nope/choice", sup, nil, 404},
			{"no date", "POST", "/api/v1/dcs/dc-one/beat-plans", sup, map[string]any{"slot": "evening"}, 400},
			{"bad date", "POST", "/api/v1/dcs/dc-one/beat-plans", sup, map[string]any{"date": "2026-13-01", "slot": "evening"}, 400},
			{"unknown slot", "POST", "/api/v1/dcs/dc-one/beat-plans", sup, map[string]any{"date": "2026-11-25", "slot": "night"}, 400},
			{"slot not run", "POST", "/api/v1/dcs/dc-one/beat-plans", sup, map[string]any{"date": "2026-11-25", "slot": "sunday"}, 400},
			{"too fast", "POST", "/api/v1/dcs/dc-one/beat-plans", sup, map[string]any{"date": "2026-11-25", "slot": "evening", "speed_kmh": 200}, 400},
			{"negative stop", "POST", "/api/v1/dcs/dc-one/beat-plans", sup, map[string]any{"date": "2026-11-25", "slot": "evening", "stop_seconds": -1}, 400},
			{"balance too heavy", "POST", "/api/v1/dcs/dc-one/beat-plans", sup, map[string]any{"date": "2026-11-25", "slot": "evening", "balance_m": 10_001}, 400},
			{"unknown field", "POST", "/api/v1/dcs/dc-one/beat-plans", sup, map[string]any{"date": "2026-11-25", "slot": "evening", "vans": 2}, 400},
			{"malformed", "POST", "/api/v1/dcs/dc-one/beat-plans", sup, "[", 400},
		} {
			t.Run(c.name, func(t *testing.T) {
				wantProblem(t, e.do(c.method, c.path, c.token, c.body), c.status)
			})
		}
		if e.count("beat_plans") != before || e.count("beat_plan_choices") != 0 {
			t.Fatal("a refused request stored a plan or a choice")
		}
	})
}
