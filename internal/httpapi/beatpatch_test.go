package httpapi_test

import (
	"strings"
	"testing"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestPatchBeatAPI: an admin or the centre's supervisor renames a beat or
// gives it another postman (or none); bad input, another centre's beat, a
// postman of another centre or someone who is not a postman are refused and
// change nothing; and a postman who walks a beat keeps their role and centre
// until the beat has another postman.
func TestPatchBeatAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, sup1, sup2, post1 := e.login("admin"), e.login("sup1"), e.login("sup2"), e.login("post1")
		id := func(tok string) string { return e.do("GET", "/api/v1/me", tok, nil).json(t)["id"].(string) }
		p1, p2, s1 := id(post1), id(e.login("post2")), id(sup1)
		path := "/api/v1/dcs/dc-one/beats/beat-a"
		testPatchBeatRefusals(t, e, path, admin, sup2, post1, s1)
		beatA := func() map[string]any {
			for _, b := range e.do("GET", "/api/v1/dcs/dc-one/beats", admin, nil).json(t)["items"].([]any) {
				if b.(map[string]any)["id"] == "beat-a" {
					return b.(map[string]any)
				}
			}
			t.Fatal("beat-a is gone")
			return nil
		}
		if b := beatA(); b["postman_id"] != p1 || b["name"] != "Beat A" {
			t.Fatalf("refusals changed the beat: %v", b)
		}
		// post1 walks beat-a: no new role or centre for them yet.
		for _, change := range []map[string]any{{"role": "supervisor"}, {"role": "postman", "dc_id": "dc-two"}, {"role": "admin"}} {
			if p := wantProblem(t, e.do("PATCH", "/api/v1/users/"+p1, admin, change), 409); !strings.Contains(p["detail"].(string), "beat-a") {
				t.Errorf("%v of a postman walking beat-a: %v", change, p)
			}
		}
		r := e.do("PATCH", path, sup1, map[string]any{"postman_id": p2, "name": "Beat A (north)"})
		if r.status != 200 || r.json(t)["postman_id"] != p2 || r.json(t)["name"] != "Beat A (north)" {
			t.Fatalf("reassign: %d %s", r.status, r.body)
		}
		if b := beatA(); b["postman_id"] != p2 || b["name"] != "Beat A (north)" || len(b["pins"].([]any)) == 0 {
			t.Fatalf("after the reassignment: %v", b)
		}
		if r := e.do("PATCH", "/api/v1/users/"+p1, admin, map[string]any{"role": "supervisor"}); r.status != 200 {
			t.Fatalf("post1, no longer walking a beat, made a supervisor: %d %s", r.status, r.body)
		}
		if r := e.do("PATCH", path, admin, map[string]any{"postman_id": ""}); r.status != 200 || r.json(t)["postman_id"] != nil {
			t.Fatalf("take the postman off: %d %s", r.status, r.body)
		}
	})
}

func testPatchBeatRefusals(t *testing.T, e *env, path, admin, sup2, post1, supervisorID string) {
	t.Helper()
	for _, c := range []struct {
		name, who, path string
		body            any
		status          int
	}{
		{"postman", post1, path, map[string]any{"name": "x"}, 403},
		{"other centre's supervisor", sup2, path, map[string]any{"name": "x"}, 404},
		{"unknown beat", admin, "/api/v1/dcs/dc-one/beats/beat-nope", map[string]any{"name": "x"}, 404},
		{"unknown centre", admin, "/api/v1/dcs/dc-nope/beats/beat-a", map[string]any{"name": "x"}, 404},
		{"empty change", admin, path, map[string]any{}, 400},
		{"unknown field", admin, path, map[string]any{"digipin_prefixes": []string{"4P3"}}, 400},
		{"blank name", admin, path, map[string]any{"name": "  "}, 400},
		{"long name", admin, path, map[string]any{"name": strings.Repeat("n", 101)}, 400},
		{"wrong type", admin, path, map[string]any{"postman_id": 7}, 400},
		{"not a user", admin, path, map[string]any{"postman_id": "nobody"}, 400},
		{"a supervisor as postman", admin, path, map[string]any{"postman_id": supervisorID}, 400},
		{"malformed", admin, path, "{", 400},
	} {
		r := e.do("PATCH", c.path, c.who, c.body)
		if ct := r.header.Get("Content-Type"); r.status != c.status || !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("%s: %d %s %s, want %d problem", c.name, r.status, ct, r.body, c.status)
		}
	}
}
