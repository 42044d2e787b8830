package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestMoveBeatAPI: a supervisor moves an article to another beat of the
// centre before dispatch; the build honours it, a draft built before the
// move is not dispatched, the load moves with it, and an article out for
// delivery stays where it is.
func TestMoveBeatAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, sup1, sup2, post1, post2 := e.login("admin"), e.login("sup1"), e.login("sup2"), e.login("post1"), e.login("post2")
		beat := func(dc, id, postman string) {
			body := map[string]any{"id": id, "name": id, "postman_id": postman, "pins": []string{"999999"}}
			if r := e.do("POST", "/api/v1/dcs/"+dc+"/beats", admin, body); r.status != 201 {
				t.Fatalf("beat %s: %d %s", id, r.status, r.body)
			}
		}
		beat("dc-one", "beat-b", e.do("GET", "/api/v1/me", post2, nil).json(t)["id"].(string))
		beat("dc-two", "beat-z", "")
		ids := bookThree(t, e, sup1)
		build := func() map[string]string {
			r := e.do("POST", "/api/v1/dcs/dc-one/manifests", sup1, map[string]string{"date": "2026-11-25", "slot": "evening"})
			if r.status != 201 {
				t.Fatalf("build: %d %s", r.status, r.body)
			}
			out := map[string]string{}
			for _, m := range r.json(t)["manifests"].([]any) {
				s := m.(map[string]any)
				out[s["beat_id"].(string)] = s["id"].(string)
			}
			return out
		}
		before := build()
		path := "/api/v1/articles/" + ids[0] + "/beat"
		testMoveBeatRefusals(t, e, path, sup1, sup2, post1)
		r := e.do("PUT", path, sup1, map[string]any{"beat_id": "beat-b"})
		if r.status != 200 || r.json(t)["beat_id"] != "beat-b" || r.json(t)["beat_override"] != "beat-b" {
			t.Fatalf("move: %d %s", r.status, r.body)
		}
		if again := e.do("PUT", path, sup1, map[string]any{"beat_id": "beat-b"}); again.status != 200 {
			t.Fatalf("the same move again: %d %s", again.status, again.body)
		}
		if p := wantProblem(t, e.do("POST", "/api/v1/manifests/"+before["beat-a"]+"/dispatch", sup1, nil), 409); !strings.Contains(p["detail"].(string), "another beat") {
			t.Fatalf("dispatch of a draft built before the move: %v", p)
		}
		after := build()
		if after["beat-a"] != before["beat-a"] || after["beat-b"] == "" {
			t.Fatalf("manifests after the move: %v (before %v)", after, before)
		}
		onB := e.do("GET", "/api/v1/manifests/"+after["beat-b"], sup1, nil)
		onA := e.do("GET", "/api/v1/manifests/"+after["beat-a"], sup1, nil)
		if !strings.Contains(string(onB.body), ids[0]) || strings.Contains(string(onA.body), ids[0]) || !strings.Contains(string(onA.body), ids[1]) {
			t.Fatalf("the build must put the moved article on beat-b only:\nA %s\nB %s", onA.body, onB.body)
		}
		if a, b := booked(t, e, "beat-a"), booked(t, e, "beat-b"); a != 2*b || b <= 0 {
			t.Fatalf("loads after the move: beat-a %d, beat-b %d", a, b)
		}
		if r := e.do("POST", "/api/v1/manifests/"+after["beat-a"]+"/dispatch", sup1, nil); r.status != 200 {
			t.Fatalf("dispatch: %d %s", r.status, r.body)
		}
		p := wantProblem(t, e.do("PUT", "/api/v1/articles/"+ids[1]+"/beat", sup1, map[string]any{"beat_id": "beat-b"}), 409)
		if !strings.Contains(p["detail"].(string), "out_for_delivery") {
			t.Fatalf("an article out for delivery: %v", p)
		}
		back := e.do("PUT", path, sup1, `{"beat_id":null}`)
		if back.status != 200 || back.json(t)["beat_id"] != "beat-a" || back.json(t)["beat_override"] != nil {
			t.Fatalf("back to the beat of the address: %d %s", back.status, back.body)
		}
		if a, b := booked(t, e, "beat-a"), booked(t, e, "beat-b"); b != 0 || a <= 0 {
			t.Fatalf("loads after moving back: beat-a %d, beat-b %d", a, b)
		}
	})
}

// testMoveBeatRefusals: what is refused, and that nothing moved.
func testMoveBeatRefusals(t *testing.T, e *env, path, sup1, sup2, post1 string) {
	t.Helper()
	wantProblem(t, e.do("PUT", path, post1, map[string]any{"beat_id": "beat-b"}), 403)
	wantProblem(t, e.do("PUT", path, sup2, map[string]any{"beat_id": "beat-b"}), 404)
	wantProblem(t, e.do("PUT", "/api/v1/articles/"+s10(t, "EE", 19999999)+"/beat", sup1, map[string]any{"beat_id": "beat-b"}), 404)
	for _, bad := range []string{`{}`, `{"beat_id":""}`, `{"beat_id":"beat-x"}`, `{"beat_id":"beat-z"}`, `{"beat_id":5}`,
		`{"beat_id":"beat-b","x":1}`, `{"beat_id":`, `[]`} {
		wantProblem(t, e.do("PUT", path, sup1, bad), 400)
	}
	wantProblem(t, e.do("PUT", "/api/v1/articles/NOT-AN-ID/beat", sup1, map[string]any{"beat_id": "beat-b"}), 400)
	if r := e.do("GET", strings.TrimSuffix(path, "/beat"), sup1, nil); r.json(t)["beat_id"] != "beat-a" {
		t.Fatalf("a refused move moved the article: %s", r.body)
	}
}

// bookThree books three households on beat-a and schedules them for the
// evening of 2026-11-25.
func bookThree(t *testing.T, e *env, sup1 string) []string {
	t.Helper()
	var batch []any
	var ids []string
	for i := range 3 {
		id := s10(t, "RR", 13000001+i)
		it := item(id)
		it["recipient"].(map[string]any)["lon"] = 77.6212 + float64(i)*0.001
		it["recipient"].(map[string]any)["address"] = "Flat " + string(rune('A'+i))
		batch, ids = append(batch, it), append(ids, id)
	}
	if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, batch); r.status != 200 {
		t.Fatal(r.status, string(r.body))
	}
	if r := e.do("POST", "/api/v1/dcs/dc-one/schedule", sup1, nil); r.status != 200 || strings.Count(string(r.body), `"slot":"evening"`) != 3 {
		t.Fatalf("schedule: %d %s", r.status, r.body)
	}
	return ids
}

// booked is a beat's booked load on the evening of 2026-11-25.
func booked(t *testing.T, e *env, beat string) int {
	t.Helper()
	var n int
	err := e.db.QueryRowForTest(context.Background(), `SELECT COALESCE(SUM(booked), 0) FROM slot_loads
		WHERE dc_id = 'dc-one' AND beat_id = ? AND date = '2026-11-25' AND slot = 'evening'`, beat).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
