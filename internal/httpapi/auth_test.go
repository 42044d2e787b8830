package httpapi_test

import (
	"strings"
	"testing"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

func TestAuthAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "sup1", "password": password})
		if r.status != 200 || r.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("login: %d %v %s", r.status, r.header, r.body)
		}
		s := r.json(t)
		if s["token_type"] != "Bearer" || s["expires_in"].(float64) != 900 || s["user"].(map[string]any)["dc_id"] != "dc-one" {
			t.Fatalf("login body: %s", r.body)
		}
		if strings.Contains(string(r.body), "password") || strings.Contains(string(r.body), "argon2") {
			t.Fatalf("login leaks the password hash: %s", r.body)
		}
		access, refresh := s["access_token"].(string), s["refresh_token"].(string)

		me := e.do("GET", "/api/v1/me", access, nil)
		if me.status != 200 || me.json(t)["username"] != "sup1" || me.json(t)["role"] != "supervisor" {
			t.Fatalf("me: %d %s", me.status, me.body)
		}
		r = e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh})
		if r.status != 200 {
			t.Fatalf("refresh: %d %s", r.status, r.body)
		}
		next := r.json(t)["refresh_token"].(string)
		wantProblem(t, e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh}), 401)
		wantProblem(t, e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": next}), 401)

		login2 := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "sup1", "password": password}).json(t)
		if r := e.do("POST", "/api/v1/auth/logout", "", map[string]string{"refresh_token": login2["refresh_token"].(string)}); r.status != 204 {
			t.Fatalf("logout: %d %s", r.status, r.body)
		}
		wantProblem(t, e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": login2["refresh_token"].(string)}), 401)
	})
}

func TestAuthAPIBadInput(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	big := `{"username":"sup1","password":"` + strings.Repeat("x", 70<<10) + `"}`
	cases := []struct {
		name   string
		path   string
		body   any
		ctype  string
		status int
	}{
		{"malformed JSON", "/api/v1/auth/login", `{"username":`, "", 400},
		{"not an object", "/api/v1/auth/login", `[1,2]`, "", 400},
		{"wrong type", "/api/v1/auth/login", `{"username":5,"password":"x"}`, "", 400},
		{"unknown field", "/api/v1/auth/login", `{"username":"sup1","password":"x","admin":true}`, "", 400},
		{"trailing data", "/api/v1/auth/login", `{"username":"sup1","password":"x"} {}`, "", 400},
		{"empty body", "/api/v1/auth/login", ` `, "", 400},
		{"missing fields", "/api/v1/auth/login", `{}`, "", 400},
		{"oversized", "/api/v1/auth/login", big, "", 413},
		{"form encoded", "/api/v1/auth/login", `username=sup1`, "application/x-www-form-urlencoded", 415},
		{"wrong password", "/api/v1/auth/login", `{"username":"sup1","password":"nope"}`, "", 401},
		{"unknown user", "/api/v1/auth/login", `{"username":"ghost","password":"nope"}`, "", 401},
		{"refresh missing token", "/api/v1/auth/refresh", `{}`, "", 400},
		{"refresh forged token", "/api/v1/auth/refresh", `{"refresh_token":"rt_forged"}`, "", 401},
		{"logout malformed", "/api/v1/auth/logout", `{"refresh_token":`, "", 400},
	}
	before := e.count("refresh_tokens")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var hdr []string
			if c.ctype != "" {
				hdr = []string{"Content-Type", c.ctype}
			}
			wantProblem(t, e.do("POST", c.path, "", c.body, hdr...), c.status)
		})
	}
	if after := e.count("refresh_tokens"); after != before {
		t.Fatalf("refused requests wrote %d refresh tokens", after-before)
	}
	r := wantProblem(t, e.do("GET", "/api/v1/me", "", nil), 401)
	if r["detail"] == "" {
		t.Fatal("no detail")
	}
	for _, tok := range []string{"garbage", "a.b.c", strings.Repeat("x", 5000)} {
		res := e.do("GET", "/api/v1/me", tok, nil)
		wantProblem(t, res, 401)
		if !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
			t.Fatal("401 without WWW-Authenticate")
		}
	}
}

func TestLoginThrottleAPI(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	for range 5 {
		wantProblem(t, e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "post1", "password": "bad"}), 401)
	}
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "post1", "password": password})
	wantProblem(t, r, 429)
	if ra := r.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("429 without Retry-After: %v", r.header)
	}
	// Other users are not locked out by post1's lockout.
	e.login("sup1")
}
