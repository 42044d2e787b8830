package httpapi_test

import (
	"testing"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// userID looks up a seeded user's id.
func (e *env) userID(username string) string {
	e.t.Helper()
	var id string
	if err := e.db.QueryRowForTest(e.t.Context(), "SELECT id FROM users WHERE username = ?", username).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// rosterStatus is a postman's status in a slot of a roster day answer.
func rosterStatus(t *testing.T, day map[string]any, slot, userID string) string {
	t.Helper()
	for _, s := range day["slots"].([]any) {
		sm := s.(map[string]any)
		if sm["slot"] != slot {
			continue
		}
		for _, p := range sm["postmen"].([]any) {
			if pm := p.(map[string]any); pm["user_id"] == userID {
				return pm["status"].(string)
			}
		}
	}
	t.Fatalf("no %s in the %s slot: %v", userID, slot, day)
	return ""
}

func TestRosterAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup, post, sup2, admin := e.login("sup1"), e.login("post1"), e.login("sup2"), e.login("admin")
		p1, p2 := e.userID("post1"), e.userID("post2")
		// 2026-11-25 is a Wednesday; the default range is 14 days from today.
		r := e.do("GET", "/api/v1/dcs/dc-one/roster", sup, nil)
		if r.status != 200 {
			t.Fatalf("roster: %d %s", r.status, r.body)
		}
		v := r.json(t)
		days := v["days"].([]any)
		if v["from"] != "2026-11-25" || v["to"] != "2026-12-08" || len(days) != 14 {
			t.Fatalf("default range: %v %v %d days", v["from"], v["to"], len(days))
		}
		wed := days[0].(map[string]any)
		if rosterStatus(t, wed, "morning", p1) != "on_duty" || rosterStatus(t, wed, "morning", p2) != "off" {
			t.Fatalf("default: %v", wed)
		}
		if n := wed["slots"].([]any)[0].(map[string]any)["rostered"].(float64); n != 1 {
			t.Fatalf("rostered %v, want 1 (post2 walks no beat)", n)
		}
		// Leave in the morning, a reliever covering the beat, idempotent.
		for range 2 {
			r = e.do("PUT", "/api/v1/dcs/dc-one/roster/2026-11-26/"+p1, sup, map[string]any{"status": "leave", "slots": []string{"morning"}, "note": "wedding"})
			if r.status != 200 || rosterStatus(t, r.json(t), "morning", p1) != "leave" || rosterStatus(t, r.json(t), "evening", p1) != "on_duty" {
				t.Fatalf("leave: %d %s", r.status, r.body)
			}
		}
		if n := e.count("roster_entries"); n != 1 {
			t.Fatalf("%d entries after the same PUT twice", n)
		}
		r = e.do("PUT", "/api/v1/dcs/dc-one/roster/2026-11-26/"+p2, admin, map[string]any{"status": "on_duty", "covers_beat_id": "beat-a"})
		if r.status != 200 || rosterStatus(t, r.json(t), "morning", p2) != "on_duty" {
			t.Fatalf("reliever: %d %s", r.status, r.body)
		}
		if n, err := db.RosteredCount(t.Context(), "dc-one", "2026-11-26", "morning"); err != nil || n != 1 {
			t.Fatalf("rostered count: %d %v", n, err)
		}
		// Weekly off on Thursday, then cleared.
		r = e.do("PUT", "/api/v1/dcs/dc-one/roster/weekly-off/"+p1, sup, map[string]any{"weekday": 4})
		if r.status != 200 || r.json(t)["weekly_off"].(float64) != 4 {
			t.Fatalf("weekly off: %d %s", r.status, r.body)
		}
		r = e.do("GET", "/api/v1/dcs/dc-one/roster?from=2026-11-26&to=2026-11-26", sup, nil)
		if d := r.json(t)["days"].([]any)[0].(map[string]any); rosterStatus(t, d, "evening", p1) != "weekly_off" || rosterStatus(t, d, "morning", p1) != "leave" {
			t.Fatalf("weekly off and leave: %s", r.body)
		}
		if r = e.do("PUT", "/api/v1/dcs/dc-one/roster/weekly-off/"+p1, sup, map[string]any{"weekday": nil}); r.status != 200 || r.json(t)["weekly_off"] != nil {
			t.Fatalf("clear weekly off: %d %s", r.status, r.body)
		}
		// Back to the default.
		r = e.do("DELETE", "/api/v1/dcs/dc-one/roster/2026-11-26/"+p1, sup, nil)
		if r.status != 200 || rosterStatus(t, r.json(t), "morning", p1) != "on_duty" {
			t.Fatalf("delete: %d %s", r.status, r.body)
		}
		r = e.do("DELETE", "/api/v1/dcs/dc-one/roster/2026-11-26/"+p2+"?slot=morning", sup, nil)
		if r.status != 200 || rosterStatus(t, r.json(t), "morning", p2) != "on_duty" {
			t.Fatalf("delete another slot keeps the day's entry: %d %s", r.status, r.body)
		}
		// A Sunday: only the sunday slot, nobody on duty by default.
		r = e.do("GET", "/api/v1/dcs/dc-one/roster?from=2026-11-29&to=2026-11-29", sup, nil)
		if s := r.json(t)["days"].([]any)[0].(map[string]any)["slots"].([]any); len(s) != 1 || s[0].(map[string]any)["rostered"].(float64) != 0 {
			t.Fatalf("sunday: %s", r.body)
		}

		before := e.count("roster_entries")
		for _, c := range []struct {
			name, method, path, token string
			body                      any
			status                    int
		}{
			{"postman reads", "GET", "/api/v1/dcs/dc-one/roster", post, nil, 403},
			{"postman writes", "PUT", "/api/v1/dcs/dc-one/roster/2026-11-26/" + p1, post, map[string]any{"status": "leave"}, 403},
			{"other centre reads", "GET", "/api/v1/dcs/dc-one/roster", sup2, nil, 404},
			{"other centre writes", "PUT", "/api/v1/dcs/dc-one/roster/2026-11-26/" + p1, sup2, map[string]any{"status": "leave"}, 404},
			{"other centre weekly off", "PUT", "/api/v1/dcs/dc-one/roster/weekly-off/" + p1, sup2, map[string]any{"weekday": 1}, 404},
			{"postman of another centre", "PUT", "/api/v1/dcs/dc-two/roster/2026-11-26/" + p1, sup2, map[string]any{"status": "leave"}, 404},
			{"not a postman", "PUT", "/api/v1/dcs/dc-one/roster/2026-11-26/" + e.userID("sup1"), sup, map[string]any{"status": "leave"}, 404},
			{"bad from", "GET", "/api/v1/dcs/dc-one/roster?from=26-11-2026", sup, nil, 400},
			{"to before from", "GET", "/api/v1/dcs/dc-one/roster?from=2026-11-26&to=2026-11-25", sup, nil, 400},
			{"too long", "GET", "/api/v1/dcs/dc-one/roster?from=2026-11-01&to=2027-01-02", sup, nil, 400},
			{"bad date", "PUT", "/api/v1/dcs/dc-one/roster/2026-02-30/" + p1, sup, map[string]any{"status": "leave"}, 400},
			{"unknown status", "PUT", "/api/v1/dcs/dc-one/roster/2026-11-26/" + p1, sup, map[string]any{"status": "holiday"}, 400},
			{"unknown slot", "PUT", "/api/v1/dcs/dc-one/roster/2026-11-26/" + p1, sup, map[string]any{"status": "leave", "slots": []string{"night"}}, 400},
			{"covering on leave", "PUT", "/api/v1/dcs/dc-one/roster/2026-11-26/" + p2, sup, map[string]any{"status": "leave", "covers_beat_id": "beat-a"}, 400},
			{"unknown beat", "PUT", "/api/v1/dcs/dc-one/roster/2026-11-26/" + p2, sup, map[string]any{"status": "on_duty", "covers_beat_id": "beat-z"}, 400},
			{"unknown field", "PUT", "/api/v1/dcs/dc-one/roster/2026-11-26/" + p1, sup, map[string]any{"status": "leave", "why": 1}, 400},
			{"malformed", "PUT", "/api/v1/dcs/dc-one/roster/2026-11-26/" + p1, sup, "{", 400},
			{"weekday 7", "PUT", "/api/v1/dcs/dc-one/roster/weekly-off/" + p1, sup, map[string]any{"weekday": 7}, 400},
			{"delete bad slot", "DELETE", "/api/v1/dcs/dc-one/roster/2026-11-26/" + p1 + "?slot=night", sup, nil, 400},
			{"delete unknown postman", "DELETE", "/api/v1/dcs/dc-one/roster/2026-11-26/nobody", sup, nil, 404},
		} {
			t.Run(c.name, func(t *testing.T) {
				wantProblem(t, e.do(c.method, c.path, c.token, c.body), c.status)
			})
		}
		if e.count("roster_entries") != before {
			t.Fatal("a refused request changed the roster")
		}
	})
}
