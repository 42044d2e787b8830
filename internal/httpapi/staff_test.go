package httpapi_test

import (
	"fmt"
	"testing"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// ids lists the "id" (or key) of each item of a list answer.
func ids(t *testing.T, r resp, key string) []string {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	var out []string
	for _, it := range r.json(t)["items"].([]any) {
		out = append(out, fmt.Sprint(it.(map[string]any)[key]))
	}
	return out
}

func TestListCentresAndBeatsAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, sup1, sup2, post1 := e.login("admin"), e.login("sup1"), e.login("sup2"), e.login("post1")
		if got := fmt.Sprint(ids(t, e.do("GET", "/api/v1/dcs", admin, nil), "id")); got != "[dc-one dc-two]" {
			t.Fatalf("admin's centres: %s", got)
		}
		if got := fmt.Sprint(ids(t, e.do("GET", "/api/v1/dcs", sup2, nil), "id")); got != "[dc-two]" {
			t.Fatalf("sup2's centres: %s", got)
		}
		wantProblem(t, e.do("GET", "/api/v1/dcs", post1, nil), 403)
		r := e.do("GET", "/api/v1/dcs/dc-one/beats", sup1, nil)
		if got := fmt.Sprint(ids(t, r, "id")); got != "[beat-a]" {
			t.Fatalf("beats: %s", got)
		}
		if b := r.json(t)["items"].([]any)[0].(map[string]any); fmt.Sprint(b["digipin_prefixes"], b["pins"]) != "[] [560034]" {
			t.Fatalf("beat: %v", b)
		}
		if got := ids(t, e.do("GET", "/api/v1/dcs/dc-two/beats", admin, nil), "id"); len(got) != 0 {
			t.Fatalf("dc-two has no beats: %v", got)
		}
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/beats", sup2, nil), 404)
		wantProblem(t, e.do("GET", "/api/v1/dcs/dc-one/beats", post1, nil), 403)
		wantProblem(t, e.do("GET", "/api/v1/dcs/nope/beats", admin, nil), 404)
	})
}

func TestListUsersAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, sup1 := e.login("admin"), e.login("sup1")
		if got := fmt.Sprint(ids(t, e.do("GET", "/api/v1/users", admin, nil), "username")); got != "[admin post1 post2 sup1 sup2]" {
			t.Fatalf("admin's list: %s", got)
		}
		r := e.do("GET", "/api/v1/users", sup1, nil)
		if got := fmt.Sprint(ids(t, r, "username"), ids(t, r, "disabled")); got != "[post1 post2 sup1] [false false false]" {
			t.Fatalf("sup1's list: %s", got)
		}
		wantNoSecret(t, r, password)
		if got := fmt.Sprint(ids(t, e.do("GET", "/api/v1/users?dc_id=dc-two", admin, nil), "username")); got != "[sup2]" {
			t.Fatalf("admin's list of dc-two: %s", got)
		}
		wantProblem(t, e.do("GET", "/api/v1/users?dc_id=dc-two", sup1, nil), 404)
		wantProblem(t, e.do("GET", "/api/v1/users", e.login("post1"), nil), 403)
	})
}

// loginAs logs in and returns the answer's status and refresh token.
func loginAs(t *testing.T, e *env, username, pw string) (int, string) {
	t.Helper()
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": pw})
	token, _ := r.json(t)["refresh_token"].(string)
	return r.status, token
}

func refreshStatus(t *testing.T, e *env, token string) int {
	t.Helper()
	return e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": token}).status
}

func TestPatchUserAPIBadInput(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, sup1, post1 := e.login("admin"), e.login("sup1"), e.login("post1")
		pid, adminID := userID(t, e, post1), userID(t, e, admin)
		path := "/api/v1/users/" + pid
		for name, c := range map[string]struct {
			token  string
			path   string
			body   any
			status int
		}{
			"postman":              {post1, path, map[string]any{"disabled": true}, 403},
			"another centre":       {e.login("sup2"), path, map[string]any{"disabled": true}, 404},
			"unknown user":         {admin, "/api/v1/users/nope", map[string]any{"disabled": true}, 404},
			"supervisor re-roles":  {sup1, path, map[string]any{"role": "supervisor"}, 403},
			"supervisor resets":    {sup1, path, map[string]any{"password": "another-long-pw"}, 403},
			"supervisor on a sup":  {sup1, "/api/v1/users/" + userID(t, e, sup1), map[string]any{"disabled": false}, 403},
			"empty":                {admin, path, map[string]any{}, 400},
			"not a bool":           {admin, path, map[string]any{"disabled": "yes"}, 400},
			"unknown field":        {admin, path, map[string]any{"username": "x"}, 400},
			"short password":       {admin, path, map[string]any{"password": "short"}, 400},
			"no such role":         {admin, path, map[string]any{"role": "king"}, 400},
			"admin with a centre":  {admin, path, map[string]any{"role": "admin", "dc_id": "dc-one"}, 400},
			"unknown centre":       {admin, path, map[string]any{"dc_id": "dc-nope"}, 400},
			"admin disables self":  {admin, "/api/v1/users/" + adminID, map[string]any{"disabled": true}, 400},
			"admin demotes itself": {admin, "/api/v1/users/" + adminID, map[string]any{"role": "supervisor", "dc_id": "dc-one"}, 400},
		} {
			t.Run(name, func(t *testing.T) { wantProblem(t, e.do("PATCH", c.path, c.token, c.body), c.status) })
		}
		if status, refresh := loginAs(t, e, "post1", password); status != 200 || refreshStatus(t, e, refresh) != 200 {
			t.Fatal("a refused change changed the postman")
		}
		if got := fmt.Sprint(ids(t, e.do("GET", "/api/v1/users", admin, nil), "role")); got != "[admin postman postman supervisor supervisor]" {
			t.Fatalf("roles after refusals: %s", got)
		}
	})
}

func TestPatchUserAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, sup1 := e.login("admin"), e.login("sup1")
		path := "/api/v1/users/" + userID(t, e, e.login("post1"))
		_, refresh := loginAs(t, e, "post1", password)
		r := e.do("PATCH", path, sup1, map[string]any{"disabled": true})
		if r.status != 200 || r.json(t)["disabled"] != true {
			t.Fatalf("disable: %d %s", r.status, r.body)
		}
		if s := refreshStatus(t, e, refresh); s != 401 {
			t.Fatalf("a disabled user's refresh token: %d, want 401", s)
		}
		if s, _ := loginAs(t, e, "post1", password); s != 401 {
			t.Fatalf("a disabled user's login: %d, want 401", s)
		}
		if r := e.do("PATCH", path, sup1, map[string]any{"disabled": false}); r.status != 200 || r.json(t)["disabled"] != false {
			t.Fatalf("enable: %d %s", r.status, r.body)
		}
		_, refresh = loginAs(t, e, "post1", password)
		const newPW = "a-new-long-password"
		r = e.do("PATCH", path, admin, map[string]any{"password": newPW})
		if r.status != 200 {
			t.Fatalf("reset: %d %s", r.status, r.body)
		}
		wantNoSecret(t, r, newPW)
		if s := refreshStatus(t, e, refresh); s != 401 {
			t.Fatalf("a session from before the reset: %d, want 401", s)
		}
		if s, _ := loginAs(t, e, "post1", password); s != 401 {
			t.Fatalf("the old password: %d, want 401", s)
		}
		if s, _ := loginAs(t, e, "post1", newPW); s != 200 {
			t.Fatalf("the new password: %d, want 200", s)
		}
		// post1 walks beat-a: the beat first goes to nobody (TestPatchBeatAPI).
		if r := e.do("PATCH", "/api/v1/dcs/dc-one/beats/beat-a", admin, map[string]any{"postman_id": ""}); r.status != 200 {
			t.Fatalf("beat-a without a postman: %d %s", r.status, r.body)
		}
		r = e.do("PATCH", path, admin, map[string]any{"role": "supervisor"})
		if r.status != 200 || r.json(t)["role"] != "supervisor" || r.json(t)["dc_id"] != "dc-one" {
			t.Fatalf("re-role: %d %s", r.status, r.body)
		}
		s := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "post1", "password": newPW})
		if r := e.do("GET", "/api/v1/users", s.json(t)["access_token"].(string), nil); r.status != 200 {
			t.Fatalf("the new supervisor lists staff: %d %s", r.status, r.body)
		}
	})
}
